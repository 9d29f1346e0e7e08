"""Queries made on request take turns in a few slots; a thread already in one does not wait on itself."""


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
    assert COMPUTING._initial_value == 2
    with every_slot_taken(), pytest.raises(Busy), slot(wait_s=0.05):
        pass
    with slot(wait_s=0.05):
        pass
