"""An official chart document, one layout in three files: SVG (the layout itself), and the PDF and PNG Chromium makes of it.

The page is A4 landscape in proportion (1600 x 1131 units): the PDF is one A4 page, and a PNG printed or pasted in a
report looks as the PDF does. Top to bottom: the government's name and, for simulated data, a DATA SIMULASI badge;
the title; the subtitle (period · comparison · filters); the plot; the source line and the as-of time. Every text
is wrapped at measured widths (DejaVu Sans) and never cut: long text is set smaller, and where even the smallest
sizes leave the plot too little room the page grows taller, and the PDF scales it onto its one page.

`to_svg` names DejaVu Sans with narrower fallbacks (Arial, Helvetica, Liberation Sans), so text never runs past where
it was measured. `to_pdf` and `to_png` put that same SVG in a page that embeds the shipped DejaVu fonts and render it
in Chromium (dashboard.paparan.pdf): no request leaves the page, every font is loaded before the file is made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Literal, NamedTuple

from dashboard import formatting
from dashboard.components import textfit
from dashboard.exports import plots
from dashboard.i18n import paired
from dashboard.paparan import pdf

__all__ = ["HEIGHT", "WIDTH", "BarChart", "Bands", "ChartDocument", "MapChart", "SeriesChart", "as_of_text", "layout_height",
           "to_pdf", "to_png", "to_svg"]

WIDTH, HEIGHT = 1600, 1131  # A4 landscape's proportion (297 x 210 mm)
MARGIN = 64
FONT = "DejaVu Sans, Arial, Helvetica, Liberation Sans, sans-serif"
ASSETS = Path(__file__).resolve().parent.parent / "paparan" / "static"  # fonts/DejaVuSans*.ttf
LEAST_PLOT = 0.42  # of the page's height, the least the plot keeps before the page grows
SCALES = (1.0, 0.9, 0.8, 0.7)  # text sizes tried, largest first; a unit is 0.53 pt on A4, so text stays 7.5 pt or more

t = paired({
    "government": ("Pemerintah {regency}", "Government of {regency}"),
    "simulated": ("DATA SIMULASI", "SIMULATED DATA"),
    "simulated_note": ("DATA SIMULASI: angka dari sistem simulasi, bukan data resmi.", "SIMULATED DATA: figures from a simulated system, not official data."),
    "as_of": ("Data per {when} WIB", "Data as of {when} WIB"),
})


class Bands(NamedTuple):
    """Threshold bands: at or past `green` is on target, between `amber` and `green` needs attention, past `amber` is
    below target; `direction` says which way is better ("higher" or "lower")."""

    green: float
    amber: float
    direction: Literal["higher", "lower"] = "higher"


@dataclass(frozen=True)
class SeriesChart:
    """Values over periods: points (label, value or None, provisional), an optional comparison (label, value or None)
    drawn by position, a target, threshold bands, the unit ("%" is written after each value) and decimals shown."""

    points: Sequence[tuple[str, float | None, bool]]
    compared: Sequence[tuple[str, float | None]] | None = None
    target: float | None = None
    bands: Bands | tuple[float, float, str] | None = None
    unit: str = ""
    decimals: int = 1
    name: str = ""  # the series' name in the legend ("Nilai" when empty)
    compared_name: str = ""  # e.g. "Periode sama tahun lalu" ("Pembanding" when empty)


@dataclass(frozen=True)
class BarChart:
    """Members ranked by value: rows of (label, value or None, status: green, amber, red or no_data)."""

    rows: Sequence[tuple[str, float | None, str | None]]
    target: float | None = None
    unit: str = ""
    decimals: int = 1


@dataclass(frozen=True)
class MapChart:
    """The kecamatan map: {kecamatan code ("13.05.01"): (figure text, status)}; a kecamatan not given has no data."""

    members: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ChartDocument:
    """Everything an exported chart shows. `subtitle` states the period, comparison and filters; `source_line` the
    sources ("Sumber: DPMPTSP (SiCantik)"); `as_of_text` the as-of time (see `as_of_text`); `regency` the
    government's name ("Kabupaten Padang Pariaman")."""

    title: str
    subtitle: str
    source_line: str
    as_of_text: str
    regency: str
    simulated: bool
    chart: SeriesChart | BarChart | MapChart
    lang: str = "id"


def as_of_text(instant: dt.datetime, lang: str = "id") -> str:
    """"Data per 1 Des 2026 14.00 WIB" (Indonesian times are written with a point), "Data as of 1 Dec 2026 14:00 WIB"."""
    local = formatting.wib(instant)
    clock = local.strftime("%H.%M" if lang == "id" else "%H:%M")
    return t("as_of", lang, when=f"{formatting.date(local.date(), lang)} {clock}")


# ---- layout ----

@dataclass(frozen=True)
class _Text:
    lines: list[str]
    size: float
    step: float = 1.25

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * self.step


@dataclass(frozen=True)
class _Layout:
    height: float
    header: float  # the size of the government's name and the badge
    title: _Text
    subtitle: _Text
    source: _Text
    as_of: _Text
    note: _Text | None
    plot_top: float
    plot_height: float


def _fit(content: str, room: float, size: float, lines: int, bold: bool = False) -> _Text:
    fitted, at = textfit.fit(content, room, size, max_lines=lines, smallest=size * 0.8, bold=bold)
    return _Text(fitted, at)


def _layout(doc: ChartDocument) -> _Layout:
    """Sizes and places, from the largest text sizes down to the first at which the plot keeps LEAST_PLOT of the page."""
    room = WIDTH - 2 * MARGIN
    least = max(HEIGHT * LEAST_PLOT, plots.least_height(doc.chart, room, doc.lang))
    for scale in SCALES:
        header = 22 * scale
        title = _fit(doc.title, room, 46 * scale, 2, bold=True)
        subtitle = _fit(doc.subtitle, room, 26 * scale, 3)
        foot_size = 20 * max(scale, 0.9)
        source = _fit(doc.source_line, room, foot_size, 3)
        as_of = _fit(doc.as_of_text, room * 0.5, foot_size, 1, bold=True)
        note = _fit(t("simulated_note", doc.lang), room * 0.5, foot_size, 2, bold=True) if doc.simulated else None
        top = 44 + header * 1.6 + 22 + title.height + 8 + subtitle.height + 30
        foot = 24 + source.height + 10 + max(as_of.height, note.height if note else 0.0) + 40
        plot = HEIGHT - top - foot
        if plot >= least:
            break
    height = max(HEIGHT, top + least + foot)
    return _Layout(height, header, title, subtitle, source, as_of, note, top, height - top - foot)


def layout_height(doc: ChartDocument) -> int:
    """The page's height in SVG units: HEIGHT, or more where the text needs it (the width is always WIDTH)."""
    return round(_layout(doc).height)


def _plot(doc: ChartDocument, width: float, height: float) -> str:
    if isinstance(doc.chart, SeriesChart):
        chart = doc.chart if doc.chart.bands is None else _with_bands(doc.chart)
        return plots.series(chart, width, height, doc.lang)
    if isinstance(doc.chart, BarChart):
        return plots.bars(doc.chart, width, height, doc.lang)
    if isinstance(doc.chart, MapChart):
        return plots.kecamatan(doc.chart, width, height, doc.lang)
    raise TypeError(f"not a chart: {type(doc.chart).__name__}")


def _with_bands(chart: SeriesChart) -> SeriesChart:
    bands = Bands(*chart.bands)
    if bands.direction not in ("higher", "lower"):
        raise ValueError(f"bands' direction {bands.direction!r} is not 'higher' or 'lower'")
    return replace(chart, bands=bands)


def to_svg(doc: ChartDocument) -> str:
    """The chart document as one self-contained SVG: WIDTH units wide, `layout_height(doc)` high, no external reference."""
    lay = _layout(doc)
    w, h = WIDTH, round(lay.height)
    room = w - 2 * MARGIN
    parts = [f'<rect x="0" y="0" width="{w}" height="{h}" fill="{plots.PAPER}"/>']
    # The government's name, and the simulated-data badge at the right.
    y = 44.0
    government = t("government", doc.lang, regency=doc.regency).upper()
    badge_w = 0.0
    if doc.simulated:
        words = t("simulated", doc.lang)
        badge_w = textfit.width(words, lay.header * 1.1, bold=True) + 36
        parts.append(f'<rect x="{w - MARGIN - badge_w:.1f}" y="{y - 8:.1f}" width="{badge_w:.1f}" height="{lay.header * 1.9:.1f}" rx="6" '
                     f'fill="#f0a500"/>' + plots.text(w - MARGIN - badge_w / 2, y + lay.header * 1.15, words, lay.header * 1.1,
                                                      "#1b1200", "middle", True))
    head = _fit(government, room - badge_w - 24, lay.header, 1, bold=True)
    parts.append(plots.lines_block(MARGIN, y, head.lines, head.size, plots.MUTED, bold=True))
    y += lay.header * 1.6 + 8
    parts.append(f'<rect x="{MARGIN}" y="{y:.1f}" width="{room}" height="4" fill="{plots.SERIES}"/>')
    y += 22
    parts.append(plots.lines_block(MARGIN, y, lay.title.lines, lay.title.size, plots.INK, bold=True))
    y += lay.title.height + 8
    parts.append(plots.lines_block(MARGIN, y, lay.subtitle.lines, lay.subtitle.size, plots.MUTED))
    plot = _plot(doc, room, lay.plot_height)
    if doc.simulated:  # a faint mark across the plot, as well as the badge and the note
        size = min(lay.plot_height * 0.3, 150)
        parts.append(f'<g opacity="0.05" transform="translate({w / 2:.1f},{lay.plot_top + lay.plot_height / 2:.1f}) rotate(-18)">'
                     + plots.text(0, size * 0.36, t("simulated", doc.lang), size, plots.INK, "middle", True) + "</g>")
    parts.append(f'<g transform="translate({MARGIN},{lay.plot_top:.1f})">{plot}</g>')
    # The foot: sources over the full width, then the as-of time (left) and the simulated note (right).
    y = lay.plot_top + lay.plot_height + 24
    parts.append(f'<rect x="{MARGIN}" y="{y - 14:.1f}" width="{room}" height="1.5" fill="{plots.GRID}"/>')
    parts.append(plots.lines_block(MARGIN, y, lay.source.lines, lay.source.size, plots.MUTED))
    y += lay.source.height + 10
    parts.append(plots.lines_block(MARGIN, y, lay.as_of.lines, lay.as_of.size, plots.INK, bold=True))
    if lay.note:
        parts.append(plots.lines_block(w - MARGIN, y, lay.note.lines, lay.note.size, "#8a5a00", "end", True))
    label = escape(f"{doc.title}. {doc.subtitle}", quote=True)
    description = escape(" ".join(filter(None, [doc.source_line, doc.as_of_text, t("simulated", doc.lang) if doc.simulated else ""])))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            f'font-family="{FONT}" role="img" aria-label="{label}" lang="{doc.lang}">'
            f"<title>{escape(doc.title)}</title><desc>{description}</desc><defs>{plots.patterns()}</defs>{''.join(parts)}</svg>")


# ---- PDF and PNG: the SVG in a page Chromium renders ----

_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title><style>
@font-face {{ font-family: "DejaVu Sans"; src: url("fonts/DejaVuSans.ttf") format("truetype"); font-weight: normal; font-display: block; }}
@font-face {{ font-family: "DejaVu Sans"; src: url("fonts/DejaVuSans-Bold.ttf") format("truetype"); font-weight: bold; font-display: block; }}
@page {{ size: {page_w} {page_h}; margin: 0 }}
html, body {{ margin: 0; padding: 0; background: #ffffff; }}
main {{ width: {page_w}; height: {page_h}; overflow: hidden; }}
main > svg {{ display: block; width: 100%; height: 100%; }}
</style></head><body><main>{svg}</main></body></html>"""


def page(doc: ChartDocument, kind: Literal["pdf", "png"]) -> str:
    """The HTML page that `to_pdf` prints ("pdf": one A4 landscape page) or `to_png` photographs ("png": the SVG's size)."""
    svg = to_svg(doc)
    size = ("297mm", "210mm") if kind == "pdf" else (f"{WIDTH}px", f"{layout_height(doc)}px")
    return _PAGE.format(lang=doc.lang, title=escape(doc.title), page_w=size[0], page_h=size[1], svg=svg)


def to_pdf(doc: ChartDocument, *, timeout: float = 60.0, warm: bool = True) -> bytes:
    """The chart document as a one-page A4 landscape PDF, its text selectable and its fonts embedded.

    `warm` renders in the printer's kept browser (see dashboard.paparan.pdf.print_pdf): after the first export,
    about half a second less each.

    Raises:
        dashboard.paparan.pdf.PdfFailed: Chromium is missing, busy (PdfBusy) or too slow (PdfTimeout).
    """
    return pdf.print_pdf(page(doc, "pdf"), ASSETS, title=doc.title, timeout=timeout, warm=warm)


def to_png(doc: ChartDocument, scale: float = 2, *, timeout: float = 60.0, warm: bool = True) -> bytes:
    """The chart document as a PNG, WIDTH * scale pixels wide (3200 at the default) and `layout_height(doc) * scale` high;
    `warm` as for `to_pdf`.

    Raises:
        dashboard.paparan.pdf.PdfFailed: as for `to_pdf`.
    """
    return pdf.screenshot_png(page(doc, "png"), ASSETS, WIDTH, layout_height(doc), scale=scale, timeout=timeout, warm=warm)
