"""The SPBE index by year from the self-assessments loaded into the warehouse, with Pantau's own evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from metrics.spbe.framework import available, framework, in_force

SPBE_TABLE = "spbe_penilaian"  # the spbe source's table, whose rows give the index

if TYPE_CHECKING:
    from metrics.reading import Reading


def _framework_id(name: str) -> str | None:
    """A framework id from the name a self-assessment file gives ("PermenPANRB 59/2020")."""
    return next((f for f in available() if framework(f).file_name.lower() == name.strip().lower() or f == name.strip()), None)


def spbe_history(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    """Each assessed year's index, predicate, domains and aspects; a year whose file is incomplete says so.

    The index is computed with the weights of the framework the file names; its predicate is that of the framework
    in force for the year (`in_force`), the same bands its status is judged by. A scored year also carries
    `previous_year`, the scored assessment before it (years without one are skipped), and `change`, its index less
    that year's: the change on the previous assessment, as the SPBE tile shows it.
    """
    rows = cur.execute(f"SELECT tahun, versi_kerangka, nomor_indikator, tingkat FROM {SPBE_TABLE} ORDER BY tahun, nomor_indikator").fetchall()
    years: dict[tuple[int, str], dict[int, int]] = {}
    for year, version, number, level in rows:
        years.setdefault((year, version), {})[number] = level
    history = []
    for (year, version), levels in sorted(years.items()):
        framework_id = _framework_id(version)
        if framework_id is None:
            history.append({"year": year, "framework": version, "index": None, "problem": f"kerangka '{version}' tidak dikenal"})
            continue
        version_ = framework(framework_id)
        missing = sorted({i.number for i in version_.indicators} - set(levels))
        if missing:
            history.append({"year": year, "framework": framework_id, "index": None, "problem": f"indikator tanpa nilai: {', '.join(map(str, missing))}"})
            continue
        scored = version_.score(levels)
        judged_by = in_force(year)
        history.append({**scored, "year": year, "predicate": judged_by.predicate(scored["index"]), "in_force": judged_by.id, "levels": levels})
    previous = None
    for entry in history:
        if entry.get("index") is None:
            continue
        entry["previous_year"] = previous["year"] if previous else None
        entry["change"] = entry["index"] - previous["index"] if previous else None
        previous = entry
    return history


def evidence(readings: list[Reading]) -> dict[int, list[dict]]:
    """For each SPBE indicator number, the Pantau indicators that give operational evidence for it."""
    found: dict[int, list[dict]] = {}
    for r in readings:
        for number in r.indicator.spbe:
            found.setdefault(number, []).append({"id": r.id, "name": r.indicator.name, "value": None if r.value is None else round(r.value, 2), "status": r.status})
    return dict(sorted(found.items()))
