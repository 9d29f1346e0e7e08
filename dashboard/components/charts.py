"""Charts drawn as inline SVG on the server: radar, bars, a kecamatan map.

No chart library runs in the wall page: an SVG image scales with the screen (1920 or 3840 wide, the same
drawing), paints with the page, needs nothing from the network and leaves no state behind in a browser that
refreshes for months. Text in the drawings uses the system fonts the page uses.
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape

from dashboard.components import textfit
from dashboard.components.palette import GRID, MUTED, PANEL, STATUS_FILL, TEXT
from region import province as province_regions
from region.kecamatan import boundaries

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
# A pattern as well as a colour, so a colour-blind reader tells the states apart on the map.
STATUS_PATTERN = {"green": None, "amber": "stripes", "red": "cross", "no_data": "dots"}


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;utf8," + urllib.parse.quote(svg)


def _svg(width: int, height: int, body: str, defs: str = "") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" font-family="{FONT}">'
        f"<defs>{defs}</defs>{body}</svg>"
    )


def radar(axes: Sequence[tuple[str, float | None]], maximum: float = 5.0, size: int = 560, margin: int = 190) -> str:
    """A radar of scores 0..maximum, one axis per (label, score); an axis without a score is marked "–"."""
    c, r = size / 2, size / 2 - 110
    n = len(axes)
    angle = [(-math.pi / 2) + 2 * math.pi * i / n for i in range(n)]

    def point(i: int, value: float) -> tuple[float, float]:
        return c + r * value / maximum * math.cos(angle[i]), c + r * value / maximum * math.sin(angle[i])

    rings = "".join(
        f'<polygon points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(n)))}" fill="none" stroke="{GRID}" stroke-width="2"/>'
        for level in range(1, int(maximum) + 1)
    )
    spokes = "".join(f'<line x1="{c}" y1="{c}" x2="{point(i, maximum)[0]:.1f}" y2="{point(i, maximum)[1]:.1f}" stroke="{GRID}" stroke-width="2"/>' for i in range(n))
    shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, score or 0.0) for i, (_, score) in enumerate(axes)))
    labels = []
    for i, (label, score) in enumerate(axes):
        x, y = point(i, maximum + 0.9)
        anchor = "middle" if abs(math.cos(angle[i])) < 0.3 else ("start" if math.cos(angle[i]) > 0 else "end")
        figure = "–" if score is None else f"{score:.2f}".replace(".", ",")
        labels.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{MUTED}" font-size="24">{escape(label)}</text>'
            f'<text x="{x:.1f}" y="{y + 32:.1f}" text-anchor="{anchor}" fill="{TEXT if score is not None else MUTED}" font-size="30" font-weight="bold">{figure}</text>'
        )
    dots = "".join(
        f'<circle cx="{point(i, score)[0]:.1f}" cy="{point(i, score)[1]:.1f}" r="7" fill="#7fb3ff"/>' for i, (_, score) in enumerate(axes) if score is not None
    )
    body = f'{rings}{spokes}<polygon points="{shape}" fill="#7fb3ff" fill-opacity="0.28" stroke="#7fb3ff" stroke-width="4"/>{dots}{"".join(labels)}'
    return data_uri(_svg(size + 2 * margin, size, f'<g transform="translate({margin},0)">{body}</g>'))


@dataclass(frozen=True)
class Bar:
    """One bar: a label, the value drawn, the text shown at its end and its status colour."""

    label: str
    value: float
    text: str
    status: str = "no_data"


def _labels(texts: Sequence[str], room: float, size: float) -> list[tuple[list[str], float]]:
    """Row labels wrapped to fit `room` (two lines at most, a smaller size if a word needs it), never cut."""
    return [textfit.fit(text, room, size) for text in texts]


def _row_height(labels: Sequence[tuple[list[str], float]], least: float, padding: float = 20) -> float:
    """One height for every row: the least height, or what the label with the most lines needs."""
    return max([least] + [len(lines) * size * textfit.LINE + padding for lines, size in labels])


def bars(rows: Sequence[Bar], maximum: float | None = None, target: float | None = None, width: int = 600, row_height: int = 56) -> str:
    """Horizontal bars, one row each, labels left (wrapped onto two lines when long), figures right; an optional dashed target line."""
    label_w, text_w, bar_h = int(width * 0.42), 110, 36
    plot_w = width - label_w - text_w
    top = max((r.value for r in rows), default=0.0)
    scale_max = maximum if maximum is not None else (max(top, target or 0.0) or 1.0)
    labels = _labels([r.label for r in rows], label_w - 14 - 4, 26)
    row_h = _row_height(labels, row_height)
    height = max(row_h * len(rows), row_h)
    parts = []
    for i, (row, (lines, size)) in enumerate(zip(rows, labels, strict=True)):
        middle = (i + 0.5) * row_h
        length = max(row.value, 0.0) / scale_max * plot_w if scale_max else 0.0
        parts.append(
            textfit.text_block(label_w - 14, middle, lines, size, f'text-anchor="end" fill="{TEXT}"')
            + f'<rect x="{label_w}" y="{middle - bar_h / 2:.1f}" width="{plot_w}" height="{bar_h}" fill="{PANEL}" stroke="{GRID}" stroke-width="1"/>'
            f'<rect x="{label_w}" y="{middle - bar_h / 2:.1f}" width="{length:.1f}" height="{bar_h}" fill="{STATUS_FILL.get(row.status, STATUS_FILL["no_data"])}"/>'
            + textfit.text_block(width - 8, middle, [row.text], 26, f'text-anchor="end" fill="{TEXT}" font-weight="bold"')
        )
    if target is not None and scale_max:
        x = label_w + min(target / scale_max, 1.0) * plot_w
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height:.1f}" stroke="{TEXT}" stroke-width="3" stroke-dasharray="8 6"/>')
    return data_uri(_svg(width, math.ceil(height), "".join(parts)))


def stacked(rows: Sequence[tuple[str, Sequence[tuple[float, str]]]], legend: Sequence[tuple[str, str]], width: int = 1400, row_height: int = 60) -> str:
    """Horizontal stacked bars of counts: rows of (label, [(count, colour), ...]), scaled to the largest row, with a legend."""
    label_w, legend_h, bar_h = 300, 56, 44
    plot_w = width - label_w - 20
    largest = max((sum(c for c, _ in parts) for _, parts in rows), default=0) or 1
    labels = _labels([label for label, _ in rows], label_w - 14 - 4, 26)
    row_h = _row_height(labels, row_height)
    body = []
    for i, ((_, parts), (lines, size)) in enumerate(zip(rows, labels, strict=True)):
        middle = legend_h + (i + 0.5) * row_h
        body.append(textfit.text_block(label_w - 14, middle, lines, size, f'text-anchor="end" fill="{TEXT}"'))
        x = float(label_w)
        for count, colour in parts:
            w = count / largest * plot_w
            if w > 0:
                body.append(f'<rect x="{x:.1f}" y="{middle - bar_h / 2:.1f}" width="{w:.1f}" height="{bar_h}" fill="{colour}" stroke="{PANEL}" stroke-width="2"/>')
                if textfit.width(f"{count:g}", 24, bold=True) + 12 < w:  # a count only where it fits inside its segment
                    body.append(textfit.text_block(x + w / 2, middle, [f"{count:g}"], 24, 'text-anchor="middle" fill="#0b1220" font-weight="bold"'))
            x += w
    lx = float(label_w)
    for text, colour in legend:
        body.append(f'<rect x="{lx:.1f}" y="10" width="28" height="28" fill="{colour}"/><text x="{lx + 38:.1f}" y="33" fill="{MUTED}" font-size="24">{escape(text)}</text>')
        lx += 38 + textfit.width(text, 24) + 30
    return data_uri(_svg(width, math.ceil(legend_h + max(len(rows), 1) * row_h), "".join(body)))


def columns(points: Sequence[tuple[str, float | None]], maximum: float, guides: Sequence[tuple[float, str]] = (), width: int = 600, height: int = 420) -> str:
    """Vertical columns over labels (years), with the value written above each and dashed guide lines (predicates)."""
    bottom, top = height - 50, 20
    n = max(len(points), 1)
    slot = (width - 160) / n  # the guides' names stand in the right margin

    def y(v: float) -> float:
        return bottom - v / maximum * (bottom - top)

    body = [f'<line x1="0" x2="{width}" y1="{y(g):.1f}" y2="{y(g):.1f}" stroke="{GRID}" stroke-width="2" stroke-dasharray="8 6"/>'
            f'<text x="{width - 6}" y="{y(g) + 8:.1f}" text-anchor="end" fill="{MUTED}" font-size="22">{escape(label)}</text>' for g, label in guides]
    for i, (label, value) in enumerate(points):
        x = i * slot + slot * 0.2
        body.append(f'<text x="{x + slot * 0.3:.1f}" y="{height - 14}" text-anchor="middle" fill="{MUTED}" font-size="24">{escape(label)}</text>')
        if value is not None:
            body.append(f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{slot * 0.6:.1f}" height="{bottom - y(value):.1f}" fill="#7fb3ff"/>'
                        f'<text x="{x + slot * 0.3:.1f}" y="{y(value) - 10:.1f}" text-anchor="middle" fill="{TEXT}" font-size="28" font-weight="bold">'
                        f'{f"{value:.2f}".replace(".", ",")}</text>')
    return data_uri(_svg(width, height, "".join(body)))


@dataclass(frozen=True)
class _Shape:
    kode: str
    name: str
    path: str  # SVG path data, projected
    label_x: float
    label_y: float


@cache
def _projected(width: int) -> tuple[int, tuple[_Shape, ...]]:
    """The 17 kecamatan projected once per drawing width: (height, shapes). Boundaries never change while running."""
    features = boundaries()["features"]
    rings_by = []
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings_by.append((feature["properties"]["kode"], feature["properties"]["kecamatan"], [polygon[0] for polygon in polygons]))
    lons = [lon for _, _, rings in rings_by for ring in rings for lon, _ in ring]
    lats = [lat for _, _, rings in rings_by for ring in rings for _, lat in ring]
    west, east, north = min(lons), max(lons), max(lats)
    # Near the equator a degree of longitude and of latitude are the same length (cos 0.6° = 0.99995).
    scale = (width - 40) / (east - west)
    height = int((north - min(lats)) * scale) + 40

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return 20 + (lon - west) * scale, 20 + (north - lat) * scale

    shapes, anchors = [], []
    for kode, name, rings in rings_by:
        path = "".join("M" + "L".join("{:.1f},{:.1f}".format(*xy(lon, lat)) for lon, lat in ring) + "Z" for ring in rings)
        ring = max(rings, key=len)
        anchors.append(xy(sum(lon for lon, _ in ring) / len(ring), sum(lat for _, lat in ring) / len(ring)))
        shapes.append((kode, name, path))
    ys = _spread([(x, y, max(textfit.width(name, MAP_NAME), textfit.width(FIGURE_ROOM, MAP_FIGURE, bold=True)) / 2)
                  for (x, y), (_, name, _) in zip(anchors, shapes, strict=True)], height)
    return height, tuple(_Shape(kode, name, path, x, y) for (kode, name, path), (x, _), y in zip(shapes, anchors, ys, strict=True))


MAP_NAME, MAP_FIGURE = 19, 28  # font sizes of a kecamatan's name and of its figure under it
FIGURE_ROOM = "100,0"  # the widest figure a kecamatan shows
_LABEL_TOP, _LABEL_BOTTOM, _LABEL_GAP = 16, 36, 3  # a label's extent above and below its name's baseline; room between labels


def _spread(labels: list[tuple[float, float, float]], height: float) -> list[float]:
    """Baselines for labels (x, y, half width) moved apart vertically, as little as needed, so that none overlaps another.

    Small kecamatan side by side (V Koto Kampung Dalam between Sungai Limau and V Koto Timur) would otherwise write
    their names over each other.
    """
    ys = [y for _, y, _ in labels]
    for _ in range(200):
        moved = False
        for i in range(len(labels)):
            for j in range(i + 1, len(labels)):
                (xi, _, wi), (xj, _, wj) = labels[i], labels[j]
                if abs(xi - xj) >= wi + wj + _LABEL_GAP:
                    continue
                upper, lower = (i, j) if ys[i] <= ys[j] else (j, i)
                overlap = ys[upper] + _LABEL_BOTTOM + _LABEL_GAP - (ys[lower] - _LABEL_TOP)
                if overlap > 0:
                    ys[upper] -= overlap / 2 + 0.5
                    ys[lower] += overlap / 2 + 0.5
                    moved = True
        ys = [min(max(y, _LABEL_TOP), height - _LABEL_BOTTOM) for y in ys]
        if not moved:
            break
    return ys


def _patterns() -> str:
    return (
        '<pattern id="stripes" width="14" height="14" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="14" stroke="#0b1220" stroke-width="5" stroke-opacity="0.45"/></pattern>'
        '<pattern id="cross" width="16" height="16" patternUnits="userSpaceOnUse">'
        '<path d="M0 0L16 16M16 0L0 16" stroke="#0b1220" stroke-width="3" stroke-opacity="0.5"/></pattern>'
        '<pattern id="dots" width="14" height="14" patternUnits="userSpaceOnUse"><circle cx="7" cy="7" r="2.5" fill="#0b1220" fill-opacity="0.6"/></pattern>'
    )


def kecamatan_map(members: dict[str, tuple[str, str]], legend: Sequence[tuple[str, str]] = (), width: int = 1100) -> str:
    """The 17 kecamatan filled by status, each labelled with its name and figure.

    Args:
        members: {kode: (status, figure text)}; a kecamatan missing here is drawn as no data.
        legend: (status, label) pairs drawn as a key in the empty sea corner.
    """
    height, outlines = _projected(width)
    shapes, labels = [], []
    for shape in outlines:
        status, figure = members.get(shape.kode, ("no_data", "–"))
        shapes.append(f'<path d="{shape.path}" fill="{STATUS_FILL[status]}" stroke="{PANEL}" stroke-width="3"/>')
        if STATUS_PATTERN[status]:
            shapes.append(f'<path d="{shape.path}" fill="url(#{STATUS_PATTERN[status]})" stroke="none"/>')
        x, y = shape.label_x, shape.label_y
        labels.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" fill="{TEXT}" font-size="{MAP_NAME}" stroke="#0b1220" stroke-width="5" paint-order="stroke">{escape(shape.name)}</text>'
            f'<text x="{x:.1f}" y="{y + 30:.1f}" text-anchor="middle" fill="{TEXT}" font-size="{MAP_FIGURE}" font-weight="bold" stroke="#0b1220" stroke-width="5" paint-order="stroke">{escape(figure)}</text>'
        )
    key = _status_key(legend, height, left=30, swatch=34, font=24)
    return data_uri(_svg(width, height, "".join(shapes) + "".join(labels) + key, _patterns()))


def _status_key(legend: Sequence[tuple[str, str]], height: int, left: int, swatch: int, font: int) -> str:
    """A map's legend in its lower left corner: one swatch (colour and pattern) per status, with its label."""
    key = []
    for i, (status, label) in enumerate(legend):
        y = height - swatch - 6 - (len(legend) - 1 - i) * (swatch + 10)
        top = y - swatch + 8
        pattern = f'<rect x="{left}" y="{top}" width="{swatch}" height="{swatch}" fill="url(#{STATUS_PATTERN[status]})"/>' if STATUS_PATTERN[status] else ""
        key.append(f'<rect x="{left}" y="{top}" width="{swatch}" height="{swatch}" fill="{STATUS_FILL[status]}"/>{pattern}'
                   f'<text x="{left + swatch + 12}" y="{y}" fill="{TEXT}" font-size="{font}">{escape(label)}</text>')
    return "".join(key)


def kecamatan_outlines(width: int = 1100) -> tuple[int, tuple[_Shape, ...]]:
    """The 17 kecamatan projected for a drawing `width` wide: (height, shapes), each with its kode, name, SVG path and
    a label point that keeps clear of its neighbours' labels (names at MAP_NAME, figures at MAP_FIGURE px)."""
    return _projected(width)


def region_map(members: dict[str, tuple[str, str]], legend: Sequence[tuple[str, str]] = (), width: int = 900) -> str:
    """The province's kabupaten/kota filled by status, each with its figure; enclaved cities (holes in their
    neighbours) are drawn over them.

    Args:
        members: {kode: (status, figure text)}; a region missing here is drawn as no data; status "neutral" (an
            indicator judged on its change, which the figure does not show) is drawn plain.
        legend: (status, label) pairs drawn as a key in the sea corner.
    """
    features = province_regions.boundaries()["features"]
    rings = [(f["properties"]["kode"], [ring for poly in (f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon"
                                                          else [f["geometry"]["coordinates"]]) for ring in poly]) for f in features]
    lons = [lon for _, rs in rings for ring in rs for lon, _ in ring]
    lats = [lat for _, rs in rings for ring in rs for _, lat in ring]
    west, east, north = min(lons), max(lons), max(lats)
    scale = (width - 40) / (east - west)  # near the equator a degree of longitude is a degree of latitude
    height = int((north - min(lats)) * scale) + 40

    def xy(lon: float, lat: float) -> str:
        return f"{20 + (lon - west) * scale:.1f},{20 + (north - lat) * scale:.1f}"

    shapes, labels = [], []
    # Large regions first, so an enclave (a hole in its neighbour) is drawn over it and stays visible.
    for kode, rs in sorted(rings, key=lambda item: -sum(len(r) for r in item[1])):
        status, figure = members.get(kode, ("no_data", "–"))
        path = "".join("M" + "L".join(xy(lon, lat) for lon, lat in ring) + "Z" for ring in rs)
        shapes.append(f'<path d="{path}" fill="{STATUS_FILL.get(status, GRID)}" fill-rule="evenodd" stroke="{PANEL}" stroke-width="1.5"/>')
        if STATUS_PATTERN.get(status):
            shapes.append(f'<path d="{path}" fill="url(#{STATUS_PATTERN[status]})" fill-rule="evenodd" stroke="none"/>')
        outer = max(rs, key=len)
        x, y = (20 + (sum(p[0] for p in outer) / len(outer) - west) * scale, 20 + (north - sum(p[1] for p in outer) / len(outer)) * scale)
        labels.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" fill="{TEXT}" font-size="16" font-weight="bold" '
                      f'stroke="#0b1220" stroke-width="4" paint-order="stroke">{escape(figure)}</text>')
    key = _status_key(legend, height, left=24, swatch=26, font=18)
    return data_uri(_svg(width, height, "".join(shapes) + "".join(labels) + key, _patterns()))
