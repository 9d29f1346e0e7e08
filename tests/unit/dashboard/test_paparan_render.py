"""The deck's HTML without a browser: every slide, its footer and badges, every figure and chart value as the deck
formats it, themes and languages, and every label drawn inside its chart (measured in DejaVu Sans)."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from dashboard.components import textfit
from dashboard.paparan import blocks, render
from dashboard.paparan.model import Chart, Slide, Stats, Table, Text
from tests.paparan_sample import sample_deck
from tests.paparan_views import long_deck

VOID = {"meta", "link", "br", "img", "input", "col", "hr", "source"}
SVG_EMPTY = {"rect", "line", "polyline", "circle", "path", "polygon"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent, self.children, self.texts = tag, attrs, parent, [], []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(t if isinstance(t, str) else t.text() for t in self.texts)

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                found.append(child)
            found.extend(child.all(tag, cls))
        return found


class Tree(HTMLParser):
    """A small DOM: elements with attributes, children and text, enough to read the renderer's output."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.at = self.root
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.at)
        self.at.children.append(node)
        self.at.texts.append(node)
        if tag not in VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.at)
        self.at.children.append(node)
        self.at.texts.append(node)

    def handle_endtag(self, tag):
        node = self.at
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.at = node.parent

    def handle_data(self, data):
        self.at.texts.append(data)


def tree(html: str) -> Node:
    return Tree(html).root


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_deck_page_holds_every_slide_only_the_first_shown(lang):
    deck = sample_deck(lang)
    page = tree(render.deck_page(deck, "terang", "/paparan"))
    html = page.all("html")[0]
    assert html.attrs["lang"] == lang and {"tema-terang", "paparan"} <= html.classes
    slides = page.all("section", "slide")
    assert [s.attrs["data-key"] for s in slides] == [s.key for s in deck.slides]
    assert [s.attrs["data-n"] for s in slides] == [str(i) for i in range(1, len(deck.slides) + 1)]
    assert ["hidden" in s.attrs for s in slides] == [False] + [True] * (len(slides) - 1)
    assert [s.attrs["aria-label"] for s in slides] == [s.title for s in deck.slides]
    # Its own stylesheet and script only; no inline script (the server's policy would refuse it).
    scripts = page.all("script")
    assert [s.attrs["src"] for s in scripts] == ["/paparan/static/paparan.js"] and all(not s.text().strip() for s in scripts)
    assert [link.attrs["href"] for link in page.all("link") if link.attrs.get("rel") == "stylesheet"] == ["/paparan/static/paparan.css"]
    body = page.all("body")[0]
    assert body.attrs["data-channel"] == f"paparan-{deck.snapshot_id}" and body.attrs["data-count"] == str(len(deck.slides))
    assert body.attrs["data-presenter"] == f"/paparan/{deck.snapshot_id}/penyaji?lang={lang}&tema=terang"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_footers_say_the_as_of_snapshot_and_page_and_only_simulated_slides_are_badged(lang):
    deck = sample_deck(lang)
    for i, slide in enumerate(deck.slides):
        section = tree(render.slide_html(deck, i)).all("section")[0]
        assert section.all(cls="foot-text")[0].text() == deck.footer(i + 1)
        badges = [b.text() for b in section.all(cls="badge-simulated")]
        assert badges == ([deck.labels["simulated"]] if slide.simulated else []), slide.key
    assert sample_deck("en").labels["simulated"] == "SIMULATED DATA"


@pytest.mark.parametrize(("lang", "badge"), [("id", "Komponen: Dampak"), ("en", "Component: Impact")])
def test_a_slide_names_the_evaluation_component_it_evidences(lang, badge):
    deck = sample_deck(lang)
    badges = {s.key: [b.text() for b in tree(render.slide_html(deck, i)).all(cls="component")] for i, s in enumerate(deck.slides)}
    assert badges["dampak-izin"] == [badge]
    assert badges["outcome-dimensi"] == ["Komponen: Outcome" if lang == "id" else "Component: Outcome"]
    assert badges["judul"] == badges["sumber"] == []  # no component: no badge


def test_every_headline_figure_is_shown_as_the_deck_formatted_it_with_its_status_in_words():
    deck = sample_deck("id")
    for i, slide in enumerate(deck.slides):
        figures = [f for b in slide.blocks if isinstance(b, Stats) for f in b.figures]
        cards = tree(render.slide_html(deck, i)).all(cls="figure")
        assert [c.all(cls="figure-text")[0].text() for c in cards] == [f.text for f in figures]
        assert [c.all(cls="figure-label")[0].text() for c in cards] == [f.label for f in figures]
        for card, figure in zip(cards, figures, strict=True):
            assert f"s-{figure.status}" in card.classes
            chip = card.all(cls="status")[0]
            assert chip.all(cls="status-icon")[0].text() == blocks.STATUS_ICON[figure.status]  # a sign, not colour alone
            assert chip.all(cls="status-word")[0].text() in ("Tercapai", "Perlu perhatian", "Di bawah target", "Tanpa data")
    texts = [n.text() for n in tree(render.slide_html(deck, 2)).all(cls="figure-text")]
    assert texts == ["92,9 %", "4,0 hari kerja"]  # Indonesian decimals


@pytest.mark.parametrize("lang", ["id", "en"])
def test_charts_are_inline_svg_with_every_value_written_as_the_chart_labels_it(lang):
    deck = sample_deck(lang)
    for i, slide in enumerate(deck.slides):
        charts = [b for b in slide.blocks if isinstance(b, Chart)]
        svgs = tree(render.slide_html(deck, i)).all("svg")
        assert len(svgs) == len(charts)
        for chart, svg in zip(charts, svgs, strict=True):
            assert svg.attrs["aria-label"] == chart.title
            written = [t.text() for t in svg.all("text")]
            for series in chart.series:
                for value in series.values:
                    if value is not None and chart.chart != "stacked":
                        assert chart.label(value, lang) in written, (chart.title, value)
            if chart.target is not None:
                assert f"Target {chart.label(chart.target, lang)}" in written
    # The stacked chart writes each row's total and the counts that fit their segment; its legend names every series.
    stacked = tree(render.slide_html(deck, 3)).all("svg")[0]
    written = [t.text() for t in stacked.all("text")]
    assert {"22", "5", "9", "17"} <= set(written) and {"Selesai", "Berjalan", "Belum mulai"} <= set(written)
    assert len(stacked.all("rect", "segment")) == 8  # Smart Branding has no programme not started: no empty segment


def test_a_line_breaks_where_a_value_is_missing_and_the_target_is_dashed():
    deck = sample_deck("id")
    svg = tree(render.slide_html(deck, 2)).all("svg")[0]
    # 90.1, 91.7, None, 92.9: one line through the first two, the last a lone marker.
    lines = svg.all("polyline", "line")
    assert [len(p.attrs["points"].split()) for p in lines] == [2]
    assert len(svg.all("circle", "marker")) == 3
    target = svg.all("line", "target")
    assert len(target) == 1 and target[0].attrs["stroke-dasharray"]
    bars = tree(render.slide_html(deck, 3)).all("svg")[1]
    assert [b.attrs["class"] for b in bars.all("rect", "bar")] == ["bar s-amber", "bar s-green", "bar s-green"]  # by status


def test_tables_show_the_formatted_cells_numbers_right_aligned():
    deck = sample_deck("id")
    table = next(b for b in deck.slides[4].blocks if isinstance(b, Table))
    node = tree(render.slide_html(deck, 4)).all("table")[0]
    rows = [[td.text() for td in tr.all("td")] for tr in node.all("tbody")[0].all("tr")]
    assert rows == table.formatted("id") == [["perizinan", "DPMPTSP", "terkini", "1.234"], ["dukcapil", "DISDUKCAPIL", "terlambat", "–"]]
    assert [th.attrs["class"] for th in node.all("th")] == ["txt", "txt", "txt", "num"]
    assert [td.attrs["class"] for td in node.all("tbody")[0].all("tr")[0].all("td")] == ["txt", "txt", "txt", "num"]


def test_text_blocks_are_paragraphs_or_a_list():
    deck = sample_deck("id")
    agenda = tree(render.slide_html(deck, 1))
    assert [li.text() for li in agenda.all("li")] == list(deck.slides[1].blocks[0].paragraphs)
    cover = tree(render.slide_html(deck, 0))
    assert [p.text() for p in cover.all("div", "cover-text")[0].all("p")] == list(deck.slides[0].blocks[0].paragraphs)
    assert cover.all("h1")[0].text() == deck.slides[0].title


def test_themes_and_unknown_themes():
    deck = sample_deck("id")
    assert "tema-gelap" in tree(render.deck_page(deck, "gelap")).all("html")[0].classes
    assert "tema-terang" in tree(render.deck_page(deck, "ungu")).all("html")[0].classes  # anything else: the light default
    assert "tema-gelap" in tree(render.print_page(deck, "gelap")).all("html")[0].classes


def test_the_print_page_shows_every_slide_with_no_script_and_its_assets_where_asked():
    deck = sample_deck("id")
    page = tree(render.print_page(deck, "terang", render.STATIC.as_uri()))
    assert page.all("script") == []
    slides = page.all("section", "slide")
    assert len(slides) == len(deck.slides) and not any("hidden" in s.attrs for s in slides)
    assert page.all("link")[-1].attrs["href"] == f"{render.STATIC.as_uri()}/paparan.css"
    css = (render.STATIC / "paparan.css").read_text()
    assert re.search(r"@page\s*\{\s*size:\s*1280px 720px;\s*margin:\s*0;?\s*\}", css)
    for font in re.findall(r'url\("([^"]+)"\)', css):  # fonts beside the stylesheet, nothing from elsewhere
        assert (render.STATIC / font).is_file()


def test_the_presenter_page_has_every_slide_and_its_notes():
    deck = sample_deck("id")
    page = tree(render.presenter_page(deck, "gelap", "/paparan"))
    assert page.all("body")[0].attrs["data-mode"] == "presenter"
    assert len(page.all("section", "slide")) == len(deck.slides)
    notes = page.all(cls="notes")
    assert [n.attrs["data-n"] for n in notes] == [str(i) for i in range(1, len(deck.slides) + 1)]
    assert [p.text() for p in notes[2].all("p")][:1] == list(deck.slides[2].notes)
    assert "Tidak ada catatan untuk slide ini." in notes[1].text()  # the agenda has none
    assert page.all(cls="pp-count")[0].text() == f"Slide 1/{len(deck.slides)}"


def test_text_from_the_deck_is_escaped():
    deck = sample_deck("id")
    hostile = dataclasses.replace(deck, slides=(Slide("x", "<script>alert(1)</script>", (Text(("<b>tebal</b>",)),), component="output"),))
    html = render.deck_page(hostile)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<b>tebal" not in html


def _extent(node: Node, size: float) -> tuple[float, float]:
    x = float(node.attrs["x"])
    w = textfit.width(node.text(), size, bold=node.attrs.get("font-weight") == "bold" or "t-value" in node.classes or "t-target" in node.classes)
    anchor = node.attrs.get("text-anchor", "start")
    return {"start": (x, x + w), "middle": (x - w / 2, x + w / 2), "end": (x - w, x)}[anchor]


@pytest.mark.parametrize("deck", [sample_deck("id"), sample_deck("en"), long_deck("id")], ids=["sample", "sample-en", "long"])
def test_every_label_of_every_chart_is_drawn_inside_the_chart(deck):
    """Measured as textfit measures DejaVu Sans: no label, value or legend runs past the drawing's edges, and the
    category labels of bar rows stay within their row."""
    for i, slide in enumerate(deck.slides):
        for svg in tree(render.slide_html(deck, i)).all("svg"):
            width, height = (float(v) for v in svg.attrs["viewbox"].split()[2:])
            for text in svg.all("text"):
                size = float(text.attrs["font-size"])
                spans = text.all("tspan") or [text]
                for span in spans:
                    span.attrs.setdefault("text-anchor", text.attrs.get("text-anchor", "start"))
                    span.attrs.setdefault("font-weight", text.attrs.get("font-weight"))
                    span.attrs["class"] = text.attrs.get("class", "")
                    left, right = _extent(span, size)
                    assert left >= -0.5 and right <= width + 0.5, (slide.key, span.text(), left, right, width)
                    y = float(span.attrs.get("y", text.attrs["y"]))
                    assert y - size * 0.93 >= -0.5 and y + size * 0.24 <= height + 0.5, (slide.key, span.text(), y, height)
            labels = [t for t in svg.all("text") if "t-label" in t.classes]
            tops = sorted((float(t.all("tspan")[0].attrs["y"]) - float(t.attrs["font-size"]) * 0.93,
                           float(t.all("tspan")[-1].attrs["y"]) + float(t.attrs["font-size"]) * 0.24) for t in labels)
            assert all(a[1] <= b[0] + 0.5 for a, b in zip(tops, tops[1:], strict=False)), (slide.key, tops)  # rows never overlap


@pytest.mark.parametrize("deck", [sample_deck("id"), long_deck("id")], ids=["sample", "long"])
def test_blocks_stay_inside_the_slide_body(deck):
    for i, slide in enumerate(deck.slides):
        section = tree(render.slide_html(deck, i)).all("section")[0]
        bodies = section.all(cls="slide-body")
        if not bodies:
            continue
        style = dict(re.findall(r"(\w+):(\d+)px", bodies[0].attrs["style"]))
        assert int(style["top"]) + int(style["height"]) <= render.BODY_BOTTOM
        for block in bodies[0].children:
            box = {k: float(v) for k, v in re.findall(r"(\w+):(-?\d+)px", block.attrs["style"])}
            assert box["left"] >= 0 and box["left"] + box["width"] <= render.BODY_W + 0.5, slide.key
            assert box["top"] >= 0 and box["top"] + box["height"] <= int(style["height"]) + 0.5, slide.key
