"""Compute an indicator for an as-of instant: current, previous and year-before periods, series, breakdowns.

A query yields one row per record counted (see metrics.catalogue.Query); the indicator's measure says how rows become a
value:

- share: 100 × rows with `good` ÷ rows;  ratio: `scale` × Σ`num` ÷ Σ`den`;  count: rows;  sum: Σ`nilai`;
- median: the exact median of `nilai`;
- level: rows on the period's last day (a stock such as open cases; the query yields one row per item and day);
- latest: Σ`nilai` on the most recent day with rows up to the period's end (an assessment valid until the next).

A period without a single record has no value ("no data"), never 0 % or 0: nothing tells a real zero from a
delivery that never came. Within a span that has records, a day or month without any counts 0 for counts and
sums. Levels are 0 on a day with no open item, which is what the target asks for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import ibis
import pandas as pd

from metrics.indicator import Indicator
from metrics.periods import Span, month_start, year_before_span
from region.calendar import WIB

Grain = Literal["day", "week", "month", "year"]
ADDITIVE = frozenset({"share", "ratio", "count", "sum"})
# How far back a "latest" indicator looks for its most recent reading (an assessment is valid until the next).
LATEST_LOOKBACK = dt.timedelta(days=5 * 366)



@dataclass(frozen=True)
class Computed:
    """One indicator's value at `as_of` (UTC); a value of None means no data in the period."""

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
    # {breakdown column: [(member, value, numerator, denominator), ...]} over the same period.
    breakdowns: dict[str, list[tuple[str, float | None, float, float]]] = field(default_factory=dict)


def today_wib(as_of: dt.datetime) -> dt.date:
    """The WIB date of `as_of` (naive UTC)."""
    return as_of.replace(tzinfo=dt.UTC).astimezone(WIB).date()


def period_for(indicator: Indicator, as_of: dt.datetime) -> Span:
    """The indicator's default period ending at `as_of` (naive UTC), in WIB dates, both ends included."""
    return indicator.period.span(today_wib(as_of))


def value_of(indicator: Indicator, numerator: float, denominator: float) -> float | None:
    """The indicator's value from its aggregated numerator and denominator."""
    if numerator is None or pd.isna(numerator):
        return None  # a ratio's denominator rows alone (residents, days) are not data
    if indicator.measure == "share":
        return 100.0 * numerator / denominator if denominator else None
    if indicator.measure == "ratio":
        return indicator.scale * numerator / denominator if denominator else None
    if indicator.measure in ("median", "latest", "count", "sum"):
        return float(numerator) if denominator else None
    return float(numerator)


def _check_breakdown(indicator: Indicator, by: str | None) -> None:
    if by is not None and by not in indicator.breakdowns:
        raise ValueError(f"indikator {indicator.id} tidak dapat dirinci menurut '{by}'; yang bisa: {', '.join(indicator.breakdowns) or 'tidak ada'}")


def _to_frame(con: ibis.BaseBackend, expr: ibis.Table, date_column: str) -> pd.DataFrame:
    # Through Arrow: ibis' own pandas conversion reads an option pandas 3 deprecates.
    frame = con.to_pyarrow(expr).to_pandas()
    frame[date_column] = pd.to_datetime(frame[date_column]).dt.date
    return frame


def daily(indicator: Indicator, con: ibis.BaseBackend, start: dt.date, end: dt.date, by: str | None = None) -> pd.DataFrame:
    """Numerator and denominator per day (and breakdown value): `tanggal`, [by], `numerator`, `denominator`.

    Not for medians, which do not add up across days (see `buckets`).

    Raises:
        ValueError: when the indicator cannot be broken down by `by`.
    """
    _check_breakdown(indicator, by)
    facts = indicator.query(con, start, end, **indicator.params)
    keys = ["tanggal", *([by] if by else [])]
    measure = indicator.measure
    if measure == "share":
        sums = {"numerator": facts.good.cast("int64").sum(), "denominator": facts.count()}
    elif measure == "ratio":
        sums = {"numerator": facts.num.sum().cast("float64"), "denominator": facts.den.sum().cast("float64")}
    elif measure in ("sum", "latest"):
        sums = {"numerator": facts.nilai.sum().cast("float64"), "denominator": facts.count()}
    elif measure in ("count", "level"):
        sums = {"numerator": facts.count(), "denominator": facts.count()}
    else:
        raise ValueError(f"indikator {indicator.id}: ukuran '{measure}' tidak dijumlah per hari")
    frame = _to_frame(con, facts.group_by(keys).aggregate(**sums), "tanggal")
    return frame.sort_values(keys).reset_index(drop=True)


def bucket_start(day: dt.date, grain: Grain | None, start: dt.date) -> dt.date:
    """The first day of the day, ISO week (from Monday), month or year `day` falls in; `start` when one bucket."""
    if grain is None:
        return start
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "year":
        return day.replace(month=1, day=1)
    return day


def _bucket_ends(start: dt.date, end: dt.date, grain: Grain | None) -> dict[dt.date, dt.date]:
    """Each bucket's first day mapped to its last day within [start, end]."""
    ends: dict[dt.date, dt.date] = {}
    day = start
    while day <= end:
        ends[bucket_start(day, grain, start)] = day
        day += dt.timedelta(days=1)
    return ends


def buckets(indicator: Indicator, con: ibis.BaseBackend, start: dt.date, end: dt.date, grain: Grain | None = None, by: str | None = None) -> pd.DataFrame:
    """The indicator per bucket (day, week, month, year, or the whole span when `grain` is None).

    Returns `periode` (the bucket's first day, clipped to `start`), [by], `numerator`, `denominator`, `value`.
    """
    _check_breakdown(indicator, by)
    keys = ["periode", *([by] if by else [])]
    measure = indicator.measure
    if measure == "median":
        facts = indicator.query(con, start, end, **indicator.params)
        day = facts.tanggal
        periode = {None: ibis.literal(start), "day": day, "week": day.truncate("W"), "month": day.truncate("M"), "year": day.truncate("Y")}[grain]
        bucketed = facts.mutate(periode=periode.cast("date"))
        grouped = bucketed.group_by(keys).aggregate(numerator=bucketed.nilai.median().cast("float64"), denominator=bucketed.count())
        rolled = _to_frame(con, grouped, "periode")
        rolled["periode"] = [max(p, start) for p in rolled["periode"]]
    elif measure in ADDITIVE:
        per_day = daily(indicator, con, start, end, by)
        per_day["periode"] = [bucket_start(d, grain, start) for d in per_day["tanggal"]]
        rolled = per_day.groupby(keys, as_index=False)[["numerator", "denominator"]].sum(min_count=1)
        if measure in ("count", "sum") and by is None:
            rolled = _fill_zero(rolled, _bucket_ends(start, end, grain))
    else:
        lookback = start - LATEST_LOOKBACK if measure == "latest" else start
        rolled = _stock(daily(indicator, con, lookback, end, by), _bucket_ends(start, end, grain), by, carry=measure == "latest")
    rolled["value"] = [value_of(indicator, n, d) for n, d in zip(rolled["numerator"], rolled["denominator"], strict=True)]
    if measure in ("count", "sum") and rolled["denominator"].fillna(0).sum() > 0:
        rolled["value"] = rolled["numerator"].astype("float64")  # within a span that has records, an empty bucket is a real 0
    return rolled.sort_values(keys).reset_index(drop=True)


def _fill_zero(rolled: pd.DataFrame, ends: dict[dt.date, dt.date]) -> pd.DataFrame:
    full = pd.DataFrame({"periode": list(ends)})
    return full.merge(rolled, on="periode", how="left").fillna({"numerator": 0.0, "denominator": 0.0})


def _stock(per_day: pd.DataFrame, ends: dict[dt.date, dt.date], by: str | None, carry: bool) -> pd.DataFrame:
    """A stock per bucket: its value on the bucket's last day (0 when nothing), or, with `carry`, the most recent day's."""
    groups = per_day.groupby(by) if by else [(None, per_day)]
    rows = []
    for key, group in groups:
        days = dict(zip(group["tanggal"], zip(group["numerator"], group["denominator"], strict=True), strict=True))
        for first, last in ends.items():
            if carry:
                known = [d for d in days if d <= last]
                numerator, denominator = days[max(known)] if known else (0.0, 0)
            else:
                numerator, denominator = days.get(last, (0, 0))
            row = {"periode": first, "numerator": numerator, "denominator": denominator}
            if by:
                row[by] = key[0] if isinstance(key, tuple) else key
            rows.append(row)
    return pd.DataFrame(rows, columns=["periode", *([by] if by else []), "numerator", "denominator"])


def _total(indicator: Indicator, con: ibis.BaseBackend, span: Span) -> tuple[float, float, float | None]:
    rolled = buckets(indicator, con, span[0], span[1])
    if rolled.empty:
        return 0.0, 0.0, value_of(indicator, 0.0, 0.0)
    row = rolled.iloc[0]
    value = None if row["value"] is None or pd.isna(row["value"]) else float(row["value"])
    return float(row["numerator"]), float(row["denominator"]), value


def series_start(indicator: Indicator, span: Span) -> dt.date:
    """Where the trend shown with a value begins: the period itself, or more for monthly and yearly trends.

    A monthly trend shows at least 12 months and a yearly one the years before (an assessment's history), so a
    one-month period still has a trend to read. Month and year buckets align with calendar months and years.
    """
    if indicator.grain == "month":
        return min(span[0], month_start(span[1], 11))
    if indicator.grain == "year":
        return min(span[0], dt.date(span[1].year - 4, 1, 1))
    return span[0]


def compute(indicator: Indicator, con: ibis.BaseBackend, as_of: dt.datetime) -> Computed:
    """The indicator over its default period at `as_of`, the period before it, the same period a year before, and its series."""
    span = period_for(indicator, as_of)
    series = buckets(indicator, con, series_start(indicator, span), span[1], indicator.grain) if indicator.history else None
    if series is not None and indicator.measure in ADDITIVE:
        within = series[series["periode"] >= span[0]]
        numerator, denominator = float(within["numerator"].sum(min_count=1)), float(within["denominator"].sum())
        value = value_of(indicator, numerator, denominator)
    elif series is not None and indicator.measure in ("level", "latest") and not series.empty:
        last = series.iloc[-1]  # the last bucket ends on the period's last day
        numerator, denominator, value = float(last["numerator"]), float(last["denominator"]), last["value"]
    else:
        numerator, denominator, value = _total(indicator, con, span)
    previous = indicator.period.previous(span) if indicator.history else None
    points = [] if series is None else [
        (p.isoformat(), float(v)) for p, v in zip(series["periode"], series["value"], strict=True) if v is not None and not pd.isna(v)
    ]
    return Computed(
        indicator_id=indicator.id,
        as_of=as_of,
        period_start=span[0],
        period_end=span[1],
        value=None if value is None or pd.isna(value) else float(value),
        numerator=0.0 if pd.isna(numerator) else numerator,
        denominator=denominator,
        previous_value=_total(indicator, con, previous)[2] if previous else None,
        series=points,
        year_before_value=_total(indicator, con, year_before_span(span))[2] if indicator.history else None,
        breakdowns={by: breakdown(indicator, con, span, by) for by in indicator.breakdowns},
    )


def breakdown(indicator: Indicator, con: ibis.BaseBackend, span: Span, by: str) -> list[tuple[str, float | None, float, float]]:
    """The indicator over `span` per member of `by` (an OPD, a kecamatan, ...): (member, value, numerator, denominator)."""
    rolled = buckets(indicator, con, span[0], span[1], None, by)
    return [
        (str(m), None if v is None or pd.isna(v) else float(v), float(0 if pd.isna(n) else n), float(d))
        for m, v, n, d in zip(rolled[by], rolled["value"], rolled["numerator"], rolled["denominator"], strict=True)
        if m is not None and not pd.isna(m)
    ]
