"""From a parsed batch to the warehouse: apply the stream's rules, write rejects, keep the latest version per key,
and upsert on the primary key.

Everything here runs in SQL on the load's transaction cursor: a failure anywhere undoes the whole load.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from config.sources import StreamConfig
from ingest.connectors.base import LINE, META_COLUMNS, ORIGIN, ROW
from ingest.fields import PARSED, RAW, quote_name, quote_text
from ingest.tables import LOAD_ID
from warehouse.operations import record_rejects


@dataclass(frozen=True)
class MergeCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    superseded: int = 0


def apply_rules(cur: duckdb.DuckDBPyConnection, stream: StreamConfig) -> int:
    """Mark valid rows that break one of the stream's rules as rejects (the first rule broken names the field)."""
    broken = 0
    for check in stream.checks:
        broken += cur.execute(
            f"UPDATE {PARSED} SET _bad_field = ?, _reason = ? WHERE _bad_field IS NULL AND NOT coalesce(CAST(({check.valid}) AS BOOLEAN), TRUE)",
            [check.field, check.reason],
        ).fetchall()[0][0]
    return broken


def write_rejects(
    cur: duckdb.DuckDBPyConnection, stream: StreamConfig, raw_columns: list[str], source: str, stream_name: str, load_id: str, at: dt.datetime,
    keep: int | None = None,
) -> tuple[int, int]:
    """Copy the batch's rejected records into `rejects`: origin, key, field, reason, and the raw record as offered.

    Args:
        keep: how many to copy at most, the first read; the rest are only counted (None: all).

    Returns:
        The batch's rejected records, and how many of them were copied.
    """
    rejected = cur.execute(f"SELECT count(*) FROM {PARSED} WHERE _bad_field IS NOT NULL").fetchall()[0][0]
    if not rejected or keep == 0:
        return rejected, 0
    pairs = ", ".join(f"{quote_text(c)}, r.{quote_name(c)}" for c in raw_columns if c not in META_COLUMNS)
    key = " || '|' || ".join(f"coalesce(CAST(p.{quote_name(k)} AS VARCHAR), '')" for k in stream.key)
    # The first ones are picked before their raw records are joined and written out as JSON.
    first = f"(SELECT * FROM {PARSED} WHERE _bad_field IS NOT NULL ORDER BY {ROW}{f' LIMIT {int(keep)}' if keep is not None else ''})"
    selected = (
        f"SELECT r.{ORIGIN} || CAST(r.{LINE} AS VARCHAR) AS origin, {key} AS record_key, p._bad_field AS field, p._reason AS reason, "
        f"json_object({pairs}) AS raw FROM {first} p JOIN {RAW} r ON r.{ROW} = p.{ROW}"
    )
    return rejected, record_rejects(cur, selected, load_id=load_id, source=source, stream=stream_name, at=at)


def merge(cur: duckdb.DuckDBPyConnection, stream: StreamConfig, load_id: str) -> MergeCounts:
    """Upsert the batch's valid rows into the stream's table on its key.

    Within the batch the latest version of a record wins (by the stream's version column, else the last read);
    a row equal to the stored one is left alone, its load id and origin too, so a rerun changes nothing.
    """
    key = ", ".join(quote_name(k) for k in stream.key)
    order = f"{quote_name(stream.version)} DESC NULLS LAST, {ROW} DESC" if stream.version else f"{ROW} DESC"
    valid, latest = cur.execute(
        f"SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT {key} FROM {PARSED} WHERE _bad_field IS NULL)) FROM {PARSED} WHERE _bad_field IS NULL"
    ).fetchall()[0]
    columns = list(stream.columns())
    data = [c for c in columns if c not in stream.key]
    table = quote_name(stream.table)
    differs = " OR ".join(f"{table}.{quote_name(c)} IS DISTINCT FROM excluded.{quote_name(c)}" for c in data) or "FALSE"
    assignments = ", ".join(f"{quote_name(c)} = excluded.{quote_name(c)}" for c in data)
    names = ", ".join(quote_name(c) for c in columns)
    before = cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    # The primary-key index finds each row's match; rows equal to the stored ones are not written. The growth of
    # the table tells which of the written rows were new.
    # The origin goes with the load id: both say where the stored version came from.
    update = f"DO UPDATE SET {assignments}, {LOAD_ID} = excluded.{LOAD_ID}, {ORIGIN} = excluded.{ORIGIN} WHERE {differs}" if data else "DO NOTHING"
    # Keeping one version per key costs a sort; a batch without repeated keys (the usual case) skips it.
    latest_only = f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY {order}) = 1" if latest < valid else ""
    written = cur.execute(
        f"INSERT INTO {table} ({names}, {LOAD_ID}, {ORIGIN}) SELECT {names}, ?, {ORIGIN} FROM {PARSED} WHERE _bad_field IS NULL {latest_only} "
        f"ON CONFLICT ({key}) {update}",
        [load_id],
    ).fetchall()[0][0]
    inserted = cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] - before
    cur.execute(f"DROP TABLE {PARSED}")
    return MergeCounts(inserted=inserted, updated=written - inserted, unchanged=latest - written, superseded=valid - latest)
