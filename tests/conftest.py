"""Shared fixtures: a real warehouse file, real simulated OPD systems on 127.0.0.1, a fixed clock."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import load_config
from ingest.calendar import refresh_calendar
from ingest.tables import ensure_tables
from region.calendar import WorkingCalendar
from simulator import SimulatedOPDs
from support.serverproc import ServerProcess
from tests.simulated import HISTORY, NOW
from warehouse import Warehouse
from warehouse.operations import saved_cursors

# Friday 27 Nov 2026, 10:00 WIB: a working morning, so the day's files and open applications exist.
FIXED_NOW = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)
ARTIFACTS = Path(__file__).parent / "artifacts"


class Clock:
    """A settable clock for the simulator (aware UTC)."""

    def __init__(self, now: dt.datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def sources():
    """The built-in sources as the embedded default configures them."""
    return load_config(env={}).sources


@pytest.fixture
def warehouse(tmp_path: Path, sources):
    wh = Warehouse(tmp_path / "pantau.duckdb")
    refresh_calendar(wh, WorkingCalendar())
    ensure_tables(wh, sources)
    yield wh
    wh.close()


@pytest.fixture
def simulator(tmp_path: Path, clock: Clock):
    sim = SimulatedOPDs(tmp_path / "sim", seed=2019, history_days=60, sync_every_s=3600, now=clock)
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def server_factory(tmp_path: Path):
    """Make servers; each is stopped at the end of the test."""
    made: list[ServerProcess] = []

    def make(**settings: str) -> ServerProcess:
        server = ServerProcess(tmp_path / f"server{len(made)}", **settings)
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


@pytest.fixture
def load(warehouse, sources):
    """Run one load of a built-in source, with some of its settings overridden."""

    from ingest.run import run_source

    def run(name: str, connection, since: dt.date | None = None, **overrides):
        return run_source(warehouse, name, sources[name].model_copy(update=overrides), connection, since=since)

    return run


def count(warehouse, table: str) -> int:
    return warehouse.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def saved_cursor(warehouse, source: str, stream: str):
    return saved_cursors(warehouse.cursor(), source).get(stream)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatedOPDs]:
    """One simulator at a fixed moment, shared by a module's tests that only read from it (or set faults through `faulty`)."""
    with SimulatedOPDs(tmp_path_factory.mktemp("sim"), history_days=HISTORY, now=lambda: NOW) as sims:
        yield sims


@pytest.fixture
def faulty(running: SimulatedOPDs) -> Iterator[SimulatedOPDs]:
    """The shared simulator for a test that sets faults; they are healed afterwards."""
    yield running
    running.faults.clear()


CHROMIUM = shutil.which("chromium")
# Flags from the machine facts: without the background-networking ones Chromium calls Google's hosts at start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, launched once per module."""
    if CHROMIUM is None:
        pytest.fail("Debian chromium is not installed; `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
