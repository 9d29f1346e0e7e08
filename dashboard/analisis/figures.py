"""The explorer's Plotly figures on a light page: the series with target and bands, the ranked breakdown, the map.

Everything is drawn from this server's plotly.js: the map is the kecamatan polygons as filled scatter traces on
equal-aspect axes (geo and mapbox maps fetch from CDNs or stay blank offline). Each clickable mark carries what it
stands for in `customdata` (a bucket's first day, a member's code), so a click opens the records behind it.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from dashboard import formatting
from dashboard.analisis.words import t
from region.kecamatan import boundaries

# Light-page status colours: fills and lines readable on white, with the shape or word beside them.
STATUS = {"green": "#1f8a4c", "amber": "#c27c00", "red": "#c62828", "no_data": "#8a94a6"}
BAND = {"green": "rgba(31,138,76,0.10)", "amber": "rgba(194,124,0,0.12)", "red": "rgba(198,40,40,0.10)"}
SERIES, COMPARED, TARGET = "#1d4f91", "#7b8794", "#37474f"
FONT = dict(family="DejaVu Sans, Liberation Sans, Arial, sans-serif", size=13, color="#1f2933")


def _base(height: int) -> go.Layout:
    return go.Layout(template="plotly_white", height=height, font=FONT, margin=dict(l=60, r=20, t=20, b=50),
                     hoverlabel=dict(font=FONT), separators=",.", legend=dict(orientation="h", y=-0.18, x=0))


def bands(indicator, low: float, high: float) -> list[dict]:
    """Green, amber and red bands across the plot between `low` and `high` (the good side is green)."""
    green, amber = indicator.thresholds.green, indicator.thresholds.amber
    if indicator.direction == "higher":
        spans = (("green", green, max(high, green)), ("amber", amber, green), ("red", min(low, amber), amber))
    else:
        spans = (("green", min(low, green), green), ("amber", green, amber), ("red", amber, max(high, amber)))
    return [dict(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=a, y1=b, fillcolor=BAND[s], line=dict(width=0), layer="below")
            for s, a, b in spans if b > a]


def _range(values: list[float], indicator) -> tuple[float, float]:
    shown = [v for v in values if v is not None] + [indicator.target.value]
    low, high = min(shown), max(shown)
    pad = max((high - low) * 0.12, abs(high) * 0.02, 0.5)
    low, high = low - pad, high + pad
    if indicator.unit == "%":
        low, high = max(low, 0.0), min(high, 100.0 + pad / 4)
    if min(shown) >= 0:
        low = max(low, 0.0)
    return low, high


def series_figure(answer, lang: str, decimals: int) -> go.Figure:
    """The value per bucket, the compared period's laid over it, the target line and the threshold bands."""
    ind = answer.indicator
    fig = go.Figure(layout=_base(360))
    points = [p for p in answer.series if p.value is not None]
    final = [p for p in points if not p.provisional]
    unit = ind.unit_en if lang == "en" else ind.unit

    def hover(p) -> str:
        return f"{formatting.date(p.periode, lang)}: {formatting.number(p.value, decimals, lang)} {unit}"

    if answer.compared_series and answer.compared_span:
        shift = answer.span[0] - answer.compared_span[0]
        cmp_points = [p for p in answer.compared_series if p.value is not None]
        fig.add_trace(go.Scatter(
            x=[p.periode + shift for p in cmp_points], y=[p.value for p in cmp_points], mode="lines",
            name=t("compared_series", lang), line=dict(color=COMPARED, width=2, dash="dot"),
            hovertext=[hover(p) for p in cmp_points], hoverinfo="text",
        ))
    fig.add_trace(go.Scatter(
        x=[p.periode for p in points], y=[p.value for p in points], mode="lines+markers", name=t("series", lang),
        line=dict(color=SERIES, width=3), marker=dict(size=7, color=[("#ffffff" if p.provisional else SERIES) for p in points],
                                                       line=dict(color=SERIES, width=2)),
        customdata=[p.periode.isoformat() for p in points],
        hovertext=[hover(p) + (f" ({t('provisional_point', lang)})" if p.provisional else "") for p in points], hoverinfo="text",
    ))
    if len(final) < len(points):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t("provisional_point", lang),
                                 marker=dict(size=7, color="#ffffff", line=dict(color=SERIES, width=2)), hoverinfo="skip"))
    low, high = _range([p.value for p in points] + [p.value for p in answer.compared_series], ind)
    if ind.judged_on == "value":
        fig.update_layout(shapes=bands(ind, low, high))
        fig.add_hline(y=ind.target.value, line=dict(color=TARGET, width=2, dash="dash"),
                      annotation_text=f"{t('target', lang)} {formatting.number(ind.target.value, decimals, lang)}",
                      annotation_position="top left", annotation_font=FONT)
    fig.update_yaxes(range=[low, high], title_text=unit, gridcolor="#e4e7eb")
    fig.update_xaxes(gridcolor="#eef0f2", tickformat="%d %b %Y" if answer.grain in ("day", "week") else "%b %Y")
    fig.update_layout(clickmode="event", hovermode="closest", dragmode=False)
    return fig


def name_of(member, lang: str) -> str:
    return member.name_en if lang == "en" else member.name


def bar_figure(answer, lang: str, decimals: int) -> go.Figure:
    """The breakdown's members ranked best first, coloured by status, with the target line."""
    ind = answer.indicator
    members = list(answer.breakdown)[::-1]  # Plotly draws the first bar at the bottom
    fig = go.Figure(layout=_base(max(260, 30 * len(members) + 90)))
    fig.add_trace(go.Bar(
        y=[name_of(m, lang) for m in members], x=[m.value or 0 for m in members], orientation="h",
        marker=dict(color=[STATUS[m.status] for m in members]),
        text=[formatting.number(m.value, decimals, lang) for m in members], textposition="inside", insidetextanchor="end",
        textfont=dict(color="#ffffff"), cliponaxis=False,
        customdata=[m.code for m in members], hovertext=[f"{name_of(m, lang)}: {formatting.number(m.value, decimals, lang)} · {t('status_' + m.status, lang)}" for m in members],
        hoverinfo="text", name="",
    ))
    if ind.judged_on == "value":
        fig.add_vline(x=ind.target.value, line=dict(color=TARGET, width=2, dash="dash"), layer="below",
                      annotation_text=t("target", lang), annotation_position="top", annotation_font=FONT)
    high = max([m.value or 0 for m in members] + [ind.target.value]) * 1.15 or 1
    fig.update_xaxes(range=[0, high], title_text=ind.unit_en if lang == "en" else ind.unit, gridcolor="#e4e7eb")
    fig.update_yaxes(automargin=True)
    fig.update_layout(showlegend=False, margin=dict(l=10, r=30, t=30, b=50), clickmode="event", dragmode=False)
    return fig


def map_figure(answer, lang: str, decimals: int) -> go.Figure:
    """The kecamatan filled by status (and named with their figure), on equal-aspect longitude-latitude axes."""
    by_code = {m.code: m for m in answer.breakdown}
    fig = go.Figure(layout=_base(560))
    xs, ys, names, codes = [], [], [], []
    for feature in boundaries()["features"]:
        code, name = feature["properties"]["kode"], feature["properties"]["kecamatan"]
        member = by_code.get(code)
        status = member.status if member else "no_data"
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        lon, lat = [], []
        for polygon in polygons:
            ring = polygon[0]
            lon += [p[0] for p in ring] + [None]
            lat += [p[1] for p in ring] + [None]
        figure = formatting.number(member.value, decimals, lang) if member else "–"
        fig.add_trace(go.Scatter(x=lon, y=lat, mode="lines", fill="toself", fillcolor=STATUS[status], opacity=0.85,
                                 line=dict(color="#ffffff", width=1.5), hoveron="fills", name=name,
                                 text=f"{name}: {figure} · {t('status_' + status, lang)}", hoverinfo="text", showlegend=False))
        biggest = max(polygons, key=lambda p: len(p[0]))[0]
        xs.append(sum(p[0] for p in biggest) / len(biggest))
        ys.append(sum(p[1] for p in biggest) / len(biggest))
        names.append(f"{name}: {figure} · {t('status_' + status, lang)}")
        codes.append(code)
    # A small dot in each kecamatan: a sure place to click (and to hover) beside its filled area.
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers",
                             marker=dict(size=9, color="#ffffff", line=dict(color="#111827", width=1.5)),
                             customdata=codes, hovertext=names, hoverinfo="text", showlegend=False, name=""))
    for status in ("green", "amber", "red", "no_data"):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", marker=dict(size=14, symbol="square", color=STATUS[status]),
                                 name=t("status_" + status, lang), showlegend=True))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom"),
                      clickmode="event", dragmode=False, plot_bgcolor="#ffffff")
    return fig


def clicked(click: dict | None) -> str | None:
    """What a click on one of these figures stands for: the mark's `customdata` (a day or a member's code)."""
    if not click or not click.get("points"):
        return None
    data = click["points"][0].get("customdata")
    return data if isinstance(data, str) else None


def clicked_area(click: dict | None) -> str | None:
    """The kecamatan whose filled area was clicked (its trace's place among the boundaries' features)."""
    if not click or not click.get("points"):
        return None
    number = click["points"][0].get("curveNumber")
    features = boundaries()["features"]
    return features[number]["properties"]["kode"] if isinstance(number, int) and 0 <= number < len(features) else None


def clicked_day(click: dict | None) -> dt.date | None:
    text = clicked(click)
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
