"""Make the Dash app: pages from dashboard/pages, assets served locally, the JSON API on the same server."""

from __future__ import annotations

from pathlib import Path

import dash
from dash import html

from dashboard.api import api
from dashboard.services import DashboardServices

HERE = Path(__file__).parent


def create_app(services: DashboardServices) -> dash.Dash:
    """The app for one process; create it once (Dash pages register globally)."""
    app = dash.Dash(
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
    app.server.config["PANTAU"] = services
    app.server.register_blueprint(api)
    return app
