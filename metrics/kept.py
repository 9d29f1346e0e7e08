"""What the explorer keeps between views: bounded LRUs of computed parts, and an indicator's query rows per span in
memory (Arrow), each valid for one warehouse generation."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import ibis
import pyarrow as pa


class Remembered:
    """A bounded LRU of computed parts, emptied when the warehouse generation changes."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._epoch: int | None = None

    def get(self, epoch: int, key: tuple, make: Callable[[], object]):
        with self._lock:
            if epoch != self._epoch:
                self._items.clear()
                self._epoch = epoch
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            if epoch == self._epoch:
                self._items[key] = value
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return value


@dataclass(frozen=True)
class Kept:
    """An indicator's query rows over one span, in memory, under the name each thread's DuckDB connection knows them by."""

    name: str
    table: pa.Table
    schema: ibis.Schema


class RowStore:
    """An indicator's query rows per span, read once from the warehouse and kept in memory (Arrow), so the parts of
    a view and the views that only filter, break down or regroup them read memory instead of the warehouse.

    Bounded by the bytes kept in all (least recently used go first); a span yielding more than ROWS_PER_SPAN rows is
    not kept, and its parts query the warehouse each time. Emptied when the warehouse generation changes. A thread
    registers a table with its own DuckDB connection when it first reads it, and drops those no longer kept the next
    time it reads any (see metrics.explore.Explorer).
    """

    def __init__(self, kept_bytes: int, per_span: int) -> None:
        self._kept_bytes, self._per_span = kept_bytes, per_span
        self._tables: OrderedDict = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()
        self._epoch: int | None = None
        self._made = itertools.count()

    def get(self, epoch: int, key: tuple, read: Callable[[int], pa.Table | None]) -> Kept | None:
        with self._lock:
            if epoch != self._epoch:
                self._tables.clear()
                self._total, self._epoch = 0, epoch
            if key in self._tables:
                self._tables.move_to_end(key)
                return self._tables[key]
        table = read(self._per_span)
        kept = None if table is None else Kept(f"pantau_explore_rows_{next(self._made)}", table, ibis.Schema.from_pyarrow(table.schema))
        with self._lock:
            if epoch == self._epoch and key not in self._tables:
                self._tables[key] = kept
                self._total += 0 if kept is None else kept.table.nbytes
                while self._total > self._kept_bytes and len(self._tables) > 1:
                    _, dropped = self._tables.popitem(last=False)
                    self._total -= 0 if dropped is None else dropped.table.nbytes
        return kept

    def names(self) -> set[str]:
        with self._lock:
            return {k.name for k in self._tables.values() if k is not None}
