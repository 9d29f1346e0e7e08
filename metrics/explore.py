"""The analysts' explorer: the numbers one analysis view shows, answered from an indicator's records on request.

An Answer holds the value of a Question (metrics.question) over its span with its filters applied to the query's
rows, its status, the comparison it asked for, the series at its grain, the breakdown it asked for, and the sources'
freshness. Measures are taken by metrics.compute exactly as for the wall, so with no filters, the indicator's own
period and the like-for-like comparison an Answer's value is the wall's.

Comparisons: "setara" sets the span the data covers against the same span a year before (for an assessment, the
reading before it, of an earlier year), as the wall does; "sebelumnya" the span of the same length just before;
"tahun_lalu" the same dates a year before. A change is the value less the compared value (points for a percentage);
for an indicator judged on its growth it is the change in % and its status is judged on it.

Answers and their parts (series, comparison, breakdown) are remembered per warehouse generation and WIB day, so a
repeated view never queries again, and a view that changes only its breakdown reads only the breakdown. The rows an
indicator's query yields for a span are read from the warehouse once and kept in memory (bounded), so a filter
change, a breakdown or another grain over the same span is answered from memory; measures are still taken by
metrics.compute on them. Queries run within metrics.slots' slots, shared with the other queries made on request; a
view that waits too long for one is refused (Busy).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import ibis
import ibis.expr.operations as ops
import pandas as pd
import pyarrow as pa

from metrics.answer import Answer, Member, Point, ranked
from metrics.compute import (
    Grain,
    breakdown,
    bucket_ranges,
    bucket_start,
    buckets,
    compute_latest,
    covered_by,
    provisional,
    today_wib,
    value_over,
)
from metrics.definition import definition, sql
from metrics.indicator import Indicator
from metrics.kept import Kept, Remembered, RowStore
from metrics.members import known_members, member_name
from metrics.periods import Span, year_before_span
from metrics.question import Question, filtered, previous_span, year_before_dates
from metrics.slots import slot
from metrics.smartcity.overview import DIMENSIONS
from metrics.status import status_of

if TYPE_CHECKING:
    from metrics.service import MetricsService

__all__ = ["Answer", "Explorer", "Member", "Point"]

ANSWERS_KEPT = 256
PARTS_KEPT = 1024
# Query rows kept in memory for views that filter or break them down (see metrics.kept.RowStore): bytes in all,
# and rows of one span (15-40 bytes a row: 30 days of attendance are 0.3 million rows, 4 MB).
BYTES_KEPT = 128_000_000
ROWS_PER_SPAN = 2_000_000
# Columns a measure reads from a query's rows (metrics.compute), beside `tanggal` and the breakdowns.
MEASURE_COLUMNS = {"share": ("good",), "ratio": ("num", "den"), "sum": ("nilai",), "median": ("nilai",), "latest": ("nilai",), "count": (), "level": ()}
# A filter offers the members the data has had this many days back, beside the known ones.
MEMBERS_DAYS = 366


@dataclass(frozen=True)
class _Measured:
    """The value part of an answer: value over the span, the span covered, and the like-for-like comparison."""

    value: float | None
    numerator: float
    denominator: float
    covered: Span | None
    series: tuple[Point, ...]
    like_span: Span | None  # what "setara" compares with
    like_value: float | None
    like_known: bool  # like_value was found with the value (an assessment's reading before)


class Explorer:
    """Answers analysis questions of a MetricsService's indicators (see the module's docstring).

    Args:
        metrics: the service whose indicators, warehouse, clock and per-thread backend it uses.
    """

    def __init__(self, metrics: MetricsService) -> None:
        self._metrics = metrics
        self._answers = Remembered(ANSWERS_KEPT)
        self._parts = Remembered(PARTS_KEPT)
        self._rows = RowStore(BYTES_KEPT, ROWS_PER_SPAN)
        self._local = threading.local()

    # --- what is asked -------------------------------------------------------------------------------------------

    def moment(self, q: Question) -> dt.datetime:
        """The instant (UTC, naive) a question's figures are for: its as-of moment, else now."""
        return q.as_of.astimezone(dt.UTC).replace(tzinfo=None) if q.as_of is not None else self._metrics.now()

    def _epoch(self) -> int:
        """What everything remembered is valid for: the warehouse generation (keys carry the WIB day they are for)."""
        return self._metrics.data_version()

    def answer(self, q: Question) -> Answer:
        """The figures of one analysis view.

        Raises:
            UnknownIndicator: the question names an indicator not served.
            Busy: every query slot stayed taken.
        """
        indicator = self._metrics.judged(q.indicator)
        as_of = self.moment(q)
        epoch = self._epoch()
        found = self._answers.get(epoch, ("answer", q.key(), today_wib(as_of)), lambda: self._answer(q, indicator, as_of, epoch))
        freshness = self._metrics.freshness()
        sources = tuple(freshness[s] for s in indicator.sources)
        return found if sources == found.sources else replace(found, sources=sources)

    def _answer(self, q: Question, indicator: Indicator, as_of: dt.datetime, epoch: int) -> Answer:
        today = today_wib(as_of)
        span = q.span(indicator, today)
        grain = q.grain_for(indicator)
        measured = self._part(epoch, ("value", indicator.id, span, grain, q.filters, today), lambda: self._measure(indicator, q.filters, span, grain, as_of))
        compared_span, compared_value, compared_series = None, None, ()
        if indicator.history:
            if q.comparison == "setara":
                compared_span = measured.like_span
            elif q.comparison == "sebelumnya":
                compared_span = previous_span(span)
            else:
                compared_span = year_before_dates(span)
        if compared_span is not None:
            if q.comparison == "setara" and measured.like_known:
                compared_value = measured.like_value
                compared_series = self._part(epoch, ("series", indicator.id, compared_span, grain, q.filters, today),
                                             lambda: self._series(indicator, q.filters, compared_span, grain, as_of))
            else:
                other = self._part(epoch, ("value", indicator.id, compared_span, grain, q.filters, today),
                                   lambda: self._measure(indicator, q.filters, compared_span, grain, as_of))
                compared_value, compared_series = other.value, other.series
        change = _change(indicator, measured.value, compared_value)
        judged = change if indicator.judged_on == "year_change" else measured.value
        direction = "higher" if indicator.judged_on == "year_change" else indicator.direction
        members: tuple[Member, ...] = ()
        if q.by:
            members = self._part(epoch, ("breakdown", indicator.id, span, q.by, q.filters), lambda: self._breakdown(indicator, q.filters, span, q.by, as_of))
        freshness = self._metrics.freshness()
        sources = tuple(freshness[s] for s in indicator.sources)
        return Answer(
            question=q, indicator=indicator, as_of=as_of, today=today, span=span, grain=grain, covered=measured.covered,
            value=measured.value, numerator=measured.numerator, denominator=measured.denominator,
            status=status_of(judged, indicator.thresholds.green, indicator.thresholds.amber, direction),
            compared_span=compared_span, compared_value=compared_value, change=change, change_relative=indicator.judged_on == "year_change",
            series=measured.series, compared_series=compared_series, breakdown=members, sources=sources,
            simulated=any(s.simulated for s in sources), data_version=epoch,
        )

    def members(self, indicator_id: str, column: str) -> list[tuple[str, str]]:
        """(code, name) of the members a filter on `column` can offer: those in the indicator's data (the last
        MEMBERS_DAYS days) and those known whether or not the data has them, by name.

        Raises:
            UnknownIndicator: the id is not served.
            ValueError: the indicator has no such breakdown.
        """
        indicator = self._metrics.judged(indicator_id)
        if column not in indicator.breakdowns:
            raise ValueError(f"indikator {indicator.id} tidak dapat disaring menurut '{column}'; yang bisa: {', '.join(indicator.breakdowns) or 'tidak ada'}")
        as_of = self._metrics.now()
        today = today_wib(as_of)
        codes = self._part(self._epoch(), ("members", indicator.id, column, today), lambda: self._distinct(indicator, column, today))
        return sorted(((c, member_name(column, c)) for c in {*codes, *known_members(column)}), key=lambda m: (m[1].lower(), m[0]))

    def _distinct(self, indicator: Indicator, column: str, today: dt.date) -> tuple[str, ...]:
        con = self._metrics.backend()
        rows = indicator.query(con, today - dt.timedelta(days=MEMBERS_DAYS - 1), today, **indicator.params)
        found = con.to_pyarrow(rows.select(column).distinct()).column(column).to_pylist()
        return tuple(str(c) for c in found if c is not None)

    def catalogue(self, lang: str = "id") -> list[tuple[str, list[tuple[str, str]]]]:
        """The served indicators grouped by smart-city dimension, in the dimensions' order: (dimension, [(id, name)])."""
        order = [name for _, name in DIMENSIONS]
        groups: dict[str, list[tuple[str, str]]] = {}
        for indicator in self._metrics.indicators:
            groups.setdefault(indicator.dimension, []).append((indicator.id, indicator.name_en if lang == "en" else indicator.name))
        return sorted(groups.items(), key=lambda g: (order.index(g[0]) if g[0] in order else len(order), g[0]))

    def definition(self, q: Question, lang: str = "id") -> dict:
        """The figure a question asks for, in words and in SQL: definition, formula, unit, direction, target and its
        basis, thresholds, the period rule and the span chosen, assumptions, sources with their freshness, and the
        SQL of the filtered records (`sql_rows`) and of the value aggregated from them (`sql_value`), so the figure
        can be reproduced elsewhere.

        Raises:
            UnknownIndicator: the question names an indicator not served.
        """
        indicator = self._metrics.judged(q.indicator)
        as_of = self.moment(q)
        span = q.span(indicator, today_wib(as_of))
        freshness = self._metrics.freshness()
        compiled = self._part(self._epoch(), ("sql", indicator.id, tuple(sorted(indicator.params.items())), span, q.filters),
                              lambda: sql(indicator, q.filters, span, self._metrics.backend()))
        return definition(indicator, q, span, lang, [freshness[s] for s in indicator.sources], compiled)

    # --- the records, read once per span ---

    def _from_memory(self, indicator: Indicator, filters: tuple) -> Indicator:
        """The indicator with its query answered from the rows kept in memory (read on first use), filters applied."""
        epoch = self._epoch()
        base = indicator.query

        def query(con: ibis.BaseBackend, start: dt.date, end: dt.date, **params) -> ibis.Table:
            key = (indicator.id, tuple(sorted(params.items())), start, end)
            kept = self._rows.get(epoch, key, lambda most: self._read_rows(indicator, base, start, end, params, most))
            if kept is None:
                return base(con, start, end, **params)
            self._registered(con, kept)
            return con.sql(f'SELECT * FROM "{kept.name}"', schema=kept.schema, dialect="duckdb")

        return filtered(replace(indicator, query=query), filters)

    def _registered(self, con: ibis.BaseBackend, kept: Kept) -> None:
        """Make `kept` known to this thread's DuckDB connection, and drop the tables it knows that are kept no longer."""
        known: set[str] | None = getattr(self._local, "known", None)
        if known is None:
            known = self._local.known = set()
        if kept.name not in known:
            con.con.register(kept.name, kept.table)
            known.add(kept.name)
        for name in known - self._rows.names() - {kept.name}:
            con.con.unregister(name)
            known.discard(name)

    def _read_rows(self, indicator: Indicator, base, start: dt.date, end: dt.date, params: dict, most: int) -> pa.Table | None:
        """The columns a measure, a filter and a breakdown read of the query's rows; None when there are more than
        `most`, or when the query joins a table of its own (it is cheap to run again)."""
        con = self._metrics.backend()
        rows = base(con, start, end, **params)
        if rows.op().find(ops.InMemoryTable):
            return None
        wanted = ["tanggal", *MEASURE_COLUMNS[indicator.measure], *indicator.breakdowns]
        table = con.to_pyarrow(rows.select(*[c for c in wanted if c in rows.columns]).limit(most + 1))
        return None if table.num_rows > most else table

    # --- parts, each remembered -----------------------------------------------------------------------------------

    def _part(self, epoch: int, key: tuple, make: Callable[[], object]):
        return self._parts.get(epoch, key, lambda: self._bounded(make))

    def _bounded(self, make: Callable[[], object]):
        with slot():
            return make()

    def _measure(self, indicator: Indicator, filters: tuple, span: Span, grain: Grain, as_of: dt.datetime) -> _Measured:
        """The value over `span` as metrics.compute takes it for the wall, its series at `grain`, the span covered and
        the like-for-like span a year before."""
        con = self._metrics.backend()
        rows = self._from_memory(indicator, filters)
        today = today_wib(as_of)
        window = self._metrics.revision_window(indicator)
        if indicator.measure == "latest":
            latest = compute_latest(rows, con, as_of, span, today, window)
            series = self._series(indicator, filters, span, grain, as_of) if indicator.history else ()
            return _Measured(latest.value, latest.numerator, latest.denominator, latest.covered, series,
                             latest.year_before_span, latest.year_before_value, True)
        frame = buckets(rows, con, span[0], span[1], grain) if indicator.history else None
        numerator, denominator, value = value_over(rows, con, span, frame)
        covered = None
        if value is not None:
            native = frame if grain == indicator.grain or frame is None else None
            if native is None and indicator.measure != "level" and indicator.grain in ("month", "year"):
                native = buckets(rows, con, span[0], span[1], indicator.grain)
            covered = covered_by(indicator, span, native if native is not None else frame)
        series = () if frame is None else _points(frame, span, grain, today, window)
        like_span = year_before_span(covered or span) if indicator.history else None
        return _Measured(value, 0.0 if pd.isna(numerator) else numerator, denominator, covered, series, like_span, None, False)

    def _series(self, indicator: Indicator, filters: tuple, span: Span, grain: Grain, as_of: dt.datetime) -> tuple[Point, ...]:
        frame = buckets(self._from_memory(indicator, filters), self._metrics.backend(), span[0], span[1], grain)
        return _points(frame, span, grain, today_wib(as_of), self._metrics.revision_window(indicator))

    def _breakdown(self, indicator: Indicator, filters: tuple, span: Span, by: str, as_of: dt.datetime) -> tuple[Member, ...]:
        rows = breakdown(self._from_memory(indicator, filters), self._metrics.backend(), span, by)
        kept = dict(filters).get(by)
        seen = {code for code, *_ in rows}
        missing = [code for code in known_members(by) if code not in seen and (kept is None or code in kept)] if by == "kode_kecamatan" else []
        judge = indicator.judged_on == "value"
        members = [
            Member(code, member_name(by, code, "id"), member_name(by, code, "en"), value, numerator, denominator,
                   status_of(value, indicator.thresholds.green, indicator.thresholds.amber, indicator.direction) if judge else "no_data")
            for code, value, numerator, denominator in rows
        ]
        members += [Member(code, member_name(by, code, "id"), member_name(by, code, "en"), None, 0.0, 0.0, "no_data") for code in missing]
        return tuple(ranked(members, indicator.direction))


def _change(indicator: Indicator, value: float | None, compared: float | None) -> float | None:
    """Value less compared value; for an indicator judged on growth the change in % (None from a zero)."""
    if value is None or compared is None:
        return None
    if indicator.judged_on == "year_change":
        return 100.0 * (value - compared) / compared if compared else None
    return value - compared


def _points(frame: pd.DataFrame, span: Span, grain: Grain, today: dt.date, window: dt.timedelta | None) -> tuple[Point, ...]:
    """Every bucket of `span` at `grain`, in order; a bucket without a row has no value."""
    rows = {}
    for record in frame.to_dict("records"):
        rows[bucket_start(record["periode"], grain, span[0])] = record
    points = []
    for key, (first, last) in bucket_ranges(span[0], span[1], grain).items():
        row = rows.get(key)
        if row is None:
            points.append(Point(first, last, None, 0.0, 0.0, False, False))
            continue
        value = row["value"]
        value = None if value is None or pd.isna(value) else float(value)
        numerator = row["numerator"]
        delivered = bool(row["delivered"])
        points.append(Point(first, last, value, 0.0 if numerator is None or pd.isna(numerator) else float(numerator),
                            float(0 if pd.isna(row["denominator"]) else row["denominator"]),
                            delivered and provisional(key, grain, today, window), delivered))
    return tuple(points)
