"""The deck as an editable PowerPoint: one slide per slide, native charts holding the snapshot's numbers, notes as speaker notes.

Regency staff restyle this file before they submit it, so everything on a slide is a thing PowerPoint edits: the
title in the layout's title placeholder (the outline lists it), text in text boxes, charts as native charts whose
data sheet holds the values at full precision, tables as tables. Text is sized to its box by measuring it in
DejaVu Sans, which is wider than Calibri, the theme's font: where a machine lacks Calibri, LibreOffice falls back
to DejaVu and the text still fits. The file carries the deck's as-of time, never the time it was exported, so the
same snapshot gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from functools import cached_property
from typing import NamedTuple

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard.components import textfit
from dashboard.i18n import t
from dashboard.paparan.model import Chart, Deck, Slide, Stats, Table, Text, figure_text
from region.timezone import WIB

WIDTH, HEIGHT = 40 / 3, 7.5  # inches: 16:9 (12,192,000 × 6,858,000 EMU)
MARGIN, GAP, PAD = 0.5, 0.3, 0.08  # slide margin, space between blocks, inner margin of every text box
CELL_PAD, TITLE = 0.04, 0.5  # inner margin above and below a table cell's text; height of a table's title
BOTTOM = 6.78  # content ends here; the footer (two lines at most) sits below
LINE = 1.2  # line height in em, single spacing
DARK, MUTED, CARD = RGBColor(0x1F, 0x29, 0x37), RGBColor(0x5F, 0x6B, 0x7A), RGBColor(0xF2, 0xF4, 0xF7)
NAVY, BADGE = RGBColor(0x1F, 0x4E, 0x79), RGBColor(0xE3, 0xEB, 0xF4)
# Print-friendly status tones: fills for bars and card edges, darker ones for words on white.
FILL = {"green": "2E9E5B", "amber": "E5A10F", "red": "D1453B", "no_data": "A3AAB4"}
INK = {"green": "1E7A45", "amber": "9A6700", "red": "B03A2E", "no_data": "5F6B7A"}
SERIES = ("1F4E79", "6A9BC8", "B7CDE3", "7A8594", "C9A227")  # several series: a blue ramp reads as an order
CHART_TYPE = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "stacked": XL_CHART_TYPE.BAR_STACKED, "line": XL_CHART_TYPE.LINE_MARKERS}
COMPONENT = {"baseline": ("Baseline", "Baseline"), "output": ("Output", "Output"), "outcome": ("Outcome", "Outcome"),
             "impact": ("Dampak", "Impact"), "quick_win": ("Quick Win", "Quick Win")}


class Box(NamedTuple):
    """A rectangle on the slide, in inches."""

    x: float
    y: float
    w: float
    h: float


class Part(NamedTuple):
    """One paragraph of a text box at its full size."""

    text: str
    size: float
    bold: bool = False
    colour: RGBColor | None = DARK  # None: the colour the shape's style gives (a table's heading row is the style's)


def number_format(decimals: int) -> str:
    """The chart's number format code: "#,##0.0" for one decimal; PowerPoint writes it in the viewer's locale (1.234,5)."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def fit(parts: list[Part], box: Box, smallest: float = 0.5, indent: float = 0.0, spacing: float = 0.3) -> float:
    """The largest scale (1 down to `smallest`) at which `parts`, wrapped at spaces, fit inside `box` (inches).

    `indent` (em) narrows each line for a bullet; `spacing` (em) separates paragraphs.
    """
    room, height = (box.w - 2 * PAD) * 72, (box.h - 2 * PAD) * 72
    scale = 1.0
    while scale > smallest:
        needed = 0.0
        wide = False
        for i, part in enumerate(parts):
            size = part.size * scale
            lines = textfit.wrap(part.text, room - indent * size, size, part.bold)
            wide = wide or any(textfit.width(line, size, part.bold) > room - indent * size for line in lines)
            needed += len(lines) * size * LINE + (spacing * size if i < len(parts) - 1 else 0)
        if not wide and needed <= height:
            return scale
        scale = max(scale - 0.05, smallest)
    return smallest


def deck_pptx(deck: Deck) -> bytes:
    """The deck as a .pptx file: one 16:9 slide per slide, in the deck's language.

    Args:
        deck: the slides of one snapshot.

    Returns:
        The file's bytes, the same for the same deck.
    """
    prs = Presentation()
    _widen(prs)
    layout = prs.slide_layouts[5]  # "Title Only": a title placeholder, so the outline and slide sorter show titles
    for number, slide in enumerate(deck.slides, 1):
        _slide(prs.slides.add_slide(layout), deck, slide, number)
    _properties(prs, deck)
    out = io.BytesIO()
    prs.save(out)
    return _dated(out.getvalue(), deck.as_of)


def _widen(prs) -> None:
    """16:9, with the master's and layouts' placeholders stretched to match, so a slide staff add lines up too."""
    stretch = Inches(WIDTH) / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(round(WIDTH * 914400)), Emu(round(HEIGHT * 914400))
    for part in (prs.slide_master, *prs.slide_layouts):
        for shape in part.shapes:
            if shape._element.xpath("./p:spPr/a:xfrm"):  # placeholders without their own position inherit the master's
                shape.left, shape.width = Emu(round(shape.left * stretch)), Emu(round(shape.width * stretch))


def _slide(s, deck: Deck, slide: Slide, number: int) -> None:
    lang = deck.lang
    top = _header(s, slide, lang)
    _blocks(s, slide, Box(MARGIN, top, WIDTH - 2 * MARGIN, BOTTOM - top), deck)
    _footer(s, deck, slide, number)
    if slide.notes:
        frame = s.notes_slide.notes_text_frame
        frame.text = slide.notes[0]
        for sentence in slide.notes[1:]:
            frame.add_paragraph().text = sentence
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.language_id = _language(lang)


def _header(s, slide: Slide, lang: str) -> float:
    """Title, subtitle and component badge; returns where the content starts (inches)."""
    right = WIDTH - MARGIN
    if slide.component:
        name = COMPONENT[slide.component][lang == "en"]
        text = f"{'Component' if lang == 'en' else 'Komponen'}: {name}"
        w = textfit.width(text, 14, True) / 72 + 2 * PAD + 0.3
        badge = s.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *_emu(Box(right - w, 0.45, w, 0.45)))
        badge.name = "Component"
        badge.fill.solid()
        badge.fill.fore_color.rgb = BADGE
        badge.line.fill.background()
        badge.shadow.inherit = False
        _write(badge.text_frame, [Part(text, 14, True, NAVY)], 1.0, lang, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        right -= w + 0.25
    title = s.shapes.title
    box = Box(MARGIN, 0.3, right - MARGIN, 1.0)
    title.left, title.top, title.width, title.height = _emu(box)
    part = Part(slide.title, 32, True)
    _write(title.text_frame, [part], fit([part], box, 0.5), lang, anchor=MSO_ANCHOR.MIDDLE)
    if not slide.subtitle:
        return 1.45
    box = Box(MARGIN, 1.3, WIDTH - 2 * MARGIN, 0.5)
    part = Part(slide.subtitle, 18, False, MUTED)
    _textbox(s, "Subtitle", box, [part], fit([part], box, 0.55), lang)
    return 1.9


def _blocks(s, slide: Slide, area: Box, deck: Deck) -> None:
    """Figures in a row across the top; the other blocks side by side below them, or one under another when a table is
    too wide for half the slide."""
    stats = [b for b in slide.blocks if isinstance(b, Stats)]
    others = [b for b in slide.blocks if not isinstance(b, Stats)]
    y = area.y
    for block in stats:
        h = 2.0 if others else min(area.h, 3.2)
        _stats(s, block, Box(area.x, y, area.w, h), deck.lang, big=not others)
        y += h + GAP
    if not others:
        return
    room, n = Box(area.x, y, area.w, area.y + area.h - y), len(others)
    if n > 1 and any(_wide(b, room.w / 2, deck.lang) for b in others):
        boxes = _stacked(others, room, deck.lang)
    else:
        w = (room.w - GAP * (n - 1)) / n
        boxes = [Box(room.x + i * (w + GAP), room.y, w, room.h) for i in range(n)]
    for block, box in zip(others, boxes, strict=True):
        if isinstance(block, Chart):
            _chart(s, block, box, deck)
        elif isinstance(block, Table):
            _table(s, block, box, deck.lang)
        elif isinstance(block, Text):
            parts = [Part(p, 24 if n == 1 else 20) for p in block.paragraphs]
            indent = 1.2 if block.bullets else 0.0
            _textbox(s, "Text", box, parts, fit(parts, box, 0.5, indent, 0.5), deck.lang, bullets=block.bullets)


def _wide(block, room: float, lang: str) -> bool:
    """A table whose columns need more than `room` inches at 12 pt without wrapping."""
    if not isinstance(block, Table):
        return False
    return sum(_natural(_cells(block, lang), 12)) > room


def _stacked(blocks: list, room: Box, lang: str) -> list[Box]:
    """Full-width boxes one under another: a table as tall as its rows need (leaving the others 2 in each), the others
    sharing what is left."""
    n = len(blocks)
    spare = room.h - GAP * (n - 1)
    heights: list[float | None] = [None] * n
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            most = Box(room.x, room.y, room.w, spare - 2.0 * (n - 1))
            heights[i] = TITLE + sum(_table_fit(block, lang, most)[2])
    rest = [i for i, h in enumerate(heights) if h is None]
    share = (spare - sum(h for h in heights if h is not None)) / (len(rest) or 1)
    boxes, y = [], room.y
    for h in heights:
        boxes.append(Box(room.x, y, room.w, share if h is None else h))
        y += boxes[-1].h + GAP
    return boxes


def _stats(s, block: Stats, box: Box, lang: str, big: bool) -> None:
    """Each figure a card: its number large, then its label, its detail and its status word."""
    n = len(block.figures)
    w = (box.w - GAP * (n - 1)) / n
    for i, figure in enumerate(block.figures):
        x = box.x + i * (w + GAP)
        edge = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, *_emu(Box(x, box.y, 0.09, box.h)))
        edge.name = f"Figure {i + 1} status"
        edge.fill.solid()
        edge.fill.fore_color.rgb = RGBColor.from_string(FILL[figure.status]) if figure.status else NAVY
        edge.line.fill.background()
        edge.shadow.inherit = False
        parts = [Part(figure.text, 54 if big else 40, True), Part(figure.label, 18 if big else 16, True)]
        if figure.detail:
            parts.append(Part(figure.detail, 14 if big else 12, False, MUTED))
        if figure.status:
            parts.append(Part(t(f"status_{figure.status}", lang), 16 if big else 14, True, RGBColor.from_string(INK[figure.status])))
        card = Box(x + 0.09, box.y, w - 0.09, box.h)
        shape = _textbox(s, f"Figure {i + 1}", card, parts, fit(parts, card, 0.4, spacing=0.2), lang, spacing=0.2)
        shape.fill.solid()
        shape.fill.fore_color.rgb = CARD


class _Workbook(CategoryWorkbookWriter):
    """The chart's data sheet, dated at the deck's as-of time rather than at export."""

    def __init__(self, chart_data, created: dt.datetime):
        super().__init__(chart_data)
        self._created = created

    def _populate_worksheet(self, workbook, worksheet):
        workbook.set_properties({"created": self._created, "author": "Pantau"})
        super()._populate_worksheet(workbook, worksheet)


class _ChartData(CategoryChartData):
    def __init__(self, created: dt.datetime, number_format: str):
        super().__init__(number_format)
        self._created = created

    @cached_property
    def _workbook_writer(self):
        return _Workbook(self, self._created)


def _chart(s, block: Chart, box: Box, deck: Deck) -> None:
    """A native chart: horizontal bars (grouped or stacked) or a line with markers; the values at full precision."""
    lang, code = deck.lang, number_format(block.decimals)
    data = _ChartData(_utc(deck.as_of), code)
    data.categories = block.categories
    for series in block.series:
        data.add_series(series.name, series.values, code)
    line = block.chart == "line"
    if line and block.target is not None:
        data.add_series("Target", [block.target] * len(block.categories), code)
    frame = s.shapes.add_chart(CHART_TYPE[block.chart], *_emu(box), data)
    frame.name = f"Chart: {block.title}"
    chart = frame.chart
    chart.font.size = Pt(12)
    chart.font.language_id = _language(lang)
    title = block.title
    if not line and block.target is not None:
        title += f" · target {figure_text(block.target, block.decimals, block.unit, lang)}"
    chart.has_title = True
    _write(chart.chart_title.text_frame, [Part(title, 16, True)], fit([Part(title, 16, True)], Box(0, 0, box.w, 0.75), 0.7), lang)
    values = chart.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = RGBColor(0xD9, 0xDE, 0xE5)
    values.tick_labels.number_format, values.tick_labels.number_format_is_linked = code, False
    values.format.line.fill.background()
    if block.maximum is not None:
        values.maximum_scale = block.maximum
    if block.unit:
        values.has_title = True
        _write(values.axis_title.text_frame, [Part(block.unit, 12, False, MUTED)], 1.0, lang)
    plot = chart.plots[0]
    if not line:
        values.minimum_scale = min([0.0, *(v for series in block.series for v in series.values if v is not None)])
        chart.category_axis.reverse_order = True  # the first category on top, as it reads
        chart.category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM  # and the value axis stays at the bottom
        plot.gap_width = 60
        if block.chart == "bar":
            plot.has_data_labels = True
            _labels(plot.data_labels, code, XL_LABEL_POSITION.OUTSIDE_END)
    for i, series in enumerate(plot.series):
        fill = RGBColor.from_string(SERIES[i % len(SERIES)])
        if line and series.name == "Target" and i == len(block.series):
            series.format.line.color.rgb = RGBColor.from_string(FILL["red"])
            series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            series.format.line.width = Pt(1.75)
            series.marker.style = XL_MARKER_STYLE.NONE
        elif line:
            series.smooth = False
            series.format.line.color.rgb = fill
            series.format.line.width = Pt(2.5)
            series.marker.style, series.marker.size = XL_MARKER_STYLE.CIRCLE, 7
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = fill
            series.marker.format.line.color.rgb = fill
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = fill
            if block.chart == "stacked":
                _hide_empty_labels(series, block.series[i].values, code)
    if not line and len(block.series) == 1 and block.statuses:
        for point, status in zip(plot.series[0].points, block.statuses, strict=False):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(FILL[status])
    chart.has_legend = len(plot.series) > 1
    if chart.has_legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        chart.legend.font.size = Pt(12)


def _labels(labels, code: str, position) -> None:
    labels.number_format, labels.number_format_is_linked, labels.show_value = code, False, True
    labels.font.size = Pt(11)
    labels.position = position


def _hide_empty_labels(series, values, code: str) -> None:
    """No "0" printed on a stacked segment that is not there: the series' own labels, deleted where it has no value."""
    _labels(series.data_labels, code, XL_LABEL_POSITION.CENTER)
    labels = series._element.dLbls
    for idx, value in enumerate(values):
        if not value:
            label = labels.get_or_add_dLbl_for_point(idx)
            for child in list(label)[1:]:
                label.remove(child)
            etree.SubElement(label, qn("c:delete")).set("val", "1")


def _cells(block: Table, lang: str) -> list[list[str]]:
    return [[c.name for c in block.columns], *block.formatted(lang)]


def _natural(rows: list[list[str]], size: float, words: bool = False) -> list[float]:
    """Each column's width (inches) with every cell on one line, or with its longest word on one (`words`); the
    heading row is bold."""
    def wide(text: str, bold: bool) -> float:
        return max(textfit.width(word, size, bold) for word in text.split(" ")) if words else textfit.width(text, size, bold)

    return [max(wide(row[j], i == 0) for i, row in enumerate(rows)) / 72 + 2 * PAD + 0.02 for j in range(len(rows[0]))]


def _widths(rows: list[list[str]], size: float, room: float) -> list[float]:
    """Columns across `room` inches. Where the cells all fit on one line, in proportion to them; else the columns that
    fit a fair share keep their width and the longest ones share the rest (each at least its longest word), so only
    they wrap."""
    natural = _natural(rows, size)
    if sum(natural) <= room:
        return [room * w / sum(natural) for w in natural]
    least = _natural(rows, size, words=True)
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


def _table_fit(block: Table, lang: str, box: Box) -> tuple[float, list[float], list[float]]:
    """The largest font size (16 pt down to 8) at which the table's rows fit under its title in `box`, no word wider than
    its column; with the columns' widths and the rows' heights (inches)."""
    rows = _cells(block, lang)
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


def _table(s, block: Table, box: Box, lang: str) -> None:
    """A native table under its title, its font as large as lets every row fit; numbers right-aligned; colours from the
    table style, so a style staff pick recolours it whole."""
    head = Part(block.title, 16, True)
    title = Box(box.x, box.y, box.w, TITLE - 0.05)
    _textbox(s, "Table title", title, [head], fit([head], title, 0.7), lang)
    size, widths, heights = _table_fit(block, lang, box)
    frame = s.shapes.add_table(len(heights), len(widths), *_emu(Box(box.x, box.y + TITLE, box.w, 0)))
    frame.name = f"Table: {block.title}"
    table = frame.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for i, (row, h) in enumerate(zip(_cells(block, lang), heights, strict=True)):
        table.rows[i].height = Emu(math.ceil(h * 914400))  # never a fraction less than its lines need
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = Inches(PAD)
            cell.margin_top = cell.margin_bottom = Inches(CELL_PAD)
            align = PP_ALIGN.RIGHT if block.columns[j].decimals is not None else PP_ALIGN.LEFT
            _write(cell.text_frame, [Part(text, size, i == 0, None)], 1.0, lang, align=align, auto=False)


def _footer(s, deck: Deck, slide: Slide, number: int) -> None:
    """As-of time, snapshot and page, the sources; DATA SIMULASI beside them when a figure is simulated."""
    right = WIDTH - MARGIN
    if slide.simulated:
        mark = deck.labels.get("simulated", "DATA SIMULASI")
        w = textfit.width(mark, 13, True) / 72 + 2 * PAD + 0.2
        shape = _textbox(s, "Simulated data", Box(right - w, 6.93, w, 0.4), [Part(mark, 13, True, RGBColor.from_string(INK["red"]))], 1.0,
                         deck.lang, align=PP_ALIGN.CENTER)
        shape.line.color.rgb = RGBColor.from_string(INK["red"])
        shape.line.width = Pt(1.25)
        right -= w + 0.2
    text = deck.footer(number)
    if slide.sources:
        text += f" · {deck.labels.get('sources', 'Sources' if deck.lang == 'en' else 'Sumber')}: {', '.join(slide.sources)}"
    box = Box(MARGIN, 6.88, right - MARGIN, 0.5)
    part = Part(text, 11, False, MUTED)
    _textbox(s, "Footer", box, [part], fit([part], box, 0.75), deck.lang, anchor=MSO_ANCHOR.MIDDLE)


def _textbox(s, name: str, box: Box, parts: list[Part], scale: float, lang: str, **options):
    shape = s.shapes.add_textbox(*_emu(box))
    shape.name = name
    _write(shape.text_frame, parts, scale, lang, **options)
    return shape


def _write(frame, parts: list[Part], scale: float, lang: str, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, bullets: bool = False,
           spacing: float = 0.5, auto: bool = True) -> None:
    """`parts` as the paragraphs of `frame`, each at its size times `scale`; PowerPoint shrinks them further if staff add text."""
    frame.word_wrap = True
    if auto:
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Inches(PAD)
        frame.vertical_anchor = anchor
    frame.text = ""
    for i, part in enumerate(parts):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        size = round(part.size * scale * 2) / 2
        paragraph.alignment = align
        if i < len(parts) - 1:
            paragraph.space_after = Pt(round(size * spacing))
        if bullets:
            _bullet(paragraph, size)
        run = paragraph.add_run()
        run.text = part.text
        run.font.size, run.font.bold = Pt(size), part.bold
        if part.colour is not None:
            run.font.color.rgb = part.colour
        run.font.language_id = _language(lang)


def _bullet(paragraph, size: float) -> None:
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(Pt(size * 1.2)))
    properties.set("indent", str(-Pt(size * 1.2)))
    etree.SubElement(properties, qn("a:buChar")).set("char", "•")


def _properties(prs, deck: Deck) -> None:
    core = prs.core_properties
    core.title, core.subject, core.author, core.last_modified_by = deck.title, deck.event, "Pantau", "Pantau"
    core.identifier, core.language, core.revision = deck.snapshot_id, "en-US" if deck.lang == "en" else "id-ID", 1
    core.comments = " ".join(filter(None, (f"Snapshot {deck.snapshot_id}, SHA-256 {deck.checksum}.", deck.made_note)))
    core.created = core.modified = _utc(deck.as_of)


def _dated(blob: bytes, as_of: dt.datetime) -> bytes:
    """The package again with every member dated at the as-of time (WIB, as zip times are local), not at export."""
    stamp = as_of.astimezone(WIB).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/app.xml":
                content = content.replace(b"On-screen Show (4:3)", b"Widescreen")
            target.writestr(zipfile.ZipInfo(info.filename, stamp), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _utc(moment: dt.datetime) -> dt.datetime:
    """Naive UTC, as the document properties write it (with a "Z")."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _language(lang: str) -> MSO_LANGUAGE_ID:
    """The proofing language of the text, so PowerPoint's spelling check reads Indonesian as Indonesian."""
    return MSO_LANGUAGE_ID.ENGLISH_US if lang == "en" else MSO_LANGUAGE_ID.INDONESIAN


def _emu(box: Box) -> tuple[Emu, Emu, Emu, Emu]:
    return tuple(Emu(round(v * 914400)) for v in box)
