"""A real Spark standalone cluster on loopback for the province bench: one master and two workers, each a JVM
started from pyspark's own `spark-class`, told to stop when the bench is done."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MASTER_PORT, MASTER_UI = 8277, 8281
WORKERS = ((8282, 8284), (8283, 8285))  # (port, web UI port) of each worker


def _spark_class() -> str:
    import pyspark

    return str(Path(pyspark.__file__).parent / "bin" / "spark-class")


def _alive_workers() -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{MASTER_UI}/json/", timeout=5) as response:
            return sum(w["state"] == "ALIVE" for w in json.load(response)["workers"])
    except OSError:
        return 0


@contextmanager
def standalone(work: Path, cores: int = 1, memory: str = "1g", ready_within_s: float = 180) -> Iterator[str]:
    """The master's URL (spark://127.0.0.1:8277) once both workers have registered with it."""
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_WORKER_DIR": str(work / "workers"), "SPARK_LOG_DIR": str(work)}
    spark_class = _spark_class()
    started: list[subprocess.Popen] = []
    url = f"spark://127.0.0.1:{MASTER_PORT}"
    try:
        log = open(work / "master.log", "wb")  # noqa: SIM115 - closed with the process below
        started.append(subprocess.Popen([spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                                         "--port", str(MASTER_PORT), "--webui-port", str(MASTER_UI)], env=env, stdout=log, stderr=log))
        for n, (port, ui) in enumerate(WORKERS):
            wlog = open(work / f"worker-{n}.log", "wb")  # noqa: SIM115
            started.append(subprocess.Popen([spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
                                             "--port", str(port), "--webui-port", str(ui), "--cores", str(cores), "--memory", memory],
                                            env=env, stdout=wlog, stderr=wlog))
        deadline = time.monotonic() + ready_within_s
        while _alive_workers() < len(WORKERS):
            if time.monotonic() > deadline or any(p.poll() is not None for p in started):
                raise RuntimeError(f"Spark standalone cluster not ready within {ready_within_s:.0f} s; see {work}/*.log")
            time.sleep(0.5)  # polling the master's state, not waiting on a guess
        yield url
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
