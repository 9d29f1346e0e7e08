"""What every simulated system shares: a seed, a history window and the calendar tables."""

from __future__ import annotations

import datetime as dt
import threading

from simulator.days import SimCalendar, first_history_day


class SimulatedSystem:
    """Base of the simulated systems.

    Args:
        seed: simulator seed.
        history_days: records start this many days before `now`.
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
