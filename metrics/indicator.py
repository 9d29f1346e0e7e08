"""What an indicator is declared with: Indicator, its Target and Thresholds, an operator's Override."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import ibis

from metrics.periods import Period

# A query is (backend, first date, last date, **params) -> one row per record counted. It returns `tanggal` (the WIB
# day the record counts on), the columns its measure reads (`good` for a share, `num` and `den` for a ratio,
# `nilai` for a sum, median or latest reading; see metrics.compute) and the columns it can be broken down by; a
# stock ("level") yields one row per item and day it is in that state. Queries select the columns they need first,
# read local dates stored at load (no time-zone conversion) and use exact functions only, so the same expression
# runs on DuckDB here and on Spark for a province.
Query = Callable[..., ibis.Table]
Measure = Literal["share", "ratio", "count", "sum", "median", "level", "latest"]


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
class Assumption:
    """A figure no source measures that the value rests on (it moves the status), stated wherever the value is explained.

    `{value}` in the texts stands for the parameter `param` as configured, so the statement follows configuration.
    """

    text: str
    text_en: str
    param: str | None = None

    def describe(self, params: Mapping[str, float], lang: str = "id") -> str:
        """The statement in `lang` ("id" or "en") with the configured value of its parameter."""
        text = self.text_en if lang == "en" else self.text
        if self.param is None:
            return text
        value = f"{params[self.param]:g}"
        return text.format(value=value.replace(".", ",") if lang != "en" else value)


@dataclass(frozen=True)
class Indicator:
    """One indicator.

    Attributes:
        id: stable id, the contract with screens, API and exports.
        name, name_en: Indonesian and English names; description, description_en: definitions.
        short, short_en: the name where the wall has little room (the alert strip); empty when the name is short.
        unit, unit_en: display unit.
        measure: how query rows become a value (see metrics.compute).
        scale: the factor of a ratio measure (100 for a percentage).
        direction: whether higher or lower values are better; drives the status colour.
        judged_on: "value" compares the value with the thresholds; "year_change" compares its change (%) on
            the same period a year before (indicators whose target is growth or a trend).
        target, thresholds: what good looks like.
        sources: the sources it reads; a load of one of them recomputes it.
        period: the default period ending on the as-of date.
        grain: grain of the trend series shown with the value.
        history: False when the source keeps only its current state, so no earlier period can be computed.
        params: named numbers the query takes (population, kg per person); configuration may change them.
        assumptions: figures no source measures that the value rests on (an estimated kg per person).
        query: the Ibis expression, see Query above.
        dimension, element: the smart-city dimension and element it gives evidence for.
        spbe: numbers of the SPBE indicators (PermenPANRB 59/2020) it gives evidence for.
        breakdowns: columns its values can be broken down by (kode_opd, kode_kecamatan, ...).
        wall: shown on the wall page.
    """

    id: str
    name: str
    name_en: str
    description: str
    description_en: str
    target: Target
    thresholds: Thresholds
    sources: tuple[str, ...]
    query: Query
    # The usual case, so that a declaration states only what differs.
    short: str = ""
    short_en: str = ""
    measure: Measure = "share"
    unit: str = "%"
    unit_en: str = "%"
    scale: float = 100.0
    direction: Literal["higher", "lower"] = "higher"
    judged_on: Literal["value", "year_change"] = "value"
    period: Period = Period()
    grain: Literal["day", "week", "month", "year"] = "day"
    history: bool = True
    params: Mapping[str, float] = field(default_factory=dict)
    assumptions: tuple[Assumption, ...] = ()
    dimension: str = ""
    element: str = ""
    spbe: tuple[int, ...] = ()
    breakdowns: tuple[str, ...] = ()
    wall: bool = False

    def stated_assumptions(self) -> list[dict[str, str]]:
        """Its assumptions in both languages with the configured values, as the API gives them."""
        return [{"text": a.describe(self.params, "id"), "text_en": a.describe(self.params, "en")} for a in self.assumptions]


@dataclass(frozen=True)
class Override:
    """An operator's change to an indicator's target, thresholds or parameters (configuration [indicators.ID])."""

    target: float | None = None
    target_basis: str | None = None
    green: float | None = None
    amber: float | None = None
    params: Mapping[str, float] = field(default_factory=dict)
