"""The screens Pantau serves, as the page modules under dashboard/pages registered them with Dash.

Navigation, the home page, playlist checks, the benchmark and the browser tests read the pages from here, so a
page added as one file under dashboard/pages appears everywhere without a list to edit. The registry is filled
when the Dash app is made (dash.register_page works only then).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import dash

from config.settings import Config, WallSettings


@dataclass(frozen=True)
class WallPage:
    """A page the wall can show: its slug (/wall/<slug>, and a playlist's `page`), titles and view.

    Attributes:
        view: a function of the wall's data for one refresh (dashboard.wall.page.WallData) to the page's panels.
    """

    slug: str
    title: dict[str, str]
    view: Callable
    order: int

    def title_in(self, lang: str) -> str:
        return self.title.get(lang, self.title["id"])


def wall_pages() -> list[WallPage]:
    """Every registered wall page, in the order the pages declare (the default playlist's order)."""
    # One per slug: a page module imported by its own name as well as by Dash's pages loader registers twice.
    pages = {p["wall_page"].slug: p["wall_page"] for p in reversed(dash.page_registry.values()) if "wall_page" in p}
    return sorted(pages.values(), key=lambda p: (p.order, p.slug))


def wall_page(slug: str) -> WallPage | None:
    """The wall page with that slug, or None."""
    return next((p for p in wall_pages() if p.slug == slug), None)


def wall_setting_problems(wall: WallSettings) -> list[tuple[str, str]]:
    """(dotted key, problem) for every playlist item naming a page that is not a wall page."""
    known = [p.slug for p in wall_pages()]
    return [(f"wall.screens.{screen}.{n}.page", f"'{item.page}' is not a wall page; choose one of {', '.join(known)}")
            for screen, items in wall.screens.items() for n, item in enumerate(items) if item.page not in known]


def discover() -> list[WallPage]:
    """The wall pages, making the process's app first if nothing has yet (the registry is filled only then)."""
    from dashboard.app import pages_app  # the app imports the pages, which import this module

    pages_app()
    return wall_pages()


def playlist_problems(config: Config) -> list[tuple[str, str]]:
    """The configuration check for playlists (runtime.configuration runs it with the others at start and on re-read)."""
    discover()
    return wall_setting_problems(config.wall)
