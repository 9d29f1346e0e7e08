"""Licensing (DPMPTSP, OSS-RBA): PP 28/2025 sets each stage's SLA; a missed SLA counts as granted (fiktif positif)."""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.indicator import Indicator, Target, Thresholds
from metrics.indicators.common import BRANDING, GOVERNANCE, GROWTH, GROWTH_BANDS, SPBE_SERVICE
from metrics.indicators.shapes import facts, open_each_day, records, values, working_day_number
from metrics.periods import Period


def _decisions(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Applications decided in [start, end], with `hari_kerja`: working days from submission to decision."""
    p = records(con, "perizinan_permohonan", ("id",), "diajukan_tgl", "diputuskan_tgl", "sla_hari_kerja", "kode_kecamatan")
    decided = p.filter(p.diputuskan_tgl.notnull(), p.diputuskan_tgl.between(start, end))
    submitted_on, decided_on = working_day_number(con, "s"), working_day_number(con, "d")
    j = decided.join(submitted_on, decided.diajukan_tgl == submitted_on.s_tanggal).join(decided_on, decided.diputuskan_tgl == decided_on.d_tanggal)
    return j.mutate(hari_kerja=j.d_urutan - j.s_urutan)


def izin_tepat_waktu(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Decisions by decision day; good when within the SLA in working days from submission."""
    d = _decisions(con, start, end)
    return facts(d, d.diputuskan_tgl, d.hari_kerja <= d.sla_hari_kerja, "kode_kecamatan")


IZIN_TEPAT_WAKTU = Indicator(
    id="izin_tepat_waktu",
    name="Izin diputus tepat waktu",
    name_en="Licences decided within SLA",
    short="Izin tepat waktu", short_en="Licences within SLA",
    description="Persentase permohonan izin yang diputus (terbit atau ditolak) dalam SLA hari kerjanya, menurut tanggal putusan, 30 hari terakhir.",
    description_en="Share of licence applications decided (issued or refused) within their SLA in working days, by decision date, last 30 days.",
    target=Target(95.0, "Target daerah (konfigurasi); SLA per jenis izin (PP 28/2025, OSS-RBA)"),
    thresholds=Thresholds(green=95.0, amber=85.0),
    sources=("perizinan",),
    query=izin_tepat_waktu,
    breakdowns=("kode_kecamatan",),
    dimension=GOVERNANCE, element="pelayanan publik", spbe=SPBE_SERVICE, wall=True,
)


def izin_durasi_median(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Decisions by decision day; `nilai` is the working days from submission to decision."""
    d = _decisions(con, start, end)
    return values(d, d.diputuskan_tgl, "kode_kecamatan", nilai=d.hari_kerja.cast("float64"))


IZIN_DURASI_MEDIAN = Indicator(
    id="izin_durasi_median",
    name="Lama putusan izin (median)",
    name_en="Median licence decision time",
    short="Lama putusan izin", short_en="Licence decision time",
    description="Median hari kerja dari pengajuan sampai putusan, untuk permohonan yang diputus 30 hari terakhir.",
    description_en="Median working days from submission to decision, for applications decided in the last 30 days.",
    measure="median", unit="hari kerja", unit_en="working days", direction="lower",
    target=Target(5.0, "Target daerah (konfigurasi); SLA per jenis izin menurut PP 28/2025"),
    thresholds=Thresholds(green=5.0, amber=10.0),
    sources=("perizinan",),
    query=izin_durasi_median,
    breakdowns=("kode_kecamatan",),
    dimension=GOVERNANCE, element="pelayanan publik", spbe=SPBE_SERVICE,
)


def izin_daring(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Applications by submission day; good when filed online."""
    p = records(con, "perizinan_permohonan", ("id",), "diajukan_tgl", "kanal", "kode_kecamatan")
    filed = p.filter(p.diajukan_tgl.between(start, end))
    return facts(filed, filed.diajukan_tgl, filed.kanal == "daring", "kode_kecamatan")


IZIN_DARING = Indicator(
    id="izin_daring",
    name="Permohonan izin secara daring",
    name_en="Licence applications filed online",
    short="Izin daring", short_en="Online applications",
    description="Persentase permohonan izin yang diajukan secara daring, 30 hari terakhir.",
    description_en="Share of licence applications filed online, last 30 days.",
    target=Target(90.0, "Target daerah (konfigurasi)"),
    thresholds=Thresholds(green=90.0, amber=75.0),
    sources=("perizinan",),
    query=izin_daring,
    breakdowns=("kode_kecamatan",),
    dimension=GOVERNANCE, element="pelayanan publik", spbe=SPBE_SERVICE,
)


def izin_lewat_sla(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Each day, the applications still undecided that have outrun their SLA in working days (fiktif-positif risk)."""
    p = records(con, "perizinan_permohonan", ("id",), "diajukan_tgl", "diputuskan_tgl", "sla_hari_kerja", "kode_kecamatan")
    submitted_on = working_day_number(con, "s")
    apps = p.join(submitted_on, p.diajukan_tgl == submitted_on.s_tanggal)
    j = open_each_day(con, start, end, apps, apps.diajukan_tgl, apps.diputuskan_tgl)
    late = j.filter((j.d_urutan - j.s_urutan) > j.sla_hari_kerja)
    return values(late, late.d_tanggal, "kode_kecamatan")


IZIN_LEWAT_SLA = Indicator(
    id="izin_lewat_sla",
    name="Izin melewati SLA (belum diputus)",
    name_en="Open applications past their SLA",
    short="Izin lewat SLA", short_en="Applications past SLA",
    description="Jumlah permohonan yang belum diputus padahal SLA hari kerjanya sudah lewat; menurut PP 28/2025 izin itu dianggap terbit (fiktif positif). Nilai pada hari ini, tren harian 30 hari.",
    description_en="Undecided applications already past their SLA in working days; under PP 28/2025 such a licence counts as granted. Value today, daily trend over 30 days.",
    measure="level", unit="permohonan", unit_en="applications", direction="lower",
    target=Target(0.0, "PP 28/2025: izin yang melewati SLA dianggap terbit (fiktif positif)"),
    thresholds=Thresholds(green=0.0, amber=5.0),
    sources=("perizinan",),
    query=izin_lewat_sla,
    breakdowns=("kode_kecamatan",),
    dimension=GOVERNANCE, element="pelayanan publik", spbe=SPBE_SERVICE,
)


def izin_usaha_terbit(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Business licences issued, by decision day."""
    p = records(con, "perizinan_permohonan", ("id",), "jenis", "status", "diputuskan_tgl", "kode_kecamatan")
    issued = p.filter(p.jenis == "usaha", p.status == "terbit", p.diputuskan_tgl.between(start, end))
    return values(issued, issued.diputuskan_tgl, "kode_kecamatan")


IZIN_USAHA_TERBIT = Indicator(
    id="izin_usaha_terbit",
    name="Izin usaha terbit",
    name_en="Business licences issued",
    description="Jumlah izin usaha yang terbit sejak 1 Januari, dibanding periode yang sama tahun lalu.",
    description_en="Business licences issued since 1 January, compared with the same period a year before.",
    measure="count", unit="izin", unit_en="licences", judged_on="year_change",
    period=Period("year_to_date"), grain="month",
    target=GROWTH, thresholds=GROWTH_BANDS,
    sources=("perizinan",),
    query=izin_usaha_terbit,
    breakdowns=("kode_kecamatan",),
    dimension=BRANDING, element="bisnis",
)


INDICATORS: tuple[Indicator, ...] = (IZIN_TEPAT_WAKTU, IZIN_DURASI_MEDIAN, IZIN_DARING, IZIN_LEWAT_SLA, IZIN_USAHA_TERBIT)
