"""The backends a rollup runs the catalogue's Ibis expressions on: DuckDB over the Parquet collection, or Spark
(local, a standalone cluster, or a Spark Connect server). The same expressions run on both, never translated SQL.

Spark is pinned where its defaults would change the numbers: the session time zone is UTC (dates and timestamps
read as written), partition values stay text (13.10 would otherwise be read as the number 13.1), and no web UI is
started. Medians are exact on both engines (percentile on Spark, not percentile_approx).
"""

from __future__ import annotations

from pathlib import Path

import ibis

from province.collection import MONTH_COLUMN, REGION_COLUMN, SCHEMA_DIR, partition_columns

SPARK_SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "4",
}
SERVER_SETTINGS = frozenset({"spark.ui.enabled"})


def _data_files(root: Path, table: str) -> bool:
    return any((root / table).glob(f"{REGION_COLUMN}=*/**/*.parquet"))


def duckdb_backend(root: Path, tables: list[str], threads: int | None = None) -> ibis.BaseBackend:
    """An in-memory DuckDB with one view per table over the collection's Parquet files."""
    con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
    for table in tables:
        folder = root / table
        if _data_files(root, table):
            types = ", ".join(f"'{c}': VARCHAR" for c in partition_columns(table))
            source = f"read_parquet('{folder}/{REGION_COLUMN}=*/**/*.parquet', hive_partitioning = true, hive_types = {{{types}}}, union_by_name = true)"
        else:
            source = f"read_parquet('{root / SCHEMA_DIR / table}.parquet')"
        con.raw_sql(f'CREATE OR REPLACE VIEW "{table}" AS SELECT * FROM {source}')
    return con


def spark_session(master: str, app: str = "pantau-rollup", extra: dict[str, str] | None = None):
    """A Spark session on `master`: local[N], spark://HOST:PORT (a standalone cluster) or sc://HOST[:PORT] (Spark Connect)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app)
    remote = master.startswith("sc://")
    builder = builder.remote(master) if remote else builder.master(master)
    for key, value in {**SPARK_SETTINGS, **(extra or {})}.items():
        if remote and key in SERVER_SETTINGS:
            continue  # a Spark Connect server fixed these when it started; a client's value is refused with a warning
        builder = builder.config(key, value)
    return builder.getOrCreate()


def spark_backend(session, root: Path, tables: list[str]) -> ibis.BaseBackend:
    """Ibis on `session` with one temporary view per table over the collection's Parquet files."""
    for table in tables:
        folder = root / table
        if _data_files(root, table):
            frame = session.read.option("basePath", str(folder)).option("mergeSchema", "true").parquet(str(folder))
        else:
            frame = session.read.parquet(f"{root / SCHEMA_DIR / table}.parquet")
        frame.createOrReplaceTempView(table)
    return ibis.pyspark.connect(session)


class RegionScope:
    """A backend seen as one region's warehouse: every table holds only that region's rows, without the partition
    columns, so the catalogue's queries run on it unchanged."""

    def __init__(self, con: ibis.BaseBackend, kode: str) -> None:
        self.con = con
        self.kode = kode

    def table(self, name: str) -> ibis.Table:
        t = self.con.table(name)
        if REGION_COLUMN in t.columns:
            t = t.filter(t[REGION_COLUMN] == self.kode)
        return t.drop(*(c for c in (REGION_COLUMN, MONTH_COLUMN) if c in t.columns))

    def to_pyarrow(self, expr: ibis.Expr):
        return self.con.to_pyarrow(expr)
