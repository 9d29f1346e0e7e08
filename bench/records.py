"""The records behind a number at five-year scale: drill-down pages over ~15 million attendance rows, and a whole
drill-down streamed in batches with the process's memory watched.

The warehouse is built as bench.metrics builds it (five simulated years, attendance copied under new staff numbers
to about 15 million rows); the full recompute is timed on it too, since every query now carries its records' identity.
Run in a temporary folder; nothing here touches data/.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.metrics import HISTORY_DAYS, _grow_attendance, _timed
from bench.startup import rss_mb

RUNS = 30


def _p(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1)}


def _pages(metrics) -> dict:
    from metrics.question import Drill, Question
    from metrics.records import record_page

    q = Question("absensi_tepat_waktu")
    by_opd = Question("absensi_tepat_waktu", by="kode_opd")
    first = record_page(metrics, q, Drill())
    day = dt.date.fromisoformat(first.summary["days"][1])
    cases = {
        "period_first_page": (q, Drill()),
        "period_late_sorted_by_day": (q, Drill(part="lainnya", sort=(("tanggal", False),))),
        "bucket_last_day": (q, Drill(periode=day)),
        "member_bkpsdm_page_20": (by_opd, Drill(member="BKPSDM", page=20)),
        "search_opd_name": (q, Drill(search=(("nama_opd", "setda"),))),
        "sorted_by_source_column": (q, Drill(sort=(("jam_pulang", False),))),
        "stock_asn_ambang_sanksi": (Question("asn_ambang_sanksi"), Drill()),
    }
    figures = {"records_in_period": first.total}
    # A point never drilled before: prepared (compiled, counted) on the click, one new day each time.
    days = [day - dt.timedelta(days=i) for i in range(1, 29)]
    figures["new_drill_first_page"] = _p([_timed(lambda d=d: record_page(metrics, q, Drill(periode=d))) for d in days])
    figures["new_member_first_page"] = _p([_timed(lambda m=m: record_page(metrics, by_opd, Drill(member=m)))
                                           for m in ("BKPSDM", "SETDA", "DISKOMINFO", "PUPR", "BAPPERLITBANGDA", "DINKES", "DISDIK", "DPMPTSP")])
    for name, (question, drill) in cases.items():
        record_page(metrics, question, drill)  # warm
        figures[name] = _p([_timed(lambda question=question, drill=drill: record_page(metrics, question, drill)) for _ in range(RUNS)])
    return figures


def _stream(metrics) -> dict:
    from metrics.question import Drill, Question
    from metrics.records import record_batches

    q = Question("absensi_kehadiran", period="tahun_lalu")
    import pyarrow as pa

    before = rss_mb(os.getpid())
    peak, rows, batches = before, 0, 0
    arrow_before, arrow_peak = pa.total_allocated_bytes(), 0
    t0 = time.perf_counter()
    _, stream = record_batches(metrics, q, Drill(sort=(("tanggal", True),)))
    for batch in stream:
        rows += batch.num_rows
        batches += 1
        arrow_peak = max(arrow_peak, pa.total_allocated_bytes() - arrow_before)
        del batch
        if batches % 10 == 0:
            peak = max(peak, rss_mb(os.getpid()))
    seconds = time.perf_counter() - t0
    return {"rows": rows, "batches": batches, "seconds": round(seconds, 1), "rows_per_s": round(rows / seconds),
            "rss_before_mb": round(before, 1), "rss_peak_mb": round(peak, 1), "arrow_peak_mb": round(arrow_peak / 1e6, 1)}


def run() -> dict:
    from config import load_config
    from runtime.context import Pantau

    with tempfile.TemporaryDirectory(prefix="pantau-bench-records-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "PANTAU_WAREHOUSE__PATH": str(work / "pantau.duckdb"), "PANTAU_SIMULATOR__DATA_DIR": str(work / "sim"),
               "PANTAU_SIMULATOR__HISTORY_DAYS": str(HISTORY_DAYS), "PANTAU_SIMULATOR__SYNC_EVERY": "1h"}
        pantau = Pantau(load_config(None, env=env))
        try:
            pantau.start_simulator()
            for name in pantau.sources:
                pantau.load(name)
            attendance = _grow_attendance(pantau)
            pantau.metrics.refresh()  # warm
            full = [_timed(pantau.metrics.refresh) for _ in range(3)]
            pages = _pages(pantau.metrics)
            stream = _stream(pantau.metrics)
        finally:
            pantau.close()
    return {"attendance_rows": attendance, "full_recompute_s": round(statistics.median(full), 2), "pages": pages, "stream": stream}
