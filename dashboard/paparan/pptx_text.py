"""Text on PowerPoint slides, sized to its box: measured in DejaVu Sans, which is wider than Calibri (the theme's font),
so where a machine lacks Calibri and LibreOffice falls back to DejaVu the text still fits."""

from __future__ import annotations

import math
from typing import NamedTuple

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard.components import textfit

PAD = 0.08  # inches: inner margin of every text box
LINE = 1.2  # line height in em, single spacing
DARK, MUTED = RGBColor(0x1F, 0x29, 0x37), RGBColor(0x5F, 0x6B, 0x7A)
# Print-friendly status tones: fills for bars and card edges, darker ones for words on white.
FILL = {"green": "2E9E5B", "amber": "E5A10F", "red": "D1453B", "no_data": "A3AAB4"}
INK = {"green": "1E7A45", "amber": "9A6700", "red": "B03A2E", "no_data": "5F6B7A"}


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


def textbox(s, name: str, box: Box, parts: list[Part], scale: float, lang: str, **options):
    """A text box named `name` (as the selection pane lists it) holding `parts` at `scale`."""
    shape = s.shapes.add_textbox(*emu(box))
    shape.name = name
    write(shape.text_frame, parts, scale, lang, **options)
    return shape


def write(frame, parts: list[Part], scale: float, lang: str, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, bullets: bool = False,
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
        size = math.floor(part.size * scale * 2 + 1e-9) / 2  # down to a half point: rounding up could outgrow the box
        paragraph.alignment = align
        if i < len(parts) - 1:
            paragraph.space_after = Pt(round(size * spacing))
        if bullets:
            bullet(paragraph, size)
        run = paragraph.add_run()
        run.text = part.text
        run.font.size, run.font.bold = Pt(size), part.bold
        if part.colour is not None:
            run.font.color.rgb = part.colour
        run.font.language_id = language(lang)


def bullet(paragraph, size: float) -> None:
    """A "•" hanging in front of the paragraph's lines."""
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(Pt(size * 1.2)))
    properties.set("indent", str(-Pt(size * 1.2)))
    etree.SubElement(properties, qn("a:buChar")).set("char", "•")


def language(lang: str) -> MSO_LANGUAGE_ID:
    """The proofing language of the text, so PowerPoint's spelling check reads Indonesian as Indonesian."""
    return MSO_LANGUAGE_ID.ENGLISH_US if lang == "en" else MSO_LANGUAGE_ID.INDONESIAN


def emu(box: Box) -> tuple[Emu, Emu, Emu, Emu]:
    """A box in inches as the EMU python-pptx places shapes with."""
    return tuple(Emu(round(v * 914400)) for v in box)
