"""/wall: the command-room wall playing a screen's playlist (?screen=N, ?lang=en, ?kiosk=0 for set-up)."""

from __future__ import annotations

import dash
from dash import html

from dashboard.wall.shell import shell

dash.register_page(__name__, path="/wall", title="Pantau · Dinding", name="Dinding")


def layout(lang: str = "id", screen: str | None = None, kiosk: str | None = None, indikator: str | None = None, **_query: str) -> html.Div:
    return shell(None, screen, lang, kiosk, indikator)
