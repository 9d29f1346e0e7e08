"""The indicator tile: value, status, target, change, period, sources and their freshness; with its sparkline."""

from __future__ import annotations

import urllib.parse

from dash import html

from dashboard import comparisons, formatting
from dashboard.components.palette import STATUS_COLOUR
from dashboard.i18n import t
from metrics.reading import Reading

STATUS_ICON = {"green": "✓", "amber": "!", "red": "✕", "no_data": "–"}  # a shape as well as a colour
FRESHNESS_ICON = {"fresh": "", "late": "◔", "stale": "◑", "failing": "⚠", "never": "○"}


def sparkline_src(values: list[float], colour: str, target: float | None = None, width: int = 320, height: int = 100,
                  provisional_from: int | None = None) -> str:
    """An inline SVG trend line as a data URI, with the target as a dashed line: no chart library in the wall page.

    The vertical scale always includes the target, so ordinary day-to-day noise does not look like a crisis.
    From the point at index `provisional_from` on (figures the source may still revise) the line is dashed and
    lighter, joined to the last final point.
    """
    if len(values) < 2:
        return "data:image/svg+xml;utf8," + urllib.parse.quote(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"/>')
    bounds = values + ([target] if target is not None else [])
    low, high = min(bounds), max(bounds)
    pad = max((high - low) * 0.1, 0.5)
    low, high = low - pad, high + pad

    def y(v: float) -> float:
        return height - (v - low) / (high - low) * height

    step = width / (len(values) - 1)
    xy = [f"{i * step:.1f},{y(v):.1f}" for i, v in enumerate(values)]
    split = len(values) if provisional_from is None else max(provisional_from, 0)
    target_line = (
        f'<line x1="0" x2="{width}" y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="#a9b4c8" stroke-width="1.5" '
        f'stroke-dasharray="6 6" vector-effect="non-scaling-stroke"/>'
        if target is not None
        else ""
    )
    line = 'fill="none" stroke-width="3" stroke-linejoin="round" vector-effect="non-scaling-stroke"'
    final = f'<polyline {line} stroke="{colour}" points="{" ".join(xy[:split])}"/>' if split >= 2 else ""
    provisional = (
        f'<polyline {line} stroke="{colour}" stroke-opacity="0.55" stroke-dasharray="5 5" class="provisional" '
        f'points="{" ".join(xy[max(split - 1, 0):])}"/>'
        if split < len(values) else ""
    )
    # Stretched to the tile's box; strokes keep their width whatever the stretch.
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" preserveAspectRatio="none">{target_line}{final}{provisional}</svg>'
    )
    return "data:image/svg+xml;utf8," + urllib.parse.quote(svg)


def decimals(reading: Reading) -> int:
    """The places the reading's indicator is shown to (dashboard.formatting.decimals)."""
    return formatting.decimals(reading.indicator)


def _arrow(delta: float) -> str:
    return "▲" if delta > 0 else "▼" if delta < 0 else "＝"


def _change(reading: Reading, lang: str) -> html.Div:
    value, previous, change = reading.value, reading.previous_value, reading.year_change
    against = comparisons.shown(reading)
    if against is None:
        return html.Div(className="tile-change")
    if against == "year_before" and reading.indicator.measure == "latest":  # an index moves in points, on the assessment before
        delta = reading.year_difference
        return html.Div(f"{_arrow(delta)} {formatting.number(abs(delta), decimals(reading), lang)} {t('vs_previous_assessment', lang)}", className="tile-change")
    if against == "year_before":
        if change is None:
            return html.Div(className="tile-change")
        return html.Div(f"{_arrow(change)} {formatting.number(abs(change), 1, lang)}% {t('vs_year_before', lang)}", className="tile-change")
    delta = value - previous
    if reading.indicator.unit == "%" and reading.period and reading.period.kind == "days":  # percentage points on the N days before
        return html.Div(f"{_arrow(delta)} {formatting.number(abs(delta), 1, lang)} {t('vs_previous', lang, days=reading.period.days)}", className="tile-change")
    return html.Div(f"{_arrow(delta)} {formatting.number(abs(delta), decimals(reading), lang)} {t('vs_previous_period', lang)}", className="tile-change")


def _period(reading: Reading, lang: str) -> html.Div:
    """The period's name and the spans compared ("Jan–Okt 2026 vs Jan–Okt 2025"), or the span its data covers;
    then which part its source may still revise."""
    if not reading.period:
        return html.Div(className="tile-period")
    label = t("assessment", lang) if reading.indicator.measure == "latest" else reading.indicator.period.label(lang).capitalize()
    against = comparisons.shown(reading)
    covered = reading.covered or reading.period
    text = (against and comparisons.compared(reading, against, lang)) or formatting.span(covered.start, covered.end, lang)
    # Each span stays on one line: a line break inside "Jan–Okt 2026 vs Jan–Okt 2025" misreads as two periods.
    parts = [html.Span(f"{label}: "), html.Span(text, className="tile-span")]
    if reading.provisional_from is not None:
        revisable = formatting.span(reading.provisional_from, covered.end, lang)
        parts += [html.Span(" · "), html.Span(t("provisional", lang, span=revisable), className="tile-span tile-provisional")]
    return html.Div(parts, className="tile-period")


def _target(reading: Reading, lang: str) -> str:
    indicator = reading.indicator
    if indicator.judged_on == "year_change":
        return t("target_growth", lang)
    sign = "≥" if indicator.direction == "higher" else "≤"
    target = indicator.target.value
    return f"{t('target', lang)} {sign} {formatting.number(target, 0 if float(target).is_integer() else decimals(reading), lang)} {reading.unit(lang)}"


def analysis_href(indicator_id: str, lang: str = "id") -> str:
    """The analysis page of one indicator, in the tile's language."""
    query = {"indikator": indicator_id, **({"lang": lang} if lang != "id" else {})}
    return "/analisis?" + urllib.parse.urlencode(query)


def tile_body(reading: Reading, lang: str = "id") -> list:
    """The contents of one indicator tile; the shell (and its id) stays, so updates happen in place."""
    status, freshness, value = reading.status, reading.freshness, reading.value
    last_success = reading.last_success_at
    sources = ", ".join(s.source for s in reading.sources)
    judged_on_value = reading.indicator.judged_on == "value"
    return [
        # The name opens the indicator in the analysis page (a desk screen's way in; the wall itself is not clicked).
        html.Div(html.A(reading.name(lang), href=analysis_href(reading.id, lang), className="tile-link"), className="tile-name"),
        html.Div(
            [
                html.Div(
                    [
                        html.Span(
                            formatting.number(value, decimals(reading), lang) if value is not None else t("no_data", lang),
                            className="tile-value" if value is not None else "tile-value no-data",
                        ),
                        html.Span(reading.unit(lang), className="tile-unit") if value is not None else None,
                    ],
                    className="tile-figure",
                ),
                html.Img(
                    src=sparkline_src([p.value for p in reading.series], STATUS_COLOUR[status], reading.indicator.target.value if judged_on_value else None,
                                      provisional_from=next((i for i, p in enumerate(reading.series) if p.provisional), None)),
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
                html.Span(className="ago", **{"data-ts": last_success.isoformat() if last_success else ""}),
            ],
            className="tile-footer",
        ),
    ]


def tile_class(reading: Reading) -> str:
    """CSS classes that colour a tile by status and mark it when its source is not fresh."""
    return f"tile-body status-{reading.status} freshness-{reading.freshness}"


def tile(reading: Reading, lang: str = "id", style: dict | None = None) -> html.Div:
    """A whole tile: a fixed shell and a body that refreshes replace in place; `style` places it in a page's grid."""
    return html.Div(
        html.Div(tile_body(reading, lang), id={"type": "wall-tile-body", "id": reading.id}, className=tile_class(reading)),
        id={"type": "wall-tile", "id": reading.id},
        className="tile",
        style=style,
    )
