"""A deck as HTML: one slide, the deck in the browser, the print document for the PDF, and the presenter's view.

Every slide is a fixed 1280x720 canvas laid out on the server: title band, footer, and each block in a box of CSS
pixels (blocks.py), text sized to fit with `textfit` (DejaVu Sans, embedded by @font-face, so the browser lays text
out as measured).
The browser only scales the canvas to the window and shows one slide at a time (paparan.js); print shows all.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

from dashboard.components import textfit
from dashboard.i18n import translator
from dashboard.paparan import blocks
from dashboard.paparan.model import Deck, Slide, Text

STATIC = Path(__file__).parent / "static"
THEMES = ("terang", "gelap")  # light (the default, prints well) and dark (the wall's)
HEIGHT = 720  # the canvas is 1280x720; blocks.BODY_W is its width less two 56 px margins
HEAD_TOP, HEAD_H = 36, 116  # the title band: its top, and the most it may take
BODY_BOTTOM = HEIGHT - 52 - 16  # the blocks' area ends above the footer; it starts below the title, as tall as that is
BODY_W = blocks.BODY_W
SMALL = blocks.SMALL

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
    size, lines = blocks.fit_heading(slide.title, room, 60, 40, 3)
    paragraphs = tuple(p for b in slide.blocks if isinstance(b, Text) for p in b.paragraphs)
    left = HEIGHT - 260 - lines * size * 1.15
    text_size = blocks.text_size(paragraphs, room, max(left, 60), (30, 28, 26, 24, 22, 20))
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
    sub_size, sub_lines = blocks.fit_heading(slide.subtitle, room, 24, SMALL, 1, bold=False) if slide.subtitle else (0, 0)
    subtitle_h = sub_lines * sub_size * 1.3 + 6 if slide.subtitle else 0
    size, lines = blocks.fit_heading(slide.title, room, 40, 28, 2 if HEAD_H - subtitle_h >= 2 * 34 * 1.15 else 1)
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
        parts = "".join(blocks.block_html(b, box, column, deck.lang, slide.title) for b, box, column in blocks.layout(slide.blocks, BODY_BOTTOM - top))
        inner = f'{head}<div class="slide-body" style="top:{top}px;height:{BODY_BOTTOM - top}px">{parts}</div>'
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
