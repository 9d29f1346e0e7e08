"""The command-room wall: one tile per indicator, a live WIB clock, refreshed in place."""

from __future__ import annotations

import logging

import dash
from dash import ALL, Input, Output, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.components import tile, tile_body, tile_class
from dashboard.i18n import t
from dashboard.services import services

log = logging.getLogger(__name__)

dash.register_page(__name__, path="/wall", title="Pantau · Dinding", name="Dinding")


def layout(lang: str = "id", **_query: str) -> html.Div:
    """The wall, rendered with current values so the first paint already shows numbers."""
    svc = services()
    readings = [r for r in svc.metrics.readings() if r["wall"]]
    simulated = any(r["simulated"] for r in readings)
    return html.Div(
        [
            html.Header(
                [
                    html.Div([html.Span("PANTAU", className="brand"), html.Span(svc.region_name, className="region")], className="wall-title"),
                    html.Div(t("simulated", lang), id="wall-simulated", className="simulated-label", hidden=not simulated),
                    # Filled each second by wall.js from the browser's clock, in WIB.
                    html.Div(id="wall-clock", className="clock"),
                ],
                className="wall-header",
            ),
            html.Main([tile(r, lang) for r in readings], className="tiles"),
            dcc.Interval(id="wall-refresh", interval=int(svc.wall_refresh_s * 1000)),
            dcc.Store(id="wall-lang", data=lang),
        ],
        className="wall",
        lang=lang,
    )


@callback(
    Output({"type": "wall-tile-body", "id": ALL}, "children"),
    Output({"type": "wall-tile-body", "id": ALL}, "className"),
    Output("wall-simulated", "hidden"),
    Input("wall-refresh", "n_intervals"),
    Input("wall-lang", "data"),
    dash.State({"type": "wall-tile-body", "id": ALL}, "id"),
    prevent_initial_call=True,
)
def refresh(_n: int, lang: str, ids: list[dict]) -> tuple:
    """New values into the existing tiles; on any failure the tiles keep their last good values."""
    try:
        readings = {r["id"]: r for r in services().metrics.readings() if r["wall"]}
    except Exception:
        log.exception("wall refresh failed; keeping the values on screen")
        raise PreventUpdate from None
    shown = [readings[i["id"]] for i in ids if i["id"] in readings]
    if len(shown) != len(ids):
        raise PreventUpdate  # the catalogue changed: the next full reload picks it up
    return (
        [tile_body(r, lang) for r in shown],
        [tile_class(r) for r in shown],
        not any(r["simulated"] for r in shown),
    )
