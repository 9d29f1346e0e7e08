"""Health of an in-process Pantau: the scheduler's state as it starts, runs and stops."""

import pytest

from runtime.configuration import load_checked
from runtime.context import Pantau
from runtime.health import health

pytestmark = pytest.mark.integration


def test_a_scheduler_that_stops_turns_health_red(tmp_path):
    env = {"PANTAU_WAREHOUSE__PATH": str(tmp_path / "pantau.duckdb"), "PANTAU_SIMULATOR__DATA_DIR": str(tmp_path / "sim")}
    pantau = Pantau(load_checked(None, env=env))
    try:
        for name in pantau.sources:  # nothing loads: the scheduler alone is under test
            pantau.set_paused(name, True)
        assert health(pantau)["scheduler"]["state"] == "starting" and health(pantau)["status"] == "ok"
        pantau.start_scheduler()
        running = health(pantau)
        assert running["status"] == "ok" and running["scheduler"] == {"state": "running", "error": None, "unscheduled": []}
        pantau.scheduler.shutdown()
        stopped = health(pantau)
        assert stopped["status"] == "unavailable" and stopped["scheduler"]["state"] == "stopped"
        assert stopped["problems"] == ["penjadwal pemuatan berhenti: tidak ada sumber yang dimuat sesuai jadwal"]
    finally:
        pantau.close()
