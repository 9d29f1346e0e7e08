"""What the province page reads from the rollup warehouse: the indicators rolled up, and per indicator the regions
ranked with their values, freshness and the province's own figure. The file is opened read-only per question, so a
new rollup (which replaces it whole) is read as soon as it is there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class RegionFigure:
    """One region's (or the province's) value of an indicator in a rollup."""

    kode: str
    nama: str
    tingkat: str
    value: float | None
    numerator: float | None
    denominator: float | None
    peringkat: int | None
    data_sampai: dt.datetime | None


@dataclass(frozen=True)
class Ranking:
    indicator_id: str
    period_start: dt.date
    period_end: dt.date
    as_of: dt.datetime
    engine: str
    province: RegionFigure
    regions: tuple[RegionFigure, ...]  # ranked, those without a value last


class ProvinceRollup:
    """The rollup warehouse `path` (written by `app.py rollup`); `available` is False until one was written."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def available(self) -> bool:
        return self.path.is_file()

    def _rows(self, sql: str, params: list) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as db:
            return db.execute(sql, params).fetchall()

    def indicators(self) -> list[str]:
        """The indicators the rollup holds, in its (catalogue) order."""
        rows = self._rows("SELECT indicator_id, min(rowid) AS r FROM rollup_nilai GROUP BY indicator_id ORDER BY r", [])
        return [r[0] for r in rows]

    def ranking(self, indicator_id: str) -> Ranking | None:
        """The regions ranked on `indicator_id`, best first, and the province; None when the rollup lacks it."""
        rows = self._rows(
            "SELECT kode_wilayah, nama_wilayah, tingkat, value, numerator, denominator, peringkat, data_sampai, "
            "period_start, period_end, as_of, engine FROM rollup_nilai WHERE indicator_id = ? "
            "ORDER BY tingkat = 'provinsi' DESC, peringkat NULLS LAST, kode_wilayah", [indicator_id])
        if not rows:
            return None
        figures = [RegionFigure(r[0], r[1], r[2], _number(r[3]), _number(r[4]), _number(r[5]), r[6],
                                dt.datetime.fromisoformat(r[7]) if r[7] else None) for r in rows]
        first = rows[0]
        return Ranking(indicator_id, first[8], first[9], first[10], first[11], figures[0], tuple(figures[1:]))


def _number(value) -> float | None:
    return None if value is None or value != value else float(value)
