"""Human durations in configuration: "30s", "5m", "2h", "1d"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, PlainSerializer

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")


def parse_duration(value: object) -> dt.timedelta:
    """Parse "90s", "5m", "2h" or "1d" (or a timedelta) into a timedelta.

    Raises:
        ValueError: when the text is not a positive number followed by s, m, h or d.
    """
    if isinstance(value, dt.timedelta):
        return value
    match = _PATTERN.match(str(value))
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"'{value}' is not a duration; write e.g. 30s, 5m, 2h or 1d")
    try:
        return dt.timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
    except OverflowError:
        raise ValueError(f"'{value}' is longer than any duration Pantau can use") from None


def format_duration(value: dt.timedelta) -> str:
    """The shortest exact form: 1d, 2h, 5m or 30s."""
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


Duration = Annotated[dt.timedelta, BeforeValidator(parse_duration), PlainSerializer(format_duration)]


def at_least(minimum: dt.timedelta) -> AfterValidator:
    """A check that a duration is not shorter than `minimum`: `Annotated[Duration, at_least(...)]`."""

    def check(value: dt.timedelta) -> dt.timedelta:
        if value < minimum:
            raise ValueError(f"{value.total_seconds():g}s is too short; the least is {format_duration(minimum)}")
        return value

    return AfterValidator(check)
