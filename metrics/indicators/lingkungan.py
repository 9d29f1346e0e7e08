"""Waste (Dinas LHKPP): weighbridge tonnage per TPS and day."""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.indicator import Assumption, Indicator, Target, Thresholds
from metrics.indicators.common import ENVIRONMENT
from metrics.indicators.shapes import against_estimate, calendar_days, records
from metrics.periods import Period
from region.population import PENDUDUK


def sampah_terangkut(con: ibis.BaseBackend, start: dt.date, end: dt.date, penduduk: float, kg_per_orang_per_hari: float) -> ibis.Table:
    """Tonnes collected over the waste estimated to arise: residents × kg per person per day, each calendar day."""
    w = records(con, "lingkungan_angkutan", ("tanggal", "kode_tps"), "tanggal", "tonase")
    hauled = w.filter(w.tanggal.between(start, end))
    days = calendar_days(con, start, end)
    arising = penduduk * kg_per_orang_per_hari / 1000.0  # tonnes a day
    return against_estimate(hauled, hauled.tanggal, hauled.tonase, days, arising)


SAMPAH_TERANGKUT = Indicator(
    id="sampah_terangkut",
    name="Sampah terangkut",
    name_en="Waste collected",
    description="Tonase sampah terangkut dibanding perkiraan timbulan (penduduk × kg per orang per hari), 30 hari terakhir sampai kemarin.",
    description_en="Tonnes of waste collected over estimated generation (residents × kg per person per day), last 30 days to yesterday.",
    measure="ratio",
    period=Period(include_today=False),
    params={"penduduk": PENDUDUK, "kg_per_orang_per_hari": 0.5},
    assumptions=(Assumption(
        "Timbulan sampah {value} kg per orang per hari adalah asumsi, bukan hasil ukur: ganti dengan hasil kajian timbulan daerah (parameter kg_per_orang_per_hari).",
        "Waste generation of {value} kg per person per day is an assumption, not a measurement: replace it with the region's own generation study (parameter kg_per_orang_per_hari).",
        param="kg_per_orang_per_hari",
    ),),
    target=Target(70.0, "Target daerah (konfigurasi)"),
    thresholds=Thresholds(green=70.0, amber=50.0),
    sources=("lingkungan",),
    query=sampah_terangkut,
    dimension=ENVIRONMENT, element="sampah dan limbah",
)


INDICATORS: tuple[Indicator, ...] = (SAMPAH_TERANGKUT,)
