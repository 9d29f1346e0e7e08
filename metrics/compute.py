"""Compute an indicator for an as-of instant: current, previous and year-before periods, series, breakdowns.

A query yields one row per record counted (see metrics.catalogue.Query); the indicator's measure says how rows become a
value:

- share: 100 × rows with `good` ÷ rows;  ratio: `scale` × Σ`num` ÷ Σ`den`;  count: rows;  sum: Σ`nilai`;
- median: the exact median of `nilai`;
- level: rows on the period's last day (a stock such as open cases; the query yields one row per item and day);
- latest: Σ`nilai` on the most recent day with rows up to the period's end (an assessment valid until the next).

A period without a single record has no value ("no data"), never 0 % or 0: nothing tells a real zero from a
delivery that never came. Between the first and the last bucket (day, month, ...) with records, a bucket without
any counts 0 for counts and sums; before the first and after the last it is undelivered, not zero, and has no
point. Levels are 0 on a day with no open item, which is what the target asks for.

Like for like: a value knows the span its data covers (the buckets of its period with records), and its changes
set that span against the same span of the period before and of a year before: January-October 2026 against
January-October 2025 while November is not yet delivered, not against January-November. A latest reading (an
assessment) compares with the reading before it, of an earlier bucket (the previous assessment year). Buckets a
source may still revise (their end plus the source's revision window is not yet past) are provisional.
Everything follows from the records as of the computation and `as_of`, never from the wall clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import ibis
import pandas as pd

from metrics.indicator import Indicator
from metrics.periods import Span, month_end, month_start, year_before_span
from region.calendar import WIB

Grain = Literal["day", "week", "month", "year"]
ADDITIVE = frozenset({"share", "ratio", "count", "sum"})
# How far back a "latest" indicator looks for its most recent reading (an assessment is valid until the next).
LATEST_LOOKBACK = dt.timedelta(days=5 * 366)



@dataclass(frozen=True)
class Computed:
    """One indicator's value at `as_of` (UTC); a value of None means no data in the period.

    `covered` is the span its data covers (None without data); `previous_span` and `year_before_span` are the
    spans its previous and year-before values were computed over, like for like with `covered`. From
    `provisional_from` on, the data may still be revised by its source. Series points are
    (first day of the bucket, value, provisional).
    """

    indicator_id: str
    as_of: dt.datetime
    period_start: dt.date
    period_end: dt.date
    value: float | None
    numerator: float
    denominator: float
    previous_value: float | None
    series: list[tuple[str, float, bool]]
    year_before_value: float | None = None
    # {breakdown column: [(member, value, numerator, denominator), ...]} over the same period.
    breakdowns: dict[str, list[tuple[str, float | None, float, float]]] = field(default_factory=dict)
    covered: Span | None = None
    provisional_from: dt.date | None = None
    previous_span: Span | None = None
    year_before_span: Span | None = None


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


def bucket_end(first: dt.date, grain: Grain | None) -> dt.date:
    """The last day of the whole day, week, month or year beginning on `first` (None: `first` itself)."""
    if grain == "week":
        return first + dt.timedelta(days=6)
    if grain == "month":
        return month_end(first)
    if grain == "year":
        return first.replace(month=12, day=31)
    return first


def provisional(first: dt.date, grain: Grain | None, today: dt.date, revision_window: dt.timedelta | None) -> bool:
    """Whether the bucket beginning on `first` may still be revised on `today`: its end plus the window is not past."""
    return revision_window is not None and today <= bucket_end(first, grain) + revision_window


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

    Returns `periode` (the bucket's first day, clipped to `start`), [by], `numerator`, `denominator`, `value` and
    `delivered` (the bucket has records of its own; a stock is known every day). Counts and sums are 0 in an empty
    bucket between delivered ones; before the first and after the last delivered bucket there is no row. A latest
    reading is the bucket's own (the whole span's: the one valid at its end, however old).
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
        if measure in ("count", "sum") and by is None and not rolled.empty:
            rolled = _fill_zero(rolled, _bucket_ends(start, end, grain))
    elif measure == "latest":
        lookback = start - LATEST_LOOKBACK if grain is None else start
        rolled = _stock(daily(indicator, con, lookback, end, by), bucket_ranges(start, end, grain), by, "carry" if grain is None else "within")
    else:
        rolled = _stock(daily(indicator, con, start, end, by), bucket_ranges(start, end, grain), by, "last_day")
    rolled["delivered"] = _delivered(measure, rolled)
    rolled["value"] = [value_of(indicator, n, d) for n, d in zip(rolled["numerator"], rolled["denominator"], strict=True)]
    if measure in ("count", "sum"):
        rolled["value"] = rolled["numerator"].astype("float64").where(rolled["denominator"].notna(), None)  # between deliveries, an empty bucket is a real 0
    return rolled.sort_values(keys).reset_index(drop=True)


def _delivered(measure: str, rolled: pd.DataFrame) -> list[bool]:
    if measure == "level":
        return [True] * len(rolled)
    if measure == "ratio":  # a ratio's denominator rows alone (residents, days) are not data
        return rolled["numerator"].notna().tolist()
    return (rolled["denominator"].fillna(0) > 0).tolist()


def _fill_zero(rolled: pd.DataFrame, ends: dict[dt.date, dt.date]) -> pd.DataFrame:
    """Empty buckets as 0 from the first bucket with records to the last; none beyond, where nothing was delivered yet."""
    first, last = rolled["periode"].min(), rolled["periode"].max()
    full = pd.DataFrame({"periode": [p for p in ends if first <= p <= last]})
    return full.merge(rolled, on="periode", how="left").fillna({"numerator": 0.0, "denominator": 0.0})


def bucket_ranges(start: dt.date, end: dt.date, grain: Grain | None) -> dict[dt.date, tuple[dt.date, dt.date]]:
    """Each bucket's key (its first day, or `start`) mapped to its first and last day within [start, end]."""
    ranges: dict[dt.date, tuple[dt.date, dt.date]] = {}
    for key, last in _bucket_ends(start, end, grain).items():
        ranges[key] = (max(key, start), last)
    return ranges


def _stock(per_day: pd.DataFrame, ranges: dict[dt.date, tuple[dt.date, dt.date]], by: str | None, pick: str) -> pd.DataFrame:
    """A stock per bucket: with `pick` "last_day" its value on the bucket's last day (0 when nothing); "carry" the
    most recent day's up to the bucket's end, however old; "within" the most recent day's in the bucket (none when
    the bucket has no reading: an assessment is plotted in the year it was made)."""
    groups = per_day.groupby(by) if by else [(None, per_day)]
    rows = []
    for key, group in groups:
        days = dict(zip(group["tanggal"], zip(group["numerator"], group["denominator"], strict=True), strict=True))
        for first, (low, last) in ranges.items():
            if pick == "last_day":
                numerator, denominator = days.get(last, (0, 0))
            else:
                known = [d for d in days if d <= last and (pick == "carry" or d >= low)]
                numerator, denominator = days[max(known)] if known else (0.0, 0)
            row = {"periode": first, "numerator": numerator, "denominator": denominator}
            if by:
                row[by] = key[0] if isinstance(key, tuple) else key
            rows.append(row)
    return pd.DataFrame(rows, columns=["periode", *([by] if by else []), "numerator", "denominator"])


def total(indicator: Indicator, con: ibis.BaseBackend, span: Span) -> tuple[float, float, float | None]:
    rolled = buckets(indicator, con, span[0], span[1])
    if rolled.empty:
        return 0.0, 0.0, value_of(indicator, 0.0, 0.0)
    row = rolled.iloc[0]
    value = None if row["value"] is None or pd.isna(row["value"]) else float(row["value"])
    return float(row["numerator"]), float(row["denominator"]), value


def value_over(indicator: Indicator, con: ibis.BaseBackend, span: Span, buckets_within: pd.DataFrame | None) -> tuple[float, float, float | None]:
    """Numerator, denominator and value over `span` from its buckets within it (as `buckets` gives them), or, without
    them (a source without history) or for a median, computed over the whole span."""
    if buckets_within is not None and indicator.measure in ADDITIVE:
        numerator, denominator = float(buckets_within["numerator"].sum(min_count=1)), float(buckets_within["denominator"].sum())
        value = value_of(indicator, numerator, denominator)
    elif buckets_within is not None and indicator.measure == "level" and not buckets_within.empty:
        last = buckets_within.iloc[-1]  # the last bucket ends on the span's last day
        numerator, denominator, value = float(last["numerator"]), float(last["denominator"]), last["value"]
    else:
        numerator, denominator, value = total(indicator, con, span)
    return numerator, denominator, None if value is None or pd.isna(value) else float(value)


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


def compute(indicator: Indicator, con: ibis.BaseBackend, as_of: dt.datetime, revision_window: dt.timedelta | None = None) -> Computed:
    """The indicator over its default period at `as_of`, the period before it and the same period a year before
    (both like for like with the span its data covers), and its series.

    Args:
        revision_window: how long after a bucket ends its source may still revise it (the longest of its sources');
            None when the source never revises what it delivered.
    """
    span = period_for(indicator, as_of)
    today = today_wib(as_of)
    if indicator.measure == "latest":
        return compute_latest(indicator, con, as_of, span, today, revision_window)
    series = buckets(indicator, con, series_start(indicator, span), span[1], indicator.grain) if indicator.history else None
    numerator, denominator, value = value_over(indicator, con, span, None if series is None else series[series["periode"] >= span[0]])
    covered = covered_by(indicator, span, series) if value is not None else None
    # Without data there is nothing to be like for like with: the whole periods are compared.
    compared = covered or span
    previous = indicator.period.previous_like(span, compared) if indicator.history else None
    year_before = year_before_span(compared) if indicator.history else None
    points = [] if series is None else _points(series, indicator.grain, today, revision_window)
    return Computed(
        indicator_id=indicator.id,
        as_of=as_of,
        period_start=span[0],
        period_end=span[1],
        value=value,
        numerator=0.0 if pd.isna(numerator) else numerator,
        denominator=denominator,
        previous_value=total(indicator, con, previous)[2] if previous else None,
        series=points,
        year_before_value=total(indicator, con, year_before)[2] if year_before else None,
        breakdowns={by: breakdown(indicator, con, span, by) for by in indicator.breakdowns},
        covered=covered,
        provisional_from=_provisional_from(indicator, covered, series, today, revision_window),
        previous_span=previous,
        year_before_span=year_before,
    )


def _points(series: pd.DataFrame, grain: Grain, today: dt.date, revision_window: dt.timedelta | None) -> list[tuple[str, float, bool]]:
    return [
        (p.isoformat(), float(v), provisional(p, grain, today, revision_window))
        for p, v in zip(series["periode"], series["value"], strict=True) if v is not None and not pd.isna(v)
    ]


def covered_by(indicator: Indicator, span: Span, series: pd.DataFrame | None) -> Span:
    """The part of `span` its data covers: from the first to the last month (or year) with records.

    A source that delivers by month or year leaves a month without records undelivered. A day without records in a
    daily source is a quiet day (no fire, no decision): a real zero, while its freshness tells whether the source
    delivers at all. So a daily or weekly indicator covers its whole period, as does a stock (known every day) and
    an indicator without history (it has only its period).
    """
    if series is None or indicator.measure == "level" or indicator.grain in ("day", "week"):
        return span
    delivered = [p for p, d in zip(series["periode"], series["delivered"], strict=True) if d and bucket_end(p, indicator.grain) >= span[0]]
    if not delivered:
        return span
    return max(span[0], min(delivered)), min(span[1], bucket_end(max(delivered), indicator.grain))


def _provisional_from(indicator: Indicator, covered: Span | None, series: pd.DataFrame | None, today: dt.date,
                      revision_window: dt.timedelta | None) -> dt.date | None:
    """The first day of the first delivered bucket within `covered` that its source may still revise."""
    if covered is None or revision_window is None:
        return None
    if series is None:
        return covered[0] if provisional(covered[0], None, today, revision_window) else None
    for first, delivered in zip(series["periode"], series["delivered"], strict=True):
        if delivered and covered[0] <= bucket_end(first, indicator.grain) and first <= covered[1] and provisional(first, indicator.grain, today, revision_window):
            return max(first, covered[0])
    return None


def compute_latest(indicator: Indicator, con: ibis.BaseBackend, as_of: dt.datetime, span: Span, today: dt.date,
                    revision_window: dt.timedelta | None) -> Computed:
    """A latest reading (an assessment valid until the next): the one valid at the period's end, compared with the
    reading before it in an earlier bucket (the previous assessment year), and a point only where a reading was made."""
    grain = indicator.grain
    readings = daily(indicator, con, span[0] - LATEST_LOOKBACK, span[1])
    readings = readings[readings["denominator"] > 0]
    current = readings.iloc[-1] if not readings.empty else None
    covered = previous_span = None
    value = previous_value = None
    numerator, denominator = 0.0, 0.0
    if current is not None:
        first = bucket_start(current["tanggal"], grain, current["tanggal"])
        covered = first, bucket_end(first, grain)
        numerator, denominator = float(current["numerator"]), float(current["denominator"])
        value = value_of(indicator, numerator, denominator)
        earlier = readings[readings["tanggal"] < first]
        if indicator.history and not earlier.empty:
            before = earlier.iloc[-1]
            start = bucket_start(before["tanggal"], grain, before["tanggal"])
            previous_span = start, bucket_end(start, grain)
            previous_value = value_of(indicator, float(before["numerator"]), float(before["denominator"]))
    series = buckets(indicator, con, series_start(indicator, span), span[1], grain) if indicator.history else None
    return Computed(
        indicator_id=indicator.id,
        as_of=as_of,
        period_start=span[0],
        period_end=span[1],
        value=value,
        numerator=numerator,
        denominator=denominator,
        previous_value=None,
        series=[] if series is None else _points(series, grain, today, revision_window),
        year_before_value=previous_value,
        breakdowns={by: breakdown(indicator, con, span, by) for by in indicator.breakdowns},
        covered=covered,
        provisional_from=covered[0] if covered and provisional(covered[0], grain, today, revision_window) else None,
        previous_span=None,
        year_before_span=previous_span,
    )


def breakdown(indicator: Indicator, con: ibis.BaseBackend, span: Span, by: str) -> list[tuple[str, float | None, float, float]]:
    """The indicator over `span` per member of `by` (an OPD, a kecamatan, ...): (member, value, numerator, denominator)."""
    rolled = buckets(indicator, con, span[0], span[1], None, by)
    return [
        (str(m), None if v is None or pd.isna(v) else float(v), float(0 if pd.isna(n) else n), float(d))
        for m, v, n, d in zip(rolled[by], rolled["value"], rolled["numerator"], rolled["denominator"], strict=True)
        if m is not None and not pd.isna(m)
    ]
