"""The embedded default's simulated OPD systems, run as a child process (simulator/child.py) beside the server."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from region.paths import PROJECT_ROOT

START_TIMEOUT_S = 600  # building years of history takes a while on a slow box


class SimulatorProcess:
    """Start, reach and stop the simulated OPD systems in their own process.

    Args: as simulator.SimulatedOPDs (data_dir, seed, history_days, port, sync_every_s, absensi_export).
    """

    def __init__(self, data_dir: Path, seed: int, history_days: int, port: int, sync_every_s: float, absensi_export: str = "harian") -> None:
        self._settings = {
            "data_dir": str(data_dir), "seed": seed, "history_days": history_days, "port": port, "sync_every_s": sync_every_s, "absensi_export": absensi_export,
        }
        self._proc: subprocess.Popen | None = None
        self._connections: dict[str, dict] = {}

    def start(self) -> None:
        """Start the process and wait until its systems answer.

        Raises:
            RuntimeError: the process ended or said nothing within START_TIMEOUT_S.
        """
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "simulator.child", json.dumps(self._settings)],
            cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(self._proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT_S)
        if not first or not first[0].strip():
            self.stop()
            raise RuntimeError("sistem OPD simulasi tidak mulai (lihat log proses simulator di atas)")
        said = json.loads(first[0])
        if "error" in said:
            self.stop()
            raise RuntimeError(f"sistem OPD simulasi tidak mulai: {said['error']}")
        self._connections = said

    def connection(self, source: str) -> dict:
        """What a connector needs to read `source`, as SimulatedOPDs.connection gives it.

        Raises:
            ValueError: for a source the simulator does not have.
        """
        if source not in self._connections:
            raise ValueError(f"unknown simulated source {source!r}; known: {', '.join(self._connections)}")
        found = dict(self._connections[source])
        if "folder" in found:
            found["folder"] = Path(found["folder"])
        return found

    def stop(self) -> None:
        """Close its stdin (it stops itself), then wait; safe to call twice."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        finally:
            proc.stdout.close()
