"""The colours of Pantau, defined once: status colours for tiles, charts and the map, and the dark wall theme.

Python drawings (SVG charts, sparklines) read them here, and the stylesheet reads the same values as CSS
variables that the app's root element sets (see `css_variables`).
"""

from __future__ import annotations

# Status: a shape as well as a colour is shown wherever these are (icons, map patterns).
STATUS_COLOUR = {"green": "#2ecc71", "amber": "#f5b041", "red": "#ff5c5c", "no_data": "#8a94a6"}
# Areas and bar segments with nothing in them recede in a darker grey than the "no data" text and lines.
EMPTY_FILL = "#5b6577"
STATUS_FILL = {**STATUS_COLOUR, "no_data": EMPTY_FILL}
PROGRESS_COLOUR = {"done": STATUS_COLOUR["green"], "ongoing": STATUS_COLOUR["amber"], "not_started": EMPTY_FILL}

BACKGROUND, PANEL, PANEL_EDGE = "#0b1220", "#131c2e", "#22304a"
TEXT, MUTED, GRID = "#f2f5fa", "#a9b4c8", "#33415c"


def css_variables() -> dict[str, str]:
    """The palette as CSS custom properties, for the style of the app's root element."""
    return {
        "--bg": BACKGROUND, "--panel": PANEL, "--panel-edge": PANEL_EDGE, "--text": TEXT, "--muted": MUTED,
        "--green": STATUS_COLOUR["green"], "--amber": STATUS_COLOUR["amber"], "--red": STATUS_COLOUR["red"],
        "--grey": STATUS_COLOUR["no_data"],
    }
