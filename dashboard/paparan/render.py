"""A deck as HTML: one slide, the deck in the browser, the print document for the PDF, and the presenter's view.

Every slide is a fixed 1280x720 canvas laid out here, on the server: each block gets a box in CSS pixels, and text
is sized to fit it with `textfit` (DejaVu Sans, embedded by @font-face, so the browser lays text out as measured).
The browser only scales the canvas to the window and shows one slide at a time (paparan.js); print shows all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from pathlib import Path

from dashboard.components import textfit
from dashboard.i18n import t as shared_text
from dashboard.i18n import translator
from dashboard.paparan import drawing
from dashboard.paparan.model import Block, Chart, Deck, Figure, Slide, Stats, Table, Text

STATIC = Path(__file__).parent / "static"
THEMES = ("terang", "gelap")  # light (the default, prints well) and dark (the wall's)
WIDTH, HEIGHT = 1280, 720
PAD = 56  # left and right margin of the canvas
HEAD_TOP, HEAD_H = 36, 116  # the title band: its top, and the most it may take
BODY_BOTTOM = HEIGHT - 52 - 16  # the blocks' area ends above the footer; it starts below the title, as tall as that is
BODY_W = WIDTH - 2 * PAD
GAP = 24  # between blocks
MIN_BELOW, LEAST_BELOW = 180, 120  # what a row of headline numbers leaves for the chart, table or text under it
STATS_SIDE_W = 384  # a column of one or two headline numbers beside a chart, table or text
SMALL = drawing.SMALL
STATUS_ICON = {"green": "✓", "amber": "!", "red": "✕", "no_data": "–"}  # a shape and a sign as well as a colour

t = translator({
    "component": {"id": "Komponen", "en": "Component"},
    "baseline": {"id": "Baseline", "en": "Baseline"},
    "output": {"id": "Output", "en": "Output"},
    "outcome": {"id": "Outcome", "en": "Outcome"},
    "impact": {"id": "Dampak", "en": "Impact"},
    "quick_win": {"id": "Quick win", "en": "Quick win"},
    "slide": {"id": "Slide", "en": "Slide"},
    "next": {"id": "Berikutnya", "en": "Next"},
    "notes": {"id": "Catatan penyaji", "en": "Speaker notes"},
    "no_notes": {"id": "Tidak ada catatan untuk slide ini.", "en": "No notes for this slide."},
    "end": {"id": "Akhir paparan", "en": "End of the deck"},
    "reset": {"id": "Mulai ulang waktu", "en": "Reset timer"},
    "elapsed": {"id": "Waktu berjalan", "en": "Elapsed"},
    "previous": {"id": "Sebelumnya", "en": "Previous"},
    "overview": {"id": "Ikhtisar slide", "en": "Slide overview"},
    "go_to": {"id": "Ke slide", "en": "Go to slide"},
    "sources": {"id": "Sumber", "en": "Sources"},
    "presenter": {"id": "Tampilan penyaji", "en": "Presenter view"},
    "blanked": {"id": "Layar penonton gelap (B)", "en": "Audience screen blanked (B)"},
    "keys": {"id": "← → pindah · Esc ikhtisar · B layar gelap · F layar penuh · P penyaji",
             "en": "← → move · Esc overview · B blank · F full screen · P presenter"},
    "noscript": {"id": "JavaScript mati: slide tampil satu per satu ke bawah.", "en": "JavaScript is off: the slides follow one another below."},
})


@dataclass(frozen=True)
class Box:
    """A block's place on the canvas, in CSS pixels from the body's top left."""

    x: float
    y: float
    w: float
    h: float


# ---- text measured to fit ----

def _lines(text: str, room: float, size: float, bold: bool = False) -> int:
    return len(textfit.wrap(text, room, size, bold))


def _fit_heading(text: str, room: float, size: float, smallest: float, max_lines: int, bold: bool = True) -> tuple[float, int]:
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
    size, lines = _fit_heading(title, w, 24, SMALL, 1)
    height = lines * size * 1.25 + 10
    return f'<h2 class="block-title" style="font-size:{size:g}px">{escape(title)}</h2>', height


# ---- blocks ----

def _figure_layout(figure: Figure, w: float, size: float) -> float:
    """The height a headline number's card needs at figure size `size` in a card `w` wide (paparan.css .figure)."""
    room = w - 2 * 18 - 4  # padding and borders
    height = 8 + 12 + 14 + 4  # status border, padding, a little room for rounding
    height += _lines(figure.label, room, 22, True) * 22 * 1.2 + 4
    height += size * 1.05 + 4
    height += (30 + 4) if figure.status else 0
    height += (_lines(figure.detail, room, SMALL) * SMALL * 1.3) if figure.detail else 0
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
    """Column widths across `w`: each at least as wide as its longest word, and as wide as its longest cell while the
    room lasts."""
    pad = 24 + 6  # the cell's padding, and room for rounding

    def longest(j: int, whole: bool) -> float:
        texts = [(table.columns[j].name, True)] + [(row[j], False) for row in cells]
        parts = [(piece, bold) for text, bold in texts for piece in ([text] if whole else text.split(" "))]
        return max(textfit.width(piece, size, bold) for piece, bold in parts) + pad

    least = [longest(j, False) for j in range(len(table.columns))]
    natural = [longest(j, True) for j in range(len(table.columns))]
    if sum(natural) <= w:
        return [n * w / sum(natural) for n in natural]
    if sum(least) >= w:
        return [m * w / sum(least) for m in least]
    # The columns that need least more are given all of it, so only the longest texts wrap (fewest lines in all).
    widths, room = list(least), w - sum(least)
    for j in sorted(range(len(widths)), key=lambda j: natural[j] - least[j]):
        widths[j] += min(natural[j] - least[j], room)
        room -= min(natural[j] - least[j], room)
    return widths


def _table_height(table: Table, cells: list[list[str]], widths: list[float], size: float, pad: float = 7) -> float:
    def row(texts: list[str], bold: bool) -> float:
        return max(_lines(text, wd - 24, size, bold) for text, wd in zip(texts, widths, strict=True)) * size * 1.3 + 2 * pad

    return row([c.name for c in table.columns], True) + sum(row(r, False) for r in cells) + 2 * len(cells) + 8  # borders, rounding


def _table(block: Table, box: Box, lang: str, slide_title: str) -> str:
    heading, used = _block_title(block.title if block.title != slide_title else "", box.w)  # not the slide's title twice
    cells = block.formatted(lang)
    # Sizes and row padding tried in turn; 18 px and tight rows only where nothing larger fits the box: nothing cut.
    for size, pad in ((24, 7), (22, 7), (20, 7), (20, 3), (18, 3)):
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


def _text_size(paragraphs: tuple[str, ...], room: float, h: float, sizes: tuple[int, ...], bold: bool = False) -> float:
    def needed(size: float) -> float:
        return sum(_lines(p, room, size, bold) for p in paragraphs) * size * 1.3 + max(len(paragraphs) - 1, 0) * size * 0.6

    return next((s for s in sizes if needed(s) <= h), sizes[-1])


def _text(block: Text, box: Box) -> str:
    room = box.w - (40 if block.bullets else 0)
    size = _text_size(block.paragraphs, room, box.h, (32, 30, 28, 26, 24, 22, 20))
    items = "".join(f"<li>{escape(p)}</li>" if block.bullets else f"<p>{escape(p)}</p>" for p in block.paragraphs)
    inner = f"<ul>{items}</ul>" if block.bullets else items
    return f'<div class="block block-text" {_style(box)} ><div class="text" style="font-size:{size:g}px">{inner}</div></div>'


def _boxes(blocks: tuple[Block, ...], height: float) -> list[tuple[Block, Box, bool]]:
    """Where each block goes: one fills the body; a short column of headline numbers stands beside the other block;
    a longer row of them goes above it; other pairs stand side by side. (block, box, numbers in a column)."""
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
    if others:
        w = (BODY_W - GAP * (len(others) - 1)) / len(others)
        placed.extend((b, Box(i * (w + GAP), y, w, height - y), False) for i, b in enumerate(others))
    return placed


def _block(block: Block, box: Box, column: bool, lang: str, slide_title: str) -> str:
    if isinstance(block, Stats):
        return _stats(block, box, lang, column)
    if isinstance(block, Chart):
        return _chart(block, box, lang)
    if isinstance(block, Table):
        return _table(block, box, lang, slide_title)
    return _text(block, box)


# ---- slides ----

def _is_cover(slide: Slide, index: int) -> bool:
    """The first slide, and one with only a few plain paragraphs and no component (closing), are laid out as covers."""
    plain = all(isinstance(b, Text) and not b.bullets for b in slide.blocks)
    return index == 0 or (slide.component is None and plain and sum(len(b.paragraphs) for b in slide.blocks) <= 3)


def _footer(deck: Deck, slide: Slide, number: int) -> str:
    badge = f'<span class="badge-simulated">{escape(deck.labels.get("simulated", "DATA SIMULASI"))}</span>' if slide.simulated else ""
    return f'<footer class="slide-foot"><span class="foot-brand">PANTAU</span><span class="foot-text">{escape(deck.footer(number))}</span>{badge}</footer>'


def _cover(deck: Deck, slide: Slide) -> str:
    room = BODY_W - 80
    size, lines = _fit_heading(slide.title, room, 60, 40, 3)
    paragraphs = tuple(p for b in slide.blocks if isinstance(b, Text) for p in b.paragraphs)
    left = HEIGHT - 260 - lines * size * 1.15
    text_size = _text_size(paragraphs, room, max(left, 60), (30, 28, 26, 24, 22, 20))
    subtitle = f'<p class="cover-subtitle">{escape(slide.subtitle)}</p>' if slide.subtitle else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f'<div class="cover"><p class="cover-kicker">{escape(deck.region)}</p>'
            f'<h1 class="slide-title cover-title" style="font-size:{size:g}px">{escape(slide.title)}</h1>{subtitle}'
            f'<div class="cover-text" style="font-size:{text_size:g}px">{body}</div></div>')


def _header(deck: Deck, slide: Slide) -> tuple[str, float]:
    """The title band and its height."""
    badge, room = "", BODY_W
    if slide.component:
        # The deck's own words where it has them (as its other files use), else this module's.
        text = f"{deck.labels.get('component') or t('component', deck.lang)}: {deck.labels.get(slide.component) or t(slide.component, deck.lang)}"
        badge = f'<span class="component c-{slide.component}">{escape(text)}</span>'
        room -= textfit.width(text, SMALL, True) + 40 + 24
    sub_size, sub_lines = _fit_heading(slide.subtitle, room, 24, SMALL, 1, bold=False) if slide.subtitle else (0, 0)
    subtitle_h = sub_lines * sub_size * 1.3 + 6 if slide.subtitle else 0
    size, lines = _fit_heading(slide.title, room, 40, 28, 2 if HEAD_H - subtitle_h >= 2 * 34 * 1.15 else 1)
    subtitle = f'<p class="slide-subtitle" style="font-size:{sub_size:g}px">{escape(slide.subtitle)}</p>' if slide.subtitle else ""
    height = max(lines * size * 1.15 + subtitle_h, 46.0 if badge else 0.0)
    return (f'<header class="slide-head"><div class="slide-titles" style="max-width:{room:.0f}px">'
            f'<h1 class="slide-title" style="font-size:{size:g}px">{escape(slide.title)}</h1>{subtitle}</div>{badge}</header>'), height


def slide_html(deck: Deck, index: int, hidden: bool = False) -> str:
    """Slide `index` (0-based) of `deck` as a 1280x720 <section>: title, component badge, blocks, footer.

    Args:
        deck: the deck.
        index: which slide.
        hidden: drawn hidden (the browser deck shows one slide at a time).
    """
    slide = deck.slides[index]
    number = index + 1
    cover = _is_cover(slide, index)
    if cover:
        inner = _cover(deck, slide)
    else:
        head, head_h = _header(deck, slide)
        top = HEAD_TOP + math.ceil(head_h) + 24
        blocks = "".join(_block(b, box, column, deck.lang, slide.title) for b, box, column in _boxes(slide.blocks, BODY_BOTTOM - top))
        inner = f'{head}<div class="slide-body" style="top:{top}px;height:{BODY_BOTTOM - top}px">{blocks}</div>'
    attributes = f'class="slide{" slide-cover" if cover else ""}" data-n="{number}" data-key="{escape(slide.key)}" aria-label="{escape(slide.title)}"'
    return f'<section {attributes}{" hidden" if hidden else ""}>{inner}{_footer(deck, slide, number)}</section>'


# ---- documents ----

def _theme(theme: str) -> str:
    return theme if theme in THEMES else THEMES[0]


def _head(deck: Deck, title: str, asset_base: str, script: bool) -> str:
    js = f'<script src="{escape(asset_base)}/paparan.js" defer></script>' if script else ""
    return (f'<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="{escape(asset_base)}/paparan.css">{js}</head>')


def _urls(deck: Deck, theme: str, base_path: str) -> tuple[str, str]:
    query = f"?lang={deck.lang}&amp;tema={_theme(theme)}"
    return f"{base_path}/{escape(deck.snapshot_id)}{query}", f"{base_path}/{escape(deck.snapshot_id)}/penyaji{query}"


def deck_page(deck: Deck, theme: str = "terang", base_path: str = "/paparan") -> str:
    """The deck for the browser: every slide in the page, the first shown until paparan.js reads the fragment (#5).

    Args:
        deck: the deck.
        theme: "terang" (light, the default) or "gelap" (dark, the wall's).
        base_path: where the blueprint is served: static files under {base_path}/static, the presenter view at
            {base_path}/{snapshot_id}/penyaji.
    """
    lang = deck.lang
    slides = "".join(slide_html(deck, i, hidden=i > 0) for i in range(len(deck.slides)))
    deck_url, presenter_url = _urls(deck, theme, base_path)
    data = (f'data-mode="deck" data-channel="paparan-{escape(deck.snapshot_id)}" data-count="{len(deck.slides)}" '
            f'data-presenter="{presenter_url}" data-deck="{deck_url}"')
    return (f'<!doctype html><html lang="{lang}" class="paparan tema-{_theme(theme)}">'
            f'{_head(deck, f"{deck.title} · {deck.event}", base_path + "/static", True)}<body {data}>'
            f'<main class="viewport"><div class="canvas">{slides}</div></main>'
            f'<div class="blank" hidden></div>'
            f'<div class="overview" hidden role="dialog" aria-label="{escape(t("overview", lang))}"><div class="overview-grid"></div></div>'
            f'<div class="jump" hidden aria-live="polite"><span>{escape(t("go_to", lang))}</span> <b></b></div>'
            f'<p class="hint">{escape(t("keys", lang))}</p>'
            f'<noscript><p class="noscript">{escape(t("noscript", lang))}</p></noscript></body></html>')


def print_page(deck: Deck, theme: str = "terang", asset_base: str = "/paparan/static") -> str:
    """Every slide one after another, one per 1280x720 page, for printing to PDF: no script, no scrolling box.

    Args:
        deck: the deck.
        theme: "terang" or "gelap".
        asset_base: where paparan.css (and beside it fonts/) is: "/paparan/static" over HTTP, or
            `render.STATIC.as_uri()` for a file printed from disk.
    """
    slides = "".join(slide_html(deck, i) for i in range(len(deck.slides)))
    return (f'<!doctype html><html lang="{deck.lang}" class="paparan print tema-{_theme(theme)}">'
            f'{_head(deck, f"{deck.title} · {deck.event}", asset_base, False)}<body>{slides}</body></html>')


def _notes(slide: Slide, lang: str, hidden: bool, number: int) -> str:
    notes = "".join(f"<p>{escape(n)}</p>" for n in slide.notes) or f'<p class="muted">{escape(t("no_notes", lang))}</p>'
    sources = f'<p class="notes-sources">{escape(t("sources", lang))}: {escape(", ".join(slide.sources))}</p>' if slide.sources else ""
    return f'<div class="notes" data-n="{number}"{" hidden" if hidden else ""}><h3>{escape(slide.title)}</h3>{notes}{sources}</div>'


def presenter_page(deck: Deck, theme: str = "terang", base_path: str = "/paparan") -> str:
    """The presenter's view: the current slide, the next one smaller, the current slide's notes, a timer and n/N.

    paparan.js keeps it and the deck on the same slide through a BroadcastChannel named after the snapshot.
    """
    lang = deck.lang
    n = len(deck.slides)
    slides = "".join(slide_html(deck, i, hidden=i > 0) for i in range(n))
    notes = "".join(_notes(s, lang, i > 0, i + 1) for i, s in enumerate(deck.slides))
    deck_url, presenter_url = _urls(deck, theme, base_path)
    data = (f'data-mode="presenter" data-channel="paparan-{escape(deck.snapshot_id)}" data-count="{n}" '
            f'data-presenter="{presenter_url}" data-deck="{deck_url}"')
    bar = (f'<header class="pp-bar"><span class="pp-count">{escape(t("slide", lang))} <b class="pp-n">1</b>/{n}</span>'
           f'<span class="pp-timer" title="{escape(t("elapsed", lang))}">0:00</span>'
           f'<button type="button" class="pp-reset">{escape(t("reset", lang))}</button>'
           f'<span class="pp-spacer"></span>'
           f'<button type="button" class="pp-prev">← {escape(t("previous", lang))}</button>'
           f'<button type="button" class="pp-next-button">{escape(t("next", lang))} →</button></header>')
    return (f'<!doctype html><html lang="{lang}" class="paparan presenter tema-{_theme(theme)}">'
            f'{_head(deck, t("presenter", lang) + " · " + deck.title, base_path + "/static", True)}<body {data}>{bar}'
            f'<div class="pp-grid"><section class="pp-current"><div class="stage"><div class="canvas">{slides}</div></div></section>'
            f'<section class="pp-side"><h2>{escape(t("next", lang))}</h2><div class="stage pp-next"><div class="canvas"></div>'
            f'<p class="pp-end" hidden>{escape(t("end", lang))}</p></div>'
            f'<h2>{escape(t("notes", lang))}</h2><div class="pp-notes">{notes}</div></section></div>'
            f'<p class="pp-blanked" hidden>{escape(t("blanked", lang))}</p></body></html>')
