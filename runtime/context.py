"""A running Pantau: configuration, warehouse, simulated OPD systems, ingest jobs and metrics, started and stopped together."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from config import Config, SourceConfig
from ingest.calendar import refresh_calendar
from ingest.connectors import Connection
from ingest.run import LoadResult, run_source
from ingest.scheduler import IngestScheduler
from ingest.sources import SOURCES
from metrics.freshness import Policy
from metrics.service import MetricsService
from region.calendar import WorkingCalendar
from region.paths import PROJECT_ROOT
from warehouse import Warehouse

log = logging.getLogger(__name__)


def project_path(value: str) -> Path:
    """A configured path; relative ones are under the project root, whatever the working directory."""
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


class UnknownSource(ValueError):
    """A source name that is not configured."""


class Pantau:
    """Everything one process needs to serve or load; the process that builds it owns the warehouse.

    Args:
        config: the validated configuration.
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.warehouse_path = project_path(config.warehouse.path)
        unknown = sorted(set(config.enabled_sources) - set(SOURCES))
        if unknown:
            raise UnknownSource(f"sumber tidak dikenal di konfigurasi: {', '.join(unknown)}; yang dikenal: {', '.join(SOURCES)}")
        self.warehouse = Warehouse(self.warehouse_path)
        refresh_calendar(self.warehouse, WorkingCalendar())
        self.simulator = None
        self.scheduler: IngestScheduler | None = None
        self.stopping = threading.Event()
        policies = {
            name: Policy(fresh_within=s.fresh_within, stale_after=s.stale_after, simulated=s.simulated)
            for name, s in config.enabled_sources.items()
        }
        self.metrics = MetricsService(self.warehouse, policies)

    @property
    def sources(self) -> dict[str, SourceConfig]:
        return self.config.enabled_sources

    def start_simulator(self) -> None:
        """Start the embedded simulated OPD systems when a source relies on them."""
        if not self.config.needs_simulator or self.simulator is not None:
            return
        from simulator.systems import (
            SimulatedOPDs,  # only the embedded default needs it
        )

        sim = self.config.simulator
        self.simulator = SimulatedOPDs(
            data_dir=project_path(sim.data_dir),
            seed=sim.seed,
            history_days=sim.history_days,
            port=sim.port,
            sync_every_s=sim.sync_every.total_seconds(),
        )
        self.simulator.start()

    def connection(self, name: str) -> Connection:
        """Where to read source `name`: its configuration, or the embedded simulator when none is set."""
        s = self.sources[name]
        sim = self.simulator
        if s.simulated and sim is None:
            raise RuntimeError(f"sumber {name} memakai sistem simulasi, tetapi simulator tidak berjalan")
        token = os.environ.get(s.token_env) if s.token_env else None
        database_url = s.database_url or (os.environ.get(s.database_url_env) if s.database_url_env else None)
        return Connection(
            url=s.url or (sim.perizinan_url if s.kind == "rest" and sim else None),
            token=token,
            timeout_s=s.timeout.total_seconds(),
            page_size=s.page_size,
            lookback_s=s.lookback.total_seconds(),
            database_url=database_url or (sim.dukcapil_url if s.kind == "sql" and sim else None),
            folder=project_path(s.folder) if s.folder else (sim.absensi_inbox if s.kind == "file" and sim else None),
        )

    def load(self, name: str) -> LoadResult:
        """Load one source now and recompute the indicators that read it. Safe to repeat."""
        if name not in self.sources:
            raise UnknownSource(f"sumber '{name}' tidak dikonfigurasi; yang ada: {', '.join(self.sources)}")
        result = run_source(self.warehouse, SOURCES[name], self.connection(name), self.stopping)
        if result.status == "ok" and not self.stopping.is_set():
            try:
                self.metrics.refresh(name)
            except Exception:
                log.exception("recomputing indicators after load %s failed", result.load_id)
        return result

    def source_status(self) -> list[dict]:
        """Each source: kind, OPD, schedule, last run and its counts, freshness and next run (UTC ISO instants)."""
        freshness = self.metrics.freshness()
        last = {
            r[0]: r[1:]
            for r in self.warehouse.cursor().execute(
                "SELECT source, arg_max(inserted, started_at), arg_max(updated, started_at), arg_max(load_id, started_at) FROM loads GROUP BY source"
            ).fetchall()
        }
        rows = []
        for name, s in self.sources.items():
            inserted, updated, load_id = last.get(name, (None, None, None))
            next_run = self.scheduler.next_run(name) if self.scheduler else None
            rows.append(
                {
                    **freshness[name].as_dict(),
                    "kind": s.kind,
                    "opd": SOURCES[name].opd,
                    "system": SOURCES[name].system,
                    "schedule": s.schedule,
                    "last_load_id": load_id,
                    "last_inserted": inserted,
                    "last_updated": updated,
                    "next_run_at": next_run.isoformat() if next_run else None,
                }
            )
        return rows

    def start_scheduler(self) -> None:
        """Start the one scheduler of this process; calling it again does nothing."""
        if self.scheduler is not None:
            return
        self.scheduler = IngestScheduler({n: s.schedule for n, s in self.sources.items()}, self.load)
        self.scheduler.start()

    def close(self) -> None:
        """Stop loads, scheduler and simulator, then close the warehouse. Safe to call twice."""
        self.stopping.set()
        if self.scheduler is not None:
            self.scheduler.shutdown()
        if self.simulator is not None:
            self.simulator.stop()
        self.warehouse.close()


class PantauControls:
    """The dashboard's view of the running process: operator actions and source status."""

    def __init__(self, pantau: Pantau) -> None:
        self._pantau = pantau

    def run_now(self, sources: list[str]) -> list[dict]:
        names = sources or list(self._pantau.sources)
        unknown = [n for n in names if n not in self._pantau.sources]
        if unknown:
            raise UnknownSource(f"sumber tidak dikenal: {', '.join(unknown)}; yang ada: {', '.join(self._pantau.sources)}")
        return [self._pantau.load(n).as_dict() for n in names]

    def source_status(self) -> list[dict]:
        return self._pantau.source_status()

    def warehouse_usable(self) -> bool:
        return self._pantau.warehouse.is_usable()
