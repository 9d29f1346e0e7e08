"""Materialise a simulated database's rows into a SQLite file: insert new rows, update changed ones, in one go."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from simulator.base import SimulatedSystem
from simulator.rng import stable_seed


@dataclass(frozen=True)
class Table:
    """One table of a simulated database.

    Attributes:
        name: table name.
        ddl: CREATE TABLE and CREATE INDEX statements (IF NOT EXISTS), separated by ';'.
        columns: column names in row order; the first is the primary key and the last `diperbarui_pada`.
    """

    name: str
    ddl: str
    columns: tuple[str, ...]


def schema_version(seed: int, schema: str) -> int:
    """A positive 31-bit number kept in the file header (PRAGMA user_version).

    It ties the file to a seed and a schema, so a data folder made with another seed (or an older schema) is
    rebuilt instead of mixed; 0 means a new file.
    """
    return 1 + stable_seed(seed, schema) % (2**31 - 2)


def sync_tables(
    path: Path, version: int, tables: Sequence[tuple[Table, Sequence[tuple]]]
) -> dict[str, tuple[int, int]]:
    """Bring the SQLite file at `path` to hold `rows` for each table, in one transaction.

    A row is inserted when its id is new and updated when its `diperbarui_pada` (the last column) is newer
    than the stored one; rows are never deleted and never moved back, so a repeat is a no-op and an earlier
    moment undoes nothing.

    Args:
        path: database file (created when missing).
        version: expected PRAGMA user_version (see `schema_version`); on a mismatch the tables are dropped first.
        tables: each table with the rows it should hold, in column order.

    Returns:
        {table name: (rows inserted, rows updated)}.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    result: dict[str, tuple[int, int]] = {}
    with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as con:
        con.execute("PRAGMA journal_mode=WAL")  # readers (the ingester) keep reading while we write
        con.execute("BEGIN IMMEDIATE")
        try:
            if con.execute("PRAGMA user_version").fetchone()[0] != version:
                for table, _ in tables:
                    con.execute(f"DROP TABLE IF EXISTS {table.name}")
                con.execute(f"PRAGMA user_version = {version}")
            for table, rows in tables:
                for statement in filter(str.strip, table.ddl.split(";")):
                    con.execute(statement)
                existing = dict(con.execute(f"SELECT {table.columns[0]}, diperbarui_pada FROM {table.name}"))
                inserts, updates = [], []
                for row in rows:
                    seen = existing.get(row[0])
                    if seen is None:
                        inserts.append(row)
                    elif seen < row[-1]:
                        updates.append((*row[1:], row[0]))
                columns = table.columns
                marks = ", ".join("?" * len(columns))
                con.executemany(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", inserts)
                sets = ", ".join(f"{c} = ?" for c in columns[1:])
                con.executemany(f"UPDATE {table.name} SET {sets} WHERE {columns[0]} = ?", updates)
                result[table.name] = (len(inserts), len(updates))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return result


class SqlSystem(SimulatedSystem):
    """A system read over SQL: subclasses give the rows of TABLES at a moment, this class writes them to SQLite.

    SCHEMA names the tables' layout (e.g. "dukcapil-schema-1"); a new name rebuilds files made with the old one.
    """

    SCHEMA: ClassVar[str] = ""
    TABLES: ClassVar[tuple[Table, ...]] = ()

    def rows(self, now: dt.datetime) -> dict[str, list[tuple]]:
        """Rows as the database holds them at `now` (aware), by table name, each in its table's column order."""
        raise NotImplementedError

    def sync(self, path: Path, now: dt.datetime) -> dict[str, tuple[int, int]]:
        """Bring the SQLite file at `path` up to `now` in one transaction; a repeat at the same `now` is a no-op.

        Time only moves forward: a `now` earlier than a previous sync never undoes anything (see `sync_tables`).

        Args:
            path: database file (created when missing).
            now: the moment (aware).

        Returns:
            {table: (rows inserted, rows updated)}.
        """
        wanted = self.rows(now)
        version = schema_version(self.seed, self.SCHEMA)
        return sync_tables(path, version, [(table, wanted[table.name]) for table in self.TABLES])
