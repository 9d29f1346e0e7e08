"""An indicator's default period, resolved for an as-of WIB day: last N days, whole months, month or year to date.

Every period is a closed range of WIB dates, so the same as-of instant always gives the same figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Kind = Literal["days", "months", "month_to_date", "year_to_date", "year_to_month"]
Span = tuple[dt.date, dt.date]


def month_start(day: dt.date, months_back: int = 0) -> dt.date:
    """The first day of `day`'s month, `months_back` months earlier."""
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of `day`'s month."""
    return month_start(day, -1) - dt.timedelta(days=1)


def shift_months(day: dt.date, months: int, end: bool = False) -> dt.date:
    """`day` moved `months` months earlier (later when negative), its day of the month kept where the month has it.

    With `end`, a month's last day stays the last day (31 October -> 30 September, 28 February 2029 -> 29 February
    2028), so a span of whole months moves to whole months.
    """
    first = month_start(day, months)
    if end and day == month_end(day):
        return month_end(first)
    return min(first.replace(day=1) + dt.timedelta(days=day.day - 1), month_end(first))


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    """How far back an indicator's value reaches from the as-of day.

    Attributes:
        kind: days (the last `n` days), months (the last `n` complete calendar months, for monthly sources),
            month_to_date, year_to_date, or year_to_month (1 January to the end of the last complete month).
        n: the number of days or months.
        include_today: whether the running day counts (False where a partial day biases the value).
    """

    kind: Kind = "days"
    n: int = 30
    include_today: bool = True

    def span(self, today: dt.date) -> Span:
        """The period ending on (or just before) `today`, both ends included."""
        end = today if self.include_today else today - dt.timedelta(days=1)
        if self.kind == "days":
            return end - dt.timedelta(days=self.n - 1), end
        if self.kind == "month_to_date":
            return month_start(end), end
        if self.kind == "year_to_date":
            return dt.date(end.year, 1, 1), end
        last_month_end = month_start(today) - dt.timedelta(days=1)
        if self.kind == "months":
            return month_start(last_month_end, self.n - 1), last_month_end
        return dt.date(last_month_end.year, 1, 1), last_month_end  # year_to_month

    def previous(self, span: Span) -> Span | None:
        """The period just before `span`, of the same length; None for year-to-date kinds, which compare with a year before."""
        start, end = span
        if self.kind == "days":
            return start - dt.timedelta(days=self.n), start - dt.timedelta(days=1)
        if self.kind == "months":
            return month_start(start, self.n), start - dt.timedelta(days=1)
        if self.kind == "month_to_date":
            first = month_start(start, 1)
            return first, min(first + (end - start), start - dt.timedelta(days=1))
        return None

    def previous_like(self, span: Span, covered: Span) -> Span | None:
        """The period before `span`, cut to what `covered` (the part of `span` with delivered data) covers of it.

        So a change compares like with like: the last 30 days with data through the 27th set against the 30 days
        before, likewise through their 27th; None for year-to-date kinds, as `previous`.
        """
        previous = self.previous(span)
        if previous is None:
            return None
        if self.kind == "months":
            return shift_months(covered[0], self.n), shift_months(covered[1], self.n, end=True)
        start = previous[0] + (covered[0] - span[0])
        end = min(previous[0] + (covered[1] - span[0]), previous[1])
        return start, end

    def label(self, language: str = "id") -> str:
        """How screens name the period ("30 hari terakhir")."""
        names = {
            "id": {"days": "hari ini" if self.n == 1 else f"{self.n} hari terakhir", "months": "bulan lalu" if self.n == 1 else f"{self.n} bulan terakhir",
                   "month_to_date": "bulan berjalan", "year_to_date": "tahun berjalan", "year_to_month": "tahun berjalan s.d. bulan lalu"},
            "en": {"days": "today" if self.n == 1 else f"last {self.n} days", "months": "last month" if self.n == 1 else f"last {self.n} months",
                   "month_to_date": "month to date", "year_to_date": "year to date", "year_to_month": "year to last month"},
        }
        return names[language][self.kind]


def year_before_span(span: Span) -> Span:
    """The same span a year before; a span that ends on a month's last day ends on that month's last day then."""
    return shift_months(span[0], 12), shift_months(span[1], 12, end=True)
