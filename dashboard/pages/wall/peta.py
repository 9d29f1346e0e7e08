"""Peta Kecamatan (/wall/peta): the kecamatan coloured by an indicator's status (offline map), with its tile."""

from __future__ import annotations

from dash import html

from dashboard import formatting
from dashboard.components import charts
from dashboard.components.tile import decimals, tile
from dashboard.i18n import translator
from dashboard.wall.page import WallData, chart, panel, place, register_page
from region.kecamatan import all_kecamatan

TITLE = {"id": "Peta Kecamatan", "en": "Kecamatan Map"}
t = translator({"map_no_breakdown": {"id": "Indikator {id} tidak dirinci per kecamatan", "en": "Indicator {id} has no kecamatan breakdown"}})
MAP = place("1 / span 3", "1 / span 2")


def view(data: WallData) -> list:
    lang = data.lang
    reading = data.readings.get(data.map_indicator)
    if reading is None or "kode_kecamatan" not in reading.indicator.breakdowns:
        return [panel(TITLE[lang], html.Div(t("map_no_breakdown", lang, id=data.map_indicator), className="big-caption"), class_name="panel-map", style=MAP)]
    members = {r.member: (r.status, formatting.number(r.value, decimals(reading), lang)) for r in data.breakdown(reading.id, "kode_kecamatan")}
    name = reading.name(lang)
    missing = [k.nama for k in all_kecamatan() if k.kode not in members]
    legend = [(s, t(f"status_{s}", lang)) for s in ("green", "amber", "red", "no_data")]
    return [
        panel(name, chart(charts.kecamatan_map(members, legend), name), html.Div(t("map_credit", lang), className="credit"), class_name="panel-map", style=MAP),
        tile(reading, lang),
        html.Div(", ".join(missing), className="map-missing", hidden=not missing, style=place(4, "auto")),
    ]


register_page(__name__, "peta", TITLE, view, order=4)
