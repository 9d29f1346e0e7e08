"""Ringkasan (/wall/ringkasan): the six smart-city dimension scores, the SPBE index and five headline tiles."""

from __future__ import annotations

from dashboard import formatting
from dashboard.components import charts
from dashboard.i18n import translator
from dashboard.wall.page import WallData, chart, figure_panel, panel, place, register_page, tiles
from metrics.smartcity.overview import DIMENSIONS

t = translator({"dimension_scores": {"id": "Skor dimensi smart city (0–5)", "en": "Smart-city dimension scores (0–5)"}})
HEADLINES = ("masterplan_realisasi", "izin_tepat_waktu", "lahir_tercatat_60h", "absensi_tepat_waktu", "aduan_tertunggak")


def view(data: WallData) -> list:
    lang = data.lang
    scores = {d["dimension"]: d["score"] for d in data.smartcity()["dimensions"]}
    radar = charts.radar([(name.replace("Smart ", ""), scores.get(name)) for _, name in DIMENSIONS], margin=130)
    spbe = data.spbe()["latest"]
    return [
        panel(t("dimension_scores", lang), chart(radar, t("dimension_scores", lang)), class_name="panel-radar", style=place("1 / span 2", 1)),
        figure_panel(t("spbe_index", lang), formatting.number(spbe["index"], 2, lang) if spbe else "–",
                     f"{spbe['predicate']} · {spbe['year']}" if spbe else t("no_assessment", lang), style=place(1, 2)),
        *tiles(data, HEADLINES, placed={0: place(2, 2)}),
    ]


register_page(__name__, "ringkasan", {"id": "Ringkasan", "en": "Overview"}, view, order=1)
