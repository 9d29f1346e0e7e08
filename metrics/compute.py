"""Compute an indicator for an as-of instant: current, previous and year-before periods, series, breakdowns.

A query yields one row per record counted (`tanggal`, `good`, breakdown columns); here they are counted per day
and summed over periods. The value of a period is 100 × good / counted, and a period with nothing counted has
no value ("no data"), never 0 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

import ibis
import pandas as pd

from metrics.catalogue import Indicator

WIB = ZoneInfo("Asia/Jakarta")
Grain = Literal["day", "week", "month"]


@dataclass(frozen=True)
class Computed:
    """One indicator's value at `as_of` (UTC); a value of None means no records in the period."""

    indicator_id: str
    as_of: dt.datetime
    period_start: dt.date
    period_end: dt.date
    value: float | None
    numerator: float
    denominator: float
    previous_value: float | None
    series: list[tuple[str, float]]
    year_before_value: float | None = None


def period_for(indicator: Indicator, as_of: dt.datetime) -> tuple[dt.date, dt.date]:
    """The indicator's default period ending at `as_of` (UTC), in WIB dates, both ends included."""
    today = as_of.replace(tzinfo=dt.UTC).astimezone(WIB).date()
    end = today if indicator.include_today else today - dt.timedelta(days=1)
    return end - dt.timedelta(days=indicator.period_days - 1), end


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def ratio(numerator: float, denominator: float) -> float | None:
    return 100.0 * numerator / denominator if denominator else None


def daily(indicator: Indicator, con: ibis.BaseBackend, start: dt.date, end: dt.date, by: str | None = None) -> pd.DataFrame:
    """Counted and good records per day (and per breakdown value), as `tanggal`, [by], `numerator`, `denominator`.

    Raises:
        ValueError: when the indicator cannot be broken down by `by`.
    """
    if by is not None and by not in indicator.breakdowns:
        raise ValueError(f"indikator {indicator.id} tidak dapat dirinci menurut '{by}'; yang bisa: {', '.join(indicator.breakdowns) or 'tidak ada'}")
    facts = indicator.query(con, start, end)
    keys = ["tanggal", *([by] if by else [])]
    counted = facts.group_by(keys).aggregate(numerator=facts.good.cast("int64").sum(), denominator=facts.count())
    # Through Arrow: ibis' own pandas conversion reads an option pandas 3 deprecates.
    frame = con.to_pyarrow(counted).to_pandas()
    frame["tanggal"] = pd.to_datetime(frame["tanggal"]).dt.date
    return frame.sort_values(keys).reset_index(drop=True)


def series(frame: pd.DataFrame, grain: Grain = "day", by: str | None = None) -> pd.DataFrame:
    """Daily counts rolled up by day, ISO week (from Monday) or month: `periode`, [by], `value`, counts."""
    frame = frame.copy()
    days = pd.to_datetime(frame["tanggal"])
    if grain == "week":
        days = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    elif grain == "month":
        days = days.dt.to_period("M").dt.start_time
    frame["periode"] = days.dt.date
    keys = ["periode", *([by] if by else [])]
    rolled = frame.groupby(keys, as_index=False)[["numerator", "denominator"]].sum()
    rolled["value"] = [ratio(n, d) for n, d in zip(rolled["numerator"], rolled["denominator"], strict=True)]
    return rolled


def compute(indicator: Indicator, con: ibis.BaseBackend, as_of: dt.datetime) -> Computed:
    """The indicator over its default period ending at `as_of`, the period before it, and the same period a year before."""
    start, end = period_for(indicator, as_of)
    previous_start = start - dt.timedelta(days=indicator.period_days)
    recent = daily(indicator, con, previous_start, end)
    current = recent[recent["tanggal"] >= start]
    previous = recent[recent["tanggal"] < start]
    last_year = daily(indicator, con, year_before(start), year_before(end))
    numerator, denominator = float(current["numerator"].sum()), float(current["denominator"].sum())
    return Computed(
        indicator_id=indicator.id,
        as_of=as_of,
        period_start=start,
        period_end=end,
        value=ratio(numerator, denominator),
        numerator=numerator,
        denominator=denominator,
        previous_value=ratio(float(previous["numerator"].sum()), float(previous["denominator"].sum())),
        series=[(day.isoformat(), round(100.0 * n / d, 2)) for day, n, d in current[["tanggal", "numerator", "denominator"]].itertuples(index=False) if d],
        year_before_value=ratio(float(last_year["numerator"].sum()), float(last_year["denominator"].sum())),
    )
