"""Indicators on small hand-computed fixtures: SLA clocks across weekends, holidays and cuti bersama, Ramadan
hours, and empty periods (no data is "no data", never 0 %)."""

import datetime as dt
from dataclasses import replace

import ibis
import pytest

from metrics.catalogue import BY_ID
from metrics.compute import buckets, compute, daily
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


# The remaining indicators, each on a handful of records whose answer is worked out in the comments.

AS_OF = dt.datetime(2026, 11, 29, 3, 0)  # Sunday 29 November 2026, 10.00 WIB


def insert(cur, table, columns, rows):
    marks = ", ".join("?" for _ in columns)
    cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}, _load_id) VALUES ({marks}, 'l')", rows)


def per_day(con, indicator_id, start, end, by=None):
    frame = buckets(BY_ID[indicator_id], con, start, end, "day", by)
    return {(r["periode"], r[by]) if by else r["periode"]: r["value"] for r in frame.to_dict("records")}


APPLICATION = ("id", "jenis", "nama_izin", "kanal", "kode_kecamatan", "diajukan_utc", "diajukan_tgl", "diputuskan_utc",
               "diputuskan_tgl", "status", "sla_hari_kerja", "diperbarui_utc", "diperbarui_tgl")


def application(id_, submitted, decided, sla, jenis="usaha", status="terbit"):
    d = dt.date.fromisoformat(submitted)
    e = dt.date.fromisoformat(decided) if decided else None
    return (id_, jenis, "x", "daring", "13.05.01", dt.datetime.combine(d, dt.time(2)), d,
            e and dt.datetime.combine(e, dt.time(2)), e, status if e else "diproses", sla, dt.datetime(2026, 11, 29), dt.date(2026, 11, 29))


def test_licence_duration_backlog_and_issued(warehouse):
    cur = warehouse.cursor()
    insert(cur, "perizinan_permohonan", APPLICATION, [
        application("A", "2026-11-20", "2026-11-25", 5),  # Fri -> Wed: 3 working days
        application("B", "2026-11-23", "2026-11-23", 5),  # same day: 0
        application("C", "2026-11-16", "2026-11-27", 20),  # 9 working days
        application("D", "2026-11-09", "2026-11-26", 20, jenis="non_usaha"),  # 13 working days
        # Undecided Fri 20 Nov with an SLA of 2: Mon 23 is 1, Tue 24 is 2, so past its SLA from Wed 25 on.
        application("X", "2026-11-20", None, 2),
        # Decided Fri 27 after an SLA of 1 from Wed 25: past it on Fri 27 (2 working days) but decided that day.
        application("Y", "2026-11-25", "2026-11-27", 1),
        # Undecided since Wed 25 with an SLA of 1: Thu 26 is 1, Fri 27 is 2: past it from Fri 27 on.
        application("Z", "2026-11-25", None, 1),
    ])
    con = ibis.duckdb.from_connection(cur)
    # Median of 0, 3, 9, 13 and 2 (Y) working days: 3. Exact, not approximate.
    assert compute(BY_ID["izin_durasi_median"], con, AS_OF).value == 3.0
    levels = per_day(con, "izin_lewat_sla", dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert levels == {dt.date(2026, 11, 23): 0, dt.date(2026, 11, 24): 0, dt.date(2026, 11, 25): 1, dt.date(2026, 11, 26): 1,
                      dt.date(2026, 11, 27): 2, dt.date(2026, 11, 28): 2, dt.date(2026, 11, 29): 2}
    assert compute(BY_ID["izin_lewat_sla"], con, AS_OF).value == 2
    issued = compute(BY_ID["izin_usaha_terbit"], con, AS_OF)
    assert (issued.value, issued.year_before_value) == (4, None)  # A, B, C and Y; D is not a business licence; 2025 has no records


def test_licence_backlog_is_zero_not_no_data_when_nothing_is_late(warehouse):
    cur = warehouse.cursor()
    insert(cur, "perizinan_permohonan", APPLICATION, [application("A", "2026-11-20", "2026-11-25", 5)])
    result = compute(BY_ID["izin_lewat_sla"], ibis.duckdb.from_connection(cur), AS_OF)
    assert result.value == 0 and status_of(result.value, 0, 5, "lower") == "green"


# Complaints closed within 60 days and the backlog: test_indicator_definitions.py (the clock starts at verification).


def test_birth_certificate_median_days(warehouse):
    cur = warehouse.cursor()
    columns = ("id", "tanggal_lahir", "daftar_utc", "daftar_tgl", "akta_terbit_utc", "akta_terbit_tgl", "kode_kecamatan", "kanal", "diperbarui_utc", "diperbarui_tgl")
    rows = []
    for i, (registered, issued) in enumerate([("2026-11-20", "2026-11-20"), ("2026-11-20", "2026-11-21"), ("2026-11-10", "2026-11-15"), ("2026-11-10", None)]):
        r, a = dt.date.fromisoformat(registered), issued and dt.date.fromisoformat(issued)
        rows.append((str(i), dt.date(2026, 11, 1), dt.datetime.combine(r, dt.time(2)), r, a and dt.datetime.combine(a, dt.time(2)), a, "13.05.01", "loket", dt.datetime(2026, 11, 29), dt.date(2026, 11, 29)))
    insert(cur, "dukcapil_kelahiran", columns, rows)
    # Issued after 0, 1 and 5 days; the fourth is not issued yet and not counted.
    result = compute(BY_ID["akta_terbit_median"], ibis.duckdb.from_connection(cur), AS_OF)
    assert (result.value, result.denominator) == (1.0, 3)


ATTENDANCE = ("nip", "nama", "kode_opd", "tanggal", "jam_masuk", "masuk_menit", "jam_pulang", "status", "jam_kerja")


def attendance(nip, day, status, opd="BKPSDM"):
    return (nip, nip, opd, dt.date.fromisoformat(day), None, 450 if status == "hadir" else None, None, status, None)


def test_attendance_counts_working_days_present_or_on_duty(warehouse):
    cur = warehouse.cursor()
    insert(cur, "absensi_harian", ATTENDANCE, [
        attendance("1", "2026-11-23", "hadir"), attendance("1", "2026-11-24", "dinas luar"),
        attendance("1", "2026-11-25", "sakit"), attendance("1", "2026-11-26", "alpa"),
        attendance("1", "2026-11-28", "hadir"),  # Saturday: not a working day
    ])
    # A sick day is not a day due at work: present or on duty on 2 of the 3 days that were.
    result = compute(BY_ID["absensi_kehadiran"], ibis.duckdb.from_connection(cur), AS_OF)
    assert (result.numerator, result.denominator) == (2, 3)


def test_staff_reach_a_discipline_step_on_their_third_unexcused_day_of_the_year(warehouse):
    cur = warehouse.cursor()
    insert(cur, "absensi_harian", ATTENDANCE, [
        # 1: unexcused on Mon 5, Tue 6 and Thu 8 Jan 2026 and on Sat 10 (not a working day), then on 2 Feb.
        *[attendance("1", d, "alpa") for d in ("2026-01-05", "2026-01-06", "2026-01-08", "2026-01-10", "2026-02-02")],
        # 2: two days only. 3: three days, but in December 2025: the count starts again in January.
        *[attendance("2", d, "alpa", opd="DPMPTSP") for d in ("2026-01-05", "2026-01-06")],
        *[attendance("3", d, "alpa") for d in ("2025-12-01", "2025-12-02", "2025-12-03")],
    ])
    con = ibis.duckdb.from_connection(cur)
    levels = per_day(con, "asn_ambang_sanksi", dt.date(2026, 1, 7), dt.date(2026, 1, 9))
    assert levels == {dt.date(2026, 1, 7): 0, dt.date(2026, 1, 8): 1, dt.date(2026, 1, 9): 1}
    steps = per_day(con, "asn_ambang_sanksi", dt.date(2026, 1, 9), dt.date(2026, 2, 2), by="tahap")
    assert steps[(dt.date(2026, 1, 9), "teguran lisan")] == 1 and steps[(dt.date(2026, 2, 2), "teguran tertulis")] == 1
    december = per_day(con, "asn_ambang_sanksi", dt.date(2025, 12, 3), dt.date(2025, 12, 3))
    assert december == {dt.date(2025, 12, 3): 1}
    assert compute(BY_ID["asn_ambang_sanksi"], con, AS_OF).value == 1


def test_masterplan_share_done_without_history(warehouse):
    cur = warehouse.cursor()
    columns = ("nomor", "kode_program", "program", "dimensi", "elemen", "kode_opd", "tahun_mulai", "status", "progres", "anggaran")
    insert(cur, "masterplan_program", columns, [
        (1, "P1", "a", "governance", "x", "DISKOMINFO", 2020, "selesai", 100, 1),
        (2, "P2", "b", "governance", "x", "DISKOMINFO", 2021, "berjalan", 40, 1),
        (3, "P3", "c", "economy", "x", "DISKOMINFO", 2021, "selesai", 100, 1),
    ])
    con = ibis.duckdb.from_connection(cur)
    result = compute(BY_ID["masterplan_realisasi"], con, AS_OF)
    assert (round(result.value, 2), result.previous_value, result.year_before_value, result.series) == (66.67, None, None, [])
    by_dimension = buckets(BY_ID["masterplan_realisasi"], con, dt.date(2026, 11, 29), dt.date(2026, 11, 29), None, "dimensi")
    assert dict(zip(by_dimension["dimensi"], by_dimension["value"], strict=True)) == {"economy": 100.0, "governance": 50.0}


def test_immunisation_and_puskesmas_visits_per_thousand(warehouse):
    cur = warehouse.cursor()
    insert(cur, "kesehatan_imunisasi", ("id", "kode_puskesmas", "bulan", "sasaran_bayi", "bayi_idl", "diperbarui_utc", "diperbarui_tgl"), [
        ("1", "P1", dt.date(2026, 9, 1), 10, 9, dt.datetime(2026, 10, 5), dt.date(2026, 10, 5)),
        ("2", "P1", dt.date(2026, 10, 1), 10, 8, dt.datetime(2026, 11, 5), dt.date(2026, 11, 5)),
        ("3", "P1", dt.date(2026, 11, 1), 10, 1, dt.datetime(2026, 11, 20), dt.date(2026, 11, 20)),  # this month: not yet
    ])
    insert(cur, "kesehatan_kunjungan", ("id", "kode_puskesmas", "nama_puskesmas", "kode_kecamatan", "bulan", "jumlah_kunjungan", "diperbarui_utc", "diperbarui_tgl"), [
        ("1", "P1", "a", "13.05.01", dt.date(2026, 10, 1), 300, dt.datetime(2026, 11, 5), dt.date(2026, 11, 5)),
        ("2", "P2", "b", "13.05.02", dt.date(2026, 10, 1), 100, dt.datetime(2026, 11, 5), dt.date(2026, 11, 5)),
    ])
    con = ibis.duckdb.from_connection(cur)
    assert compute(BY_ID["imunisasi_lengkap"], con, AS_OF).value == 85.0  # (9 + 8) / (10 + 10), January to October
    visits = replace(BY_ID["kunjungan_puskesmas"], params={"penduduk": 2000.0})
    result = compute(visits, con, AS_OF)
    assert (result.period_start, result.period_end, result.value) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31), 200.0)
    assert result.year_before_value is None  # October 2025 has no visits: residents alone are not data


def test_waste_collected_over_estimated_generation(warehouse):
    cur = warehouse.cursor()
    rows = [(dt.date(2026, 11, 10), "T1", "a", "13.05.01", 10.0), (dt.date(2026, 11, 20), "T2", "b", "13.05.02", 5.0)]
    insert(cur, "lingkungan_angkutan", ("tanggal", "kode_tps", "nama_tps", "kode_kecamatan", "tonase"), rows)
    waste = replace(BY_ID["sampah_terangkut"], params={"penduduk": 1000.0, "kg_per_orang_per_hari": 1.0})
    # 1,000 people × 1 kg = 1 t a day, 30 days to yesterday = 30 t; 15 t hauled.
    result = compute(waste, ibis.duckdb.from_connection(cur), AS_OF)
    assert (round(result.value, 6), result.denominator, result.year_before_value) == (50.0, 30.0, None)


def test_tourist_visits_year_to_last_month_against_a_year_before(warehouse):
    cur = warehouse.cursor()
    columns = ("destinasi", "kode_kecamatan", "bulan", "wisatawan_nusantara", "wisatawan_mancanegara")
    insert(cur, "pariwisata_kunjungan", columns, [
        ("Pantai Gandoriah", "13.05.01", dt.date(2026, 1, 1), 100, 5), ("Pantai Gandoriah", "13.05.01", dt.date(2026, 10, 1), 50, 0),
        ("Pantai Gandoriah", "13.05.01", dt.date(2026, 11, 1), 999, 0),  # this month: outside the period
        ("Pantai Gandoriah", "13.05.01", dt.date(2025, 3, 1), 120, 0),
        ("Pantai Gandoriah", "13.05.01", dt.date(2025, 11, 1), 777, 0),  # a year before, but after October
    ])
    result = compute(BY_ID["kunjungan_wisata"], ibis.duckdb.from_connection(cur), AS_OF)
    assert (result.value, result.year_before_value) == (155.0, 120.0)


def test_spbe_index_is_the_latest_complete_assessment(warehouse):
    from metrics.spbe.framework import framework

    version = framework("permenpanrb-59-2020")
    cur = warehouse.cursor()
    levels_2024 = {i.number: 1 + i.number % 5 for i in version.indicators}
    levels_2025 = {i.number: 1 + (i.number * 7) % 5 for i in version.indicators}
    rows = [(2024, "PermenPANRB 59/2020", n, "x", level) for n, level in levels_2024.items()]
    rows += [(2025, "PermenPANRB 59/2020", n, "x", level) for n, level in levels_2025.items()]
    rows += [(2026, "PermenPANRB 59/2020", 1, "x", 5)]  # incomplete: left out, not understated
    insert(cur, "spbe_penilaian", ("tahun", "versi_kerangka", "nomor_indikator", "nama_indikator", "tingkat"), rows)
    con = ibis.duckdb.from_connection(cur)
    result = compute(BY_ID["spbe_indeks"], con, AS_OF)
    # An assessment stands for its year from 1 January on: in November 2026 the latest complete one is 2025's. It
    # compares with the assessment before it (2024's), not with itself as the one still valid a year before, and
    # 2026, without a complete assessment, has no point.
    assert result.value == pytest.approx(version.score(levels_2025)["index"], abs=1e-12)
    assert result.year_before_value == pytest.approx(version.score(levels_2024)["index"], abs=1e-12)
    assert (result.covered, result.year_before_span) == ((dt.date(2025, 1, 1), dt.date(2025, 12, 31)), (dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert [p for p, _, _ in result.series] == ["2024-01-01", "2025-01-01"]
    in_2024 = compute(BY_ID["spbe_indeks"], con, dt.datetime(2024, 6, 1))
    assert (in_2024.value, in_2024.year_before_value) == (pytest.approx(version.score(levels_2024)["index"], abs=1e-12), None)


PAYMENT = ("id", "jenis_pajak", "kanal", "kode_kecamatan", "jumlah", "dibayar_utc", "dibayar_tgl", "status", "diperbarui_utc", "diperbarui_tgl")


def payment(id_, jenis, kanal, kecamatan, jumlah, day, status="lunas"):
    paid = dt.datetime.combine(day, dt.time(3, 0))
    return (id_, jenis, kanal, kecamatan, jumlah, paid, day, status, paid, day)


def test_tax_receipts_paid_non_cash_by_amount_and_realisation_against_the_yearly_target(warehouse):
    cur = warehouse.cursor()
    insert(cur, "pendapatan_pembayaran", PAYMENT, [
        payment("1", "pbb_p2", "qris", "13.05.01", 100_000, dt.date(2026, 1, 5)),  # the data cover the year from January
        payment("2", "pbb_p2", "tunai", "13.05.01", 300_000, dt.date(2026, 9, 30)),
        payment("3", "bphtb", "teller", "13.05.02", 4_000_000, dt.date(2026, 11, 2)),  # cash brought to the bank: cash
        payment("4", "bphtb", "virtual_account", "13.05.02", 5_000_000, dt.date(2026, 11, 3)),
        payment("5", "pbjt_tenaga_listrik", "transfer", None, 10_600_000, dt.date(2026, 11, 16)),  # PLN, regency-wide
        payment("6", "retribusi_pasar", "tunai", "13.05.01", 9_999_999, dt.date(2026, 11, 4), status="batal"),  # reversed
        payment("7", "retribusi_pasar", "tunai", "13.05.01", 777_000, dt.date(2025, 12, 31)),  # last year
        payment("8", "reklame", "transfer", "13.05.02", 1_000_000, dt.date(2025, 2, 1)),  # a year before, within 1 Jan-29 Nov
    ])
    con = ibis.duckdb.from_connection(cur)
    # Since 1 January 2026, standing payments: 100,000 + 300,000 + 4,000,000 + 5,000,000 + 10,600,000 = 20,000,000;
    # non-cash: 100,000 (QRIS) + 5,000,000 (VA) + 10,600,000 (transfer) = 15,700,000, i.e. 78.5 % by amount
    # (by count it would be 3 of 5 = 60 %).
    nontunai = compute(BY_ID["pembayaran_nontunai"], con, AS_OF)
    assert (nontunai.period_start, nontunai.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 11, 29))
    assert (nontunai.numerator, nontunai.denominator, round(nontunai.value, 9)) == (15_700_000, 20_000_000, 78.5)
    assert nontunai.year_before_value == 100.0  # 1 Jan-29 Nov 2025: the reklame transfer alone
    by_kecamatan = {m: (round(v, 9), n, d) for m, v, n, d in nontunai.breakdowns["kode_kecamatan"]}
    assert by_kecamatan == {"13.05.01": (25.0, 100_000, 400_000), "13.05.02": (round(500 / 9, 9), 5_000_000, 9_000_000)}
    assert {m: v for m, v, _, _ in nontunai.breakdowns["kanal"]} == {"qris": 100.0, "tunai": 0.0, "teller": 0.0, "virtual_account": 100.0, "transfer": 100.0}
    assert {m: round(v, 9) for m, v, _, _ in nontunai.breakdowns["jenis_pajak"]} == {"pbb_p2": 25.0, "bphtb": round(500 / 9, 9), "pbjt_tenaga_listrik": 100.0}
    assert {p: v for p, v, _ in nontunai.series}["2026-11-01"] == pytest.approx(100 * 15_600_000 / 19_600_000)  # November alone

    # Against a yearly target of Rp 40,000,000: 20,000,000 is 50 % of it; the same days of 2025 hold 1,000,000 (2.5 %).
    realisation = replace(BY_ID["pad_realisasi"], params={"target_tahunan_miliar": 0.04})
    result = compute(realisation, con, AS_OF)
    assert (round(result.value, 9), result.previous_value, round(result.year_before_value, 9)) == (50.0, None, 2.5)
    monthly = {p: v for p, v, _ in result.series}  # each month's receipts as % of the yearly target
    assert {m: round(v, 9) for m, v in monthly.items() if v} == {"2025-12-01": 1.9425, "2026-01-01": 0.25, "2026-09-01": 0.75, "2026-11-01": 49.0}
    assert status_of(result.value, realisation.thresholds.green, realisation.thresholds.amber, "higher") == "amber"  # not yet, not failed
    assert status_of(100.0, realisation.thresholds.green, realisation.thresholds.amber, "higher") == "green"
