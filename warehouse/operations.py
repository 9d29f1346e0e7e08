"""Every read and write of the operational tables: loads, source_cursors, file_ledger, rejects, source_control."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import duckdb
import pyarrow as pa

# Each function works on the cursor it is given and never begins or ends a transaction: the caller decides what
# commits together (a load's cursors, ledger entries and run-log row commit with its rows, or none of them do).

# The counts of a load, in the run log's column order:
# rows_read = inserted + updated + unchanged + superseded (loaded) + rejected + skipped (rows that are no records).
COUNT_COLUMNS = ("rows_read", "inserted", "updated", "unchanged", "superseded", "rejected", "skipped")


def _json(value: Mapping) -> str | None:
    return json.dumps(value) if value else None


# The run log.


def record_load(
    cur: duckdb.DuckDBPyConnection,
    *,
    load_id: str,
    source: str,
    started_at: dt.datetime,
    finished_at: dt.datetime,
    status: str,
    counts: Mapping[str, int],
    cursor_before: Mapping[str, str],
    cursor_after: Mapping[str, str],
    error: str | None,
    notes: str | None,
    streams: Mapping[str, Mapping[str, int]],
) -> None:
    """Log one run in `loads`; cursors (stream -> cursor) and per-stream counts as JSON, empty ones as NULL.

    Args:
        counts: a value for each of COUNT_COLUMNS.
    """
    columns = ("load_id", "source", "started_at", "finished_at", "status", *COUNT_COLUMNS, "cursor_before", "cursor_after", "error", "notes", "streams")
    cur.execute(
        f"INSERT INTO loads ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [load_id, source, started_at, finished_at, status, *(counts[c] for c in COUNT_COLUMNS),
         _json(cursor_before), _json(cursor_after), error, notes, _json(streams)],
    )


def last_note(cur: duckdb.DuckDBPyConnection, source: str) -> str | None:
    """The note of the source's latest successful load that had one."""
    rows = cur.execute(
        "SELECT notes FROM loads WHERE source = ? AND status = 'ok' AND notes IS NOT NULL ORDER BY started_at DESC LIMIT 1", [source]
    ).fetchall()
    return rows[0][0] if rows else None


@dataclass(frozen=True)
class RunFacts:
    """What freshness rests on, per source: the last success, and the latest run (skipped runs are never logged).

    Every `last_*` field comes from one row, the latest run: an error or count never outlives the run it belongs to.
    """

    last_success_at: dt.datetime | None = None
    last_load_id: str | None = None
    last_run_at: dt.datetime | None = None
    last_status: str | None = None
    last_error: str | None = None
    last_rows_read: int | None = None
    last_rejected: int | None = None


def run_facts(cur: duckdb.DuckDBPyConnection, until: dt.datetime | None = None) -> dict[str, RunFacts]:
    """RunFacts of every source that has run, by source.

    Args:
        until: count only the runs that had finished by this instant (UTC, naive): the facts as they stood then.
    """
    # The latest run's id, then its row: arg_max per column would pass over NULLs and keep a failed run's error
    # beside the success after it.
    rows = cur.execute(
        """
        WITH finished AS (SELECT * FROM loads WHERE ?::TIMESTAMP IS NULL OR finished_at <= ?::TIMESTAMP),
        latest AS (
            SELECT source, max(finished_at) FILTER (WHERE status = 'ok') AS last_success, arg_max(load_id, started_at) AS load_id
            FROM finished GROUP BY source
        )
        SELECT latest.source, last_success, load_id, finished_at, status, error, rows_read, rejected
        FROM latest JOIN finished USING (load_id)
        """,
        [until, until],
    ).fetchall()
    return {r[0]: RunFacts(*r[1:]) for r in rows}


@dataclass(frozen=True)
class LoadSummary:
    """What the status shows of a run beyond its freshness facts."""

    inserted: int
    updated: int
    skipped: int
    notes: str | None
    rows_read: int = 0
    loaded: int = 0  # inserted + updated + unchanged + superseded
    rejected: int = 0
    seconds: float | None = None  # from start to finish


def load_summaries(cur: duckdb.DuckDBPyConnection, load_ids: Sequence[str]) -> dict[str, LoadSummary]:
    """The LoadSummary of each of the given runs, by load id (asked by id, so it is of the run the caller shows)."""
    if not load_ids:
        return {}
    marks = ", ".join("?" * len(load_ids))
    rows = cur.execute(
        "SELECT load_id, inserted, updated, skipped, notes, rows_read, inserted + updated + unchanged + superseded, rejected, "
        f"epoch(finished_at - started_at) FROM loads WHERE load_id IN ({marks})", list(load_ids),
    ).fetchall()
    return {r[0]: LoadSummary(*r[1:]) for r in rows}


def run_history(cur: duckdb.DuckDBPyConnection, source: str, limit: int = 30) -> list[dict]:
    """The source's latest `limit` runs, newest first: when (UTC, naive), status, seconds, counts, error and notes."""
    columns = ("load_id", "started_at", "finished_at", "status", *COUNT_COLUMNS, "error", "notes")
    rows = cur.execute(
        f"SELECT {', '.join(columns[:-2])}, error, notes, epoch(finished_at - started_at) FROM loads WHERE source = ? "
        "ORDER BY started_at DESC LIMIT ?", [source, limit],
    ).fetchall()
    return [{**dict(zip(columns, r[:-1], strict=True)), "seconds": r[-1]} for r in rows]


def first_load_seconds(cur: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """How long each source's first load took, in seconds."""
    return dict(
        cur.execute(
            "SELECT source, round(epoch(finished_at - started_at), 2) FROM loads QUALIFY row_number() OVER (PARTITION BY source ORDER BY started_at) = 1"
        ).fetchall()
    )


# Incremental cursors.


def saved_cursors(cur: duckdb.DuckDBPyConnection, source: str) -> dict[str, str]:
    """The source's saved cursor of each stream that has one."""
    return dict(cur.execute("SELECT stream, cursor FROM source_cursors WHERE source = ?", [source]).fetchall())


def save_cursor(cur: duckdb.DuckDBPyConnection, source: str, stream: str, cursor: str, load_id: str, at: dt.datetime) -> None:
    """Set the stream's cursor; on the load's transaction, so it moves only with the rows it covers."""
    cur.execute("INSERT OR REPLACE INTO source_cursors VALUES (?, ?, ?, ?, ?)", [source, stream, cursor, load_id, at])


# Files taken from drop folders.


class LedgerFile(NamedTuple):
    sha256: str
    file_name: str
    size_bytes: int


def known_files(cur: duckdb.DuckDBPyConnection, source: str, stream: str) -> frozenset[str]:
    """Content hashes of the stream's files already loaded."""
    return frozenset(r[0] for r in cur.execute("SELECT sha256 FROM file_ledger WHERE source = ? AND stream = ?", [source, stream]).fetchall())


def record_files(cur: duckdb.DuckDBPyConnection, source: str, stream: str, files: Sequence[LedgerFile], load_id: str, at: dt.datetime) -> None:
    """Enter the files in the ledger; a hash already there is kept as it was."""
    if not files:
        return
    # One statement for all the files: executemany runs one statement per row.
    cur.register("pantau_ledger", pa.table({name: [getattr(f, name) for f in files] for name in LedgerFile._fields}))
    try:
        cur.execute("INSERT OR IGNORE INTO file_ledger SELECT ?, ?, sha256, file_name, size_bytes, ?, ? FROM pantau_ledger", [source, stream, load_id, at])
    finally:
        cur.unregister("pantau_ledger")


# Rejected records.


def record_rejects(cur: duckdb.DuckDBPyConnection, rejected: str, *, load_id: str, source: str, stream: str, at: dt.datetime) -> int:
    """Keep the records a SELECT yields as (origin, record_key, field, reason, raw JSON), in one statement.

    A batch's rejects are made in SQL from its temporary tables, so they are copied without leaving the database.

    Args:
        rejected: a SELECT with those five columns, and no parameters.

    Returns:
        The number of records kept.
    """
    return cur.execute(
        "INSERT INTO rejects (load_id, source, stream, origin, record_key, field, reason, raw, rejected_at) "
        f"SELECT ?, ?, ?, origin, record_key, field, reason, raw, ? FROM ({rejected})",
        [load_id, source, stream, at],
    ).fetchall()[0][0]


# Operator control.


def is_paused(cur: duckdb.DuckDBPyConnection, source: str) -> bool:
    """Whether an operator paused the source's scheduled loads."""
    # fetchall: a half-read result would block this thread's cursor for the indicator queries that follow.
    rows = cur.execute("SELECT paused FROM source_control WHERE source = ?", [source]).fetchall()
    return bool(rows and rows[0][0])


def set_paused(cur: duckdb.DuckDBPyConnection, source: str, paused: bool, at: dt.datetime) -> None:
    """Pause or resume the source's scheduled loads; stored, so a restart keeps it."""
    cur.execute("INSERT OR REPLACE INTO source_control VALUES (?, ?, ?)", [source, paused, at])
