"""Query shapes that indicators of several domains share: the rows a query returns, calendar days, stocks, estimates."""

from __future__ import annotations

import datetime as dt

import ibis


def facts(t: ibis.Table, day: ibis.Value, good: ibis.BooleanValue, *by: str) -> ibis.Table:
    """A share's rows: `tanggal`, `good` (an unknown is not good) and the breakdown columns `by`."""
    return t.select(tanggal=day, good=good.fill_null(False), **{b: t[b] for b in by})


def values(t: ibis.Table, day: ibis.Value, *by: str, **measures: ibis.Value) -> ibis.Table:
    """Rows of `tanggal`, the named `measures` (`nilai`, or `num` and `den`) and the breakdown columns `by`."""
    return t.select(tanggal=day.cast("date"), **measures, **{b: t[b] for b in by})


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
    alone is not data.
    """
    return values(measured, day, num=num.cast("float64"), den=ibis.literal(0.0)).union(
        values(slots, slots.d_tanggal, num=ibis.null("float64"), den=ibis.literal(den))
    )
