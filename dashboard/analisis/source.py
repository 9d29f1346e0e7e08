"""Where the explorer's answers and records come from: the metrics layer's explorer and records drill-down.

The page reads them only through `explorer()` and `records()`. Until the metrics layer serves an explorer
(`MetricsService.explorer()`) and `metrics.records.record_page`, a stand-in built from the metrics layer's own
functions answers with the same shape, so the page works on a real warehouse either way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import ibis
import pandas as pd

from metrics.compute import breakdown, bucket_end, buckets, provisional, today_wib
from metrics.freshness import Freshness
from metrics.indicator import Indicator
from metrics.periods import year_before_span
from metrics.question import Drill, Question, filtered, previous_span, year_before_dates
from metrics.recompute import revision_window
from metrics.smartcity.overview import DIMENSIONS
from metrics.snapshot import formula
from metrics.status import status_of
from region.calendar import WIB
from region.kecamatan import all_kecamatan
from region.opd import opd_name


def explorer(metrics):
    """The metrics layer's explorer, or the stand-in below while it has none."""
    made = getattr(metrics, "explorer", None)
    return made() if callable(made) else _standin(metrics)


def records(metrics, question: Question, drill: Drill):
    """The records behind a number (metrics.records.record_page, or the stand-in's)."""
    try:
        from metrics.records import record_page
    except ImportError:
        return _standin(metrics).record_page(question, drill)
    return record_page(metrics, question, drill)


# ---- the stand-in, in the shape the metrics layer's explorer and records are described with ----

@dataclass(frozen=True)
class Point:
    periode: dt.date
    end: dt.date
    value: float | None
    numerator: float
    denominator: float
    provisional: bool
    delivered: bool


@dataclass(frozen=True)
class Member:
    code: str
    name: str
    name_en: str
    value: float | None
    numerator: float
    denominator: float
    status: str


@dataclass(frozen=True)
class Answer:
    question: Question
    indicator: Indicator
    as_of: dt.datetime  # UTC, naive
    today: dt.date
    span: tuple[dt.date, dt.date]
    grain: str
    covered: tuple[dt.date, dt.date] | None
    value: float | None
    numerator: float
    denominator: float
    status: str
    compared_span: tuple[dt.date, dt.date] | None
    compared_value: float | None
    change: float | None
    change_relative: bool
    series: tuple[Point, ...]
    compared_series: tuple[Point, ...]
    breakdown: tuple[Member, ...]
    sources: tuple[Freshness, ...]
    simulated: bool
    data_version: int


@dataclass(frozen=True)
class Column:
    name: str
    label_id: str
    label_en: str
    kind: str = "text"
    masked: bool = False


@dataclass(frozen=True)
class RecordPage:
    columns: list[Column]
    rows: list[dict]
    total: int
    counted: int
    other: int
    summary: dict = field(default_factory=dict)
    page: int = 1
    size: int = 50


def member_name(column: str, code: str) -> str:
    """A breakdown member's name: kecamatan and OPD by their names, other members as they are."""
    if column == "kode_kecamatan":
        return next((k.nama for k in all_kecamatan() if k.kode == code), code)
    if column == "kode_opd":
        return opd_name(code)
    return code


@lru_cache(maxsize=4)
def _standin(metrics) -> _StandIn:
    return _StandIn(metrics)


class _StandIn:
    def __init__(self, metrics) -> None:
        self.metrics = metrics

    def _now(self) -> dt.datetime:
        return self.metrics._clock()  # naive UTC

    def _con(self) -> ibis.BaseBackend:
        return self.metrics._ibis()

    def _span(self, q: Question, ind: Indicator) -> tuple[dt.date, dt.date]:
        now = q.as_of.astimezone(dt.UTC).replace(tzinfo=None) if q.as_of else self._now()
        return q.span(ind, today_wib(now))

    def catalogue(self, lang: str = "id") -> list[tuple[str, list[tuple[str, str]]]]:
        groups: dict[str, list[tuple[str, str]]] = {}
        for ind in self.metrics.indicators:
            groups.setdefault(ind.dimension or "Lainnya", []).append((ind.id, ind.name_en if lang == "en" else ind.name))
        order = [name for _, name in DIMENSIONS]
        return sorted(groups.items(), key=lambda g: order.index(g[0]) if g[0] in order else len(order))

    def members(self, indicator_id: str, column: str) -> list[tuple[str, str]]:
        ind = self.metrics.indicator(indicator_id)
        if column == "kode_kecamatan":
            return [(k.kode, k.nama) for k in all_kecamatan()]
        end = today_wib(self._now())
        codes = sorted({m for m, *_ in breakdown(ind, self._con(), (end - dt.timedelta(days=365), end), column)})
        return [(c, member_name(column, c)) for c in codes]

    def _points(self, ind: Indicator, start: dt.date, end: dt.date, grain: str, today: dt.date) -> tuple[Point, ...]:
        window = revision_window(ind, self.metrics._revision_windows)
        frame = buckets(ind, self._con(), start, end, grain)
        return tuple(Point(p, min(bucket_end(p, grain), end), None if v is None or pd.isna(v) else float(v), float(0 if pd.isna(n) else n),
                           float(d), bool(dl) and provisional(p, grain, today, window), bool(dl))
                     for p, v, n, d, dl in zip(frame["periode"], frame["value"], frame["numerator"], frame["denominator"], frame["delivered"], strict=True))

    def answer(self, q: Question) -> Answer:
        ind = filtered(self.metrics.indicator(q.indicator), q.filters)
        now = q.as_of.astimezone(dt.UTC).replace(tzinfo=None) if q.as_of else self._now()
        today = today_wib(now)
        start, end = q.span(ind, today)
        grain = q.grain_for(ind)
        total = buckets(ind, self._con(), start, end)
        value = numerator = denominator = None
        if not total.empty:
            row = total.iloc[0]
            value = None if row["value"] is None or pd.isna(row["value"]) else float(row["value"])
            numerator, denominator = float(0 if pd.isna(row["numerator"]) else row["numerator"]), float(row["denominator"])
        compared = {"setara": year_before_span((start, end)), "sebelumnya": previous_span((start, end)), "tahun_lalu": year_before_dates((start, end))}[q.comparison]
        before = buckets(ind, self._con(), *compared)
        compared_value = None if before.empty or pd.isna(before.iloc[0]["value"]) else float(before.iloc[0]["value"])
        direction = ind.direction
        green, amber = ind.thresholds.green, ind.thresholds.amber
        members = []
        if q.by:
            for code, v, n, d in breakdown(ind, self._con(), (start, end), q.by):
                members.append(Member(code, member_name(q.by, code), member_name(q.by, code), v, n, d, status_of(v, green, amber, direction)))
            members.sort(key=lambda m: (m.value is None, -(m.value or 0) if direction == "higher" else (m.value or 0)))
        fresh = self.metrics.freshness()
        sources = tuple(fresh[s] for s in ind.sources if s in fresh)
        change = None if value is None or compared_value is None else value - compared_value
        return Answer(
            question=q, indicator=self.metrics.indicator(q.indicator), as_of=now, today=today, span=(start, end), grain=grain,
            covered=(start, end) if value is not None else None, value=value, numerator=numerator or 0.0, denominator=denominator or 0.0,
            status=status_of(value, green, amber, direction) if ind.judged_on == "value" else "no_data",
            compared_span=compared, compared_value=compared_value, change=change, change_relative=False,
            series=self._points(ind, start, end, grain, today), compared_series=self._points(ind, *compared, grain, today),
            breakdown=tuple(members), sources=sources, simulated=any(s.simulated for s in sources), data_version=self.metrics.data_version(),
        )

    def definition(self, q: Question, lang: str = "id") -> dict:
        ind = filtered(self.metrics.indicator(q.indicator), q.filters)
        start, end = self._span(q, ind)
        facts = ind.query(self._con(), start, end, **ind.params)
        fresh = self.metrics.freshness()
        en = lang == "en"
        return {
            "definition": ind.description_en if en else ind.description, "formula": formula(ind)["en" if en else "id"],
            "measure": ind.measure, "unit": ind.unit_en if en else ind.unit, "direction": ind.direction,
            "target": {"value": ind.target.value, "basis": ind.target.basis},
            "thresholds": {"green": ind.thresholds.green, "amber": ind.thresholds.amber},
            "period": {"rule": ind.period.label(lang), "words": ind.period.label(lang), "start": start.isoformat(), "end": end.isoformat()},
            "assumptions": [a.describe(ind.params, lang) for a in ind.assumptions],
            "sources": [{"source": f.source, "state": f.state, "simulated": f.simulated,
                         "last_success_wib": f.last_success_at.replace(tzinfo=dt.UTC).astimezone(WIB).isoformat(timespec="minutes") if f.last_success_at else None}
                        for f in (fresh[s] for s in ind.sources if s in fresh)],
            "sql_setup": [], "sql_rows": str(ibis.to_sql(facts, dialect="duckdb")), "sql_value": "",
        }

    def record_page(self, q: Question, drill: Drill) -> RecordPage:
        ind = filtered(self.metrics.indicator(q.indicator), q.filters)
        start, end = self._span(q, ind)
        if drill.periode:
            start, end = max(start, drill.periode), min(end, bucket_end(drill.periode, q.grain_for(ind)))
        facts = ind.query(self._con(), start, end, **ind.params)
        if drill.member is not None and q.by:
            facts = facts.filter(facts[q.by].cast("string") == drill.member)
        counted_expr = facts.good if "good" in facts.columns else (facts.num > 0 if "num" in facts.columns else ibis.literal(True))
        facts = facts.mutate(dihitung=counted_expr)
        total = int(facts.count().execute())
        counted = int(facts.filter(facts.dihitung).count().execute())
        part = {"dihitung": facts.filter(facts.dihitung), "lainnya": facts.filter(~facts.dihitung)}.get(drill.part, facts)
        for column, text in drill.search:
            if column in part.columns:
                part = part.filter(part[column].cast("string").lower().contains(text.lower()))
        keys = [ibis.asc(c) if asc else ibis.desc(c) for c, asc in drill.sort if c in part.columns] or [ibis.asc("tanggal")]
        shown = self._con().to_pyarrow(part.order_by(keys).limit(drill.size, offset=(drill.page - 1) * drill.size)).to_pylist()
        columns = [Column(c, c, c, "date" if c == "tanggal" else "text") for c in part.columns]
        return RecordPage(columns, shown, total, counted, total - counted, {"matched": int(part.count().execute())}, drill.page, drill.size)

