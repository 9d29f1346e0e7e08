"""An exported chart's PDF and PNG, made by real headless Chromium and read back: one A4 landscape page with every text
selectable and only the embedded DejaVu fonts; a PNG of the expected size; and both showing the same layout."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import time

import pytest
from PIL import Image, ImageChops, ImageStat

from dashboard.exports import chart
from dashboard.paparan import pdf
from tests.printer_processes import our_printers
from tests.unit.dashboard.exports.test_chart_svg import LONG_FILTERS, bar_chart, document, map_chart

pytestmark = pytest.mark.integration


def _tool(name: str, *args: str) -> str:
    if shutil.which(name) is None:
        pytest.fail(f"{name} (Debian poppler-utils) is not installed; `make test` installs it")
    return subprocess.run([name, *args], check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def chromium():
    if shutil.which("chromium") is None:
        pytest.fail("Debian chromium is not installed; `make test` installs it")
    yield
    pdf.close_kept_browser()  # the exports render in the printer's kept browser; nothing is left running after
    assert pdf._KEPT.browser is None and our_printers() == []


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("plot", [None, bar_chart(), map_chart()], ids=["series", "bars", "map"])
def test_pdf_is_one_a4_landscape_page_with_every_text(chromium, tmp_path, plot):
    file = tmp_path / "grafik.pdf"
    file.write_bytes(chart.to_pdf(document(plot)))
    info = _tool("pdfinfo", str(file))
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"^Page size:\s+841\.92 x 594\.96 pts \(A4\)", info, re.M)
    assert re.search(r"^Title:\s+Izin terbit tepat waktu$", info, re.M)
    words = " ".join(_tool("pdftotext", str(file), "-").split())
    for part in ("PEMERINTAH KABUPATEN PADANG PARIAMAN", "DATA SIMULASI", "Izin terbit tepat waktu",
                 "Jan–Des 2026 · dibandingkan periode sama tahun lalu · Kecamatan: semua", "Sumber: DPMPTSP (SiCantik)",
                 "Data per 1 Des 2026 14.00 WIB"):
        assert part in words
    fonts = _tool("pdffonts", str(file)).splitlines()[2:]
    assert fonts and all(re.match(r"[A-Z]{6}\+DejaVuSans(-Bold)?\s", f) and " yes yes yes " in f for f in fonts)


def test_png_is_the_page_at_its_scale(chromium):
    doc = document()
    png = chart.to_png(doc)
    assert _png_size(png) == (chart.WIDTH * 2, chart.HEIGHT * 2)
    assert _png_size(chart.to_png(doc, scale=1)) == (chart.WIDTH, chart.HEIGHT)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.getpixel((10, 10)) == (255, 255, 255)  # the page is white to its edge
    badge = image.crop((image.width - 400, 60, image.width - 140, 130))  # the DATA SIMULASI badge, amber
    assert max(badge.getcolors(1 << 16))[1] == (0xF0, 0xA5, 0x00)


def test_pdf_and_png_show_the_same_layout(chromium, tmp_path):
    doc = document(bar_chart())
    (tmp_path / "grafik.pdf").write_bytes(chart.to_pdf(doc))
    _tool("pdftoppm", "-png", "-singlefile", "-scale-to-x", str(chart.WIDTH), "-scale-to-y", str(chart.HEIGHT),
          str(tmp_path / "grafik.pdf"), str(tmp_path / "halaman"))
    printed = Image.open(tmp_path / "halaman.png").convert("L")
    shot = Image.open(io.BytesIO(chart.to_png(doc, scale=1))).convert("L")
    assert printed.size == shot.size
    # Print lays glyphs out unhinted, the screen hinted, so a long line of text ends a few pixels apart; boxes, bars and
    # lines do not move. Compared in 8x8 blocks the two differ by about 2 levels of 255 on average; the same page
    # shifted down by 10 pixels differs by about 25.
    small = (chart.WIDTH // 8, chart.HEIGHT // 8)
    difference = ImageChops.difference(printed.resize(small, Image.BOX), shot.resize(small, Image.BOX))
    assert ImageStat.Stat(difference).mean[0] < 5.0
    assert ImageStat.Stat(shot).mean[0] < 250  # and it is not an empty page


def test_a_page_grown_for_long_text_still_prints_on_one_a4_page(chromium, tmp_path):
    doc = document(subtitle=LONG_FILTERS * 12)
    file = tmp_path / "panjang.pdf"
    file.write_bytes(chart.to_pdf(doc))
    info = _tool("pdfinfo", str(file))
    assert re.search(r"^Pages:\s+1$", info, re.M) and "(A4)" in info
    assert " ".join(_tool("pdftotext", str(file), "-").split()).count("Jenis izin: NIB") == 12
    assert _png_size(chart.to_png(doc, scale=1)) == (chart.WIDTH, chart.layout_height(doc))


def test_a_screenshot_that_never_loads_is_stopped_at_the_timeout(chromium):
    hanging = "<!doctype html><html><body><p>x</p><script>while (true) {}</script></body></html>"
    with pytest.raises(pdf.PdfTimeout, match="gambar PNG dalam 3 detik"):
        pdf.screenshot_png(hanging, chart.ASSETS, 400, 300, timeout=3)


def test_the_kept_browser_serves_one_render_after_another_each_in_a_fresh_context(chromium):
    doc = document()
    chart.to_pdf(doc)
    kept = pdf._KEPT.browser
    assert kept is not None and kept.alive()
    # A page that stores something finds nothing from the render before: each render has its own browser context.
    marker = ('<!doctype html><html><head><style>@font-face { font-family: "D"; src: url("fonts/DejaVuSans.ttf"); }</style></head>'
              '<body><script>document.title = localStorage.getItem("seen") || "first"; localStorage.setItem("seen", "again");</script>'
              '</body></html>')
    first = pdf.print_pdf(marker, chart.ASSETS, title=None, warm=True)
    second = pdf.print_pdf(marker, chart.ASSETS, title=None, warm=True)
    assert pdf._KEPT.browser is kept  # the same browser all along
    assert b"first" in first and b"first" in second and b"again" not in second
    assert _png_size(chart.to_png(doc, scale=1)) == (chart.WIDTH, chart.HEIGHT)
    assert pdf._KEPT.browser is kept


def test_a_kept_browser_that_fails_is_stopped_and_the_next_render_starts_another(chromium):
    chart.to_pdf(document())
    kept = pdf._KEPT.browser
    hanging = "<!doctype html><html><body><script>while (true) {}</script></body></html>"
    with pytest.raises(pdf.PdfTimeout):
        pdf.print_pdf(hanging, chart.ASSETS, timeout=3, warm=True)
    assert pdf._KEPT.browser is None and not kept.alive()
    chart.to_pdf(document())
    assert pdf._KEPT.browser is not None and pdf._KEPT.browser is not kept


def test_the_kept_browser_closes_when_unused(chromium, monkeypatch):
    monkeypatch.setattr(pdf, "WARM_IDLE", 1.0)
    chart.to_pdf(document())
    kept = pdf._KEPT.browser
    deadline = time.monotonic() + 15
    while pdf._KEPT.browser is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert pdf._KEPT.browser is None and not kept.alive()
