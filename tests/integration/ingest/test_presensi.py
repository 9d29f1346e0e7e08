"""Raw attendance punches: the daily record derived during the load, hand-computed, and reruns that change nothing."""

import datetime as dt
import shutil

import pytest

import ingest.run
from conftest import count
from ingest.connectors import Connection
from ingest.connectors.files import PROCESSED_DIR

pytestmark = pytest.mark.integration

PEGAWAI = """nip;nama;kode_opd;mulai;selesai
1001;Ani;BKPSDM;;
1002;Budi;Diskominfo;;
1003;Cici;BKPSDM;;
1004;Dedi;Dinas Kesehatan;;
"""
IZIN = """nip;mulai;selesai;jenis
1003;12/02/2026;13/02/2026;S
1004;23/02/2026;27/02/2026;DL
"""
# Thursday 12 Feb 2026, an ordinary working day (start 07.30).
PRESENSI_0212 = """nip;id_template;inout;time_finger
1001;finger;0;2026-02-12 07:25:10
1001;finger;0;2026-02-12 07:25:40
1001;face;1;2026-02-12 16:05:00
1002;card;in;2026-02-12 07:40:00
1004;finger;0;2026-02-12 07:20:00
1004;finger;0;2026-02-12 07:20:00
1004;finger;1;2026-02-12 16:30:00
9999;finger;0;2026-02-12 07:00:00
1001;finger;5;2026-02-12 12:00:00
"""
# Monday 23 Feb 2026, in Ramadan (start 08.00); this machine marks no punch in or out.
PRESENSI_0223 = """nip;id_template;inout;time_finger
1001;finger;;2026-02-23 07:55:00
1001;finger;;2026-02-23 15:10:00
1002;finger;0;2026-02-23 08:05:00
1002;finger;;2026-02-23 08:30:00
1003;finger;0;2026-02-31 07:50:00
"""

# Hand-computed: first punch not marked out is the check-in, the last not marked in and more than 60 minutes
# after it the check-out; taps in one minute are one punch; a reported working day with neither punch nor leave is alpa.
EXPECTED = [
    ("1001", "2026-02-12", "BKPSDM", "hadir", "07:25:00", 445, "16:05:00", 8.67),
    ("1001", "2026-02-23", "BKPSDM", "hadir", "07:55:00", 475, "15:10:00", 7.25),
    ("1002", "2026-02-12", "DISKOMINFO", "hadir", "07:40:00", 460, None, None),  # no check-out
    ("1002", "2026-02-23", "DISKOMINFO", "hadir", "08:05:00", 485, None, None),  # 08.30 is 25 minutes later: no check-out
    ("1003", "2026-02-12", "BKPSDM", "sakit", None, None, None, None),
    ("1003", "2026-02-23", "BKPSDM", "alpa", None, None, None, None),  # its only punch was rejected
    ("1004", "2026-02-12", "DINKES", "hadir", "07:20:00", 440, "16:30:00", 9.17),
    ("1004", "2026-02-23", "DINKES", "dinas luar", None, None, None, None),
]


def daily(warehouse):
    rows = warehouse.cursor().execute(
        "SELECT nip, CAST(tanggal AS VARCHAR), kode_opd, status, CAST(jam_masuk AS VARCHAR), masuk_menit, CAST(jam_pulang AS VARCHAR), jam_kerja "
        "FROM absensi_harian ORDER BY nip, tanggal"
    ).fetchall()
    return rows


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, text in (("pegawai.csv", PEGAWAI), ("izin_202602.csv", IZIN), ("presensi_20260212.csv", PRESENSI_0212), ("presensi_20260223.csv", PRESENSI_0223)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def at(monkeypatch, wib: dt.datetime) -> None:
    """The load's clock: a WIB wall-clock moment."""
    monkeypatch.setattr(ingest.run, "_utcnow", lambda: wib - dt.timedelta(hours=7))


def test_punches_load_into_daily_records_with_counts_and_rejects(warehouse, inbox, load):
    result = load("absensi", Connection(folder=inbox))
    assert result.status == "ok", result.error
    # 4 staff + 2 leave records + 14 punch lines read; one exact repeat superseded, two bad lines rejected.
    assert (result.rows_read, result.inserted, result.updated, result.unchanged, result.superseded, result.rejected) == (20, 17, 0, 0, 1, 2)
    assert result.streams["presensi"]["rows_read"] == 14 and result.streams["presensi"]["inserted"] == 11
    assert result.streams["presensi_harian"] == {"derived": 8, "inserted": 8, "updated": 0, "unchanged": 0}
    assert daily(warehouse) == EXPECTED
    rejects = warehouse.cursor().execute("SELECT origin, field, reason FROM rejects ORDER BY origin").fetchall()
    assert rejects == [
        ("presensi_20260212.csv baris 10", "inout", "bukan salah satu dari masuk, pulang: '5'"),
        ("presensi_20260223.csv baris 6", "time_finger", "bukan waktu %Y-%m-%d %H:%M:%S atau %Y-%m-%d %H:%M atau %d/%m/%Y %H:%M:%S atau %d/%m/%Y %H:%M: '2026-02-31 07:50:00'"),
    ]
    # The unknown NIP's punch is kept; its day waits for the staff list.
    assert warehouse.cursor().execute("SELECT count(*) FROM absensi_presensi WHERE nip = '9999'").fetchone() == (1,)
    assert result.notes == "presensi_harian: 1 NIP dengan ketukan tidak ada di daftar pegawai; rekap hariannya dibuat setelah mereka ada di daftar"
    # id_template is kept with the punch, as the machine sent it.
    templates = warehouse.cursor().execute("SELECT id_template, count(*) FROM absensi_presensi GROUP BY 1 ORDER BY 1").fetchall()
    assert templates == [("card", 1), ("face", 1), ("finger", 9)]
    # A punch keeps its file and row; a derived day states its derivation.
    assert warehouse.cursor().execute("SELECT _origin FROM absensi_presensi WHERE nip = '9999'").fetchone() == ("presensi_20260212.csv baris 9",)
    derived = warehouse.cursor().execute("SELECT DISTINCT _origin FROM absensi_harian").fetchall()
    assert derived == [("turunan absensi_harian dari ketukan absensi_presensi, daftar pegawai absensi_pegawai dan izin absensi_izin (nip, tanggal)",)]


def test_derived_days_are_judged_by_the_calendars_ramadan_hours(warehouse, inbox, load):
    import ibis

    from metrics.indicators.aparatur import absensi_tepat_waktu

    load("absensi", Connection(folder=inbox))
    facts = absensi_tepat_waktu(ibis.duckdb.from_connection(warehouse.cursor()), dt.date(2026, 2, 1), dt.date(2026, 2, 28)).to_pyarrow()
    # 12 Feb by 07.30: 07.25 and 07.20 yes, 07.40 no; 23 Feb (Ramadan) by 08.00: 07.55 yes, 08.05 no.
    assert (facts.num_rows, facts["good"].to_pylist().count(True)) == (5, 3)


def test_rerun_and_backfill_change_nothing(warehouse, inbox, load):
    first = load("absensi", Connection(folder=inbox))
    for moved in (inbox / PROCESSED_DIR).iterdir():  # the same files dropped again
        shutil.copy(moved, inbox / (moved.name.split(".")[0] + ".csv"))
    again = load("absensi", Connection(folder=inbox))
    assert (again.rows_read, again.inserted, again.updated) == (0, 0, 0)
    backfill = load("absensi", Connection(folder=inbox), since=dt.date(2026, 2, 1))
    assert (backfill.rows_read, backfill.inserted, backfill.updated, backfill.unchanged, backfill.superseded) == (20, 0, 0, 17, 1)
    assert backfill.streams["presensi_harian"] == {"derived": 8, "inserted": 0, "updated": 0, "unchanged": 8}
    assert daily(warehouse) == EXPECTED and count(warehouse, "absensi_presensi") == first.streams["presensi"]["inserted"]


def test_a_late_punch_updates_its_day(warehouse, inbox, load):
    load("absensi", Connection(folder=inbox))
    (inbox / "presensi_20260212_susulan.csv").write_text("nip;id_template;inout;time_finger\n1002;finger;1;2026-02-12 16:20:00\n", encoding="utf-8")
    late = load("absensi", Connection(folder=inbox))
    assert (late.rows_read, late.inserted) == (1, 1)
    assert late.streams["presensi_harian"] == {"derived": 8, "inserted": 0, "updated": 1, "unchanged": 7}
    assert daily(warehouse)[2] == ("1002", "2026-02-12", "DISKOMINFO", "hadir", "07:40:00", 460, "16:20:00", 8.67)


def test_absence_is_written_only_once_the_day_is_over(warehouse, inbox, load, monkeypatch):
    at(monkeypatch, dt.datetime(2026, 2, 23, 10, 0))
    morning = load("absensi", Connection(folder=inbox))
    assert morning.streams["presensi_harian"]["derived"] == 7
    assert [r[3] for r in daily(warehouse) if r[:2] == ("1003", "2026-02-23")] == []  # not yet absent
    at(monkeypatch, dt.datetime(2026, 2, 23, 18, 30))
    evening = load("absensi", Connection(folder=inbox))  # no new file: the last week's days are derived again
    assert evening.rows_read == 0 and evening.streams["presensi_harian"] == {"derived": 4, "inserted": 1, "updated": 0, "unchanged": 3}
    assert daily(warehouse) == EXPECTED


def test_a_staff_list_entry_brings_its_punches_days_in(warehouse, inbox, load):
    load("absensi", Connection(folder=inbox))
    (inbox / "pegawai_baru.csv").write_text("nip;nama;kode_opd;mulai;selesai\n9999;Eka;BKPSDM;12/02/2026;\n", encoding="utf-8")
    later = load("absensi", Connection(folder=inbox))
    assert later.notes is None
    # 12 Feb from the punch; 23 Feb reported and over, no punch, no leave: alpa.
    assert [r[:4] for r in daily(warehouse) if r[0] == "9999"] == [("9999", "2026-02-12", "BKPSDM", "hadir"), ("9999", "2026-02-23", "BKPSDM", "alpa")]


def test_daily_summaries_and_punches_share_the_folder(warehouse, inbox, load):
    (inbox / "absensi_20260305.csv").write_text(
        "nip;nama;kode_opd;tanggal;jam_masuk;jam_pulang;status;jam_kerja\n2001;Fajar;BKPSDM;05/03/2026;07:58;15:02;hadir;7,07\n", encoding="utf-8"
    )
    result = load("absensi", Connection(folder=inbox))
    assert result.streams["harian"]["inserted"] == 1 and result.streams["presensi_harian"]["inserted"] == 8
    assert count(warehouse, "absensi_harian") == 9


def test_the_simulated_machines_punches_derive_the_days_their_summaries_say(tmp_path, clock, sources):
    """The same seed and moment: check-ins, staff list and leave records give exactly the daily summaries' records."""
    from ingest.calendar import refresh_calendar
    from ingest.run import run_source
    from ingest.tables import ensure_tables
    from region.calendar import WorkingCalendar
    from simulator import SimulatedOPDs
    from warehouse import Warehouse

    clock.advance(hours=9)  # 19:00 WIB: today's absences are known too
    tables = {}
    for export in ("presensi", "harian"):
        sim = SimulatedOPDs(tmp_path / export, seed=2019, history_days=30, sync_every_s=3600, now=clock, absensi_export=export)
        sim.sync()
        warehouse = Warehouse(tmp_path / f"{export}.duckdb")
        refresh_calendar(warehouse, WorkingCalendar())
        ensure_tables(warehouse, sources)
        ingest.run._utcnow, real = (lambda: clock.now.replace(tzinfo=None)), ingest.run._utcnow
        try:
            result = run_source(warehouse, "absensi", sources["absensi"], Connection(folder=sim.absensi_inbox))
        finally:
            ingest.run._utcnow = real
        assert result.status == "ok" and result.rejected == 0, result.error
        tables[export] = warehouse.cursor().execute(
            "SELECT nip, nama, kode_opd, tanggal, jam_masuk, masuk_menit, jam_pulang, status, jam_kerja FROM absensi_harian ORDER BY nip, tanggal"
        ).fetchall()
        if export == "presensi":
            punches = result.streams["presensi"]
            assert punches["superseded"] > 0 and result.streams["harian"]["rows_read"] == 0  # the machine sent some twice
            assert result.notes is None
        warehouse.close()
    assert len(tables["presensi"]) > 20_000 and tables["presensi"] == tables["harian"]
    statuses = {row[7] for row in tables["presensi"]}
    assert statuses == {"hadir", "izin", "sakit", "cuti", "dinas luar", "alpa"}
