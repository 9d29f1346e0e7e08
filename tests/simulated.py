"""What the simulator tests share: a fixed moment, the history length, and snapshots of SQL files and inboxes."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import sqlalchemy as sa

from region.calendar import WIB

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=WIB)  # a Friday, a working day
HISTORY = 60


def sql_digest(url: str) -> dict[str, tuple[int, str]]:
    """Row count and content hash of every table of a database, to tell whether a sync changed anything."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as con:
            out = {}
            for table in sa.inspect(con).get_table_names():
                rows = con.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).all()
                out[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
            return out
    finally:
        engine.dispose()


def row_counts(url: str) -> dict[str, int]:
    return {table: count for table, (count, _) in sql_digest(url).items()}


def file_snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Inode, modification time and bytes of every file: a rewrite with the same content still shows."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}
