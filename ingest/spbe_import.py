"""An operator's SPBE self-assessment into spbe_penilaian, the spbe source's table: one year of one framework, replaced whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from warehouse import Warehouse


class AssessedIndicator(NamedTuple):
    """One indicator's level as the spbe source's files give it."""

    number: int
    name: str
    level: int


def replace_assessment(warehouse: Warehouse, year: int, framework_name: str, indicators: Iterable[AssessedIndicator], load_id: str | None = None) -> int:
    """Replace `year`'s levels under `framework_name` with `indicators` in one transaction.

    The levels are checked against their framework before they come here (metrics.spbe.assessment.check_levels).

    Args:
        framework_name: as the spbe source's files name the framework ("PermenPANRB 59/2020").
        load_id: stamped on the rows; by default one naming the import and its instant.

    Returns:
        The rows written.
    """
    rows = sorted(indicators)
    load_id = load_id or f"spbe-import-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}"
    with warehouse.transaction() as tx:
        tx.execute("DELETE FROM spbe_penilaian WHERE tahun = ? AND versi_kerangka = ?", [year, framework_name])
        tx.executemany(
            "INSERT INTO spbe_penilaian (tahun, versi_kerangka, nomor_indikator, nama_indikator, tingkat, _load_id) VALUES (?, ?, ?, ?, ?, ?)",
            [[year, framework_name, i.number, i.name, i.level, load_id] for i in rows],
        )
    return len(rows)
