"""A running Pantau: configuration, warehouse, simulated OPD systems, ingest jobs and metrics, started and stopped together."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable

from config import Config, SourceConfig
from ingest.calendar import refresh_calendar
from ingest.connectors import Connection
from ingest.run import LoadResult, new_load_id, run_source
from ingest.scheduler import IngestScheduler
from ingest.spbe_import import AssessedIndicator, replace_assessment
from ingest.tables import ensure_tables
from metrics.catalogue import configured
from metrics.freshness import Policy
from metrics.indicator_settings import indicator_overrides
from metrics.recompute import RecomputeFailed, utcnow
from metrics.service import MetricsService
from metrics.spbe.assessment import check_levels
from metrics.spbe.framework import framework, in_force
from region import opd
from region.calendar import WorkingCalendar
from region.paths import project_path
from runtime.alerts import AlertWatch
from runtime.memory import release_freed_memory
from runtime.uploads import UploadStaging
from warehouse import Warehouse, operations
from warehouse.watch import WarehouseFault

log = logging.getLogger(__name__)
OPERATOR_WAIT_S = 600  # how long an operator's "load now" waits for a scheduled load of the same source


class UnknownSource(ValueError):
    """A source name that is not configured."""


class Pantau:
    """Everything one process needs to serve or load; the process that builds it owns the warehouse.

    Args:
        config: the validated configuration.
        clock: the current UTC instant (naive) that freshness is judged at; tests move it.
    """

    def __init__(self, config: Config, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.config = config
        opd.use(config.opd_directory())  # records and screens recognise the configured agencies too
        self.warehouse_path = project_path(config.warehouse.path)
        self.warehouse = Warehouse(self.warehouse_path, config.warehouse.min_free_mb, config.warehouse.memory_limit_mb)
        try:
            calendar = WorkingCalendar(config.calendar.extra_holidays, config.calendar.removed_holidays)
            refresh_calendar(self.warehouse, calendar)
            ensure_tables(self.warehouse, config.enabled_sources)
        except BaseException:
            self.warehouse.close()
            raise
        self.simulator = None
        self.scheduler: IngestScheduler | None = None
        self.start_failure: str | None = None  # why the simulator or the scheduler did not start
        self.stopping = threading.Event()
        self._refusals: set[tuple[str, dt.datetime]] = set()  # (source, fault since) already logged
        policies = {
            name: Policy(fresh_within=s.fresh_within, stale_after=s.stale_after, simulated=s.simulated, revision_window=s.revision_window)
            for name, s in config.enabled_sources.items()
        }
        self.metrics = MetricsService(self.warehouse, policies, configured(indicator_overrides(config)), clock, config.enabled_sources)
        self.uploads = UploadStaging(self.warehouse_path)
        self.alerts = AlertWatch(config.alerts, self.warehouse, config.enabled_sources, self.metrics.freshness, self.metrics.now)

    @property
    def sources(self) -> dict[str, SourceConfig]:
        return self.config.enabled_sources

    def source(self, name: str) -> SourceConfig:
        """The configured source `name`.

        Raises:
            UnknownSource: naming the sources that are configured.
        """
        if name not in self.sources:
            raise UnknownSource(f"sumber '{name}' tidak dikonfigurasi; yang ada: {', '.join(self.sources)}")
        return self.sources[name]

    def start_simulator(self) -> None:
        """Start the embedded simulated OPD systems when a source relies on them."""
        if not self.config.needs_simulator or self.simulator is not None:
            return
        from runtime.simulated import SimulatorProcess  # only the embedded default needs it

        sim = self.config.simulator
        self.simulator = SimulatorProcess(
            data_dir=project_path(sim.data_dir),
            seed=sim.seed,
            history_days=sim.history_days,
            port=sim.port,
            sync_every_s=sim.sync_every.total_seconds(),
            absensi_export=sim.absensi_export,
        )
        self.simulator.start()

    def connection(self, name: str) -> Connection:
        """Where to read source `name`: its configuration (secrets from the environment), or the embedded simulator."""
        s = self.source(name)
        if s.simulated:
            if self.simulator is None:
                raise RuntimeError(f"sumber {name} memakai sistem simulasi, tetapi simulator tidak berjalan")
            return Connection(**self.simulator.connection(name))
        database_url = s.database_url or (os.environ.get(s.database_url_env) if s.database_url_env else None)
        if s.kind == "sql" and not database_url:
            raise RuntimeError(f"sumber {name}: URL basis data tidak ada: variabel lingkungan {s.database_url_env} belum disetel")
        return Connection(
            url=s.url,
            token=os.environ.get(s.token_env) if s.token_env else None,
            database_url=database_url,
            folder=project_path(s.folder) if s.folder else None,
        )

    def unset_secret_env(self, name: str) -> str | None:
        """The environment variable that should hold source `name`'s token or database URL but is unset in this process."""
        return self.source(name).unset_secret_env(os.environ)

    def import_spbe(self, framework_id: str, year: int, levels: dict[int, int]) -> dict:
        """Store a self-assessment's levels for `year` (replacing that year's) and recompute the SPBE index.

        Raises:
            KeyError: an unknown framework.  metrics.spbe.assessment.InvalidLevels: nothing is stored.
        """
        version = framework(framework_id)
        check_levels(version, levels)
        indicators = [AssessedIndicator(i.number, i.name, levels[i.number]) for i in version.indicators]
        rows = replace_assessment(self.warehouse, year, version.file_name, indicators)
        self.metrics.refresh("spbe")
        scored = version.score(levels)
        # The predicate of the framework in force for the year, as the history and the index tile give it.
        return {"framework": version.id, "year": year, "rows": rows, "index": scored["index"], "predicate": in_force(year).predicate(scored["index"])}

    def load(self, name: str, since: dt.date | None = None, wait_s: float = OPERATOR_WAIT_S, connection: Connection | None = None) -> LoadResult:
        """Load one source now (from `since`, a backfill, when given) and recompute the indicators that read it.

        `connection` reads the source from elsewhere than configured (an uploaded file's staging folder).

        A load of the same source already under way is waited for up to `wait_s` seconds (0: skip at once). While
        the warehouse has a fault (see warehouse.watch) the load fails before it starts, saying why.
        """
        source = self.source(name)
        fault = self.warehouse.watch.current()
        if fault is not None:
            return self._refused(name, fault)
        result = run_source(self.warehouse, name, source, connection or self.connection(name), self.stopping, since, wait_s)
        if result.status == "ok" and not self.stopping.is_set():
            try:
                self.metrics.refresh(name, result.load_id)
            except RecomputeFailed as exc:  # logged; retried with the next recompute, and health shows it
                result.notes = "; ".join(n for n in (result.notes, str(exc)) if n)
        release_freed_memory()  # a load's batches are freed now; without this glibc keeps them resident
        self.alerts.poke()  # the alerts' own thread looks at the new state: a slow receiver never holds up a load
        return result

    def _refused(self, name: str, fault: WarehouseFault) -> LoadResult:
        """A load that does not start because of a warehouse fault: in the run log when the file still takes it."""
        started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        result = LoadResult(source=name, load_id=new_load_id(name, started), status="failed",
                            error=f"pemuatan tidak dimulai karena gudang data bermasalah: {fault.reason}")
        if (name, fault.since) not in self._refusals:  # once per source and fault, not at every scheduled run
            self._refusals.add((name, fault.since))
            log.warning("load %s refused: %s", result.load_id, fault.reason)
        try:
            with self.warehouse.transaction() as tx:
                operations.record_load(
                    tx, load_id=result.load_id, source=name, started_at=started, finished_at=started, status="failed",
                    counts=result.counts(), cursor_before={}, cursor_after={}, error=result.error, notes=None, streams={},
                )
        except Exception as exc:
            log.debug("refused load %s not recorded: %s", result.load_id, exc)
        return result

    def scheduled_load(self, name: str) -> None:
        """What the scheduler runs: a load, unless an operator paused the source."""
        if not self.is_paused(name):
            self.load(name, wait_s=0)  # a run still under way makes this one redundant

    def is_paused(self, name: str) -> bool:
        return operations.is_paused(self.warehouse.cursor(), name)

    def set_paused(self, name: str, paused: bool) -> None:
        """Pause or resume scheduled loads of a source; kept in the warehouse, so a restart keeps it."""
        self.source(name)
        with self.warehouse.transaction() as tx:
            operations.set_paused(tx, name, paused, dt.datetime.now(dt.UTC).replace(tzinfo=None))
        if self.scheduler is not None:
            self.scheduler.set_paused(name, paused)

    def start_scheduler(self) -> None:
        """Start the one scheduler of this process; calling it again does nothing."""
        if self.scheduler is not None:
            return
        self.scheduler = IngestScheduler({n: s.schedule for n, s in self.sources.items()}, self.scheduled_load)
        self.scheduler.start(paused={n for n in self.sources if self.is_paused(n)})

    def start_loading(self) -> None:
        """Recompute what a stop left behind, then start the simulator and the scheduler. A failure to start is
        kept in `start_failure`, which turns health red, and logged."""
        try:
            self.metrics.catch_up()
        except RecomputeFailed:
            pass  # logged, kept in the recompute state and retried with the next recompute
        except Exception:  # loads must start all the same; their recomputes follow
            log.exception("recomputing the indicators left behind by a stop failed")
        self.alerts.start()
        try:
            self.start_simulator()
            if not self.stopping.is_set():
                self.start_scheduler()
        except Exception as exc:
            self.start_failure = f"{type(exc).__name__}: {exc}"
            log.exception("starting the simulator or the scheduler failed; no source is loaded on schedule")

    def scheduler_state(self) -> str:
        """starting (the simulator builds its history), running, failed (it did not start) or stopped."""
        if self.start_failure is not None:
            return "failed"
        if self.scheduler is None:
            return "stopped" if self.stopping.is_set() else "starting"
        return "running" if self.scheduler.running() and not self.stopping.is_set() else "stopped"

    def close(self) -> None:
        """Stop loads, scheduler and simulator, then close the warehouse. Safe to call twice."""
        self.stopping.set()
        if self.scheduler is not None:
            self.scheduler.shutdown()
        self.alerts.stop()
        if self.simulator is not None:
            self.simulator.stop()
        self.warehouse.close()
