"""Smart-city overview: masterplan progress by dimension, and a dimension score from Pantau's indicators.

Dimension score, stated wherever it is shown: each indicator of the dimension with a value counts by how far it
reaches its target (value ÷ target, or target ÷ value where lower is better), at most 100 %. An indicator whose
target is zero (open cases) or a growth counts by its status instead: green 100 %, amber 50 %, red 0 %. The score
is the mean of those, scaled to 0-5 like the evaluation's component scores. A dimension without indicators has no
score.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from metrics.reading import Reading

DIMENSIONS = (
    ("governance", "Smart Governance"),
    ("branding", "Smart Branding"),
    ("economy", "Smart Economy"),
    ("living", "Smart Living"),
    ("society", "Smart Society"),
    ("environment", "Smart Environment"),
)
METHOD = (
    "Skor dimensi = rata-rata capaian indikator dimensi itu terhadap targetnya (nilai ÷ target, atau target ÷ nilai "
    "bila makin kecil makin baik; paling tinggi 100%), dikali 5. Indikator dengan target nol atau target pertumbuhan "
    "dinilai dari statusnya: hijau 100%, kuning 50%, merah 0%. Dimensi tanpa indikator belum diberi skor."
)
BY_STATUS = {"green": 1.0, "amber": 0.5, "red": 0.0}


def masterplan_progress(cur: duckdb.DuckDBPyConnection) -> dict:
    """Programmes by dimension: how many done, ongoing and not started, and their mean progress."""
    rows = cur.execute(
        "SELECT dimensi, count(*) FILTER (WHERE status = 'selesai'), count(*) FILTER (WHERE status = 'berjalan'), "
        "count(*) FILTER (WHERE status = 'belum_mulai'), count(*), avg(progres) FROM masterplan_program GROUP BY dimensi"
    ).fetchall()
    by_code = {r[0]: r[1:] for r in rows}
    dimensions = []
    for code, name in DIMENSIONS:
        done, ongoing, not_started, total, progress = by_code.get(code, (0, 0, 0, 0, None))
        dimensions.append({"dimension": name, "done": done, "ongoing": ongoing, "not_started": not_started, "total": total,
                           "progress": None if progress is None else round(progress, 1)})
    by_opd = cur.execute(
        "SELECT kode_opd, count(*) FILTER (WHERE status = 'selesai'), count(*) FILTER (WHERE status = 'berjalan'), "
        "count(*) FILTER (WHERE status = 'belum_mulai'), count(*) FROM masterplan_program GROUP BY kode_opd ORDER BY count(*) DESC, kode_opd"
    ).fetchall()
    total = sum(d["total"] for d in dimensions)
    done = sum(d["done"] for d in dimensions)
    return {
        "total": total, "done": done, "done_share": round(100 * done / total, 1) if total else None, "dimensions": dimensions,
        "opds": [{"opd": o, "done": d, "ongoing": g, "not_started": n, "total": t} for o, d, g, n, t in by_opd],
    }


PROGRAMME_COLUMNS = ("kode_program", "nomor", "program", "dimensi", "elemen", "kode_opd", "tahun_mulai", "status", "progres", "anggaran")


def programmes(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every masterplan programme as the sheet gives it, in the sheet's order."""
    rows = cur.execute(f"SELECT {', '.join(PROGRAMME_COLUMNS)} FROM masterplan_program ORDER BY nomor NULLS LAST, kode_program").fetchall()
    return [{c: (float(v) if c == "progres" and v is not None else v) for c, v in zip(PROGRAMME_COLUMNS, r, strict=True)} for r in rows]


def attainment(reading: Reading) -> float | None:
    """How far one indicator reaches its target, 0-1; None without a value."""
    value, indicator = reading.value, reading.indicator
    target = indicator.target.value
    if value is None:
        return None
    if not target or indicator.judged_on != "value":
        return BY_STATUS.get(reading.status)
    if indicator.direction == "lower":
        return 1.0 if value <= target else target / value
    return min(value / target, 1.0)


def dimension_scores(readings: list[Reading]) -> list[dict]:
    """Each dimension's score (0-5) from its indicators, with the indicators it rests on."""
    out = []
    for _, name in DIMENSIONS:
        members = [r for r in readings if r.indicator.dimension == name]
        attained = [a for a in (attainment(r) for r in members) if a is not None]
        out.append({
            "dimension": name,
            "score": round(5 * sum(attained) / len(attained), 2) if attained else None,
            "indicators": [r.id for r in members],
        })
    return out
