"""`make bench`: every benchmark, printed and written to bench/results/latest.json. Nothing here fails a build.

`python -m bench startup` or `python -m bench ingest` runs one of them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench import ingest, startup

RESULTS = Path(__file__).parent / "results"
TARGETS = {
    "startup": "values within 120 s of a cold start; restart in seconds with no duplicate rows; wall paint < 2 s",
    "ingest": "CSV merge within 2x of DuckDB's own read_csv + INSERT ... ON CONFLICT on the same files",
}


def main() -> None:
    chosen = sys.argv[1:] or ["startup", "ingest"]
    figures = {name: {"startup": startup.run, "ingest": ingest.run}[name]() for name in chosen}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    for name in chosen:
        print(f"target ({name}): {TARGETS[name]}")


if __name__ == "__main__":
    main()
