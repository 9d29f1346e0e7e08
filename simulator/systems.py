"""The simulated OPD systems run together: one seed, one clock, one data folder, one background sync."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from region.calendar import WorkingCalendar
from simulator.absensi import Absensi
from simulator.damkar import Damkar
from simulator.days import DAY_S, SimCalendar, day_date, local_seconds
from simulator.dukcapil import Dukcapil
from simulator.kesehatan import Kesehatan
from simulator.lingkungan import Lingkungan
from simulator.masterplan import Masterplan
from simulator.pariwisata import Pariwisata
from simulator.pengaduan import Pengaduan
from simulator.perizinan import Perizinan
from simulator.server import API_PREFIX, REST_SOURCES, Api, ApiServer, Faults
from simulator.spbe import Spbe
from simulator.tte import Tte

__all__ = ["FILE_SOURCES", "REST_SOURCES", "SOURCES", "SQL_SOURCES", "Faults", "SimulatedOPDs"]

log = logging.getLogger(__name__)

SQL_SOURCES = ("dukcapil", "kesehatan")
FILE_SOURCES = ("absensi", "lingkungan", "pariwisata", "masterplan", "spbe")
SOURCES = (
    "perizinan", "dukcapil", "absensi", "pengaduan", "tte", "masterplan", "kesehatan", "lingkungan", "pariwisata",
    "damkar", "spbe",
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SimulatedOPDs:
    """Eleven fake OPD systems for the embedded demo, deterministic from a seed and a clock.

    - REST/JSON on one loopback port: perizinan (DPMPTSP licensing), pengaduan (SP4N-LAPOR!, bearer token,
      next links), tte (electronic signature, X-API-Key), damkar (fire and rescue dispatch);
    - SQLite files: dukcapil (civil registration), kesehatan (Puskesmas visits and immunisation);
    - file drops, each in its own inbox: absensi (daily CSV), lingkungan (daily Windows CSV), pariwisata
      (monthly XLSX), masterplan (one XLSX, rewritten), spbe (yearly CSV).

    `connection(source)` gives what a connector needs to read each one.

    Args:
        data_dir: folder for the databases, the inboxes and the export state.
        seed: the same seed and the same `now` give the same data.
        history_days: records start this many days before `now`.
        host: address the HTTP server binds.
        port: port the HTTP server binds; 0 picks a free one.
        sync_every_s: how often the background thread brings the databases and the inboxes up to the clock.
        now: the clock, returning aware datetimes; the real time when None.
        calendar: working-day calendar (the national one when None).
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
        args = (seed, history_days, SimCalendar(calendar), self.history_start)
        self._perizinan = Perizinan(*args)
        self._pengaduan = Pengaduan(*args)
        self._tte = Tte(*args)
        self._damkar = Damkar(*args)
        self._dukcapil = Dukcapil(*args)
        self._kesehatan = Kesehatan(*args)
        self._absensi = Absensi(*args)
        self._lingkungan = Lingkungan(*args)
        self._pariwisata = Pariwisata(*args)
        self._masterplan = Masterplan(*args)
        self._spbe = Spbe(*args)
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

    def secret(self, source: str) -> str | None:
        """The bearer token (pengaduan) or API key (tte) a REST system accepts; None when it needs none.

        Derived from the seed, so a connector configured once keeps working across restarts; it is a demo
        secret for a loopback server, not a credential.
        """
        if source not in ("pengaduan", "tte"):
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
        if source in REST_SOURCES:
            return {"url": self.url(source), "token": self.secret(source)}
        if source in SQL_SOURCES:
            return {"database_url": self.database_url(source)}
        if source in FILE_SOURCES:
            return {"folder": self.inbox(source)}
        raise ValueError(f"unknown simulated source {source!r}; known: {', '.join(SOURCES)}")

    def url(self, source: str) -> str:
        """Base URL of a REST system, e.g. http://127.0.0.1:PORT/pengaduan/api/v1.

        Raises:
            RuntimeError: before `start()`, when no port is bound yet.
        """
        if source not in REST_SOURCES:
            raise ValueError(f"{source!r} is not a simulated REST source; those are {', '.join(REST_SOURCES)}")
        if self._server is None:
            raise RuntimeError("SimulatedOPDs is not started; call start() first")
        return self._server.url(source)

    def database_path(self, source: str) -> Path:
        """The SQLite file of a SQL system (dukcapil.sqlite, kesehatan.sqlite)."""
        if source not in SQL_SOURCES:
            raise ValueError(f"{source!r} is not a simulated SQL source; those are {', '.join(SQL_SOURCES)}")
        return self.data_dir / f"{source}.sqlite"

    def database_url(self, source: str) -> str:
        """SQLAlchemy URL of a SQL system, e.g. sqlite:////abs/path/kesehatan.sqlite."""
        return f"sqlite:///{self.database_path(source).resolve().as_posix()}"

    def inbox(self, source: str) -> Path:
        """Folder where a file system drops its files: DATA_DIR/SOURCE/inbox."""
        if source not in FILE_SOURCES:
            raise ValueError(f"{source!r} is not a simulated file source; those are {', '.join(FILE_SOURCES)}")
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
            counts = {
                "dukcapil": self._dukcapil.sync(self.database_path("dukcapil"), moment),
                "kesehatan": self._kesehatan.sync(self.database_path("kesehatan"), moment),
            }
            written = {
                name: len(system.sync(self.inbox(name), self.export_state_path(name), moment))
                for name, system in (
                    ("absensi", self._absensi),
                    ("lingkungan", self._lingkungan),
                    ("pariwisata", self._pariwisata),
                    ("masterplan", self._masterplan),
                    ("spbe", self._spbe),
                )
            }
        log.debug("simulator sync at %s: %s, files written %s", moment.isoformat(), counts, written)

    def _apis(self) -> list[Api]:
        return [
            Api("perizinan", API_PREFIX, "permohonan", self._perizinan, server_name="SiCantik-Sim/1.0"),
            Api(
                "pengaduan", "/pengaduan/api/v1", "laporan", self._pengaduan, paging="next_link", auth="bearer",
                secret=self.secret("pengaduan"), server_name="LAPOR-Sim/1.0",
            ),
            Api(
                "tte", "/tte/api/v1", "dokumen", self._tte, auth="api_key", secret=self.secret("tte"),
                server_name="TTE-Sim/1.0",
            ),
            Api("damkar", "/damkar/api/v1", "kejadian", self._damkar, server_name="Damkar-Sim/1.0"),
        ]

    def start(self) -> None:
        """Sync once, serve the REST systems, and keep syncing in a daemon thread. No-op when running."""
        with self._state_lock:
            if self._server is not None:
                return
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.sync()
            moment = self.now()
            for system in (self._perizinan, self._pengaduan, self._tte, self._damkar):
                system.query(moment, per_page=1)  # generate now, not on the first request
            self._server = ApiServer(self._apis(), self.faults, self.now, self.host, self.port)
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
