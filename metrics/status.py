"""Red, amber or green from a value, the indicator's thresholds and its direction."""

from __future__ import annotations

from typing import Literal

Status = Literal["green", "amber", "red", "no_data"]


def status_of(value: float | None, green: float, amber: float, direction: str) -> Status:
    """Green at or beyond `green`, amber at or beyond `amber`, red otherwise; "beyond" follows the direction."""
    if value is None:
        return "no_data"
    sign = 1 if direction == "higher" else -1
    if sign * value >= sign * green:
        return "green"
    if sign * value >= sign * amber:
        return "amber"
    return "red"
