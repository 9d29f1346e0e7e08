"""What one analysis view shows, as plain frozen values: an Answer, its series' Points and its breakdown's Members.

Numbers keep full precision; dates stay dates and instants instants until `as_dict` writes them for the JSON API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from metrics.compute import Grain
from metrics.freshness import Freshness
from metrics.indicator import Indicator
from metrics.periods import Span
from metrics.question import Question
from metrics.status import Status


@dataclass(frozen=True)
class Point:
    """One bucket of a series: its first and last day (within the span), its value (None: no data), what it is
    computed from, whether its source may still revise it, and whether it has records of its own."""

    periode: dt.date
    end: dt.date
    value: float | None
    numerator: float
    denominator: float
    provisional: bool
    delivered: bool

    def as_dict(self) -> dict:
        return {"periode": self.periode.isoformat(), "end": self.end.isoformat(), "value": self.value, "numerator": self.numerator,
                "denominator": self.denominator, "provisional": self.provisional, "delivered": self.delivered}


@dataclass(frozen=True)
class Member:
    """One member of the breakdown: its code, its names (Indonesian, English), value and status."""

    code: str
    name: str
    name_en: str
    value: float | None
    numerator: float
    denominator: float
    status: Status

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "name_en": self.name_en, "value": self.value, "numerator": self.numerator,
                "denominator": self.denominator, "status": self.status}


@dataclass(frozen=True)
class Answer:
    """What one analysis view shows.

    Attributes:
        question: what was asked.
        indicator: the indicator as judged (operator overrides applied; the SPBE index by its framework).
        as_of: the instant (UTC, naive) the figures are for; today: its WIB date.
        span: the WIB days asked about; grain: the series' bucket.
        covered: the part of `span` its data covers (None without data).
        value, numerator, denominator: over `span`, filters applied.
        status: against the thresholds, or, for an indicator judged on growth, of `change`.
        compared_span, compared_value: what the value is set against (None where the source keeps no history).
        change: value less compared value (points for %), or the change in % for an indicator judged on growth.
        change_relative: True when `change` is in %.
        series: every bucket of `span` at `grain`, in order; compared_series: every bucket of `compared_span`, so
            the two align by position (empty without a comparison).
        breakdown: per member of the question's `by`, best first by the indicator's direction, members without a
            value last (empty without `by`).
        sources: each source's freshness; simulated: any of them is a simulated system.
        data_version: the warehouse generation the figures were read at.
    """

    question: Question
    indicator: Indicator
    as_of: dt.datetime
    today: dt.date
    span: Span
    grain: Grain
    covered: Span | None
    value: float | None
    numerator: float
    denominator: float
    status: Status
    compared_span: Span | None
    compared_value: float | None
    change: float | None
    change_relative: bool
    series: tuple[Point, ...]
    compared_series: tuple[Point, ...]
    breakdown: tuple[Member, ...]
    sources: tuple[Freshness, ...]
    simulated: bool
    data_version: int

    def as_dict(self) -> dict:
        """The answer as the JSON API gives it: numbers at full precision, dates in ISO 8601, members named."""
        ind = self.indicator

        def span(s: Span | None) -> dict | None:
            return {"start": s[0].isoformat(), "end": s[1].isoformat()} if s else None

        return {
            "question": self.question.to_args(),
            "indicator": {
                "id": ind.id, "name": ind.name, "name_en": ind.name_en, "unit": ind.unit, "unit_en": ind.unit_en, "measure": ind.measure,
                "direction": ind.direction, "judged_on": ind.judged_on, "target": ind.target.value, "target_basis": ind.target.basis,
                "thresholds": {"green": ind.thresholds.green, "amber": ind.thresholds.amber}, "dimension": ind.dimension,
                "breakdowns": list(ind.breakdowns), "history": ind.history,
            },
            "as_of": self.as_of.replace(tzinfo=dt.UTC).isoformat(),
            "today": self.today.isoformat(),
            "span": span(self.span),
            "grain": self.grain,
            "covered": span(self.covered),
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "status": self.status,
            "comparison": self.question.comparison,
            "compared_span": span(self.compared_span),
            "compared_value": self.compared_value,
            "change": self.change,
            "change_relative": self.change_relative,
            "series": [p.as_dict() for p in self.series],
            "compared_series": [p.as_dict() for p in self.compared_series],
            "by": self.question.by,
            "breakdown": [m.as_dict() for m in self.breakdown],
            "sources": [s.as_dict() for s in self.sources],
            "simulated": self.simulated,
            "data_version": self.data_version,
        }


def ranked(members: list[Member], direction: str) -> list[Member]:
    """Best first by `direction` ("higher" or "lower"), ties by code; members without a value last, by code."""
    valued = sorted((m for m in members if m.value is not None), key=lambda m: (-m.value if direction == "higher" else m.value, m.code))
    return valued + sorted((m for m in members if m.value is None), key=lambda m: m.code)
