"""The audit trail: who did what, when, from where. Rows are only ever inserted (this module has no update or
delete); each row's SHA-256 chains over the previous row's hash and its own content, so `verify_chain` finds the
first row edited, inserted or removed out of turn."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from dataclasses import asdict, dataclass

from warehouse import Warehouse
from warehouse.rows import first

GENESIS = "0" * 64
AGENT_LENGTH = 200
_COLUMNS = "id, \"at\", who, role, action, target, detail, client_address, user_agent, prev_hash, row_hash"
# One writer at a time in this process (the only one that may open the warehouse): the next id and the previous
# hash must be read and the row written without another thread's row in between.
_WRITING = threading.Lock()


@dataclass(frozen=True)
class Entry:
    """One row of the trail."""

    id: int
    at: dt.datetime  # UTC, naive
    who: str
    role: str | None
    action: str
    target: str | None
    detail: str | None  # JSON
    client_address: str | None
    user_agent: str | None
    prev_hash: str
    row_hash: str

    def as_dict(self) -> dict:
        return {**asdict(self), "at": self.at.replace(tzinfo=dt.UTC).isoformat()}


def _digest(prev_hash: str, id: int, at: dt.datetime, who: str, role: str | None, action: str, target: str | None,
            detail: str | None, client_address: str | None, user_agent: str | None) -> str:
    content = json.dumps([id, at.isoformat(timespec="microseconds"), who, role, action, target, detail, client_address, user_agent],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def append(warehouse: Warehouse, who: str, action: str, *, role: str | None = None, target: str | None = None,
           detail: dict | None = None, client_address: str | None = None, user_agent: str | None = None,
           at: dt.datetime | None = None) -> Entry:
    """Add one row to the trail and return it.

    Args:
        who: a user name, "token" (the operator token), "cli:<os user>", or "-" (nobody signed in).
        detail: JSON-able facts of the action (the arguments asked, the counts done).
    """
    moment = at or utcnow()
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail is not None else None
    agent = user_agent[:AGENT_LENGTH] if user_agent else None
    with _WRITING, warehouse.transaction(changes_data=False) as tx:
        last = first(tx.execute("SELECT id, row_hash FROM audit_log ORDER BY id DESC LIMIT 1"))
        new_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        digest = _digest(prev, new_id, moment, who, role, action, target, text, client_address, agent)
        tx.execute(f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [new_id, moment, who, role, action, target, text, client_address, agent, prev, digest])
    return Entry(new_id, moment, who, role, action, target, text, client_address, agent, prev, digest)


def entries(warehouse: Warehouse, since: dt.datetime | None = None, limit: int | None = None, action: str | None = None) -> list[Entry]:
    """Rows in the order written, from `since` (UTC, naive) on; the latest `limit` when given."""
    where, args = [], []
    if since is not None:
        where.append("\"at\" >= ?")
        args.append(since)
    if action is not None:
        where.append("action = ?")
        args.append(action)
    sql = f"SELECT {_COLUMNS} FROM audit_log" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = warehouse.cursor().execute(sql, args).fetchall()
    return [Entry(*r) for r in reversed(rows)]


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: the rows checked, and the first that does not follow from the one before."""

    checked: int
    broken_at: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None

    def as_dict(self) -> dict:
        return {"checked": self.checked, "intact": self.intact, "broken_at": self.broken_at, "problem": self.problem}


def verify_chain(warehouse: Warehouse) -> ChainReport:
    """Recompute every row's hash in order; the first row whose content, previous hash or id does not follow."""
    prev, expected_id, checked = GENESIS, 1, 0
    cur = warehouse.separate_cursor()
    try:
        result = cur.execute(f"SELECT {_COLUMNS} FROM audit_log ORDER BY id")
        while batch := result.fetchmany(1000):
            for row in batch:
                e = Entry(*row)
                if e.id != expected_id:
                    return ChainReport(checked, e.id, f"baris {e.id}: diharapkan id {expected_id} (ada baris yang hilang atau disisipkan)")
                if e.prev_hash != prev:
                    return ChainReport(checked, e.id, f"baris {e.id}: hash sebelumnya tidak sama dengan hash baris {e.id - 1}")
                if _digest(prev, e.id, e.at, e.who, e.role, e.action, e.target, e.detail, e.client_address, e.user_agent) != e.row_hash:
                    return ChainReport(checked, e.id, f"baris {e.id}: isinya tidak cocok dengan hash-nya (diubah)")
                prev, expected_id, checked = e.row_hash, expected_id + 1, checked + 1
    finally:
        warehouse.release(cur)
    return ChainReport(checked)
