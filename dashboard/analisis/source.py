"""Where the explorer's figures and records come from: the metrics layer's explorer, and its records drill-down.

The page reads them only through `explorer()` and `records()`.
"""

from __future__ import annotations

from metrics.explore import Explorer
from metrics.question import Drill, Question
from metrics.records import RecordPage, record_page


def explorer(metrics) -> Explorer:
    """The metrics layer's explorer (one per service)."""
    return metrics.explorer()


def records(metrics, question: Question, drill: Drill, personal_visible: bool = False) -> RecordPage:
    """The records behind a number, personal data masked or left out but where `personal_visible` (metrics.records)."""
    return record_page(metrics, question, drill, personal_visible=personal_visible)
