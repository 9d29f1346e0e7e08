"""Which spans a reading's changes set against each other, in words: "Jan–Okt 2026 vs Jan–Okt 2025"."""

from __future__ import annotations

from typing import Literal

from dashboard import formatting
from dashboard.i18n import LANGUAGES
from metrics.reading import DaySpan, Reading

Against = Literal["previous", "year_before"]


def shown(reading: Reading) -> Against | None:
    """The comparison a tile shows: the year before for growth targets (and where no previous period exists), else
    the previous period; None without a value or the comparison's value."""
    if reading.value is None:
        return None
    if reading.indicator.judged_on == "year_change" or reading.previous_value is None:
        return "year_before" if reading.year_change is not None or reading.year_difference is not None else None
    return "previous"


def compared(reading: Reading, against: Against, lang: str = "id") -> str | None:
    """The span the value's data covers against the span it was compared with: "Jan–Okt 2026 vs Jan–Okt 2025"."""
    other = reading.previous_span if against == "previous" else reading.year_before_span
    value = reading.previous_value if against == "previous" else reading.year_before_value
    if reading.covered is None or other is None or value is None:
        return None
    return f"{_span(reading.covered, lang)} vs {_span(other, lang)}"


def labels(reading: Reading) -> dict[str, dict[str, str] | None]:
    """Both comparisons in every language, for the API: {"previous": {"id": ..., "en": ...}, "year_before": ...}."""
    out: dict[str, dict[str, str] | None] = {}
    for against in ("previous", "year_before"):
        texts = {lang: compared(reading, against, lang) for lang in LANGUAGES}
        out[against] = texts if all(texts.values()) else None
    return out


def _span(span: DaySpan, lang: str) -> str:
    return formatting.span(span.start, span.end, lang)
