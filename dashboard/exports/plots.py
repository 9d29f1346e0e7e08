"""The plot of an exported chart, drawn as SVG into a box of the page: a series over time, ranked bars, the kecamatan map.

Drawn for print: dark ink on white, status colours with a pattern as well (a colour-blind reader and a grey printout
still tell the states apart), colours as attributes so that the SVG needs no stylesheet. Every label is measured with
`textfit` (DejaVu Sans) and wrapped or made smaller, never cut; labels that would overlap are left out in turn, the
latest always kept.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from dashboard import formatting
from dashboard.components import textfit
from dashboard.components.charts import kecamatan_outlines
from dashboard.i18n import paired
from dashboard.paparan.drawing import ticks

if TYPE_CHECKING:
    from dashboard.exports.chart import BarChart, MapChart, SeriesChart

INK, MUTED, GRID, TRACK, PAPER = "#0f1b2d", "#4a5568", "#d5dbe5", "#e9edf3", "#ffffff"
SERIES, COMPARED = "#1f5fbf", "#7a8599"
STATUS = {"green": "#2e9e5b", "amber": "#f0a500", "red": "#d64541", "no_data": "#a3acbb"}
BAND = {"green": ("#2e9e5b", 0.13), "amber": ("#f0a500", 0.16), "red": ("#d64541", 0.11)}
PATTERN = {"green": None, "amber": "p-stripes", "red": "p-cross", "no_data": "p-dots"}
STATUS_ORDER = ("green", "amber", "red", "no_data")
SMALL, LABEL, VALUE = 20, 22, 22

t = paired({
    "provisional": ("Sementara", "Provisional"),
    "compared": ("Pembanding", "Comparison"),
    "value": ("Nilai", "Value"),
    "unit": ("Satuan: {unit}", "Unit: {unit}"),
    "green": ("Tercapai", "On target"),
    "amber": ("Perlu perhatian", "Needs attention"),
    "red": ("Di bawah target", "Below target"),
    "no_data": ("Tanpa data", "No data"),
    "target": ("Target", "Target"),
})


def value_text(value: float | None, decimals: int, unit: str, lang: str) -> str:
    """1234.5 -> "1.234,5" (or "1,234.5" in English), with " %" for a percentage; None -> "–"."""
    if value is None:
        return "–"
    return formatting.number(value, decimals, lang) + (" %" if unit == "%" and value is not None else "")


def text(x: float, y: float, content: str, size: float, fill: str = INK, anchor: str = "start", bold: bool = False,
         halo: bool = False) -> str:
    """One line of text; `halo` sets it on a pale patch so it reads over lines and bands.

    A patch, not a stroked outline: an outline is a second copy of the text in a PDF, read twice by a screen reader.
    """
    weight = ' font-weight="bold"' if bold else ""
    patch = ""
    if halo:
        w = textfit.width(content, size, bold) + 8
        left = x - {"start": 4, "middle": w / 2, "end": w - 4}[anchor]
        patch = (f'<rect x="{left:.1f}" y="{y - size * 0.92:.1f}" width="{w:.1f}" height="{size * 1.18:.1f}" rx="4" fill="{PAPER}" '
                 f'fill-opacity="0.82"/>')
    return (f'{patch}<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{fill}" text-anchor="{anchor}"{weight}>'
            f"{escape(content)}</text>")


def lines_block(x: float, top: float, lines: Sequence[str], size: float, fill: str = INK, anchor: str = "start", bold: bool = False,
                step: float = 1.25) -> str:
    """Lines of text whose first line's top is at `top` (baselines 0.93 em down, DejaVu's ascent)."""
    return "".join(text(x, top + size * 0.93 + i * size * step, line, size, fill, anchor, bold) for i, line in enumerate(lines))


def patterns() -> str:
    """The status patterns, for <defs>: stripes (amber), a cross (red), dots (no data)."""
    return ('<pattern id="p-stripes" width="12" height="12" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<line x1="0" y1="0" x2="0" y2="12" stroke="#0f1b2d" stroke-width="4" stroke-opacity="0.35"/></pattern>'
            '<pattern id="p-cross" width="14" height="14" patternUnits="userSpaceOnUse">'
            '<path d="M0 0L14 14M14 0L0 14" stroke="#0f1b2d" stroke-width="2.5" stroke-opacity="0.4"/></pattern>'
            '<pattern id="p-dots" width="12" height="12" patternUnits="userSpaceOnUse">'
            '<circle cx="6" cy="6" r="2.2" fill="#0f1b2d" fill-opacity="0.45"/></pattern>')


def status_swatch(x: float, y: float, w: float, h: float, status: str) -> str:
    """A rectangle in a status's colour and pattern."""
    pattern = PATTERN.get(status)
    fill = f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{STATUS.get(status, STATUS["no_data"])}"/>'
    return fill + (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="url(#{pattern})"/>' if pattern else "")


def legend(items: Sequence[tuple[str, str]], width: float, size: float = SMALL) -> tuple[str, float]:
    """Legend items (swatch SVG drawn in a 36x20 box at the origin, words) left to right, wrapping onto further lines.

    Returns:
        (SVG, height taken)
    """
    parts, x, y, line = [], 0.0, 0.0, size * 1.6
    for swatch, words in items:
        room = width - 46
        shown, fitted = textfit.fit(words, room, size, max_lines=3, smallest=size * 0.8)
        item_w = 46 + max(textfit.width(s, fitted) for s in shown) + 28
        if x > 0 and x + item_w - 28 > width:
            x, y = 0.0, y + line
        parts.append(f'<g transform="translate({x:.1f},{y + (line - 20) / 2:.1f})">{swatch}</g>')
        parts.append(lines_block(x + 46, y + (line - fitted * 1.1) / 2, shown, fitted, MUTED, step=1.1))
        x += item_w
        if len(shown) > 1:
            y += (len(shown) - 1) * fitted * 1.1
    return "".join(parts), (y + line + 10 if items else 0.0)


def _band_words(chart: SeriesChart, lang: str) -> list[tuple[str, str]]:
    green, amber, direction = chart.bands
    g, a = value_text(green, chart.decimals, chart.unit, lang), value_text(amber, chart.decimals, chart.unit, lang)
    low_a = value_text(amber, chart.decimals, chart.unit, lang).removesuffix(" %")
    if direction == "lower":
        return [("green", f"{t('green', lang)} ≤ {g}"), ("amber", f"{t('amber', lang)} {value_text(green, chart.decimals, '', lang)}–{a}"),
                ("red", f"{t('red', lang)} > {a}")]
    return [("green", f"{t('green', lang)} ≥ {g}"), ("amber", f"{t('amber', lang)} {low_a}–{g}"), ("red", f"{t('red', lang)} < {a}")]


def _band_ranges(chart: SeriesChart, low: float, high: float) -> list[tuple[str, float, float]]:
    green, amber, direction = chart.bands
    if direction == "lower":
        spans = [("green", -math.inf, green), ("amber", green, amber), ("red", amber, math.inf)]
    else:
        spans = [("red", -math.inf, amber), ("amber", amber, green), ("green", green, math.inf)]
    return [(s, max(a, low), min(b, high)) for s, a, b in spans if min(b, high) > max(a, low)]


def series(chart: SeriesChart, width: float, height: float, lang: str) -> str:
    """A line over the periods: threshold bands behind, a dashed target, a comparison line, provisional points hollow."""
    points, compared = list(chart.points), list(chart.compared or ())
    items: list[tuple[str, str]] = [(f'<line x1="0" y1="10" x2="36" y2="10" stroke="{SERIES}" stroke-width="4"/>'
                                     f'<circle cx="18" cy="10" r="6" fill="{SERIES}"/>', chart.name or t("value", lang))]
    if compared:
        items.append((f'<line x1="0" y1="10" x2="36" y2="10" stroke="{COMPARED}" stroke-width="3"/>'
                      f'<rect x="13" y="5" width="10" height="10" fill="{COMPARED}"/>', chart.compared_name or t("compared", lang)))
    if any(p[2] for p in points):
        items.append((f'<line x1="0" y1="10" x2="36" y2="10" stroke="{SERIES}" stroke-width="4" stroke-dasharray="3 5"/>'
                      f'<circle cx="18" cy="10" r="6" fill="{PAPER}" stroke="{SERIES}" stroke-width="3"/>', t("provisional", lang)))
    if chart.target is not None:
        items.append((f'<line x1="0" y1="10" x2="36" y2="10" stroke="{INK}" stroke-width="3" stroke-dasharray="9 6"/>',
                      f"{t('target', lang)} {value_text(chart.target, chart.decimals, chart.unit, lang)}"))
    if chart.bands:
        for status, words in _band_words(chart, lang):
            colour, opacity = BAND[status]
            items.append((f'<rect x="0" y="0" width="36" height="20" fill="{colour}" fill-opacity="{opacity * 2.2:.2f}"/>', words))
    body, top = legend(items, width)
    caption = ""
    if chart.unit and chart.unit != "%":
        caption = text(0, top + SMALL, t("unit", lang, unit=chart.unit), SMALL, MUTED)
        top += SMALL * 1.6
    top += VALUE * 1.6  # room for the value written over the highest point

    values = [p[1] for p in points if p[1] is not None] + [c[1] for c in compared if c[1] is not None]
    bounds = values + ([chart.target] if chart.target is not None else []) + (list(chart.bands[:2]) if chart.bands else [])
    low, high = (min(bounds), max(bounds)) if bounds else (0.0, 1.0)
    if low >= 0 and low <= 0.4 * high:
        low = 0.0
    else:
        low -= max((high - low) * 0.15, abs(high) * 0.01, 0.5)
    bottom = height - SMALL * 2.0
    axis, axis_decimals = ticks(low, high, max(2, min(6, int((bottom - top) // 70))))
    low, high = axis[0], axis[-1]
    tick_texts = [formatting.number(v, axis_decimals, lang) + (" %" if chart.unit == "%" else "") for v in axis]
    left = max(textfit.width(s, SMALL) for s in tick_texts) + 14
    plot_w = max(width - left - 8, 1.0)
    n = max(len(points), len(compared), 1)
    slot = plot_w / n

    def x(i: int) -> float:
        return left + slot * (i + 0.5)

    def y(v: float) -> float:
        return bottom - (v - low) / ((high - low) or 1.0) * (bottom - top)

    parts = [body, caption]
    if chart.bands:
        for status, a, b in _band_ranges(chart, low, high):
            colour, opacity = BAND[status]
            parts.append(f'<rect x="{left:.1f}" y="{y(b):.1f}" width="{plot_w:.1f}" height="{y(a) - y(b):.1f}" fill="{colour}" '
                         f'fill-opacity="{opacity}"/>')
    for v, label in zip(axis, tick_texts, strict=True):
        parts.append(f'<line x1="{left:.1f}" x2="{left + plot_w:.1f}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{GRID}" stroke-width="1.5"/>'
                     + text(left - 10, y(v) + SMALL * 0.36, label, SMALL, MUTED, "end"))
    labels = [p[0] for p in points] or [c[0] for c in compared]
    widest = max((textfit.width(s, SMALL) for s in labels), default=0.0)
    every = max(1, math.ceil((widest + 16) / slot))
    kept = math.inf  # the left edge of the label kept last, walking back from the latest period, which is always named
    for i in range(len(labels) - 1, -1, -every):
        half = textfit.width(labels[i], SMALL) / 2
        middle = min(max(x(i), half), width - half)
        if middle + half + 12 <= kept:
            parts.append(text(middle, height - SMALL * 0.45, labels[i], SMALL, MUTED, "middle"))
            kept = middle - half
    if chart.target is not None:
        parts.append(f'<line x1="{left:.1f}" x2="{left + plot_w:.1f}" y1="{y(chart.target):.1f}" y2="{y(chart.target):.1f}" '
                     f'stroke="{INK}" stroke-width="3" stroke-dasharray="9 6"/>')
    if compared:
        parts.append(_line([(x(i), None if v is None else y(v), False) for i, (_, v) in enumerate(compared)], COMPARED, 3))
        if slot >= 10:
            parts.extend(f'<rect x="{x(i) - 5:.1f}" y="{y(v) - 5:.1f}" width="10" height="10" fill="{COMPARED}"/>'
                         for i, (_, v) in enumerate(compared) if v is not None)
    parts.append(_line([(x(i), None if v is None else y(v), bool(p)) for i, (_, v, p) in enumerate(points)], SERIES, 4))
    shown = [i for i, p in enumerate(points) if p[1] is not None]
    value_w = max((textfit.width(value_text(points[i][1], chart.decimals, chart.unit, lang), VALUE, bold=True) for i in shown), default=0.0)
    label_every = max(1, math.ceil((value_w + 10) / slot))
    # Values written over their points, from the latest back, each only where it meets no value written already.
    taken: list[tuple[float, float, float, float]] = []
    written: list[tuple[int, float, str]] = []
    for i in shown[::-1][::label_every]:
        words = value_text(points[i][1], chart.decimals, chart.unit, lang)
        half = textfit.width(words, VALUE, bold=True) / 2 + 4
        middle, base = min(max(x(i), left + half), left + plot_w - half), y(points[i][1]) - 16
        box = (middle - half, base - VALUE, middle + half, base + VALUE * 0.3)
        if _free(box, taken):
            taken.append(box)
            written.append((i, middle, words))
    radius = min(7.0, slot * 0.3)
    labelled = {i for i, _, _ in written}
    for i in shown:
        value, provisional = points[i][1], points[i][2]
        fill, stroke = (PAPER, SERIES) if provisional else (SERIES, PAPER)
        if radius >= 3 or provisional or i in labelled:  # on a crowded axis only the points that say something
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="{max(radius, 5.0):g}" fill="{fill}" stroke="{stroke}" '
                         f'stroke-width="3"/>')
    parts.extend(text(middle, y(points[i][1]) - 16, words, VALUE, INK, "middle", True, True) for i, middle, words in written)
    if chart.target is not None:  # its words at the left above the line, else the right, else below it
        words, ty = f"{t('target', lang)} {value_text(chart.target, chart.decimals, chart.unit, lang)}", y(chart.target)
        w = textfit.width(words, SMALL, bold=True)
        places = [(left + 8, ty - 8), (left + plot_w - w - 8, ty - 8), (left + 8, ty + SMALL + 6), (left + plot_w - w - 8, ty + SMALL + 6)]
        tx, base = next(((px, py) for px, py in places if _free((px - 4, py - SMALL, px + w + 4, py + SMALL * 0.3), taken)), places[0])
        parts.append(text(tx, base, words, SMALL, INK, bold=True, halo=True))
    return "".join(parts)


def _free(box: tuple[float, float, float, float], taken: Sequence[tuple[float, float, float, float]]) -> bool:
    return all(box[2] <= o[0] or o[2] <= box[0] or box[3] <= o[1] or o[3] <= box[1] for o in taken)


def _line(points: Sequence[tuple[float, float | None, bool]], colour: str, stroke: float) -> str:
    """Segments between neighbouring points with values; a segment into a provisional point is dotted."""
    parts = []
    for (x0, y0, _), (x1, y1, provisional) in zip(points, points[1:], strict=False):
        if y0 is None or y1 is None:
            continue
        dash = ' stroke-dasharray="3 5"' if provisional else ""
        parts.append(f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="{colour}" stroke-width="{stroke}" '
                     f'stroke-linecap="round"{dash}/>')
    return "".join(parts)


def _status_legend(statuses: Sequence[str], lang: str) -> list[tuple[str, str]]:
    present = [s for s in STATUS_ORDER if s in set(statuses)]
    return [(status_swatch(0, 0, 36, 20, s), t(s, lang)) for s in present]


BAR_ROW_LEAST = 28.0  # a bar's row is never thinner: with many rows the page grows instead


def least_height(chart: SeriesChart | BarChart | MapChart, width: float, lang: str) -> float:
    """The least height the plot needs: every bar's row at least BAR_ROW_LEAST high; others scale to any height."""
    if hasattr(chart, "rows"):
        items = _status_legend([r[2] or "no_data" for r in chart.rows], lang) + ([("", "Target 00000")] if chart.target is not None else [])
        return legend(items, width)[1] + SMALL * 1.6 + len(chart.rows) * BAR_ROW_LEAST
    return 0.0


def bars(chart: BarChart, width: float, height: float, lang: str) -> str:
    """Horizontal bars ranked from the highest value down (no value last), coloured by status, a dashed target."""
    rows = sorted(chart.rows, key=lambda r: (r[1] is None, -(r[1] or 0.0)))
    items = _status_legend([r[2] or "no_data" for r in rows], lang)
    if chart.target is not None:
        items.append((f'<line x1="18" y1="0" x2="18" y2="20" stroke="{INK}" stroke-width="3" stroke-dasharray="5 4"/>',
                      f"{t('target', lang)} {value_text(chart.target, chart.decimals, chart.unit, lang)}"))
    body, top = legend(items, width)
    if chart.unit and chart.unit != "%":
        body += text(0, top + SMALL, t("unit", lang, unit=chart.unit), SMALL, MUTED)
        top += SMALL * 1.6
    n = max(len(rows), 1)
    row_h = min((height - top) / n, 72.0)
    size = max(min(LABEL, row_h * 0.55), 11.0)
    allowed = max(1, int((row_h - 2) // (size * textfit.LINE)))
    texts = [value_text(r[1], chart.decimals, chart.unit, lang) for r in rows]
    value_w = max((textfit.width(s, size, bold=True) for s in texts), default=0.0) + 14
    widest = max((textfit.width(r[0], size) for r in rows), default=0.0)
    label_w = min(widest + 16, width * 0.38)
    fitted = [textfit.fit(r[0], label_w - 16, size, max_lines=allowed, smallest=max(size * 0.75, 10)) for r in rows]
    plot_w = max(width - label_w - value_w, 1.0)
    values = [r[1] for r in rows if r[1] is not None]
    scale = max(values + [chart.target or 0.0, 0.0]) or 1.0
    bar_h = min(row_h * 0.66, 44.0)
    parts = [body]
    for i, ((_, value, status), (lines, fsize), shown) in enumerate(zip(rows, fitted, texts, strict=True)):
        middle = top + (i + 0.5) * row_h
        first = middle + fsize * 0.36 - fsize * textfit.LINE * (len(lines) - 1) / 2
        parts.extend(text(label_w - 16, first + k * fsize * textfit.LINE, line, fsize, INK, "end") for k, line in enumerate(lines))
        parts.append(f'<rect x="{label_w:.1f}" y="{middle - bar_h / 2:.1f}" width="{plot_w:.1f}" height="{bar_h:.1f}" fill="{TRACK}"/>')
        length = 0.0 if value is None else min(max(value, 0.0) / scale, 1.0) * plot_w
        if length > 0:
            parts.append(status_swatch(label_w, middle - bar_h / 2, length, bar_h, status or "no_data"))
        parts.append(text(label_w + plot_w + 10, middle + size * 0.36, shown, size, INK, bold=True))
    if chart.target is not None:
        tx = label_w + min(chart.target / scale, 1.0) * plot_w
        parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 6:.1f}" y2="{top + n * row_h:.1f}" stroke="{INK}" stroke-width="3" '
                     f'stroke-dasharray="9 6"/>')
    return "".join(parts)


MAP_W = 1100  # the map is drawn in its own 1100-wide units and scaled into its box


def kecamatan(chart: MapChart, width: float, height: float, lang: str) -> str:
    """The kecamatan map filled by status, each named with its figure, and beside it every kecamatan's figure listed."""
    map_h, outlines = kecamatan_outlines(MAP_W)
    members = dict(chart.members)
    list_w = max(width * 0.36, 360.0)
    room_w = width - list_w - 32
    draw_w = min(room_w, height * MAP_W / map_h)
    draw_h = draw_w * map_h / MAP_W
    shapes, labels = [], []
    for shape in outlines:
        figure, status = members.get(shape.kode, ("–", "no_data"))
        shapes.append(f'<path d="{shape.path}" fill="{STATUS.get(status, STATUS["no_data"])}" stroke="{PAPER}" stroke-width="3"/>')
        if PATTERN.get(status):
            shapes.append(f'<path d="{shape.path}" fill="url(#{PATTERN[status]})" stroke="none"/>')
        labels.append(text(shape.label_x, shape.label_y, shape.name, 19, INK, "middle", halo=True)
                      + text(shape.label_x, shape.label_y + 30, figure, 28, INK, "middle", True, True))
    parts = [f'<svg x="{(room_w - draw_w) / 2:.1f}" y="{(height - draw_h) / 2:.1f}" width="{draw_w:.1f}" height="{draw_h:.1f}" '
             f'viewBox="0 0 {MAP_W} {map_h}">{"".join(shapes)}{"".join(labels)}</svg>']
    # The list: every kecamatan by name with its figure, then the key.
    x0 = width - list_w
    key, key_h = legend(_status_legend([members.get(s.kode, ("–", "no_data"))[1] for s in outlines], lang), list_w)
    rows = sorted(outlines, key=lambda s: s.name)
    row_h = min((height - key_h - 16) / max(len(rows), 1), 44.0)
    size = max(min(LABEL, row_h * 0.6), 11.0)
    for i, shape in enumerate(rows):
        figure, status = members.get(shape.kode, ("–", "no_data"))
        middle = i * row_h + row_h / 2
        name_lines, name_size = textfit.fit(shape.name, list_w - 40 - textfit.width(figure, size, True) - 16, size, max_lines=1,
                                            smallest=size * 0.7)
        parts.append(status_swatch(x0, middle - size * 0.5, size * 1.1, size, status))
        parts.append(text(x0 + size * 1.1 + 12, middle + name_size * 0.36, " ".join(name_lines), name_size, INK))
        parts.append(text(width, middle + size * 0.36, figure, size, INK, "end", True))
        parts.append(f'<line x1="{x0:.1f}" x2="{width:.1f}" y1="{middle + row_h / 2:.1f}" y2="{middle + row_h / 2:.1f}" stroke="{GRID}"/>')
    parts.append(f'<g transform="translate({x0:.1f},{len(rows) * row_h + 16:.1f})">{key}</g>')
    return "".join(parts)
