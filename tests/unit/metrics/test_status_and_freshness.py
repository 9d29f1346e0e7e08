"""Status colours follow direction; freshness follows the source's policy and last run."""

import datetime as dt

import pytest

from metrics.freshness import Policy, classify, worst
from metrics.status import status_of

NOW = dt.datetime(2026, 11, 29, 3, 0)
POLICY = Policy(fresh_within=dt.timedelta(minutes=15), stale_after=dt.timedelta(hours=2))


@pytest.mark.parametrize(
    "value, direction, expected",
    [(96, "higher", "green"), (95, "higher", "green"), (90, "higher", "amber"), (80, "higher", "red"),
     (1, "lower", "green"), (3, "lower", "amber"), (9, "lower", "red"), (None, "higher", "no_data")],
)
def test_status_of(value, direction, expected):
    green, amber = (95, 85) if direction == "higher" else (2, 5)
    assert status_of(value, green, amber, direction) == expected


@pytest.mark.parametrize(
    "age_minutes, last_status, expected",
    [(5, "ok", "fresh"), (15, "ok", "fresh"), (16, "ok", "late"), (120, "ok", "late"), (121, "ok", "stale"), (5, "failed", "failing"), (None, None, "never")],
)
def test_classify(age_minutes, last_status, expected):
    last = None if age_minutes is None else NOW - dt.timedelta(minutes=age_minutes)
    assert classify(last, last_status, POLICY, NOW) == expected


def test_worst_state_wins():
    assert worst(["fresh", "late"]) == "late"
    assert worst(["stale", "failing", "fresh"]) == "failing"
