"""A slide's blocks as HTML, each in a box laid out on the server: headline numbers, charts, tables and text.

Sizes come from `textfit`'s widths of DejaVu Sans, the font the slides embed, so text is sized and wrapped to its box
here and the browser lays it out as measured: a box never scrolls and nothing is cut (the browser test measures it).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from html import escape

from dashboard.components import textfit
from dashboard.i18n import t as shared_text
from dashboard.paparan import drawing
from dashboard.paparan.model import Block, Chart, Figure, Stats, Table, Text

BODY_W = 1280 - 2 * 56  # the width of a slide's blocks' area
GAP = 24  # between blocks
MIN_BELOW, LEAST_BELOW = 220, 120  # what a row of headline numbers leaves for the chart, table or text under it
STATS_SIDE_W = 384  # a column of one or two headline numbers beside a chart, table or text
SMALL = drawing.SMALL
STATUS_ICON = {"green": "✓", "amber": "!", "red": "✕", "no_data": "–"}  # a shape and a sign as well as a colour


@dataclass(frozen=True)
class Box:
    """A block's place on the canvas, in CSS pixels from the body's top left."""

    x: float
    y: float
    w: float
    h: float


@functools.lru_cache(maxsize=1 << 16)  # a table's layout asks the same cell at the same width many times
def lines(text: str, room: float, size: float, bold: bool = False) -> int:
    """Lines `text` takes in `room`; a word wider than the room is broken (overflow-wrap), over as many lines as it needs."""
    return sum(max(1, math.ceil(textfit.width(line, size, bold) / max(room, 1.0))) for line in textfit.wrap(text, room, size, bold))


def fit_heading(text: str, room: float, size: float, smallest: float, max_lines: int, bold: bool = True) -> tuple[float, int]:
    """The largest size from `size` down to `smallest` at which `text` takes at most `max_lines` lines; (size, lines)."""
    lines, fitted = textfit.fit(text, room, size, max_lines=max_lines, smallest=smallest, bold=bold)
    return fitted, len(lines)


def _px(value: float) -> str:
    return f"{value:.0f}px"


def _style(box: Box) -> str:
    return f'style="left:{_px(box.x)};top:{_px(box.y)};width:{_px(box.w)};height:{_px(box.h)}"'


def _block_title(title: str, w: float) -> tuple[str, float]:
    """A chart's or table's title over it, and the height it takes."""
    if not title:
        return "", 0.0
    size, lines = fit_heading(title, w, 24, SMALL, 1)
    height = lines * size * 1.25 + 10
    return f'<h2 class="block-title" style="font-size:{size:g}px">{escape(title)}</h2>', height


def _figure_layout(figure: Figure, w: float, size: float) -> float:
    """The height a headline number's card needs at figure size `size` in a card `w` wide (paparan.css .figure)."""
    room = w - 2 * 18 - 4  # padding and borders
    height = 8 + 12 + 14 + 4  # status border, padding, a little room for rounding
    height += lines(figure.label, room, 22, True) * 22 * 1.2 + 4
    height += size * 1.05 + 4
    height += (30 + 4) if figure.status else 0
    height += (lines(figure.detail, room, SMALL) * SMALL * 1.3) if figure.detail else 0
    return height


def _figure_parts(figure: Figure) -> tuple[str, str]:
    """The number and the unit of a figure's text, split so the unit is written smaller."""
    unit = f" {figure.unit}" if figure.unit else ""
    if unit and figure.text.endswith(unit) and figure.text != unit.strip():
        return figure.text[: -len(unit)], unit
    return figure.text, ""


def _figure_fits(figure: Figure, w: float, size: float) -> bool:
    number, unit = _figure_parts(figure)
    return textfit.width(number, size, True) + textfit.width(unit, max(SMALL, size * 0.4), True) <= w - 2 * 18 - 4


SIZES = (104, 96, 88, 80, 72, 64, 56, 48, 40, 36)


def _figure_size(figures: tuple[Figure, ...], w: float, h: float) -> float:
    """One figure size for a row or column of cards: the largest at which every card fits."""
    return next((s for s in SIZES if all(_figure_fits(f, w, s) and _figure_layout(f, w, s) <= h for f in figures)), SIZES[-1])


def _figure(figure: Figure, size: float, lang: str) -> str:
    number, unit = _figure_parts(figure)
    status = figure.status or "none"
    chip = (f'<div class="status s-{status}"><span class="status-icon" aria-hidden="true">{STATUS_ICON[figure.status]}</span>'
            f'<span class="status-word">{escape(shared_text("status_" + figure.status, lang))}</span></div>') if figure.status else ""
    unit_html = f'<span class="figure-unit" style="font-size:{max(SMALL, size * 0.4):.0f}px">{escape(unit)}</span>' if unit else ""
    detail = f'<div class="figure-detail">{escape(figure.detail)}</div>' if figure.detail else ""
    return (f'<div class="figure s-{status}"><div class="figure-label">{escape(figure.label)}</div>'
            f'<div class="figure-text" style="font-size:{size:.0f}px"><span class="figure-number">{escape(number)}</span>{unit_html}</div>'
            f'{chip}{detail}</div>')


def _stats_column(stats: Stats, height: float) -> bool:
    """One or two numbers stand in a column beside the other block where they fit it, else in a row above it."""
    n = len(stats.figures)
    card = (height - GAP * (n - 1)) / max(n, 1)
    return n <= 2 and all(_figure_layout(f, STATS_SIDE_W, SIZES[-1]) <= card for f in stats.figures)


def _stats(block: Stats, box: Box, lang: str, column: bool) -> str:
    n = max(len(block.figures), 1)
    if column:
        w, h = box.w, (box.h - GAP * (n - 1)) / n
    else:
        w, h = (box.w - GAP * (n - 1)) / n, box.h
    size = _figure_size(block.figures, w, h)
    cards = "".join(_figure(f, size, lang) for f in block.figures)
    return f'<div class="block block-stats {"stats-column" if column else "stats-row"}" {_style(box)}>{cards}</div>'


def stats_height(block: Stats, w: float, size: float | None = None) -> float:
    """The height a row of headline numbers needs across `w` at figure size `size` (None: the largest up to 72 px
    that fits the cards' width)."""
    n = max(len(block.figures), 1)
    card = (w - GAP * (n - 1)) / n
    if size is None:
        size = next((s for s in SIZES if s <= 72 and all(_figure_fits(f, card, s) for f in block.figures)), SIZES[-1])
    return max(_figure_layout(f, card, size) for f in block.figures)


def _chart(block: Chart, box: Box, lang: str) -> str:
    heading, used = _block_title(block.title, box.w)
    svg = drawing.draw(block, box.w, box.h - used, lang, shared_text("target", lang))
    return f'<div class="block block-chart" {_style(box)}>{heading}{svg}</div>'


def _column_widths(table: Table, cells: list[list[str]], w: float, size: float) -> list[float]:
    """Column widths across `w`: each at least as wide as its longest word, then wider where that saves lines."""
    pad = 24 + 6  # the cell's padding, and room for rounding

    def longest(j: int, whole: bool) -> float:
        texts = [(table.columns[j].name, True)] + [(row[j], False) for row in cells]
        parts = [(piece, bold) for text, bold in texts for piece in ([text] if whole else text.split(" "))]
        return max(textfit.width(piece, size, bold) for piece, bold in parts) + pad

    def longest_of(text: str, bold: bool) -> float:
        return textfit.width(text, size, bold) + pad

    least = [longest(j, False) for j in range(len(table.columns))]
    natural = [longest(j, True) for j in range(len(table.columns))]
    if sum(natural) <= w:
        return [n * w / sum(natural) for n in natural]
    if sum(least) >= w:
        return [m * w / sum(least) for m in least]
    # From each column's longest word, the room left goes, a widening at a time, where it saves the most height for
    # the width it takes: widening a column to one of its cells' full widths saves that cell's extra lines.
    widths, room = list(least), w - sum(least)
    targets = [sorted({longest_of(table.columns[j].name, True)} | {longest_of(row[j], False) for row in cells}) for j in range(len(widths))]
    while room > 0.5:
        now, best = _table_height(table, cells, widths, size), None
        for j, column in enumerate(targets):
            for target in column:
                extra = target - widths[j]
                if extra <= 0.5 or extra > room:
                    continue
                gain = now - _table_height(table, cells, widths[:j] + [target] + widths[j + 1:], size)
                if gain > 0 and (best is None or gain / extra > best[0]):
                    best = (gain / extra, j, target)
        if best is None:
            break
        _, j, target = best
        room -= target - widths[j]
        widths[j] = target
    return [wd * w / sum(widths) for wd in widths]


def _table_height(table: Table, cells: list[list[str]], widths: list[float], size: float, pad: float = 7) -> float:
    def row(texts: list[str], bold: bool) -> float:
        return max(lines(text, wd - 24, size, bold) for text, wd in zip(texts, widths, strict=True)) * size * 1.3 + 2 * pad

    return row([c.name for c in table.columns], True) + sum(row(r, False) for r in cells) + 2 * len(cells) + 8  # borders, rounding


def _table(block: Table, box: Box, lang: str, slide_title: str) -> str:
    heading, used = _block_title(block.title if block.title != slide_title else "", box.w)  # not the slide's title twice
    cells = block.formatted(lang)
    # Sizes and row padding tried in turn; below 20 px only where nothing larger fits the box: smaller, never cut.
    for size, pad in ((24, 7), (22, 7), (20, 7), (20, 3), (18, 3), (16, 3), (14, 3), (12, 2)):
        widths = _column_widths(block, cells, box.w, size)
        if _table_height(block, cells, widths, size, pad) <= box.h - used:
            break
    cols = "".join(f'<col style="width:{wd:.0f}px">' for wd in widths)
    align = ['num' if c.decimals is not None else 'txt' for c in block.columns]
    head = "".join(f'<th class="{a}" scope="col">{escape(c.name)}</th>' for c, a in zip(block.columns, align, strict=True))
    rows = "".join("<tr>" + "".join(f'<td class="{a}">{escape(v)}</td>' for v, a in zip(r, align, strict=True)) + "</tr>" for r in cells)
    dense = ' class="dense"' if pad < 7 else ""
    return (f'<div class="block block-table" {_style(box)}>{heading}<table{dense} style="font-size:{size}px"><colgroup>{cols}</colgroup>'
            f'<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>')


def text_size(paragraphs: tuple[str, ...], room: float, h: float, sizes: tuple[int, ...], bold: bool = False) -> float:
    def needed(size: float) -> float:
        return sum(lines(p, room, size, bold) for p in paragraphs) * size * 1.3 + max(len(paragraphs) - 1, 0) * size * 0.6

    return next((s for s in sizes if needed(s) <= h), sizes[-1])


def _text(block: Text, box: Box) -> str:
    room = box.w - (40 if block.bullets else 0)
    size = text_size(block.paragraphs, room, box.h, (32, 30, 28, 26, 24, 22, 20))
    items = "".join(f"<li>{escape(p)}</li>" if block.bullets else f"<p>{escape(p)}</p>" for p in block.paragraphs)
    inner = f"<ul>{items}</ul>" if block.bullets else items
    return f'<div class="block block-text" {_style(box)} ><div class="text" style="font-size:{size:g}px">{inner}</div></div>'


def layout(blocks: tuple[Block, ...], height: float) -> list[tuple[Block, Box, bool]]:
    """Where each block goes in a body BODY_W x `height`: one fills it; one or two headline numbers stand in a column
    beside the other block where they fit, else in a row above it; a table stands beside a chart or text as wide as
    its words need; other pairs share the width.

    Returns:
        (block, box, numbers in a column) for each block.
    """
    if not blocks:
        return []
    if len(blocks) == 1:
        return [(blocks[0], Box(0, 0, BODY_W, height), False)]
    stats = [b for b in blocks if isinstance(b, Stats)]
    others = [b for b in blocks if not isinstance(b, Stats)]
    if len(stats) == 1 and len(others) == 1 and _stats_column(stats[0], height):
        side = Box(0, 0, STATS_SIDE_W, height), Box(STATS_SIDE_W + GAP, 0, BODY_W - STATS_SIDE_W - GAP, height)
        first, second = (stats[0], others[0]) if blocks[0] is stats[0] else (others[0], stats[0])
        boxes = side if first is stats[0] else (Box(0, 0, BODY_W - STATS_SIDE_W - GAP, height), Box(BODY_W - STATS_SIDE_W, 0, STATS_SIDE_W, height))
        return [(first, boxes[0], first is stats[0]), (second, boxes[1], second is stats[0])]
    placed: list[tuple[Block, Box, bool]] = []
    y = 0.0
    rows_left = len(stats) + (1 if others else 0)
    for block in stats:
        if others:  # what the numbers need, leaving the block below MIN_BELOW, or less where the numbers need it at their smallest
            room = max(height - y - GAP - MIN_BELOW, min(stats_height(block, BODY_W, SIZES[-1]), height - y - GAP - LEAST_BELOW))
            h = min(stats_height(block, BODY_W), room)
        else:
            h = (height - y - GAP * (rows_left - 1)) / rows_left
        placed.append((block, Box(0, y, BODY_W, h), False))
        y += h + GAP
        rows_left -= 1
    if len(others) == 2 and any(isinstance(b, Table) for b in others):  # a table beside a chart or text: as wide as its words need
        table = next(b for b in others if isinstance(b, Table))
        half = (BODY_W - GAP) / 2
        wide = min(max(_table_least(table, SMALL), half), BODY_W * 0.62)
        widths = [wide if b is table else BODY_W - GAP - wide for b in others]
        placed.append((others[0], Box(0, y, widths[0], height - y), False))
        placed.append((others[1], Box(widths[0] + GAP, y, widths[1], height - y), False))
    elif others:
        w = (BODY_W - GAP * (len(others) - 1)) / len(others)
        placed.extend((b, Box(i * (w + GAP), y, w, height - y), False) for i, b in enumerate(others))
    return placed


def _table_least(table: Table, size: float) -> float:
    """The width at which no word of the table need be broken (the words' widths hardly differ between languages)."""
    cells = table.formatted("id")
    least = 0.0
    for j, column in enumerate(table.columns):
        words = [(w, True) for w in column.name.split(" ")] + [(w, False) for row in cells for w in row[j].split(" ")]
        least += max(textfit.width(w, size, bold) for w, bold in words) + 30
    return least


def block_html(block: Block, box: Box, column: bool, lang: str, slide_title: str) -> str:
    """One block in its box (`layout`), as an absolutely placed <div>.

    Args:
        block: the block.
        box: its place in the slide's body.
        column: headline numbers stacked in a column (else in a row).
        lang: the deck's language.
        slide_title: a table's title equal to it is not written twice.
    """
    if isinstance(block, Stats):
        return _stats(block, box, lang, column)
    if isinstance(block, Chart):
        return _chart(block, box, lang)
    if isinstance(block, Table):
        return _table(block, box, lang, slide_title)
    return _text(block, box)
