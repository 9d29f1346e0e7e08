"""Landing page: what Pantau is and where its screens are (every registered page, read from the registry)."""

from __future__ import annotations

import dash
from dash import html

from dashboard.i18n import t
from dashboard.registry import wall_pages
from dashboard.services import services

dash.register_page(__name__, path="/", title="Pantau", name="Beranda", order=0)

API = ("/api/v1/indicators", "/api/v1/sources", "/api/health")


def layout(lang: str = "id", **_query: str) -> html.Div:
    svc = services()
    links = [html.Li([html.A(t("wall_playlist", lang), href=f"/wall?lang={lang}"), " · ",
                      html.A(t("wall_setup", lang), href=f"/wall?lang={lang}&kiosk=0")])]
    links += [html.Li(html.A(p.title_in(lang), href=f"/wall/{p.slug}?lang={lang}")) for p in wall_pages()]
    links.append(html.Li(html.A(t("paparan", lang), href=f"/paparan?lang={lang}")))
    return html.Div(
        [
            html.H1(f"Pantau · {svc.region_name}"),
            html.P(t("home_intro", lang)),
            html.H2("Layar" if lang == "id" else "Screens"),
            html.Ul(links, id="home-screens"),
            html.H2("API"),
            html.Ul([html.Li(html.A(path, href=path)) for path in API]),
        ],
        className="home",
    )
