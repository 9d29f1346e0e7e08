"""Alerts when a source goes quiet: one message per change of a source's state to stale or failing, and back.

A thread of its own checks every source's freshness after each load and every `alerts.check_every` (a source
turns stale without any load), so that a slow or unreachable receiver never holds up a load or a page. What was
told is kept per source and channel in the warehouse (alert_state): a restart repeats nothing, and the first
check after a start tells only what changed since. A failed delivery is tried again at later checks, after a
doubling wait, `alerts.max_attempts` times at most; a source is told about at most once per `alerts.min_interval`
on a channel, so a flapping source cannot flood anyone.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from config.settings import AlertSettings
from config.sources import SourceConfig
from metrics.freshness import Freshness
from region.opd import opd_name
from runtime.alert_delivery import Change, Channel, channels, kind_of
from warehouse import Warehouse

log = logging.getLogger(__name__)
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_RETRY = dt.timedelta(minutes=30)
STOP_WAIT_S = 30  # a delivery under way has its own timeout; closing waits no longer than this for it


@dataclass(frozen=True)
class Told:
    """One row of alert_state."""

    state: str | None
    told_at: dt.datetime | None
    attempts: int
    next_attempt_at: dt.datetime | None


@dataclass(frozen=True)
class Delivery:
    """A message that got through."""

    channel: str
    change: Change


def retry_wait(attempts: int) -> dt.timedelta:
    """How long after its `attempts`-th failure a delivery waits: 30 s, doubling, at most 30 min."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


class AlertWatch:
    """Tells the configured channels about changes of sources' states.

    Args:
        freshness: every source's freshness now (metrics.service.MetricsService.freshness).
        now: the current UTC instant, naive, by the same clock as freshness.
        env: where the webhook URL and SMTP credentials are read from.
        channel_list: the channels, instead of those the settings set up (for a caller that makes its own).
    """

    def __init__(
        self,
        settings: AlertSettings,
        warehouse: Warehouse,
        sources: Mapping[str, SourceConfig],
        freshness: Callable[[], Mapping[str, Freshness]],
        now: Callable[[], dt.datetime],
        env: Mapping[str, str] = os.environ,
        channel_list: list[Channel] | None = None,
    ) -> None:
        self.settings = settings
        self.channels = channels(settings, env) if channel_list is None else channel_list
        self.server_name = settings.server_name or socket.gethostname()
        self.server_url = settings.dashboard_url  # the serving process sets its own address when none is configured
        self._warehouse = warehouse
        self._sources = sources
        self._freshness = freshness
        self._now = now
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._check_problem: str | None = None  # why the latest background check failed, logged once until one succeeds

    def poke(self) -> None:
        """Ask for a check soon (a load ended); returns at once."""
        self._wake.set()

    def start(self) -> None:
        """Start checking in the background; with no channel configured there is nothing to do."""
        if not self.channels or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="pantau-alerts", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop checking; waits for a delivery under way (each has a timeout)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=STOP_WAIT_S)

    def _run(self) -> None:
        every = self.settings.check_every.total_seconds()
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.check()
                self._check_problem = None
            except Exception as exc:  # a warehouse fault, say (health shows it): tried again at the next check
                problem = f"{type(exc).__name__}: {exc}"
                if problem != self._check_problem:
                    log.exception("checking sources for alerts failed; tried again every %ss", every)
                    self._check_problem = problem
            self._wake.wait(every)

    def check(self) -> list[Delivery]:
        """Compare each source's state with what each channel was told, and tell what changed; returns what got through."""
        if not self.channels:
            return []
        with self._lock:
            now = self._now()
            states = self._freshness()
            told = self._told()
            delivered = []
            for channel in self.channels:
                reachable = True
                for name, fresh in states.items():
                    if reachable:
                        outcome = self._check_one(channel, fresh, told.get((name, channel.name)), now)
                        if isinstance(outcome, Delivery):
                            delivered.append(outcome)
                        # A channel that just failed is not tried for the other sources until the next check.
                        reachable = outcome is not False
            return delivered

    def _check_one(self, channel: Channel, fresh: Freshness, told: Told | None, now: dt.datetime) -> Delivery | bool | None:
        """Tell `channel` about `fresh` when it changed: the Delivery, False when it failed, None when nothing was sent."""
        name, state = fresh.source, fresh.state
        if told is None and kind_of(state) == "ok":
            self._save(name, channel.name, state, None)  # the first sight: nothing happened to tell about
            return None
        if told is not None and kind_of(told.state) == kind_of(state):
            if told.state != state or told.attempts:  # late after fresh, or a change owed that turned back
                self._save(name, channel.name, state, told.told_at)
            return None
        if told is not None and told.told_at and now - told.told_at < self.settings.min_interval:
            return None  # told about this source lately: this change waits, and may turn back meanwhile
        if told is not None and told.next_attempt_at and now < told.next_attempt_at:
            return None
        change = self._change(fresh, told.state if told else None, now)
        try:
            channel.send(change)
        except Exception as exc:
            self._failed(channel, change, told, now, channel.masked(f"{type(exc).__name__}: {exc}"))
            return False
        log.info("alert sent over %s: %s", channel.name, change.subject())
        self._save(name, channel.name, state, now)
        return Delivery(channel.name, change)

    def _failed(self, channel: Channel, change: Change, told: Told | None, now: dt.datetime, error: str) -> None:
        attempts = (told.attempts if told else 0) + 1
        before, told_at = (told.state, told.told_at) if told else (None, None)
        limit = self.settings.max_attempts
        if attempts >= limit:  # dropped: the state counts as told, so it is not tried for ever
            log.error("alert about %s over %s dropped after %d attempts: %s", change.source, channel.name, attempts, error)
            self._save(change.source, channel.name, change.new_state, told_at, last_error=error)
            return
        wait = retry_wait(attempts)
        log.warning("alert about %s over %s failed (attempt %d of %d), tried again in %ds: %s",
                    change.source, channel.name, attempts, limit, wait.total_seconds(), error)
        self._save(change.source, channel.name, before, told_at, attempts, now + wait, error)

    def _change(self, fresh: Freshness, old_state: str | None, now: dt.datetime) -> Change:
        source = self._sources.get(fresh.source)
        code = source.opd if source else ""
        return Change(
            source=fresh.source, system=source.system if source else "", opd=code, opd_name=opd_name(code) if code else "-",
            old_state=old_state, new_state=fresh.state, last_error=fresh.last_error, last_success_at=fresh.last_success_at,
            observed_at=now, server_name=self.server_name, server_url=self.server_url,
        )

    def _told(self) -> dict[tuple[str, str], Told]:
        rows = self._warehouse.cursor().execute(
            "SELECT source, channel, state, told_at, attempts, next_attempt_at FROM alert_state"
        ).fetchall()
        return {(r[0], r[1]): Told(*r[2:]) for r in rows}

    def _save(self, source: str, channel: str, state: str | None, told_at: dt.datetime | None, attempts: int = 0,
              next_attempt_at: dt.datetime | None = None, last_error: str | None = None) -> None:
        # No reader of figures reads this table: their cached answers stay valid.
        with self._warehouse.transaction(changes_data=False) as tx:
            tx.execute(
                "INSERT OR REPLACE INTO alert_state (source, channel, state, told_at, attempts, next_attempt_at, last_error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [source, channel, state, told_at, attempts, next_attempt_at, last_error],
            )
