"""/wall/<page>: one wall page, fixed (no playlist), with the same refresh and chrome as /wall."""

from __future__ import annotations

import dash
from dash import html

from dashboard.wall.shell import shell
from dashboard.wall.views import PAGES

dash.register_page(__name__, path_template="/wall/<page>", title="Pantau · Dinding", name="Halaman dinding")


def layout(page: str = "ringkasan", lang: str = "id", screen: str | None = None, kiosk: str | None = None, indikator: str | None = None, **_query: str) -> html.Div:
    if page not in PAGES:
        return html.Div(f"Halaman '{page}' tidak ada; yang ada: {', '.join(PAGES)}", className="home")
    return shell(page, screen, lang, kiosk, indikator)
