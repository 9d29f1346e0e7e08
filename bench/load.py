"""The served embedded default under many clients and hostile requests: latency, throughput and server memory.

Twenty clients on loopback for 30 s each against /api/v1/indicators and against wall refreshes (each client turning
through the wall pages); then the requests a stranger could make without the token (far-dated and longest allowed
series, malformed wall updates) while /api/health is timed; the server's RSS after each step.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from bench.metrics import wall_body
from bench.startup import rss_mb
from dashboard.registry import discover
from support.serverproc import ServerProcess

CLIENTS = 20
SECONDS = 30.0
PAGES = tuple(p.slug for p in discover())  # every wall page, as the page modules register them


def _summary(times: list[float], errors: int, seconds: float) -> dict:
    times.sort()
    if not times:
        return {"requests": 0, "errors": errors}
    return {"requests": len(times), "errors": errors, "per_s": round(len(times) / seconds, 1), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * len(times)) - 1], 1), "max_ms": round(times[-1], 1)}


def crowd(request, clients: int = CLIENTS, seconds: float = SECONDS) -> dict:
    """`clients` threads, each with its own connection, calling `request(client, i)` for `seconds`."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def one(k: int) -> None:
        with httpx.Client(timeout=60) as client:
            i = k
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    ok = request(client, i).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    if ok:
                        times.append((time.perf_counter() - t0) * 1000)
                    else:
                        errors[0] += 1
                i += 1

    threads = [threading.Thread(target=one, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _summary(times, errors[0], seconds)


def _at_once(url: str, ask, clients: int = 8) -> dict:
    """`clients` clients asking `ask` at once, /api/health timed every 0.2 s meanwhile."""
    health: list[float] = []
    answered: list[tuple[int, float]] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                t0 = time.perf_counter()
                client.get(f"{url}/api/health")
                health.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.2)

    def one(k: int) -> None:
        with httpx.Client(timeout=120) as client:
            t0 = time.perf_counter()
            try:
                status = ask(client, k).status_code
            except httpx.HTTPError:
                status = 0
            answered.append((status, time.perf_counter() - t0))

    poller = threading.Thread(target=poll)
    poller.start()
    threads = [threading.Thread(target=one, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    poller.join()
    health.sort()
    return {"statuses": dict(sorted(Counter(s for s, _ in answered).items())), "slowest_s": round(max(s for _, s in answered), 2),
            "health_p95_ms": round(health[int(0.95 * len(health)) - 1], 1) if health else None,
            "health_max_ms": round(health[-1], 1) if health else None}


def half_sent(url: str, connections: int = 400) -> dict:
    """`connections` connections each holding a request's head half-sent: /api/health timed meanwhile, and how many
    the server has closed 12 s later (the head's deadline is 10 s)."""
    import socket

    host, port = httpx.URL(url).host, httpx.URL(url).port
    held = []
    for _ in range(connections):
        s = socket.create_connection((host, port))
        s.sendall(b"GET /wall HTTP/1.1\r\nHost: x\r\n")
        held.append(s)
    t0 = time.perf_counter()
    status = httpx.get(f"{url}/api/health", timeout=30).status_code
    health_ms = (time.perf_counter() - t0) * 1000
    time.sleep(12)
    closed = 0
    for s in held:
        s.settimeout(1)
        try:
            closed += s.recv(16) == b""
        except OSError:
            pass
        s.close()
    return {"connections": connections, "health_status": status, "health_ms": round(health_ms, 1), "closed_after_12_s": closed}


def hostile(url: str) -> dict:
    """What a stranger may ask without the token, eight or forty at a time, and connections held half-sent."""
    chart_pdf = f"{url}/analisis/unduh/grafik.pdf?indikator=izin_daring&periode=bulan_lalu"
    return {
        "half-sent connections": half_sent(url),
        "far series": _at_once(url, lambda c, i: c.get(f"{url}/api/v1/indicators/izin_lewat_sla/series?from=0001-01-01&to=2026-12-01")),
        "longest series": _at_once(url, lambda c, i: c.get(f"{url}/api/v1/indicators/izin_lewat_sla/series?from=2023-12-01&to=2026-11-30")),
        "longest series, 40 at once": _at_once(url, lambda c, i: c.get(f"{url}/api/v1/indicators/izin_lewat_sla/series?from=2023-12-0{1 + i % 9}&to=2026-11-30"), 40),
        "chart PDFs, 40 at once": _at_once(url, lambda c, i: c.get(f"{chart_pdf}&k={i}"), 40),
        "malformed update": _at_once(url, lambda c, i: c.post(f"{url}/_dash-update-component", json={"output": "x", "inputs": i})),
    }


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="pantau-bench-load-") as tmp:
        server = ServerProcess(Path(tmp), PANTAU_SIMULATOR__HISTORY_DAYS="800")
        try:
            server.start(timeout=120)
            server.wait_for_values(timeout=300)
            pid = server.proc.pid
            time.sleep(5)  # the first loads' recomputes settle
            after_loads = rss_mb(pid)
            url = server.url
            api = crowd(lambda c, i: c.get(f"{url}/api/v1/indicators"))
            after_api = rss_mb(pid)
            wall = crowd(lambda c, i: c.post(f"{url}/_dash-update-component", json=wall_body(PAGES[i % len(PAGES)])))
            after_wall = rss_mb(pid)
            attacks = hostile(url)
            after_hostile = rss_mb(pid)
        finally:
            server.stop()
    return {
        "clients": CLIENTS,
        "seconds_each": SECONDS,
        "api_indicators": api,
        "wall_refresh": wall,
        "hostile": attacks,
        "server_rss_mb": {"after_first_loads": round(after_loads, 1), "after_api": round(after_api, 1), "after_wall": round(after_wall, 1),
                          "after_hostile": round(after_hostile, 1)},
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
