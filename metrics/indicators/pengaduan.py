"""Complaints (SP4N-LAPOR!): UU 25/2009 and Perpres 76/2013."""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.indicator import Indicator, Target, Thresholds
from metrics.indicators.common import GOVERNANCE
from metrics.indicators.shapes import facts, open_each_day, records, values, working_day_number

RESOLUTION_DAYS = 60  # final resolution within 60 days of a complete complaint (UU 25/2009, Perpres 76/2013)


def aduan_verifikasi_3hk(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Complaints by report day whose 3-working-day verification deadline has come; good when it was met.

    A complaint reported within the last three working days and not yet verified is not counted yet: its
    deadline has not passed. One verified late, or never, counts against.
    """
    a = records(con, "pengaduan_laporan", ("id",), "dilaporkan_tgl", "diverifikasi_tgl", "kode_opd", "kode_kecamatan")
    reported_on, verified_on = working_day_number(con, "r"), working_day_number(con, "v")
    k = con.table("kalender_kerja")
    today = k.filter(k.tanggal == end).select(e_urutan=k.urutan_hari_kerja)
    reported = a.filter(a.dilaporkan_tgl.between(start, end))
    j = (
        reported.join(reported_on, reported.dilaporkan_tgl == reported_on.r_tanggal)
        .left_join(verified_on, reported.diverifikasi_tgl == verified_on.v_tanggal)
        .cross_join(today)
    )
    j = j.mutate(on_time=(j.v_urutan.notnull() & ((j.v_urutan - j.r_urutan) <= 3)).fill_null(False))
    counted = j.filter(j.on_time | ((j.e_urutan - j.r_urutan) > 3))
    return facts(counted, counted.dilaporkan_tgl, counted.on_time, "kode_opd", "kode_kecamatan")


ADUAN_VERIFIKASI_3HK = Indicator(
    id="aduan_verifikasi_3hk",
    name="Aduan diverifikasi ≤ 3 hari kerja",
    name_en="Complaints verified within 3 working days",
    short="Verifikasi aduan ≤ 3 HK", short_en="Complaints verified ≤ 3 work days",
    description="Persentase aduan SP4N-LAPOR! yang diverifikasi paling lambat 3 hari kerja setelah dilaporkan, dari aduan 30 hari terakhir yang tenggatnya sudah lewat.",
    description_en="Share of SP4N-LAPOR! complaints verified within 3 working days of the report, of those reported in the last 30 days whose deadline has passed.",
    target=Target(100.0, "Perpres 76/2013 dan UU 25/2009: verifikasi paling lambat 3 hari kerja"),
    thresholds=Thresholds(green=100.0, amber=90.0),
    sources=("pengaduan",),
    query=aduan_verifikasi_3hk,
    breakdowns=("kode_opd", "kode_kecamatan"),
    dimension=GOVERNANCE, element="pelayanan publik", spbe=(42,),
)


def _complete(con: ibis.BaseBackend) -> ibis.Table:
    """Complete complaints: verified and not rejected. Their 60-day resolution clock starts on the verification day.

    A report not yet verified is not complete, so its clock has not started (late verification is counted by
    aduan_verifikasi_3hk); a rejected one (spam, duplicate, too little detail) never becomes a complaint to resolve.
    """
    a = records(con, "pengaduan_laporan", ("id",), "diverifikasi_tgl", "ditutup_tgl", "status", "kode_opd", "kode_kecamatan")
    return a.filter(a.diverifikasi_tgl.notnull(), a.status != "ditolak")


def aduan_selesai_60h(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Complete complaints by the day their 60-day deadline fell (60 days after verification); good when closed by then.

    Counting by deadline day compares like with like: a complaint enters once its 60 days are over, closed or not.
    """
    a = _complete(con)
    due = a.filter(a.diverifikasi_tgl.between(start - dt.timedelta(days=RESOLUTION_DAYS), end - dt.timedelta(days=RESOLUTION_DAYS)))
    deadline = (due.diverifikasi_tgl + ibis.interval(days=RESOLUTION_DAYS)).cast("date")
    return facts(due, deadline, due.ditutup_tgl.notnull() & (due.ditutup_tgl <= deadline), "kode_opd", "kode_kecamatan")


ADUAN_SELESAI_60H = Indicator(
    id="aduan_selesai_60h",
    name="Aduan selesai ≤ 60 hari",
    name_en="Complaints closed within 60 days",
    short_en="Complaints closed ≤ 60 days",
    description="Persentase aduan yang ditutup paling lambat 60 hari sejak aduan lengkap (terverifikasi), dari aduan yang tenggat 60 harinya jatuh dalam 30 hari terakhir. Laporan yang belum diverifikasi atau ditolak tidak dihitung.",
    description_en="Share of complaints closed within 60 days of becoming complete (verified), of those whose 60-day deadline fell in the last 30 days. Reports not yet verified, or rejected, are not counted.",
    target=Target(90.0, "Target daerah (konfigurasi); penyelesaian paling lambat 60 hari sejak aduan lengkap (UU 25/2009, Perpres 76/2013)"),
    thresholds=Thresholds(green=90.0, amber=75.0),
    sources=("pengaduan",),
    query=aduan_selesai_60h,
    breakdowns=("kode_opd", "kode_kecamatan"),
    dimension=GOVERNANCE, element="pelayanan publik", spbe=(42,),
)


def aduan_tertunggak(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Each day, the complete complaints still open more than 60 days after they were verified."""
    a = _complete(con)
    # More than 60 days after verification: from the 61st day on.
    overdue_from = (a.diverifikasi_tgl + ibis.interval(days=RESOLUTION_DAYS + 1)).cast("date")
    j = open_each_day(con, start, end, a, overdue_from, a.ditutup_tgl)
    return values(j, j.d_tanggal, "kode_opd", "kode_kecamatan")


ADUAN_TERTUNGGAK = Indicator(
    id="aduan_tertunggak",
    name="Aduan tertunggak > 60 hari",
    name_en="Complaints open over 60 days",
    short="Aduan > 60 hari", short_en="Complaints > 60 days",
    description="Jumlah aduan yang masih terbuka lebih dari 60 hari sejak aduan lengkap (terverifikasi), per OPD tujuan. Laporan yang belum diverifikasi tidak dihitung. Nilai hari ini, tren harian 30 hari.",
    description_en="Complaints still open more than 60 days after becoming complete (verified), by responsible OPD. Reports not yet verified are not counted. Value today, daily trend over 30 days.",
    measure="level", unit="aduan", unit_en="complaints", direction="lower",
    target=Target(0.0, "UU 25/2009, Perpres 76/2013: aduan diselesaikan paling lambat 60 hari sejak aduan lengkap"),
    thresholds=Thresholds(green=0.0, amber=10.0),
    sources=("pengaduan",),
    query=aduan_tertunggak,
    breakdowns=("kode_opd", "kode_kecamatan"),
    dimension=GOVERNANCE, element="pelayanan publik", spbe=(42,),
)


INDICATORS: tuple[Indicator, ...] = (ADUAN_VERIFIKASI_3HK, ADUAN_SELESAI_60H, ADUAN_TERTUNGGAK)
