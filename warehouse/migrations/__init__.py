"""Versioned schema migrations: NNN_name.sql files applied in order, each once, each in its own transaction."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from warehouse.rows import scalar

_HERE = Path(__file__).parent
_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


def available() -> list[tuple[int, str, Path]]:
    """The migration files shipped with Pantau, ordered by version."""
    found = []
    for path in _HERE.glob("*.sql"):
        match = _NAME.match(path.name)
        if not match:
            raise RuntimeError(f"migration file {path.name} is not named NNN_name.sql")
        found.append((int(match.group(1)), match.group(2), path))
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the pending migrations and return the schema version now in force."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    for version, name, path in available():
        if version in applied:
            continue
        con.begin()
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
            con.commit()
        except BaseException:
            con.rollback()
            raise
    # Taken whole: a result left open holds its transaction, and while it is open DuckDB checkpoints nothing, so
    # every load's rows would stay in memory (and in the write-ahead log) for as long as the server runs.
    return scalar(con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations"))
