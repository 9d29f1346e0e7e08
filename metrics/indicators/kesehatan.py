"""Health (Dinas Kesehatan): monthly reports per Puskesmas."""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.indicator import Indicator, Target, Thresholds
from metrics.indicators.common import GROWTH_BANDS, LIVING, SPBE_SERVICE
from metrics.indicators.shapes import against_estimate, calendar_days, records, values
from metrics.periods import Period
from region.population import PENDUDUK


def imunisasi_lengkap(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Infants completing basic immunisation against the monthly target, per Puskesmas and month."""
    i = records(con, "kesehatan_imunisasi", ("id",), "bulan", "sasaran_bayi", "bayi_idl")
    months = i.filter(i.bulan.between(start, end), i.sasaran_bayi > 0)
    return values(months, months.bulan, num=months.bayi_idl.cast("float64"), den=months.sasaran_bayi.cast("float64"))


IMUNISASI_LENGKAP = Indicator(
    id="imunisasi_lengkap",
    name="Imunisasi dasar lengkap",
    name_en="Complete basic immunisation",
    short="Imunisasi lengkap", short_en="Basic immunisation",
    description="Bayi yang mendapat imunisasi dasar lengkap dibanding sasaran bayi, sejak Januari sampai bulan lalu.",
    description_en="Infants with complete basic immunisation against the infant target, January to last month.",
    measure="ratio",
    period=Period("year_to_month"), grain="month",
    target=Target(95.0, "Target daerah (konfigurasi)"),
    thresholds=Thresholds(green=95.0, amber=85.0),
    sources=("kesehatan",),
    query=imunisasi_lengkap,
    dimension=LIVING, element="kesehatan", spbe=SPBE_SERVICE,
)


def kunjungan_puskesmas(con: ibis.BaseBackend, start: dt.date, end: dt.date, penduduk: float) -> ibis.Table:
    """Puskesmas visits per 1,000 residents and month: visits per Puskesmas and month, over residents ÷ 1,000 a month."""
    v = records(con, "kesehatan_kunjungan", ("id",), "bulan", "jumlah_kunjungan")
    visits = v.filter(v.bulan.between(start, end))
    days = calendar_days(con, start, end)
    months = days.filter(days.d_tanggal.day() == 1)
    return against_estimate(visits, visits.bulan, visits.jumlah_kunjungan, months, penduduk / 1000.0)


KUNJUNGAN_PUSKESMAS = Indicator(
    id="kunjungan_puskesmas",
    name="Kunjungan Puskesmas per 1.000 penduduk",
    name_en="Puskesmas visits per 1,000 residents",
    short="Kunjungan Puskesmas", short_en="Puskesmas visits",
    description="Kunjungan Puskesmas bulan lalu per 1.000 penduduk (penduduk kabupaten 451.388, Padang Pariaman Dalam Angka 2025); dinilai dari perubahan dibanding bulan yang sama tahun lalu.",
    description_en="Puskesmas visits last month per 1,000 residents (regency population 451,388, Padang Pariaman Dalam Angka 2025); judged on the change on the same month a year before.",
    measure="ratio", scale=1.0, unit="per 1.000 penduduk", unit_en="per 1,000 residents", judged_on="year_change",
    period=Period("months", 1), grain="month",
    params={"penduduk": PENDUDUK},
    target=Target(0.0, "Target daerah (konfigurasi): tidak turun dibanding bulan yang sama tahun lalu"),
    thresholds=GROWTH_BANDS,
    sources=("kesehatan",),
    query=kunjungan_puskesmas,
    dimension=LIVING, element="kesehatan", spbe=SPBE_SERVICE,
)


INDICATORS: tuple[Indicator, ...] = (IMUNISASI_LENGKAP, KUNJUNGAN_PUSKESMAS)
