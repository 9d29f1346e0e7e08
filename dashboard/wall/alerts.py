"""The alert strip: what needs action now, most severe first, in words readable from across the room.

Severity, highest first: a source failing or stale (every figure it feeds is in doubt), licences past their SLA
(they count as granted by law), complaints overdue by OPD, indicators that turned red since the previous
period, then indicators that stay red.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import formatting
from region.opd import OPD_BY_CODE

UNTRUSTED = ("failing", "stale", "never")


@dataclass(frozen=True)
class Alert:
    severity: int  # 1 is the most severe
    kind: str  # source, sla, overdue, turned_red, red
    text: str


def _opd(code: str) -> str:
    opd = OPD_BY_CODE.get(code)
    return opd.nama if opd else code


def alerts(readings: list[dict], sources: list[dict], overdue_by_opd: list[dict], lang: str = "id") -> list[Alert]:
    """Alerts from the current readings, each source's freshness and the complaints overdue per OPD.

    Args:
        readings: MetricsService.readings().
        sources: each source's freshness ({"source", "state", ...}).
        overdue_by_opd: MetricsService.breakdown("aduan_tertunggak", "kode_opd").
    """
    en = lang == "en"
    found: list[Alert] = []
    for s in sources:
        if s["state"] in UNTRUSTED:
            word = {"failing": ("gagal dibaca", "failing"), "stale": ("basi", "stale"), "never": ("belum pernah terbaca", "never read")}[s["state"]]
            found.append(Alert(1, "source", f"Source {s['source']} {word[1]}" if en else f"Sumber {s['source']} {word[0]}"))
    by_id = {r["id"]: r for r in readings}
    late = by_id.get("izin_lewat_sla")
    if late and late["value"]:
        n = formatting.number(late["value"], 0, lang)
        found.append(Alert(2, "sla", f"{n} licence applications past their SLA" if en else f"{n} permohonan izin lewat SLA (fiktif positif)"))
    for row in sorted(overdue_by_opd, key=lambda r: -(r["value"] or 0)):
        if row["value"]:
            n = formatting.number(row["value"], 0, lang)
            found.append(Alert(3, "overdue", f"{_opd(row['member'])}: {n} complaints over 60 days" if en else f"{_opd(row['member'])}: {n} aduan > 60 hari"))
    for r in readings:
        if r["status"] != "red" or r["id"] in ("izin_lewat_sla", "aduan_tertunggak"):
            continue
        name = r["name_en"] if en else r["name"]
        if r.get("previous_status") not in (None, "red", "no_data"):
            found.append(Alert(4, "turned_red", f"{name}: turned red" if en else f"{name}: baru merah"))
        else:
            found.append(Alert(5, "red", f"{name}: red" if en else f"{name}: merah"))
    return sorted(found, key=lambda a: a.severity)
