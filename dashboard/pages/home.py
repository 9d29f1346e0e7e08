"""Landing page: what Pantau is and where its screens are."""

from __future__ import annotations

import dash
from dash import html

from dashboard.i18n import t
from dashboard.services import services
from dashboard.wall.views import PAGES

dash.register_page(__name__, path="/", title="Pantau", name="Beranda")


def layout(lang: str = "id", **_query: str) -> html.Div:
    svc = services()
    links = [html.Li([html.A(t("wall_playlist", lang), href=f"/wall?lang={lang}"), " · ",
                      html.A(t("wall_setup", lang), href=f"/wall?lang={lang}&kiosk=0")])]
    links += [html.Li(html.A(t(f"page_{p}", lang), href=f"/wall/{p}?lang={lang}")) for p in PAGES]
    api = [html.Li(html.A(path, href=path)) for path in ("/api/v1/indicators", "/api/v1/sources", "/api/health")]
    return html.Div(
        [
            html.H1(f"Pantau · {svc.region_name}"),
            html.P(t("home_intro", lang)),
            html.H2("Layar" if lang == "id" else "Screens"),
            html.Ul(links),
            html.H2("API"),
            html.Ul(api),
        ],
        className="home",
    )
