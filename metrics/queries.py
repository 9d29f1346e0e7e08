"""Indicator queries as Ibis expressions: (backend, first date, last date) -> one row per record counted.

Each returns `tanggal` (the WIB day the record counts on), `good` (whether it meets the indicator's rule) and the
columns it can be broken down by (`kode_opd`, `kode_kecamatan`); metrics.compute aggregates them per day, per
period and per breakdown. Queries select the columns they need first, use local dates stored at load (no
time-zone conversion) and exact functions only, so the same expressions run on DuckDB here and on Spark later.
"""

from __future__ import annotations

import datetime as dt

import ibis

ON_TIME_MINUTES = 7 * 60 + 30  # 07.30 WIB, Perpres 21/2023
ON_TIME_MINUTES_RAMADAN = 8 * 60  # 08.00 WIB in Ramadan


def _facts(t: ibis.Table, day: ibis.Column, good: ibis.BooleanValue, *by: str) -> ibis.Table:
    return t.select(tanggal=day, good=good.fill_null(False), **{b: t[b] for b in by})


def _working_day_number(con: ibis.BaseBackend, prefix: str) -> ibis.Table:
    # The running count of working days makes "working days between two dates" a subtraction.
    k = con.table("kalender_kerja")
    return k.select(**{f"{prefix}_tanggal": k.tanggal, f"{prefix}_urutan": k.urutan_hari_kerja})


def izin_tepat_waktu(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Decisions by decision day; good when within the SLA in working days from submission."""
    p = con.table("perizinan_permohonan").select("diajukan_tgl", "diputuskan_tgl", "sla_hari_kerja", "kode_kecamatan")
    decided = p.filter(p.diputuskan_tgl.notnull(), p.diputuskan_tgl.between(start, end))
    submitted_on, decided_on = _working_day_number(con, "s"), _working_day_number(con, "d")
    j = decided.join(submitted_on, decided.diajukan_tgl == submitted_on.s_tanggal).join(decided_on, decided.diputuskan_tgl == decided_on.d_tanggal)
    return _facts(j, j.diputuskan_tgl, (j.d_urutan - j.s_urutan) <= j.sla_hari_kerja, "kode_kecamatan")


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
