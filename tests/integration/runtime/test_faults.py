"""Faults a serving process must show, with `app.py serve` as a real process: health turns red with the reason, loads
stop cleanly before they start, the log says why once, and everything resumes when the fault clears."""

import shutil
import signal
import socket
import time

import httpx
import pytest

from tests.privileged import fill, small_disk

pytestmark = pytest.mark.integration


def health(server) -> httpx.Response:
    return httpx.get(f"{server.url}/api/health", timeout=10)


def wait_for_health(server, code: int, timeout: float = 60) -> tuple[httpx.Response, float]:
    """The first health answer with `code`, and how long it took."""
    started = time.monotonic()
    while True:
        answer = health(server)
        if answer.status_code == code or time.monotonic() - started > timeout:
            return answer, time.monotonic() - started
        time.sleep(0.2)


def load_now(server, token: str, source: str = "perizinan") -> dict:
    answer = httpx.post(f"{server.url}/api/v1/ingest", json={"sources": [source]}, headers={"Authorization": f"Bearer {token}"}, timeout=120)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"][0]


def scheduler_running(server, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while health(server).json().get("scheduler", {}).get("state") != "running":
        assert time.monotonic() < deadline, health(server).text
        time.sleep(0.3)


def test_deleting_the_data_folder_turns_health_red_within_seconds_and_stops_loads(tmp_path, server_factory):
    data = tmp_path / "data"
    server = server_factory(PANTAU_WAREHOUSE__PATH=str(data / "pantau.duckdb")).start()
    server.wait_for_values()
    token = (data / ".operator-token").read_text()
    assert health(server).status_code == 200

    shutil.rmtree(data)
    red, after_s = wait_for_health(server, 503, timeout=30)
    assert red.status_code == 503 and after_s < 10, (after_s, red.text)
    body = red.json()
    assert body["status"] == "unavailable" and body["warehouse"]["state"] == "missing"
    assert body["problems"][0].startswith("folder gudang data hilang")

    refused = load_now(server, token)
    assert refused["status"] == "failed" and refused["rows_read"] == 0
    assert refused["error"].startswith("pemuatan tidak dimulai karena gudang data bermasalah: folder gudang data hilang")
    assert httpx.get(f"{server.url}/api/v1/indicators", timeout=10).status_code == 200  # the last values stay on screen

    time.sleep(5)  # a few more checks and scheduled runs: the fault is still said once
    said = [line for line in server.stderr.splitlines() if "loads are refused until it clears" in line]
    assert len(said) == 1 and str(data / "pantau.duckdb") in said[0]
    assert server.stop(signal.SIGTERM) == 0


def test_free_space_under_the_minimum_turns_health_red_and_refuses_loads(tmp_path, server_factory):
    tmp_path.mkdir(exist_ok=True)
    above = shutil.disk_usage(tmp_path).free // 2**20 + 100_000
    server = server_factory(PANTAU_WAREHOUSE__MIN_FREE_MB=str(above)).start()
    red, _ = wait_for_health(server, 503, timeout=10)
    assert red.status_code == 503 and red.json()["warehouse"]["state"] == "disk_full"
    assert f"di bawah batas warehouse.min_free_mb ({above} MB)" in red.json()["problems"][0]
    scheduler_running(server)

    token = (server.workdir / ".operator-token").read_text()
    refused = load_now(server, token, "dukcapil")
    assert refused["status"] == "failed" and "ruang disk gudang data tinggal" in refused["error"]
    # The file still takes a small row, so the refusal is in the run log: the source shows why it is failing.
    sources = {r["source"]: r for r in httpx.get(f"{server.url}/api/v1/sources", timeout=10).json()["sources"]}
    assert sources["dukcapil"]["state"] == "failing" and sources["dukcapil"]["last_error"] == refused["error"]
    assert all(r["last_success_at"] is None for r in sources.values())  # no scheduled load started either


def test_a_full_disk_stops_loads_and_they_resume_when_space_is_freed(tmp_path, server_factory):
    with small_disk(tmp_path / "disk", 64) as disk:
        server = server_factory(PANTAU_WAREHOUSE__PATH=str(disk / "pantau.duckdb"), PANTAU_WAREHOUSE__MIN_FREE_MB="0").start()
        try:
            server.wait_for_values()
            token = (disk / ".operator-token").read_text()
            filler = fill(disk)
            red, after_s = wait_for_health(server, 503, timeout=30)  # found by the write probe, every 10 s
            assert red.status_code == 503 and red.json()["warehouse"]["state"] == "disk_full", red.text
            assert load_now(server, token)["error"].startswith("pemuatan tidak dimulai karena gudang data bermasalah: disk gudang data penuh")

            filler.unlink()
            green, _ = wait_for_health(server, 200, timeout=15)
            assert green.status_code == 200 and green.json()["warehouse"]["state"] == "ok"
            assert load_now(server, token)["status"] == "ok"
            assert "fault cleared" in server.stderr
        finally:
            server.stop()


def test_a_scheduler_that_cannot_start_turns_health_red_with_the_reason(server_factory):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        server = server_factory(PANTAU_SIMULATOR__PORT=str(taken.getsockname()[1])).start()
        red, _ = wait_for_health(server, 503, timeout=60)
        body = red.json()
        assert red.status_code == 503 and body["scheduler"]["state"] == "failed", red.text
        assert body["problems"][0].startswith("penjadwal pemuatan gagal dimulai, tidak ada sumber yang dimuat sesuai jadwal")
        assert "Address already in use" in body["scheduler"]["error"]
    finally:
        taken.close()


def test_health_is_green_while_starting_and_running(server_factory):
    server = server_factory().start()
    first = health(server)
    assert first.status_code == 200 and first.json()["scheduler"]["state"] in ("starting", "running")
    scheduler_running(server)
    body = health(server).json()
    assert body["status"] == "ok" and body["problems"] == [] and body["scheduler"]["unscheduled"] == []
    assert body["warehouse"] == {"state": "ok", "reason": None, "since": None}


@pytest.mark.parametrize("schedule", ["every day", "5", "61 * * * *", "0s", "-5m"])
def test_a_bad_schedule_stops_the_start_naming_the_key(tmp_path, server_factory, schedule):
    config = tmp_path / "pantau.toml"
    config.write_text(f"[sources.perizinan]\nschedule = {schedule!r}\n")
    result = server_factory().run_cli("serve", "--config", str(config))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"config file {config}: key sources.perizinan.schedule: '{schedule}'" in result.stderr
    assert "write an interval of at least 10s" in result.stderr
