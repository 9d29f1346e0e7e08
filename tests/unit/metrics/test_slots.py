"""Queries made on request take turns in a few slots; a thread already in one does not wait on itself."""

import threading

import pytest

from metrics.slots import COMPUTING, Busy, slot


def test_nested_work_does_not_take_a_second_slot():
    with slot(), slot(), slot():
        taken = 0
        while COMPUTING.acquire(blocking=False):
            taken += 1
        for _ in range(taken):
            COMPUTING.release()
    assert taken == 1  # of two: the nested blocks held only one


def test_a_request_waits_then_is_refused_while_every_slot_is_taken():
    inside, leave = threading.Event(), threading.Event()

    def hold():
        with slot():
            inside.set()
            leave.wait(5)

    holders = [threading.Thread(target=hold) for _ in range(2)]
    for t in holders:
        inside.clear()
        t.start()
        assert inside.wait(5)
    try:
        with pytest.raises(Busy), slot(wait_s=0.05):
            pass
    finally:
        leave.set()
        for t in holders:
            t.join()
    with slot(wait_s=0.05):
        pass
