"""Every read and write of the `snapshots` table. A snapshot row is inserted once and never updated."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb

from metrics.snapshot import Snapshot, UnknownSnapshot, canonical
from warehouse.rows import first, scalar


@dataclass(frozen=True)
class Listed:
    """A snapshot as a list shows it, without its body."""

    id: str
    created_at: dt.datetime  # UTC, naive
    created_by: str
    as_of: dt.datetime  # UTC, naive
    title: str
    past_as_of: bool
    checksum: str

    def as_dict(self) -> dict:
        def iso(t: dt.datetime) -> str:
            return t.replace(tzinfo=dt.UTC).isoformat()

        return {"id": self.id, "created_at": iso(self.created_at), "created_by": self.created_by, "as_of": iso(self.as_of),
                "title": self.title, "past_as_of": self.past_as_of, "checksum": self.checksum}


def _naive_utc(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso).astimezone(dt.UTC).replace(tzinfo=None)


def insert(cur: duckdb.DuckDBPyConnection, snapshot: Snapshot) -> None:
    """Store a new snapshot.

    Raises:
        duckdb.ConstraintException: a snapshot with its id exists already.
    """
    body = snapshot.body
    cur.execute(
        "INSERT INTO snapshots (snapshot_id, created_at, created_by, as_of, title, past_as_of, checksum, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [snapshot.id, _naive_utc(body["created_at"]), body["created_by"], _naive_utc(body["as_of"]), body["title"],
         bool(body.get("past_as_of")), snapshot.checksum, canonical(body).decode("utf-8")],
    )


def exists(cur: duckdb.DuckDBPyConnection, snapshot_id: str) -> bool:
    return bool(scalar(cur.execute("SELECT count(*) FROM snapshots WHERE snapshot_id = ?", [snapshot_id])))


def listing(cur: duckdb.DuckDBPyConnection) -> list[Listed]:
    """Every snapshot, newest first."""
    rows = cur.execute(
        "SELECT snapshot_id, created_at, created_by, as_of, title, past_as_of, checksum FROM snapshots ORDER BY created_at DESC, snapshot_id"
    ).fetchall()
    return [Listed(*r) for r in rows]


def read(cur: duckdb.DuckDBPyConnection, snapshot_id: str) -> Snapshot:
    """One snapshot, its body checked against its checksum.

    Raises:
        UnknownSnapshot: none has this id.
        SnapshotCorrupt: its body no longer matches its checksum.
    """
    row = first(cur.execute("SELECT checksum, body FROM snapshots WHERE snapshot_id = ?", [snapshot_id]))
    if row is None:
        raise UnknownSnapshot(snapshot_id)
    return Snapshot(snapshot_id, row[0], json.loads(row[1])).verified()


def delete(cur: duckdb.DuckDBPyConnection, snapshot_id: str) -> bool:
    """Delete one snapshot; False when none had this id."""
    found = exists(cur, snapshot_id)
    if found:
        cur.execute("DELETE FROM snapshots WHERE snapshot_id = ?", [snapshot_id])
    return found
