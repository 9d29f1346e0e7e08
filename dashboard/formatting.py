"""Indonesian number and date formats: 1.234,5 and 29 Nov 2026; times in WIB."""

from __future__ import annotations

import datetime as dt

from region.calendar import WIB

__all__ = ["WIB", "date", "number", "wib"]
_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def number(value: float | None, decimals: int = 1, lang: str = "id") -> str:
    """1234.5 -> "1.234,5" (Indonesian) or "1,234.5" (English); None -> "–"."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def date(day: dt.date, lang: str = "id") -> str:
    """29 Nov 2026 (the same short form in both languages, with Indonesian month names)."""
    return f"{day.day} {_MONTHS_ID[day.month - 1] if lang == 'id' else day.strftime('%b')} {day.year}"


def wib(instant: dt.datetime) -> dt.datetime:
    """An instant (naive means UTC) in WIB."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(WIB)
