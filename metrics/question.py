"""What an analyst asks of one indicator, and which records behind a number: the whole state of an analysis view.

A Question (indicator, period, grain, comparison, breakdown, filters, as-of moment) and a Drill (the point, bar or
member clicked, which part of the records, their order and page) are plain values that read from and write to a
URL's query string, so a link opens the same view, back and forward move between views, and an export or an API
call names exactly the figure it carries. Parameter names are Indonesian, as the URLs users copy are.

Reading never trusts the text: every problem is a BadQuestion naming the parameter and what it may be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from metrics.compute import Grain
from metrics.indicator import Indicator
from metrics.periods import Span, month_start, year_before
from metrics.snapshot import as_of_from_text
from region.calendar import WIB

PeriodChoice = Literal["bawaan", "30_hari", "bulan_lalu", "kuartal_ini", "tahun_berjalan", "tahun_lalu", "rentang"]
Comparison = Literal["setara", "sebelumnya", "tahun_lalu"]
Part = Literal["semua", "dihitung", "lainnya"]

PERIODS: tuple[PeriodChoice, ...] = ("bawaan", "30_hari", "bulan_lalu", "kuartal_ini", "tahun_berjalan", "tahun_lalu", "rentang")
# like for like (the wall's comparison: the span the data covers against the same span a year before), the period
# of the same length just before, or the same dates a year before.
COMPARISONS: tuple[Comparison, ...] = ("setara", "sebelumnya", "tahun_lalu")
GRAINS: tuple[Grain, ...] = ("day", "week", "month", "year")
GRAIN_WORDS: dict[str, Grain] = {"hari": "day", "minggu": "week", "bulan": "month", "tahun": "year"}
PARTS: tuple[Part, ...] = ("semua", "dihitung", "lainnya")
FILTER_PREFIX = "f_"
# A custom range reaches at most this far: each day costs query time (as for the series API).
LONGEST_RANGE_DAYS = 3_653
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
MAX_FILTER_MEMBERS = 200
PAGE_SIZES = (25, 50, 100, 500)


class BadQuestion(ValueError):
    """A parameter that cannot be read: `param` names it, the message says what it may be."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param


@dataclass(frozen=True)
class Question:
    """One analysis view of one indicator.

    Attributes:
        indicator: the indicator's id.
        period: a named period ending on the as-of day, "bawaan" (the indicator's own, as the wall shows it) or
            "rentang" (from `start` to `end`).
        grain: the series' bucket; None is the indicator's own grain.
        comparison: what the value is set against.
        by: the breakdown column (one of the indicator's breakdowns) or None.
        filters: (column, members) pairs, columns among the indicator's breakdowns, sorted, members sorted.
        as_of: the moment the figures are for (aware, WIB); None is now.
    """

    indicator: str
    period: PeriodChoice = "bawaan"
    start: dt.date | None = None
    end: dt.date | None = None
    grain: Grain | None = None
    comparison: Comparison = "setara"
    by: str | None = None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    as_of: dt.datetime | None = None

    def grain_for(self, indicator: Indicator) -> Grain:
        return self.grain or indicator.grain

    def span(self, indicator: Indicator, today: dt.date) -> Span:
        """The period's first and last WIB day for the as-of day `today`."""
        if self.period == "rentang":
            assert self.start is not None and self.end is not None
            return self.start, self.end
        return period_span(self.period, indicator, today)

    def filter_map(self) -> dict[str, tuple[str, ...]]:
        return dict(self.filters)

    def with_filter(self, column: str, members: tuple[str, ...]) -> Question:
        kept = {c: m for c, m in self.filters if c != column}
        if members:
            kept[column] = tuple(sorted(set(members)))
        return replace(self, filters=tuple(sorted(kept.items())))

    def to_args(self) -> dict[str, str]:
        """The query-string parameters that read back to this question (defaults left out, so links stay short)."""
        args = {"indikator": self.indicator}
        if self.period != "bawaan":
            args["periode"] = self.period
        if self.period == "rentang":
            args["dari"], args["sampai"] = self.start.isoformat(), self.end.isoformat()
        if self.grain:
            args["satuan"] = next(word for word, grain in GRAIN_WORDS.items() if grain == self.grain)
        if self.comparison != "setara":
            args["banding"] = self.comparison
        if self.by:
            args["rinci"] = self.by
        for column, members in self.filters:
            args[FILTER_PREFIX + column] = ",".join(members)
        if self.as_of is not None:
            args["pada"] = self.as_of.astimezone(WIB).strftime("%Y-%m-%d %H:%M")
        return args

    def key(self) -> tuple:
        """A hashable identity for caches."""
        return (self.indicator, self.period, self.start, self.end, self.grain, self.comparison, self.by, self.filters, self.as_of)


@dataclass(frozen=True)
class Drill:
    """Which records behind a number: the bucket or member clicked, which part, their order, filter and page.

    Attributes:
        periode: the first day of the series bucket clicked (None: the whole period).
        member: the breakdown member clicked, of the question's `by` (None: every member).
        part: "dihitung" the records that count (the numerator's: on time, open past the SLA), "lainnya" those that
            do not (in the denominator only), "semua" both.
        sort: (column, ascending) pairs, first decides.
        search: (column, text) pairs: a record matches when the column's text contains the text (any case).
        page: from 1; size: one of PAGE_SIZES.
    """

    periode: dt.date | None = None
    member: str | None = None
    part: Part = "semua"
    sort: tuple[tuple[str, bool], ...] = ()
    search: tuple[tuple[str, str], ...] = ()
    page: int = 1
    size: int = 50

    def to_args(self) -> dict[str, str]:
        args: dict[str, str] = {}
        if self.periode:
            args["titik"] = self.periode.isoformat()
        if self.member is not None:
            args["anggota"] = self.member
        if self.part != "semua":
            args["bagian"] = self.part
        if self.sort:
            args["urut"] = ",".join(("" if asc else "-") + column for column, asc in self.sort)
        for column, text in self.search:
            args["cari_" + column] = text
        if self.page != 1:
            args["hal"] = str(self.page)
        if self.size != 50:
            args["per"] = str(self.size)
        return args


def period_span(choice: PeriodChoice, indicator: Indicator, today: dt.date) -> Span:
    """A named period ending on (or, for whole months and years, just before) the WIB day `today`."""
    if choice == "bawaan":
        return indicator.period.span(today)
    if choice == "30_hari":
        return today - dt.timedelta(days=29), today
    if choice == "bulan_lalu":
        first = month_start(today, 1)
        return first, month_start(today) - dt.timedelta(days=1)
    if choice == "kuartal_ini":
        return dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if choice == "tahun_berjalan":
        return dt.date(today.year, 1, 1), today
    if choice == "tahun_lalu":
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    raise BadQuestion("periode", f"'{choice}' tidak dikenal")


def previous_span(span: Span) -> Span:
    """The span of the same number of days just before `span`."""
    days = span[1] - span[0]
    end = span[0] - dt.timedelta(days=1)
    return end - days, end


def year_before_dates(span: Span) -> Span:
    """The same dates a year before."""
    return year_before(span[0]), year_before(span[1])


def _date(args: Mapping[str, str], name: str) -> dt.date:
    text = (args.get(name) or "").strip()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise BadQuestion(name, f"bukan tanggal YYYY-MM-DD: {text[:40]!r}") from None
    if not EARLIEST <= day <= LATEST:
        raise BadQuestion(name, f"harus antara {EARLIEST} dan {LATEST}")
    return day


def _choice(args: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    text = (args.get(name) or default).strip()
    if text not in allowed:
        raise BadQuestion(name, f"'{text[:40]}' tidak dikenal; pilih salah satu: {', '.join(allowed)}")
    return text


def question_from_args(args: Mapping[str, str], catalogue: Mapping[str, Indicator], now: dt.datetime | None = None) -> Question:
    """The question a query string asks, checked against the catalogue.

    Args:
        args: the query string's parameters (a Flask request's args, or a dict).
        catalogue: the indicators served, by id.
        now: the current moment (aware); an as-of moment after it is refused.

    Raises:
        BadQuestion: naming the parameter and what it may be.
    """
    indicator_id = (args.get("indikator") or "").strip()
    if indicator_id not in catalogue:
        raise BadQuestion("indikator", f"'{indicator_id[:60]}' tidak dikenal" if indicator_id else "pilih indikator")
    indicator = catalogue[indicator_id]
    period = _choice(args, "periode", PERIODS, "bawaan")
    start = end = None
    if period == "rentang":
        start, end = _date(args, "dari"), _date(args, "sampai")
        if start > end:
            raise BadQuestion("dari", "tanggal awal sesudah tanggal akhir")
        if (end - start).days + 1 > LONGEST_RANGE_DAYS:
            raise BadQuestion("sampai", f"rentang lebih dari {LONGEST_RANGE_DAYS} hari")
    grain_word = (args.get("satuan") or "").strip()
    if grain_word and grain_word not in GRAIN_WORDS:
        raise BadQuestion("satuan", f"'{grain_word[:20]}' tidak dikenal; pilih salah satu: {', '.join(GRAIN_WORDS)}")
    comparison = _choice(args, "banding", COMPARISONS, "setara")
    by = (args.get("rinci") or "").strip() or None
    if by is not None and by not in indicator.breakdowns:
        raise BadQuestion("rinci", f"indikator {indicator.id} tidak dapat dirinci menurut '{by[:40]}'; yang bisa: {', '.join(indicator.breakdowns) or 'tidak ada'}")
    filters: dict[str, tuple[str, ...]] = {}
    for name, text in args.items():
        if not name.startswith(FILTER_PREFIX):
            continue
        column = name[len(FILTER_PREFIX):]
        if column not in indicator.breakdowns:
            raise BadQuestion(name, f"indikator {indicator.id} tidak dapat disaring menurut '{column[:40]}'; yang bisa: {', '.join(indicator.breakdowns) or 'tidak ada'}")
        members = tuple(sorted({m.strip() for m in text.split(",") if m.strip()}))
        if len(members) > MAX_FILTER_MEMBERS:
            raise BadQuestion(name, f"paling banyak {MAX_FILTER_MEMBERS} nilai")
        if members:
            filters[column] = members
    as_of = None
    if (args.get("pada") or "").strip():
        try:
            as_of = as_of_from_text(args["pada"])
        except ValueError as exc:
            raise BadQuestion("pada", str(exc)) from None
        if now is not None and as_of > now:
            raise BadQuestion("pada", "waktu per belum tiba")
    return Question(
        indicator=indicator_id, period=period, start=start, end=end, grain=GRAIN_WORDS.get(grain_word),
        comparison=comparison, by=by, filters=tuple(sorted(filters.items())), as_of=as_of,
    )


def drill_from_args(args: Mapping[str, str], question: Question, columns: tuple[str, ...] = ()) -> Drill:
    """The drill-down a query string asks for, within `question`; `columns` are the ones that may be sorted and searched.

    Raises:
        BadQuestion: naming the parameter.
    """
    periode = _date(args, "titik") if (args.get("titik") or "").strip() else None
    member = args.get("anggota")
    if member is not None and question.by is None:
        raise BadQuestion("anggota", "perlu 'rinci' yang menyebut rincian anggota itu")
    part = _choice(args, "bagian", PARTS, "semua")
    sort: list[tuple[str, bool]] = []
    for item in (args.get("urut") or "").split(","):
        item = item.strip()
        if not item:
            continue
        column, ascending = (item[1:], False) if item.startswith("-") else (item, True)
        if columns and column not in columns:
            raise BadQuestion("urut", f"kolom '{column[:40]}' tidak ada; yang bisa: {', '.join(columns)}")
        sort.append((column, ascending))
    search = []
    for name, text in args.items():
        if name.startswith("cari_") and text.strip():
            column = name[len("cari_"):]
            if columns and column not in columns:
                raise BadQuestion(name, f"kolom '{column[:40]}' tidak ada; yang bisa: {', '.join(columns)}")
            search.append((column, text.strip()[:100]))
    page = _integer(args, "hal", 1, 1, 10_000_000)
    size = _integer(args, "per", 50, 1, max(PAGE_SIZES))
    if size not in PAGE_SIZES:
        raise BadQuestion("per", f"pilih salah satu: {', '.join(map(str, PAGE_SIZES))}")
    return Drill(periode=periode, member=member, part=part, sort=tuple(sort), search=tuple(sorted(search)), page=page, size=size)


def _integer(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = (args.get(name) or "").strip()
    if not text:
        return default
    if not text.isdigit() or len(text) > 9 or not low <= int(text) <= high:
        raise BadQuestion(name, f"harus bilangan bulat {low}-{high}")
    return int(text)



def filtered(indicator: Indicator, filters: tuple[tuple[str, tuple[str, ...]], ...]) -> Indicator:
    """The indicator with its query's rows kept to the filters' members (columns among its breakdowns).

    The filter applies to the rows the query yields, before any measure is taken, so a filtered value, series,
    breakdown and drill-down all rest on the same records.
    """
    if not filters:
        return indicator
    base = indicator.query

    def query(con, start, end, **params):
        rows = base(con, start, end, **params)
        for column, members in filters:
            rows = rows.filter(rows[column].isin(list(members)))
        return rows

    return replace(indicator, query=query)
