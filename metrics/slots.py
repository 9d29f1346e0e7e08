"""Queries made on request (series, lineage, the explorer) take turns in a few slots, so the wall and health always
get a core; a thread already in a slot does not take another, so work that nests never waits on itself."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

COMPUTING = threading.BoundedSemaphore(2)
COMPUTE_WAIT_S = 10.0
_held = threading.local()


class Busy(RuntimeError):
    """Every slot stayed taken for COMPUTE_WAIT_S: the server is answering others; ask again shortly."""


@contextmanager
def slot(wait_s: float = COMPUTE_WAIT_S) -> Iterator[None]:
    """Hold one of COMPUTING's slots for the block (or the one this thread holds already).

    Raises:
        Busy: no slot came free within `wait_s` seconds.
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
