"""What each definition counts, on records whose answer is worked out by hand in the comments: attendance without
excused absence, electronic signatures on a valid certificate, the complaint clock from verification, dismissal
after ten consecutive working days, the assumptions shown with a definition, and the SPBE bands of the year."""

import datetime as dt
from dataclasses import replace

import ibis
import pytest

from metrics.catalogue import BY_ID
from metrics.compute import compute
from metrics.indicators.aparatur import CONSECUTIVE_STEP
from tests.integration.metrics.test_indicator_fixtures import AS_OF, ATTENDANCE, attendance, insert, per_day

pytestmark = pytest.mark.integration


def test_attendance_leaves_out_sick_leave_and_permitted_days_and_counts_travel_as_work(warehouse):
    cur = warehouse.cursor()
    insert(cur, "absensi_harian", ATTENDANCE, [
        # 1: Mon 23 present, Tue 24 official travel, Wed 25 sick, Thu 26 unexcused, Fri 27 annual leave.
        attendance("1", "2026-11-23", "hadir"), attendance("1", "2026-11-24", "dinas luar"),
        attendance("1", "2026-11-25", "sakit"), attendance("1", "2026-11-26", "alpa"), attendance("1", "2026-11-27", "cuti"),
        # 2: Mon 23 permitted absence, Tue 24 present; Sat 28 is not a working day.
        attendance("2", "2026-11-23", "izin", opd="DPMPTSP"), attendance("2", "2026-11-24", "hadir", opd="DPMPTSP"),
        attendance("2", "2026-11-28", "hadir", opd="DPMPTSP"),
    ])
    con = ibis.duckdb.from_connection(cur)
    # Days due at work: 1 on 23, 24, 26 and 2 on 24 (sick, leave and permitted days are not). Present or
    # travelling on 3 of the 4: 75 %.
    result = compute(BY_ID["absensi_kehadiran"], con, AS_OF)
    assert (result.value, result.numerator, result.denominator) == (75.0, 3, 4)
    assert dict((m, v) for m, v, _, _ in result.breakdowns["kode_opd"]) == {"BKPSDM": pytest.approx(200 / 3), "DPMPTSP": 100.0}


def test_a_fully_disciplined_workforce_reaches_the_attendance_target(warehouse):
    cur = warehouse.cursor()
    # Every status but unexcused absence, on the working days Mon 23 - Fri 27 November.
    days = ("2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27")
    statuses = ("hadir", "dinas luar", "sakit", "cuti", "izin")
    insert(cur, "absensi_harian", ATTENDANCE, [attendance(str(n), d, s) for n, s in enumerate(statuses) for d in days])
    result = compute(BY_ID["absensi_kehadiran"], ibis.duckdb.from_connection(cur), AS_OF)
    assert result.value == 100.0 and result.value >= BY_ID["absensi_kehadiran"].target.value


DOCUMENT = ("id", "kode_opd", "jenis_dokumen", "dibuat_utc", "dibuat_tgl", "metode", "ditandatangani_utc", "ditandatangani_tgl",
            "hasil", "diperbarui_utc", "diperbarui_tgl")


def document(id_, made, method, result, opd="DISKOMINFO"):
    m = dt.date.fromisoformat(made)
    signed = result is not None
    return (id_, opd, "Surat Dinas", dt.datetime.combine(m, dt.time(2)), m, method, dt.datetime.combine(m, dt.time(3)) if signed else None,
            m if signed else None, result, dt.datetime(2026, 11, 29), dt.date(2026, 11, 29))


def test_a_document_counts_as_signed_electronically_only_when_the_signature_succeeded(warehouse):
    cur = warehouse.cursor()
    insert(cur, "tte_dokumen", DOCUMENT, [
        document("A", "2026-11-20", "elektronik", "berhasil"),  # signed on a valid certificate: counts
        document("B", "2026-11-20", "elektronik", "gagal"),  # the BSrE service refused it
        document("C", "2026-11-23", "elektronik", "sertifikat_kedaluwarsa"),  # expired certificate
        document("E", "2026-11-24", "basah", "berhasil"),  # signed in ink
        document("F", "2026-11-26", "elektronik", "berhasil", opd="SETDA"),  # counts
        # Unsigned since Mon 23: Tue 24 - Fri 27 are four working days, past the three it may wait: counts against.
        document("G", "2026-11-23", "elektronik", None),
        # Unsigned since Tue 24: three working days (25, 26, 27), still within its wait on Sunday 29: not counted yet.
        document("H", "2026-11-24", "elektronik", None),
        document("D", "2026-11-27", "elektronik", None),  # made on Friday, still on the signer's desk: not counted yet
    ])
    con = ibis.duckdb.from_connection(cur)
    # Counted: A, B, C, E, F and G; signed electronically: A and F, 2 of 6.
    result = compute(BY_ID["tte_porsi"], con, AS_OF)
    assert (round(result.value, 6), result.numerator, result.denominator) == (round(100 / 3, 6), 2, 6)
    assert dict((m, v) for m, v, _, _ in result.breakdowns["kode_opd"]) == {"DISKOMINFO": 20.0, "SETDA": 100.0}
    # A shorter configured wait counts H against too (more than two working days), and says so.
    shorter = replace(BY_ID["tte_porsi"], params={"hari_kerja_tunggu": 2.0})
    assert compute(shorter, con, AS_OF).denominator == 7
    assert shorter.stated_assumptions()[0]["text"].startswith("Dokumen yang belum ditandatangani setelah 2 hari kerja")


def reached(con, start, end):
    """Staff per day and discipline step, the steps nobody is at left out."""
    return {k: v for k, v in per_day(con, "asn_ambang_sanksi", start, end, by="tahap").items() if v}


def test_staff_are_dismissed_after_ten_consecutive_unexcused_working_days(warehouse):
    cur = warehouse.cursor()
    # Working days around the 2026 Nyepi and Lebaran break: Mon 16, Tue 17 March, then (18-24 are holidays, cuti
    # bersama and a weekend) Wed 25, Thu 26, Fri 27, Mon 30, Tue 31 March, Wed 1, Thu 2 April, (Fri 3 is Good
    # Friday) Mon 6, Tue 7 April.
    run = ("2026-03-16", "2026-03-17", "2026-03-25", "2026-03-26", "2026-03-27", "2026-03-30", "2026-03-31", "2026-04-01", "2026-04-02", "2026-04-06")
    insert(cur, "absensi_harian", ATTENDANCE, [
        # 4: unexcused on all ten: the tenth, Mon 6 April, is dismissal although the year's count is only 10.
        *[attendance("4", d, "alpa") for d in run],
        # 5: the same days but present on Mon 30 March, and unexcused on Tue 7 April and Sat 4 April (not a working
        # day): 10 absences in the year, the longest run five (31 March - 7 April): a statement of dissatisfaction.
        *[attendance("5", d, "hadir" if d == "2026-03-30" else "alpa", opd="DPMPTSP") for d in run],
        attendance("5", "2026-04-07", "alpa", opd="DPMPTSP"), attendance("5", "2026-04-04", "alpa", opd="DPMPTSP"),
    ])
    con = ibis.duckdb.from_connection(cur)
    steps = reached(con, dt.date(2026, 4, 2), dt.date(2026, 4, 7))
    # Thu 2 April: 4 has nine days, 5 eight: both at the 7-10 step.
    assert {k: v for k, v in steps.items() if k[0] == dt.date(2026, 4, 2)} == {(dt.date(2026, 4, 2), "pernyataan tidak puas"): 2}
    # Mon 6 April: 4's tenth consecutive day; 5 has nine, not in a row.
    assert {k: v for k, v in steps.items() if k[0] == dt.date(2026, 4, 6)} == {
        (dt.date(2026, 4, 6), CONSECUTIVE_STEP): 1, (dt.date(2026, 4, 6), "pernyataan tidak puas"): 1}
    # Tue 7 April: 5 reaches ten days in the year, not in a row; 4 stays dismissed.
    assert {k: v for k, v in steps.items() if k[0] == dt.date(2026, 4, 7)} == {
        (dt.date(2026, 4, 7), CONSECUTIVE_STEP): 1, (dt.date(2026, 4, 7), "pernyataan tidak puas"): 1}
    assert per_day(con, "asn_ambang_sanksi", dt.date(2026, 4, 7), dt.date(2026, 4, 7)) == {dt.date(2026, 4, 7): 2}


def test_a_run_of_unexcused_days_continues_across_the_new_year(warehouse):
    cur = warehouse.cursor()
    # Mon 22, Tue 23, Wed 24 December 2025 (25 Christmas, 26 cuti bersama, a weekend), Mon 29, Tue 30, Wed 31
    # (1 January New Year), Fri 2, Mon 5, Tue 6, Wed 7 January 2026: ten consecutive working days.
    run = ("2025-12-22", "2025-12-23", "2025-12-24", "2025-12-29", "2025-12-30", "2025-12-31", "2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07")
    insert(cur, "absensi_harian", ATTENDANCE, [attendance("6", d, "alpa") for d in run])
    con = ibis.duckdb.from_connection(cur)
    steps = reached(con, dt.date(2026, 1, 5), dt.date(2026, 1, 8))
    # 2026's own count: 1 on 2 Jan, 2 on 5 Jan, 3 on 6 Jan (a verbal warning); the run reaches ten on 7 Jan.
    assert steps == {(dt.date(2026, 1, 6), "teguran lisan"): 1, (dt.date(2026, 1, 7), CONSECUTIVE_STEP): 1, (dt.date(2026, 1, 8), CONSECUTIVE_STEP): 1}


COMPLAINT = ("id", "kanal", "klasifikasi", "kategori", "kode_opd", "kode_kecamatan", "dilaporkan_utc", "dilaporkan_tgl",
             "diverifikasi_utc", "diverifikasi_tgl", "ditutup_utc", "ditutup_tgl", "status", "diperbarui_utc", "diperbarui_tgl")


def complaint(id_, reported, verified, closed, opd="DPMPTSP", status=None):
    r, v, c = (dt.date.fromisoformat(d) if d else None for d in (reported, verified, closed))
    status = status or ("selesai" if c else "didisposisi" if v else "belum_terverifikasi")
    return (id_, "web", "pengaduan", "x", opd, "13.05.01", dt.datetime.combine(r, dt.time(2)), r, v and dt.datetime.combine(v, dt.time(3)), v,
            c and dt.datetime.combine(c, dt.time(2)), c, status, dt.datetime(2026, 11, 29), dt.date(2026, 11, 29))


def test_the_sixty_day_clock_starts_when_the_complaint_is_verified(warehouse):
    cur = warehouse.cursor()
    insert(cur, "pengaduan_laporan", COMPLAINT, [
        # Reported 25 Aug, complete 1 Sep: deadline 31 Oct (not 24 Oct), closed that day: on time.
        complaint("P", "2026-08-25", "2026-09-01", "2026-10-31"),
        complaint("Q", "2026-09-02", "2026-09-02", "2026-11-02"),  # deadline 1 Nov, closed a day late
        complaint("R", "2026-09-03", "2026-09-03", None, opd="DISDUKCAPIL"),  # deadline 2 Nov, still open
        complaint("S", "2026-10-15", "2026-10-15", None),  # deadline 14 Dec: not due yet
        # Reported 10 Sep, complete 20 Sep: deadline 19 Nov, overdue from 20 to 24 Nov, closed 25 Nov.
        complaint("T", "2026-09-10", "2026-09-20", "2026-11-25"),
        complaint("U", "2026-09-01", None, None),  # never verified: its clock has not started
        complaint("V", "2026-09-05", "2026-09-05", "2026-09-05", status="ditolak"),  # rejected: not a complaint to resolve
    ])
    con = ibis.duckdb.from_connection(cur)
    # Deadlines in 31 Oct - 29 Nov: P (good), Q, R, T: 1 of 4 (V would have made it 2 of 5, and by report day
    # P's deadline, 24 Oct, would fall outside the period).
    result = compute(BY_ID["aduan_selesai_60h"], con, AS_OF)
    assert (result.value, result.denominator) == (25.0, 4)
    # Open more than 60 days after verification: P never (closed on its 60th day), Q never (closed on its 61st
    # day, 2 Nov), R from 3 Nov, T from 20 to 24 Nov; U, open since 1 Sep but never verified, is not counted.
    levels = per_day(con, "aduan_tertunggak", dt.date(2026, 11, 1), dt.date(2026, 11, 29))
    assert (levels[dt.date(2026, 11, 1)], levels[dt.date(2026, 11, 2)], levels[dt.date(2026, 11, 3)]) == (0, 0, 1)
    assert (levels[dt.date(2026, 11, 19)], levels[dt.date(2026, 11, 20)], levels[dt.date(2026, 11, 24)], levels[dt.date(2026, 11, 25)]) == (1, 2, 2, 1)
    by_opd = per_day(con, "aduan_tertunggak", dt.date(2026, 11, 22), dt.date(2026, 11, 22), by="kode_opd")
    assert by_opd == {(dt.date(2026, 11, 22), "DPMPTSP"): 1, (dt.date(2026, 11, 22), "DISDUKCAPIL"): 1}


def test_the_waste_assumption_is_stated_with_its_configured_value():
    waste = BY_ID["sampah_terangkut"]
    assert waste.stated_assumptions() == [{
        "text": "Timbulan sampah 0,5 kg per orang per hari adalah asumsi, bukan hasil ukur: ganti dengan hasil kajian timbulan daerah (parameter kg_per_orang_per_hari).",
        "text_en": "Waste generation of 0.5 kg per person per day is an assumption, not a measurement: replace it with the region's own generation study (parameter kg_per_orang_per_hari).",
    }]
    configured = replace(waste, params={**waste.params, "kg_per_orang_per_hari": 0.65})
    assert "0,65 kg" in configured.stated_assumptions()[0]["text"] and "0.65 kg" in configured.stated_assumptions()[0]["text_en"]


def spbe_service(warehouse, catalogue=None):
    from metrics.freshness import Policy
    from metrics.service import MetricsService

    policies = {"spbe": Policy(dt.timedelta(days=400), dt.timedelta(days=800))}
    return MetricsService(warehouse, policies, catalogue or (BY_ID["spbe_indeks"],), clock=lambda: AS_OF)


def assess(warehouse, year, framework_id, level):
    from metrics.spbe.framework import framework

    version = framework(framework_id)
    rows = [(year, version.file_name, i.number, i.name, level) for i in version.indicators]
    insert(warehouse.cursor(), "spbe_penilaian", ("tahun", "versi_kerangka", "nomor_indikator", "nama_indikator", "tingkat"), rows)


def test_the_spbe_index_is_judged_by_the_framework_in_force_for_its_year(warehouse):
    # Every indicator at level 4 gives an index of exactly 4.0 in either framework: "Sangat Baik" and amber under
    # PermenPANRB 59/2020 (Memuaskan from 4.2), "Memuaskan" and green under PermenPANRB 8/2026 (from 4.0).
    assess(warehouse, 2025, "permenpanrb-59-2020", 4)
    metrics = spbe_service(warehouse)
    metrics.refresh("spbe")
    reading = metrics.reading("spbe_indeks")
    assert (reading.value, reading.status, reading.indicator.target.value, reading.indicator.thresholds.amber) == (4.0, "amber", 4.2, 3.5)
    assert reading.indicator.target.basis == "Predikat Memuaskan mulai 4,2 menurut PermenPANRB 59/2020"
    assert metrics.spbe()["latest"]["predicate"] == "Sangat Baik" and metrics.spbe()["thresholds"] == {"target": 4.2, "green": 4.2, "amber": 3.5}

    assess(warehouse, 2026, "permenpanrb-8-2026", 4)
    metrics.refresh("spbe")
    reading = metrics.readings()[0]
    assert (reading.value, reading.status, reading.indicator.target.value, reading.indicator.thresholds.amber) == (4.0, "green", 4.0, 3.5)
    assert reading.indicator.target.basis == "Predikat Memuaskan mulai 4,0 menurut PermenPANRB 8/2026 (belum terverifikasi)"
    info = metrics.spbe()
    assert [(h["year"], h["predicate"]) for h in info["history"]] == [(2025, "Sangat Baik"), (2026, "Memuaskan")]
    assert info["thresholds"] == {"target": 4.0, "green": 4.0, "amber": 3.5}


def test_an_operators_spbe_target_wins_over_the_framework(warehouse):
    from metrics.catalogue import Override, configured

    assess(warehouse, 2026, "permenpanrb-8-2026", 4)
    catalogue = configured({"spbe_indeks": Override(target=4.5, green=4.5, amber=4.0)}, (BY_ID["spbe_indeks"],))
    metrics = spbe_service(warehouse, catalogue)
    metrics.refresh("spbe")
    reading = metrics.reading("spbe_indeks")
    assert (reading.status, reading.indicator.target.value, reading.indicator.target.basis) == ("amber", 4.5, "Target daerah (konfigurasi)")
    assert metrics.spbe()["thresholds"] == {"target": 4.5, "green": 4.5, "amber": 4.0}
