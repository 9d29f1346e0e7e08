"""Readings built from the real catalogue's declarations, for tests of screens without a warehouse."""

from __future__ import annotations

import datetime as dt

from metrics.catalogue import BY_ID
from metrics.freshness import Freshness
from metrics.reading import BreakdownRow, DaySpan, PeriodSpan, Point, Reading

LOADED = dt.datetime(2026, 11, 29, 3, 0)


def source(name: str = "perizinan", state: str = "fresh", last_success_at: dt.datetime | None = LOADED) -> Freshness:
    return Freshness(name, state, False, last_success_at, last_success_at, "ok", None, 10, 0)


def reading(indicator_id: str = "izin_tepat_waktu", *, value: float | None = 93.456, previous_value: float | None = 91.0,
            status: str = "amber", previous_status: str | None = None, year_change: float | None = None,
            period: tuple[str, str] | None = ("2026-10-31", "2026-11-29"), freshness: str = "fresh",
            series: tuple[tuple, ...] = (("2026-11-01", 90.0), ("2026-11-02", 95.0)), year_before_value: float | None = None,
            covered: tuple[str, str] | None = None, previous_span: tuple[str, str] | None = None,
            year_before_span: tuple[str, str] | None = None, provisional_from: str | None = None) -> Reading:
    """A reading of a catalogue indicator with the figures given; its sources are fresh unless `freshness` says not.

    Series points are (day, value) or (day, value, provisional); spans are (first day, last day).
    """
    indicator = BY_ID[indicator_id]
    sources = tuple(source(s, freshness) for s in indicator.sources)
    return Reading(
        indicator=indicator, value=value, numerator=None, denominator=None, status=status,
        previous_value=previous_value, previous_status=previous_status, year_before_value=year_before_value, year_change=year_change,
        period=PeriodSpan(dt.date.fromisoformat(period[0]), dt.date.fromisoformat(period[1]), indicator.period.kind) if period else None,
        series=tuple(Point(dt.date.fromisoformat(p[0]), *p[1:]) for p in series), sources=sources, freshness=freshness,
        as_of=dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC),
        covered=_span(covered), previous_span=_span(previous_span), year_before_span=_span(year_before_span),
        provisional_from=dt.date.fromisoformat(provisional_from) if provisional_from else None,
    )


def _span(days: tuple[str, str] | None) -> DaySpan | None:
    return DaySpan(dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[1])) if days else None


def row(member: str, value: float | None, status: str = "green") -> BreakdownRow:
    return BreakdownRow(member, value, value or 0.0, 1.0, status)
