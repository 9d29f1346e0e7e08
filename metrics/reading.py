"""What metrics hands to screens and the API: an indicator's reading, typed and frozen, built once per refresh.

Values keep their full precision here; they are rounded once, where they are shown (a screen's formatting, or
`as_dict` for the JSON API). Dates stay dates and instants stay instants until then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from metrics.freshness import Freshness, State
from metrics.indicator import Indicator
from metrics.status import Status

API_DECIMALS = 2


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, API_DECIMALS)


@dataclass(frozen=True)
class DaySpan:
    """WIB days, both ends included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class PeriodSpan(DaySpan):
    """The WIB days a value's period reaches over, and the kind of period it is (days, months, ...)."""

    kind: str

    def as_dict(self) -> dict:
        return {**super().as_dict(), "kind": self.kind}


class Point(NamedTuple):
    """One bucket of a trend: its first day, its value, and whether its source may still revise it."""

    day: dt.date
    value: float
    provisional: bool = False


@dataclass(frozen=True)
class Reading:
    """One indicator as it stands: its declaration, value, status, comparisons, trend and the state of its sources.

    Attributes:
        indicator: the declaration (names, unit, target, thresholds, dimension, breakdowns...).
        value: None when its period has no data.
        numerator, denominator: what the value was computed from (None without a stored value).
        status: against the thresholds (or, for growth targets, the change on a year before).
        previous_value, previous_status: the period before, of the same length, over `previous_span`.
        year_before_value, year_change: the same period a year before (over `year_before_span`), and the change (%)
            on it; for a latest reading (an assessment), the reading before it, of the previous assessment year.
        period: the days the value's period reaches over; None without a stored value.
        covered: the part of `period` its data covers (for a latest reading, the bucket of the reading); the
            comparisons are over the same span of earlier periods, like for like. None without data.
        provisional_from: from this day on, its source may still revise the data (None: all final).
        previous_span, year_before_span: the spans the previous and year-before values were computed over.
        series: the trend at the indicator's grain: Points (first day of the bucket, value, provisional); a
            bucket without delivered data has no point.
        sources: each source's freshness at the moment of reading.
        as_of: the instant (aware, UTC) the value was computed for.
    """

    indicator: Indicator
    value: float | None
    numerator: float | None
    denominator: float | None
    status: Status
    previous_value: float | None
    previous_status: Status | None
    year_before_value: float | None
    year_change: float | None
    period: PeriodSpan | None
    series: tuple[Point, ...]
    sources: tuple[Freshness, ...]
    freshness: State
    as_of: dt.datetime | None
    covered: DaySpan | None = None
    provisional_from: dt.date | None = None
    previous_span: DaySpan | None = None
    year_before_span: DaySpan | None = None

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def provisional(self) -> bool:
        """Whether part of the value's data may still be revised by its source."""
        return self.provisional_from is not None

    @property
    def year_difference(self) -> float | None:
        """The value less the year-before value, in the indicator's unit (+0.36 on an index)."""
        if self.value is None or self.year_before_value is None:
            return None
        return self.value - self.year_before_value

    @property
    def simulated(self) -> bool:
        return any(s.simulated for s in self.sources)

    @property
    def last_success_at(self) -> dt.datetime | None:
        """The latest successful load (aware, UTC) of any of its sources."""
        times = [s.last_success_at for s in self.sources if s.last_success_at]
        return max(times).replace(tzinfo=dt.UTC) if times else None

    def name(self, lang: str = "id") -> str:
        return self.indicator.name_en if lang == "en" else self.indicator.name

    def short_name(self, lang: str = "id") -> str:
        """The name where the wall has little room (the alert strip): the declared short form, else the name."""
        short = self.indicator.short_en if lang == "en" else self.indicator.short
        return short or self.name(lang)

    def unit(self, lang: str = "id") -> str:
        return self.indicator.unit_en if lang == "en" else self.indicator.unit

    def as_dict(self) -> dict:
        """The reading as the JSON API gives it (values rounded to two places, dates and instants in ISO 8601)."""
        ind = self.indicator
        return {
            "id": ind.id,
            "name": ind.name,
            "name_en": ind.name_en,
            "description": ind.description,
            "description_en": ind.description_en,
            "unit": ind.unit,
            "unit_en": ind.unit_en,
            "measure": ind.measure,
            "direction": ind.direction,
            "judged_on": ind.judged_on,
            "period_label": {"id": ind.period.label("id"), "en": ind.period.label("en")},
            "target": ind.target.value,
            "target_basis": ind.target.basis,
            "thresholds": {"green": ind.thresholds.green, "amber": ind.thresholds.amber},
            "dimension": ind.dimension,
            "element": ind.element,
            "spbe": list(ind.spbe),
            "wall": ind.wall,
            "value": _rounded(self.value),
            "previous_value": _rounded(self.previous_value),
            "year_before_value": _rounded(self.year_before_value),
            "year_change": _rounded(self.year_change),
            "year_difference": _rounded(self.year_difference),
            "breakdowns": list(ind.breakdowns),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "status": self.status,
            "previous_status": self.previous_status,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "period": self.period.as_dict() if self.period else None,
            "covered": self.covered.as_dict() if self.covered else None,
            "provisional": self.provisional,
            "provisional_from": self.provisional_from.isoformat() if self.provisional_from else None,
            "previous_span": self.previous_span.as_dict() if self.previous_span else None,
            "year_before_span": self.year_before_span.as_dict() if self.year_before_span else None,
            "series": [[p.day.isoformat(), _rounded(p.value), p.provisional] for p in self.series],
            "freshness": self.freshness,
            "simulated": self.simulated,
            "sources": [s.as_dict() for s in self.sources],
        }


@dataclass(frozen=True)
class BreakdownRow:
    """One member of a breakdown (an OPD, a kecamatan, a discipline step) with its value and status."""

    member: str
    value: float | None
    numerator: float
    denominator: float
    status: Status

    def as_dict(self) -> dict:
        return {"member": self.member, "value": _rounded(self.value), "numerator": self.numerator,
                "denominator": self.denominator, "status": self.status}
