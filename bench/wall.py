"""The wall in headless Chromium: time to paint each page with values, and endurance over a thousand refreshes.

Endurance: a screen's playlist of all six pages (2 s each) refreshed every 0.3 s, for at least 1,000 refresh
cycles. JS heap and DOM nodes come from the Chrome DevTools Protocol (after a forced garbage collection), server
memory from /proc. A page that leaks grows in both; a flat page keeps them within a few percent.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bench.startup import rss_mb
from dashboard.registry import discover
from support.serverproc import ServerProcess

PAGES = tuple(p.slug for p in discover())  # every wall page, as the page modules register them
FIGURES = "[...document.querySelectorAll('#wall-stage .tile-value, #wall-stage .big-figure')]"
FILLED = f"() => {FIGURES}.length > 0 && {FIGURES}.every(e => /\\d/.test(e.textContent))"
CYCLES = 1000
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--js-flags=--expose-gc"]


def _browser(p):
    return p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)


def paint_times(url: str) -> dict[str, float]:
    """Seconds from navigation to every figure of the page painted with a value, per page, in a fresh tab."""
    from playwright.sync_api import sync_playwright

    times = {}
    with sync_playwright() as p:
        browser = _browser(p)
        for name in PAGES:
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            t0 = time.perf_counter()
            page.goto(f"{url}/wall/{name}")
            page.wait_for_function(FILLED)
            times[name] = round(time.perf_counter() - t0, 2)
            page.close()
        browser.close()
    return times


def _metrics(cdp, page) -> dict:
    """Heap and nodes on the playlist's first page, after its refresh has settled: like is compared with like."""
    page.wait_for_function("() => document.getElementById('wall-page-title').textContent === 'Ringkasan'", timeout=30_000)
    page.wait_for_timeout(1000)
    page.evaluate("window.gc && window.gc()")
    found = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {"js_heap_mb": round(found["JSHeapUsedSize"] / 1e6, 2), "dom_nodes": int(found["Nodes"])}


def endurance(cycles: int = CYCLES) -> dict:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="pantau-bench-wall-"))
    config = work / "pantau.toml"
    config.write_text('[wall]\nrefresh_every = "1s"\n' + "".join(f'[[wall.screens.1]]\npage = "{p}"\ndwell = "2s"\n' for p in PAGES))
    server = ServerProcess(work, PANTAU_CONFIG=str(config), PANTAU_SIMULATOR__HISTORY_DAYS="400")
    try:
        server.start(timeout=120)
        server.wait_for_values(timeout=300)
        with sync_playwright() as p:
            browser = _browser(p)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            done = {"n": 0, "bytes": 0}

            def counted(response) -> None:
                if "/_dash-update-component" in response.url and response.status == 200:
                    done["n"] += 1

            page.on("response", counted)
            page.goto(f"{server.url}/wall")
            page.wait_for_function(FILLED)
            # The configured floor is 1 s; ask as the renderer does on its interval, only more often, to reach the count sooner.
            page.evaluate("() => { let n = 1e6; setInterval(() => window.dash_clientside.set_props('wall-refresh', {n_intervals: ++n}), 300); }")
            while done["n"] < 30:  # warm: every page visited once, caches filled
                page.wait_for_timeout(200)
            start, server_start = _metrics(cdp, page), rss_mb(server.proc.pid)
            first, t0 = done["n"], time.perf_counter()
            while done["n"] - first < cycles:
                page.wait_for_timeout(500)
            elapsed = time.perf_counter() - t0
            end, server_end = _metrics(cdp, page), rss_mb(server.proc.pid)
            filled = page.evaluate(FILLED)
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return {
        "cycles": done["n"] - first,
        "seconds": round(elapsed, 1),
        "start": start,
        "end": end,
        "js_heap_growth_pct": round(100 * (end["js_heap_mb"] - start["js_heap_mb"]) / start["js_heap_mb"], 1),
        "dom_nodes_change": end["dom_nodes"] - start["dom_nodes"],
        "server_rss_mb": {"start": round(server_start, 1), "end": round(server_end, 1)},
        "still_filled": filled,
    }


def run() -> dict:
    work = Path(tempfile.mkdtemp(prefix="pantau-bench-paint-"))
    server = ServerProcess(work, PANTAU_SIMULATOR__HISTORY_DAYS="800")
    try:
        server.start(timeout=120)
        server.wait_for_values(timeout=300)
        paint = paint_times(server.url)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return {"paint_s": paint, "paint_max_s": max(paint.values()), "endurance": endurance()}
