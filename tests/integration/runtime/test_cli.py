"""The command line against a real serving process: second processes go through it; stop and restart are clean."""

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

import duckdb
import httpx
import pytest

from config import load_config
from region.paths import PROJECT_ROOT

pytestmark = pytest.mark.integration


def test_serve_ingest_status_stop_and_restart(server_factory):
    server = server_factory().start()
    assert server.url.startswith("http://127.0.0.1:")
    indicators = server.wait_for_values()
    from metrics.catalogue import INDICATORS

    assert [i["id"] for i in indicators] == [i.id for i in INDICATORS]

    # A second process while serving: `ingest` and `status` go through the server instead of the locked file.
    ingest = server.run_cli("ingest", "perizinan")
    assert ingest.returncode == 0, ingest.stderr
    assert ingest.stdout.startswith("perizinan    ok")
    status = server.run_cli("status", "--json")
    assert status.returncode == 0, status.stderr
    rows = {r["source"]: r for r in json.loads(status.stdout)}
    assert set(rows) == set(load_config(env={}).sources)
    assert all(r["state"] == "fresh" and r["next_run_at"] for r in rows.values()), {n: r["state"] for n, r in rows.items()}

    # Ctrl-C: clean stop, no traceback, the warehouse closed and usable by the next process.
    assert server.stop(signal.SIGINT) == 0
    assert "Pantau berhenti." in "".join(server.stdout)
    assert "Traceback" not in server.stderr
    warehouse = server.workdir / "pantau.duckdb"
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()  # once, so both counts cut at the same day
    with duckdb.connect(str(warehouse), read_only=True) as db:
        rows_before = {t: db.execute(f"SELECT count(*), count(DISTINCT {k}) FROM {t}").fetchone() for t, k in
                       (("perizinan_permohonan", "id"), ("dukcapil_kelahiran", "id"), ("absensi_harian", "nip || tanggal"))}
        past_before = db.execute("SELECT count(*) FROM absensi_harian WHERE tanggal < ?", [today]).fetchone()[0]
    assert all(total == distinct > 0 for total, distinct in rows_before.values())
    with duckdb.connect(str(warehouse), read_only=True) as db:
        sources_loaded = {r[0] for r in db.execute("SELECT DISTINCT source FROM loads WHERE status = 'ok'").fetchall()}
        unbalanced = db.execute(
            "SELECT count(*) FROM loads WHERE status = 'ok' AND rows_read <> inserted + updated + unchanged + superseded + rejected + skipped"
        ).fetchone()[0]
    assert sources_loaded == set(load_config(env={}).sources)  # every source loads in the embedded default
    assert unbalanced == 0  # and every load's reconciliation adds up

    # Started again: values at once from the stored indicators, and no duplicate rows from reloading.
    server.start()
    assert all(i["value"] is not None for i in httpx.get(f"{server.url}/api/v1/indicators").json()["indicators"])
    server.run_cli("ingest")
    assert server.stop(signal.SIGTERM) == 0
    with duckdb.connect(str(warehouse), read_only=True) as db:
        loads = db.execute("SELECT count(*) FROM loads WHERE status = 'failed'").fetchone()[0]
        absensi = db.execute("SELECT count(*), count(DISTINCT nip || tanggal) FROM absensi_harian").fetchone()
        # Today's check-ins keep arriving while the test runs (the machines export what happened so far),
        # so only the days already over must match exactly.
        past_now = db.execute("SELECT count(*) FROM absensi_harian WHERE tanggal < ?", [today]).fetchone()[0]
    assert loads == 0
    assert absensi[0] == absensi[1] >= rows_before["absensi_harian"][0]  # reloading adds no duplicates
    assert past_now == past_before


def test_control_action_needs_the_operator_token(server_factory):
    server = server_factory().start()
    response = httpx.post(f"{server.url}/api/v1/ingest", json={"sources": ["perizinan"]})
    assert response.status_code == 401
    token = (server.workdir / ".operator-token").read_text()
    response = httpx.post(f"{server.url}/api/v1/ingest", json={"sources": ["nope"]}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and "nope" in response.json()["error"]
    assert httpx.get(f"{server.url}/api/health").status_code == 200


def test_ingest_without_a_server_opens_the_warehouse_itself(server_factory):
    server = server_factory()  # configured, never started
    result = server.run_cli("ingest", "dukcapil")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("dukcapil     ok")
    status = server.run_cli("status")
    assert "dukcapil    sql   fresh" in status.stdout


def test_busy_warehouse_without_server_says_what_to_do(server_factory):
    server = server_factory().start()
    (server.workdir / "server.json").unlink()  # as if the server's address were unknown
    result = server.run_cli("status")
    assert result.returncode == 1
    assert "is in use by process" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "key"),
    [("[server]\nport = 'x'\n", "server.port"), ("[wall]\nmap_indicator = 'x'\n", "wall.map_indicator"), ("[indicators.x]\ntarget = 1\n", "indicators.x")],
)
def test_bad_config_stops_start_up_with_file_and_key(tmp_path, server_factory, text, key):
    bad = tmp_path / "pantau.toml"
    bad.write_text(text)
    result = server_factory().run_cli("serve", "--config", str(bad))
    assert result.returncode == 1
    assert f"config file {bad}: key {key}" in result.stderr and "Traceback" not in result.stderr


def test_a_failing_source_does_not_stop_the_others(server_factory, tmp_path):
    server = server_factory(PANTAU_SOURCES__PERIZINAN__URL="http://127.0.0.1:9/down", PANTAU_SOURCES__PERIZINAN__TIMEOUT="1s").start()
    for _ in range(240):
        readings = {i["id"]: i for i in httpx.get(f"{server.url}/api/v1/indicators").json()["indicators"]}
        if readings["lahir_tercatat_60h"]["value"] is not None and readings["absensi_tepat_waktu"]["value"] is not None and readings["izin_tepat_waktu"]["freshness"] == "failing":
            break
        time.sleep(0.5)
    assert readings["izin_tepat_waktu"]["freshness"] == "failing"
    assert readings["izin_tepat_waktu"]["sources"][0]["last_error"]
    assert readings["lahir_tercatat_60h"]["value"] is not None
    health = httpx.get(f"{server.url}/api/health").json()
    assert health["status"] == "ok" and health["sources"]["perizinan"]["state"] == "failing"


def test_simulate_serves_the_systems_on_their_own(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "app.py"), "simulate", "--port", "0", "--data-dir", str(tmp_path / "sim")],
        cwd=PROJECT_ROOT, env={**os.environ, "PANTAU_SIMULATOR__HISTORY_DAYS": "30"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl-C" in line:
                break
        printed = "".join(lines)
        url = re.search(r'url = "(http://127\.0\.0\.1:\d+/perizinan/api/v1)"', printed).group(1)
        page = httpx.get(f"{url}/permohonan", params={"per_page": 5}).json()
        assert len(page["data"]) == 5 and page["meta"]["total"] > 100
        assert f'database_url = "sqlite:///{tmp_path}/sim/dukcapil.sqlite"' in printed
        assert any((tmp_path / "sim" / "absensi" / "inbox").glob("absensi_*.csv"))
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Simulator berhenti." in out and "Traceback" not in err


def test_pause_resume_and_backfill_through_the_server(server_factory):
    server = server_factory(PANTAU_SOURCES__PERIZINAN__SCHEDULE="10s").start()  # the shortest schedule
    server.wait_for_values()
    assert httpx.post(f"{server.url}/api/v1/sources/pause", json={"sources": ["perizinan"]}).status_code == 401

    def perizinan() -> dict:
        return next(r for r in json.loads(server.run_cli("status", "--json").stdout) if r["source"] == "perizinan")

    paused = server.run_cli("pause", "perizinan")
    assert paused.returncode == 0 and "perizinan: dijeda" in paused.stdout
    time.sleep(1.5)  # a run already under way when the pause came may still finish
    held = perizinan()
    assert held["paused"] is True and held["next_run_at"] is None
    time.sleep(11)
    assert perizinan()["last_run_at"] == held["last_run_at"]  # no scheduled load while paused, for more than one interval
    assert "dijeda" in server.run_cli("status").stdout

    # A restart keeps the pause; resume lets the schedule run again.
    server.stop()
    server.start()
    assert perizinan()["paused"] is True
    assert server.run_cli("resume", "perizinan").returncode == 0
    for _ in range(30):  # the next run comes within one interval
        resumed = perizinan()
        if resumed["last_run_at"] != held["last_run_at"]:
            break
        time.sleep(1)
    assert resumed["paused"] is False and resumed["next_run_at"] and resumed["last_run_at"] != held["last_run_at"]

    since = (dt.date.today() - dt.timedelta(days=5)).isoformat()
    backfill = server.run_cli("ingest", "perizinan", "--since", since)
    assert backfill.returncode == 0, backfill.stderr
    assert re.match(r"perizinan\s+ok\s+dibaca\s+(\d+)", backfill.stdout) and int(re.search(r"sama\s+(\d+)", backfill.stdout).group(1)) > 20


def test_spbe_import_is_all_or_nothing_here_and_through_the_server(server_factory, tmp_path):
    good = tmp_path / "penilaian-2026.csv"
    good.write_text("indikator,level,tahun\n" + "".join(f"{n},{5 if n <= 10 else 4},2026\n" for n in range(1, 48)))
    bad = tmp_path / "salah.csv"
    bad.write_text("indikator,level,tahun\n" + "".join(f"{n},{9 if n == 5 else 4},2026\n" for n in range(1, 47)))

    server = server_factory()  # not started: the command opens the warehouse itself
    result = server.run_cli("spbe", "import", str(good))
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout)
    assert (imported["year"], imported["rows"], imported["framework"]) == (2026, 47, "permenpanrb-59-2020")

    server.start()
    before = spbe_reading(server, round(imported["index"], 2))
    refused = server.run_cli("spbe", "import", str(bad))
    assert refused.returncode == 1 and "salah.csv: baris 6 kolom level: '9' bukan tingkat bulat 1-5" in refused.stderr
    assert "salah.csv: indikator tanpa nilai: 47" in refused.stderr
    assert spbe_reading(server, before["value"])["value"] == before["value"]  # nothing lost

    lower = tmp_path / "penilaian-2026b.csv"
    lower.write_text("indikator,level\n" + "".join(f"{n},2\n" for n in range(1, 48)))
    assert server.run_cli("spbe", "import", str(lower)).returncode == 1  # no year in the file nor on the line
    through = server.run_cli("spbe", "import", str(lower), "--year", "2026")
    assert through.returncode == 0, through.stderr
    assert spbe_reading(server, 2.0)["value"] == 2.0
    denied = httpx.post(f"{server.url}/api/v1/spbe/import", json={"framework": "permenpanrb-59-2020", "year": 2026, "levels": {}})
    assert denied.status_code == 401


def spbe_reading(server, expected, timeout=60):
    """The spbe_indeks reading once it shows `expected` (the server loads the simulated SPBE files as it starts)."""
    deadline = time.monotonic() + timeout
    while True:
        reading = httpx.get(f"{server.url}/api/v1/indicators/spbe_indeks", timeout=10).json()
        if reading["value"] == expected or time.monotonic() > deadline:
            return reading
        time.sleep(0.5)


def perizinan_row(server) -> dict:
    status = server.run_cli("status", "--json")
    assert status.returncode == 0, status.stderr
    return next(r for r in json.loads(status.stdout) if r["source"] == "perizinan")


def status_line(server, source: str) -> str:
    status = server.run_cli("status")
    assert status.returncode == 0, status.stderr
    return next(line for line in status.stdout.splitlines() if line.startswith(f"{source} "))


def test_a_runs_error_goes_when_a_later_run_succeeds(server_factory):
    down = {"PANTAU_SOURCES__PERIZINAN__URL": "http://127.0.0.1:9/down", "PANTAU_SOURCES__PERIZINAN__RETRIES": "1"}
    server = server_factory(**down).start()
    for _ in range(120):  # the first scheduled run comes as the server starts
        failed = perizinan_row(server)
        if failed["last_status"] == "failed":
            break
        time.sleep(0.5)
    assert failed["state"] == "failing" and "gagal setelah 1 percobaan" in failed["last_error"]
    assert "gagal setelah 1 percobaan" in status_line(server, "perizinan")
    server.stop()

    for name in down:  # the same warehouse, now pointed at the simulated system again
        server.env.pop(name)
    server.start().wait_for_values()  # the simulated systems are up, and the scheduled run at start has succeeded
    ingest = server.run_cli("ingest", "perizinan")
    assert ingest.returncode == 0, ingest.stderr
    assert ingest.stdout.startswith("perizinan    ok") and "galat" not in ingest.stdout
    ok = perizinan_row(server)
    assert (ok["last_status"], ok["state"], ok["last_error"]) == ("ok", "fresh", None)
    assert ok["last_load_id"] != failed["last_load_id"] and ok["last_notes"] is None
    columns = status_line(server, "perizinan").split()
    # source, kind, state, last run (3), status, read, rejected, skipped, next run (3), and no error or note after them
    assert (columns[2], columns[6], len(columns)) == ("fresh", "ok", 13), columns
    health = httpx.get(f"{server.url}/api/health", timeout=10).json()["sources"]["perizinan"]
    assert (health["last_status"], health["last_error"]) == ("ok", None)


def test_a_missing_token_names_its_environment_variable(server_factory):
    server = server_factory(
        PANTAU_SOURCES__PERIZINAN__URL="http://127.0.0.1:9/perizinan",
        PANTAU_SOURCES__PERIZINAN__AUTH="bearer",
        PANTAU_SOURCES__PERIZINAN__TOKEN_ENV="PERIZINAN_TOKEN",
    )
    server.env.pop("PERIZINAN_TOKEN", None)
    server.start()
    assert perizinan_row(server)["missing_env"] == "PERIZINAN_TOKEN"
    assert "token tidak ada: variabel lingkungan PERIZINAN_TOKEN belum disetel" in status_line(server, "perizinan")
    health = httpx.get(f"{server.url}/api/health", timeout=10).json()
    assert health["sources"]["perizinan"]["missing_env"] == "PERIZINAN_TOKEN"
    assert health["sources"]["damkar"]["missing_env"] is None  # auth none: it needs no token

    ingest = server.run_cli("ingest", "perizinan")
    assert ingest.returncode == 1
    assert "tetapi token tidak ada: variabel lingkungan PERIZINAN_TOKEN belum disetel" in ingest.stdout
    row = perizinan_row(server)
    assert row["last_status"] == "failed" and "PERIZINAN_TOKEN" in row["last_error"]
    assert status_line(server, "perizinan").count("PERIZINAN_TOKEN") == 1  # the run's error says the same: once


def test_commands_through_the_server_import_neither_warehouse_nor_dashboard(server_factory):
    server = server_factory().start()
    heavy = {"duckdb", "pandas", "ibis", "dash", "plotly", "sqlalchemy", "pyarrow", "metrics", "dashboard", "warehouse", "ingest"}
    printed = []
    for args in (("status", "--json"), ("pause", "perizinan"), ("status",), ("resume", "perizinan")):
        done = subprocess.run([sys.executable, "-X", "importtime", str(PROJECT_ROOT / "app.py"), *args], env=server.env,
                              capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT)
        assert done.returncode == 0, done.stderr
        imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if line.startswith("import time:")}
        assert imported & heavy == set(), args
        printed.append(done.stdout)
    assert "perizinan: dijeda" in printed[1] and "dijeda" in printed[2]  # they were answered by the server
