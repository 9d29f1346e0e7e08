"""The deck's PDF, printed by real headless Chromium and read back with poppler: one 16:9 page per slide, every
figure and title as selectable text, only the shipped DejaVu fonts and all embedded, charts as vectors, no blank
page; and the printer's limits: nothing fetched, no font missing unnoticed, a hard timeout, one render at a time."""

from __future__ import annotations

import http.server
import io
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from dashboard.paparan import pdf, render
from dashboard.paparan.model import Chart, Deck, Stats
from tests.paparan_sample import sample_deck
from tests.printer_processes import our_printers

pytestmark = pytest.mark.integration
STATIC = render.STATIC
PORT = 8141  # a server that counts requests the printed page must never make
FONTS = """<style>
@font-face { font-family: "Deck Sans"; src: url("fonts/DejaVuSans.ttf"); font-weight: normal; }
@font-face { font-family: "Deck Sans"; src: url("fonts/DejaVuSans-Bold.ttf"); font-weight: bold; }
@page { size: 1280px 720px; margin: 0 }
body { margin: 0; font-family: "Deck Sans"; }
section { width: 1280px; height: 720px; box-sizing: border-box; padding: 40px; overflow: hidden; break-after: page; display: flex; gap: 24px; flex-wrap: wrap; align-content: flex-start; }
section:last-child { break-after: auto; }
h1 { width: 100%; margin: 0; }
</style>"""


def _tool(name: str, *args: str) -> str:
    if shutil.which(name) is None:
        pytest.fail(f"{name} (Debian poppler-utils) is not installed; `make test` installs it")
    return subprocess.run([name, *args], check=True, capture_output=True, text=True, timeout=60).stdout


def _bare(text: str) -> str:
    # The slides set a number's unit apart by margin, not by a space ("92,9" "%"): compare without whitespace.
    return "".join(text.split())


@pytest.fixture(scope="module", params=[("id", "terang"), ("en", "gelap")], ids=lambda p: "-".join(p))
def printed(request, tmp_path_factory) -> tuple[Deck, Path]:
    """The sample deck printed as the exports print it (render.print_page), in each language and theme once."""
    if shutil.which("chromium") is None:
        pytest.fail("Debian chromium is not installed; `make test` installs it")
    lang, theme = request.param
    deck = sample_deck(lang)
    file = tmp_path_factory.mktemp("pdf") / "deck.pdf"
    file.write_bytes(pdf.deck_pdf(deck, theme))
    return deck, file


def test_one_16_9_page_per_slide(printed):
    deck, file = printed
    info = _tool("pdfinfo", "-f", "1", "-l", str(len(deck.slides) + 1), str(file))
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) == len(deck.slides)
    sizes = re.findall(r"^Page\s+\d+ size:\s+(.+?) pts", info, re.M)
    assert sizes == ["960 x 540"] * len(deck.slides)  # 1280x720 px at 96 px per inch
    assert re.search(r"^Title:\s+(.+)$", info, re.M).group(1).startswith(deck.title)


def test_every_title_and_figure_is_text_on_its_own_page(printed):
    deck, file = printed
    for number, slide in enumerate(deck.slides, 1):
        page = _bare(_tool("pdftotext", "-raw", "-f", str(number), "-l", str(number), str(file), "-"))
        expected = [slide.title]
        for block in slide.blocks:
            if isinstance(block, Stats):
                expected += [f.text for f in block.figures]
            if isinstance(block, Chart):
                expected += [block.title, *block.categories]
        for text in expected:
            assert _bare(text) in page, f"slide {number} ({slide.key}): {text!r} not in its page's text"


def test_fonts_are_the_shipped_dejavu_all_embedded(printed):
    _, file = printed
    rows = _tool("pdffonts", str(file)).splitlines()[2:]
    assert rows, "no fonts: the text is not text"
    for row in rows:
        fields = row.split()
        name, embedded = fields[0], fields[-5]
        assert embedded == "yes", row
        assert re.fullmatch(r"[A-Z]{6}\+DejaVuSans(-Bold)?", name), row


def test_charts_are_vectors(printed):
    _, file = printed
    assert _tool("pdfimages", "-list", str(file)).splitlines()[2:] == []


def test_no_page_is_blank(printed):
    deck, file = printed
    with tempfile.TemporaryDirectory() as folder:
        _tool("pdftoppm", "-r", "20", "-gray", "-png", str(file), f"{folder}/page")
        pages = sorted(Path(folder).glob("page-*.png"))
        assert len(pages) == len(deck.slides)
        for page in pages:
            image = Image.open(io.BytesIO(page.read_bytes()))
            background = Image.new(image.mode, image.size, image.getpixel((0, 0)))
            marked = sum(ImageChops.difference(image, background).histogram()[41:])
            assert marked > 0.002 * image.width * image.height, f"{page.name} is blank"


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        _Counting.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_nothing_is_fetched_and_nothing_is_left_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the printer's folder goes here, apart from other workers'
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = (f'<!doctype html><html><head><meta charset="utf-8">{FONTS}<link rel="stylesheet" href="http://127.0.0.1:{PORT}/x.css">'
                f'</head><body><section><h1>Tanpa jaringan</h1><img src="http://127.0.0.1:{PORT}/logo.png">'
                f'<img src="../../../../etc/hostname"></section></body></html>')
        made = pdf.print_pdf(page, STATIC)
    finally:
        server.shutdown()
        server.server_close()
    assert made.startswith(b"%PDF-")
    assert _Counting.requests == []
    assert list(tmp_path.iterdir()) == []
    assert our_printers() == []


def test_a_font_that_does_not_load_is_an_error_not_a_silent_fallback():
    page = f'<!doctype html><html><head>{FONTS.replace("DejaVuSans-Bold.ttf", "Hilang.ttf")}</head><body><section><h1>Judul</h1></section></body></html>'
    with pytest.raises(pdf.PdfFailed, match="Huruf tidak dapat dimuat"):
        pdf.print_pdf(page, STATIC)


def test_a_page_that_never_loads_is_stopped_at_the_timeout():
    hanging = "<!doctype html><html><body><p>x</p><script>while (true) {}</script></body></html>"
    with pytest.raises(pdf.PdfTimeout, match="3 detik"):
        pdf.print_pdf(hanging, STATIC, timeout=3)
    assert our_printers() == []


def test_one_render_at_a_time():
    hanging = "<!doctype html><html><body><script>while (true) {}</script></body></html>"
    failures: list[Exception] = []

    def slow() -> None:
        try:
            pdf.print_pdf(hanging, STATIC, timeout=6)
        except pdf.PdfFailed as exc:
            failures.append(exc)

    first = threading.Thread(target=slow)
    first.start()
    try:
        while not pdf._ONE_AT_A_TIME.locked() and first.is_alive():
            threading.Event().wait(0.01)
        with pytest.raises(pdf.PdfBusy, match="PDF lain sedang dibuat"):
            pdf.print_pdf("<p>kedua</p>", STATIC, timeout=0.5)  # waited its half second in line
        # One more may wait in line; the next is turned away at once, not left holding a server thread.
        waiting = threading.Thread(target=lambda: failures.append(pytest.raises(pdf.PdfBusy, pdf.print_pdf, "<p>x</p>", STATIC, timeout=2).value))
        waiting.start()
        while pdf._ONE_AT_A_TIME.present < 2:
            threading.Event().wait(0.01)
        started = time.monotonic()
        with pytest.raises(pdf.PdfBusy):
            pdf.print_pdf("<p>ketiga</p>", STATIC, timeout=5)
        assert time.monotonic() - started < 1
        waiting.join()
    finally:
        first.join()
    assert sorted(type(e).__name__ for e in failures) == ["PdfBusy", "PdfTimeout"]


def test_without_chromium_the_error_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pdf.PdfFailed, match=r"apt-get install chromium"):
        pdf.print_pdf("<p>x</p>", STATIC)
