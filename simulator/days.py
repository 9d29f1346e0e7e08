"""Working-day facts as numpy arrays, so the generators do calendar arithmetic on many records at once."""

from __future__ import annotations

import datetime as dt
import math
import threading

import numpy as np

from region.calendar import WIB, WorkingCalendar

# All simulator times are "local seconds": seconds since 1970-01-01 00:00 on the WIB wall clock. WIB has no
# daylight saving, so local seconds // 86400 is the local day number and % 86400 the time of day.
DAY_S = 86_400
WIB_OFFSET_S = 7 * 3600
_EPOCH = dt.date(1970, 1, 1)
_EPOCH_WIB = dt.datetime(1970, 1, 1, tzinfo=WIB)
_EPOCH_NAIVE = dt.datetime(1970, 1, 1)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01."""
    return (day - _EPOCH).days


def day_date(number: int) -> dt.date:
    """The date of a day number."""
    return _EPOCH + dt.timedelta(days=int(number))


def local_seconds(moment: dt.datetime) -> int:
    """Local (WIB wall-clock) seconds of an aware datetime, truncated to the second.

    Raises:
        ValueError: when `moment` is naive, because its instant would be a guess.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {moment.isoformat()}")
    return math.floor(moment.timestamp()) + WIB_OFFSET_S


def wib_datetime(local_s: int) -> dt.datetime:
    """An aware WIB datetime for local seconds."""
    return _EPOCH_WIB + dt.timedelta(seconds=int(local_s))


def iso_wib(local_s: int) -> str:
    """ISO 8601 with the +07:00 offset, e.g. '2025-01-03T08:15:23+07:00'."""
    return wib_datetime(local_s).isoformat()


def local_text(local_s: int) -> str:
    """Naive local text as registration databases store it: 'YYYY-MM-DD HH:MM:SS'."""
    return (_EPOCH_NAIVE + dt.timedelta(seconds=int(local_s))).isoformat(sep=" ")


def local_texts(local_s: np.ndarray) -> list[str]:
    """`local_text` for a whole array at once (numpy formats dates much faster than a Python loop)."""
    text = np.datetime_as_string(np.asarray(local_s, dtype="int64").astype("datetime64[s]"), unit="s")
    return [t.replace("T", " ") for t in text.tolist()]


def date_texts(day_numbers: np.ndarray) -> list[str]:
    """'YYYY-MM-DD' for an array of day numbers."""
    return np.datetime_as_string(np.asarray(day_numbers, dtype="int64").astype("datetime64[D]")).tolist()


def iso_wib_texts(local_s: np.ndarray) -> np.ndarray:
    """`iso_wib` for a whole array at once, as a numpy string array."""
    text = np.datetime_as_string(np.asarray(local_s, dtype="int64").astype("datetime64[s]"), unit="s")
    return np.char.add(text, "+07:00")


def month_span(day: int) -> tuple[int, int]:
    """First and last day numbers of the calendar month containing a day."""
    d = day_date(day)
    nxt = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return day_number(d.replace(day=1)), day_number(nxt) - 1


def months_between(first: int, last: int) -> list[tuple[int, int]]:
    """The (first, last) day-number spans of every calendar month that overlaps [first, last]."""
    spans = []
    month = month_span(first)
    while month[0] <= last:
        spans.append(month)
        month = month_span(month[1] + 1)
    return spans


def first_history_day(today: int, history_days: int, history_start: dt.date | None) -> int:
    """Day number of the first day with records: a pinned start when given, else `history_days` before today.

    A running simulator pins its start so that old records never vanish as the clock moves on; a bare
    generator slides with `now`, which keeps it a pure function of (seed, now).
    """
    return day_number(history_start) if history_start is not None else today - history_days


class DayTable:
    """Calendar facts for every day in [first, last] (day numbers), as arrays indexed by day - first.

    Args:
        calendar: the working-day calendar.
        first: first day number covered.
        last: last day number covered.
    """

    def __init__(self, calendar: WorkingCalendar, first: int, last: int) -> None:
        self.first, self.last = first, last
        dates = [day_date(n) for n in range(first, last + 1)]
        self.working = np.array([calendar.is_working_day(d) for d in dates], dtype=bool)
        self.ramadan = np.array([calendar.is_ramadan(d) for d in dates], dtype=bool)
        self.weekday = (np.arange(first, last + 1) + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
        self._cum = np.cumsum(self.working)  # working days up to and including each day
        self._workdays = first + np.flatnonzero(self.working)
        # A "long break" is three or more non-working days in a row (a long weekend, Lebaran leave): the first
        # working day after one is slower to start, like Mondays but more so.
        index = np.flatnonzero(self.working)
        gap = np.diff(index, prepend=index[0] if len(index) else 0) - 1
        self.after_long_break = np.zeros(len(dates), dtype=bool)
        self.after_long_break[index[gap >= 3]] = True

    def _ix(self, days: np.ndarray | int) -> np.ndarray:
        ix = np.asarray(days, dtype="int64") - self.first
        if ix.size and (ix.min() < 0 or ix.max() > self.last - self.first):
            raise ValueError("day outside the calendar table; ask SimCalendar.table for a wider span")
        return ix

    def is_working(self, days: np.ndarray | int) -> np.ndarray:
        """Working-day flags for day numbers."""
        return self.working[self._ix(days)]

    def is_ramadan(self, days: np.ndarray | int) -> np.ndarray:
        """Ramadan flags for day numbers."""
        return self.ramadan[self._ix(days)]

    def is_after_long_break(self, days: np.ndarray | int) -> np.ndarray:
        """True on the first working day after three or more non-working days."""
        return self.after_long_break[self._ix(days)]

    def weekdays(self, days: np.ndarray | int) -> np.ndarray:
        """Monday = 0 ... Sunday = 6."""
        return self.weekday[self._ix(days)]

    def next_working_on_or_after(self, days: np.ndarray) -> np.ndarray:
        """The day itself when it is a working day, else the next working day."""
        ix = self._ix(days)
        return self._workdays[self._cum[ix] - self.working[ix]]

    def add_working_days(self, days: np.ndarray, count: np.ndarray) -> np.ndarray:
        """The `count`-th working day after each day (the day itself for count 0), matching
        `WorkingCalendar.working_days_between(day, result) == count`."""
        ix = self._ix(days)
        count = np.asarray(count, dtype="int64")
        later = self._workdays[np.maximum(self._cum[ix] + count - 1, 0)]
        return np.where(count > 0, later, np.asarray(days, dtype="int64"))

    def opening_s(self, days: np.ndarray | int) -> np.ndarray:
        """Office opening time of day in seconds: 07.30, or 08.00 in Ramadan (Perpres 21/2023)."""
        return np.where(self.is_ramadan(days), 8 * 3600, 7 * 3600 + 1800)

    def closing_s(self, days: np.ndarray | int) -> np.ndarray:
        """Office closing time of day in seconds: 16.00 (Friday 16.30, for the longer prayer break);
        in Ramadan 15.00 (Friday 15.30), which gives the 37.5 and 32.5 hour weeks."""
        friday = self.weekdays(days) == 4
        normal = np.where(friday, 16 * 3600 + 1800, 16 * 3600)
        ramadan = np.where(friday, 15 * 3600 + 1800, 15 * 3600)
        return np.where(self.is_ramadan(days), ramadan, normal)


class SimCalendar:
    """A growing `DayTable` shared by the generators; thread-safe.

    Args:
        calendar: the working-day calendar; the default national one when None.
    """

    # Margins kept around a requested span so that most later requests (the clock moving on, decisions
    # falling months after submission) reuse the table instead of rebuilding it.
    _MARGIN_BEFORE = 60
    _MARGIN_AFTER = 900

    def __init__(self, calendar: WorkingCalendar | None = None) -> None:
        self.calendar = calendar or WorkingCalendar()
        self._table: DayTable | None = None
        self._lock = threading.Lock()

    def table(self, first: int, last: int) -> DayTable:
        """A table covering at least [first, last] (day numbers)."""
        with self._lock:
            t = self._table
            if t is None or first < t.first or last > t.last:
                lo = first - self._MARGIN_BEFORE if t is None else min(t.first, first - self._MARGIN_BEFORE)
                hi = last + self._MARGIN_AFTER if t is None else max(t.last, last + self._MARGIN_AFTER)
                self._table = t = DayTable(self.calendar, lo, hi)
            return t


def office_moments(
    rng: np.random.Generator, table: DayTable, start_s: np.ndarray, working_days: np.ndarray, min_gap_s: int = 600
) -> np.ndarray:
    """When an office acts on things that arrived at `start_s`: `working_days` working days later, in office hours.

    On the same day (0 working days) the moment falls after the arrival plus `min_gap_s`; an arrival on a
    non-working day or too late in the day moves to the next working day, as a desk would.

    Args:
        rng: the generator of the records being made (one draw per record).
        table: calendar facts covering the arrivals and the moments.
        start_s: arrival moments (local seconds).
        working_days: working days to wait (0: the same day when possible).
        min_gap_s: shortest time between arrival and a same-day action.

    Returns:
        Local seconds, uniform within the office hours of the acting day.
    """
    start_s = np.asarray(start_s, dtype="int64")
    wd = np.asarray(working_days, dtype="int64")
    day = start_s // DAY_S
    tod = start_s - day * DAY_S
    target = table.add_working_days(day, wd)
    same_ok = (wd == 0) & table.is_working(day) & (tod + min_gap_s < table.closing_s(day) - 60)
    target = np.where((wd == 0) & ~same_ok, table.add_working_days(day, np.ones_like(wd)), target)
    opening, closing = table.opening_s(target), table.closing_s(target)
    low = np.where(target == day, np.maximum(opening, tod + min_gap_s), opening)
    return target * DAY_S + low + np.floor(rng.random(len(start_s)) * (closing - low)).astype("int64")
