"""`make bench`: every benchmark, printed and written to bench/results/latest.json. Nothing here fails a build.

`python -m bench startup`, `... ingest`, `... metrics`, `... wall`, `... load`, `... cli`, `... paparan`, `... explore`,
`... exports`, `... records`, `... lighthouse` or `... province` runs one of them (`metrics` measures the explorer too, on the warehouse it builds;
`explore` builds its own).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench import cli, explore, exports, ingest, lighthouse, load, metrics, paparan, province, records, startup, wall

RESULTS = Path(__file__).parent / "results"
TARGETS = {
    "startup": "values within 120 s of a cold start; restart in seconds with no duplicate rows; wall paint < 2 s",
    "ingest": "CSV merge within 2x of DuckDB's own read_csv + INSERT ... ON CONFLICT on the same files",
    "metrics": "five-year scale (~15M attendance rows): full recompute < 10 s, incremental after a 1,000-record load < 1 s, "
    "/api/v1/indicators p95 < 20 ms, one wall refresh p95 < 50 ms, a /metrics scrape p95 < 20 ms; its `explore` figures: a filter "
    "change answered by /api/v1/analisis, uncached, p95 < 300 ms",
    "explore": "five-year scale: a filter change answered by /api/v1/analisis (distinct questions, uncached) p95 < 300 ms",
    "wall": "every page painted with values < 2 s; 1,000 refreshes: JS heap growth < 20 %, DOM nodes flat, server memory flat",
    "load": "20 clients for 30 s: one wall refresh p95 < 200 ms; hostile requests answered 4xx in < 1 s with health answering; "
    "server RSS < 350 MB after the first loads, flat after the hostile requests",
    "cli": "status, status --json and ingest perizinan through a running server answered in < 1 s (median of 5, wall clock)",
    "records": "five-year scale (~15M attendance rows): a drill-down page p95 < 200 ms; a whole drill-down streamed with memory flat; "
    "full recompute as in metrics (the queries carry their records' identity unread)",
    "paparan": "snapshot of the embedded default < 5 s; PDF of the default deck < 15 s cold and < 5 s warm; PPTX and data pack each < 3 s; "
    "slide change < 100 ms; server memory before and after ten exports",
    "exports": "chart export (SVG, PDF, PNG) < 1 s warm; CSV of 1M records < 10 s and XLSX of 1M records < 60 s, "
    "peak memory the same for 100k and 1M records",
    "lighthouse": "accessibility score of /analisis >= 0.95 (Lighthouse, offline on 127.0.0.1)",
    "province": "19 simulated regions over two years: DuckDB rollup over the Parquet collection < 2 min; Spark local and a standalone "
    "cluster give the same figures (0 differences); cost per extra region on both engines; a projection for 500 regions",
}


def main() -> None:
    chosen = sys.argv[1:] or ["startup", "ingest", "metrics", "records", "wall", "load", "cli", "paparan", "exports", "lighthouse", "province"]
    runs = {"startup": startup.run, "ingest": ingest.run, "metrics": metrics.run, "wall": wall.run, "load": load.run, "cli": cli.run,
            "paparan": paparan.run, "explore": explore.run, "exports": exports.run, "lighthouse": lighthouse.run, "records": records.run, "province": province.run}
    figures = {name: runs[name]() for name in chosen}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    for name in chosen:
        print(f"target ({name}): {TARGETS[name]}")


if __name__ == "__main__":
    main()
