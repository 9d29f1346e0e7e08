"""Presentation mode on the embedded default (800 days): snapshot time, each file's export time, server memory
around ten exports, and how fast a slide changes in the browser."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.startup import rss_mb
from support.serverproc import ServerProcess

RUNS = 5
# From the key press to two animation frames later: the new slide is laid out and painted.
SLIDE_CHANGE = """(key) => new Promise(done => {
  const t0 = performance.now();
  document.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
  requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
})"""


def _timed(call) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = call()
    return time.perf_counter() - t0, result


def _summary(times: list[float]) -> dict:
    times = sorted(times)
    return {"median_s": round(statistics.median(times), 3), "min_s": round(times[0], 3), "max_s": round(times[-1], 3)}


def slide_changes(url: str, snapshot_id: str) -> dict:
    """Milliseconds per slide change through the whole deck with the arrow key, at 1280x720 in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{url}/paparan/{snapshot_id}")
        page.wait_for_load_state("load")
        count = page.evaluate("() => document.querySelectorAll('.slide').length")
        times = [page.evaluate(SLIDE_CHANGE, "ArrowRight") for _ in range(count - 1)]
        times += [page.evaluate(SLIDE_CHANGE, "ArrowLeft") for _ in range(count - 1)]
        browser.close()
    times.sort()
    return {"slides": count, "changes": len(times), "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "max_ms": round(times[-1], 1)}


def run() -> dict:
    work = Path(tempfile.mkdtemp(prefix="pantau-bench-paparan-"))
    server = ServerProcess(work, PANTAU_SIMULATOR__HISTORY_DAYS="800")
    figures: dict = {"runs": RUNS}
    try:
        server.start(timeout=120)
        server.wait_for_values(timeout=300)
        token = (server.workdir / ".operator-token").read_text()
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.url, timeout=600) as client:
            def take(body: dict) -> str:
                answer = client.post("/api/v1/paparan", json=body, headers=auth)
                answer.raise_for_status()
                return answer.json()["snapshot"]["id"]

            now = [_timed(lambda: take({"created_by": "bench"})) for _ in range(RUNS)]
            figures["snapshot_now"] = _summary([t for t, _ in now])
            snapshot_id = now[-1][1]
            past = [_timed(lambda: take({"as_of": "2026-11-30 23:59", "created_by": "bench"}))[0] for _ in range(2)]
            figures["snapshot_past_as_of"] = _summary(past)
            figures["rss_mb_before_exports"] = round(rss_mb(server.proc.pid), 1)

            def fetch(kind: str) -> int:
                answer = client.get(f"/paparan/{snapshot_id}/unduh/{kind}")
                answer.raise_for_status()
                return len(answer.content)

            cold, size = _timed(lambda: fetch("pdf"))
            warm = [_timed(lambda: fetch("pdf"))[0] for _ in range(RUNS - 1)]
            figures["pdf"] = {"cold_s": round(cold, 3), "warm": _summary(warm), "bytes": size}
            for kind in ("pptx", "data"):
                runs = [_timed(lambda k=kind: fetch(k)) for _ in range(RUNS)]
                figures[kind] = {**_summary([t for t, _ in runs]), "bytes": runs[0][1]}
            figures["rss_mb_after_exports"] = round(rss_mb(server.proc.pid), 1)  # ten PDFs, PPTXs and packs made by now
            for _ in range(10):
                fetch("pdf")
            figures["rss_mb_after_ten_more_pdfs"] = round(rss_mb(server.proc.pid), 1)
        figures["slide_change"] = slide_changes(server.url, snapshot_id)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return figures
