"""Merge a batch into its canonical table on the primary key, counting inserted, updated and unchanged rows."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd


@dataclass(frozen=True)
class MergeCounts:
    inserted: int
    updated: int
    unchanged: int
    superseded: int


def latest_versions(rows: pd.DataFrame, key: tuple[str, ...], version: str | None) -> pd.DataFrame:
    """One row per key: the highest `version`, or the last read when there is no version column."""
    if rows.empty:
        return rows
    ordered = rows.sort_values(version, kind="stable") if version else rows
    return ordered.drop_duplicates(subset=list(key), keep="last")


def merge(cur: duckdb.DuckDBPyConnection, table: str, rows: pd.DataFrame, key: tuple[str, ...], load_id: str) -> MergeCounts:
    """Upsert `rows` into `table` inside the caller's transaction.

    Rows are cast to the table's column types; a row equal to the stored one is left alone (its load id too), so
    a rerun changes nothing.
    """
    types = dict(cur.execute('SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?', [table]).fetchall())
    columns = [c for c in rows.columns if c in types]
    cur.register("pantau_batch", rows[columns])
    try:
        casts = ", ".join(f'CAST("{c}" AS {types[c]}) AS "{c}"' for c in columns)
        cur.execute(f"CREATE OR REPLACE TEMP TABLE pantau_staged AS SELECT {casts} FROM pantau_batch")
    finally:
        cur.unregister("pantau_batch")
    on = " AND ".join(f't."{k}" = s."{k}"' for k in key)
    data = [c for c in columns if c not in key]
    differs = " OR ".join(f't."{c}" IS DISTINCT FROM s."{c}"' for c in data) or "FALSE"
    inserted, updated = cur.execute(
        f"SELECT count(*) FILTER (WHERE t.\"{key[0]}\" IS NULL), count(*) FILTER (WHERE t.\"{key[0]}\" IS NOT NULL AND ({differs})) "
        f"FROM pantau_staged s LEFT JOIN {table} t ON {on}"
    ).fetchone()
    if inserted or updated:
        assignments = ", ".join(f'"{c}" = s."{c}"' for c in data)
        names = ", ".join(f'"{c}"' for c in columns)
        values = ", ".join(f's."{c}"' for c in columns)
        cur.execute(
            f"MERGE INTO {table} t USING pantau_staged s ON ({on}) "
            f"WHEN MATCHED AND ({differs}) THEN UPDATE SET {assignments}, _load_id = $load_id "
            f"WHEN NOT MATCHED THEN INSERT ({names}, _load_id) VALUES ({values}, $load_id)",
            {"load_id": load_id},
        )
    cur.execute("DROP TABLE pantau_staged")
    return MergeCounts(inserted=inserted, updated=updated, unchanged=len(rows) - inserted - updated, superseded=0)
