"""Queries made on request take turns in a few slots; a thread already in one does not wait on itself."""


import threading
import time

import pytest

from metrics.slots import COMPUTING, Busy, slot
from tests.slots_taken import every_slot_taken


def test_nested_work_does_not_take_a_second_slot():
    with slot(), slot(), slot():
        taken = 0
        while COMPUTING.acquire(blocking=False):
            taken += 1
        for _ in range(taken):
            COMPUTING.release()
    assert taken == 1  # of two: the nested blocks held only one


def test_a_request_waits_then_is_refused_while_every_slot_is_taken():
    assert COMPUTING.running == 2
    with every_slot_taken(), pytest.raises(Busy), slot(wait_s=0.05):
        pass


def test_only_one_request_waits_in_line_and_the_next_is_refused_at_once():
    refused: list[Busy] = []

    def wait_in_line() -> None:
        try:
            with slot(wait_s=3):
                pass
        except Busy as exc:
            refused.append(exc)

    with every_slot_taken():
        waiting = threading.Thread(target=wait_in_line)
        waiting.start()
        while COMPUTING.present < 3:
            time.sleep(0.005)
        started = time.monotonic()
        with pytest.raises(Busy), slot(wait_s=5):
            pass
        assert time.monotonic() - started < 1  # turned away without waiting: the line was full
    waiting.join()
    assert refused == [] and COMPUTING.present == 0  # the one in line had its turn once the slots came free
    with slot(wait_s=0.05):
        pass
