"""What a wall page module uses: the data of one refresh, a way to register itself, and layout helpers.

A wall page is one file under dashboard/pages/wall/ with a `view(data) -> list` of panels and one call to
`register_page`. It reads only what the metrics layer has stored (no indicator query runs on a refresh) and
places its panels on the wall's four-column, two-row grid with `place`.
"""

from __future__ import annotations

from collections.abc import Callable

import dash
from dash import html

from dashboard.components.tile import tile
from dashboard.registry import WallPage
from dashboard.wall.data import WallData
from dashboard.wall.shell import shell

__all__ = ["WallData", "chart", "figure_panel", "panel", "place", "register_page", "tiles"]


def register_page(module: str, slug: str, title: dict[str, str], view: Callable[[WallData], list], order: int) -> None:
    """Register a wall page at /wall/<slug>; the playlist at /wall and the navigation find it by its slug.

    Named after dash.register_page, which it calls: Dash imports only the page files that mention that name.

    Args:
        module: the page module's `__name__`.
        title: the page's title by language ("id" first, "en").
        order: place in navigation and in the default playlist.
    """

    def layout(lang: str = "id", screen: str | None = None, kiosk: str | None = None, indikator: str | None = None, **_query: str) -> html.Div:
        return shell(slug, screen, lang, kiosk, indikator)

    dash.register_page(module, path=f"/wall/{slug}", title="Pantau · Dinding", name=title["id"], order=100 + order,
                       layout=layout, wall_page=WallPage(slug, title, view, order))


def place(column: str | int, row: str | int) -> dict[str, str]:
    """A grid placement as a style: place("1 / span 2", 1) spans the first two columns of the top row."""
    return {"gridColumn": str(column), "gridRow": str(row)}


def panel(title: str, *children, class_name: str = "", style: dict | None = None) -> html.Section:
    """A titled panel of the wall."""
    return html.Section([html.H2(title, className="panel-title"), *children], className=f"panel {class_name}".strip(), style=style)


def chart(src: str, alt: str) -> html.Img:
    """An SVG chart (a data URI from dashboard.components.charts) that scales with its panel."""
    return html.Img(src=src, alt=alt, className="chart")


def tiles(data: WallData, ids: tuple[str, ...], placed: dict[int, dict] | None = None) -> list:
    """Tiles of the indicators among `ids` that are served (a disabled source's indicators are left out).

    Args:
        placed: grid placements by position among the tiles shown (the others flow into the free cells).
    """
    shown = [data.readings[i] for i in ids if i in data.readings]
    return [tile(r, data.lang, (placed or {}).get(n)) for n, r in enumerate(shown)]


def figure_panel(title: str, figure: str, caption: str, style: dict | None = None) -> html.Section:
    """A panel with one big figure and a caption under it (the SPBE index and its predicate)."""
    return panel(title, html.Div(figure, className="big-figure"), html.Div(caption, className="big-caption"), class_name="panel-spbe", style=style)
