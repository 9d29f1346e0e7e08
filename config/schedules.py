"""Source schedules: an interval ("5m") or a five-field cron line read in WIB, checked when the configuration loads.

The configuration owns the parsing, so a schedule that cannot run stops the start with its key named, and the
scheduler builds its triggers from what was checked here instead of finding out once the server is up.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator

from config.durations import parse_duration

# Shorter than this a source is read again before the last load and its recompute are done (about a second each on
# the embedded default), the run log gains thousands of rows a day per source, and the OPD system is polled faster
# than anything it serves changes; the wall itself refreshes at most every 15 s.
MIN_INTERVAL = dt.timedelta(seconds=10)
ACCEPTED = (
    "write an interval of at least 10s (30s, 5m, 2h, 1d) or a five-field cron line read in WIB "
    "(minute hour day-of-month month day-of-week, e.g. '*/5 7-17 * * mon-fri'; fields take *, N, N-M, */S, N-M/S "
    "and lists of them; months jan-dec, weekdays sun-sat with 0 or 7 for Sunday)"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab's numbering: 0 (and 7) is Sunday
_ITEM = re.compile(r"^(?:(\*)|([0-9a-z]+)(?:-([0-9a-z]+))?)(?:/(\d+))?$")


@dataclass(frozen=True)
class Interval:
    """Every `every`, the first run at start."""

    every: dt.timedelta


@dataclass(frozen=True)
class Cron:
    """The moments a cron line names, each field expanded to its values; None where the field is '*'."""

    minutes: frozenset[int] | None
    hours: frozenset[int] | None
    days: frozenset[int] | None
    months: frozenset[int] | None
    weekdays: frozenset[int] | None  # 0 is Sunday, as in crontab


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()  # names for low, low + 1, ...


_FIELDS = (
    _Field("minute", 0, 59),
    _Field("hour", 0, 23),
    _Field("day of month", 1, 31),
    _Field("month", 1, 12, _MONTHS),
    _Field("day of week", 0, 7, WEEKDAYS),
)


def _value(text: str, field: _Field) -> int:
    if text.isdigit():
        number = int(text)
    elif text in field.names:
        number = field.low + field.names.index(text)
    else:
        raise ValueError(f"{field.name} '{text}' is not a number{' or a name' if field.names else ''}")
    if not field.low <= number <= field.high:
        raise ValueError(f"{field.name} {number} is outside {field.low}-{field.high}")
    return number


def _expand(text: str, field: _Field) -> frozenset[int] | None:
    """The values one cron field names; None for '*' (every value)."""
    if text == "*":
        return None
    values: set[int] = set()
    for item in text.split(","):
        match = _ITEM.match(item)
        if not match:
            raise ValueError(f"{field.name} '{item}' is not *, N, N-M or a step of them")
        star, first, last, step = match.groups()
        if star:
            low, high = field.low, field.high
        else:
            low = _value(first, field)
            high = _value(last, field) if last else low
            if high < low:
                raise ValueError(f"{field.name} range '{item}' runs backwards")
            if step and not last:
                raise ValueError(f"{field.name} '{item}': a step goes on * or on a range (N-M/S)")
        stride = int(step) if step else 1
        if stride < 1:
            raise ValueError(f"{field.name} '{item}': the step must be at least 1")
        values.update(range(low, high + 1, stride))
    return frozenset(values)


def _cron(text: str) -> Cron:
    minutes, hours, days, months, weekdays = (_expand(part, f) for part, f in zip(text.lower().split(), _FIELDS, strict=True))
    if weekdays is not None:
        weekdays = frozenset(d % 7 for d in weekdays)  # 7 is Sunday too
    if days is not None and weekdays is not None:
        # crontab runs such a line on either day, some schedulers (APScheduler 3 among them) only on both.
        raise ValueError("give a day of month or a day of week, not both (leave the other '*')")
    if days is not None and not any(min(days) <= calendar.monthrange(2024, m)[1] for m in (months or range(1, 13))):
        raise ValueError("the days of month named never occur in the months named, so it would never run")
    return Cron(minutes, hours, days, months, weekdays)


def parse_schedule(text: str) -> Interval | Cron:
    """The schedule a source's `schedule` text names.

    Raises:
        ValueError: naming what is wrong and the forms accepted.
    """
    text = str(text).strip()
    fields = len(text.split())
    if fields == 5:
        try:
            return _cron(text)
        except ValueError as exc:
            raise ValueError(f"'{text}' is not a cron line that can run: {exc}; {ACCEPTED}") from None
    neither = ValueError(f"'{text}' is neither an interval nor a five-field cron line; {ACCEPTED}")
    if fields != 1:
        raise neither
    try:
        every = parse_duration(text)
    except ValueError:
        raise neither from None
    if every < MIN_INTERVAL:
        raise ValueError(f"'{text}' is shorter than the shortest schedule, {MIN_INTERVAL.seconds}s; {ACCEPTED}")
    return Interval(every)


def _checked(text: str) -> str:
    parse_schedule(text)
    return text.strip()


Schedule = Annotated[str, AfterValidator(_checked)]
