"""Sign-in attempts per client address, in memory: one address cannot try many names."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, deque
from collections.abc import Callable

from access.audit import utcnow


class AddressThrottle:
    """At most `attempts` failed sign-ins per address within `window`; the oldest addresses are forgotten beyond
    `max_addresses`, so a flood of addresses cannot fill memory.
    """

    def __init__(self, attempts: int = 20, window: dt.timedelta = dt.timedelta(minutes=15), max_addresses: int = 10_000,
                 clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.attempts = attempts
        self.window = window
        self._max = max_addresses
        self._clock = clock
        self._failures: OrderedDict[str, deque[dt.datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, address: str, now: dt.datetime) -> deque[dt.datetime]:
        times = self._failures.get(address, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def wait(self, address: str) -> dt.timedelta | None:
        """How long `address` must wait before trying again; None when it may try now."""
        now = self._clock()
        with self._lock:
            times = self._recent(address, now)
            if len(times) < self.attempts:
                return None
            return times[0] + self.window - now

    def failed(self, address: str) -> None:
        now = self._clock()
        with self._lock:
            times = self._recent(address, now)
            times.append(now)
            self._failures[address] = times
            self._failures.move_to_end(address)
            while len(self._failures) > self._max:
                self._failures.popitem(last=False)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)
