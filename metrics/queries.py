"""Indicator queries as Ibis expressions: (backend, first date, last date, **parameters) -> one row per record counted.

Each returns `tanggal` (the WIB day the record counts on), the columns its measure reads (`good` for a share,
`num` and `den` for a ratio, `nilai` for a sum, median or latest reading; see metrics.compute) and the columns it
can be broken down by (`kode_opd`, `kode_kecamatan`); metrics.compute aggregates them per day, per period and per
breakdown. A stock ("level": open cases, staff at a sanction threshold) yields one row per item and day it is
in that state. Queries select the columns they need first, use local dates stored at load (no
time-zone conversion) and exact functions only, so the same expressions run on DuckDB here and on Spark later.
"""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.spbe.framework import available, framework

ON_TIME_MINUTES = 7 * 60 + 30  # 07.30 WIB, Perpres 21/2023
ON_TIME_MINUTES_RAMADAN = 8 * 60  # 08.00 WIB in Ramadan


def _facts(t: ibis.Table, day: ibis.Column, good: ibis.BooleanValue, *by: str) -> ibis.Table:
    return t.select(tanggal=day, good=good.fill_null(False), **{b: t[b] for b in by})


def _values(t: ibis.Table, day: ibis.Column, *by: str, **measures: ibis.Value) -> ibis.Table:
    return t.select(tanggal=day.cast("date"), **measures, **{b: t[b] for b in by})


def _days(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """One row per calendar day in [start, end]: `d_tanggal`, `d_urutan` (running working-day count)."""
    k = con.table("kalender_kerja")
    return k.filter(k.tanggal.between(start, end)).select(d_tanggal=k.tanggal, d_urutan=k.urutan_hari_kerja)


def _working_day_number(con: ibis.BaseBackend, prefix: str) -> ibis.Table:
    # The running count of working days makes "working days between two dates" a subtraction.
    k = con.table("kalender_kerja")
    return k.select(**{f"{prefix}_tanggal": k.tanggal, f"{prefix}_urutan": k.urutan_hari_kerja})


def _decisions(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Applications decided in [start, end], with `hari_kerja`: working days from submission to decision."""
    p = con.table("perizinan_permohonan").select("diajukan_tgl", "diputuskan_tgl", "sla_hari_kerja", "kode_kecamatan")
    decided = p.filter(p.diputuskan_tgl.notnull(), p.diputuskan_tgl.between(start, end))
    submitted_on, decided_on = _working_day_number(con, "s"), _working_day_number(con, "d")
    j = decided.join(submitted_on, decided.diajukan_tgl == submitted_on.s_tanggal).join(decided_on, decided.diputuskan_tgl == decided_on.d_tanggal)
    return j.mutate(hari_kerja=j.d_urutan - j.s_urutan)


def izin_tepat_waktu(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Decisions by decision day; good when within the SLA in working days from submission."""
    d = _decisions(con, start, end)
    return _facts(d, d.diputuskan_tgl, d.hari_kerja <= d.sla_hari_kerja, "kode_kecamatan")


def lahir_tercatat_60h(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Birth registrations by registration day; good when within 60 days of the birth."""
    b = con.table("dukcapil_kelahiran").select("tanggal_lahir", "daftar_tgl", "kode_kecamatan")
    registered = b.filter(b.daftar_tgl.between(start, end))
    return _facts(registered, registered.daftar_tgl, registered.daftar_tgl.delta(registered.tanggal_lahir, unit="day") <= 60, "kode_kecamatan")


def absensi_tepat_waktu(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Check-ins on working days; good when at or before 07.30 WIB (08.00 in Ramadan)."""
    a = con.table("absensi_harian").select("tanggal", "masuk_menit", "kode_opd")
    k = con.table("kalender_kerja").select("tanggal", "hari_kerja", "ramadan")
    present = a.filter(a.tanggal.between(start, end), a.masuk_menit.notnull())
    j = present.join(k, present.tanggal == k.tanggal).filter(k.hari_kerja)
    limit = ibis.ifelse(j.ramadan, ON_TIME_MINUTES_RAMADAN, ON_TIME_MINUTES)
    return _facts(j, j.tanggal, j.masuk_menit <= limit, "kode_opd")


def izin_daring(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Applications by submission day; good when filed online."""
    p = con.table("perizinan_permohonan").select("diajukan_tgl", "kanal", "kode_kecamatan")
    filed = p.filter(p.diajukan_tgl.between(start, end))
    return _facts(filed, filed.diajukan_tgl, filed.kanal == "daring", "kode_kecamatan")


def kematian_tercatat_30h(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Death registrations by registration day; good when within 30 days of the death."""
    d = con.table("dukcapil_kematian").select("tanggal_meninggal", "daftar_tgl", "kode_kecamatan")
    registered = d.filter(d.daftar_tgl.between(start, end))
    return _facts(registered, registered.daftar_tgl, registered.daftar_tgl.delta(registered.tanggal_meninggal, unit="day") <= 30, "kode_kecamatan")


def tte_porsi(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Outgoing documents by day made; good when signed electronically rather than in ink."""
    t = con.table("tte_dokumen").select("dibuat_tgl", "metode", "kode_opd")
    made = t.filter(t.dibuat_tgl.between(start, end))
    return _facts(made, made.dibuat_tgl, made.metode == "elektronik", "kode_opd")


def tte_gagal(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Electronic signing attempts by day; "good" here is a failure (an error or an expired certificate)."""
    t = con.table("tte_dokumen").select("ditandatangani_tgl", "metode", "hasil", "kode_opd")
    attempts = t.filter(t.metode == "elektronik", t.ditandatangani_tgl.between(start, end))
    return _facts(attempts, attempts.ditandatangani_tgl, attempts.hasil != "berhasil", "kode_opd")


def damkar_respons_15m(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Fire and rescue incidents by report day; good when reached within 15 minutes (never reached: not good)."""
    d = con.table("damkar_kejadian").select("dilaporkan_utc", "dilaporkan_tgl", "tiba_utc", "kode_kecamatan")
    reported = d.filter(d.dilaporkan_tgl.between(start, end))
    reached = reported.tiba_utc.notnull() & (reported.tiba_utc.delta(reported.dilaporkan_utc, unit="second") <= 15 * 60)
    return _facts(reported, reported.dilaporkan_tgl, reached, "kode_kecamatan")


def aduan_verifikasi_3hk(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Complaints by report day whose 3-working-day verification deadline has come; good when it was met.

    A complaint reported within the last three working days and not yet verified is not counted yet: its
    deadline has not passed. One verified late, or never, counts against.
    """
    a = con.table("pengaduan_laporan").select("dilaporkan_tgl", "diverifikasi_tgl", "kode_opd", "kode_kecamatan")
    reported_on, verified_on = _working_day_number(con, "r"), _working_day_number(con, "v")
    k = con.table("kalender_kerja")
    today = k.filter(k.tanggal == end).select(e_urutan=k.urutan_hari_kerja)
    reported = a.filter(a.dilaporkan_tgl.between(start, end))
    j = (
        reported.join(reported_on, reported.dilaporkan_tgl == reported_on.r_tanggal)
        .left_join(verified_on, reported.diverifikasi_tgl == verified_on.v_tanggal)
        .cross_join(today)
    )
    on_time = (j.v_urutan.notnull() & ((j.v_urutan - j.r_urutan) <= 3)).fill_null(False)
    counted = j.filter(on_time | ((j.e_urutan - j.r_urutan) > 3))
    return _facts(counted, counted.dilaporkan_tgl, (counted.v_urutan.notnull() & ((counted.v_urutan - counted.r_urutan) <= 3)), "kode_opd", "kode_kecamatan")


def izin_durasi_median(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Decisions by decision day; `nilai` is the working days from submission to decision."""
    d = _decisions(con, start, end)
    return _values(d, d.diputuskan_tgl, "kode_kecamatan", nilai=d.hari_kerja.cast("float64"))


def izin_lewat_sla(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Each day, the applications still undecided that have outrun their SLA in working days (fiktif-positif risk)."""
    p = con.table("perizinan_permohonan").select("diajukan_tgl", "diputuskan_tgl", "sla_hari_kerja", "kode_kecamatan")
    maybe_open = p.filter(p.diajukan_tgl <= end, p.diputuskan_tgl.isnull() | (p.diputuskan_tgl > start))
    submitted_on = _working_day_number(con, "s")
    apps = maybe_open.join(submitted_on, maybe_open.diajukan_tgl == submitted_on.s_tanggal)
    days = _days(con, start, end)
    j = apps.join(days, [apps.diajukan_tgl <= days.d_tanggal, apps.diputuskan_tgl.isnull() | (apps.diputuskan_tgl > days.d_tanggal)])
    late = j.filter((j.d_urutan - j.s_urutan) > j.sla_hari_kerja)
    return _values(late, late.d_tanggal, "kode_kecamatan")


def izin_usaha_terbit(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Business licences issued, by decision day."""
    p = con.table("perizinan_permohonan").select("jenis", "status", "diputuskan_tgl", "kode_kecamatan")
    issued = p.filter(p.jenis == "usaha", p.status == "terbit", p.diputuskan_tgl.between(start, end))
    return _values(issued, issued.diputuskan_tgl, "kode_kecamatan")


def aduan_selesai_60h(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Complaints by the day their 60-day deadline fell; good when closed by then.

    Counting by deadline day compares like with like: a complaint enters once its 60 days are over, closed or not.
    """
    a = con.table("pengaduan_laporan").select("dilaporkan_tgl", "ditutup_tgl", "kode_opd", "kode_kecamatan")
    window = ibis.interval(days=60)
    due = a.filter(a.dilaporkan_tgl.between(start - dt.timedelta(days=60), end - dt.timedelta(days=60)))
    deadline = (due.dilaporkan_tgl + window).cast("date")
    return _facts(due, deadline, due.ditutup_tgl.notnull() & (due.ditutup_tgl <= deadline), "kode_opd", "kode_kecamatan")


def aduan_tertunggak(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Each day, the complaints still open more than 60 days after they were reported."""
    a = con.table("pengaduan_laporan").select("dilaporkan_tgl", "ditutup_tgl", "kode_opd", "kode_kecamatan")
    maybe_open = a.filter(a.dilaporkan_tgl <= end - dt.timedelta(days=61), a.ditutup_tgl.isnull() | (a.ditutup_tgl > start))
    days = _days(con, start, end)
    j = maybe_open.join(
        days,
        [(maybe_open.dilaporkan_tgl + ibis.interval(days=60)).cast("date") < days.d_tanggal,
         maybe_open.ditutup_tgl.isnull() | (maybe_open.ditutup_tgl > days.d_tanggal)],
    )
    return _values(j, j.d_tanggal, "kode_opd", "kode_kecamatan")


def akta_terbit_median(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Birth certificates by issue day; `nilai` is the days from registration to issue."""
    b = con.table("dukcapil_kelahiran").select("daftar_tgl", "akta_terbit_tgl", "kode_kecamatan")
    issued = b.filter(b.akta_terbit_tgl.between(start, end))
    return _values(issued, issued.akta_terbit_tgl, "kode_kecamatan", nilai=issued.akta_terbit_tgl.delta(issued.daftar_tgl, unit="day").cast("float64"))


PRESENT = ("hadir", "dinas luar")


def absensi_kehadiran(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Staff working days; good when present or on duty elsewhere (leave, sickness and unexcused absence count against)."""
    a = con.table("absensi_harian").select("tanggal", "status", "kode_opd")
    k = con.table("kalender_kerja").select("tanggal", "hari_kerja")
    days = a.filter(a.tanggal.between(start, end))
    j = days.join(k, days.tanggal == k.tanggal).filter(k.hari_kerja)
    return _facts(j, j.tanggal, j.status.isin(PRESENT), "kode_opd")


# PP 94/2021: cumulative unexcused absence days in a year and the discipline step each reaches.
SANCTION_STEPS: tuple[tuple[int, str], ...] = (
    (3, "teguran lisan"),
    (4, "teguran tertulis"),
    (7, "pernyataan tidak puas"),
    (11, "pemotongan tunjangan"),
    (21, "penurunan jabatan"),
    (25, "pembebasan jabatan"),
    (28, "pemberhentian"),
)


def asn_ambang_sanksi(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Each day, the staff with 3 or more unexcused working-day absences since 1 January, with the step reached."""
    a = con.table("absensi_harian").select("nip", "tanggal", "status", "kode_opd")
    k = con.table("kalender_kerja").select("tanggal", "hari_kerja")
    first = dt.date(start.year, 1, 1)
    absent = a.filter(a.status == "alpa", a.tanggal.between(first, end))
    absent = absent.join(k, absent.tanggal == k.tanggal).filter(k.hari_kerja)
    absent = absent.select("nip", "tanggal", "kode_opd", tahun=absent.tanggal.year())
    # The running count of each person's absences in the year: the n-th absence day starts step n.
    counted = absent.mutate(jumlah=ibis.row_number().over(group_by=["nip", "tahun"], order_by="tanggal") + 1)
    days = _days(con, start, end)
    j = counted.join(days, [counted.tahun == days.d_tanggal.year(), counted.tanggal <= days.d_tanggal])
    per_day = j.group_by(["d_tanggal", "nip"]).aggregate(jumlah=j.jumlah.max(), kode_opd=j.kode_opd.arbitrary())
    reached = per_day.filter(per_day.jumlah >= SANCTION_STEPS[0][0])
    step = ibis.cases(*[(reached.jumlah >= n, name) for n, name in reversed(SANCTION_STEPS)])
    return reached.select(tanggal=reached.d_tanggal, kode_opd=reached.kode_opd, tahap=step)


def masterplan_realisasi(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """The masterplan's programmes as last reported (the source keeps no history); good when done."""
    m = con.table("masterplan_program").select("status", "dimensi", "kode_opd")
    return _facts(m, ibis.literal(end), m.status == "selesai", "dimensi", "kode_opd")


def imunisasi_lengkap(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Infants completing basic immunisation against the monthly target, per Puskesmas and month."""
    i = con.table("kesehatan_imunisasi").select("bulan", "sasaran_bayi", "bayi_idl")
    months = i.filter(i.bulan.between(start, end), i.sasaran_bayi > 0)
    return _values(months, months.bulan, num=months.bayi_idl.cast("float64"), den=months.sasaran_bayi.cast("float64"))


def kunjungan_puskesmas(con: ibis.BaseBackend, start: dt.date, end: dt.date, penduduk: float) -> ibis.Table:
    """Puskesmas visits per 1,000 residents and month: visits per Puskesmas and month, over one row per month of
    residents ÷ 1,000 (with no `num`: residents alone are not data)."""
    v = con.table("kesehatan_kunjungan").select("bulan", "jumlah_kunjungan")
    visits = v.filter(v.bulan.between(start, end))
    days = _days(con, start, end)
    months = days.filter(days.d_tanggal.day() == 1)
    return _values(visits, visits.bulan, num=visits.jumlah_kunjungan.cast("float64"), den=ibis.literal(0.0)).union(
        _values(months, months.d_tanggal, num=ibis.null("float64"), den=ibis.literal(penduduk / 1000.0))
    )


def sampah_terangkut(con: ibis.BaseBackend, start: dt.date, end: dt.date, penduduk: float, kg_per_orang_per_hari: float) -> ibis.Table:
    """Tonnes collected over the waste estimated to arise: residents × kg per person per day, one row per calendar
    day (with no `num`: an estimate alone is not data)."""
    w = con.table("lingkungan_angkutan").select("tanggal", "tonase")
    hauled = w.filter(w.tanggal.between(start, end))
    days = _days(con, start, end)
    arising = penduduk * kg_per_orang_per_hari / 1000.0  # tonnes a day
    return _values(hauled, hauled.tanggal, num=hauled.tonase.cast("float64"), den=ibis.literal(0.0)).union(
        _values(days, days.d_tanggal, num=ibis.null("float64"), den=ibis.literal(arising))
    )


def kunjungan_wisata(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Domestic and foreign visitors per destination and month."""
    p = con.table("pariwisata_kunjungan").select("bulan", "wisatawan_nusantara", "wisatawan_mancanegara", "kode_kecamatan")
    months = p.filter(p.bulan.between(start, end))
    return _values(months, months.bulan, "kode_kecamatan", nilai=(months.wisatawan_nusantara + months.wisatawan_mancanegara).cast("float64"))


def _spbe_weights() -> ibis.Table:
    rows = [
        {"w_versi": framework(f).name.split(" (")[0], "w_nomor": i.number, "w_bobot": float(i.weight), "w_jumlah": len(framework(f).indicators)}
        for f in available()
        for i in framework(f).indicators
    ]
    return ibis.memtable(rows, schema={"w_versi": "string", "w_nomor": "int64", "w_bobot": "float64", "w_jumlah": "int64"})


def spbe_indeks(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Each complete self-assessment year, dated 1 January (it stands for its year from import on): `nilai` is each
    indicator's weight (%) × level ÷ 100.

    The index is their sum (PermenPANRB 59/2020); a year missing an indicator is left out rather than understated.
    """
    s = con.table("spbe_penilaian").select("tahun", "versi_kerangka", "nomor_indikator", "tingkat")
    w = _spbe_weights()
    j = s.join(w, [s.versi_kerangka == w.w_versi, s.nomor_indikator.cast("int64") == w.w_nomor])
    j = j.mutate(assessed=j.w_nomor.count().over(group_by=["tahun", "versi_kerangka"]))
    complete = j.filter(j.assessed == j.w_jumlah)
    dated = complete.mutate(tanggal=ibis.date(complete.tahun.cast("int32"), 1, 1))
    dated = dated.filter(dated.tanggal.between(start, end))
    return dated.select("tanggal", nilai=dated.w_bobot * dated.tingkat.cast("float64") / 100.0)
