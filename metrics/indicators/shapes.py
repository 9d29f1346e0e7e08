"""Query shapes that indicators of several domains share: the rows a query returns, calendar days, stocks, estimates."""

from __future__ import annotations

import datetime as dt

import ibis

# Every query row carries the identity of the source record it counts: its table, its key as text (as `rejects`
# writes it: the key's values joined by "|"), the load that wrote it and where that load read it, and the key's own
# columns as `_k_<column>` to find the record again. Aggregates never read them, so the engine leaves them out of
# every computed value; only a drill-down to the records selects them. A row that is no record (an estimate) has
# them null; a row per person (an aggregate over a person's records) has the person as `_kunci` and no `_k_` columns.
TABLE, KEY, LOAD, ORIGIN = "_tabel", "_kunci", "_load_id", "_origin"
IDENTITY = (TABLE, KEY, LOAD, ORIGIN)
KEY_PREFIX = "_k_"


def key_text(*parts: ibis.Value) -> ibis.StringValue:
    """A record's key as text, as `rejects.record_key` holds it: each value as text ("" when missing), joined by "|"."""
    texts = [p.cast("string").fill_null("") for p in parts]
    return texts[0] if len(texts) == 1 else ibis.literal("|").join(texts)


def records(con: ibis.BaseBackend, table: str, key: tuple[str, ...], *columns: str) -> ibis.Table:
    """The `columns` of `table` that a query reads, each row with its record's identity (see IDENTITY above).

    Args:
        con: the backend.
        table: the source table.
        key: its key as its contract declares it.
        columns: the columns the query reads.
    """
    t = con.table(table)
    return t.select(
        *columns, **{TABLE: ibis.literal(table), KEY: key_text(*(t[k] for k in key)), LOAD: t[LOAD], ORIGIN: t[ORIGIN]},
        **{KEY_PREFIX + k: t[k] for k in key},
    )


def identity(t: ibis.Table) -> dict[str, ibis.Value]:
    """The identity columns `t` carries, to keep them in a query's rows."""
    return {c: t[c] for c in t.columns if c in IDENTITY or c.startswith(KEY_PREFIX)}


def facts(t: ibis.Table, day: ibis.Value, good: ibis.BooleanValue, *by: str) -> ibis.Table:
    """A share's rows: `tanggal`, `good` (an unknown is not good), the breakdown columns `by` and the record's identity."""
    return t.select(tanggal=day, good=good.fill_null(False), **{b: t[b] for b in by}, **identity(t))


def values(t: ibis.Table, day: ibis.Value, *by: str, **measures: ibis.Value) -> ibis.Table:
    """Rows of `tanggal`, the named `measures` (`nilai`, or `num` and `den`), the breakdown columns `by` and the record's identity."""
    return t.select(tanggal=day.cast("date"), **measures, **{b: t[b] for b in by}, **identity(t))


def calendar_days(con: ibis.BaseBackend, start: dt.date, end: dt.date) -> ibis.Table:
    """One row per calendar day in [start, end]: `d_tanggal`, `d_urutan` (running working-day count)."""
    k = con.table("kalender_kerja")
    return k.filter(k.tanggal.between(start, end)).select(d_tanggal=k.tanggal, d_urutan=k.urutan_hari_kerja)


def working_day_number(con: ibis.BaseBackend, prefix: str) -> ibis.Table:
    """Every calendar day as `<prefix>_tanggal` with its running working-day count `<prefix>_urutan`."""
    # The running count makes "working days between two dates" a subtraction.
    k = con.table("kalender_kerja")
    return k.select(**{f"{prefix}_tanggal": k.tanggal, f"{prefix}_urutan": k.urutan_hari_kerja})


def open_each_day(
    con: ibis.BaseBackend, start: dt.date, end: dt.date, items: ibis.Table, since: ibis.Value, closed: ibis.Column
) -> ibis.Table:
    """A stock: `items` once per calendar day in [start, end] (`d_tanggal`, `d_urutan`) from `since` on, while open.

    Args:
        con, start, end: the backend and the days to count on.
        items: the cases (applications, complaints).
        since: the first day an item counts, an expression on `items`.
        closed: the day an item stops counting, an expression on `items`; null while it is still open.
    """
    # Items that cannot be open within the span are left out before the range join, which is the costly part.
    maybe_open = items.filter(since <= end, closed.isnull() | (closed > start))
    days = calendar_days(con, start, end)
    return maybe_open.join(days, [since <= days.d_tanggal, closed.isnull() | (closed > days.d_tanggal)])


def against_estimate(measured: ibis.Table, day: ibis.Value, num: ibis.Value, slots: ibis.Table, den: float) -> ibis.Table:
    """A ratio over an estimate: the measured `num` rows (`den` 0) and one `den` row per slot of `slots` (its `d_tanggal`).

    The estimate's rows carry no `num`, so a period with an estimate and no measurement has no value: an estimate
    alone is not data. Nor are they records: their identity columns are null.
    """
    rows = values(measured, day, num=num.cast("float64"), den=ibis.literal(0.0))
    estimate = values(slots, slots.d_tanggal, num=ibis.null("float64"), den=ibis.literal(den))
    types = {c: rows[c].type().copy(nullable=True) for c in rows.columns}
    estimate = estimate.mutate(**{c: ibis.null(t) for c, t in types.items() if c not in estimate.columns})
    return rows.select(**{c: rows[c].cast(t) for c, t in types.items()}).union(estimate.select(**{c: estimate[c].cast(t) for c, t in types.items()}))
