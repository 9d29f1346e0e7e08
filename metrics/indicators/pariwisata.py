"""Tourism (Disparpora): monthly visitors per destination."""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.indicator import Indicator
from metrics.indicators.common import BRANDING, GROWTH, GROWTH_BANDS
from metrics.indicators.shapes import records, values
from metrics.periods import Period


def kunjungan_wisata(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """Domestic and foreign visitors per destination and month."""
    p = records(con, "pariwisata_kunjungan", ("destinasi", "bulan"), "bulan", "wisatawan_nusantara", "wisatawan_mancanegara", "kode_kecamatan")
    months = p.filter(p.bulan.between(start, end))
    return values(months, months.bulan, "kode_kecamatan", nilai=(months.wisatawan_nusantara + months.wisatawan_mancanegara).cast("float64"))


KUNJUNGAN_WISATA = Indicator(
    id="kunjungan_wisata",
    name="Kunjungan wisatawan",
    name_en="Tourist visits",
    description="Wisatawan nusantara dan mancanegara sejak Januari sampai bulan lalu, dibanding periode yang sama tahun lalu.",
    description_en="Domestic and foreign visitors from January to last month, compared with the same period a year before.",
    measure="sum", unit="wisatawan", unit_en="visitors", judged_on="year_change",
    period=Period("year_to_month"), grain="month",
    target=GROWTH, thresholds=GROWTH_BANDS,
    sources=("pariwisata",),
    query=kunjungan_wisata,
    breakdowns=("kode_kecamatan",),
    dimension=BRANDING, element="pariwisata",
)


INDICATORS: tuple[Indicator, ...] = (KUNJUNGAN_WISATA,)
