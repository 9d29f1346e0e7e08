"""The deck's PowerPoint, read back with python-pptx: native charts holding the deck's values, tables, notes, footers, bounds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from pptx import Presentation
from pptx.chart.plot import LinePlot
from pptx.enum.chart import XL_CHART_TYPE, XL_MARKER_STYLE

from dashboard.components import textfit
from dashboard.paparan.model import Chart, Column, Figure, Series, Slide, Stats, Table, Text, figure_text
from dashboard.paparan.pptx import deck_pptx
from dashboard.paparan.pptx_text import FILL, LINE
from region.timezone import WIB
from tests.paparan_sample import sample_deck

CHART_TYPES = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "stacked": XL_CHART_TYPE.BAR_STACKED}
LONG = ("Persentase permohonan perizinan berusaha berbasis risiko yang diputus dalam batas waktu layanan menurut kecamatan "
        "dan jenis izin, dibandingkan dengan tahun sebelumnya dan target daerah")
TITLE = "Persentase permohonan perizinan berusaha berbasis risiko yang diputus tepat waktu menurut kecamatan"


def crowded_deck(lang: str = "id"):
    """The sample deck and slides as full as a real deck's get: a long title and subtitle over four figures and long
    bullets, a twelve-row table of long cells, a wide table over a chart, two years of months."""
    deck = sample_deck(lang)
    figures = tuple(Figure(f"{LONG[:60]} {i}", 1234567.891 * i, figure_text(1234567.891 * i, 1, "kunjungan", lang), "kunjungan",
                           ("green", "amber", "red", "no_data")[i], LONG, None) for i in range(4))
    columns = (Column("Kecamatan"), Column("OPD pelaksana"), Column("Permohonan", 0), Column("Tepat waktu", 1, "%"), Column("Catatan"))
    rows = tuple((f"Kecamatan {i} Nan Sabaris Ulakan Tapakis", "DPMPTSP", 1000 + i * 37, 80 + i / 3, LONG[: 20 + 9 * i]) for i in range(12))
    months = tuple(f"Bln {i}" for i in range(24))
    slides = (
        Slide("padat-angka", TITLE, (Stats(figures), Text(tuple(LONG for _ in range(4)), bullets=True)), subtitle=LONG, component="quick_win",
              notes=("Kalimat pertama.", "Kalimat kedua, dengan 1.234,5 kunjungan."), simulated=True, sources=tuple(f"sumber{i}" for i in range(12))),
        Slide("padat-tabel", "Rincian per kecamatan", (Table("Perizinan per kecamatan", columns, rows),), component="baseline"),
        Slide("tabel-dan-batang", "Tepat waktu per kecamatan", (Table("Lima kecamatan", columns, rows[:5]),
              Chart("bar", "Tepat waktu per kecamatan", "%", tuple(r[0] for r in rows[:8]), (Series("Tepat waktu", tuple(r[3] for r in rows[:8])),),
                    statuses=("green", "amber", "red", "no_data") * 2, target=95.0))),
        Slide("padat-garis", "Dua tahun per bulan", (Chart("line", "Kunjungan per bulan", "kunjungan", months,
              (Series("Puskesmas", tuple(None if i % 7 == 3 else 1000.0 + i * 12.25 for i in range(24))),
               Series("Posyandu", tuple(500.0 + i for i in range(24)))), decimals=0),), component="output"),
    )
    return dataclasses.replace(deck, slides=deck.slides + slides)


def opened(deck):
    return Presentation(io.BytesIO(deck_pptx(deck)))


def charts(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def named(slide, name):
    return [shape for shape in slide.shapes if shape.name == name]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_one_slide_per_slide_with_its_title_in_the_title_placeholder(lang):
    deck = crowded_deck(lang)
    prs = opened(deck)
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 13.333 × 7.5 in, 16:9
    assert len(prs.slides) == len(deck.slides)
    for slide, page in zip(deck.slides, prs.slides, strict=True):
        assert page.shapes.title.text == slide.title
        assert page.shapes.title.is_placeholder
        assert [s.text_frame.text for s in named(page, "Subtitle")] == ([slide.subtitle] if slide.subtitle else [])


def test_the_component_badge_names_the_component_in_the_decks_language():
    for lang, expected in (("id", ["Komponen: Dampak", "Komponen: Outcome", "Komponen: Quick Win", "Komponen: Baseline", "Komponen: Output"]),
                           ("en", ["Component: Impact", "Component: Outcome", "Component: Quick Win", "Component: Baseline", "Component: Output"])):
        deck = crowded_deck(lang)
        badges = [[s.text_frame.text for s in named(page, "Component")] for page in opened(deck).slides]
        assert [b for b in badges if b] == [[e] for e in expected]
        assert [bool(b) for b in badges] == [slide.component is not None for slide in deck.slides]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_chart_is_native_and_holds_the_decks_values_exactly(lang):
    deck = crowded_deck(lang)
    seen = 0
    for slide, page in zip(deck.slides, opened(deck).slides, strict=True):
        blocks = [b for b in slide.blocks if isinstance(b, Chart)]
        assert len(charts(page)) == len(blocks)
        for block, chart in zip(blocks, charts(page), strict=True):
            seen += 1
            plot = chart.plots[0]
            if block.chart == "line":  # python-pptx calls a line chart whose target has no markers a plain line chart
                assert isinstance(plot, LinePlot)
                assert [s.marker.style for s in plot.series][: len(block.series)] == [XL_MARKER_STYLE.CIRCLE] * len(block.series)
            else:
                assert chart.chart_type == CHART_TYPES[block.chart]
                assert chart.category_axis.reverse_order  # the first category on top, as the slide in the browser has it
            assert tuple(plot.categories) == block.categories
            series = [(s.name, s.values) for s in plot.series]
            expected = [(s.name, s.values) for s in block.series]
            if block.chart == "line" and block.target is not None:
                expected.append(("Target", (block.target,) * len(block.categories)))
            assert series == expected  # full precision, None a gap, not 0
            code = "#,##0" + ("." + "0" * block.decimals if block.decimals else "")
            assert chart.value_axis.tick_labels.number_format == code
            assert not chart.value_axis.tick_labels.number_format_is_linked
            assert chart.chart_title.text_frame.text.startswith(block.title)
            if block.chart == "bar" and block.target is not None:
                assert figure_text(block.target, block.decimals, block.unit, lang) in chart.chart_title.text_frame.text
            assert chart.has_legend == (len(series) > 1)
            if block.maximum is not None:
                assert chart.value_axis.maximum_scale == block.maximum
    assert seen == 5


def test_single_series_bars_take_their_status_colours():
    deck = crowded_deck()
    bars = [(block, chart) for slide, page in zip(deck.slides, opened(deck).slides, strict=True)
            for block, chart in zip([b for b in slide.blocks if isinstance(b, Chart)], charts(page), strict=True) if block.statuses]
    assert len(bars) == 2
    for block, chart in bars:
        points = chart.plots[0].series[0].points
        assert [str(points[i].format.fill.fore_color.rgb) for i in range(len(block.categories))] == [FILL[s] for s in block.statuses]


def test_a_chart_s_data_sheet_holds_the_values_staff_edit():
    # "Edit data" in PowerPoint opens the embedded workbook: the same values, unrounded, and empty where the deck has none.
    blob = deck_pptx(sample_deck())
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        sheets = sorted(n for n in package.namelist() if n.startswith("ppt/embeddings/"))
        assert len(sheets) == 3
        book = openpyxl.load_workbook(io.BytesIO(package.read(sheets[0])))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][1:] == ("Izin diputus tepat waktu", "Target")
    assert [r[:2] for r in rows[1:]] == [("Des 2025", 90.1), ("Jan 2026", 91.7), ("Feb 2026", None), ("Mar 2026", 92.94117647)]
    assert book.properties.created == dt.datetime(2026, 11, 30, 16, 59)


def test_tables_hold_the_formatted_cells():
    for lang in ("id", "en"):
        deck = crowded_deck(lang)
        tables = [(block, shape.table) for slide, page in zip(deck.slides, opened(deck).slides, strict=True)
                  for block, shape in zip([b for b in slide.blocks if isinstance(b, Table)], [s for s in page.shapes if s.has_table], strict=True)]
        assert len(tables) == 3
        for block, table in tables:
            cells = [[cell.text for cell in row.cells] for row in table.rows]
            assert cells == [[c.name for c in block.columns], *block.formatted(lang)]
        assert ["dukcapil", "DISDUKCAPIL", "terlambat", "–"] in [[c.text for c in r.cells] for r in tables[0][1].rows]
        assert cells[2][2:4] == (["1.037", "80,3 %"] if lang == "id" else ["1,037", "80.3 %"])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_notes_are_the_slides_notes_one_sentence_a_paragraph(lang):
    deck = crowded_deck(lang)
    for slide, page in zip(deck.slides, opened(deck).slides, strict=True):
        if slide.notes:
            assert [p.text for p in page.notes_slide.notes_text_frame.paragraphs] == list(slide.notes)
        else:
            assert not page.has_notes_slide


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_slide_has_its_footer_and_only_simulated_ones_the_mark(lang):
    deck = crowded_deck(lang)
    mark = deck.labels["simulated"]
    for number, (slide, page) in enumerate(zip(deck.slides, opened(deck).slides, strict=True), 1):
        footer = named(page, "Footer")
        assert len(footer) == 1 and footer[0].text_frame.text.startswith(deck.footer(number))
        for source in slide.sources:
            assert source in footer[0].text_frame.text
        texts = [s.text_frame.text for s in page.shapes if s.has_text_frame]
        assert (mark in texts) == slide.simulated


def test_nothing_lies_outside_the_slide():
    prs = opened(crowded_deck())
    for page in prs.slides:
        for shape in page.shapes:
            assert shape.left >= 0 and shape.top >= 0, (page.shapes.title.text, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (page.shapes.title.text, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (page.shapes.title.text, shape.name)
            if shape.has_table:  # PowerPoint grows a row to its text: the frame is the rows' sum, and each row holds its lines
                assert sum(row.height for row in shape.table.rows) == shape.height
                for row in shape.table.rows:
                    for j, cell in enumerate(row.cells):
                        assert needed(cell.text_frame, shape.table.columns[j].width, cell) <= row.height


def needed(frame, width, margins=None) -> float:
    """The EMU a text frame's paragraphs take when wrapped at spaces in DejaVu Sans (wider than Calibri) at their sizes."""
    margins = margins or frame
    room = (width - margins.margin_left - margins.margin_right) / 12700
    total = margins.margin_top + margins.margin_bottom
    for paragraph in frame.paragraphs:
        size = paragraph.runs[0].font.size.pt
        bullet = size * 1.2 if paragraph._p.pPr is not None and paragraph._p.pPr.get("marL") else 0
        lines = textfit.wrap(paragraph.text, room - bullet, size, bool(paragraph.runs[0].font.bold))
        assert all(textfit.width(line, size, bool(paragraph.runs[0].font.bold)) <= room - bullet for line in lines), paragraph.text
        total += (len(lines) * size * LINE + (paragraph.space_after.pt if paragraph.space_after is not None else 0)) * 12700
    return total


def test_long_text_is_set_smaller_until_it_fits_its_box():
    deck = crowded_deck()
    pages = opened(deck).slides
    for page in pages:
        for shape in page.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                assert needed(shape.text_frame, shape.width) <= shape.height, (page.shapes.title.text, shape.name)
    sizes = [page.shapes.title.text_frame.paragraphs[0].runs[0].font.size.pt for page in pages]
    assert sizes[6] < sizes[1]  # the long title is smaller than "Agenda"
    assert pages[6].shapes.title.text == TITLE


def test_a_size_is_rounded_down_to_its_half_point_never_up_past_its_box():
    # Beside its badge this title fits at 28.8 pt; written as 29 pt it would take a second line the box has no room for.
    deck = sample_deck("en")
    slide = Slide("opd", "Masterplan programmes by lead agency", component="outcome")
    title = opened(dataclasses.replace(deck, slides=(slide,))).slides[0].shapes.title
    assert title.text_frame.paragraphs[0].runs[0].font.size.pt == 28.5
    assert needed(title.text_frame, title.width) <= title.height


def test_empty_blocks_and_a_chart_without_values_still_make_a_slide():
    deck = sample_deck()
    empty = Slide("kosong", "Belum ada data", (Stats(()), Chart("bar", "Tanpa nilai", "%", ("A", "B"), (Series("Nilai", (None, None)),)), Text(()),
                                              Chart("stacked", "Tanpa dimensi", "program", (), (Series("Selesai", ()),))))
    prs = opened(dataclasses.replace(deck, slides=(empty,)))
    chart = charts(prs.slides[0])[0]
    assert chart.plots[0].series[0].values == (None, None)
    # A chart without categories cannot be a native chart: its title and "no data yet" stand in its place.
    assert [s.text_frame.text for s in named(prs.slides[0], "Chart: Tanpa dimensi")] == ["Tanpa dimensi\nBelum ada data"]
    assert all(0 <= shape.left and shape.left + shape.width <= prs.slide_width for shape in prs.slides[0].shapes)


def test_the_file_carries_the_decks_as_of_time_and_names_not_the_export():
    deck = sample_deck()
    blob = deck_pptx(deck)
    assert deck_pptx(deck) == blob  # the same snapshot gives the same file
    core = Presentation(io.BytesIO(blob)).core_properties
    assert (core.title, core.subject, core.author, core.last_modified_by) == (deck.title, deck.event, "Pantau", "Pantau")
    assert core.created == core.modified == dt.datetime(2026, 11, 30, 16, 59)  # 23:59 WIB, in UTC
    assert deck.snapshot_id in core.comments and deck.checksum in core.comments
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        assert {info.date_time for info in package.infolist()} == {deck.as_of.astimezone(WIB).timetuple()[:6]}
        assert b"Widescreen" in package.read("docProps/app.xml")


def test_stacked_segments_without_a_value_print_no_zero():
    deck = sample_deck()
    chart = charts(opened(deck).slides[3])[0]
    belum = chart.plots[0].series[2]
    deleted = belum._element.xpath("./c:dLbls/c:dLbl[c:delete/@val='1']/c:idx/@val")
    assert [int(i) for i in deleted] == [i for i, v in enumerate(deck.slides[3].blocks[0].series[2].values) if not v]
