"""The wall's settings as the configuration file says now, so screens follow an edit without anyone touching them."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from config import ConfigError
from config.durations import parse_duration
from config.settings import Config, WallSettings
from runtime.configuration import load_checked

log = logging.getLogger(__name__)
CHECK_EVERY_S = 2.0
REFRESH_BOUNDS_S = (15.0, 120.0)


def auto_refresh_s(config: Config) -> float:
    """Half the shortest interval schedule of the enabled sources, within 15 s to 2 min (cron schedules count as 5 min).

    Asking more often than a source can change only costs the server; asking much less leaves a fresh load unseen.
    """
    intervals = []
    for source in config.enabled_sources.values():
        try:
            intervals.append(parse_duration(source.schedule).total_seconds())
        except ValueError:
            intervals.append(300.0)
    low, high = REFRESH_BOUNDS_S
    return min(max(min(intervals, default=high * 2) / 2, low), high)


class LiveWallSettings:
    """[wall] re-read from the configuration file when it changes; a broken edit is logged and the last good kept.

    Args:
        path: the configuration file, or None for the embedded default (then nothing changes).
        config: the configuration the server started with.
    """

    def __init__(self, path: Path | None, config: Config) -> None:
        self._path = path
        self._settings = config.wall
        self._auto_refresh_s = auto_refresh_s(config)
        self._mtime = path.stat().st_mtime_ns if path and path.exists() else None
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def current(self) -> WallSettings:
        if self._path is None or time.monotonic() - self._checked < CHECK_EVERY_S:
            return self._settings
        with self._lock:
            self._checked = time.monotonic()
            try:
                mtime = self._path.stat().st_mtime_ns
            except OSError:
                return self._settings
            if mtime != self._mtime:
                self._mtime = mtime
                try:
                    self._settings = load_checked(self._path).wall
                    log.info("wall settings re-read from %s", self._path)
                except ConfigError as exc:
                    log.warning("wall settings in %s not applied, keeping the previous ones: %s", self._path, exc)
        return self._settings

    def refresh_s(self) -> float:
        """Seconds between wall refreshes: the configured value, or the one the sources' schedules suggest."""
        every = self.current().refresh_every
        return every.total_seconds() if every else self._auto_refresh_s
