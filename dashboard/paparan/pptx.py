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
import zipfile

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt

from dashboard.components import textfit
from dashboard.i18n import t
from dashboard.paparan.model import Chart, Deck, Slide, Stats, Table, Text
from dashboard.paparan.pptx_chart import chart
from dashboard.paparan.pptx_table import TITLE, cells, table, table_fit, unwrapped
from dashboard.paparan.pptx_text import FILL, INK, MUTED, PAD, Box, Part, emu, fit, language, textbox, write
from region.timezone import WIB

WIDTH, HEIGHT = 40 / 3, 7.5  # inches: 16:9 (12,192,000 × 6,858,000 EMU)
MARGIN, GAP = 0.5, 0.3  # slide margin, space between blocks
BOTTOM = 6.78  # content ends here; the footer (two lines at most) sits below
CARD, NAVY, BADGE = RGBColor(0xF2, 0xF4, 0xF7), RGBColor(0x1F, 0x4E, 0x79), RGBColor(0xE3, 0xEB, 0xF4)
COMPONENT = {"baseline": ("Baseline", "Baseline"), "output": ("Output", "Output"), "outcome": ("Outcome", "Outcome"),
             "impact": ("Dampak", "Impact"), "quick_win": ("Quick Win", "Quick Win")}


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
    stretch = WIDTH * 914400 / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(round(WIDTH * 914400)), Emu(round(HEIGHT * 914400))
    for part in (prs.slide_master, *prs.slide_layouts):
        for shape in part.shapes:
            if shape._element.xpath("./p:spPr/a:xfrm"):  # placeholders without their own position inherit the master's
                shape.left, shape.width = Emu(round(shape.left * stretch)), Emu(round(shape.width * stretch))


def _slide(s, deck: Deck, slide: Slide, number: int) -> None:
    lang = deck.lang
    top = _header(s, slide, lang, deck.labels)
    _blocks(s, slide, Box(MARGIN, top, WIDTH - 2 * MARGIN, BOTTOM - top), deck)
    _footer(s, deck, slide, number)
    if slide.notes:
        frame = s.notes_slide.notes_text_frame
        frame.text = slide.notes[0]
        for sentence in slide.notes[1:]:
            frame.add_paragraph().text = sentence
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.language_id = language(lang)


def _header(s, slide: Slide, lang: str, labels: dict[str, str]) -> float:
    """Title, subtitle and component badge (its words from the deck's labels where it has them); returns where the
    content starts (inches)."""
    right = WIDTH - MARGIN
    if slide.component:
        word = labels.get("component", "Component" if lang == "en" else "Komponen")
        text = f"{word}: {labels.get(slide.component, COMPONENT[slide.component][lang == 'en'])}"
        w = textfit.width(text, 14, True) / 72 + 2 * PAD + 0.3
        badge = s.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *emu(Box(right - w, 0.45, w, 0.45)))
        badge.name = "Component"
        badge.fill.solid()
        badge.fill.fore_color.rgb = BADGE
        badge.line.fill.background()
        badge.shadow.inherit = False
        write(badge.text_frame, [Part(text, 14, True, NAVY)], 1.0, lang, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        right -= w + 0.25
    title = s.shapes.title
    box = Box(MARGIN, 0.3, right - MARGIN, 1.0)
    title.left, title.top, title.width, title.height = emu(box)
    part = Part(slide.title, 32, True)
    write(title.text_frame, [part], fit([part], box, 0.5), lang, anchor=MSO_ANCHOR.MIDDLE)
    if not slide.subtitle:
        return 1.45
    box = Box(MARGIN, 1.3, WIDTH - 2 * MARGIN, 0.5)
    part = Part(slide.subtitle, 18, False, MUTED)
    textbox(s, "Subtitle", box, [part], fit([part], box, 0.55), lang)
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
        if isinstance(block, Chart) and not block.categories:  # nothing to chart: a native chart needs a category
            parts = [Part(block.title, 16, True), Part(t("no_data", deck.lang), 14, False, MUTED)]
            textbox(s, f"Chart: {block.title}", box, parts, fit(parts, box), deck.lang)
        elif isinstance(block, Chart):
            chart(s, block, box, deck.lang, utc(deck.as_of))
        elif isinstance(block, Table):
            table(s, block, box, deck.lang)
        elif isinstance(block, Text):
            parts = [Part(p, 24 if n == 1 else 20) for p in block.paragraphs]
            indent = 1.2 if block.bullets else 0.0
            textbox(s, "Text", box, parts, fit(parts, box, 0.5, indent, 0.5), deck.lang, bullets=block.bullets)


def _wide(block, room: float, lang: str) -> bool:
    """A table whose columns need more than `room` inches at 12 pt without wrapping."""
    if not isinstance(block, Table):
        return False
    return sum(unwrapped(cells(block, lang), 12)) > room


def _stacked(blocks: list, room: Box, lang: str) -> list[Box]:
    """Full-width boxes one under another: a table as tall as its rows need (leaving the others 2 in each), the others
    sharing what is left."""
    n = len(blocks)
    spare = room.h - GAP * (n - 1)
    heights: list[float | None] = [None] * n
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            most = Box(room.x, room.y, room.w, spare - 2.0 * (n - 1))
            heights[i] = TITLE + sum(table_fit(block, lang, most)[2])
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
    w = (box.w - GAP * (n - 1)) / max(n, 1)
    for i, figure in enumerate(block.figures):
        x = box.x + i * (w + GAP)
        edge = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, *emu(Box(x, box.y, 0.09, box.h)))
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
        shape = textbox(s, f"Figure {i + 1}", card, parts, fit(parts, card, 0.4, spacing=0.2), lang, spacing=0.2)
        shape.fill.solid()
        shape.fill.fore_color.rgb = CARD


def _footer(s, deck: Deck, slide: Slide, number: int) -> None:
    """As-of time, snapshot and page, the sources; DATA SIMULASI beside them when a figure is simulated."""
    right = WIDTH - MARGIN
    if slide.simulated:
        mark = deck.labels.get("simulated", "DATA SIMULASI")
        w = textfit.width(mark, 13, True) / 72 + 2 * PAD + 0.2
        shape = textbox(s, "Simulated data", Box(right - w, 6.93, w, 0.4), [Part(mark, 13, True, RGBColor.from_string(INK["red"]))], 1.0,
                         deck.lang, align=PP_ALIGN.CENTER)
        shape.line.color.rgb = RGBColor.from_string(INK["red"])
        shape.line.width = Pt(1.25)
        right -= w + 0.2
    text = deck.footer(number)
    if slide.sources:
        text += f" · {deck.labels.get('sources', 'Sources' if deck.lang == 'en' else 'Sumber')}: {', '.join(slide.sources)}"
    box = Box(MARGIN, 6.88, right - MARGIN, 0.5)
    part = Part(text, 11, False, MUTED)
    textbox(s, "Footer", box, [part], fit([part], box, 0.75), deck.lang, anchor=MSO_ANCHOR.MIDDLE)


def _properties(prs, deck: Deck) -> None:
    core = prs.core_properties
    core.title, core.subject, core.author, core.last_modified_by = deck.title, deck.event, "Pantau", "Pantau"
    core.identifier, core.language, core.revision = deck.snapshot_id, "en-US" if deck.lang == "en" else "id-ID", 1
    core.comments = " ".join(filter(None, (f"Snapshot {deck.snapshot_id}, SHA-256 {deck.checksum}.", deck.made_note)))
    core.created = core.modified = utc(deck.as_of)


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




def utc(moment: dt.datetime) -> dt.datetime:
    """Naive UTC, as document properties write it (with a "Z")."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None)
