"""Indicators on small hand-computed fixtures: SLA clocks across weekends, holidays and cuti bersama, Ramadan
hours, and empty periods (no data is "no data", never 0 %)."""

import datetime as dt

import ibis
import pytest

from metrics.catalogue import BY_ID
from metrics.compute import compute, daily
from metrics.status import status_of

pytestmark = pytest.mark.integration


def rows(con, indicator_id, start, end):
    facts = BY_ID[indicator_id].query(con, start, end)
    return sorted(con.to_pyarrow(facts).to_pylist(), key=lambda r: (r["tanggal"], str(r)))


def test_sla_clock_skips_weekends_holidays_and_cuti_bersama(warehouse):
    cur = warehouse.cursor()
    cur.execute(
        """INSERT INTO perizinan_permohonan (id, jenis, nama_izin, kanal, kode_kecamatan, diajukan_utc, diajukan_tgl,
           diputuskan_utc, diputuskan_tgl, status, sla_hari_kerja, diperbarui_utc, diperbarui_tgl, _load_id) VALUES
        -- Fri 13 Mar 2026 -> Wed 25 Mar: 16, 17 and 25 are working days; 18-24 are Nyepi, Idul Fitri, their cuti
        -- bersama and a weekend. 3 working days against an SLA of 3: on time.
        ('A', 'usaha', 'x', 'daring', '13.05.01', '2026-03-13 02:00', '2026-03-13', '2026-03-25 02:00', '2026-03-25', 'terbit', 3, '2026-03-25 02:00', '2026-03-25', 'l'),
        -- Fri 20 Nov 2026 -> Wed 25 Nov: Mon, Tue, Wed = 3 working days against an SLA of 2: late.
        ('B', 'usaha', 'x', 'daring', '13.05.01', '2026-11-20 02:00', '2026-11-20', '2026-11-25 02:00', '2026-11-25', 'terbit', 2, '2026-11-25 02:00', '2026-11-25', 'l'),
        -- Decided the day it was filed: 0 working days, on time whatever the SLA.
        ('C', 'usaha', 'x', 'luring', '13.05.02', '2026-11-25 02:00', '2026-11-25', '2026-11-25 08:00', '2026-11-25', 'ditolak', 1, '2026-11-25 08:00', '2026-11-25', 'l')"""
    )
    con = ibis.duckdb.from_connection(cur)
    got = rows(con, "izin_tepat_waktu", dt.date(2026, 3, 1), dt.date(2026, 11, 30))
    assert [(r["tanggal"], r["good"]) for r in got] == [(dt.date(2026, 3, 25), True), (dt.date(2026, 11, 25), False), (dt.date(2026, 11, 25), True)]
    per_day = daily(BY_ID["izin_tepat_waktu"], con, dt.date(2026, 11, 1), dt.date(2026, 11, 30), by="kode_kecamatan")
    assert per_day[["kode_kecamatan", "numerator", "denominator"]].values.tolist() == [["13.05.01", 0, 1], ["13.05.02", 1, 1]]


def test_ramadan_hours_and_working_days_only(warehouse):
    cur = warehouse.cursor()
    cur.execute(
        """INSERT INTO absensi_harian (nip, nama, kode_opd, tanggal, jam_masuk, masuk_menit, jam_pulang, status, jam_kerja, _load_id) VALUES
        ('1', 'A', 'BKPSDM', '2026-03-02', '07:45', 465, NULL, 'hadir', NULL, 'l'),  -- Ramadan Monday: on time (08.00)
        ('1', 'A', 'BKPSDM', '2026-04-06', '07:45', 465, NULL, 'hadir', NULL, 'l'),  -- ordinary Monday: late (07.30)
        ('1', 'A', 'BKPSDM', '2026-04-07', '07:30', 450, NULL, 'hadir', NULL, 'l'),  -- exactly 07.30: on time
        ('1', 'A', 'BKPSDM', '2026-04-11', '07:00', 420, NULL, 'hadir', NULL, 'l'),  -- Saturday: not a working day
        ('1', 'A', 'BKPSDM', '2026-04-08', NULL, NULL, NULL, 'sakit', NULL, 'l')      -- no check-in: not counted"""
    )
    con = ibis.duckdb.from_connection(cur)
    got = rows(con, "absensi_tepat_waktu", dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    assert [(r["tanggal"], r["good"]) for r in got] == [(dt.date(2026, 3, 2), True), (dt.date(2026, 4, 6), False), (dt.date(2026, 4, 7), True)]


def test_an_empty_period_is_no_data_not_zero(warehouse):
    con = ibis.duckdb.from_connection(warehouse.cursor())
    result = compute(BY_ID["lahir_tercatat_60h"], con, dt.datetime(2026, 11, 27, 3, 0))
    assert (result.value, result.previous_value, result.year_before_value, result.series) == (None, None, None, [])
    assert status_of(result.value, 95, 85, "higher") == "no_data"
