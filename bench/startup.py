"""Start-up to first values, rows and warehouse size, restart, API latency and wall paint time, on the embedded default."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import httpx

from support.serverproc import ServerProcess
from warehouse.operations import first_load_seconds

TABLES = {"perizinan": "perizinan_permohonan", "dukcapil": "dukcapil_kelahiran", "absensi": "absensi_harian"}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def api_latency(url: str, n: int = 200) -> dict:
    times, size = [], 0
    with httpx.Client() as client:
        for _ in range(n):
            t0 = time.perf_counter()
            response = client.get(f"{url}/api/v1/indicators")
            times.append((time.perf_counter() - t0) * 1000)
            size = len(response.content)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * n) - 1], 1), "bytes": size}


def wall_paint(url: str) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        t0 = time.perf_counter()
        page.goto(f"{url}/wall")
        page.wait_for_function("() => [...document.querySelectorAll('.tile-value')].length > 0 && [...document.querySelectorAll('.tile-value')].every(e => /\\d/.test(e.textContent))")
        elapsed = time.perf_counter() - t0
        browser.close()
    return elapsed


def run() -> dict:
    """Measure a cold start, a restart, the API and the wall; returns the figures."""
    work = Path(tempfile.mkdtemp(prefix="pantau-bench-"))
    server = ServerProcess(work, PANTAU_SIMULATOR__HISTORY_DAYS="800")
    figures: dict = {}
    try:
        server.start(timeout=120)
        figures["cold_start_to_url_s"] = round(server.ready_after_s, 2)
        server.wait_for_values(timeout=300)
        figures["cold_start_to_all_values_s"] = round(time.monotonic() - server.started, 2)
        figures["server_rss_mb_after_first_loads"] = round(rss_mb(server.proc.pid), 1)
        figures["api_indicators"] = api_latency(server.url)
        figures["wall_paint_s"] = round(wall_paint(server.url), 2)
        server.stop()
        path = work / "pantau.duckdb"
        figures["warehouse_mb"] = round(path.stat().st_size / 1e6, 1)
        with duckdb.connect(str(path), read_only=True) as db:
            figures["rows"] = {s: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for s, t in TABLES.items()}
            figures["first_load_s"] = first_load_seconds(db)
        server.start(timeout=120)
        figures["restart_to_url_s"] = round(server.ready_after_s, 2)
        server.wait_for_values(timeout=120)
        figures["restart_to_all_values_s"] = round(time.monotonic() - server.started, 2)
        time.sleep(3)
        server.stop()
        with duckdb.connect(str(path), read_only=True) as db:
            figures["rows_after_restart"] = {s: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for s, t in TABLES.items()}
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return figures
