"""The simulated OPD systems running for real: HTTP on loopback, a SQLite file, CSV files in an inbox."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from conftest import Clock
from region.calendar import WorkingCalendar
from simulator import SimulatedOPDs
from simulator.absensi import HEADER
from simulator.absensi_mesin import PUNCH_HEADER
from simulator.perizinan import Perizinan
from simulator.registry import names
from tests.simulated import HISTORY, NOW, file_snapshot, row_counts, sql_digest

pytestmark = pytest.mark.integration

CAL = WorkingCalendar()


@pytest.fixture
def sims(tmp_path: Path) -> Iterator[SimulatedOPDs]:
    """A simulator of its own, for tests that move time or restart."""
    s = SimulatedOPDs(tmp_path / "sim", history_days=HISTORY, now=Clock(NOW), sync_every_s=3600)
    s.start()
    yield s
    s.stop()


def _get(sims: SimulatedOPDs, path: str, **params: object) -> httpx.Response:
    return httpx.get(f"{sims.perizinan_url}{path}", params=params, timeout=10)


def _all_pages(sims: SimulatedOPDs, per_page: int, **params: object) -> tuple[list[dict], int]:
    records, page = [], 1
    while True:
        body = _get(sims, "/permohonan", page=page, per_page=per_page, **params).json()
        records += body["data"]
        if page >= body["meta"]["total_pages"]:
            return records, body["meta"]["total"]
        page += 1


# --- perizinan over HTTP -------------------------------------------------------------------------------------


def test_health_and_unknown_path(running: SimulatedOPDs):
    assert running.perizinan_url.startswith("http://127.0.0.1:")
    assert _get(running, "/health").json() == {"status": "ok"}
    missing = _get(running, "/nothing")
    assert missing.status_code == 404 and "message" in missing.json()


def test_pages_cover_every_record_exactly_once_in_cursor_order(running: SimulatedOPDs):
    records, total = _all_pages(running, per_page=250)
    ids = [r["id"] for r in records]
    assert total == len(records) > 1000 and len(set(ids)) == len(ids)
    keys = [(dt.datetime.fromisoformat(r["diperbarui_pada"]), r["id"]) for r in records]
    assert keys == sorted(keys)
    # The same seed and now in another process give the same records.
    assert records == Perizinan(2019, history_start=running.history_start).records(NOW)
    default = _get(running, "/permohonan").json()
    assert default["meta"] == {"page": 1, "per_page": 500, "total": total, "total_pages": -(-total // 500)}
    assert default["data"] == records[:500]
    beyond = _get(running, "/permohonan", page=total // 250 + 2, per_page=250).json()
    assert beyond["data"] == [] and beyond["meta"]["total"] == total


def test_updated_since_filters_inclusively_on_instants(running: SimulatedOPDs):
    records, _ = _all_pages(running, per_page=1000)
    since_text = records[len(records) // 2]["diperbarui_pada"]
    since = dt.datetime.fromisoformat(since_text)
    expected = [r for r in records if dt.datetime.fromisoformat(r["diperbarui_pada"]) >= since]
    got, total = _all_pages(running, per_page=100, updated_since=since_text)
    assert got == expected and total == len(expected)
    assert got[0]["diperbarui_pada"] == since_text  # inclusive
    as_utc = since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _all_pages(running, per_page=100, updated_since=as_utc)[0] == expected
    later = _get(running, "/permohonan", updated_since="2030-01-01T00:00:00+07:00").json()
    assert later["data"] == [] and later["meta"]["total"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "per_page=0",
        "per_page=1001",
        "per_page=2.5",
        "updated_since=kemarin",
        "updated_since=2026-11-27T08:00:00+07:00",  # '+' not encoded: arrives as a space
        "page=1&page=2",
    ],
)
def test_bad_parameters_get_400_with_a_json_message(running: SimulatedOPDs, query: str):
    response = httpx.get(f"{running.perizinan_url}/permohonan?{query}", timeout=10)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request" and response.json()["message"]


# --- faults --------------------------------------------------------------------------------------------------


def test_fault_refuse_answers_503_quickly(faulty: SimulatedOPDs):
    faulty.faults.perizinan = "refuse"
    started = time.perf_counter()
    response = _get(faulty, "/permohonan")
    assert response.status_code == 503 and time.perf_counter() - started < 1
    assert _get(faulty, "/health").status_code == 503


def test_fault_error_answers_500(faulty: SimulatedOPDs):
    faulty.faults.perizinan = "error"
    assert _get(faulty, "/permohonan").status_code == 500


def test_fault_garbage_answers_200_with_a_body_that_is_not_json(faulty: SimulatedOPDs):
    faulty.faults.perizinan = "garbage"
    response = _get(faulty, "/permohonan")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_fault_hang_blocks_only_the_hanging_request(faulty: SimulatedOPDs):
    faulty.faults.perizinan = "hang"
    outcome: list[BaseException] = []

    def hanging_client() -> None:
        try:
            httpx.get(f"{faulty.perizinan_url}/permohonan", timeout=1.5)
        except httpx.TimeoutException as e:
            outcome.append(e)

    thread = threading.Thread(target=hanging_client)
    thread.start()
    time.sleep(0.3)  # the request is now sleeping in the server
    faulty.faults.perizinan = None
    started = time.perf_counter()
    assert _get(faulty, "/health").json() == {"status": "ok"}
    assert time.perf_counter() - started < 1
    thread.join()
    assert len(outcome) == 1


def test_unknown_fault_mode_is_refused(running: SimulatedOPDs):
    with pytest.raises(ValueError, match="unknown fault mode"):
        running.faults.perizinan = "explode"


def test_stop_is_quick_even_with_a_request_hanging(tmp_path: Path):
    sims = SimulatedOPDs(tmp_path, history_days=5, now=lambda: NOW)
    sims.start()
    sims.faults.perizinan = "hang"

    def hanging_client() -> None:
        try:
            httpx.get(f"{sims.perizinan_url}/health", timeout=5)
        except httpx.HTTPError:
            pass  # the server went away under it, as intended

    thread = threading.Thread(target=hanging_client)
    thread.start()
    time.sleep(0.3)
    started = time.perf_counter()
    sims.stop()
    sims.stop()  # idempotent
    assert time.perf_counter() - started < 3
    thread.join()
    with pytest.raises(RuntimeError):
        _ = sims.perizinan_url


def test_records_appear_over_http_as_the_clock_moves(tmp_path: Path):
    clock = Clock(NOW)
    with SimulatedOPDs(tmp_path, history_days=5, now=clock, sync_every_s=3600) as sims:
        before = _get(sims, "/permohonan").json()["meta"]["total"]
        clock.now = NOW + dt.timedelta(hours=4)
        assert _get(sims, "/permohonan").json()["meta"]["total"] > before


# --- dukcapil in SQLite --------------------------------------------------------------------------------------


def test_dukcapil_sync_is_idempotent_and_moves_forward(sims: SimulatedOPDs):
    assert sims.dukcapil_url == f"sqlite:///{(sims.data_dir / 'dukcapil.sqlite').resolve()}"
    first = sql_digest(sims.dukcapil_url)
    assert first["kelahiran"][0] > 15 * HISTORY and first["kematian"][0] > 5 * HISTORY
    sims.sync()
    sims.sync(NOW)
    assert sql_digest(sims.dukcapil_url) == first

    engine = sa.create_engine(sims.dukcapil_url)
    try:
        with engine.connect() as con:
            pending = con.execute(
                sa.text("SELECT id, diperbarui_pada FROM kelahiran WHERE tanggal_terbit_akta IS NULL")
            ).all()
            assert pending
            indexes = con.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars().all()
            assert {"ix_kelahiran_diperbarui_pada", "ix_kematian_diperbarui_pada"} <= set(indexes)
        sims.sync(NOW + dt.timedelta(days=7))
        with engine.connect() as con:
            after = dict(con.execute(sa.text("SELECT id, diperbarui_pada FROM kelahiran")).all())
            issued = sa.text(
                "SELECT count(*) FROM kelahiran WHERE tanggal_terbit_akta IS NOT NULL AND id IN :ids"
            ).bindparams(sa.bindparam("ids", expanding=True))
            filled = con.execute(issued, {"ids": [row.id for row in pending]}).scalar_one()
    finally:
        engine.dispose()
    assert len(after) > first["kelahiran"][0]
    assert filled == len(pending)  # certificates issued since, with a newer diperbarui_pada
    assert all(after[row.id] > row.diperbarui_pada for row in pending)
    moved = sql_digest(sims.dukcapil_url)
    sims.sync(NOW)  # an earlier clock never undoes anything
    assert sql_digest(sims.dukcapil_url) == moved


def test_background_thread_keeps_syncing(tmp_path: Path):
    clock = Clock(NOW)
    with SimulatedOPDs(tmp_path, history_days=5, now=clock, sync_every_s=0.1) as sims:
        before = sql_digest(sims.dukcapil_url)["kelahiran"][0]
        clock.now = NOW + dt.timedelta(days=3)
        deadline = time.monotonic() + 10
        while sql_digest(sims.dukcapil_url)["kelahiran"][0] == before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sql_digest(sims.dukcapil_url)["kelahiran"][0] > before


# --- absensi CSV drops ---------------------------------------------------------------------------------------


def _working_days(first: dt.date) -> list[dt.date]:
    days = [first + dt.timedelta(days=n) for n in range((NOW.date() - first).days + 1)]
    return [d for d in days if CAL.is_working_day(d)]


def test_absensi_summary_files_for_every_working_day_and_no_other(sims: SimulatedOPDs):
    inbox = sims.absensi_inbox
    assert inbox == sims.data_dir / "absensi" / "inbox"
    expected = [f"absensi_{day:%Y%m%d}.csv" for day in _working_days(sims.history_start)]
    assert sorted(p.name for p in inbox.iterdir()) == expected  # and no temporary files left behind
    text = (inbox / expected[-2]).read_text(encoding="utf-8")
    assert text.splitlines()[0] == HEADER
    assert not (sims.data_dir / "absensi" / "export_state.json").is_relative_to(inbox)


def test_absensi_punch_files_for_every_working_day_a_staff_list_and_monthly_leave(tmp_path: Path):
    sims = SimulatedOPDs(tmp_path, history_days=HISTORY, now=lambda: NOW, absensi_export="presensi")
    sims.sync()
    inbox = sims.absensi_inbox
    days = _working_days(sims.history_start)
    months = sorted({f"izin_{day:%Y%m}.csv" for day in days})
    expected = sorted(["pegawai.csv", *months, *(f"presensi_{day:%Y%m%d}.csv" for day in days)])
    assert sorted(p.name for p in inbox.iterdir()) == expected
    assert (inbox / f"presensi_{days[-2]:%Y%m%d}.csv").read_text(encoding="utf-8").splitlines()[0] == PUNCH_HEADER


def test_absensi_unchanged_files_are_not_rewritten(sims: SimulatedOPDs):
    inbox = sims.absensi_inbox
    before = file_snapshot(inbox)
    sims.sync()
    assert file_snapshot(inbox) == before
    # The ingester moves files away; past days do not come back, today's file does once it has grown.
    for p in inbox.iterdir():
        p.rename(sims.data_dir / p.name)
    sims.sync()
    assert list(inbox.iterdir()) == []
    today = f"absensi_{NOW:%Y%m%d}.csv"
    sims.sync(NOW.replace(hour=16, minute=45))
    assert [p.name for p in inbox.iterdir()] == [today]
    grown = (inbox / today).read_bytes()
    assert grown.count(b"\n") >= before[today][2].count(b"\n")
    assert grown.count(b":") > before[today][2].count(b":")  # check-out times have arrived


@pytest.mark.parametrize("export, name, header", [("harian", "absensi_{:%Y%m%d}.csv", HEADER), ("presensi", "presensi_{:%Y%m%d}.csv", PUNCH_HEADER)])
def test_absensi_todays_file_grows_and_readers_never_see_half_a_file(tmp_path: Path, export: str, name: str, header: str):
    moment = NOW.replace(hour=6, minute=0)
    sims = SimulatedOPDs(tmp_path, history_days=5, now=lambda: moment, absensi_export=export)
    sims.sync()
    target = sims.absensi_inbox / name.format(NOW)
    assert not target.exists()  # nobody has checked in at six
    reads, torn = 0, []
    stop = threading.Event()

    def reader() -> None:
        nonlocal reads
        while not stop.is_set():
            try:
                text = target.read_text(encoding="utf-8")
            except FileNotFoundError:
                continue
            reads += 1
            lines = text.splitlines()
            if not text.endswith("\n") or lines[0] != header or any(line.count(";") != header.count(";") for line in lines):
                torn.append(text[-200:])

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        sizes = []
        for _ in range(40):
            moment += dt.timedelta(minutes=3)
            sims.sync(moment)
            sizes.append(target.stat().st_size if target.exists() else 0)
    finally:
        stop.set()
        thread.join()
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]
    assert reads and torn == []
    assert not [p for p in sims.absensi_inbox.iterdir() if p.name.startswith(".")]  # no temporary file left behind


# --- restart -------------------------------------------------------------------------------------------------


def test_restart_on_the_same_folder_duplicates_nothing(tmp_path: Path):
    with SimulatedOPDs(tmp_path, history_days=HISTORY, now=lambda: NOW) as first:
        records = _all_pages(first, per_page=1000)[0]
    tables = sql_digest(first.dukcapil_url)
    files = file_snapshot(first.absensi_inbox)
    state = (tmp_path / "absensi" / "export_state.json").read_bytes()

    started = time.perf_counter()
    with SimulatedOPDs(tmp_path, history_days=HISTORY, now=lambda: NOW) as second:
        elapsed = time.perf_counter() - started
        assert _all_pages(second, per_page=1000)[0] == records
    assert sql_digest(second.dukcapil_url) == tables
    assert file_snapshot(second.absensi_inbox) == files
    assert (tmp_path / "absensi" / "export_state.json").read_bytes() == state
    print(f"\nrestart on an existing folder ({HISTORY} days): {elapsed:.2f} s")


def test_another_seed_in_the_same_folder_replaces_the_database(tmp_path: Path):
    with SimulatedOPDs(tmp_path, history_days=5, now=lambda: NOW) as a:
        first = sql_digest(a.dukcapil_url)
    with SimulatedOPDs(tmp_path, seed=99, history_days=5, now=lambda: NOW) as b:
        second = sql_digest(b.dukcapil_url)
    assert first != second
    assert SimulatedOPDs(tmp_path / "x", seed=99, history_days=5, now=lambda: NOW).sync() is None
    assert sql_digest(f"sqlite:///{(tmp_path / 'x' / 'dukcapil.sqlite').resolve()}") == second


def test_full_history_generation_time(tmp_path: Path):
    """Prints how long the default 800-day history of every system takes, and how much there is."""
    started = time.perf_counter()
    sims = SimulatedOPDs(tmp_path, now=lambda: NOW)
    sims.start()
    try:
        elapsed = time.perf_counter() - started
        with httpx.Client(timeout=10) as client:
            client.get(f"{sims.perizinan_url}/health")
            page_started = time.perf_counter()
            page = client.get(f"{sims.perizinan_url}/permohonan", params={"per_page": 1000, "page": 5}).json()
            page_ms = (time.perf_counter() - page_started) * 1000
            totals = {"perizinan": page["meta"]["total"]}
            for source, resource in (("tte", "dokumen"), ("damkar", "kejadian")):
                conn = sims.connection(source)
                headers = {"X-API-Key": conn["token"]} if conn["token"] else {}
                body = client.get(f"{conn['url']}/{resource}", params={"per_page": 1}, headers=headers).json()
                totals[source] = body["meta"]["total"]
            conn = sims.connection("pengaduan")
            headers = {"Authorization": f"Bearer {conn['token']}"}
            link, totals["pengaduan"] = f"{conn['url']}/laporan?limit=1000", 0
            while link:
                body = client.get(link, headers=headers).json()
                totals["pengaduan"] += len(body["data"])
                link = body["links"]["next"]
        tables = {s: row_counts(sims.connection(s)["database_url"]) for s in names("sql")}
        files = {s: len(list(sims.connection(s)["folder"].iterdir())) for s in names("file")}
        again = time.perf_counter()
        sims.sync()
        resync = time.perf_counter() - again
    finally:
        sims.stop()
    assert all(totals.values()) and len(page["data"]) == 1000 and all(files.values())
    assert elapsed < 20
    print(
        f"\nfull history (800 days, every system): start {elapsed:.2f} s, re-sync {resync:.2f} s, "
        f"a page of 1000 {page_ms:.0f} ms; records {totals}; rows {tables}; files {files}"
    )

