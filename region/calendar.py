"""Indonesian working-day calendar: weekends, national holidays, collective leave (cuti bersama) and Ramadan.

Holidays come from the `holidays` package (public and government categories, which include cuti bersama);
configuration may add days (a later SKB amendment, a regional holiday) or remove them. Ramadan periods, which
change civil servants' working hours, come from `data/region/ramadan.csv` (Kemenag isbat).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from functools import cached_property

import holidays
import pandas as pd

from region.paths import REGION_DATA
from region.timezone import WIB, WIB_OFFSET_HOURS

__all__ = ["WIB", "WIB_OFFSET_HOURS", "WorkingCalendar"]  # WIB is imported from here throughout


class WorkingCalendar:
    """Which days are working days, and which fall in Ramadan.

    Args:
        extra_holidays: dates to treat as holidays in addition to the national list.
        removed_holidays: national-list dates to treat as working days.
    """

    def __init__(self, extra_holidays: Iterable[dt.date] = (), removed_holidays: Iterable[dt.date] = ()) -> None:
        self._extra = frozenset(extra_holidays)
        self._removed = frozenset(removed_holidays)
        self._national = holidays.country_holidays(
            "ID", categories=("public", "government"), language="id"
        )

    @cached_property
    def _ramadan(self) -> tuple[tuple[dt.date, dt.date], ...]:
        with open(REGION_DATA / "ramadan.csv", encoding="utf-8") as f:
            return tuple(
                (dt.date.fromisoformat(r["start"]), dt.date.fromisoformat(r["end"])) for r in csv.DictReader(f)
            )

    def holiday_name(self, day: dt.date) -> str | None:
        """The holiday's name, or None when the day is not a holiday (weekends are not holidays)."""
        if day in self._removed:
            return None
        if day in self._extra:
            return "Libur daerah"
        return self._national.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a holiday or collective leave."""
        return day.weekday() < 5 and self.holiday_name(day) is None

    def is_ramadan(self, day: dt.date) -> bool:
        """True on days of Ramadan, when civil servants start at 08.00 instead of 07.30."""
        return any(start <= day <= end for start, end in self._ramadan)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when decided the same day)."""
        days = pd.date_range(start + dt.timedelta(days=1), end, freq="D")
        return sum(self.is_working_day(d.date()) for d in days)

    def frame(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """One row per date: tanggal, hari_kerja, urutan_hari_kerja (running count of working days), ramadan, libur.

        The running count turns "working days between two dates" into a subtraction, which any SQL engine does.
        """
        dates = [d.date() for d in pd.date_range(start, end, freq="D")]
        working = [self.is_working_day(d) for d in dates]
        running, count = [], 0
        for w in working:
            count += w
            running.append(count)
        return pd.DataFrame(
            {
                "tanggal": pd.to_datetime(dates).date,
                "hari_kerja": working,
                "urutan_hari_kerja": running,
                "ramadan": [self.is_ramadan(d) for d in dates],
                "libur": [self.holiday_name(d) for d in dates],
            }
        )
