"""Open, migrate and share the warehouse file within one process.

DuckDB lets one process hold the file read-write and then no other process may open it, not even read-only. So
the serving process owns it; other threads take their own cursor, and other processes go through the server.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.migrations import migrate
from warehouse.rows import first
from warehouse.watch import WarehouseFault, WarehouseWatch, identity

_PID = re.compile(r"PID (\d+)")
# DuckDB's allocator (jemalloc) keeps what a query freed for the next one: a thread hands back what it freed once
# it held more than this at a task's end, and background threads return idle pages to the system, so a load's
# transient memory is not kept resident until the next query happens to flush it (about 150 MB after the first
# loads of the embedded default). Both apply to the whole process.
_ALLOCATOR = {"allocator_flush_threshold": "8MB", "allocator_background_threads": True}


_UNITS = {"bytes": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}


def _bytes(size: str) -> int:
    """DuckDB's way of writing a size ("976.5 MiB") in bytes."""
    number, unit = size.split()
    return round(float(number) * _UNITS[unit])


class WarehouseBusy(Exception):
    """Another process holds the warehouse file."""

    def __init__(self, path: Path, pid: int | None) -> None:
        holder = f"process {pid}" if pid else "another process"
        super().__init__(f"warehouse {path} is in use by {holder} (a running 'app.py serve'?)")
        self.path = path
        self.pid = pid


class Warehouse:
    """The open warehouse of this process.

    Args:
        path: the DuckDB file; created with its folder when missing.
        min_free_mb: free space on its disk below which `fault` says writes must stop (0: only a full disk).
        memory_limit_mb: what DuckDB may hold in memory (cached blocks, indexes, rows not yet checkpointed, the
            working memory of queries); beyond it a query spills to `temp_directory`, the folder `<file>.tmp`
            beside the warehouse. None: DuckDB's own default, 80 % of the machine's memory.
    """

    def __init__(self, path: Path | str, min_free_mb: float = 0, memory_limit_mb: int | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        settings: dict[str, str | bool] = {**_ALLOCATOR, "temp_directory": str(self.path.with_name(self.path.name + ".tmp"))}
        if memory_limit_mb is not None:
            settings["memory_limit"] = f"{memory_limit_mb}MB"
        try:
            self._root = duckdb.connect(str(self.path), config=settings)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            pid = _PID.search(str(exc))
            raise WarehouseBusy(self.path, int(pid.group(1)) if pid else None) from None
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._guard = threading.Lock()
        self._closed = False
        # Counts committed write transactions that may change data, so readers can keep what they read until it does
        # (the watch's probe write, every few seconds, changes nothing a reader reads).
        self.generation = 0
        self.schema_version = migrate(self._root)
        self.watch = WarehouseWatch(self.path, identity(self.path), self._write_probe, self.is_usable, min_free_mb)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor, made on first use."""
        if self._closed:
            raise RuntimeError("warehouse is closed")
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._root.cursor()
            self._local.cursor = cur
            with self._guard:
                self._cursors.append(cur)
        return cur

    def separate_cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of its own, for a result read over a long time (a streamed export) while this thread's cursor
        answers other queries; hand it back with `release`."""
        if self._closed:
            raise RuntimeError("warehouse is closed")
        cur = self._root.cursor()
        with self._guard:
            self._cursors.append(cur)
        return cur

    def release(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Close a cursor from `separate_cursor`."""
        with self._guard:
            if cur in self._cursors:
                self._cursors.remove(cur)
        try:
            cur.close()
        except duckdb.Error:
            pass

    @contextmanager
    def transaction(self, changes_data: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A transaction on this thread's cursor: committed on success, rolled back on any exception.

        Args:
            changes_data: False for a write no reader reads (the watch's probe), so what readers keep stays valid.
        """
        cur = self.cursor()
        cur.begin()
        try:
            yield cur
        except BaseException:
            cur.rollback()
            raise
        cur.commit()
        if changes_data:
            self.generation += 1

    def is_usable(self) -> bool:
        """True when a trivial query answers."""
        try:
            return first(self.cursor().execute("SELECT 1")) == (1,)
        except Exception:
            return False

    def _write_probe(self) -> None:
        with self.transaction(changes_data=False) as tx:
            tx.execute("INSERT OR REPLACE INTO warehouse_probe VALUES (1, now() AT TIME ZONE 'UTC')")

    @property
    def fault(self) -> WarehouseFault | None:
        """What the latest check found wrong with the file, its folder or its disk (see warehouse.watch), or None."""
        return self.watch.fault

    def memory(self) -> dict[str, int]:
        """What DuckDB holds in memory, in bytes, by its own kind (BASE_TABLE: cached blocks of the file, ART_INDEX,
        IN_MEMORY_TABLE: rows not yet checkpointed or temporary, HASH_TABLE, ORDER_BY... while queries run); kinds
        holding nothing are left out. `limit` is warehouse.memory_limit_mb in bytes; `spilled` what queries wrote
        to the spill folder and still hold there."""
        cur = self.cursor()
        rows = cur.execute("SELECT tag, memory_usage_bytes, temporary_storage_bytes FROM duckdb_memory()").fetchall()
        held = {tag: used for tag, used, _ in rows if used}
        limit = cur.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        return {**held, "spilled": sum(t for _, _, t in rows), "limit": _bytes(limit)}

    def size_bytes(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def close(self) -> None:
        """Close every cursor and the file; safe to call twice."""
        if self._closed:
            return
        self.watch.stop()
        self._closed = True
        with self._guard:
            for cur in self._cursors:
                try:
                    cur.close()
                except duckdb.Error:
                    pass
            self._cursors.clear()
        self._root.close()
