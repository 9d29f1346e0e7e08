"""Indicator queries as Ibis expressions: (backend, first date, last date) -> tanggal, numerator, denominator per day.

Each query selects the columns it needs first: less to scan, and nothing engine-specific carried along.
"""

from __future__ import annotations

import datetime as dt

import ibis
from ibis import _

ON_TIME_MINUTES = 7 * 60 + 30  # 07.30 WIB, Perpres 21/2023
ON_TIME_MINUTES_RAMADAN = 8 * 60  # 08.00 WIB in Ramadan


def _per_day(t: ibis.Table, day: ibis.Column, good: ibis.BooleanValue) -> ibis.Table:
    return t.mutate(tanggal=day, _good=good.cast("int64")).group_by("tanggal").aggregate(
        numerator=_._good.sum(), denominator=_.count()
    )


def izin_tepat_waktu(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Decisions per decision day, and how many came within the SLA in working days."""
    p = con.table("perizinan_permohonan").select("diajukan_tgl", "diputuskan_tgl", "sla_hari_kerja")
    k = con.table("kalender_kerja")
    decided = p.filter(p.diputuskan_tgl.notnull(), p.diputuskan_tgl.between(start, end))
    submitted_on = k.select(s_tanggal=k.tanggal, s_urutan=k.urutan_hari_kerja)
    decided_on = k.select(d_tanggal=k.tanggal, d_urutan=k.urutan_hari_kerja)
    j = decided.join(submitted_on, decided.diajukan_tgl == submitted_on.s_tanggal).join(
        decided_on, decided.diputuskan_tgl == decided_on.d_tanggal
    )
    # The running count of working days makes "working days from submission to decision" a subtraction.
    return _per_day(j, j.diputuskan_tgl, (j.d_urutan - j.s_urutan) <= j.sla_hari_kerja)


def lahir_tercatat_60h(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Birth registrations per registration day, and how many came within 60 days of the birth."""
    b = con.table("dukcapil_kelahiran").select("tanggal_lahir", "daftar_tgl")
    registered = b.filter(b.daftar_tgl.between(start, end))
    return _per_day(registered, registered.daftar_tgl, registered.daftar_tgl.delta(registered.tanggal_lahir, unit="day") <= 60)


def absensi_tepat_waktu(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Check-ins on working days, and how many at or before 07.30 WIB (08.00 in Ramadan)."""
    a = con.table("absensi_harian").select("tanggal", "masuk_menit")
    k = con.table("kalender_kerja").select("tanggal", "hari_kerja", "ramadan")
    present = a.filter(a.tanggal.between(start, end), a.masuk_menit.notnull())
    j = present.join(k, present.tanggal == k.tanggal).filter(_.hari_kerja)
    limit = ibis.ifelse(j.ramadan, ON_TIME_MINUTES_RAMADAN, ON_TIME_MINUTES)
    return _per_day(j, j.tanggal, j.masuk_menit <= limit)


def izin_daring(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Applications per submission day, and how many were filed online."""
    p = con.table("perizinan_permohonan").select("diajukan_tgl", "kanal")
    filed = p.filter(p.diajukan_tgl.between(start, end))
    return _per_day(filed, filed.diajukan_tgl, filed.kanal == "daring")


def kematian_tercatat_30h(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Death registrations per registration day, and how many came within 30 days of the death."""
    d = con.table("dukcapil_kematian").select("tanggal_meninggal", "daftar_tgl")
    registered = d.filter(d.daftar_tgl.between(start, end))
    return _per_day(registered, registered.daftar_tgl, registered.daftar_tgl.delta(registered.tanggal_meninggal, unit="day") <= 30)


def tte_porsi(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Outgoing documents per day made, and how many are signed electronically rather than in ink."""
    t = con.table("tte_dokumen").select("dibuat_tgl", "metode")
    made = t.filter(t.dibuat_tgl.between(start, end))
    return _per_day(made, made.dibuat_tgl, made.metode == "elektronik")


def tte_gagal(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Electronic signing attempts per day, and how many failed (an error or an expired certificate)."""
    t = con.table("tte_dokumen").select("ditandatangani_tgl", "metode", "hasil")
    attempts = t.filter(t.metode == "elektronik", t.ditandatangani_tgl.between(start, end))
    return _per_day(attempts, attempts.ditandatangani_tgl, attempts.hasil != "berhasil")


def damkar_respons_15m(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Fire and rescue incidents per report day, and how many were reached within 15 minutes of the report.

    An incident not reached (no arrival time) counts as not within 15 minutes.
    """
    d = con.table("damkar_kejadian").select("dilaporkan_utc", "dilaporkan_tgl", "tiba_utc")
    reported = d.filter(d.dilaporkan_tgl.between(start, end))
    reached = reported.tiba_utc.notnull() & (reported.tiba_utc.delta(reported.dilaporkan_utc, unit="second") <= 15 * 60)
    return _per_day(reported, reported.dilaporkan_tgl, reached.fill_null(False))


def aduan_verifikasi_3hk(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Complaints per report day whose 3-working-day verification deadline has come, and how many met it.

    A complaint reported within the last three working days and not yet verified is not counted yet: its
    deadline has not passed. One verified late, or never, counts against.
    """
    a = con.table("pengaduan_laporan").select("dilaporkan_tgl", "diverifikasi_tgl")
    k = con.table("kalender_kerja")
    reported_on = k.select(r_tanggal=k.tanggal, r_urutan=k.urutan_hari_kerja)
    verified_on = k.select(v_tanggal=k.tanggal, v_urutan=k.urutan_hari_kerja)
    today = k.filter(k.tanggal == end).select(e_urutan=k.urutan_hari_kerja)
    reported = a.filter(a.dilaporkan_tgl.between(start, end))
    j = (
        reported.join(reported_on, reported.dilaporkan_tgl == reported_on.r_tanggal)
        .left_join(verified_on, reported.diverifikasi_tgl == verified_on.v_tanggal)
        .cross_join(today)
    )
    on_time = j.v_urutan.notnull() & ((j.v_urutan - j.r_urutan) <= 3)
    due = on_time | ((j.e_urutan - j.r_urutan) > 3)
    counted = j.filter(due)
    return _per_day(counted, counted.dilaporkan_tgl, (counted.v_urutan.notnull() & ((counted.v_urutan - counted.r_urutan) <= 3)).fill_null(False))
