"""Masterplan Smart City (/wall/masterplan): programmes done, ongoing and not started, by dimension and by lead OPD."""

from __future__ import annotations

from dashboard.components import charts
from dashboard.components.palette import PROGRESS_COLOUR
from dashboard.i18n import translator
from dashboard.wall.page import WallData, chart, panel, place, register_page, tiles
from region.opd import opd_name

t = translator({
    "by_dimension": {"id": "Program per dimensi", "en": "Programmes by dimension"},
    "by_opd": {"id": "Program per OPD pelaksana", "en": "Programmes by lead OPD"},
    "done": {"id": "Selesai", "en": "Done"},
    "ongoing": {"id": "Berjalan", "en": "Ongoing"},
    "not_started": {"id": "Belum mulai", "en": "Not started"},
})
STATES = ("done", "ongoing", "not_started")
OPDS_SHOWN = 9
WIDE = place("2 / span 3", "auto")


def view(data: WallData) -> list:
    lang = data.lang
    progress = data.smartcity()["masterplan"] or {"dimensions": [], "opds": []}
    legend = [(t(s, lang), PROGRESS_COLOUR[s]) for s in STATES]

    def parts(row: dict) -> list[tuple[float, str]]:
        return [(row[s], PROGRESS_COLOUR[s]) for s in STATES]

    dims = [(d["dimension"].replace("Smart ", ""), parts(d)) for d in progress["dimensions"]]
    opds = [(opd_name(o["opd"]), parts(o)) for o in progress["opds"][:OPDS_SHOWN]]
    return [
        *tiles(data, ("masterplan_realisasi",), placed={0: place("auto", "1 / span 2")}),
        panel(t("by_dimension", lang), chart(charts.stacked(dims, legend), t("by_dimension", lang)), class_name="panel-wide", style=WIDE),
        panel(t("by_opd", lang), chart(charts.stacked(opds, legend), t("by_opd", lang)), class_name="panel-wide", style=WIDE),
    ]


register_page(__name__, "masterplan", {"id": "Masterplan Smart City", "en": "Smart City Masterplan"}, view, order=6)
