"""Exports: 100k, 1M and 3M records streamed from a DuckDB file to CSV (both dialects) and XLSX on disk, each in a process
of its own so that its peak memory is its own; and a chart's SVG, PDF and PNG, cold (a new process) and warm.

Memory is flat when the 3M run peaks where the 1M run does: the records are read in batches and never held. Read from
DuckDB, the peak still rises with the table (DuckDB's buffer pool keeps the blocks it has read, up to its memory
limit, and reads ahead of a slow reader); the same exports from batches made in the worker show the export's own.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from region.paths import PROJECT_ROOT

SIZES = (100_000, 1_000_000, 3_000_000)  # 3M also runs the XLSX over three sheets
BATCH = 65_536  # rows per DuckDB batch
WARM_RUNS = 5
# A drill-down's kind of records: a number, two dates, a time, two texts, an amount, a count and a flag.
TABLE = """create table rekaman_{n} as select
  'IZN-' || lpad(i::varchar, 8, '0') as nomor,
  date '2024-01-01' + (i % 1000)::int as diajukan,
  date '2024-01-01' + (i % 1000)::int + (i % 23)::int as terbit,
  timestamptz '2024-01-01 01:00:00+00' + to_minutes((i * 7) % 1000000) as masuk,
  ['Batang Anai', 'Lubuk Alung', '2 X 11 Kayu Tanam', 'Sintuk Toboh Gadang', 'V Koto Kampung Dalam'][(i % 5) + 1] as kecamatan,
  'Pemohon ' || (i % 9973)::varchar || case when i % 11 = 0 then ', "Toko; Jaya"' else '' end as pemohon,
  ((i % 977) * 1250.5 + 0.25)::double as nilai,
  (i % 23)::bigint as lama_hari,
  i % 3 <> 0 as tepat_waktu
from range({n}) t(i)"""


def _columns():
    from dashboard.exports.tabular import Column

    return [Column("nomor", "Nomor izin"), Column("diajukan", "Tanggal diajukan", "date"), Column("terbit", "Tanggal terbit", "date"),
            Column("masuk", "Waktu masuk (WIB)", "datetime"), Column("kecamatan", "Kecamatan"), Column("pemohon", "Pemohon"),
            Column("nilai", "Nilai investasi (Rp)", "number", 2), Column("lama_hari", "Lama (hari)", "integer"),
            Column("tepat_waktu", "Tepat waktu", "bool")]


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak) of this process, in MB. Not getrusage's ru_maxrss: Linux carries that over
    an exec from the parent, so a worker would report the bench's own peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _generated(db: str, rows: int):
    """`rows` records as fresh batches made from the first BATCH rows of the 100k table: the export without DuckDB."""
    import duckdb
    import pyarrow as pa

    with duckdb.connect(db, read_only=True) as con:
        template = con.sql(f"select * from rekaman_{SIZES[0]} limit {BATCH}").to_arrow_table().combine_chunks().to_batches()[0]
    for start in range(0, rows, BATCH):
        piece = template.slice(0, min(BATCH, rows - start))
        yield pa.RecordBatch.from_arrays([pa.concat_arrays([c]) for c in piece.columns], schema=piece.schema)  # copies


def worker(kind: str, db: str, rows: int, out: str) -> dict:
    """One export in this process: the records of a DuckDB file (or, for kind "generated_...", made here) to `out`;
    seconds, peak RSS, Arrow's peak."""
    import duckdb
    import pyarrow as pa

    from dashboard.exports import tabular

    con = duckdb.connect(db, read_only=True)
    columns = _columns()
    before = _status_mb("VmRSS")
    t0 = time.perf_counter()
    # A table per size, read whole: a LIMIT would make DuckDB buffer the result (1M rows: +160 MB), and so would an
    # ORDER BY over rows not stored in that order; a plain scan or a filter streams.
    reader = con.sql(f"select * from rekaman_{rows}").to_arrow_reader(BATCH) if not kind.startswith("generated_") else _generated(db, rows)
    kind = kind.removeprefix("generated_")
    if kind == "scan":  # DuckDB's part alone: the batches read and dropped
        written = {"rows": sum(batch.num_rows for batch in reader)}
        out = db
    elif kind == "xlsx":
        result = tabular.write_xlsx(out, columns, reader, [("Filter", "semua"), ("Data per", "1 Des 2026 14.00 WIB")])
        written = {"rows": result.rows, "sheets": len(result.sheets)}
    else:
        lines = 0
        with open(out, "wb") as f:
            for chunk in tabular.csv_chunks(columns, reader, kind.removeprefix("csv_")):
                lines += chunk.count(b"\r\n")  # the generated records hold no line break of their own
                f.write(chunk)
        written = {"rows": lines - 1}
    seconds = time.perf_counter() - t0
    if written["rows"] != rows:  # nothing is cut: every record offered is in the file
        raise RuntimeError(f"{kind} of {rows} records wrote {written['rows']}")
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(_status_mb("VmHWM"), 1), "rss_before_mb": round(before, 1),
            "arrow_peak_mb": round(pa.default_memory_pool().max_memory() / 2**20, 1), "file_mb": round(Path(out).stat().st_size / 2**20, 1),
            **written}


def chart_worker() -> dict:
    """A chart's three files in this process: each first cold (no browser running), then the median of WARM_RUNS."""
    import datetime as dt

    from dashboard.exports import chart
    from dashboard.paparan import pdf

    months = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
    doc = chart.ChartDocument(
        "Izin terbit tepat waktu", "Jan–Des 2026 · dibandingkan periode sama tahun lalu · Kecamatan: semua", "Sumber: DPMPTSP (SiCantik)",
        chart.as_of_text(dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)), "Kabupaten Padang Pariaman", True,
        chart.SeriesChart([(f"{m} 2026", 80.0 + i, i >= 10) for i, m in enumerate(months)], [(f"{m} 2025", 75.0 + i) for i, m in enumerate(months)],
                          target=90.0, bands=(90.0, 80.0, "higher"), unit="%"))
    makers = {"svg": lambda: chart.to_svg(doc), "pdf": lambda: chart.to_pdf(doc), "png": lambda: chart.to_png(doc)}
    figures = {}
    for kind, make in makers.items():
        pdf.close_kept_browser()
        t0 = time.perf_counter()
        made = make()
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(WARM_RUNS):
            t0 = time.perf_counter()
            make()
            warm.append(time.perf_counter() - t0)
        figures[kind] = {"cold_s": round(cold, 3), "warm_median_s": round(statistics.median(warm), 3),
                         "warm_max_s": round(max(warm), 3), "bytes": len(made)}
    pdf.close_kept_browser()
    return figures


def _run_worker(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.exports", *args], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"bench.exports {' '.join(args)} failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> dict:
    import duckdb

    work = Path(tempfile.mkdtemp(prefix="pantau-bench-exports-"))
    figures: dict = {"batch_rows": BATCH}
    try:
        db = work / "rekaman.duckdb"
        t0 = time.perf_counter()
        with duckdb.connect(str(db)) as con:
            for rows in SIZES:
                con.execute(TABLE.format(n=rows))
        figures["table_build_s"] = round(time.perf_counter() - t0, 2)
        for rows in SIZES:
            for kind in ("scan", "csv_koma", "csv_titik_koma", "xlsx"):
                out = work / f"{kind}-{rows}.{'xlsx' if kind == 'xlsx' else 'csv'}"
                figures[f"{kind}_{rows}"] = _run_worker("worker", kind, str(db), str(rows), str(out))
                out.unlink(missing_ok=True)
        # Peaks by rows, whole and over DuckDB's own (its buffer pool keeps the blocks it has read, up to its memory
        # limit): flat where memory does not grow with the rows.
        for kind in ("scan", "csv_koma", "csv_titik_koma", "xlsx"):
            figures[f"{kind}_peak_rss_mb_by_rows"] = {rows: figures[f"{kind}_{rows}"]["peak_rss_mb"] for rows in SIZES}
            if kind != "scan":
                figures[f"{kind}_peak_over_scan_mb_by_rows"] = {
                    rows: round(figures[f"{kind}_{rows}"]["peak_rss_mb"] - figures[f"scan_{rows}"]["peak_rss_mb"], 1) for rows in SIZES}
        # The same exports from batches made in the worker, DuckDB left out: the export's own memory, by rows.
        for kind in ("csv_koma", "xlsx"):
            for rows in SIZES[1:]:
                out = work / f"generated-{kind}-{rows}"
                figures[f"generated_{kind}_{rows}"] = _run_worker("worker", f"generated_{kind}", str(db), str(rows), str(out))
                out.unlink(missing_ok=True)
            figures[f"generated_{kind}_peak_rss_mb_by_rows"] = {rows: figures[f"generated_{kind}_{rows}"]["peak_rss_mb"] for rows in SIZES[1:]}
            peaks = list(figures[f"generated_{kind}_peak_rss_mb_by_rows"].values())
            if kind != "scan" and max(peaks) > 1.25 * min(peaks):  # flat: three times the rows, not a quarter more memory
                raise RuntimeError(f"{kind}: peak memory grows with the rows: {figures[f'generated_{kind}_peak_rss_mb_by_rows']}")
        t0 = time.perf_counter()
        charts = _run_worker("chart")
        figures["chart_process_s"] = round(time.perf_counter() - t0, 2)
        figures["chart"] = charts
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return figures


if __name__ == "__main__":
    if sys.argv[1] == "worker":
        print(json.dumps(worker(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])))
    elif sys.argv[1] == "chart":
        print(json.dumps(chart_worker()))
