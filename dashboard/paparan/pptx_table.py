"""Native PowerPoint tables from a deck's tables: formatted cells, the font as large as lets every row fit its box."""

from __future__ import annotations

import math

from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches

from dashboard.components import textfit
from dashboard.paparan.model import Table
from dashboard.paparan.pptx_text import LINE, PAD, Box, Part, emu, fit, textbox, write

CELL_PAD, TITLE = 0.04, 0.5  # inches: inner margin above and below a cell's text; height of a table's title


def cells(block: Table, lang: str) -> list[list[str]]:
    """The heading row, then the rows as the deck formats them."""
    return [[c.name for c in block.columns], *block.formatted(lang)]


def unwrapped(rows: list[list[str]], size: float, words: bool = False) -> list[float]:
    """Each column's width (inches) with every cell on one line, or with its longest word on one (`words`); the
    heading row is bold."""
    def wide(text: str, bold: bool) -> float:
        return max(textfit.width(word, size, bold) for word in text.split(" ")) if words else textfit.width(text, size, bold)

    return [max(wide(row[j], i == 0) for i, row in enumerate(rows)) / 72 + 2 * PAD + 0.02 for j in range(len(rows[0]))]


def _widths(rows: list[list[str]], size: float, room: float) -> list[float]:
    """Columns across `room` inches. Where the cells all fit on one line, in proportion to them; else the columns that
    fit a fair share keep their width and the longest ones share the rest (each at least its longest word), so only
    they wrap."""
    natural = unwrapped(rows, size)
    if sum(natural) <= room:
        return [room * w / sum(natural) for w in natural]
    least = unwrapped(rows, size, words=True)
    if sum(least) >= room:
        return [room * w / sum(least) for w in least]
    flexible = set(range(len(natural)))
    while True:
        share = (room - sum(natural[j] for j in range(len(natural)) if j not in flexible)) / len(flexible)
        fitting = {j for j in flexible if natural[j] <= share}
        if not fitting:
            break
        flexible -= fitting
    widths = [share if j in flexible else natural[j] for j in range(len(natural))]
    if all(widths[j] >= least[j] for j in flexible):
        return widths
    want = [n - w for n, w in zip(natural, least, strict=True)]
    return [w + (room - sum(least)) * x / sum(want) for w, x in zip(least, want, strict=True)]


def table_fit(block: Table, lang: str, box: Box) -> tuple[float, list[float], list[float]]:
    """The largest font size (16 pt down to 8) at which the table's rows fit under its title in `box`, no word wider than
    its column; with the columns' widths and the rows' heights (inches)."""
    rows = cells(block, lang)
    size = 16.0
    while True:
        widths = _widths(rows, size, box.w)
        heights, words_fit = [], True
        for i, row in enumerate(rows):
            lines = 1
            for cell, w in zip(row, widths, strict=True):
                wrapped = textfit.wrap(cell, (w - 2 * PAD) * 72, size, i == 0)
                words_fit = words_fit and all(textfit.width(line, size, i == 0) <= (w - 2 * PAD) * 72 for line in wrapped)
                lines = max(lines, len(wrapped))
            heights.append(lines * size * LINE / 72 + 2 * CELL_PAD)
        if size <= 8 or words_fit and sum(heights) <= box.h - TITLE:
            return size, widths, heights
        size -= 1


def table(s, block: Table, box: Box, lang: str) -> None:
    """A native table under its title, its font as large as lets every row fit; numbers right-aligned; colours from the
    table style, so a style staff pick recolours it whole."""
    head = Part(block.title, 16, True)
    title = Box(box.x, box.y, box.w, TITLE - 0.05)
    textbox(s, "Table title", title, [head], fit([head], title, 0.7), lang)
    size, widths, heights = table_fit(block, lang, box)
    frame = s.shapes.add_table(len(heights), len(widths), *emu(Box(box.x, box.y + TITLE, box.w, 0)))
    frame.name = f"Table: {block.title}"
    table = frame.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for i, (row, h) in enumerate(zip(cells(block, lang), heights, strict=True)):
        table.rows[i].height = Emu(math.ceil(h * 914400))  # never a fraction less than its lines need
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = Inches(PAD)
            cell.margin_top = cell.margin_bottom = Inches(CELL_PAD)
            align = PP_ALIGN.RIGHT if block.columns[j].decimals is not None else PP_ALIGN.LEFT
            write(cell.text_frame, [Part(text, size, i == 0, None)], 1.0, lang, align=align, auto=False)
