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


def test_a_short_line_waits_and_the_next_is_refused_at_once():
    refused: list[Busy] = []

    def wait_in_line() -> None:
        try:
            with slot(wait_s=3):
                pass
        except Busy as exc:
            refused.append(exc)

    with every_slot_taken():
        line = [threading.Thread(target=wait_in_line) for _ in range(COMPUTING.waiting)]
        for waiting in line:
            waiting.start()
        while COMPUTING.present < COMPUTING.running + COMPUTING.waiting:
            time.sleep(0.005)
        started = time.monotonic()
        with pytest.raises(Busy), slot(wait_s=5):
            pass
        assert time.monotonic() - started < 1  # turned away without waiting: the line was full
    for waiting in line:
        waiting.join()
    assert refused == [] and COMPUTING.present == 0  # those in line had their turns once the slots came free


def test_work_on_request_leaves_server_threads_for_the_wall_and_health():
    from config.settings import ServerSettings
    from dashboard.paparan import pdf

    fewest = ServerSettings.model_fields["threads"].metadata[0].ge
    held = COMPUTING.running + COMPUTING.waiting + pdf._ONE_AT_A_TIME.running + pdf._ONE_AT_A_TIME.waiting
    assert fewest - held >= 2
