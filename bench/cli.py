"""Command-line latency through a running server: `status`, `status --json`, `ingest perizinan`, wall clock."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from region.paths import PROJECT_ROOT
from support.serverproc import ServerProcess

COMMANDS = (("status",), ("status", "--json"), ("ingest", "perizinan"))
RUNS = 5


def wall_clock(server: ServerProcess, args: tuple[str, ...]) -> float:
    """Seconds from starting `app.py ARGS` to its exit, as an operator waits for it."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "app.py"), *args], env=server.env, capture_output=True, text=True, cwd=PROJECT_ROOT)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"app.py {' '.join(args)} failed: {done.stderr[-2000:]}")
    return elapsed


def server_answer(server: ServerProcess, args: tuple[str, ...]) -> float:
    """Seconds the server itself takes for the request the command sends: what no client can save."""
    with httpx.Client(timeout=600) as client:
        t0 = time.perf_counter()
        if args[0] == "ingest":
            token = (server.workdir / ".operator-token").read_text()
            client.post(f"{server.url}/api/v1/ingest", json={"sources": list(args[1:])}, headers={"Authorization": f"Bearer {token}"}).raise_for_status()
        else:
            client.get(f"{server.url}/api/v1/sources").raise_for_status()
        return time.perf_counter() - t0


def run() -> dict:
    """Median, fastest and slowest of RUNS wall-clock runs of each command against a server on the embedded default."""
    work = Path(tempfile.mkdtemp(prefix="pantau-bench-cli-"))
    server = ServerProcess(work, PANTAU_SIMULATOR__HISTORY_DAYS="800")
    figures: dict = {"runs": RUNS}
    try:
        server.start(timeout=120)
        server.wait_for_values(timeout=300)
        for args in COMMANDS:
            wall_clock(server, args)  # once unmeasured: the first run reads the interpreter's files from disk
            times = sorted(wall_clock(server, args) for _ in range(RUNS))
            answers = sorted(server_answer(server, args) for _ in range(RUNS))
            figures[" ".join(args)] = {
                "median_s": round(statistics.median(times), 3),
                "min_s": round(times[0], 3),
                "max_s": round(times[-1], 3),
                "server_answer_median_s": round(statistics.median(answers), 3),
            }
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return figures
