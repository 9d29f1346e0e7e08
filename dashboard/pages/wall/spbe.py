"""SPBE (/wall/spbe): the latest SPBE index with its domains and aspects, the index by year, and what to raise first."""

from __future__ import annotations

from dash import html

from dashboard import formatting
from dashboard.components import charts
from dashboard.i18n import translator
from dashboard.wall.page import WallData, chart, figure_panel, panel, place, register_page
from metrics.spbe.framework import framework, in_force
from metrics.status import status_of

t = translator({
    "domains": {"id": "Indeks domain", "en": "Domain indices"},
    "aspects": {"id": "Indeks aspek", "en": "Aspect indices"},
    "history": {"id": "Riwayat indeks", "en": "Index by year"},
    "raise_first": {"id": "Naikkan lebih dulu (menuju {target})", "en": "Raise first (towards {target})"},
    "reached": {"id": "Target {target} sudah tercapai", "en": "Target {target} reached"},
})
YEARS_SHOWN, STEPS_SHOWN = 6, 6


def view(data: WallData) -> list:
    lang = data.lang
    info = data.spbe()
    latest = info["latest"]
    if not latest:
        return [figure_panel(t("spbe_index", lang), "–", t("no_assessment", lang), style=place(1, 1))]
    version = framework(latest["framework"])
    judged = info["thresholds"]  # the SPBE indicator's target and bands, as its tile judges the index

    def bar(label: str, index: float) -> charts.Bar:
        return charts.Bar(label, index, formatting.number(index, 2, lang), status_of(index, judged["green"], judged["amber"], "higher"))

    # The id stays on the line of the name's first word (a no-break space), never alone on a line of its own.
    domains = [bar(f"{d.id}\u00a0{d.short_name}", latest["domains"][d.id]) for d in version.domains]
    aspects = [bar(f"{a.id}\u00a0{a.short_name}", latest["aspects"][a.id]) for a in version.aspects]
    history = [(str(h["year"]), h.get("index")) for h in info["history"]][-YEARS_SHOWN:]
    guides = [(p.lower, p.name) for p in in_force(latest["year"]).predicates if p.lower > 0]  # the bands it is judged by
    steps = info["plan"]["steps"][:STEPS_SHOWN]
    raise_rows = [html.Li(f"{s['indicator']}. {s['name']}: {s['from']} → {s['to']} ({formatting.number(s['index'], 2, lang)})") for s in steps]
    target = formatting.number(info["plan"]["target"], 1, lang)
    return [
        figure_panel(t("spbe_index", lang), formatting.number(latest["index"], 2, lang), f"{latest['predicate']} · {latest['year']}"),
        panel(t("domains", lang), chart(charts.bars(domains, maximum=5.0, target=judged["target"]), t("domains", lang))),
        panel(t("aspects", lang), chart(charts.bars(aspects, maximum=5.0, target=judged["target"]), t("aspects", lang)), class_name="panel-tall", style=place(3, "1 / span 2")),
        panel(t("history", lang), chart(charts.columns(history, 5.0, guides, width=1100), t("history", lang)), style=place("1 / span 2", 2)),
        panel(t("raise_first", lang, target=target),
              html.Ol(raise_rows, className="raise-list") if raise_rows else html.Div(t("reached", lang, target=target), className="big-caption"),
              style=place(4, "1 / span 2")),
    ]


register_page(__name__, "spbe", {"id": "SPBE", "en": "SPBE"}, view, order=5)
