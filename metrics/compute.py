"""Compute an indicator's value for an as-of instant: current period, previous period and a daily series."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import ibis
import pandas as pd

from metrics.catalogue import Indicator

WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Computed:
    """One indicator's value at `as_of` (UTC); value None means no records in the period."""

    indicator_id: str
    as_of: dt.datetime
    period_start: dt.date
    period_end: dt.date
    value: float | None
    numerator: float
    denominator: float
    previous_value: float | None
    series: list[tuple[str, float]]


def period_for(indicator: Indicator, as_of: dt.datetime) -> tuple[dt.date, dt.date]:
    """The indicator's default period ending at `as_of` (UTC), in WIB dates, both ends included."""
    today = as_of.replace(tzinfo=dt.UTC).astimezone(WIB).date()
    end = today if indicator.include_today else today - dt.timedelta(days=1)
    return end - dt.timedelta(days=indicator.period_days - 1), end


def _ratio(numerator: float, denominator: float) -> float | None:
    return 100.0 * numerator / denominator if denominator else None


def compute(indicator: Indicator, con: ibis.BaseBackend, as_of: dt.datetime) -> Computed:
    """Run the indicator's query once over the previous and current periods and derive the figures."""
    start, end = period_for(indicator, as_of)
    previous_start = start - dt.timedelta(days=indicator.period_days)
    # Through Arrow: ibis' own pandas conversion reads an option pandas 3 deprecates.
    daily: pd.DataFrame = con.to_pyarrow(indicator.query(con, previous_start, end)).to_pandas()
    daily["tanggal"] = pd.to_datetime(daily["tanggal"]).dt.date
    current = daily[daily["tanggal"] >= start].sort_values("tanggal")
    previous = daily[daily["tanggal"] < start]
    numerator, denominator = float(current["numerator"].sum()), float(current["denominator"].sum())
    series = [
        (day.isoformat(), round(100.0 * n / d, 2)) for day, n, d in current[["tanggal", "numerator", "denominator"]].itertuples(index=False) if d
    ]
    return Computed(
        indicator_id=indicator.id,
        as_of=as_of,
        period_start=start,
        period_end=end,
        value=_ratio(numerator, denominator),
        numerator=numerator,
        denominator=denominator,
        previous_value=_ratio(float(previous["numerator"].sum()), float(previous["denominator"].sum())),
        series=series,
    )
