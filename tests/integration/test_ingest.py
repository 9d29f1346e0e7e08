"""Loads from the real simulated systems: REST over HTTP, SQLite through SQLAlchemy, CSV drops; all or nothing."""

import shutil
import sqlite3

import httpx
import pytest

import ingest.run
from ingest.connectors import Connection
from ingest.connectors.files import PROCESSED_DIR
from ingest.run import run_source
from ingest.sources import ABSENSI, DUKCAPIL, PERIZINAN

pytestmark = pytest.mark.integration


def count(warehouse, table):
    return warehouse.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def saved_cursor(warehouse, source):
    row = warehouse.cursor().execute("SELECT cursor FROM source_cursors WHERE source = ?", [source]).fetchone()
    return row[0] if row else None


def rest(sim, **kw):
    return Connection(url=sim.perizinan_url, **kw)


def api_total(sim):
    return httpx.get(f"{sim.perizinan_url}/permohonan", params={"per_page": 1}).json()["meta"]["total"]


def test_rest_load_is_complete_incremental_and_idempotent(warehouse, simulator, clock):
    first = run_source(warehouse, PERIZINAN, rest(simulator))
    assert first.status == "ok" and first.rejected == 0
    assert first.inserted == count(warehouse, "perizinan_permohonan") == api_total(simulator)
    assert first.rows_read > PERIZINAN_PAGE_SIZE  # several pages were followed
    cursor = saved_cursor(warehouse, "perizinan")
    assert cursor is not None

    again = run_source(warehouse, PERIZINAN, rest(simulator))
    assert (again.inserted, again.updated) == (0, 0)
    assert again.rows_read < first.rows_read  # only from the cursor on
    assert again.rows_read == again.unchanged

    clock.advance(days=1)
    later = run_source(warehouse, PERIZINAN, rest(simulator))
    assert later.inserted > 0 and later.updated > 0  # new applications, and decisions on open ones
    assert count(warehouse, "perizinan_permohonan") == api_total(simulator)
    assert saved_cursor(warehouse, "perizinan") > cursor
    stamped = warehouse.cursor().execute("SELECT count(*) FROM perizinan_permohonan WHERE _load_id = ?", [later.load_id]).fetchone()[0]
    assert stamped == later.inserted + later.updated


PERIZINAN_PAGE_SIZE = 500


def test_run_log_reconciles(warehouse, simulator):
    result = run_source(warehouse, PERIZINAN, rest(simulator))
    row = warehouse.cursor().execute(
        "SELECT status, rows_read, inserted + updated + unchanged + superseded + rejected, finished_at >= started_at FROM loads WHERE load_id = ?",
        [result.load_id],
    ).fetchone()
    assert row == ("ok", result.rows_read, result.rows_read, True)


@pytest.mark.parametrize(
    "fault, message",
    [("error", "HTTP 500"), ("refuse", "HTTP 503"), ("garbage", "bukan JSON halaman yang diharapkan"), ("hang", "ReadTimeout")],
)
def test_failing_source_changes_nothing_and_is_logged(warehouse, simulator, clock, fault, message):
    run_source(warehouse, PERIZINAN, rest(simulator))
    before = (count(warehouse, "perizinan_permohonan"), saved_cursor(warehouse, "perizinan"))
    clock.advance(days=1)
    simulator.faults.perizinan = fault
    result = run_source(warehouse, PERIZINAN, rest(simulator, timeout_s=0.5, retries=2))
    assert result.status == "failed" and message in result.error
    assert (count(warehouse, "perizinan_permohonan"), saved_cursor(warehouse, "perizinan")) == before
    logged = warehouse.cursor().execute("SELECT status, error FROM loads WHERE load_id = ?", [result.load_id]).fetchone()
    assert logged == ("failed", result.error)


def test_unreachable_source_fails_cleanly(warehouse):
    result = run_source(warehouse, PERIZINAN, Connection(url="http://127.0.0.1:9/api", timeout_s=0.5, retries=2))
    assert result.status == "failed" and "ConnectError" in result.error


def test_failure_inside_the_transaction_rolls_everything_back(warehouse, simulator, monkeypatch):
    def broken_log(*_args, **_kwargs):
        raise OSError("disk full while writing the run log")

    monkeypatch.setattr(ingest.run, "_log_run", broken_log)
    result = run_source(warehouse, PERIZINAN, rest(simulator))
    assert result.status == "failed"
    assert count(warehouse, "perizinan_permohonan") == 0
    assert saved_cursor(warehouse, "perizinan") is None


def test_sql_load_from_sqlite(warehouse, simulator, clock):
    connection = Connection(database_url=simulator.dukcapil_url)
    first = run_source(warehouse, DUKCAPIL, connection)
    with sqlite3.connect(simulator.dukcapil_path) as db:
        births = db.execute("SELECT count(*) FROM kelahiran").fetchone()[0]
    assert first.status == "ok" and first.inserted == births == count(warehouse, "dukcapil_kelahiran")
    again = run_source(warehouse, DUKCAPIL, connection)
    assert (again.inserted, again.updated) == (0, 0)
    clock.advance(days=3)
    simulator.sync()
    later = run_source(warehouse, DUKCAPIL, connection)
    assert later.inserted > 0
    with sqlite3.connect(simulator.dukcapil_path) as db:
        births = db.execute("SELECT count(*) FROM kelahiran").fetchone()[0]
    assert count(warehouse, "dukcapil_kelahiran") == births


def test_sql_source_that_cannot_be_read(warehouse, tmp_path):
    result = run_source(warehouse, DUKCAPIL, Connection(database_url=f"sqlite:///{tmp_path}/empty.sqlite"))
    assert result.status == "failed" and "no such table: kelahiran" in result.error


def test_file_drop_loads_each_content_once_and_moves_files_aside(warehouse, simulator):
    inbox = simulator.absensi_inbox
    files = sorted(inbox.glob("absensi_*.csv"))
    rows_in_files = sum(len(f.read_text(encoding="utf-8").splitlines()) - 1 for f in files)
    first = run_source(warehouse, ABSENSI, Connection(folder=inbox))
    assert first.status == "ok" and first.rows_read == rows_in_files and first.rejected == 0
    assert count(warehouse, "absensi_harian") == first.inserted
    assert not list(inbox.glob("absensi_*.csv"))
    moved = sorted((inbox / PROCESSED_DIR).glob("*.csv"))
    assert len(moved) == len(files)

    # The same file dropped again: recognised by content, not loaded twice, moved aside again.
    shutil.copy(moved[0], inbox / files[0].name)
    again = run_source(warehouse, ABSENSI, Connection(folder=inbox))
    assert (again.rows_read, again.inserted, again.updated) == (0, 0, 0)
    assert not list(inbox.glob("absensi_*.csv"))

    # A corrected file reloads and updates the rows it changes.
    lines = moved[0].read_text(encoding="utf-8").splitlines()
    header, first_row = lines[0].split(";"), lines[1].split(";")
    first_row[header.index("status")] = "dinas luar"
    first_row[header.index("jam_masuk")] = ""
    first_row[header.index("jam_pulang")] = ""
    (inbox / files[0].name).write_text("\n".join([lines[0], ";".join(first_row), *lines[2:]]) + "\n", encoding="utf-8")
    corrected = run_source(warehouse, ABSENSI, Connection(folder=inbox))
    assert (corrected.updated, corrected.inserted) == (1, 0)


def test_bad_rows_are_rejected_and_the_rest_loads(warehouse, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "absensi_20261126.csv").write_text(
        "nip;nama;kode_opd;tanggal;jam_masuk;jam_pulang;status;jam_kerja\n"
        "198001012005011001;Ani;BKPSDM;26/11/2026;07:12;16:30;hadir;8,3\n"
        "198001012005011002;Budi;BKPSDM;31/11/2026;07:12;16:30;hadir;8,3\n"
        "198001012005011003;Cici;BKPSDM;26/11/2026;07:40;;terlambat;\n",
        encoding="utf-8",
    )
    result = run_source(warehouse, ABSENSI, Connection(folder=inbox))
    assert (result.status, result.inserted, result.rejected) == ("ok", 1, 2)
    rejects = warehouse.cursor().execute("SELECT origin, field, reason FROM rejects ORDER BY origin").fetchall()
    assert rejects == [
        ("absensi_20261126.csv baris 3", "tanggal", "bukan tanggal %d/%m/%Y: '31/11/2026'"),
        ("absensi_20261126.csv baris 4", "status", "bukan salah satu dari hadir, izin, sakit, cuti, dinas luar, alpa: 'terlambat'"),
    ]


def test_file_missing_a_required_column_loads_nothing(warehouse, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "absensi_20261126.csv").write_text("nip;nama;opd;tanggal;jam_masuk;jam_pulang;status;jam_kerja\n1;A;X;26/11/2026;07:00;;hadir;\n", encoding="utf-8")
    result = run_source(warehouse, ABSENSI, Connection(folder=inbox))
    assert result.status == "failed" and "kode_opd" in result.error
    assert count(warehouse, "absensi_harian") == 0
    assert (inbox / "absensi_20261126.csv").exists()  # kept in place for the operator to fix


def test_sql_lookback_catches_a_record_that_arrives_late(warehouse, simulator):
    connection = Connection(database_url=simulator.dukcapil_url, lookback_s=600)
    run_source(warehouse, DUKCAPIL, connection)
    cursor = saved_cursor(warehouse, "dukcapil")
    with sqlite3.connect(simulator.dukcapil_path) as db:
        columns = [r[1] for r in db.execute("PRAGMA table_info(kelahiran)")]
        row = dict(zip(columns, db.execute("SELECT * FROM kelahiran ORDER BY diperbarui_pada DESC LIMIT 1").fetchone(), strict=True))
        # Committed now, but stamped five minutes before the newest record already read.
        late = row | {"id": "LHR-TERLAMBAT-0001", "diperbarui_pada": _minus_minutes(cursor, 5)}
        db.execute(f"INSERT INTO kelahiran ({', '.join(late)}) VALUES ({', '.join('?' * len(late))})", list(late.values()))
    result = run_source(warehouse, DUKCAPIL, connection)
    assert result.inserted == 1
    assert warehouse.cursor().execute("SELECT count(*) FROM dukcapil_kelahiran WHERE id = 'LHR-TERLAMBAT-0001'").fetchone()[0] == 1


def _minus_minutes(stamp: str, minutes: int) -> str:
    import datetime as dt

    return (dt.datetime.fromisoformat(stamp) - dt.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S")


@pytest.mark.parametrize("merge_rows", [1, 100_000])
def test_a_later_file_in_the_same_load_wins_however_batches_are_merged(warehouse, tmp_path, monkeypatch, merge_rows):
    monkeypatch.setattr(ingest.run, "MERGE_ROWS", merge_rows)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    header = "nip;nama;kode_opd;tanggal;jam_masuk;jam_pulang;status;jam_kerja\n"
    (inbox / "absensi_20261126.csv").write_text(header + "1;Ani;BKPSDM;26/11/2026;07:12;;hadir;\n2;Budi;BKPSDM;26/11/2026;07:20;;hadir;\n", encoding="utf-8")
    (inbox / "absensi_20261126_koreksi.csv").write_text(header + "1;Ani;BKPSDM;26/11/2026;07:12;16:30;hadir;9,3\n", encoding="utf-8")
    result = run_source(warehouse, ABSENSI, Connection(folder=inbox))
    assert result.rows_read == 3
    assert result.inserted == 2
    # Merged apart, the correction updates the row the first file inserted; merged together it supersedes it.
    assert (result.updated, result.superseded) == ((1, 0) if merge_rows == 1 else (0, 1))
    row = warehouse.cursor().execute("SELECT jam_pulang, jam_kerja FROM absensi_harian WHERE nip = '1'").fetchone()
    assert str(row[0]) == "16:30:00" and float(row[1]) == 9.3
