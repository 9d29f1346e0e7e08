"""The alert strip: what needs action now, most severe first, in words readable from across the room.

Severity, highest first: a warehouse fault (nothing loaded is kept, every figure stops moving), indicators not
recomputed after their loads, a source failing or stale (every figure it feeds is in doubt), licences past their
SLA (they count as granted by law), complaints overdue by OPD, indicators that turned red since the previous
period, then indicators that stay red.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dash import html

from dashboard import formatting
from dashboard.i18n import t
from metrics.freshness import Freshness
from metrics.reading import BreakdownRow, Reading
from region.opd import opd_name
from warehouse.watch import WarehouseFault

UNTRUSTED = ("failing", "stale", "never")
SHOWN = 3  # alerts shown in the strip; the rest are counted


@dataclass(frozen=True)
class Alert:
    severity: int  # 0 is the most severe
    kind: str  # warehouse, recompute, source, sla, overdue, turned_red, red
    text: str


def alerts(
    readings: list[Reading],
    sources: list[Freshness],
    overdue_by_opd: list[BreakdownRow],
    lang: str = "id",
    warehouse: WarehouseFault | None = None,
    not_recomputed: Sequence[str] = (),
) -> list[Alert]:
    """Alerts from the current readings, each source's freshness and the complaints overdue per OPD.

    Args:
        readings: MetricsService.readings().
        sources: each source's freshness.
        overdue_by_opd: MetricsService.breakdown("aduan_tertunggak", "kode_opd").
        warehouse: MetricsService.warehouse_fault().
        not_recomputed: MetricsService.not_recomputed().
    """
    en = lang == "en"
    found: list[Alert] = []
    if warehouse is not None:
        free = formatting.number(warehouse.free_mb, 0, lang) if warehouse.free_mb is not None else "–"
        found.append(Alert(0, "warehouse", t(f"warehouse_{warehouse.kind}", lang, free=free)))
    if not_recomputed:
        by_id = {r.id: r for r in readings}
        names = ", ".join(by_id[i].name(lang) if i in by_id else i for i in not_recomputed)
        found.append(Alert(1, "recompute", t("not_recomputed", lang, names=names)))
    for s in sources:
        if s.state in UNTRUSTED:
            word = {"failing": ("gagal dibaca", "failing"), "stale": ("basi", "stale"), "never": ("belum pernah terbaca", "never read")}[s.state]
            found.append(Alert(1, "source", f"Source {s.source} {word[1]}" if en else f"Sumber {s.source} {word[0]}"))
    by_id = {r.id: r for r in readings}
    late = by_id.get("izin_lewat_sla")
    if late and late.value:
        n = formatting.number(late.value, 0, lang)
        found.append(Alert(2, "sla", f"{n} licence applications past their SLA" if en else f"{n} permohonan izin lewat SLA (fiktif positif)"))
    for row in sorted(overdue_by_opd, key=lambda r: -(r.value or 0)):
        if row.value:
            n = formatting.number(row.value, 0, lang)
            name = opd_name(row.member)
            found.append(Alert(3, "overdue", f"{name}: {n} complaints over 60 days" if en else f"{name}: {n} aduan > 60 hari"))
    for r in readings:
        if r.status != "red" or r.id in ("izin_lewat_sla", "aduan_tertunggak"):
            continue
        if r.previous_status not in (None, "red", "no_data"):
            found.append(Alert(4, "turned_red", f"{r.name(lang)}: turned red" if en else f"{r.name(lang)}: baru merah"))
        else:
            found.append(Alert(5, "red", f"{r.name(lang)}: red" if en else f"{r.name(lang)}: merah"))
    return sorted(found, key=lambda a: a.severity)


def alert_strip(found: list[Alert], lang: str = "id") -> list:
    """The strip's contents: the most severe alerts, a count of the rest, or a calm "nothing needs action"."""
    if not found:
        return [html.Span("✓ " + t("alerts_none", lang), className="alert alert-ok")]
    shown = [html.Span(a.text, className=f"alert alert-{a.kind}") for a in found[:SHOWN]]
    if len(found) > SHOWN:
        shown.append(html.Span(t("alerts_more", lang, n=len(found) - SHOWN), className="alert alert-more"))
    return shown
