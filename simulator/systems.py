"""The simulated OPD systems run together: one seed, one clock, one data folder, one background sync."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from region.calendar import WorkingCalendar
from simulator.base import SimulatedSystem
from simulator.days import DAY_S, SimCalendar, day_date, local_seconds
from simulator.registry import SYSTEMS, Kind, names, registered
from simulator.rest import RestSystem
from simulator.server import Api, ApiServer, Faults

__all__ = ["SOURCES", "Faults", "SimulatedOPDs"]

log = logging.getLogger(__name__)

SOURCES = tuple(SYSTEMS)  # every simulated source, in registration order
_LABELS = {"rest": "REST", "sql": "SQL", "file": "file"}


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SimulatedOPDs:
    """The fake OPD systems of simulator/registry.py for the embedded demo, deterministic from a seed and a clock.

    REST systems are served on one loopback port, SQL systems are SQLite files, and file systems drop into an
    inbox each; `connection(source)` gives what a connector needs to read each one.

    Args:
        data_dir: folder for the databases, the inboxes and the export state.
        seed: the same seed and the same `now` give the same data.
        history_days: records start this many days before `now`.
        host: address the HTTP server binds.
        port: port the HTTP server binds; 0 picks a free one.
        sync_every_s: how often the background thread brings the databases and the inboxes up to the clock.
        now: the clock, returning aware datetimes; the real time when None.
        calendar: working-day calendar (the national one when None).
        absensi_export: what the attendance machines drop: "presensi" (raw check-ins, the staff list and leave
            records) or "harian" (daily summaries).
    """

    def __init__(
        self,
        data_dir: Path,
        seed: int = 2019,
        history_days: int = 800,
        host: str = "127.0.0.1",
        port: int = 0,
        sync_every_s: float = 30.0,
        now: Callable[[], dt.datetime] | None = None,
        calendar: WorkingCalendar | None = None,
        absensi_export: str = "harian",
    ) -> None:
        self.data_dir = Path(data_dir)
        self.seed = seed
        self.history_days = history_days
        self.host, self.port = host, port
        self.sync_every_s = sync_every_s
        self.faults = Faults()
        self._clock = now or _utc_now
        # The history start is pinned when the simulator is made, so records never vanish from the far end
        # while it runs; a restart (even days later) pins it afresh and old rows simply stay where they are.
        self.history_start = day_date(local_seconds(self.now()) // DAY_S - history_days)
        shared = SimCalendar(calendar)
        options = {"absensi": {"export": absensi_export}}  # the systems that can be set up more than one way
        self._systems: dict[str, SimulatedSystem] = {
            name: entry.factory(seed, history_days, shared, self.history_start, **options.get(name, {})) for name, entry in registered().items()
        }
        self._server: ApiServer | None = None
        self._sync_thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._sync_lock = threading.Lock()
        self._state_lock = threading.Lock()

    def now(self) -> dt.datetime:
        """The simulator's clock (aware)."""
        moment = self._clock()
        local_seconds(moment)  # rejects a naive clock early, with a clear message
        return moment

    # --- where each system is -------------------------------------------------------------------------------

    def _of(self, kind: Kind) -> list[tuple[str, Any]]:
        # Any: the kind fixes the base class (registry.BASES), hence how a system is synced or served.
        return [(name, self._systems[name]) for name in names(kind)]

    def _check(self, source: str, kind: Kind) -> None:
        if source not in names(kind):
            known = ", ".join(names(kind))
            raise ValueError(f"{source!r} is not a simulated {_LABELS[kind]} source; those are {known}")

    def secret(self, source: str) -> str | None:
        """The bearer token or API key a REST system accepts (its AUTH says which); None when it needs none.

        Derived from the seed, so a connector configured once keeps working across restarts; it is a demo
        secret for a loopback server, not a credential.
        """
        system = self._systems.get(source)
        if not isinstance(system, RestSystem) or system.AUTH == "none":
            return None
        return hashlib.sha256(f"pantau-sim:{self.seed}:{source}:secret".encode()).hexdigest()[:40]

    def connection(self, source: str) -> dict:
        """The connection settings a connector needs for a source.

        Returns:
            REST: {"url": base URL, "token": bearer token or API key, or None}; SQL: {"database_url": ...};
            files: {"folder": inbox Path}.

        Raises:
            ValueError: for a source the simulator does not have.
            RuntimeError: for a REST source before `start()`, when no port is bound yet.
        """
        kind = registered()[source].kind if source in SOURCES else None
        if kind == "rest":
            return {"url": self.url(source), "token": self.secret(source)}
        if kind == "sql":
            return {"database_url": self.database_url(source)}
        if kind == "file":
            return {"folder": self.inbox(source)}
        raise ValueError(f"unknown simulated source {source!r}; known: {', '.join(SOURCES)}")

    def url(self, source: str) -> str:
        """Base URL of a REST system, e.g. http://127.0.0.1:PORT/pengaduan/api/v1.

        Raises:
            RuntimeError: before `start()`, when no port is bound yet.
        """
        self._check(source, "rest")
        if self._server is None:
            raise RuntimeError("SimulatedOPDs is not started; call start() first")
        return self._server.url(source)

    def database_path(self, source: str) -> Path:
        """The SQLite file of a SQL system: DATA_DIR/SOURCE.sqlite."""
        self._check(source, "sql")
        return self.data_dir / f"{source}.sqlite"

    def database_url(self, source: str) -> str:
        """SQLAlchemy URL of a SQL system, e.g. sqlite:////abs/path/kesehatan.sqlite."""
        return f"sqlite:///{self.database_path(source).resolve().as_posix()}"

    def inbox(self, source: str) -> Path:
        """Folder where a file system drops its files: DATA_DIR/SOURCE/inbox."""
        self._check(source, "file")
        return self.data_dir / source / "inbox"

    def export_state_path(self, source: str) -> Path:
        """Hashes of what a file system exported, kept beside (not inside) its inbox."""
        return self.inbox(source).parent / "export_state.json"

    @property
    def dukcapil_path(self) -> Path:
        """The civil-registration SQLite file."""
        return self.database_path("dukcapil")

    @property
    def dukcapil_url(self) -> str:
        """SQLAlchemy URL of the civil-registration database, e.g. sqlite:////abs/path/dukcapil.sqlite."""
        return self.database_url("dukcapil")

    @property
    def absensi_inbox(self) -> Path:
        """Folder where the attendance CSV exports are dropped."""
        return self.inbox("absensi")

    @property
    def absensi_state_path(self) -> Path:
        """Hashes of exported attendance days, kept outside the inbox."""
        return self.export_state_path("absensi")

    @property
    def perizinan_url(self) -> str:
        """Base URL of the licensing API, e.g. http://127.0.0.1:PORT/perizinan/api/v1.

        Raises:
            RuntimeError: before `start()`, when no port is bound yet.
        """
        return self.url("perizinan")

    # --- running --------------------------------------------------------------------------------------------

    def sync(self, now: dt.datetime | None = None) -> None:
        """Bring the SQLite databases and the file inboxes up to `now` (default: the clock). Safe to repeat.

        Args:
            now: the moment (aware).
        """
        moment = now or self.now()
        with self._sync_lock:
            counts = {name: system.sync(self.database_path(name), moment) for name, system in self._of("sql")}
            written = {
                name: len(system.sync(self.inbox(name), self.export_state_path(name), moment))
                for name, system in self._of("file")
            }
        log.debug("simulator sync at %s: %s, files written %s", moment.isoformat(), counts, written)

    def start(self) -> None:
        """Sync once, serve the REST systems, and keep syncing in a daemon thread. No-op when running."""
        with self._state_lock:
            if self._server is not None:
                return
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.sync()
            moment = self.now()
            for system in self._systems.values():
                system.prime(moment)  # generate now, not on the first request
            apis = [Api(name, system, self.secret(name)) for name, system in self._of("rest")]
            self._server = ApiServer(apis, self.faults, self.now, self.host, self.port)
            self._stopping.clear()
            self._sync_thread = threading.Thread(target=self._sync_loop, name="simulator-sync", daemon=True)
            self._sync_thread.start()

    def stop(self) -> None:
        """Stop the sync thread and the server; safe to call more than once."""
        with self._state_lock:
            self._stopping.set()
            if self._sync_thread is not None:
                self._sync_thread.join()
                self._sync_thread = None
            if self._server is not None:
                self._server.stop()
                self._server = None

    def _sync_loop(self) -> None:
        while not self._stopping.wait(self.sync_every_s):
            try:
                self.sync()
            except Exception:
                # Keep the demo alive through a passing failure (a locked database, a full disk); say so.
                log.exception("simulated OPD sync failed; retrying in %.0f s", self.sync_every_s)

    def __enter__(self) -> SimulatedOPDs:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
