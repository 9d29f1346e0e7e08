"""Put a validated SPBE self-assessment into the warehouse: one year of one framework, replaced whole."""

from __future__ import annotations

import datetime as dt

from metrics.spbe.framework import Framework
from warehouse import Warehouse


class InvalidLevels(ValueError):
    """Levels that do not cover a framework's indicators exactly once with integers 1-5."""


def check_levels(version: Framework, levels: dict[int, int]) -> None:
    """Raise InvalidLevels naming every problem; the file reader checks the same, this guards the API."""
    numbers = {i.number for i in version.indicators}
    problems = []
    missing, extra = sorted(numbers - set(levels)), sorted(set(levels) - numbers)
    if missing:
        problems.append(f"indikator tanpa nilai: {', '.join(map(str, missing))}")
    if extra:
        problems.append(f"indikator tidak ada di {version.id}: {', '.join(map(str, extra))}")
    problems += [f"indikator {n}: tingkat {v!r} bukan bilangan bulat 1-5" for n, v in sorted(levels.items())
                 if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 5]
    if problems:
        raise InvalidLevels("; ".join(problems))


def store_assessment(warehouse: Warehouse, version: Framework, year: int, levels: dict[int, int], load_id: str | None = None) -> int:
    """Replace `year`'s levels under `version` with `levels` in one transaction; returns the rows written.

    Raises:
        InvalidLevels: nothing is written.
    """
    check_levels(version, levels)
    name = version.name.split(" (")[0]  # as the spbe source's files name the framework
    names = {i.number: i.name for i in version.indicators}
    load_id = load_id or f"spbe-import-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}"
    with warehouse.transaction() as tx:
        tx.execute("DELETE FROM spbe_penilaian WHERE tahun = ? AND versi_kerangka = ?", [year, name])
        tx.executemany(
            "INSERT INTO spbe_penilaian (tahun, versi_kerangka, nomor_indikator, nama_indikator, tingkat, _load_id) VALUES (?, ?, ?, ?, ?, ?)",
            [[year, name, n, names[n], level, load_id] for n, level in sorted(levels.items())],
        )
    return len(levels)
