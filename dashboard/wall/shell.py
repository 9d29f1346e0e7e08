"""The wall shell shared by /wall (a screen's playlist of pages) and /wall/<page> (one page, fixed).

The first paint already carries values (the layout renders the first page with what is stored); then one
callback refreshes the page in place on an interval, and wall.js turns the playlist, ticks the clock, pauses
while the page is hidden and reloads the page now and then as memory hygiene.
"""

from __future__ import annotations

import json
import logging
import threading
import time

from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from config.settings import PlaylistItem, WallSettings
from dashboard.components.alerts import alert_strip, alerts
from dashboard.i18n import language, t
from dashboard.registry import wall_page, wall_pages
from dashboard.services import services
from dashboard.wall.data import WallData, gather

log = logging.getLogger(__name__)
# Every screen asking within this long shares one render, unless the data changed first: twenty screens cost one
# render, not twenty. Ages tick in the browser, so the only cost is a state change (fresh to late) seen 5 s later.
RENDER_KEEP_S = 5.0
_renders: tuple[tuple, dict] = ((), {})
_render_lock = threading.Lock()


def playlist(settings: WallSettings, screen: str | None) -> list[PlaylistItem]:
    """The screen's playlist; an unknown or missing screen plays the first one configured, or every wall page."""
    screens = settings.screens
    return screens.get(str(screen)) or next(iter(screens.values()), None) or [PlaylistItem(page=p.slug) for p in wall_pages()]


def _map_indicator(settings: WallSettings, items: list[PlaylistItem], page: str, requested: str | None) -> str:
    if requested:
        return requested
    return next((i.indikator for i in items if i.page == page and i.indikator), None) or settings.map_indicator


def _alert_strip(data: WallData) -> list:
    found = alerts(list(data.readings.values()), list(data.sources), data.breakdown("aduan_tertunggak", "kode_opd"), data.lang,
                   data.warehouse_fault, data.not_recomputed)
    return alert_strip(found, data.lang)


def _dots(items: list[PlaylistItem], index: int, fixed: str | None) -> list:
    if fixed:
        return []
    return [html.Span(className="dot on" if i == index else "dot") for i in range(len(items))]


def _playlist_attr(items: list[PlaylistItem], settings: WallSettings) -> str:
    return json.dumps({"pages": [{"page": i.page, "dwell_ms": int(i.dwell.total_seconds() * 1000)} for i in items],
                       "reload_ms": int(settings.reload_every.total_seconds() * 1000)})


def _checked_context(context: dict) -> dict:
    """The wall's context as the layout wrote it; anything else (a hand-made request) falls back to the defaults."""
    def text(key: str) -> str | None:
        value = context.get(key)
        return value[:40] if isinstance(value, str) else None

    return {"lang": language(text("lang")), "screen": text("screen"), "fixed": text("fixed"), "indikator": text("indikator"),
            "kiosk": context.get("kiosk", True) is not False}


def render(page: str, index: int, context: dict) -> dict:
    """Everything that changes on the wall, for the page at `index` of the playlist (or the fixed page); shared
    with every other screen asking the same within RENDER_KEEP_S while the data stays the same."""
    global _renders
    svc = services()
    stamp = (id(svc.metrics), svc.metrics.data_version(), id(svc.wall.current()), int(time.monotonic() // RENDER_KEEP_S))
    key = (page, index, *(context.get(k) for k in ("lang", "screen", "fixed", "indikator", "kiosk")))
    with _render_lock:
        if _renders[0] != stamp:
            _renders = (stamp, {})
        kept = _renders[1]
    if key not in kept:
        kept[key] = _render(page, index, context)
    return kept[key]


def _render(page: str, index: int, context: dict) -> dict:
    svc = services()
    settings = svc.wall.current()
    lang = context["lang"]
    items = playlist(settings, context.get("screen"))
    shown = wall_page(page)
    data = gather(svc.metrics, lang, _map_indicator(settings, items, page, context.get("indikator")))
    return {
        "stage": shown.view(data),
        "stage_class": f"stage page-{page}",
        "title": shown.title_in(lang),
        "simulated_hidden": not data.simulated,
        "alerts": _alert_strip(data) if settings.kiosk.alerts or not context.get("kiosk", True) else [],
        "dots": _dots(items, index, context.get("fixed")),
        "playlist": _playlist_attr(items, settings),
        "interval_ms": int(svc.wall.refresh_s() * 1000),
    }


def _region(name: str) -> html.Span:
    """The region's name on two lines, its kind over its name ("Kabupaten" over "Padang Pariaman"): room for long page titles."""
    kind, _, rest = name.partition(" ")
    lines = [kind, rest] if rest else [name]
    return html.Span([html.Span(line) for line in lines], className="region")


def navigation(lang: str, query: str = "") -> html.Nav:
    """Links to every wall page, then to the playlist (▶); `query` keeps ?screen= and ?kiosk= on them."""
    return html.Nav(
        [html.A(p.title_in(lang), href=f"/wall/{p.slug}?lang={lang}{query}") for p in wall_pages()] + [html.A("▶", href=f"/wall?lang={lang}{query}")],
        className="wall-nav",
    )


def shell(fixed: str | None, screen: str | None, lang: str, kiosk: str | None, indikator: str | None) -> html.Div:
    """The wall page around its first render."""
    svc = services()
    settings = svc.wall.current()
    lang = language(lang)
    items = playlist(settings, screen)
    page = fixed or items[0].page
    chrome = settings.kiosk if kiosk != "0" else settings.kiosk.model_copy(update={"navigation": True, "language_switch": True, "hide_cursor": False})
    context = {"lang": lang, "screen": screen, "fixed": fixed, "indikator": indikator, "kiosk": kiosk != "0"}
    first = render(page, 0, context)
    query = "".join(f"&{k}={v}" for k, v in (("screen", screen), ("kiosk", kiosk)) if v)
    nav = navigation(lang, query) if chrome.navigation else None
    switch = html.Nav([html.A("ID", href=f"?lang=id{query}"), html.A("EN", href=f"?lang=en{query}")], className="lang-switch") if chrome.language_switch else None
    return html.Div(
        [
            html.Header(
                [
                    html.Div([html.Span("PANTAU", className="brand"), _region(svc.region_name)], className="wall-title"),
                    html.H1(first["title"], id="wall-page-title", className="page-title"),
                    html.Div(t("simulated", lang), id="wall-simulated", className="simulated-label", hidden=first["simulated_hidden"]),
                    switch,
                    html.Div([html.Span(className="clock-date"), html.Span(className="clock-time")], id="wall-clock", className="clock", hidden=not chrome.clock),
                ],
                className="wall-header",
            ),
            nav,
            html.Main(first["stage"], id="wall-stage", className=first["stage_class"]),
            html.Footer(
                [html.Div(first["alerts"], id="wall-alerts", className="alert-strip", hidden=not (chrome.alerts)),
                 html.Div(first["dots"], id="wall-dots", className="dots", hidden=not chrome.page_dots)],
                className="wall-footer",
            ),
            dcc.Interval(id="wall-refresh", interval=first["interval_ms"]),
            dcc.Store(id="wall-page", data={"index": 0, "page": page}),
            dcc.Store(id="wall-context", data=context),
            html.Div(id="wall-playlist", **{"data-playlist": first["playlist"], "data-fixed": fixed or ""}, hidden=True),
        ],
        className="wall hide-cursor" if chrome.hide_cursor else "wall",
        lang=lang,
    )


@callback(
    Output("wall-stage", "children"),
    Output("wall-stage", "className"),
    Output("wall-page-title", "children"),
    Output("wall-simulated", "hidden"),
    Output("wall-alerts", "children"),
    Output("wall-dots", "children"),
    Output("wall-playlist", "data-playlist"),
    Output("wall-refresh", "interval"),
    Input("wall-refresh", "n_intervals"),
    Input("wall-page", "data"),
    State("wall-context", "data"),
    prevent_initial_call=True,
)
def refresh(_n: int, page: dict, context: dict) -> tuple:
    """The current page again with new values; on any failure the page keeps what it shows."""
    if not isinstance(page, dict) or not isinstance(context, dict):
        raise PreventUpdate  # not what the wall sends: a hand-made request
    context = _checked_context(context)
    name = context["fixed"] or page.get("page")
    index = page.get("index", 0)
    if not isinstance(name, str) or wall_page(name) is None:
        raise PreventUpdate
    try:
        r = render(name, index if isinstance(index, int) and 0 <= index < 1000 else 0, context)
    except Exception:
        log.exception("wall refresh failed; keeping the page on screen")
        raise PreventUpdate from None
    return r["stage"], r["stage_class"], r["title"], r["simulated_hidden"], r["alerts"], r["dots"], r["playlist"], r["interval_ms"]
