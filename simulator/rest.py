"""What the simulated REST systems share: records generated a day at a time, seen at a moment, paged by cursor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np

from region.calendar import WIB
from simulator.base import SimulatedSystem
from simulator.days import (
    DAY_S,
    WIB_OFFSET_S,
    DayTable,
    date_texts,
    month_span,
    months_between,
)

# An event that has not happened within any horizon (a complaint nobody answers): far beyond every `now`,
# yet small enough that adding days to it cannot overflow int64.
NEVER = np.iinfo(np.int64).max // 4


@dataclass(frozen=True)
class View:
    """The records a system shows at one moment.

    Attributes:
        ids: every generated record's id, ascending in generation order.
        updated_s: each record's `diperbarui_pada` as seen at the moment (local seconds).
        visible: which records exist at the moment.
        render: JSON-ready records for positions into the arrays above.
    """

    ids: np.ndarray
    updated_s: np.ndarray
    visible: np.ndarray
    render: Callable[[np.ndarray], list[dict]]


def _local(moment: dt.datetime) -> float:
    if moment.tzinfo is None:  # a naive cursor is read as the system's own clock, WIB
        moment = moment.replace(tzinfo=WIB)
    return moment.timestamp() + WIB_OFFSET_S  # local seconds, possibly fractional


class RestSystem(SimulatedSystem):
    """A system read over REST: subclasses say what is visible at a moment, this class orders and pages it.

    How the system is served is said here, once per system, and read by the server: RESOURCE is the list
    endpoint under /NAME/api/v1; PAGING is page_number (page, per_page, meta.total_pages) or next_link (limit,
    links.next); AUTH is none, bearer (Authorization: Bearer SECRET) or api_key (X-API-Key: SECRET);
    SERVER_NAME is what the system calls itself in the Server header.
    """

    RESOURCE: ClassVar[str] = ""
    PAGING: ClassVar[Literal["page_number", "next_link"]] = "page_number"
    AUTH: ClassVar[Literal["none", "bearer", "api_key"]] = "none"
    SERVER_NAME: ClassVar[str] = "Sim/1.0"

    def view(self, now: dt.datetime) -> View:
        """The records as of `now` (aware)."""
        raise NotImplementedError

    def _ordered(self, now: dt.datetime, updated_since: dt.datetime | None) -> tuple[View, np.ndarray]:
        v = self.view(now)
        mask = v.visible
        if updated_since is not None:
            mask = mask & (v.updated_s >= _local(updated_since))
        index = np.flatnonzero(mask)
        # Generation order is id order, so the index breaks ties the way the id would.
        return v, index[np.lexsort((index, v.updated_s[index]))]

    def query(
        self,
        now: dt.datetime,
        updated_since: dt.datetime | None = None,
        page: int = 1,
        per_page: int | None = None,
    ) -> tuple[list[dict], int]:
        """Records as the system shows them at `now`, ordered by (diperbarui_pada, id), a page at a time.

        Args:
            now: the moment (aware).
            updated_since: keep records with diperbarui_pada >= this instant; all when None.
            page: 1-based page number.
            per_page: page size; all matching records when None.

        Returns:
            (the page's records as JSON-ready dicts, total number of matching records).
        """
        v, order = self._ordered(now, updated_since)
        total = len(order)
        if per_page is not None:
            order = order[(page - 1) * per_page : page * per_page]
        return v.render(order), total

    def query_after(
        self,
        now: dt.datetime,
        updated_since: dt.datetime | None = None,
        after: tuple[int, str] | None = None,
        limit: int = 100,
    ) -> tuple[list[dict], tuple[int, str] | None]:
        """Keyset paging: the records following `after` in (diperbarui_pada, id) order.

        Unlike page numbers, a key never skips a record that changes between two pages: a changed record
        moves to the end, where a later page still finds it.

        Args:
            now: the moment (aware).
            updated_since: keep records with diperbarui_pada >= this instant; all when None.
            after: (diperbarui_pada in local seconds, id) of the last record already read; None for the start.
            limit: page size.

        Returns:
            (the page's records, the key to ask for the next page, or None when this page is the last).
        """
        v, order = self._ordered(now, updated_since)
        start = 0
        if after is not None:
            updated, ids = v.updated_s[order], v.ids[order]
            start = int(np.count_nonzero((updated < after[0]) | ((updated == after[0]) & (ids <= after[1]))))
        page = order[start : start + limit]
        more = start + limit < len(order)
        key = (int(v.updated_s[page[-1]]), str(v.ids[page[-1]])) if more and len(page) else None
        return v.render(page), key

    def records(self, now: dt.datetime, updated_since: dt.datetime | None = None) -> list[dict]:
        """All records visible at `now` (see `query`)."""
        return self.query(now, updated_since)[0]

    def prime(self, now: dt.datetime) -> None:
        """Generate the records as of `now`, so that the first request does not wait for them."""
        self.query(now, per_page=1)


class MonthlyRestSystem(RestSystem):
    """A REST system whose records are generated a calendar month at a time, a pure function of (seed, month).

    A month rather than a day: a few dozen records a day are too few to vectorise well, and a month's records
    still never depend on the window being generated. Subclasses set PREFIX (ids are PREFIX-YYYYMMDD-NNNN,
    numbered by the time of each day's records) and implement `generate_month`, whose "at" column (local
    seconds of the record's first event) must ascend; `columns` joins the months of a span and caches it.
    """

    PREFIX: ClassVar[str] = ""
    ID_DIGITS: ClassVar[int] = 4
    AFTER_DAYS: ClassVar[int] = 400  # how long after it starts a record's events may fall

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._months: dict[int, dict[str, np.ndarray]] = {}
        self._columns_cache: tuple[tuple[int, int], dict[str, np.ndarray]] | None = None

    def generate_month(self, month: tuple[int, int], table: DayTable) -> dict[str, np.ndarray]:
        """The records that start in a month ((first, last) day numbers), ordered by "at", as equal arrays."""
        raise NotImplementedError

    def prepare(self, columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Add derived columns (e.g. texts) to a span's joined columns, once per span."""
        return columns

    def columns(self, first: int, last: int) -> dict[str, np.ndarray]:
        """Every record starting in the days [first, last] in id order, with an "ids" column; cached."""
        with self._lock:
            if self._columns_cache and self._columns_cache[0] == (first, last):
                return self._columns_cache[1]
            table = self._calendar.table(month_span(first)[0], last + self.AFTER_DAYS)
            parts = []
            for month in months_between(first, last):
                batch = self._months.get(month[0])
                if batch is None:
                    batch = self._months[month[0]] = self.generate_month(month, table)
                day = batch["at"] // DAY_S
                keep = (day >= first) & (day <= last)
                parts.append({name: values[keep] for name, values in batch.items()})
            cols = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
            cols["ids"] = _ids(self.PREFIX, self.ID_DIGITS, cols["at"] // DAY_S)
            cols = self.prepare(cols)
            self._columns_cache = ((first, last), cols)
            return cols

    def span(self, now: dt.datetime) -> tuple[int, dict[str, np.ndarray]]:
        """(now in local seconds, the columns of every day from the history start to today)."""
        now_s, first, today = self.window(now)
        return now_s, self.columns(first, today)


def _ids(prefix: str, digits: int, days: np.ndarray) -> np.ndarray:
    """PREFIX-YYYYMMDD-NNNN for records ordered by time, numbered from 1 within each day."""
    n = len(days)
    if n == 0:
        return np.zeros(0, dtype=str)
    group_start = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
    seq = np.arange(n) - np.repeat(group_start, np.diff(np.r_[group_start, n])) + 1
    stamps = np.char.replace(np.array(date_texts(days)), "-", "")
    return np.char.add(np.char.add(f"{prefix}-", stamps), np.char.add("-", np.char.zfill(seq.astype(str), digits)))
