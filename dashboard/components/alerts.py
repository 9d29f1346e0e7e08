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
# Alerts sent to the strip; wall.js shows the leading ones that fit whole on its line and counts the rest.
SENT = 8
NAMED = 3  # indicators named in the "not recomputed" alert; the rest are counted


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
        names = ", ".join(by_id[i].short_name(lang) if i in by_id else i for i in not_recomputed[:NAMED])
        if len(not_recomputed) > NAMED:
            names += " " + t("alerts_more", lang, n=len(not_recomputed) - NAMED)
        found.append(Alert(1, "recompute", t("not_recomputed", lang, names=names)))
    for s in sources:
        if s.state in UNTRUSTED:
            word = {"failing": ("gagal dibaca", "failing"), "stale": ("basi", "stale"), "never": ("belum pernah terbaca", "never read")}[s.state]
            found.append(Alert(1, "source", f"Source {s.source} {word[1]}" if en else f"Sumber {s.source} {word[0]}"))
    by_id = {r.id: r for r in readings}
    late = by_id.get("izin_lewat_sla")
    if late and late.value:
        n = formatting.number(late.value, 0, lang)
        found.append(Alert(2, "sla", f"{n} applications past their SLA" if en else f"{n} izin lewat SLA (fiktif positif)"))
    for row in sorted(overdue_by_opd, key=lambda r: -(r.value or 0)):
        if row.value:
            n = formatting.number(row.value, 0, lang)
            name = opd_name(row.member)
            found.append(Alert(3, "overdue", f"{name}: {n} complaints over 60 days" if en else f"{name}: {n} aduan > 60 hari"))
    for r in readings:
        if r.status != "red" or r.id in ("izin_lewat_sla", "aduan_tertunggak"):
            continue
        if r.previous_status not in (None, "red", "no_data"):
            found.append(Alert(4, "turned_red", f"{r.short_name(lang)}: turned red" if en else f"{r.short_name(lang)}: baru merah"))
        else:
            found.append(Alert(5, "red", f"{r.short_name(lang)}: red" if en else f"{r.short_name(lang)}: merah"))
    return sorted(found, key=lambda a: a.severity)


def alert_strip(found: list[Alert], lang: str = "id") -> list:
    """The strip's contents: the most severe alerts, a count of the rest, or a calm "nothing needs action".

    Each alert is said whole. wall.js hides the trailing ones that do not fit on the strip's line and rewrites
    the count from `data-total` and the `data-more` template; without it, all those sent show.
    """
    if not found:
        return [html.Span("✓ " + t("alerts_none", lang), className="alert alert-ok")]
    shown = [html.Span(a.text, className=f"alert alert-{a.kind}") for a in found[:SENT]]
    rest = len(found) - len(shown)
    shown.append(html.Span(t("alerts_more", lang, n=rest), className="alert alert-more", hidden=rest == 0,
                           **{"data-total": str(len(found)), "data-more": t("alerts_more", lang, n="{n}")}))
    return shown
