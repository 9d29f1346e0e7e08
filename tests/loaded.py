"""A real warehouse loaded from every simulated OPD system at a fixed moment, with metrics and snapshots over it."""

from __future__ import annotations

import datetime as dt

from ingest.calendar import refresh_calendar
from ingest.connectors import Connection
from ingest.run import run_source
from ingest.tables import ensure_tables
from metrics.freshness import Policy
from metrics.service import MetricsService
from region.calendar import WorkingCalendar
from runtime.snapshots import WarehouseSnapshots
from simulator import SimulatedOPDs
from warehouse import Warehouse

NOW = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)  # Friday 10:00 WIB


class Loaded:
    def __init__(self, tmp, config) -> None:
        self.config = config
        self.sources = config.enabled_sources
        self.warehouse = Warehouse(tmp / "pantau.duckdb")
        refresh_calendar(self.warehouse, WorkingCalendar())
        ensure_tables(self.warehouse, self.sources)
        self.now = NOW
        self.sim = SimulatedOPDs(tmp / "sim", seed=2019, history_days=60, sync_every_s=3600, now=lambda: self.now)
        self.sim.start()
        policies = {n: Policy(s.fresh_within, s.stale_after, s.simulated, s.revision_window) for n, s in self.sources.items()}
        self.metrics = MetricsService(self.warehouse, policies, clock=lambda: self.now.replace(tzinfo=None), sources=self.sources)
        self.load_all()
        self.snapshots = WarehouseSnapshots(self.warehouse, self.metrics, config.paparan, self.sources, now=lambda: self.now)

    def load_all(self) -> None:
        for name, source in self.sources.items():
            assert run_source(self.warehouse, name, source, Connection(**self.sim.connection(name))).status == "ok", name
        self.metrics.refresh()

    def close(self) -> None:
        self.sim.stop()
        self.warehouse.close()
