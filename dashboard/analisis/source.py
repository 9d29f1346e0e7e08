"""Where the explorer's figures and records come from: the metrics layer's explorer, and its records drill-down.

The page reads them only through `explorer()` and `records()`. Until `metrics.records.record_page` is served, a
stand-in reads the records of the figure from the indicator's own query (filters, bucket and member applied) in
the shape the records module is described with, so the page works on a real warehouse either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis

from metrics.compute import bucket_end, today_wib
from metrics.explore import Explorer
from metrics.question import Drill, Question, filtered


def explorer(metrics) -> Explorer:
    """The metrics layer's explorer (one per service)."""
    return metrics.explorer()


def records(metrics, question: Question, drill: Drill):
    """The records behind a number (metrics.records.record_page, or the stand-in below while there is none)."""
    try:
        from metrics.records import record_page
    except ImportError:
        return _record_page(metrics, question, drill)
    return record_page(metrics, question, drill)


@dataclass(frozen=True)
class Column:
    name: str
    label_id: str
    label_en: str
    kind: str = "text"
    masked: bool = False


@dataclass(frozen=True)
class RecordPage:
    """As metrics.records has it: `total` is what the pages page through (the part, searched); `counted` and
    `other` the drill's records that count and those that do not."""

    columns: list[Column]
    rows: list[dict]
    total: int
    counted: int
    other: int
    summary: dict = field(default_factory=dict)
    page: int = 1
    size: int = 50


def _record_page(metrics, q: Question, drill: Drill) -> RecordPage:
    """The query's rows behind the figure: counted where they add to the numerator (a share's `good`, a ratio's `num`)."""
    ind = filtered(metrics.judged(q.indicator), q.filters)
    start, end = q.span(ind, today_wib(explorer(metrics).moment(q)))
    if drill.periode:
        start, end = max(start, drill.periode), min(end, bucket_end(drill.periode, q.grain_for(ind)))
    con = metrics.backend()
    facts = ind.query(con, start, end, **ind.params)
    if drill.member is not None and q.by:
        facts = facts.filter(facts[q.by].cast("string") == drill.member)
    counted = facts.good if "good" in facts.columns else (facts.num > 0 if "num" in facts.columns else ibis.literal(True))
    facts = facts.mutate(dihitung=counted)
    total = int(facts.count().execute())
    counted_n = int(facts.filter(facts.dihitung).count().execute())
    part = {"dihitung": facts.filter(facts.dihitung), "lainnya": facts.filter(~facts.dihitung)}.get(drill.part, facts)
    for column, text in drill.search:
        if column in part.columns:
            part = part.filter(part[column].cast("string").lower().contains(text.lower()))
    keys = [ibis.asc(c) if asc else ibis.desc(c) for c, asc in drill.sort if c in part.columns] or [ibis.asc("tanggal")]
    shown = con.to_pyarrow(part.order_by(keys).limit(drill.size, offset=(drill.page - 1) * drill.size)).to_pylist()
    columns = [Column(c, c, c, "date" if c == "tanggal" else "text") for c in part.columns]
    summary = {"measure": ind.measure, "numerator": counted_n, "denominator": total}
    return RecordPage(columns, shown, int(part.count().execute()), counted_n, total - counted_n, summary, drill.page, drill.size)
