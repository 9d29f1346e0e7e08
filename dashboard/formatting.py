"""Indonesian number and date formats: 1.234,5 and 29 Nov 2026; times in WIB."""

from __future__ import annotations

import datetime as dt

from region.timezone import WIB

__all__ = ["WIB", "date", "decimals", "number", "span", "unit", "wib"]
_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def number(value: float | None, decimals: int = 1, lang: str = "id") -> str:
    """1234.5 -> "1.234,5" (Indonesian) or "1,234.5" (English); None -> "–"."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def decimals(indicator) -> int:
    """The places an indicator's numbers are shown to: counts whole, an index to two, shares, medians and rates to
    one, as is a sum in %."""
    if indicator.unit == "%":
        return 1
    return {"count": 0, "sum": 0, "level": 0, "latest": 2}.get(indicator.measure, 1)


def unit(indicator, lang: str = "id") -> str:
    """The indicator's unit in the language shown."""
    return indicator.unit_en if lang == "en" else indicator.unit


def _month(day: dt.date, lang: str) -> str:
    return (_MONTHS_ID if lang == "id" else _MONTHS_EN)[day.month - 1]


def date(day: dt.date, lang: str = "id") -> str:
    """29 Nov 2026 (the same short form in both languages, with Indonesian month names)."""
    return f"{day.day} {_month(day, lang)} {day.year}"


def span(start: dt.date, end: dt.date, lang: str = "id") -> str:
    """Days as briefly as they read whole: "2025" (a whole year), "Jan–Okt 2026" (whole months), "3–30 Nov 2026",
    "3 Nov–2 Des 2026", "20 Des 2025–2 Jan 2026"; English month names on the English wall."""
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if whole_months and start.month == 1 and end.month == 12:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if whole_months:
        if start.year != end.year:
            return f"{_month(start, lang)} {start.year}–{_month(end, lang)} {end.year}"
        months = _month(start, lang) if start.month == end.month else f"{_month(start, lang)}–{_month(end, lang)}"
        return f"{months} {end.year}"
    if start == end:
        return f"{end.day} {_month(end, lang)} {end.year}"
    if start.year != end.year:
        return f"{start.day} {_month(start, lang)} {start.year}–{end.day} {_month(end, lang)} {end.year}"
    if start.month != end.month:
        return f"{start.day} {_month(start, lang)}–{end.day} {_month(end, lang)} {end.year}"
    return f"{start.day}–{end.day} {_month(end, lang)} {end.year}"


def wib(instant: dt.datetime) -> dt.datetime:
    """An instant (naive means UTC) in WIB."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(WIB)
