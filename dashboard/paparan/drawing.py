"""A slide's charts as inline SVG drawn at the exact size of their box: bars, grouped and stacked bars, lines.

Drawn in CSS pixels of the 1280x720 slide, so a 20 px label is 20 px on the slide, on a shared screen and in the
PDF, where the text stays selectable. Colours are CSS classes (paparan.css), so one drawing serves both themes.
Every label is measured with `textfit` (DejaVu Sans, the font the slides embed) and wrapped, shrunk or left out
rather than drawn past the drawing's edge.
"""

from __future__ import annotations

import math
from html import escape

from dashboard import formatting
from dashboard.components import textfit
from dashboard.paparan.model import Chart, Series

SMALL = 20  # the smallest text on a slide
LABEL = 22  # category labels, before they are fitted
VALUE = 22  # values written on the chart (bold)
SWATCH = 20


def _text(x: float, y: float, text: str, size: float, cls: str, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" class="{cls}" text-anchor="{anchor}">{escape(text)}</text>'


def _svg(chart: Chart, width: float, height: float, body: str) -> str:
    return (f'<svg class="chart chart-{chart.chart}" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
            f'role="img" aria-label="{escape(chart.title)}">{body}</svg>')


def fill(series: Series, k: int) -> str:
    """The class a series is painted with: its state's colour where it has one, else the k-th series colour."""
    return f"s-{series.status}" if series.status else f"series-{k % 6}"


def legend(chart: Chart, width: float) -> tuple[str, float]:
    """Swatches and series names, left to right, onto a further line when the next would pass `width`.

    Returns:
        (SVG, height taken)
    """
    parts, x, y, line = [], 0.0, 0.0, SMALL * 1.4
    for k, name in enumerate(s.name for s in chart.series):
        room = width - SWATCH - 8
        lines, size = textfit.fit(name, room, SMALL, max_lines=1, smallest=SMALL)
        shown = " ".join(lines)
        item = SWATCH + 8 + min(textfit.width(shown, size), room) + 24
        if x > 0 and x + item - 24 > width:
            x, y = 0.0, y + line
        parts.append(f'<rect x="{x:.1f}" y="{y + 4:.1f}" width="{SWATCH}" height="{SWATCH}" class="{fill(chart.series[k], k)}"/>'
                     + _text(x + SWATCH + 8, y + 4 + SWATCH * 0.82, shown, size, "t-muted"))
        x += item
    return "".join(parts), (y + line + 8 if chart.series else 0.0)


def _label_column(labels: tuple[str, ...], width: float, row_h: float) -> tuple[float, list[tuple[list[str], float]]]:
    """The width of the category labels' column and each label fitted into its row: wrapped at 20-22 px in a column of
    up to 40 % of the chart, else a wider column (55 %), and only where even that is too narrow a smaller size."""
    widest = max((textfit.width(label, LABEL) for label in labels), default=0.0)
    allowed = max(1, int((row_h - 2) // (SMALL * textfit.LINE)))
    for share in (0.4, 0.48, 0.55):
        column = min(widest + 14, width * share)
        fitted = [textfit.fit(label, column - 14, LABEL, max_lines=allowed, smallest=SMALL) for label in labels]
        if all(len(lines) <= allowed for lines, _ in fitted):
            return column, fitted
    for size in range(SMALL - 1, 11, -1):  # a label never runs into the next row
        allowed = max(1, int((row_h - 2) // (size * textfit.LINE)))
        fitted = [textfit.fit(label, column - 14, size, max_lines=allowed, smallest=size) for label in labels]
        if all(len(lines) <= allowed for lines, _ in fitted):
            break
    return column, fitted


def _target_mark(x: float, top: float, bottom: float, text: str, width: float) -> str:
    """A dashed vertical target line with its label above it, the label kept inside the drawing."""
    w = textfit.width(text, SMALL, bold=True)
    left = min(max(x - w / 2, 0.0), width - w)
    return (f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4:.1f}" y2="{bottom:.1f}" class="target" stroke-dasharray="8 6"/>'
            + _text(left, top - 10, text, SMALL, "t-target"))


def bars(chart: Chart, width: float, height: float, lang: str, target_word: str) -> str:
    """Horizontal bars, one row per category: one series (coloured by status where given) or a group of series."""
    grouped = len(chart.series) > 1
    body, top = legend(chart, width) if grouped else ("", 0.0)
    if chart.target is not None:
        top += SMALL * 1.6
    values = [v for s in chart.series for v in s.values if v is not None]
    texts = [chart.label(v, lang) for s in chart.series for v in s.values]
    value_w = max((textfit.width(t, VALUE, bold=True) for t in texts), default=0.0) + 12
    n = max(len(chart.categories), 1)
    row_h = min((height - top) / n, (40 * len(chart.series) + 30) if grouped else 100)
    label_w, labels = _label_column(chart.categories, width, row_h)
    plot_w = max(width - label_w - value_w, 1.0)
    scale = chart.maximum if chart.maximum is not None else max(values + [chart.target or 0.0, 0.0]) or 1.0
    bar_h = min(row_h * 0.7, 40 * len(chart.series) if grouped else 52) / len(chart.series)
    parts = [body]
    for i, (lines, size) in enumerate(labels):
        middle = top + (i + 0.5) * row_h
        parts.append(textfit.text_block(label_w - 14, middle, lines, size, 'text-anchor="end" class="t-label"'))
        first = middle - bar_h * len(chart.series) / 2
        for k, series in enumerate(chart.series):
            value, y = series.values[i], first + k * bar_h
            status = chart.statuses[i] if chart.statuses and not grouped else None
            cls = f"bar s-{status}" if status else f"bar {fill(series, k)}"
            parts.append(f'<rect x="{label_w:.1f}" y="{y + 1:.1f}" width="{plot_w:.1f}" height="{bar_h - 2:.1f}" class="track"/>')
            length = 0.0 if value is None else min(max(value, 0.0) / scale, 1.0) * plot_w
            if length > 0:
                parts.append(f'<rect x="{label_w:.1f}" y="{y + 1:.1f}" width="{length:.1f}" height="{bar_h - 2:.1f}" class="{cls}"/>')
            size_v = min(VALUE, max(bar_h * 0.9, 14.0), row_h / len(chart.series) * 0.8)  # a value never spills out of its row
            parts.append(textfit.text_block(label_w + plot_w + 10, y + bar_h / 2, [chart.label(value, lang)], size_v,
                                            'class="t-value" font-weight="bold"'))
    if chart.target is not None:
        x = label_w + min(chart.target / scale, 1.0) * plot_w
        parts.append(_target_mark(x, top, top + n * row_h, f"{target_word} {chart.label(chart.target, lang)}", width))
    return _svg(chart, width, height, "".join(parts))


def stacked(chart: Chart, width: float, height: float, lang: str) -> str:
    """Horizontal bars of the series stacked, a legend above, each row's total at its end, counts inside where they fit."""
    body, top = legend(chart, width)
    totals = [sum(s.values[i] or 0.0 for s in chart.series) for i in range(len(chart.categories))]
    value_w = max((textfit.width(chart.label(t, lang), VALUE, bold=True) for t in totals), default=0.0) + 12
    n = max(len(chart.categories), 1)
    row_h = min((height - top) / n, 100)
    label_w, labels = _label_column(chart.categories, width, row_h)
    plot_w = max(width - label_w - value_w, 1.0)
    scale = chart.maximum if chart.maximum is not None else max(totals + [0.0]) or 1.0
    bar_h = min(row_h * 0.72, 56)
    parts = [body]
    for i, (lines, size) in enumerate(labels):
        middle = top + (i + 0.5) * row_h
        parts.append(textfit.text_block(label_w - 14, middle, lines, size, 'text-anchor="end" class="t-label"'))
        x = label_w
        for k, series in enumerate(chart.series):
            value = series.values[i] or 0.0
            w = min(value / scale * plot_w, label_w + plot_w - x)
            if w <= 0:
                continue
            parts.append(f'<rect x="{x:.1f}" y="{middle - bar_h / 2:.1f}" width="{w:.1f}" height="{bar_h:.1f}" class="segment {fill(series, k)}"/>')
            text = chart.label(value, lang)
            if textfit.width(text, SMALL, bold=True) + 12 < w:
                parts.append(textfit.text_block(x + w / 2, middle, [text], SMALL, f'text-anchor="middle" font-weight="bold" class="{"on-status" if series.status else f"on-series-{k % 6}"}"'))
            x += w
        parts.append(textfit.text_block(x + 8, middle, [chart.label(totals[i], lang)], VALUE, 'class="t-value" font-weight="bold"'))
    return _svg(chart, width, height, "".join(parts))


def ticks(low: float, high: float, count: int = 4) -> tuple[list[float], int]:
    """Round axis values covering low..high, about `count` steps, and the decimals they need."""
    span = (high - low) or abs(high) or 1.0
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    start, end = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
    decimals = next(d for d in range(6) if abs(round(step, d) - step) < 1e-9 * max(1.0, step))
    return [start + i * step for i in range(round((end - start) / step) + 1)], decimals


def line(chart: Chart, width: float, height: float, lang: str, target_word: str) -> str:
    """Categories along the x axis, a line with markers per series, broken where a value is missing; a dashed target."""
    body, top = legend(chart, width) if len(chart.series) > 1 else ("", 0.0)
    per_cent = chart.unit == "%"  # written on each axis value ("80 %"); another unit stands over the axis
    unit_h = SMALL * 1.5 if chart.unit and not per_cent else 0.0
    top += unit_h + VALUE * 1.7  # room for the axis' unit and for value labels above the highest point
    values = [v for s in chart.series for v in s.values if v is not None]
    bounds = values + ([chart.target] if chart.target is not None else [])
    low, high = (min(bounds), max(bounds)) if bounds else (0.0, 1.0)
    if chart.maximum is not None:
        high = max(chart.maximum, low)
    if low >= 0 and low <= 0.4 * high:
        low = 0.0
    else:
        low -= max((high - low) * 0.25, abs(high) * 0.01, 0.5)
    plot_h = height - SMALL * 1.9 - top
    axis, decimals = ticks(low, high, max(1, min(4, int(plot_h // (SMALL * 2)))))  # tick labels never crowd each other
    low, high = axis[0], axis[-1]
    tick_texts = [formatting.number(v, decimals, lang) + (" %" if per_cent else "") for v in axis]
    left = max(textfit.width(t, SMALL) for t in tick_texts) + 12
    target_text = f"{target_word} {chart.label(chart.target, lang)}" if chart.target is not None else ""
    right = max(textfit.width(target_text, SMALL, bold=True) + 10 if target_text else 0.0, 8.0)
    bottom = height - SMALL * 1.9
    plot_w = max(width - left - right, 1.0)
    n = max(len(chart.categories), 1)
    slot = plot_w / n

    def x(i: int) -> float:
        return left + slot * (i + 0.5)

    def y(v: float) -> float:
        return bottom - (v - low) / ((high - low) or 1.0) * (bottom - top)

    parts = [body]
    if unit_h:
        parts.append(_text(0, top - VALUE * 1.7 - 6, " ".join(textfit.fit(chart.unit, width, SMALL, max_lines=1, smallest=SMALL)[0]), SMALL, "t-muted"))
    for v, text in zip(axis, tick_texts, strict=True):
        parts.append(f'<line x1="{left:.1f}" x2="{left + plot_w:.1f}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>'
                     + _text(left - 10, y(v) + SMALL * 0.36, text, SMALL, "t-muted", "end"))
    widest = max((textfit.width(c, SMALL) for c in chart.categories), default=0.0)
    every = max(1, math.ceil((widest + 12) / slot))
    for i, category in enumerate(chart.categories):
        if i % every == 0:
            half = textfit.width(category, SMALL) / 2
            parts.append(_text(min(max(x(i), half), width - half), height - SMALL * 0.5, category, SMALL, "t-muted", "middle"))
    if chart.target is not None:
        ty = y(chart.target)
        parts.append(f'<line x1="{left:.1f}" x2="{left + plot_w:.1f}" y1="{ty:.1f}" y2="{ty:.1f}" class="target" stroke-dasharray="8 6"/>'
                     + _text(left + plot_w + 8, ty + SMALL * 0.36, target_text, SMALL, "t-target"))
    value_w = max((textfit.width(chart.label(v, lang), VALUE, bold=True) for v in values), default=0.0)
    label_every = max(1, math.ceil((value_w + 8) / slot))
    for k, series in enumerate(chart.series):
        run: list[str] = []
        runs = [run]
        for i, value in enumerate(series.values):
            if value is None:
                run = []
                runs.append(run)
            else:
                run.append(f"{x(i):.1f},{y(value):.1f}")
        parts.extend(f'<polyline points="{" ".join(r)}" class="line series-{k % 6}"/>' for r in runs if len(r) > 1)
        shown = [i for i, v in enumerate(series.values) if v is not None]
        labelled = {i for i in shown if i % label_every == 0} if len(chart.series) == 1 else set()
        if shown:  # the latest value is always written, in place of a neighbour it would run into
            labelled = {i for i in labelled if shown[-1] - i >= label_every} | {shown[-1]}
        for i in shown:
            value = series.values[i]
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="7" class="marker series-{k % 6}"/>')
            if i in labelled:
                text = chart.label(value, lang)
                half = textfit.width(text, VALUE, bold=True) / 2  # kept over the plot, clear of the target's label
                parts.append(_text(min(max(x(i), half), left + plot_w - half), y(value) - 14, text, VALUE, "t-value", "middle"))
    return _svg(chart, width, height, "".join(parts))


def draw(chart: Chart, width: float, height: float, lang: str, target_word: str) -> str:
    """The chart as inline SVG, `width` x `height` CSS pixels."""
    if chart.chart == "line":
        return line(chart, width, height, lang, target_word)
    if chart.chart == "stacked":
        return stacked(chart, width, height, lang)
    return bars(chart, width, height, lang, target_word)
