"""Source schedules: refused at start with the key named when they cannot run, and run as crontab reads them."""

import datetime as dt

import pytest

from config import ConfigError, load_config
from ingest.scheduler import trigger_for
from region.calendar import WIB


@pytest.mark.parametrize(
    ("schedule", "problem"),
    [
        ("every day", "is neither an interval nor a five-field cron line"),
        ("5", "is neither an interval nor a five-field cron line"),
        ("0s", "is neither an interval nor a five-field cron line"),
        ("-5m", "is neither an interval nor a five-field cron line"),
        ("5s", "is shorter than the shortest schedule, 10s"),
        ("0.5s", "is shorter than the shortest schedule, 10s"),
        ("61 * * * *", "minute 61 is outside 0-59"),
        ("* 24 * * *", "hour 24 is outside 0-23"),
        ("0 8 * * 8", "day of week 8 is outside 0-7"),
        ("0 8 * * rabu", "day of week 'rabu' is not a number or a name"),
        ("*/0 * * * *", "the step must be at least 1"),
        ("0 17-7 * * *", "range '17-7' runs backwards"),
        ("0 8 1 * mon", "give a day of month or a day of week, not both"),
        ("0 0 30 feb *", "never occur in the months named"),
        ("0 8 * *", "is neither an interval nor a five-field cron line"),
    ],
)
def test_a_schedule_that_cannot_run_stops_the_start_naming_the_key(schedule, problem):
    with pytest.raises(ConfigError) as raised:
        load_config(None, env={"PANTAU_SOURCES__PERIZINAN__SCHEDULE": schedule})
    message = str(raised.value)
    assert message.startswith("environment variable PANTAU_SOURCES__PERIZINAN__SCHEDULE: key sources.perizinan.schedule: ")
    assert problem in message
    assert "write an interval of at least 10s" in message and "five-field cron line read in WIB" in message  # what is accepted


@pytest.mark.parametrize("schedule", ["10s", "30s", "5m", "1.5h", "1d", "* * * * *", "*/5 7-17 * * mon-fri", "0 8 * * 0", "0 6,18 1 jan,jul *", "15 */2 * * 1-5"])
def test_intervals_and_cron_lines_load(schedule):
    assert load_config(None, env={"PANTAU_SOURCES__PERIZINAN__SCHEDULE": schedule}).sources["perizinan"].schedule == schedule


def test_every_built_in_contract_schedule_is_valid():
    from config.schedules import Cron, Interval, parse_schedule

    assert all(isinstance(parse_schedule(s.schedule), Interval | Cron) for s in load_config(None, env={}).sources.values())


def _fires(schedule: str, after: dt.datetime, n: int = 3) -> list[dt.datetime]:
    trigger, moments, previous = trigger_for(schedule), [], None
    for _ in range(n):
        previous = trigger.get_next_fire_time(previous, previous + dt.timedelta(seconds=1) if previous else after)
        moments.append(previous)
    return moments


MONDAY = dt.datetime(2026, 11, 30, 0, 0, tzinfo=WIB)


def test_weekdays_count_from_sunday_as_in_crontab():
    # APScheduler 3 numbers weekdays from Monday; a line written for crontab must still run on the days it names.
    assert [d.strftime("%a %H:%M") for d in _fires("0 8 * * 0", MONDAY, 2)] == ["Sun 08:00", "Sun 08:00"]
    assert [d.strftime("%a") for d in _fires("0 7 * * 1-5", MONDAY, 6)] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Mon"]
    assert [d.strftime("%a") for d in _fires("0 7 * * 7", MONDAY, 1)] == ["Sun"]
    assert [d.strftime("%a") for d in _fires("0 7 * * 5-7", MONDAY, 3)] == ["Fri", "Sat", "Sun"]
    assert [d.strftime("%a") for d in _fires("0 7 * * sat,sun", MONDAY, 2)] == ["Sat", "Sun"]


def test_cron_lines_are_read_in_wib_and_intervals_keep_their_length():
    assert [d.strftime("%H:%M") for d in _fires("*/20 7-8 * * *", MONDAY, 4)] == ["07:00", "07:20", "07:40", "08:00"]
    assert all(d.utcoffset() == dt.timedelta(hours=7) for d in _fires("*/20 7-8 * * *", MONDAY))
    first, second, _ = _fires("90s", MONDAY)
    assert second - first == dt.timedelta(seconds=90)
