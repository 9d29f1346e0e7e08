"""The indicator catalogue: each indicator declared once, addressable by id.

An indicator's query is an Ibis expression returning one row per day with `tanggal`, `numerator` and
`denominator`; the value over any period is 100 * sum(numerator) / sum(denominator). Queries read local dates
stored at load (no time-zone conversion), so the same expression runs on DuckDB here and on Spark for a province.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import ibis

from metrics import queries

Query = Callable[[ibis.BaseBackend, dt.date, dt.date], ibis.Table]


@dataclass(frozen=True)
class Target:
    """The value to reach and where it comes from (a regulation, or "target daerah" set by the region)."""

    value: float
    basis: str


@dataclass(frozen=True)
class Thresholds:
    """Green at or beyond `green`, amber at or beyond `amber`, red otherwise (beyond: in the good direction)."""

    green: float
    amber: float


@dataclass(frozen=True)
class Indicator:
    """One indicator.

    Attributes:
        id: stable id, the contract with screens, API and exports.
        name: Indonesian name; name_en: English name.
        unit: display unit.
        direction: whether higher or lower values are better; drives the status colour.
        target, thresholds: what good looks like.
        sources: the sources it reads; a load of one of them recomputes it.
        period_days: length of the default period ending on the as-of date.
        include_today: whether the running day counts (False where a partial day biases the value).
        grain: grain of the trend series.
        query: the Ibis expression, see the module docstring.
    """

    id: str
    name: str
    name_en: str
    description: str
    unit: str
    direction: Literal["higher", "lower"]
    target: Target
    thresholds: Thresholds
    sources: tuple[str, ...]
    period_days: int
    include_today: bool
    grain: Literal["day"]
    query: Query


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="izin_tepat_waktu",
        name="Izin diputus tepat waktu",
        name_en="Licences decided within SLA",
        description="Persentase permohonan izin yang diputus (terbit atau ditolak) dalam SLA hari kerjanya, 30 hari terakhir.",
        unit="%",
        direction="higher",
        target=Target(95.0, "Target daerah; SLA per jenis izin (PP 28/2025, OSS-RBA)"),
        thresholds=Thresholds(green=95.0, amber=85.0),
        sources=("perizinan",),
        period_days=30,
        include_today=True,
        grain="day",
        query=queries.izin_tepat_waktu,
    ),
    Indicator(
        id="lahir_tercatat_60h",
        name="Kelahiran tercatat ≤ 60 hari",
        name_en="Births registered within 60 days",
        description="Persentase kelahiran yang didaftarkan paling lambat 60 hari setelah lahir, dari pendaftaran 30 hari terakhir.",
        unit="%",
        direction="higher",
        target=Target(95.0, "Target daerah; batas 60 hari menurut UU 23/2006 jo. UU 24/2013"),
        thresholds=Thresholds(green=95.0, amber=85.0),
        sources=("dukcapil",),
        period_days=30,
        include_today=True,
        grain="day",
        query=queries.lahir_tercatat_60h,
    ),
    Indicator(
        id="absensi_tepat_waktu",
        name="ASN masuk tepat waktu",
        name_en="Staff arriving on time",
        description="Persentase kehadiran hari kerja dengan jam masuk paling lambat 07.30 WIB (08.00 saat Ramadan), 30 hari terakhir sampai kemarin.",
        unit="%",
        direction="higher",
        target=Target(95.0, "Target daerah; jam kerja menurut Perpres 21/2023"),
        thresholds=Thresholds(green=95.0, amber=85.0),
        sources=("absensi",),
        period_days=30,
        include_today=False,
        grain="day",
        query=queries.absensi_tepat_waktu,
    ),
)

BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def depending_on(source: str) -> tuple[Indicator, ...]:
    """The indicators a load of `source` can change."""
    return tuple(i for i in INDICATORS if source in i.sources)
