"""What every simulated system shares: a seed, a history window and the calendar tables."""

from __future__ import annotations

import datetime as dt
import threading

from simulator.days import DAY_S, SimCalendar, first_history_day, local_seconds


class SimulatedSystem:
    """Base of the simulated systems; a source's system class is registered in simulator/registry.py.

    Args:
        seed: simulator seed; the same seed and the same `now` give the same records.
        history_days: records start this many days before `now` (a monthly or yearly system starts with the
            month or year containing that day).
        calendar: shared calendar tables (a new one when None).
        history_start: pin the first day instead (used by a running simulator so that nothing vanishes).
    """

    def __init__(
        self,
        seed: int,
        history_days: int = 800,
        calendar: SimCalendar | None = None,
        history_start: dt.date | None = None,
    ) -> None:
        self.seed = seed
        self.history_days = history_days
        self.history_start = history_start
        self._calendar = calendar or SimCalendar()
        self._lock = threading.Lock()

    def first_day(self, today: int) -> int:
        """Day number of the first day of history, seen from day number `today`."""
        return first_history_day(today, self.history_days, self.history_start)

    def window(self, now: dt.datetime) -> tuple[int, int, int]:
        """(`now` in local seconds, the first day of history, today) as seen at `now` (aware)."""
        now_s = local_seconds(now)
        today = now_s // DAY_S
        return now_s, self.first_day(today), today

    def prime(self, now: dt.datetime) -> None:
        """Generate what a first read at `now` needs, so that it is not made while a client waits."""
