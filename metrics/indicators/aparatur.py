"""Civil service (BKPSDM, BSrE/BSSN): e-attendance under Perpres 21/2023 and PP 94/2021, electronic signatures."""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.indicator import Assumption, Indicator, Target, Thresholds
from metrics.indicators.common import GOVERNANCE
from metrics.indicators.shapes import calendar_days, facts, records, working_day_number
from metrics.periods import Period

ON_TIME_MINUTES = 7 * 60 + 30  # 07.30 WIB, Perpres 21/2023
ON_TIME_MINUTES_RAMADAN = 8 * 60  # 08.00 WIB in Ramadan
PRESENT = ("hadir", "dinas luar")  # official travel is work
EXCUSED = ("sakit", "cuti", "izin")  # days off with a valid reason: not days due at work

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
# PP 94/2021: unexcused absence on this many consecutive working days is dismissal, whatever the year's total.
CONSECUTIVE_DAYS = 10
CONSECUTIVE_STEP = "pemberhentian (10 hari kerja berturut-turut)"
# How far before 1 January a run of absences is followed: enough calendar days for ten working days (a long
# Lebaran break included), so a run that crosses the new year is still whole when it reaches ten.
RUN_LOOKBACK = dt.timedelta(days=45)
# Every step's name as the `tahap` breakdown gives it, mildest first.
STEP_NAMES: tuple[str, ...] = (*(name for _, name in SANCTION_STEPS), CONSECUTIVE_STEP)


def on_working_days(con: ibis.BaseBackend, rows: ibis.Table, *calendar: str) -> ibis.Table:
    """`rows` (by `tanggal`) that fall on working days, with the working-day calendar's `calendar` columns beside them."""
    k = con.table("kalender_kerja").select("tanggal", "hari_kerja", *calendar)
    return rows.join(k, rows.tanggal == k.tanggal).filter(k.hari_kerja)


def absensi_tepat_waktu(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Check-ins on working days; good when at or before 07.30 WIB (08.00 in Ramadan)."""
    a = records(con, "absensi_harian", ("nip", "tanggal"), "tanggal", "masuk_menit", "kode_opd")
    present = a.filter(a.tanggal.between(start, end), a.masuk_menit.notnull())
    j = on_working_days(con, present, "ramadan")
    limit = ibis.ifelse(j.ramadan, ON_TIME_MINUTES_RAMADAN, ON_TIME_MINUTES)
    return facts(j, j.tanggal, j.masuk_menit <= limit, "kode_opd")


ABSENSI_TEPAT_WAKTU = Indicator(
    id="absensi_tepat_waktu",
    name="ASN masuk tepat waktu",
    name_en="Staff arriving on time",
    short="ASN tepat waktu", short_en="Staff on time",
    description="Persentase kehadiran hari kerja dengan jam masuk paling lambat 07.30 WIB (08.00 saat Ramadan), 30 hari terakhir sampai kemarin.",
    description_en="Share of working-day check-ins at or before 07.30 WIB (08.00 in Ramadan), last 30 days to yesterday.",
    target=Target(95.0, "Target daerah (konfigurasi); jam masuk 07.30, 08.00 saat Ramadan, menurut Perpres 21/2023"),
    thresholds=Thresholds(green=95.0, amber=85.0),
    sources=("absensi",),
    period=Period(include_today=False),
    query=absensi_tepat_waktu,
    breakdowns=("kode_opd",),
    dimension=GOVERNANCE, element="birokrasi", spbe=(36, 41), wall=True,
)


def absensi_kehadiran(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Staff working days on which they were due at work; good when present or on duty elsewhere.

    Sick leave, annual leave and permitted absence are days off with a valid reason: they leave the count, so
    only an unexcused absence (alpa) counts against and a fully disciplined workforce reaches 100 %.
    """
    a = records(con, "absensi_harian", ("nip", "tanggal"), "tanggal", "status", "kode_opd")
    due = a.filter(a.tanggal.between(start, end), ~a.status.isin(EXCUSED))
    j = on_working_days(con, due)
    return facts(j, j.tanggal, j.status.isin(PRESENT), "kode_opd")


ABSENSI_KEHADIRAN = Indicator(
    id="absensi_kehadiran",
    name="Kehadiran ASN",
    name_en="Staff attendance",
    description="Persentase hari kerja pegawai yang wajib masuk dengan status hadir atau dinas luar, 30 hari terakhir sampai kemarin. Hari sakit, cuti dan izin tidak dihitung (ketidakhadiran yang sah); yang mengurangi hanya alpa (tanpa keterangan).",
    description_en="Share of staff working days due at work on which they were present or on official travel, last 30 days to yesterday. Sick, leave and permitted-absence days are not counted (absence with a valid reason); only unexcused absence (alpa) counts against.",
    target=Target(98.0, "Target daerah (konfigurasi)"),
    thresholds=Thresholds(green=98.0, amber=95.0),
    sources=("absensi",),
    period=Period(include_today=False),
    query=absensi_kehadiran,
    breakdowns=("kode_opd",),
    dimension=GOVERNANCE, element="birokrasi", spbe=(36, 41),
)


def asn_ambang_sanksi(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Each day, the staff at a PP 94/2021 step: 3 or more unexcused working-day absences since 1 January, or
    unexcused absence on 10 consecutive working days (dismissal, the most severe, shown before the count's step)."""
    a = records(con, "absensi_harian", ("nip", "tanggal"), "nip", "tanggal", "status", "kode_opd")
    first = dt.date(start.year, 1, 1)
    absent = on_working_days(con, a.filter(a.status == "alpa", a.tanggal.between(first - RUN_LOOKBACK, end)), "urutan_hari_kerja")
    absent = absent.select("nip", "tanggal", "kode_opd", "urutan_hari_kerja", "_load_id", "_origin", tahun=absent.tanggal.year())
    # Gaps and islands: along one person's absences, the working-day ordinal minus the absence's rank stays the
    # same while the days follow each other (weekends and holidays have no ordinal of their own, so they do not
    # break a run); the rank within that island is the length of the run so far.
    ranked = absent.mutate(urutan_alpa=ibis.row_number().over(group_by="nip", order_by="tanggal"))
    ranked = ranked.mutate(pulau=ranked.urutan_hari_kerja - ranked.urutan_alpa)
    ranked = ranked.mutate(
        beruntun=ibis.row_number().over(group_by=["nip", "pulau"], order_by="tanggal") + 1,
        # The running count of each person's absences in the year: the n-th absence day starts step n.
        jumlah=ibis.row_number().over(group_by=["nip", "tahun"], order_by="tanggal") + 1,
    )
    counted = ranked.filter(ranked.tanggal >= first)
    days = calendar_days(con, start, end)
    j = counted.join(days, [counted.tahun == days.d_tanggal.year(), counted.tanggal <= days.d_tanggal])
    # A row per person and day: the person is the record (their latest absence says which load and row).
    per_day = j.group_by(["d_tanggal", "nip"]).aggregate(
        jumlah=j.jumlah.max(), beruntun=j.beruntun.max(), kode_opd=j.kode_opd.arbitrary(),
        _load_id=j._load_id.argmax(j.tanggal), _origin=j._origin.argmax(j.tanggal),
    )
    reached = per_day.filter((per_day.jumlah >= SANCTION_STEPS[0][0]) | (per_day.beruntun >= CONSECUTIVE_DAYS))
    step = ibis.cases(
        (reached.beruntun >= CONSECUTIVE_DAYS, CONSECUTIVE_STEP),
        *[(reached.jumlah >= n, name) for n, name in reversed(SANCTION_STEPS)],
    )
    return reached.select(
        tanggal=reached.d_tanggal, kode_opd=reached.kode_opd, tahap=step,
        _tabel=ibis.literal("absensi_harian"), _kunci=reached.nip, _load_id=reached._load_id, _origin=reached._origin,
    )


ASN_AMBANG_SANKSI = Indicator(
    id="asn_ambang_sanksi",
    name="ASN di ambang sanksi disiplin",
    name_en="Staff at a discipline threshold",
    short="ASN ambang sanksi", short_en="Staff facing discipline",
    description="Jumlah pegawai yang mencapai tahap sanksi PP 94/2021: 3 hari kerja atau lebih tanpa keterangan sejak 1 Januari (3 hari teguran lisan, 4-6 teguran tertulis, dst., 28 pemberhentian), atau 10 hari kerja berturut-turut tanpa keterangan (pemberhentian; akhir pekan dan hari libur tidak memutus urutan). Nilai hari ini, tren mingguan.",
    description_en="Staff at a PP 94/2021 discipline step: 3 or more unexcused working-day absences since 1 January (3 days verbal warning, 4-6 written warning, and so on, 28 dismissal), or unexcused absence on 10 consecutive working days (dismissal; weekends and holidays do not break the run). Value today, weekly trend.",
    measure="level", unit="pegawai", unit_en="staff", direction="lower",
    period=Period("year_to_date"), grain="week",
    target=Target(0.0, "Target daerah (konfigurasi); tahap sanksi menurut PP 94/2021 tentang Disiplin PNS"),
    thresholds=Thresholds(green=0.0, amber=15.0),
    sources=("absensi",),
    query=asn_ambang_sanksi,
    breakdowns=("kode_opd", "tahap"),
    dimension=GOVERNANCE, element="birokrasi", spbe=(36, 41),
)


# Electronic signature (BSrE/BSSN): no national target.
def tte_porsi(con: ibis.BaseBackend, start: dt.date, end: dt.date, hari_kerja_tunggu: float) -> ibis.Table:
    """Outgoing documents by day made; good when signed electronically and the signature succeeded.

    A signature is legally strong only on a valid certified BSrE certificate: a failed attempt, one refused for an
    expired certificate, a document left unsigned and one signed in ink do not count as signed electronically. A
    document still waiting for its signature counts once signed, or once `hari_kerja_tunggu` working days have
    passed without a signature (then against): otherwise the latest days, whose letters are still on the signer's
    desk, would pull the share down.
    """
    t = records(con, "tte_dokumen", ("id",), "dibuat_tgl", "metode", "hasil", "ditandatangani_tgl", "kode_opd")
    made = t.filter(t.dibuat_tgl.between(start, end))
    made_on = working_day_number(con, "m")
    k = con.table("kalender_kerja")
    today = k.filter(k.tanggal == end).select(e_urutan=k.urutan_hari_kerja)
    j = made.join(made_on, made.dibuat_tgl == made_on.m_tanggal).cross_join(today)
    counted = j.filter(j.ditandatangani_tgl.notnull() | ((j.e_urutan - j.m_urutan) > hari_kerja_tunggu))
    return facts(counted, counted.dibuat_tgl, (counted.metode == "elektronik") & (counted.hasil == "berhasil"), "kode_opd")


TTE_PORSI = Indicator(
    id="tte_porsi",
    name="Dokumen keluar bertanda tangan elektronik",
    name_en="Outgoing documents signed electronically",
    short="Dokumen ber-TTE", short_en="E-signed documents",
    description="Persentase dokumen keluar yang berhasil ditandatangani secara elektronik dengan sertifikat BSrE yang berlaku, dari dokumen yang dibuat 30 hari terakhir. Tanda tangan gagal, sertifikat kedaluwarsa, tanda tangan basah dan dokumen yang tidak ditandatangani tidak dihitung sebagai bertanda tangan elektronik; dokumen yang masih menunggu tanda tangan dihitung setelah ditandatangani atau setelah tenggat tunggunya lewat.",
    description_en="Share of outgoing documents successfully signed electronically on a valid BSrE certificate, of documents made in the last 30 days. Failed signatures, expired certificates, ink signatures and documents left unsigned do not count as signed electronically; a document still waiting for its signature counts once signed or once its waiting time has passed.",
    params={"hari_kerja_tunggu": 3.0},
    assumptions=(Assumption(
        "Dokumen yang belum ditandatangani setelah {value} hari kerja dihitung tidak bertanda tangan elektronik; sebelum itu belum dihitung (batas kerja Pantau, bukan ketentuan BSrE; parameter hari_kerja_tunggu).",
        "A document unsigned after {value} working days counts as not signed electronically; before that it is not counted yet (Pantau's working limit, not a BSrE rule; parameter hari_kerja_tunggu).",
        param="hari_kerja_tunggu",
    ),),
    target=Target(80.0, "Target daerah (konfigurasi); tidak ada target nasional"),
    thresholds=Thresholds(green=80.0, amber=60.0),
    sources=("tte",),
    query=tte_porsi,
    breakdowns=("kode_opd",),
    dimension=GOVERNANCE, element="birokrasi", spbe=(37,),
)


def tte_gagal(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Electronic signing attempts by day; "good" here is a failure (an error or an expired certificate)."""
    t = records(con, "tte_dokumen", ("id",), "ditandatangani_tgl", "metode", "hasil", "kode_opd")
    attempts = t.filter(t.metode == "elektronik", t.ditandatangani_tgl.between(start, end))
    return facts(attempts, attempts.ditandatangani_tgl, attempts.hasil != "berhasil", "kode_opd")


TTE_GAGAL = Indicator(
    id="tte_gagal",
    name="Tanda tangan elektronik gagal",
    name_en="Failed electronic signatures",
    short="TTE gagal", short_en="Failed e-signatures",
    description="Persentase percobaan tanda tangan elektronik yang gagal atau terhalang sertifikat kedaluwarsa, 30 hari terakhir.",
    description_en="Share of electronic signing attempts that failed or met an expired certificate, last 30 days.",
    direction="lower",
    target=Target(1.0, "Target daerah (konfigurasi)"),
    thresholds=Thresholds(green=1.0, amber=3.0),
    sources=("tte",),
    query=tte_gagal,
    breakdowns=("kode_opd",),
    dimension=GOVERNANCE, element="birokrasi", spbe=(37,),
)


INDICATORS: tuple[Indicator, ...] = (ABSENSI_TEPAT_WAKTU, ABSENSI_KEHADIRAN, ASN_AMBANG_SANKSI, TTE_PORSI, TTE_GAGAL)
