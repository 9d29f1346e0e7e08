"""The six wall pages, each a function of what the metrics layer has already stored: no indicator query runs here.

A page is a grid of panels: indicator tiles (components.tile) and chart panels drawn as inline SVG
(dashboard.wall.charts). Each returns Dash components; the wall shell places them and refreshes them in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dash import html

from dashboard import formatting
from dashboard.components import decimals, tile
from dashboard.i18n import t
from dashboard.wall import charts
from metrics.indicators.aparatur import SANCTION_STEPS
from metrics.smartcity.overview import DIMENSIONS
from metrics.spbe.framework import framework
from region.kecamatan import all_kecamatan
from region.opd import OPD_BY_CODE

PAGES: tuple[str, ...] = ("ringkasan", "layanan", "aparatur", "peta", "spbe", "masterplan")
PROGRESS_COLOURS = {"done": "#2ecc71", "ongoing": "#f5b041", "not_started": "#5b6577"}


@dataclass(frozen=True)
class WallData:
    """Everything a wall page reads, gathered once per refresh."""

    readings: dict[str, dict]
    breakdown: Callable[[str, str], list[dict]]
    spbe: Callable[[], dict]
    smartcity: Callable[[], dict]
    lang: str
    map_indicator: str


def _tiles(data: WallData, ids: tuple[str, ...]) -> list:
    return [tile(data.readings[i], data.lang) for i in ids if i in data.readings]


def _panel(title: str, *children, class_name: str = "") -> html.Section:
    return html.Section([html.H2(title, className="panel-title"), *children], className=f"panel {class_name}".strip())


def _chart(src: str, alt: str) -> html.Img:
    return html.Img(src=src, alt=alt, className="chart")


def _opd_name(code: str) -> str:
    opd = OPD_BY_CODE.get(code)
    return opd.nama if opd else code


def ringkasan(data: WallData) -> list:
    lang = data.lang
    scores = {d["dimension"]: d["score"] for d in data.smartcity()["dimensions"]}
    radar = charts.radar([(name.replace("Smart ", ""), scores.get(name)) for _, name in DIMENSIONS], margin=130)
    spbe = data.spbe()["latest"]
    spbe_panel = _panel(
        t("spbe_index", lang),
        html.Div(formatting.number(spbe["index"], 2, lang) if spbe else "–", className="big-figure"),
        html.Div(f"{spbe['predicate']} · {spbe['year']}" if spbe else t("no_assessment", lang), className="big-caption"),
        class_name="panel-spbe",
    )
    return [
        _panel(t("dimension_scores", lang), _chart(radar, t("dimension_scores", lang)), class_name="panel-radar"),
        spbe_panel,
        *_tiles(data, ("masterplan_realisasi", "izin_tepat_waktu", "lahir_tercatat_60h", "absensi_tepat_waktu", "aduan_tertunggak")),
    ]


def layanan(data: WallData) -> list:
    lang = data.lang
    overdue = sorted(data.breakdown("aduan_tertunggak", "kode_opd"), key=lambda r: -(r["value"] or 0))[:8]
    rows = [charts.Bar(_opd_name(r["member"]), r["value"] or 0, formatting.number(r["value"], 0, lang), r["status"]) for r in overdue]
    return [
        *_tiles(data, ("izin_tepat_waktu", "izin_lewat_sla", "lahir_tercatat_60h", "aduan_verifikasi_3hk", "aduan_selesai_60h", "damkar_respons_15m")),
        _panel(t("overdue_by_opd", lang), _chart(charts.bars(rows), t("overdue_by_opd", lang)), class_name="panel-side"),
    ]


def aparatur(data: WallData) -> list:
    lang = data.lang
    reading = data.readings.get("absensi_tepat_waktu")
    by_opd = sorted(data.breakdown("absensi_tepat_waktu", "kode_opd"), key=lambda r: r["value"] if r["value"] is not None else 101)[:10]
    rows = [charts.Bar(_opd_name(r["member"]), r["value"] or 0, formatting.number(r["value"], 1, lang), r["status"]) for r in by_opd]
    steps = {r["member"]: r["value"] or 0 for r in data.breakdown("asn_ambang_sanksi", "tahap")}
    step_rows = [charts.Bar(name, steps.get(name, 0), formatting.number(steps.get(name, 0), 0, lang), "red" if steps.get(name) else "green")
                 for _, name in SANCTION_STEPS if steps.get(name) or _always_listed(name)]
    return [
        *_tiles(data, ("absensi_tepat_waktu", "absensi_kehadiran", "asn_ambang_sanksi", "tte_porsi", "tte_gagal")),
        _panel(t("on_time_by_opd", lang), _chart(charts.bars(rows, maximum=100.0, target=reading["target"] if reading else None), t("on_time_by_opd", lang)), class_name="panel-side"),
        _panel(t("sanction_steps", lang), _chart(charts.bars(step_rows), t("sanction_steps", lang)), class_name="panel-wide"),
    ]


def _always_listed(name: str) -> bool:
    """The first three discipline steps are always listed, even at zero, so an empty chart still says what it counts."""
    return name in [n for _, n in SANCTION_STEPS[:3]]


def _plan_target(info: dict) -> float:
    return info["plan"]["target"] if info.get("plan") else 4.2


def peta(data: WallData) -> list:
    lang = data.lang
    reading = data.readings.get(data.map_indicator)
    if reading is None or "kode_kecamatan" not in reading["breakdowns"]:
        return [_panel(t("page_peta", lang), html.Div(t("map_no_breakdown", lang, id=data.map_indicator), className="big-caption"), class_name="panel-map")]
    members = {r["member"]: (r["status"], formatting.number(r["value"], decimals(reading), lang)) for r in data.breakdown(reading["id"], "kode_kecamatan")}
    name = reading["name"] if lang == "id" else reading["name_en"]
    missing = [k.nama for k in all_kecamatan() if k.kode not in members]
    return [
        _panel(name, _chart(charts.kecamatan_map(members, [(s, t(f"status_{s}", lang)) for s in ("green", "amber", "red", "no_data")]), name),
               html.Div(t("map_credit", lang), className="credit"), class_name="panel-map"),
        tile(reading, lang),
        html.Div(", ".join(missing), className="map-missing", hidden=not missing),
    ]


def spbe(data: WallData) -> list:
    lang = data.lang
    info = data.spbe()
    latest = info["latest"]
    if not latest:
        return [_panel(t("spbe_index", lang), html.Div(t("no_assessment", lang), className="big-caption"), class_name="panel-spbe")]
    version = framework(latest["framework"])

    target_index = _plan_target(info)

    def status(index: float) -> str:
        # Against the regency's target (Memuaskan from 4.2), amber from Baik (2.6), as the SPBE tile judges the index.
        return "green" if index >= target_index else "amber" if index >= 2.6 else "red"

    domains = [charts.Bar(f"{d.id} {d.name}", latest["domains"][d.id], formatting.number(latest["domains"][d.id], 2, lang), status(latest["domains"][d.id])) for d in version.domains]
    aspects = [charts.Bar(f"{a.id} {a.name}", latest["aspects"][a.id], formatting.number(latest["aspects"][a.id], 2, lang), status(latest["aspects"][a.id])) for a in version.aspects]
    history = [(str(h["year"]), h.get("index")) for h in info["history"]][-6:]
    guides = [(p.lower, p.name) for p in version.predicates if p.lower > 0]
    plan = info["plan"]
    steps = plan["steps"][:6] if plan else []
    raise_rows = [html.Li(f"{s['indicator']}. {s['name']}: {s['from']} → {s['to']} ({formatting.number(s['index'], 2, lang)})") for s in steps]
    target = formatting.number(plan["target"], 1, lang) if plan else "4,2"
    return [
        _panel(t("spbe_index", lang), html.Div(formatting.number(latest["index"], 2, lang), className="big-figure"),
               html.Div(f"{latest['predicate']} · {latest['year']}", className="big-caption"), class_name="panel-spbe"),
        _panel(t("domains", lang), _chart(charts.bars(domains, maximum=5.0, target=target_index), t("domains", lang))),
        _panel(t("aspects", lang), _chart(charts.bars(aspects, maximum=5.0, target=target_index), t("aspects", lang)), class_name="panel-tall"),
        _panel(t("history", lang), _chart(charts.columns(history, 5.0, guides, width=1100), t("history", lang))),
        _panel(t("raise_first", lang, target=target), html.Ol(raise_rows, className="raise-list") if raise_rows else html.Div(t("reached", lang, target=target), className="big-caption")),
    ]


def masterplan(data: WallData) -> list:
    lang = data.lang
    progress = data.smartcity()["masterplan"] or {"dimensions": [], "opds": []}
    legend = [(t("done", lang), PROGRESS_COLOURS["done"]), (t("ongoing", lang), PROGRESS_COLOURS["ongoing"]), (t("not_started", lang), PROGRESS_COLOURS["not_started"])]

    def parts(row: dict) -> list[tuple[float, str]]:
        return [(row["done"], PROGRESS_COLOURS["done"]), (row["ongoing"], PROGRESS_COLOURS["ongoing"]), (row["not_started"], PROGRESS_COLOURS["not_started"])]

    dims = [(d["dimension"].replace("Smart ", ""), parts(d)) for d in progress["dimensions"]]
    opds = [(_opd_name(o["opd"]), parts(o)) for o in progress["opds"][:9]]
    return [
        *_tiles(data, ("masterplan_realisasi",)),
        _panel(t("by_dimension", lang), _chart(charts.stacked(dims, legend), t("by_dimension", lang)), class_name="panel-wide"),
        _panel(t("by_opd", lang), _chart(charts.stacked(opds, legend), t("by_opd", lang)), class_name="panel-wide"),
    ]


VIEWS: dict[str, Callable[[WallData], list]] = {
    "ringkasan": ringkasan, "layanan": layanan, "aparatur": aparatur, "peta": peta, "spbe": spbe, "masterplan": masterplan,
}
