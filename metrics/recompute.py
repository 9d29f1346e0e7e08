"""Recomputing indicator values after loads: one recompute at a time, retried on a write conflict, never lost silently.

Loads of different sources run in parallel, and each is followed by a recompute of the indicators that read its
source. Two recomputes writing the same rows at once make DuckDB refuse one ("Conflict on update"), so they take
turns: compute and write under one lock, so a later recompute never writes values older than an earlier one's.
An indicator whose recompute still fails is logged with the load that asked for it, kept in `states()` for health
and status, and recomputed with the next recompute of any source.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import duckdb
import ibis

from metrics.catalogue import Indicator
from metrics.compute import Computed, compute
from warehouse import Warehouse

log = logging.getLogger(__name__)
DEFAULT_PERIOD = "default"
ATTEMPTS = 4  # writes of one recompute; a conflict with another writer is retried after 50, 100, 200 ms
BACKOFF_S = 0.05


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class RecomputeState:
    """One indicator's latest recompute in this process, and its latest failure since (instants in UTC, naive)."""

    computed_at: dt.datetime | None = None  # its stored values count the data committed before this instant
    load_id: str | None = None  # the load that asked for it (None: a start-up catch-up or a full recompute)
    failed_at: dt.datetime | None = None
    failed_load_id: str | None = None
    error: str | None = None

    @property
    def failing(self) -> bool:
        return self.failed_at is not None

    def as_dict(self) -> dict:
        def iso(t: dt.datetime | None) -> str | None:
            return t.replace(tzinfo=dt.UTC).isoformat() if t else None

        return {"computed_at": iso(self.computed_at), "load_id": self.load_id, "failed_at": iso(self.failed_at),
                "failed_load_id": self.failed_load_id, "error": self.error}


@dataclass(frozen=True)
class RecomputeTimes:
    """How long this process's recomputes took: the latest, and all of them together (seconds)."""

    count: int = 0
    total_s: float = 0.0
    last_s: float | None = None

    def plus(self, seconds: float) -> RecomputeTimes:
        return RecomputeTimes(self.count + 1, self.total_s + seconds, seconds)


class RecomputeFailed(RuntimeError):
    """Some indicators could not be recomputed; they are retried with the next recompute."""

    def __init__(self, ids: list[str], load_id: str | None, error: str) -> None:
        after = f" setelah muatan {load_id}" if load_id else ""
        super().__init__(f"nilai indikator {', '.join(ids)} tidak dihitung ulang{after}: {error}")
        self.ids = ids
        self.load_id = load_id


def revision_window(indicator: Indicator, windows: Mapping[str, dt.timedelta | None]) -> dt.timedelta | None:
    """The longest revision window of the indicator's sources (None when none of them revises)."""
    found = [w for w in (windows.get(s) for s in indicator.sources) if w is not None]
    return max(found) if found else None


def _ends(span: tuple[dt.date, dt.date] | None) -> tuple[dt.date | None, dt.date | None]:
    return span if span else (None, None)


def _conflict(exc: Exception) -> bool:
    return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Recomputer:
    """Computes and stores indicator values, one recompute at a time.

    Args:
        warehouse: where values are stored.
        backend: this thread's Ibis backend over the warehouse.
        clock: the current UTC instant (naive) that periods end at.
        revision_windows: per source, how long after a day or month ends it may still revise it (absent: never).
    """

    def __init__(self, warehouse: Warehouse, backend: Callable[[], ibis.BaseBackend], clock: Callable[[], dt.datetime],
                 revision_windows: Mapping[str, dt.timedelta | None] | None = None) -> None:
        self._warehouse = warehouse
        self._revision_windows = dict(revision_windows or {})
        self._backend = backend
        self._clock = clock
        self._lock = threading.Lock()
        self._states: dict[str, RecomputeState] = {}
        self._pending: dict[str, Indicator] = {}  # failed before: recomputed with the next recompute
        self.times = RecomputeTimes()  # replaced whole after each recompute, so a reader never sees half of one

    def states(self) -> dict[str, RecomputeState]:
        """Each indicator recomputed (or attempted) in this process."""
        return dict(self._states)  # one C-level copy, safe against a recompute writing meanwhile

    def failing(self) -> list[str]:
        """Indicators whose latest recompute failed: their stored values are older than their data."""
        return [i for i, s in self.states().items() if s.failing]  # a copy: a recompute may add to it meanwhile

    def run(self, targets: tuple[Indicator, ...], load_id: str | None = None) -> list[str]:
        """Recompute `targets` (and any that failed before) and store them; returns the ids stored.

        Raises:
            RecomputeFailed: naming the indicators not stored, after logging them with `load_id`; the rest are stored.
        """
        with self._lock:
            started = time.perf_counter()
            try:
                return self._run(targets, load_id)
            finally:
                self.times = self.times.plus(time.perf_counter() - started)

    def _run(self, targets: tuple[Indicator, ...], load_id: str | None) -> list[str]:
        todo = {i.id: i for i in (*targets, *self._pending.values())}
        computed_at = utcnow()  # before the first query, so every load committed before it is counted
        as_of = self._clock()
        results: list[Computed] = []
        failed: dict[str, str] = {}
        for indicator in todo.values():
            try:
                results.append(compute(indicator, self._backend(), as_of, revision_window(indicator, self._revision_windows)))
            except Exception as exc:
                log.exception("computing indicator %s failed", indicator.id)
                failed[indicator.id] = _short(exc)
        try:
            self._store_retrying(results, computed_at)
        except Exception as exc:
            failed.update({r.indicator_id: _short(exc) for r in results})
            results = []
        for r in results:
            self._states[r.indicator_id] = RecomputeState(computed_at, load_id)
            self._pending.pop(r.indicator_id, None)
        if failed:
            now = utcnow()
            for indicator_id, error in failed.items():
                before = self._states.get(indicator_id, RecomputeState())
                self._states[indicator_id] = replace(before, failed_at=now, failed_load_id=load_id, error=error)
                self._pending[indicator_id] = todo[indicator_id]
            problem = RecomputeFailed(sorted(failed), load_id, next(iter(failed.values())))
            log.error("%s", problem)
            raise problem
        return [r.indicator_id for r in results]

    def _store_retrying(self, results: list[Computed], computed_at: dt.datetime) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self._store(results, computed_at)
                return
            except Exception as exc:
                if not _conflict(exc) or attempt == ATTEMPTS:
                    raise
                log.warning("storing indicator values met a write conflict (attempt %d of %d); retrying", attempt, ATTEMPTS)
                time.sleep(BACKOFF_S * 2 ** (attempt - 1))

    def _store(self, results: list[Computed], computed_at: dt.datetime) -> None:
        with self._warehouse.transaction() as tx:
            for r in results:
                tx.execute(
                    "INSERT OR REPLACE INTO indicator_values (indicator_id, period, as_of, period_start, period_end, value, numerator, "
                    "denominator, previous_value, series, computed_at, year_before_value, covered_start, covered_end, provisional_from, "
                    "previous_start, previous_end, year_before_start, year_before_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [r.indicator_id, DEFAULT_PERIOD, r.as_of, r.period_start, r.period_end, r.value, r.numerator,
                     r.denominator, r.previous_value, json.dumps(r.series), computed_at, r.year_before_value,
                     *_ends(r.covered), r.provisional_from, *_ends(r.previous_span), *_ends(r.year_before_span)],
                )
                tx.execute("DELETE FROM indicator_breakdowns WHERE indicator_id = ? AND period = ?", [r.indicator_id, DEFAULT_PERIOD])
                rows = [[r.indicator_id, DEFAULT_PERIOD, by, *row] for by, members in r.breakdowns.items() for row in members]
                if rows:
                    tx.executemany(
                        "INSERT INTO indicator_breakdowns (indicator_id, period, dimension, member, value, numerator, denominator) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        rows,
                    )

    def behind(self, catalogue: tuple[Indicator, ...], last_success: Mapping[str, dt.datetime | None]) -> tuple[Indicator, ...]:
        """Indicators whose stored values were computed before their sources' last committed load (or never), e.g.
        because the process stopped between a load and its recompute."""
        stored = dict(self._warehouse.cursor().execute(
            "SELECT indicator_id, computed_at FROM indicator_values WHERE period = ?", [DEFAULT_PERIOD]
        ).fetchall())
        late = []
        for indicator in catalogue:
            loaded = [t for t in (last_success.get(s) for s in indicator.sources) if t is not None]
            if loaded and (stored.get(indicator.id) is None or stored[indicator.id] < max(loaded)):
                late.append(indicator)
        return tuple(late)
