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
