"""An analysed figure's definition in words and in SQL, so an analyst can check it and reproduce it elsewhere.

The SQL is compiled from the same Ibis expressions the figure is computed from: `sql_rows` yields the records the
value counts (filters applied), `sql_value` aggregates them to the value over the span as metrics.compute does
(share, ratio, count, sum and median over the span; a stock on its last day; an assessment's latest reading).
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.operations as ops

from metrics.compute import LATEST_LOOKBACK
from metrics.freshness import Freshness
from metrics.indicator import Indicator
from metrics.periods import Span
from metrics.question import Question, filtered
from metrics.snapshot import formula
from region.timezone import WIB

PERIOD_WORDS = {
    "bawaan": ("periode bawaan indikator: {rule}", "the indicator's own period: {rule}"),
    "30_hari": ("30 hari terakhir", "last 30 days"),
    "bulan_lalu": ("bulan lalu", "last month"),
    "kuartal_ini": ("kuartal berjalan", "quarter to date"),
    "tahun_berjalan": ("tahun berjalan", "year to date"),
    "tahun_lalu": ("tahun lalu", "last year"),
    "rentang": ("rentang pilihan", "chosen range"),
}
COMPARISON_WORDS = {
    "setara": ("setara: rentang yang tercakup data dibanding rentang yang sama setahun sebelumnya (penilaian: penilaian sebelumnya)",
               "like for like: the span the data covers against the same span a year before (an assessment: the one before)"),
    "sebelumnya": ("periode sebelumnya dengan panjang yang sama", "the previous period of the same length"),
    "tahun_lalu": ("tanggal yang sama setahun sebelumnya", "the same dates a year before"),
}
DIRECTION_WORDS = {"higher": ("makin tinggi makin baik", "higher is better"), "lower": ("makin rendah makin baik", "lower is better")}
JUDGED_WORDS = {
    "value": ("status dari nilai terhadap ambang", "status from the value against the thresholds"),
    "year_change": ("status dari perubahan (%) terhadap pembanding", "status from the change (%) on the comparison"),
}


def _word(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def value_expr(indicator: Indicator, rows: ibis.Table, span: Span) -> ibis.Table:
    """One row: `numerator`, `denominator` and `value` of `rows` (the indicator's filtered records) over `span`."""
    measure = indicator.measure
    if measure == "share":
        agg = rows.aggregate(numerator=rows.good.cast("int64").sum(), denominator=rows.count())
        return agg.mutate(value=100.0 * agg.numerator / agg.denominator.nullif(0))
    if measure == "ratio":
        agg = rows.aggregate(numerator=rows.num.sum().cast("float64"), denominator=rows.den.sum().cast("float64"))
        return agg.mutate(value=indicator.scale * agg.numerator / agg.denominator.nullif(0))
    if measure == "count":
        agg = rows.aggregate(numerator=rows.count(), denominator=rows.count())
        return agg.mutate(value=agg.numerator.cast("float64"))
    if measure == "sum":
        agg = rows.aggregate(numerator=rows.nilai.sum().cast("float64"), denominator=rows.count())
        return agg.mutate(value=agg.numerator)
    if measure == "median":
        agg = rows.aggregate(numerator=rows.nilai.median().cast("float64"), denominator=rows.count())
        return agg.mutate(value=agg.numerator)
    if measure == "level":
        last = rows.filter(rows.tanggal == ibis.literal(span[1]))
        agg = last.aggregate(numerator=last.count(), denominator=last.count())
        return agg.mutate(value=agg.numerator.cast("float64"))
    # latest: the most recent day with records up to the span's end
    newest = rows.filter(rows.tanggal == rows.tanggal.max())
    agg = newest.aggregate(numerator=newest.nilai.sum().cast("float64"), denominator=newest.count())
    return agg.mutate(value=agg.numerator)


def rows_span(indicator: Indicator, span: Span) -> Span:
    """The days whose records the value reads: the span, or for an assessment as far back as a reading stays valid."""
    return (span[0] - LATEST_LOOKBACK, span[1]) if indicator.measure == "latest" else span


def sql(indicator: Indicator, filters: tuple, span: Span, con: ibis.BaseBackend) -> dict:
    """The SQL that reproduces the value over `span` with `filters` on DuckDB: `sql_setup` (small reference tables to
    make first), `sql_rows` (the filtered records), `sql_value` (them aggregated to the value) and `rows_span`."""
    rows_from, rows_to = rows_span(indicator, span)
    rows = filtered(indicator, filters).query(con, rows_from, rows_to, **indicator.params)
    return {
        "sql_setup": inline_tables(rows),
        "sql_rows": str(ibis.to_sql(rows, dialect="duckdb")),
        "sql_value": str(ibis.to_sql(value_expr(indicator, rows, span), dialect="duckdb")),
        "rows_span": {"start": rows_from.isoformat(), "end": rows_to.isoformat()},
    }


def definition(indicator: Indicator, q: Question, span: Span, lang: str, sources: list[Freshness], compiled: dict) -> dict:
    """See Explorer.definition; `compiled` is `sql` of the question."""
    en = lang == "en"
    rule = indicator.period.label(lang)
    return {
        "id": indicator.id,
        "lang": lang,
        "name": indicator.name_en if en else indicator.name,
        "definition": indicator.description_en if en else indicator.description,
        "formula": formula(indicator)["en" if en else "id"],
        "measure": indicator.measure,
        "unit": indicator.unit_en if en else indicator.unit,
        "direction": indicator.direction,
        "direction_words": _word(DIRECTION_WORDS[indicator.direction], lang),
        "judged_on": indicator.judged_on,
        "judged_words": _word(JUDGED_WORDS[indicator.judged_on], lang),
        "target": {"value": indicator.target.value, "basis": indicator.target.basis},
        "thresholds": {"green": indicator.thresholds.green, "amber": indicator.thresholds.amber},
        "period": {
            "rule": rule,
            "chosen": q.period,
            "words": _word(PERIOD_WORDS[q.period], lang).format(rule=rule),
            "start": span[0].isoformat(),
            "end": span[1].isoformat(),
        },
        "comparison": {"chosen": q.comparison, "words": _word(COMPARISON_WORDS[q.comparison], lang)},
        "filters": {column: list(members) for column, members in q.filters},
        "assumptions": [a.describe(indicator.params, lang) for a in indicator.assumptions],
        "sources": [{"source": s.source, "state": s.state, "simulated": s.simulated,
                     "last_success_wib": _wib(s.last_success_at)} for s in sources],
        **compiled,
    }


def inline_tables(expr: ibis.Table) -> list[str]:
    """Statements that make the small in-memory tables a query joins (an assessment framework's weights) as
    temporary tables, so its SQL runs on a connection of its own."""
    statements = []
    for table in expr.op().find(ops.InMemoryTable):
        frame = table.data.to_frame()
        columns = ", ".join(f'CAST(c{n} AS {_SQL_TYPES.get(str(dtype), "VARCHAR")}) AS "{name}"'
                            for n, (name, dtype) in enumerate(table.schema.items(), start=1))
        values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in frame.itertuples(index=False))
        aliases = ", ".join(f"c{n}" for n in range(1, len(frame.columns) + 1))
        statements.append(f'CREATE OR REPLACE TEMP TABLE "{table.name}" AS SELECT {columns} FROM (VALUES {values}) AS v({aliases})')
    return statements


_SQL_TYPES = {"string": "VARCHAR", "int64": "BIGINT", "int32": "INTEGER", "float64": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}


def _literal(value) -> str:
    if hasattr(value, "item"):  # a NumPy scalar
        value = value.item()
    if value is None or (isinstance(value, float) and value != value):
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _wib(moment: dt.datetime | None) -> str | None:
    return moment.replace(tzinfo=dt.UTC).astimezone(WIB).isoformat(timespec="minutes") if moment else None
