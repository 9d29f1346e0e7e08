"""The simulated OPD systems run together: one seed, one clock, one data folder, one background sync."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from region.calendar import WorkingCalendar
from simulator.absensi import Absensi
from simulator.days import DAY_S, SimCalendar, day_date, local_seconds
from simulator.dukcapil import Dukcapil
from simulator.perizinan import Perizinan
from simulator.server import Faults, PerizinanServer

__all__ = ["Faults", "SimulatedOPDs"]

log = logging.getLogger(__name__)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SimulatedOPDs:
    """Three fake OPD systems for the embedded demo, deterministic from a seed and a clock.

    - perizinan (DPMPTSP licensing): REST/JSON on `perizinan_url`;
    - dukcapil (civil registration): a SQLite database at `dukcapil_url`;
    - absensi (BKPSDM e-attendance): daily CSV files in `absensi_inbox`.

    Args:
        data_dir: folder for the database, the inbox and the export state.
        seed: the same seed and the same `now` give the same data.
        history_days: records start this many days before `now`.
        host: address the HTTP server binds.
        port: port the HTTP server binds; 0 picks a free one.
        sync_every_s: how often the background thread brings the database and the inbox up to the clock.
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
        shared = SimCalendar(calendar)
        self._perizinan = Perizinan(seed, history_days, shared, self.history_start)
        self._dukcapil = Dukcapil(seed, history_days, shared, self.history_start)
        self._absensi = Absensi(seed, history_days, shared, self.history_start)
        self._server: PerizinanServer | None = None
        self._sync_thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._sync_lock = threading.Lock()
        self._state_lock = threading.Lock()

    def now(self) -> dt.datetime:
        """The simulator's clock (aware)."""
        moment = self._clock()
        local_seconds(moment)  # rejects a naive clock early, with a clear message
        return moment

    @property
    def dukcapil_path(self) -> Path:
        """The civil-registration SQLite file."""
        return self.data_dir / "dukcapil.sqlite"

    @property
    def dukcapil_url(self) -> str:
        """SQLAlchemy URL of the civil-registration database, e.g. sqlite:////abs/path/dukcapil.sqlite."""
        return f"sqlite:///{self.dukcapil_path.resolve().as_posix()}"

    @property
    def absensi_inbox(self) -> Path:
        """Folder where the attendance CSV exports are dropped."""
        return self.data_dir / "absensi" / "inbox"

    @property
    def absensi_state_path(self) -> Path:
        """Hashes of exported attendance days, kept outside the inbox."""
        return self.data_dir / "absensi" / "export_state.json"

    @property
    def perizinan_url(self) -> str:
        """Base URL of the licensing API, e.g. http://127.0.0.1:PORT/perizinan/api/v1.

        Raises:
            RuntimeError: before `start()`, when no port is bound yet.
        """
        if self._server is None:
            raise RuntimeError("SimulatedOPDs is not started; call start() first")
        return self._server.url

    def sync(self, now: dt.datetime | None = None) -> None:
        """Bring the SQLite database and the CSV inbox up to `now` (default: the clock). Safe to repeat.

        Args:
            now: the moment (aware).
        """
        moment = now or self.now()
        with self._sync_lock:
            counts = self._dukcapil.sync(self.dukcapil_path, moment)
            written = self._absensi.sync(self.absensi_inbox, self.absensi_state_path, moment)
        log.debug("simulator sync at %s: dukcapil %s, %d absensi files", moment.isoformat(), counts, len(written))

    def start(self) -> None:
        """Sync once, serve the licensing API, and keep syncing in a daemon thread. No-op when running."""
        with self._state_lock:
            if self._server is not None:
                return
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.sync()
            self._perizinan.query(self.now(), per_page=1)  # generate now, not on the first request
            self._server = PerizinanServer(self._perizinan, self.faults, self.now, self.host, self.port)
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
