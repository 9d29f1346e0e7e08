"""One load of one source: every stream extracted, validated, merged, cursors saved, run logged; all or nothing."""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

import pyarrow as pa

from config.secrets import redact
from config.sources import SourceConfig
from ingest.connectors import KINDS, Batch, Connection, ExtractState
from ingest.connectors.base import LINE, ORIGIN, ROW, DroppedFile, empty_table
from ingest.connectors.files import FileRefused, move_aside, read_dropped_file, set_aside
from ingest.derive import DERIVATIONS
from ingest.fields import PARSED, RAW, check_required, parse, quote_name, registered
from ingest.merge import MergeCounts, apply_rules, merge, write_rejects
from warehouse import Warehouse, operations

log = logging.getLogger(__name__)
_running: dict[str, threading.Lock] = {}
_running_guard = threading.Lock()
# Rows per merge. Each merge pays a cost that grows with the table, so fewer, larger merges are faster (1M CSV rows:
# 6.9 s at 100,000, 3.5 s at 500,000) for about 80 MB more peak memory on a large backfill.
MERGE_ROWS = 500_000
EXTRA_COLUMNS = "kolom tambahan diabaikan"


@dataclass(kw_only=True)
class Counts:
    """Rows offered and what became of them: offered (rows_read) = loaded (inserted + updated + unchanged +
    superseded) + rejected + skipped (rows a skip rule marks as no records, such as a total row), for every ok load."""

    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    superseded: int = 0
    rejected: int = 0
    skipped: int = 0

    def counts(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(Counts)}


@dataclass(kw_only=True)
class LoadResult(Counts):
    """What one load did; `status` is ok, failed or skipped (the source was already loading)."""

    source: str
    load_id: str | None
    status: str
    error: str | None = None
    notes: str | None = None
    streams: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"source": self.source, "load_id": self.load_id, "status": self.status, **self.counts(),
                "error": self.error, "notes": self.notes, "streams": self.streams}


@dataclass
class _Tally(Counts):
    """Counts of one stream, summed over its batches."""

    cursor_after: str | None = None
    extra_columns: set[str] = field(default_factory=set)
    files: list[DroppedFile] = field(default_factory=list)
    rejects_kept: int = 0

    def add(self, read: int, merged: MergeCounts, rejected: int, skipped: int) -> None:
        self.rows_read += read
        self.skipped += skipped
        self.inserted += merged.inserted
        self.updated += merged.updated
        self.unchanged += merged.unchanged
        self.superseded += merged.superseded
        self.rejected += rejected


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _source_lock(name: str) -> threading.Lock:
    with _running_guard:
        return _running.setdefault(name, threading.Lock())


def new_load_id(source: str, started: dt.datetime) -> str:
    return f"{source}-{started:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def coalesce(batches: Iterator[Batch], max_rows: int | None = None) -> Iterator[Batch]:
    """Join small batches (a page, a file) into merges of about `max_rows` rows, each row numbered in its batch.

    A few large merges cost far less than hundreds of tiny ones; the bound keeps a large backfill from sitting in
    memory whole. Files whose columns differ are joined with nulls where a column is missing.
    """
    max_rows = max_rows or MERGE_ROWS
    tables: list[pa.Table] = []
    files: list[DroppedFile] = []
    cursor: str | None = None
    rows = 0

    def joined() -> Batch:
        table = pa.concat_tables(tables, promote_options="permissive") if tables else empty_table()
        return Batch(table=table.append_column(ROW, pa.array(range(table.num_rows), pa.int64())), cursor_after=cursor, files=files)

    for batch in batches:
        if batch.table.num_rows:
            tables.append(batch.table)
        files.extend(batch.files)
        cursor = batch.cursor_after or cursor
        rows += batch.table.num_rows
        if rows >= max_rows:
            yield joined()
            tables, files, rows = [], [], 0
    if tables or files:
        yield joined()


def run_source(
    warehouse: Warehouse,
    name: str,
    source: SourceConfig,
    connection: Connection,
    stop: threading.Event | None = None,
    since: dt.date | None = None,
    wait_s: float = 0,
) -> LoadResult:
    """Load what the source changed since its cursors (or, with `since`, everything from that WIB day on).

    Never raises for a source problem: a failure is logged in the run log and returned. Two loads of one source
    never overlap: a scheduled run finding one under way is skipped (`wait_s` 0); an operator's request waits up
    to `wait_s` seconds for it to finish.
    """
    lock = _source_lock(name)
    acquired = lock.acquire(timeout=wait_s) if wait_s > 0 else lock.acquire(blocking=False)
    if not acquired:
        return LoadResult(source=name, load_id=None, status="skipped", error="pemuatan sumber ini sedang berjalan")
    try:
        return _run(warehouse, name, source, connection, stop or threading.Event(), since)
    finally:
        lock.release()


def _run(warehouse: Warehouse, name: str, source: SourceConfig, connection: Connection, stop: threading.Event, since: dt.date | None) -> LoadResult:
    started = _utcnow()
    load_id = new_load_id(name, started)
    saved = operations.saved_cursors(warehouse.cursor(), name)
    tallies = {s: _Tally() for s in source.streams}
    log.info("load %s started%s", load_id, f" (backfill from {since})" if since else "")
    try:
        # One transaction around the whole read: batches merge as they arrive, and any failure undoes them all.
        with warehouse.transaction() as tx:
            for stream_name, stream in source.streams.items():
                known = operations.known_files(tx, name, stream_name)
                state = ExtractState(cursor=saved.get(stream_name), since=since, known_files=known, stop=stop)
                tally = tallies[stream_name]
                for batch in coalesce(_checked(KINDS[source.kind](source, stream, connection, state), stream)):
                    _load_batch(tx, name, source, stream_name, batch, load_id, started, tally)
                state.check_stop()
                # A cursor only moves forward, also after a backfill that started before it.
                if tally.cursor_after and tally.cursor_after > (saved.get(stream_name) or ""):
                    operations.save_cursor(tx, name, stream_name, tally.cursor_after, load_id, _utcnow())
            # Derived tables come last, from every stream as merged; their rows are made, not offered, so they are
            # counted apart from the reconciliation.
            derived = {d: DERIVATIONS[spec.kind](tx, source, spec, load_id, started, since) for d, spec in source.derive.items()}
            notes = "; ".join(filter(None, [_notes(tx, name, tallies), *(f"{d}: {r.note}" for d, r in derived.items() if r.note)])) or None
            totals = {k: sum(t.counts()[k] for t in tallies.values()) for k in Counts().counts()}
            streams = {s: {**t.counts(), "rejects_kept": t.rejects_kept} for s, t in tallies.items()}
            streams.update({d: r.counts() for d, r in derived.items()})
            result = LoadResult(source=name, load_id=load_id, status="ok", **totals, notes=notes, streams=streams)
            cursors = {s: t.cursor_after for s, t in tallies.items() if t.cursor_after}
            _log_run(tx, result, started, saved, cursors)
        move_aside([f for t in tallies.values() for f in t.files])
        log.info("load %s: %s", load_id, json.dumps({k: v for k, v in result.as_dict().items() if k != "streams"}))
        return result
    except Exception as exc:
        error = str(exc) if type(exc).__module__.startswith("ingest") else f"{type(exc).__name__}: {exc}"
        # Drivers and HTTP clients may echo a URL, a password or a key; the run log is read by the API and the wall.
        error = redact(error, connection.token, connection.database_url, connection.url)
        read = sum(t.rows_read for t in tallies.values())
        if isinstance(exc, FileRefused):  # after the rollback: set aside, so that the next load reads the other files
            error = f"{error}; {set_aside(exc, name, load_id)}"
        result = LoadResult(source=name, load_id=load_id, status="failed", rows_read=read, error=error)
        log.warning("load %s failed: %s", load_id, error)
        try:
            with warehouse.transaction() as tx:
                _log_run(tx, result, started, saved, {})
        except Exception:  # the warehouse itself is failing: the caller's health check reports it
            log.exception("could not record failed load %s", load_id)
        return result


def _checked(batches: Iterator[Batch], stream) -> Iterator[Batch]:
    """Each part of a read (a page, a file's block) as it comes, after checking that it has every required column."""
    for batch in batches:
        check_required(batch.table, stream)
        yield batch


def _load_batch(
    tx, name: str, source: SourceConfig, stream_name: str, batch: Batch, load_id: str, started: dt.datetime, tally: _Tally,
    before_merge: Callable[[object], None] | None = None,
) -> None:
    """Type, check and merge one batch inside the load's transaction, adding its counts to the stream's tally.

    Args:
        before_merge: called with the transaction once the batch is typed and checked (a preview reads its rows).
    """
    stream = source.streams[stream_name]
    merged, rejected, skipped = MergeCounts(), 0, 0
    if batch.table.num_rows:
        with registered(tx, batch.table):
            parsed = parse(tx, batch.table, stream, source.indonesian_numbers)
            tally.extra_columns.update(parsed.extra_columns)
            skipped = parsed.skipped
            apply_rules(tx, stream)
            rejected, kept = write_rejects(tx, stream, batch.table.column_names, name, stream_name, load_id, started, source.rejects_kept - tally.rejects_kept)
            tally.rejects_kept += kept
            if before_merge is not None:
                before_merge(tx)
        merged = merge(tx, stream, load_id)
        tx.execute(f"DROP TABLE IF EXISTS {PARSED}")  # a temp table lives as long as the cursor: tens of MB otherwise
    new_files = [operations.LedgerFile(f.sha256, f.path.name, f.size_bytes) for f in batch.files if not f.already_loaded]
    operations.record_files(tx, name, stream_name, new_files, load_id, started)
    tally.files.extend(batch.files)
    tally.cursor_after = batch.cursor_after or tally.cursor_after
    tally.add(batch.table.num_rows, merged, rejected, skipped)


def _notes(tx, name: str, tallies: dict[str, _Tally]) -> str | None:
    """Extra columns the source sent (ignored), said once: only when they differ from the last load's; and, each
    time, the streams that rejected more records than `rejects` keeps."""
    extra = [f"{s}: {EXTRA_COLUMNS}: {', '.join(sorted(t.extra_columns))}" for s, t in tallies.items() if t.extra_columns]
    if extra and [p for p in (operations.last_note(tx, name) or "").split("; ") if EXTRA_COLUMNS in p] == extra:
        extra = []
    capped = [f"{s}: {_number(t.rejected)} ditolak, {f'{_number(t.rejects_kept)} pertama' if t.rejects_kept else 'tidak satu pun'} disimpan di rejects (rejects_kept)"
              for s, t in tallies.items() if t.rejected > t.rejects_kept]
    note = "; ".join(extra + capped) or None
    if note:
        log.warning("source %s: %s", name, note)
    return note


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _log_run(tx, result: LoadResult, started: dt.datetime, cursor_before: dict, cursor_after: dict) -> None:
    operations.record_load(
        tx, load_id=result.load_id, source=result.source, started_at=started, finished_at=_utcnow(), status=result.status,
        counts=result.counts(), cursor_before=cursor_before, cursor_after=cursor_after, error=result.error, notes=result.notes,
        streams=result.streams,
    )


# A preview.


@dataclass(kw_only=True)
class Preview(Counts):
    """What loading one file would do, found by loading it on a transaction that is then rolled back.

    `rows` are the first valid records as they would be stored (typed, in `columns` order) with `origin` (file and
    line); `rejects` the first rejected ones (origin, field, reason, raw record); the counts are the whole file's.
    `error` is why the file cannot be loaded at all (too large, unreadable, a required column missing).
    """

    source: str
    stream: str
    file_name: str
    sha256: str | None = None
    already_loaded: bool = False
    error: str | None = None
    notes: str | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    inspected: object = None  # what `inspect` read in the warehouse as the load would leave it

    def as_dict(self) -> dict:
        loaded = self.inserted + self.updated + self.unchanged + self.superseded
        return {"source": self.source, "stream": self.stream, "file_name": self.file_name, "sha256": self.sha256,
                "already_loaded": self.already_loaded, "error": self.error, "notes": self.notes, **self.counts(), "loaded": loaded,
                "reconciled": self.rows_read == loaded + self.rejected + self.skipped,
                "columns": self.columns, "rows": [[_plain(v) for v in row] for row in self.rows], "rejects": self.rejects, "inspected": self.inspected}


def _plain(value: object) -> object:
    """A stored value as JSON gives it: dates and instants in ISO form, decimals as text (no digit lost)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return value.isoformat() if isinstance(value, dt.date | dt.datetime | dt.time) else str(value)


class _RollBack(Exception):
    """Ends a preview's transaction: everything it wrote is undone."""


def preview_file(
    warehouse: Warehouse, name: str, source: SourceConfig, stream_name: str, path: Path, *,
    rows_shown: int = 20, rejects_shown: int = 100, inspect: Callable[[object], object] | None = None, wait_s: float = 30,
) -> Preview:
    """Load one file of a file source as `run_source` would (the same reader, limits, typing, rules, rejects and
    merge), on a transaction that is rolled back: the counts are exact and nothing stays in the warehouse.

    Never overlaps a load of the same source (it waits up to `wait_s` for one), so the two never write the same rows.

    Args:
        inspect: called with the transaction after the merge, before the rollback (an SPBE index as it would be).
    """
    stream = source.streams[stream_name]
    preview = Preview(source=name, stream=stream_name, file_name=path.name)
    lock = _source_lock(name)
    if not lock.acquire(timeout=wait_s):
        preview.error = "pemuatan sumber ini sedang berjalan; coba lagi sebentar lagi"
        return preview
    started = _utcnow()
    load_id = new_load_id(name, started)
    tally = _Tally()
    columns = list(stream.columns())
    preview.columns = columns

    def first_rows(tx) -> None:
        wanted = rows_shown - len(preview.rows)
        if wanted > 0:
            names = ", ".join(f"p.{quote_name(c)}" for c in columns)
            found = tx.execute(
                f"SELECT r.{ORIGIN} || CAST(r.{LINE} AS VARCHAR), {names} FROM {PARSED} p JOIN {RAW} r ON r.{ROW} = p.{ROW} "
                f"WHERE p._bad_field IS NULL ORDER BY p.{ROW} LIMIT {int(wanted)}"
            ).fetchall()
            preview.rows.extend([list(r) for r in found])

    try:
        with warehouse.transaction(changes_data=False) as tx:
            state = ExtractState(known_files=operations.known_files(tx, name, stream_name))
            for batch in coalesce(_checked(read_dropped_file(path, source, state), stream)):
                _load_batch(tx, name, source, stream_name, batch, load_id, started, tally, before_merge=first_rows)
            dropped = tally.files[-1] if tally.files else None
            preview.sha256 = dropped.sha256 if dropped else None
            preview.already_loaded = bool(dropped and dropped.already_loaded)
            preview.rejects = [
                {"origin": o, "field": f, "reason": r, "raw": json.loads(raw) if isinstance(raw, str) else raw}
                for o, f, r, raw in tx.execute(
                    "SELECT origin, field, reason, raw FROM rejects WHERE load_id = ? ORDER BY rejected_at, origin LIMIT ?", [load_id, rejects_shown]
                ).fetchall()
            ]
            preview.notes = _notes(tx, name, {stream_name: tally})
            preview.inspected = inspect(tx) if inspect is not None else None
            raise _RollBack
    except _RollBack:
        pass
    except Exception as exc:  # as a load reports it: a file problem in words, anything else with its kind
        preview.error = str(exc) if type(exc).__module__.startswith("ingest") else f"{type(exc).__name__}: {exc}"
    finally:
        lock.release()
    for key, value in tally.counts().items():
        setattr(preview, key, value)
    return preview
