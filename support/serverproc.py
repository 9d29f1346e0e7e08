"""`app.py serve` as a child process on a free port, for the test tiers and the benchmark."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from region.paths import PROJECT_ROOT


class ServerProcess:
    """`app.py serve` in its own process on a free port, with its own warehouse and simulator folder."""

    READY = re.compile(r"Pantau berjalan: (http://127\.0\.0\.1:\d+)/wall")

    def __init__(self, workdir: Path, **settings: str) -> None:
        self.workdir = workdir
        self.env = {
            **os.environ,
            "PANTAU_WAREHOUSE__PATH": str(workdir / "pantau.duckdb"),
            "PANTAU_SIMULATOR__DATA_DIR": str(workdir / "sim"),
            # The shortest history that gives every indicator a value: complaints closed within 60 days of their
            # verification are judged over the 30 days their deadline fell in.
            "PANTAU_SIMULATOR__HISTORY_DAYS": "95",
            **settings,
        }
        self.env.pop("PANTAU_OPERATOR_TOKEN", None)
        self.proc: subprocess.Popen | None = None
        self.started = 0.0
        self.ready_after_s = 0.0
        self.url = ""
        self.stdout: list[str] = []
        self.stderr_path = workdir / "serve.stderr"

    def run_cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Another `app.py` process beside the server, with the same configuration."""
        return subprocess.run([sys.executable, str(PROJECT_ROOT / "app.py"), *args], env=self.env, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT)

    def start(self, timeout: float = 60, port: int = 0) -> ServerProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.stdout = []
        self.started = time.monotonic()
        with open(self.stderr_path, "a") as stderr:
            self.proc = subprocess.Popen(
                [sys.executable, str(PROJECT_ROOT / "app.py"), "serve", "--port", str(port)],
                env=self.env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True,
            )
        ready = threading.Event()

        def read() -> None:
            for line in self.proc.stdout:
                self.stdout.append(line)
                match = self.READY.search(line)
                if match:
                    self.url = match.group(1)
                    self.ready_after_s = time.monotonic() - self.started
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(timeout):
            self.stop()
            raise RuntimeError(f"server did not start: {self.stderr_path.read_text()[-2000:]}")
        return self

    def wait_for_values(self, timeout: float = 120) -> list[dict]:
        """Poll the API until every indicator has a value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            indicators = httpx.get(f"{self.url}/api/v1/indicators", timeout=10).json()["indicators"]
            if indicators and all(i["value"] is not None for i in indicators):
                return indicators
            time.sleep(0.5)
        raise TimeoutError(f"indicators still without values after {timeout} s")

    def stop(self, sig: int = signal.SIGINT, timeout: float = 60) -> int:
        """Stop as Ctrl-C does; returns the exit code."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        code = self.proc.returncode
        self.proc.stdout.close()
        self.proc = None
        return code

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text() if self.stderr_path.exists() else ""
