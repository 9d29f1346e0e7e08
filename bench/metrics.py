"""Indicators at five-year scale for one regency: full recompute, incremental recompute after a 1,000-record
load, /api/v1/indicators latency, and the explorer's answers to filter changes (bench.explore).

The simulated OPD systems produce five years of every source (about 1.8 million attendance rows from 1,500
staff); the attendance is then copied under new staff numbers to about 15 million rows, the size of a regency's
whole civil service over five years. Run in a temporary folder; nothing here touches data/.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import waitress

from dashboard.registry import discover
from runtime import http_server

HISTORY_DAYS = 5 * 365
ATTENDANCE_TARGET = 15_000_000


def _timed(action) -> float:
    t0 = time.perf_counter()
    action()
    return time.perf_counter() - t0


def _grow_attendance(pantau) -> int:
    cur = pantau.warehouse.cursor()
    rows = cur.execute("SELECT count(*) FROM absensi_harian").fetchall()[0][0]
    copies = max(-(-ATTENDANCE_TARGET // rows) - 1, 0)  # whole copies, enough to pass the target
    with pantau.warehouse.transaction() as tx:
        tx.execute(
            "INSERT INTO absensi_harian SELECT nip || '-' || k, nama, kode_opd, tanggal, jam_masuk, masuk_menit, jam_pulang, status, jam_kerja, _load_id, _origin "
            "FROM absensi_harian, range(1, ?) AS r(k) ORDER BY tanggal",
            [copies + 1],
        )
    return cur.execute("SELECT count(*) FROM absensi_harian").fetchall()[0][0]


def _load_1000_attendance(pantau) -> None:
    """A load of 1,000 check-ins for today, as the e-attendance system delivers them through the morning."""
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    with pantau.warehouse.transaction() as tx:
        tx.execute(
            "INSERT OR REPLACE INTO absensi_harian SELECT 'bench-' || i, 'Pegawai', 'BKPSDM', ?, '07:20', 440, NULL, 'hadir', NULL, 'bench', 'bench baris ' || i FROM range(1000) AS r(i)",
            [today],
        )


WALL_OUTPUTS = (("wall-stage", "children"), ("wall-stage", "className"), ("wall-page-title", "children"), ("wall-simulated", "hidden"),
                ("wall-alerts", "children"), ("wall-dots", "children"), ("wall-playlist", "data-playlist"), ("wall-refresh", "interval"))


def wall_body(page: str) -> dict:
    """The body of one wall refresh of `page`, as a screen's renderer sends it to /_dash-update-component."""
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in WALL_OUTPUTS) + "..",
        "outputs": [{"id": i, "property": p} for i, p in WALL_OUTPUTS],
        "inputs": [{"id": "wall-refresh", "property": "n_intervals", "value": 1},
                   {"id": "wall-page", "property": "data", "value": {"index": 0, "page": page}}],
        "changedPropIds": ["wall-refresh.n_intervals"],
        "state": [{"id": "wall-context", "property": "data", "value": {"lang": "id", "screen": None, "fixed": page, "indikator": None, "kiosk": True}}],
    }


def _wall_refresh(client: httpx.Client, url: str, page: str, n: int = 100) -> dict:
    """Server time of one wall refresh (the Dash callback request a screen makes) and the bytes it sends."""
    payload = wall_body(page)
    times, size = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.post(f"{url}/_dash-update-component", json=payload)
        times.append((time.perf_counter() - t0) * 1000)
        response.raise_for_status()
        size = len(response.content)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * n) - 1], 1), "bytes": size}


def _api_latency(pantau, n: int = 300, port: int = 0) -> dict:
    from dashboard.app import create_app
    from dashboard.services import DashboardServices
    from runtime.control import PantauControls
    from runtime.prometheus import PantauCollector

    services = DashboardServices(metrics=pantau.metrics, controls=PantauControls(pantau), operator_token="bench", region_name="Padang Pariaman",
                                 collector=PantauCollector(pantau))
    server = waitress.create_server(create_app(services).server, host="127.0.0.1", port=port, threads=8)
    url = f"http://127.0.0.1:{server.effective_port}"
    times = []
    with http_server.serving_in_background(server):
        with httpx.Client() as client:
            client.get(f"{url}/api/v1/indicators")  # first request builds the app's caches
            for _ in range(n):
                t0 = time.perf_counter()
                response = client.get(f"{url}/api/v1/indicators")
                times.append((time.perf_counter() - t0) * 1000)
            wall = {page: _wall_refresh(client, url, page) for page in (p.slug for p in discover())}
            scrape = scrape_latency(client, url)
    times.sort()
    api = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * n) - 1], 1), "indicators": len(response.json()["indicators"]), "bytes": len(response.content)}
    return {"api": api, "wall_refresh": wall, "metrics_scrape": scrape}


def scrape_latency(client: httpx.Client, url: str, n: int = 100) -> dict:
    """Time of one Prometheus scrape of /metrics (every series, the sources' read at scrape time) and its size."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(f"{url}/metrics")
        times.append((time.perf_counter() - t0) * 1000)
        response.raise_for_status()
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * n) - 1], 1), "bytes": len(response.content)}


@contextmanager
def five_years() -> Iterator[tuple]:
    """A Pantau over five years of every simulated source, attendance grown to ~15M rows, values computed:
    (pantau, its folder, facts of the build). Closed and removed afterwards."""
    from config import load_config
    from runtime.context import Pantau

    with tempfile.TemporaryDirectory(prefix="pantau-bench-metrics-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "PANTAU_WAREHOUSE__PATH": str(work / "pantau.duckdb"), "PANTAU_SIMULATOR__DATA_DIR": str(work / "sim"),
               "PANTAU_SIMULATOR__HISTORY_DAYS": str(HISTORY_DAYS), "PANTAU_SIMULATOR__SYNC_EVERY": "1h"}
        pantau = Pantau(load_config(None, env=env))
        try:
            pantau.start_simulator()
            t0 = time.perf_counter()
            loaded = {name: pantau.load(name).inserted for name in pantau.sources}
            load_s = time.perf_counter() - t0
            attendance = _grow_attendance(pantau)
            pantau.metrics.refresh()  # warm: the first run also reads the tables from disk
            built = {"attendance_rows": attendance, "other_records": sum(v for k, v in loaded.items() if k != "absensi"), "simulated_load_s": round(load_s, 1)}
            yield pantau, work, built
        finally:
            pantau.close()


def run() -> dict:
    from bench import explore

    with five_years() as (pantau, work, built):
        full = [_timed(pantau.metrics.refresh) for _ in range(3)]
        _load_1000_attendance(pantau)
        incremental = {name: round(min(_timed(lambda n=name: pantau.metrics.refresh(n)) for _ in range(3)), 3) for name in pantau.sources}
        port = int(os.environ.get("BENCH_PORT", "0"))  # any free port unless one is given
        served = _api_latency(pantau, port=port)
        explored = explore.measure(pantau, port=port + 1 if port else 0)
        size_mb = (work / "pantau.duckdb").stat().st_size / 1e6
    return {
        "history_days": HISTORY_DAYS,
        **built,
        "warehouse_mb": round(size_mb, 1),
        "full_recompute_s": round(statistics.median(full), 2),
        "incremental_absensi_s": incremental["absensi"],
        "incremental_max_s": max(incremental.values()),
        "incremental_by_source_s": incremental,
        "api_indicators": served["api"],
        "wall_refresh_by_page": served["wall_refresh"],
        "wall_refresh_p95_max_ms": max(w["p95_ms"] for w in served["wall_refresh"].values()),
        "metrics_scrape": served["metrics_scrape"],
        "explore": explored,
    }
