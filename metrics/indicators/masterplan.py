"""The smart-city masterplan (Bapperlitbangda): its programmes as last reported."""

from __future__ import annotations

import datetime as dt

import ibis

from metrics.indicator import Indicator, Target, Thresholds
from metrics.indicators.common import GOVERNANCE
from metrics.indicators.shapes import facts, records
from metrics.periods import Period


def masterplan_realisasi(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """The masterplan's programmes as last reported (the source keeps no history); good when done."""
    m = records(con, "masterplan_program", ("kode_program",), "status", "dimensi", "kode_opd")
    return facts(m, ibis.literal(end), m.status == "selesai", "dimensi", "kode_opd")


MASTERPLAN_REALISASI = Indicator(
    id="masterplan_realisasi",
    name="Program masterplan selesai",
    name_en="Masterplan programmes done",
    short="Masterplan selesai", short_en="Masterplan done",
    description="Persentase program masterplan smart city berstatus selesai, menurut laporan terakhir (sumber tidak menyimpan riwayat); rincian per dimensi.",
    description_en="Share of smart-city masterplan programmes done, as last reported (the source keeps no history); breakdown by dimension.",
    target=Target(71.0, "Tahapan masterplan: 44 dari 62 program (71%) terlaksana pada evaluasi 2024; sesuaikan dengan rencana tahun berjalan"),
    thresholds=Thresholds(green=71.0, amber=60.0),
    sources=("masterplan",),
    period=Period(n=1),  # the sheet as it stands today
    history=False,
    query=masterplan_realisasi,
    breakdowns=("dimensi", "kode_opd"),
    dimension=GOVERNANCE, element="kebijakan publik",
)


INDICATORS: tuple[Indicator, ...] = (MASTERPLAN_REALISASI,)
