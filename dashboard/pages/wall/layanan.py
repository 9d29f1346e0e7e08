"""Layanan Publik (/wall/layanan): licensing, civil registration, complaints and fire response, and overdue complaints by OPD."""

from __future__ import annotations

from dashboard import formatting
from dashboard.components import charts
from dashboard.i18n import translator
from dashboard.wall.page import WallData, chart, panel, place, register_page, tiles
from region.opd import opd_name

t = translator({"overdue_by_opd": {"id": "Aduan tertunggak > 60 hari per OPD", "en": "Complaints open over 60 days by OPD"}})
SHOWN = ("izin_tepat_waktu", "izin_lewat_sla", "lahir_tercatat_60h", "aduan_verifikasi_3hk", "aduan_selesai_60h", "damkar_respons_15m")


def view(data: WallData) -> list:
    lang = data.lang
    overdue = sorted(data.breakdown("aduan_tertunggak", "kode_opd"), key=lambda r: -(r.value or 0))[:8]
    rows = [charts.Bar(opd_name(r.member), r.value or 0, formatting.number(r.value, 0, lang), r.status) for r in overdue]
    return [
        *tiles(data, SHOWN),
        panel(t("overdue_by_opd", lang), chart(charts.bars(rows), t("overdue_by_opd", lang)), class_name="panel-side", style=place(4, "1 / span 2")),
    ]


register_page(__name__, "layanan", {"id": "Layanan Publik", "en": "Public Services"}, view, order=2)
