"""`app.py export --parquet DIR`: a regency's source tables and working-day calendar as Parquet, with a manifest.

Every row carries the region's Kemendagri code (`kode_wilayah`, a partition column); the large tables, one row per
person-day or per payment, are partitioned by month too, so a province reads a month without the rest. The manifest
states the region, the moment its data stands at (its newest successful load), each source's last successful load,
every file's rows and SHA-256, and the indicators' configured parameters (a region's own population, say), which the
rollup computes that region's values with. Only this region's folders are replaced; other regions' files in DIR stay.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb

from province.collection import FORMAT, MANIFEST_DIR, MONTH_COLUMN, MONTHLY, REGION_COLUMN, SCHEMA_DIR, partition_columns, sha256_of
from region.province import region
from warehouse.rows import scalar

CALENDAR_TABLE = "kalender_kerja"
NO_MONTH = "tanpa"  # the month partition of a row without its date
# Spark 4.0 reads no Parquet TIME column: a time of day is exported as its text, HH:MM:SS (no indicator reads one).
_AS_TEXT = {"TIME"}


def _columns(cur: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return cur.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()


def _select(table: str, columns: list[tuple[str, str]], kode: str) -> str:
    parts = [f'CAST("{c}" AS VARCHAR) AS "{c}"' if t in _AS_TEXT else f'"{c}"' for c, t in columns]
    parts.append(f"'{kode}' AS {REGION_COLUMN}")
    if table in MONTHLY:
        parts.append(f"coalesce(strftime(\"{MONTHLY[table]}\", '%Y-%m'), '{NO_MONTH}') AS {MONTH_COLUMN}")
    return f'SELECT {", ".join(parts)} FROM "{table}"'


def _last_successes(cur: duckdb.DuckDBPyConnection) -> dict[str, dt.datetime]:
    rows = cur.execute("SELECT source, max(finished_at) FROM loads WHERE status = 'ok' GROUP BY source").fetchall()
    return {source: moment for source, moment in rows if moment is not None}


def export_parquet(cur: duckdb.DuckDBPyConnection, out: Path, kode: str, tables: dict[str, str | None],
                   params: dict[str, dict[str, float]], as_of: dt.datetime | None = None) -> dict:
    """Write the region's tables under `out` and its manifest; returns the manifest.

    Args:
        cur: a cursor on the regency's warehouse.
        out: the collection folder (made when missing).
        kode: the region's Kemendagri code (13.05).
        tables: each table to export, with the source that fills it (None for the calendar).
        params: each indicator's configured parameters, by indicator id.
        as_of: the moment the data stands at (naive UTC); the newest successful load when None.
    """
    info = region(kode)
    out.mkdir(parents=True, exist_ok=True)
    loads = _last_successes(cur)
    staging = out / f".export-{kode}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    entries = {}
    for table, source in sorted(tables.items()):
        columns = _columns(cur, table)
        if not columns:
            continue
        select = _select(table, columns, kode)
        target = out / table
        (out / SCHEMA_DIR).mkdir(exist_ok=True)
        cur.execute(f"COPY ({select} LIMIT 0) TO '{out / SCHEMA_DIR / table}.parquet' (FORMAT parquet)")
        partitions = partition_columns(table)
        rows = scalar(cur.execute(f'SELECT count(*) FROM "{table}"'))
        mine = target / f"{REGION_COLUMN}={kode}"
        if rows:
            # Rows in date order within a file let a reader skip row groups by their date ranges.
            order = f' ORDER BY "{MONTHLY[table]}"' if table in MONTHLY else ""
            cur.execute(f"COPY ({select}{order}) TO '{staging / table}' (FORMAT parquet, PARTITION_BY ({', '.join(partitions)}), COMPRESSION zstd)")
        shutil.rmtree(mine, ignore_errors=True)
        if rows:
            target.mkdir(exist_ok=True)
            (staging / table / mine.name).rename(mine)
        files = []
        for path in sorted(mine.rglob("*.parquet")) if mine.exists() else []:
            count = scalar(cur.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]))
            files.append({"path": path.relative_to(out).as_posix(), "rows": count, "sha256": sha256_of(path)})
        entries[table] = {"source": source, "rows": rows, "partitioned_by": list(partitions), "files": files,
                          "columns": {c: t for c, t in columns}}
    shutil.rmtree(staging, ignore_errors=True)
    newest = max(loads.values(), default=None)
    stands_at = as_of or newest
    manifest = {
        "format": FORMAT,
        "region": {"kode": info.kode, "nama": info.nama, "jenis": info.jenis},
        "as_of": stands_at.isoformat() if stands_at else None,
        "exported_at": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "sources": {source: moment.isoformat() for source, moment in sorted(loads.items())},
        "tables": entries,
        "params": params,
    }
    folder = out / MANIFEST_DIR
    folder.mkdir(exist_ok=True)
    written = folder / f".{kode}.json.tmp"
    written.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    written.replace(folder / f"{kode}.json")
    return manifest


def regency_tables(sources: dict) -> dict[str, str | None]:
    """The tables a regency's configured sources fill, with their source, and the working-day calendar."""
    tables: dict[str, str | None] = {CALENDAR_TABLE: None}
    for name, source in sources.items():
        for stream in [*source.streams.values(), *source.derive.values()]:
            tables[stream.table] = name
    return tables
