"""Every query slot held by other threads for a block, as many requests computing at once would hold them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from metrics.slots import COMPUTING, slot


@contextmanager
def every_slot_taken() -> Iterator[None]:
    inside, leave = threading.Event(), threading.Event()

    def hold() -> None:
        with slot():
            inside.set()
            leave.wait(10)

    holders = [threading.Thread(target=hold) for _ in range(COMPUTING.running)]
    for t in holders:
        inside.clear()
        t.start()
        assert inside.wait(5), "a slot was not free to take"
    try:
        yield
    finally:
        leave.set()
        for t in holders:
            t.join()
