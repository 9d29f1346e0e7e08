"""What the serving process tells Prometheus about itself, read at each scrape: sources, recomputes, scheduler, warehouse.

A scrape reads what health reads (the freshness the metrics layer keeps until a load commits) and one lookup of
the latest runs by id: about 2 ms, and a whole scrape over HTTP about 9 ms (p50, bench.metrics), however long the
run log grows (the first scrape after a load reads it again, as health does). Labels are source names,
OPD codes and fixed words: nothing a request or a record can add to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import get_args

from prometheus_client.core import GaugeMetricFamily, Metric, SummaryMetricFamily
from prometheus_client.registry import Collector

from metrics.freshness import State
from runtime.context import Pantau
from warehouse.operations import load_summaries

SCHEDULER_STATES = ("starting", "running", "failed", "stopped")


class PantauCollector(Collector):
    """Reads a Pantau's state when Prometheus asks."""

    def __init__(self, pantau: Pantau) -> None:
        self._pantau = pantau

    def collect(self) -> Iterator[Metric]:
        pantau = self._pantau
        yield from self._sources(pantau)
        times = pantau.metrics.recompute_times()
        summary = SummaryMetricFamily("pantau_indicator_recompute_duration_seconds", "Time of each recompute of indicator values after loads.")
        summary.add_metric([], count_value=times.count, sum_value=times.total_s)
        yield summary
        if times.last_s is not None:
            yield GaugeMetricFamily("pantau_indicator_recompute_last_duration_seconds", "Time of the latest recompute of indicator values.", value=times.last_s)
        yield GaugeMetricFamily("pantau_indicators_not_recomputed", "Indicators whose latest recompute failed, so their values are older than their data.",
                                value=len(pantau.metrics.not_recomputed()))
        scheduler = GaugeMetricFamily("pantau_scheduler_state", "The ingest scheduler's state: 1 for the state it is in.", labels=["state"])
        current = pantau.scheduler_state()
        for state in SCHEDULER_STATES:
            scheduler.add_metric([state], 1.0 if state == current else 0.0)
        yield scheduler
        wal = pantau.warehouse.path.with_name(pantau.warehouse.path.name + ".wal")  # DuckDB keeps recent writes there until a checkpoint
        wal_bytes = wal.stat().st_size if wal.exists() else 0
        yield GaugeMetricFamily("pantau_warehouse_size_bytes", "Size of the warehouse file and its write-ahead log.",
                                value=pantau.warehouse.size_bytes() + wal_bytes)
        memory = pantau.warehouse.memory()
        held = GaugeMetricFamily("pantau_warehouse_memory_bytes", "What DuckDB holds in memory, by its kind (BASE_TABLE, ART_INDEX, IN_MEMORY_TABLE, ...).",
                                 labels=["kind"])
        for kind, value in memory.items():
            if kind not in ("limit", "spilled"):
                held.add_metric([kind.lower()], value)
        yield held
        yield GaugeMetricFamily("pantau_warehouse_memory_limit_bytes", "DuckDB's memory limit (warehouse.memory_limit_mb).", value=memory["limit"])
        yield GaugeMetricFamily("pantau_warehouse_spilled_bytes", "What queries spilled beside the warehouse file and still hold there.",
                                value=memory["spilled"])
        yield GaugeMetricFamily("pantau_warehouse_fault", "1 while the warehouse's file, folder or disk has a fault that stops loads.",
                                value=0.0 if pantau.warehouse.watch.current() is None else 1.0)

    def _sources(self, pantau: Pantau) -> Iterator[Metric]:
        freshness = pantau.metrics.freshness()
        runs = load_summaries(pantau.warehouse.cursor(), [f.last_load_id for f in freshness.values() if f.last_load_id])
        success = GaugeMetricFamily("pantau_source_last_success_timestamp_seconds", "When the source's latest successful load finished (unix time).",
                                    labels=["source", "opd"])
        states = GaugeMetricFamily("pantau_source_state", "The source's freshness: 1 for the state it is in.", labels=["source", "opd", "state"])
        rows = GaugeMetricFamily("pantau_source_last_load_rows", "Rows of the source's latest load: offered, loaded, rejected, skipped.",
                                 labels=["source", "opd", "outcome"])
        seconds = GaugeMetricFamily("pantau_source_last_load_duration_seconds", "How long the source's latest load took.", labels=["source", "opd"])
        for name, fresh in freshness.items():
            source = pantau.sources.get(name)
            opd = source.opd if source else ""
            if fresh.last_success_at is not None:
                success.add_metric([name, opd], fresh.last_success_at.replace(tzinfo=dt.UTC).timestamp())
            for state in get_args(State):
                states.add_metric([name, opd, state], 1.0 if state == fresh.state else 0.0)
            run = runs.get(fresh.last_load_id)
            if run is not None:
                for outcome, value in (("offered", run.rows_read), ("loaded", run.loaded), ("rejected", run.rejected), ("skipped", run.skipped)):
                    rows.add_metric([name, opd, outcome], value)
                if run.seconds is not None:
                    seconds.add_metric([name, opd], run.seconds)
        yield from (success, states, rows, seconds)

