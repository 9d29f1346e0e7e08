"""Queries made on request (series, lineage, the explorer) take turns in a few slots, so the wall and health always
get a core; a thread already in a slot does not take another, so work that nests never waits on itself.

Only a short line may wait for a turn: a request past it is turned away at once rather than hold one of the
server's few threads while it waits, so a crowd asking for heavy work cannot leave none for the wall and health.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Slots:
    """`running` holders at once and at most `waiting` more in line for a turn; anyone else is refused at once."""

    def __init__(self, running: int, waiting: int) -> None:
        self.running, self.waiting = running, waiting
        self._turn = threading.BoundedSemaphore(running)
        self._room = threading.BoundedSemaphore(running + waiting)
        self._count = threading.Lock()
        self.present = 0  # holders and those in line

    def _enter_room(self) -> bool:
        if not self._room.acquire(blocking=False):
            return False
        with self._count:
            self.present += 1
        return True

    def _leave_room(self) -> None:
        with self._count:
            self.present -= 1
        self._room.release()

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        """Take a turn, waiting for it (up to `timeout` seconds, as threading's semaphores take it) if there is room in line."""
        if not self._enter_room():
            return False
        if self._turn.acquire(blocking, timeout):
            return True
        self._leave_room()
        return False

    def release(self) -> None:
        self._turn.release()
        self._leave_room()

    def locked(self) -> bool:
        """Every turn is taken."""
        if self._turn.acquire(blocking=False):
            self._turn.release()
            return False
        return True

    def __enter__(self) -> Slots:
        if not self.acquire():
            raise RuntimeError("the line for a turn is full")
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


COMPUTING = Slots(running=2, waiting=6)
COMPUTE_WAIT_S = 10.0
_held = threading.local()


class Busy(RuntimeError):
    """Every slot stayed taken for COMPUTE_WAIT_S, or others were already waiting: ask again shortly."""


@contextmanager
def slot(wait_s: float = COMPUTE_WAIT_S) -> Iterator[None]:
    """Hold one of COMPUTING's slots for the block (or the one this thread holds already).

    Raises:
        Busy: no slot came free within `wait_s` seconds, or the line for one was full.
    """
    if getattr(_held, "depth", 0):
        _held.depth += 1
        try:
            yield
        finally:
            _held.depth -= 1
        return
    if not COMPUTING.acquire(timeout=wait_s):
        raise Busy("server sedang menghitung permintaan lain; coba lagi sebentar lagi")
    _held.depth = 1
    try:
        yield
    finally:
        _held.depth = 0
        COMPUTING.release()
