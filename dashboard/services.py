"""What the dashboard needs from the rest of Pantau, handed in when the app is made (nothing global)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import flask
from prometheus_client.registry import Collector

from config.settings import WallSettings
from metrics.service import MetricsService
from metrics.snapshot import Snapshot
from province.view import ProvinceRollup

if TYPE_CHECKING:
    from access.service import Access
    from dashboard.paparan.library import Paparan


class Controls(Protocol):
    """Operator actions and source status, provided by the serving process."""

    def run_now(self, sources: list[str], since: dt.date | None = None) -> list[dict]: ...

    def set_paused(self, sources: list[str], paused: bool) -> list[dict]: ...

    def source_status(self) -> list[dict]: ...

    def import_spbe(self, framework_id: str, year: int, levels: dict[int, int]) -> dict: ...

    def start_run(self, sources: list[str], since: dt.date | None = None) -> list[str]:
        """Start loads in the background; the names started (one already running is not started again)."""
        ...

    def run_history(self, source: str, limit: int = 30) -> list[dict]: ...

    def system(self) -> dict:
        """Warehouse size, free disk, memory, version, uptime, scheduler, recompute times and states."""
        ...

    def preview_upload(self, source: str, client_name: str, content: bytes, stream: str | None = None) -> dict: ...

    def upload(self, source: str, upload_id: str) -> dict: ...

    def commit_upload(self, source: str, upload_id: str) -> dict: ...

    def cancel_upload(self, source: str, upload_id: str) -> bool: ...

    def health(self) -> dict:
        """runtime.health: "status" ok or unavailable, "problems" in words, and what they rest on."""
        ...


class Snapshots(Protocol):
    """Presentation snapshots, kept by the serving process (see runtime.snapshots)."""

    def take(self, as_of: dt.datetime | None, title: str | None, created_by: str) -> Snapshot:
        """Raises: ValueError (an as-of moment to come), TooManySnapshots."""
        ...

    def listing(self) -> list[dict]: ...

    def get(self, snapshot_id: str) -> Snapshot:
        """Raises: UnknownSnapshot, SnapshotCorrupt."""
        ...

    def delete(self, snapshot_id: str, deleted_by: str) -> bool: ...


class WallSettingsSource(Protocol):
    """The wall's settings as they stand now (the configuration file may change while screens run)."""

    def current(self) -> WallSettings: ...

    def refresh_s(self) -> float: ...


@dataclass(frozen=True)
class FixedWallSettings:
    """Wall settings that never change: for tests and benchmarks."""

    settings: WallSettings = WallSettings()
    refresh_seconds: float = 30.0

    def current(self) -> WallSettings:
        return self.settings

    def refresh_s(self) -> float:
        return self.settings.refresh_every.total_seconds() if self.settings.refresh_every else self.refresh_seconds


@dataclass(frozen=True)
class DashboardServices:
    """Everything pages and the API use."""

    metrics: MetricsService
    controls: Controls
    operator_token: str
    region_name: str
    wall: WallSettingsSource = FixedWallSettings()
    embed_origins: tuple[str, ...] = ()  # origins allowed to show the pages in a frame (server.embed_origins)
    # The serving process's answer to an identity challenge (see runtime.server_info); None where nothing serves.
    identity: Callable[[str], dict] | None = None
    paparan: Paparan | None = None  # presentation decks and their files; None where no warehouse keeps snapshots
    # What /metrics adds to the server's own series (runtime.prometheus); None: only the server's and the process's.
    collector: Collector | None = None
    metrics_token: str | None = None  # the Bearer token /metrics requires; None: only loopback clients may scrape
    access: Access | None = None  # accounts, sessions and the audit trail; None: nobody can sign in (only the token)
    province: ProvinceRollup | None = None  # the rollup warehouse /provinsi reads (province.rollup_warehouse); None: none set


def services() -> DashboardServices:
    """The services of the app handling the current request."""
    return flask.current_app.config["PANTAU"]
