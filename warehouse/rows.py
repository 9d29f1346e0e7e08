"""Reading one row without leaving a result open.

A DuckDB cursor whose last result was not read to its end refuses every relation built on it afterwards ("connection
has an unfinished result"), and the cursors here are each thread's own, kept across requests: a `fetchone()` in one
request would break the next request on that thread. So a single row is read whole.
"""

from __future__ import annotations

import duckdb


def first(result: duckdb.DuckDBPyConnection) -> tuple | None:
    """The first row of an executed statement, its result read to the end; None when it has no row."""
    rows = result.fetchall()
    return rows[0] if rows else None


def scalar(result: duckdb.DuckDBPyConnection):
    """The first column of the first row of an executed statement (None when it has no row), its result read to the end."""
    row = first(result)
    return None if row is None else row[0]
