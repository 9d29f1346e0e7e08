"""The embedded default's simulated OPD systems in their own process: reachable by every connector kind, and gone
when the server stops them or dies."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from region.paths import PROJECT_ROOT
from runtime.simulated import SimulatorProcess
from simulator import SOURCES

pytestmark = pytest.mark.integration


def test_the_simulator_process_serves_every_kind_and_stops(tmp_path):
    sim = SimulatorProcess(tmp_path / "sim", seed=2019, history_days=30, port=0, sync_every_s=3600)
    sim.start()
    try:
        assert set(SOURCES) == set(sim._connections)
        rest = sim.connection("perizinan")
        with httpx.Client() as client:
            assert client.get(f"{rest['url']}/permohonan", params={"per_page": 1}, headers={"Authorization": f"Bearer {rest['token']}"}).status_code == 200
        assert sim.connection("dukcapil")["database_url"].startswith("sqlite:///") and (tmp_path / "sim" / "dukcapil.sqlite").exists()
        assert sim.connection("absensi")["folder"].is_dir()
        with pytest.raises(ValueError, match="unknown simulated source"):
            sim.connection("tidak_ada")
        proc = sim._proc
    finally:
        sim.stop()
    assert proc.poll() is not None
    sim.stop()  # twice is fine


def test_the_simulator_process_ends_when_its_parent_is_killed(tmp_path):
    # A parent killed without a chance to clean up: the child sees its stdin close and stops by itself.
    script = ("import sys, time; from runtime.simulated import SimulatorProcess; "
              f"s = SimulatorProcess({str(tmp_path / 'sim')!r}, 2019, 30, 0, 3600); s.start(); print(s._proc.pid, flush=True); time.sleep(600)")
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        if Path(f"/proc/{child}/stat").read_text().split()[2] == "Z":  # exited, waiting to be reaped by init
            break
        time.sleep(0.2)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the simulator outlived its parent")
