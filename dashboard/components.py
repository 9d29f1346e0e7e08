"""Reusable pieces of screens: KPI tile, sparkline, freshness badge. Builders return Dash components."""

from __future__ import annotations

import datetime as dt
import urllib.parse

from dash import html

from dashboard import formatting
from dashboard.i18n import t

STATUS_ICON = {"green": "✓", "amber": "!", "red": "✕", "no_data": "–"}  # a shape as well as a colour
STATUS_COLOUR = {"green": "#2ecc71", "amber": "#f5b041", "red": "#ff5c5c", "no_data": "#8a94a6"}
FRESHNESS_ICON = {"fresh": "", "late": "◔", "stale": "◑", "failing": "⚠", "never": "○"}


def sparkline_src(series: list[tuple[str, float]], colour: str, target: float | None = None, width: int = 320, height: int = 100) -> str:
    """An inline SVG trend line as a data URI, with the target as a dashed line: no chart library in the wall page.

    The vertical scale always includes the target, so ordinary day-to-day noise does not look like a crisis.
    """
    values = [v for _, v in series]
    if len(values) < 2:
        return "data:image/svg+xml;utf8," + urllib.parse.quote(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"/>')
    bounds = values + ([target] if target is not None else [])
    low, high = min(bounds), max(bounds)
    pad = max((high - low) * 0.1, 0.5)
    low, high = low - pad, high + pad

    def y(v: float) -> float:
        return height - (v - low) / (high - low) * height

    step = width / (len(values) - 1)
    points = " ".join(f"{i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
    target_line = (
        f'<line x1="0" x2="{width}" y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="#a9b4c8" stroke-width="1.5" '
        f'stroke-dasharray="6 6" vector-effect="non-scaling-stroke"/>'
        if target is not None
        else ""
    )
    # Stretched to the tile's box; strokes keep their width whatever the stretch.
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" preserveAspectRatio="none">{target_line}'
        f'<polyline fill="none" stroke="{colour}" stroke-width="3" stroke-linejoin="round" '
        f'vector-effect="non-scaling-stroke" points="{points}"/></svg>'
    )
    return "data:image/svg+xml;utf8," + urllib.parse.quote(svg)


def decimals(reading: dict) -> int:
    """Counts are whole; an index reads to two places; shares, medians and rates to one."""
    return {"count": 0, "sum": 0, "level": 0, "latest": 2}.get(reading["measure"], 1)


def _change(reading: dict, lang: str) -> html.Div:
    value, previous, change = reading["value"], reading["previous_value"], reading["year_change"]
    if value is None:
        return html.Div(className="tile-change")
    if reading["judged_on"] == "year_change" or (previous is None and change is not None):
        if change is None:
            return html.Div(className="tile-change")
        arrow = "▲" if change > 0 else "▼" if change < 0 else "＝"
        return html.Div(f"{arrow} {formatting.number(abs(change), 1, lang)}% {t('vs_year_before', lang)}", className="tile-change")
    if previous is None:
        return html.Div(className="tile-change")
    delta = value - previous
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "＝"
    if reading["unit"] == "%" and reading["period"]["kind"] == "days":  # percentage points on the N days before
        days = int((dt.date.fromisoformat(reading["period"]["end"]) - dt.date.fromisoformat(reading["period"]["start"])).days) + 1
        return html.Div(f"{arrow} {formatting.number(abs(delta), 1, lang)} {t('vs_previous', lang, days=days)}", className="tile-change")
    return html.Div(f"{arrow} {formatting.number(abs(delta), decimals(reading), lang)} {t('vs_previous_period', lang)}", className="tile-change")


def _period(reading: dict, lang: str) -> html.Div:
    if not reading["period"]:
        return html.Div(className="tile-period")
    start, end = (dt.date.fromisoformat(reading["period"][k]) for k in ("start", "end"))
    label = reading["period_label"][lang].capitalize()
    span = formatting.date(end, lang) if start == end else f"{formatting.date(start, lang)} – {formatting.date(end, lang)}"
    return html.Div(f"{label}: {span}", className="tile-period")


def _target(reading: dict, lang: str) -> str:
    if reading["judged_on"] == "year_change":
        return t("target_growth", lang)
    unit = reading["unit"] if lang == "id" else reading["unit_en"]
    sign = "≥" if reading["direction"] == "higher" else "≤"
    target = reading["target"]
    return f"{t('target', lang)} {sign} {formatting.number(target, 0 if float(target).is_integer() else decimals(reading), lang)} {unit}"


def tile_body(reading: dict, lang: str = "id") -> list:
    """The contents of one indicator tile; the shell (and its id) stays, so updates happen in place."""
    status = reading["status"]
    freshness = reading["freshness"]
    last_success = max((s["last_success_at"] for s in reading["sources"] if s["last_success_at"]), default=None)
    sources = ", ".join(s["source"] for s in reading["sources"])
    value = reading["value"]
    return [
        html.Div(reading["name"] if lang == "id" else reading["name_en"], className="tile-name"),
        html.Div(
            [
                html.Div(
                    [
                        html.Span(
                            formatting.number(value, decimals(reading), lang) if value is not None else t("no_data", lang),
                            className="tile-value" if value is not None else "tile-value no-data",
                        ),
                        html.Span(reading["unit"] if lang == "id" else reading["unit_en"], className="tile-unit") if value is not None else None,
                    ],
                    className="tile-figure",
                ),
                html.Img(
                    src=sparkline_src(reading["series"], STATUS_COLOUR[status], reading["target"] if reading["judged_on"] == "value" else None),
                    className="sparkline", alt="",
                ),
            ],
            className="tile-main",
        ),
        html.Div(
            [
                html.Span(STATUS_ICON[status], className="status-icon"),
                html.Span(t(f"status_{status}", lang), className="status-text"),
                html.Span(_target(reading, lang), className="tile-target"),
            ],
            className=f"tile-status status-{status}",
        ),
        _change(reading, lang),
        _period(reading, lang),
        html.Div(
            [
                html.Span(f"{t('source', lang)}: {sources}", className="tile-source"),
                html.Span(
                    f"{FRESHNESS_ICON[freshness]} {t(f'fresh_{freshness}', lang)}",
                    className=f"freshness freshness-{freshness}",
                    hidden=freshness == "fresh",
                ),
                # Filled and ticked by wall.js in the browser, so "N menit lalu" moves without server calls.
                html.Span(className="ago", **{"data-ts": last_success or ""}),
            ],
            className="tile-footer",
        ),
    ]


def tile_class(reading: dict) -> str:
    """CSS classes that colour a tile by status and mark it when its source is not fresh."""
    return f"tile-body status-{reading['status']} freshness-{reading['freshness']}"


def tile(reading: dict, lang: str = "id") -> html.Div:
    """A whole tile: a fixed shell and a body that refreshes replace in place."""
    return html.Div(
        html.Div(tile_body(reading, lang), id={"type": "wall-tile-body", "id": reading["id"]}, className=tile_class(reading)),
        id={"type": "wall-tile", "id": reading["id"]},
        className="tile",
    )
