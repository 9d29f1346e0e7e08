"""Shared fixtures: a real warehouse file, real simulated OPD systems on 127.0.0.1, a fixed clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.calendar import refresh_calendar
from region.calendar import WorkingCalendar
from tests.serverproc import ServerProcess
from warehouse import Warehouse

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


@pytest.fixture
def warehouse(tmp_path: Path):
    wh = Warehouse(tmp_path / "pantau.duckdb")
    refresh_calendar(wh, WorkingCalendar())
    yield wh
    wh.close()


@pytest.fixture
def simulator(tmp_path: Path, clock: Clock):
    from simulator.systems import SimulatedOPDs

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
