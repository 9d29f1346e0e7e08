"""Make the Dash app: pages from dashboard/pages, assets served locally, the JSON API on the same server."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import dash
import flask
from dash import html

from dashboard import http_policy, prometheus
from dashboard.analisis.downloads import downloads
from dashboard.analisis_api import analisis_api
from dashboard.api import api
from dashboard.i18n import language
from dashboard.identity import identity
from dashboard.paparan.routes import paparan_routes
from dashboard.paparan.views import deck_views
from dashboard.records_api import records_api
from dashboard.services import DashboardServices
from dashboard.signin import guard
from dashboard.signin.admin_api import admin_api
from dashboard.signin.pages import signin_pages
from dashboard.status.api import status_api
from dashboard.status.views import status_views

HERE = Path(__file__).parent


def page_language() -> str:
    """The language the current request's page is shown in."""
    return language(flask.request.args.get("lang") if flask.has_request_context() else None)


class PantauDash(dash.Dash):
    """Dash with an <html> element that says its language (screen readers, Lighthouse) and a head that carries the palette."""

    def interpolate_index(self, **kwargs: str) -> str:
        page = super().interpolate_index(**kwargs)
        page = page.replace("</head>", f"{http_policy.palette_style()}</head>", 1)
        return page.replace("<html>", f'<html lang="{page_language()}">', 1)


# The server's own routes beside the Dash pages; the guard first, so every other view sees who the request is.
BLUEPRINTS = (guard, signin_pages, admin_api, api, analisis_api, records_api, identity, paparan_routes, deck_views, downloads, status_views, status_api)


@cache
def pages_app() -> PantauDash:
    """The process's one Dash app, its pages registered (Dash keeps pages in a global registry, so one app a process).

    Made on first use: by the server, or by a configuration check that needs the wall pages before it.
    """
    app = PantauDash(
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        serve_locally=True,  # a command room may have no internet: every script and style from this server
        update_title=None,  # no "Updating..." in the tab title on refresh
        title="Pantau",
        suppress_callback_exceptions=True,
    )
    app.layout = html.Div(dash.page_container, className="root")
    for blueprint in BLUEPRINTS:
        app.server.register_blueprint(blueprint)
    http_policy.install(app)
    prometheus.install(app)
    return app


def create_app(services: DashboardServices) -> dash.Dash:
    """The process's app, serving with these services."""
    app = pages_app()
    app.server.config["PANTAU"] = services
    return app
