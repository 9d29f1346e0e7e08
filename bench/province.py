"""The province rollup at scale: 19 simulated regions over two years, exported as Parquet and rolled up.

Figures: each region's simulated load and its export (rows, seconds); the DuckDB rollup over the Parquet
collection for 4 and for 19 regions (the difference gives the cost of one more region); the same on Spark local[2];
the rollup on a real standalone cluster on loopback (a master and two workers) with its figures compared with
DuckDB's; and a projection of the national programme (500 regions) from the measured costs. Set
PANTAU_BENCH_PROVINCE to a folder to keep the collection and reuse it on the next run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REGIONS, HISTORY_DAYS, FEW = 19, 730, 4
SIM_PORT = 8275
NATIONAL_REGIONS = 500
# The cluster the projection is for: 20 workers of 8 cores (160 executor cores), as a ministry might rent.
NATIONAL_CORES = 160
LOOPBACK = {"spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1", "spark.driver.port": "8286",
            "spark.blockManager.port": "8287", "spark.port.maxRetries": "2"}


def _collection(root: Path) -> list[dict]:
    from config import load_config
    from province.simulate import simulate_province

    record = root / "bench-simulated.json"
    if record.is_file():
        return json.loads(record.read_text())
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    done = simulate_province(root, load_config(None), REGIONS, HISTORY_DAYS, now, port=SIM_PORT)
    regions = [vars(d) for d in done]
    record.write_text(json.dumps(regions))
    return regions


def _timed_rollup(con, manifests, as_of) -> tuple[float, object]:
    from metrics.catalogue import INDICATORS
    from province.rollup import rollup

    started = time.perf_counter()
    values = rollup(con, manifests, INDICATORS, as_of)
    return round(time.perf_counter() - started, 1), values


def _engine(name: str, con, manifests, as_of) -> tuple[dict, object]:
    few = dict(list(sorted(manifests.items()))[:FEW])
    few_s, _ = _timed_rollup(con, few, as_of)
    all_s, values = _timed_rollup(con, manifests, as_of)
    per_region = round((all_s - few_s) / (len(manifests) - FEW), 2)
    return {f"rollup_{FEW}_regions_s": few_s, f"rollup_{len(manifests)}_regions_s": all_s, "per_extra_region_s": per_region}, values


def _spark_local(root: Path, manifests, as_of) -> tuple[dict, object]:
    from province.collection import tables_of
    from province.engines import spark_backend, spark_session

    started = time.perf_counter()
    session = spark_session("local[2]", "pantau-bench-province", LOOPBACK)
    session.sparkContext.setLogLevel("ERROR")
    try:
        con = spark_backend(session, root, tables_of(manifests))
        start_s = round(time.perf_counter() - started, 1)
        figures, values = _engine("spark", con, manifests, as_of)
    finally:
        session.stop()
    return {"session_start_s": start_s, **figures}, values


def _cluster(root: Path, as_of: dt.datetime, kodes: list[str], duckdb_values) -> dict:
    import pandas as pd

    from bench.spark_cluster import standalone
    from province.rollup import differences

    with tempfile.TemporaryDirectory(prefix="pantau-spark-cluster-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        with standalone(work) as master:
            up_s = round(time.perf_counter() - started, 1)
            out = work / "rollup.duckdb"
            command = [sys.executable, "app.py", "rollup", str(root), "--engine", "spark", "--master", master, "--as-of", as_of.isoformat(),
                       "--regions", ",".join(kodes), "--warehouse", str(out), "--no-verify",
                       *[f"--conf={k}={v}" for k, v in LOOPBACK.items()]]
            t0 = time.perf_counter()
            run = subprocess.run(command, cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, timeout=3600)
            rollup_s = round(time.perf_counter() - t0, 1)
        if run.returncode != 0:
            return {"error": run.stderr[-2000:]}
        import duckdb

        with duckdb.connect(str(out), read_only=True) as db:
            on_cluster = db.execute("SELECT * FROM rollup_nilai").df()
    wanted = duckdb_values[duckdb_values.kode_wilayah.isin(kodes)]
    # The province row of a subset is that subset's total: compare regions only.
    found = differences(wanted.reset_index(drop=True), on_cluster[on_cluster.tingkat != "provinsi"].reset_index(drop=True))
    return {"master": master, "workers": 2, "cores_per_worker": 1, "cluster_up_s": up_s, "regions": kodes,
            "rollup_s_with_session_start": rollup_s, "differences_from_duckdb": len(found), "first_differences": found[:5],
            "values_compared": int(len(pd.DataFrame(wanted)))}


def _projection(per_region_s: float, total_rows: int, attendance: int, regions: int) -> dict:
    """The national programme from the measured Spark costs. The rollup runs 25 queries per region one after
    another, so its time is bounded below by the rows spread over the cluster's cores (all of a region's measured
    time taken as row cost: an upper bound of that cost) and above by the queries run one by one (all of it taken as
    per-query cost, which more cores do not shorten)."""
    rows_per_region = total_rows / regions
    per_row_core_s = per_region_s * 2 / rows_per_region  # local[2]: two cores
    # Five years with attendance grown to a regency's whole civil service (bench.metrics: about 15M rows).
    five_year_per_region = (rows_per_region - attendance / regions) * 2.5 + 15_000_000
    return {
        "regions": NATIONAL_REGIONS, "cluster": f"{NATIONAL_CORES} executor cores (20 workers x 8 cores, 32 GB each)",
        "rows_two_years": int(rows_per_region * NATIONAL_REGIONS),
        "rows_five_years": int(five_year_per_region * NATIONAL_REGIONS),
        "spark_per_region_s_local2": per_region_s,
        "two_years_if_bound_by_rows_s": round(NATIONAL_REGIONS * rows_per_region * per_row_core_s / NATIONAL_CORES, 1),
        "two_years_if_bound_by_queries_s": round(NATIONAL_REGIONS * per_region_s, 1),
        "five_years_if_bound_by_rows_s": round(NATIONAL_REGIONS * five_year_per_region * per_row_core_s / NATIONAL_CORES, 1),
        "note": "the per-region loop issues 25 queries per region one after another, so at 500 regions the rollup is bound by "
                "queries (job start-up), not rows, until regions run as parallel jobs or one group-by on kode_wilayah",
    }


def run() -> dict:
    from metrics.catalogue import INDICATORS
    from province.collection import read_manifests, tables_of
    from province.engines import duckdb_backend
    from province.rollup import default_as_of, differences

    kept = os.environ.get("PANTAU_BENCH_PROVINCE")
    holder = None if kept else tempfile.TemporaryDirectory(prefix="pantau-bench-province-")
    root = Path(kept or holder.name)
    root.mkdir(parents=True, exist_ok=True)
    try:
        regions = _collection(root)
        manifests = read_manifests(root)
        as_of = default_as_of(manifests)
        rows = {kode: sum(t["rows"] for t in m.body["tables"].values()) for kode, m in manifests.items()}
        attendance = sum(m.rows("absensi_harian") for m in manifests.values())
        total_rows = sum(rows.values())
        verify_started = time.perf_counter()
        read_manifests(root, verify=True)
        verify_s = round(time.perf_counter() - verify_started, 1)
        duck, duck_values = _engine("duckdb", duckdb_backend(root, tables_of(manifests)), manifests, as_of)
        spark, spark_values = _spark_local(root, manifests, as_of)
        parity = differences(duck_values, spark_values)
        cluster = _cluster(root, as_of, sorted(manifests)[:3], duck_values)
        projection = _projection(spark["per_extra_region_s"], total_rows, attendance, len(manifests))
        return {
            "regions": len(manifests), "history_days": HISTORY_DAYS, "rows_total": total_rows, "attendance_rows": attendance,
            "rows_per_region": {k: v for k, v in sorted(rows.items())},
            "simulate_load_s_per_region": {r["kode"]: r["load_s"] for r in regions},
            "export_s_per_region": {r["kode"]: r["export_s"] for r in regions},
            "export_s_mean": round(sum(r["export_s"] for r in regions) / len(regions), 2),
            "collection_mb": round(sum(p.stat().st_size for p in root.rglob("*.parquet") if "rollup" not in p.parts) / 1e6, 1),
            "verify_checksums_s": verify_s,
            "duckdb": duck, "spark_local2": spark, "spark_vs_duckdb_differences": len(parity), "first_differences": parity[:5],
            "spark_standalone": cluster, "queries_per_region": len(INDICATORS), "national_projection": projection,
        }
    finally:
        if holder is not None:
            holder.cleanup()
