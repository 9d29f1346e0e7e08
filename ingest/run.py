"""One load of one source: extract, validate, merge, save the cursor and the run log; all or nothing."""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import pandas as pd

from ingest.connectors import KINDS, Batch, Connection, ExtractState
from ingest.connectors.files import move_aside
from ingest.fields import normalise
from ingest.merge import MergeCounts, latest_versions, merge
from ingest.sources import SourceSpec
from warehouse import Warehouse

log = logging.getLogger(__name__)
_running: dict[str, threading.Lock] = {}
_running_guard = threading.Lock()


@dataclass(frozen=True)
class LoadResult:
    """What one load did; `status` is ok, failed or skipped (the source was already loading)."""

    source: str
    load_id: str | None
    status: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    superseded: int = 0
    rejected: int = 0
    error: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _source_lock(name: str) -> threading.Lock:
    with _running_guard:
        return _running.setdefault(name, threading.Lock())


def new_load_id(source: str, started: dt.datetime) -> str:
    return f"{source}-{started:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def run_source(warehouse: Warehouse, spec: SourceSpec, connection: Connection, stop: threading.Event | None = None) -> LoadResult:
    """Load what the source has changed since its cursor.

    Never raises for a source problem: a failure is logged in the run log and returned. A load already running
    for the same source is not started twice (status skipped).
    """
    lock = _source_lock(spec.name)
    if not lock.acquire(blocking=False):
        return LoadResult(source=spec.name, load_id=None, status="skipped", error="pemuatan sumber ini sedang berjalan")
    try:
        return _run(warehouse, spec, connection, stop or threading.Event())
    finally:
        lock.release()


def _run(warehouse: Warehouse, spec: SourceSpec, connection: Connection, stop: threading.Event) -> LoadResult:
    started = _utcnow()
    load_id = new_load_id(spec.name, started)
    cur = warehouse.cursor()
    saved = cur.execute("SELECT cursor FROM source_cursors WHERE source = ?", [spec.name]).fetchone()
    cursor_before = saved[0] if saved else None
    known = frozenset(r[0] for r in cur.execute("SELECT sha256 FROM file_ledger WHERE source = ?", [spec.name]).fetchall())
    state = ExtractState(cursor=cursor_before, known_files=known, stop=stop)
    tally = _Tally()
    try:
        # One transaction around the whole read: batches merge as they arrive, and any failure undoes them all.
        with warehouse.transaction() as tx:
            for batch in coalesce(KINDS[spec.kind](spec, connection, state)):
                tally.add(_load_batch(tx, spec, batch, load_id, started))
                tally.cursor_after = batch.cursor_after or tally.cursor_after
                tally.files.extend(batch.files)
            state.check_stop()
            if tally.cursor_after and tally.cursor_after != cursor_before:
                tx.execute("INSERT OR REPLACE INTO source_cursors VALUES (?, ?, ?, ?)", [spec.name, tally.cursor_after, load_id, _utcnow()])
            result = tally.result(spec.name, load_id)
            _log_run(tx, result, started, cursor_before, tally.cursor_after)
        move_aside(tally.files)
        log.info("load %s: %s", load_id, json.dumps(result.as_dict()))
        return result
    except Exception as exc:
        error = str(exc) if type(exc).__module__.startswith("ingest") else f"{type(exc).__name__}: {exc}"
        result = LoadResult(spec.name, load_id, "failed", tally.rows_read, error=error)
        log.warning("load %s failed: %s", load_id, error)
        try:
            with warehouse.transaction() as tx:
                _log_run(tx, result, started, cursor_before, None)
        except Exception:  # the warehouse itself is failing: the caller's health check reports it
            log.exception("could not record failed load %s", load_id)
        return result


MERGE_ROWS = 100_000


def coalesce(batches: Iterator[Batch], max_rows: int | None = None) -> Iterator[Batch]:
    """Join small batches (a page, a file) into merges of about `max_rows` rows.

    Each merge joins against the whole target table, so hundreds of tiny merges cost far more than a few large
    ones; the bound keeps a large backfill from sitting in memory whole.
    """
    max_rows = max_rows or MERGE_ROWS
    frames: list[pd.DataFrame] = []
    files: list = []
    cursor: str | None = None
    rows = 0
    for batch in batches:
        if len(batch.frame):
            frames.append(batch.frame)
        files.extend(batch.files)
        cursor = batch.cursor_after or cursor
        rows += len(batch.frame)
        if rows >= max_rows:
            yield Batch(frame=pd.concat(frames, ignore_index=True), cursor_after=cursor, files=files)
            frames, files, rows = [], [], 0
    if frames or files:
        yield Batch(frame=pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["_origin"]), cursor_after=cursor, files=files)


@dataclass
class _Tally:
    """Counts summed over the batches of one load."""

    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    superseded: int = 0
    rejected: int = 0
    cursor_after: str | None = None
    files: list = field(default_factory=list)

    def add(self, counts: tuple[int, MergeCounts, int]) -> None:
        read, merged, rejected = counts
        self.rows_read += read
        self.inserted += merged.inserted
        self.updated += merged.updated
        self.unchanged += merged.unchanged
        self.superseded += merged.superseded
        self.rejected += rejected

    def result(self, source: str, load_id: str) -> LoadResult:
        return LoadResult(source, load_id, "ok", self.rows_read, self.inserted, self.updated, self.unchanged, self.superseded, self.rejected)


def _load_batch(tx, spec: SourceSpec, batch: Batch, load_id: str, started: dt.datetime) -> tuple[int, MergeCounts, int]:
    """Validate and merge one batch inside the load's transaction; returns (rows read, merge counts, rejected)."""
    checked = normalise(batch.frame, spec.fields, spec.checks, spec.key)
    rows = latest_versions(checked.rows, spec.key, spec.version)
    merged = merge(tx, spec.table, rows, spec.key, load_id) if len(rows) else MergeCounts(0, 0, 0, 0)
    merged = MergeCounts(merged.inserted, merged.updated, merged.unchanged, len(checked.rows) - len(rows))
    if len(checked.rejects):
        tx.register("pantau_rejects", checked.rejects)
        tx.execute(
            "INSERT INTO rejects SELECT $load_id, $source, origin, record_key, field, reason, raw, $at FROM pantau_rejects",
            {"load_id": load_id, "source": spec.name, "at": started},
        )
        tx.unregister("pantau_rejects")
    new_files = [f for f in batch.files if not f.already_loaded]
    if new_files:
        tx.executemany(
            "INSERT INTO file_ledger VALUES (?, ?, ?, ?, ?, ?)",
            [[spec.name, f.sha256, f.path.name, f.size_bytes, load_id, started] for f in new_files],
        )
    return len(batch.frame), merged, len(checked.rejects)


def _log_run(tx, result: LoadResult, started: dt.datetime, cursor_before: str | None, cursor_after: str | None) -> None:
    tx.execute(
        "INSERT INTO loads (load_id, source, started_at, finished_at, status, rows_read, inserted, updated, unchanged, "
        "superseded, rejected, cursor_before, cursor_after, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            result.load_id, result.source, started, _utcnow(), result.status, result.rows_read, result.inserted,
            result.updated, result.unchanged, result.superseded, result.rejected, cursor_before, cursor_after, result.error,
        ],
    )
