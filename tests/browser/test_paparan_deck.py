"""The deck in a real headless Chromium, served by its blueprint on 127.0.0.1 with a stand-in deck source: keys and
clicker keys through every slide, the fragment kept over reload and history, blank screen, overview, the presenter
window in step both ways, nothing overflowing at 1280x720 and 1920x1080 in both themes, and the print page one
slide a PDF page, over HTTP and from a file. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from dashboard.paparan import render
from tests.paparan_sample import sample_deck
from tests.paparan_views import LONG, SAMPLE, long_deck, serving

pytestmark = pytest.mark.browser

PORT = 8132
COUNT = len(sample_deck("id").slides)
SHOWN = "() => [...document.querySelectorAll('.viewport .slide:not([hidden])')].map(s => Number(s.dataset.n))"
PRESENTER_SHOWN = "() => [...document.querySelectorAll('.pp-current .slide:not([hidden])')].map(s => Number(s.dataset.n))"
# Every box on the shown slide holds its content, lies inside the slide, and every chart label lies inside its chart.
OVERFLOWS = """() => {
  const slide = document.querySelector('.viewport .slide:not([hidden])');
  const box = slide.getBoundingClientRect(), scale = box.width / 1280, problems = [];
  const inside = (r, b) => r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
  const name = el => el.className.baseVal === undefined ? el.className : el.className.baseVal;
  for (const el of slide.querySelectorAll('.slide-head, .slide-titles, .slide-body, .block, .figure, .slide-foot, .cover, .cover-text, table')) {
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      problems.push(`${name(el)} holds ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`);
    if (!inside(el.getBoundingClientRect(), box)) problems.push(`${name(el)} outside the slide`);
  }
  const body = slide.querySelector('.slide-body'), foot = slide.querySelector('.slide-foot').getBoundingClientRect();
  if (body) {
    const b = body.getBoundingClientRect();
    if (b.bottom > foot.top + 1) problems.push('body runs into the footer');
    for (const block of body.children) if (!inside(block.getBoundingClientRect(), b)) problems.push(`${name(block)} outside the body`);
  }
  for (const svg of slide.querySelectorAll('svg')) {
    const [, , w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBBox();
      if (r.x < -1 || r.y < -1 || r.x + r.width > w + 1 || r.y + r.height > h + 1) problems.push(`chart text "${t.textContent}" outside its chart`);
    }
    if (!inside(svg.getBoundingClientRect(), svg.parentElement.getBoundingClientRect())) problems.push('chart outside its block');
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def url():
    with serving(PORT) as address:
        yield address


class Watch:
    """Console errors and requests to anything but 127.0.0.1, collected from every page of a browser context."""

    def __init__(self, context) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []
        context.on("page", self.page)
        for page in context.pages:
            self.page(page)

    def page(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)

    def _request(self, request) -> None:
        address = urllib.parse.urlsplit(request.url)
        if address.scheme in ("data", "blob", "about", "file"):
            return
        if address.hostname != "127.0.0.1":
            self.foreign.append(request.url)


def _open(browser, url: str, width: int = 1280, height: int = 720):
    context = browser.new_context(viewport={"width": width, "height": height})
    watch = Watch(context)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.ready === '1'")
    return context, page, watch


def _at(page, n: int, shown: str = SHOWN) -> None:
    page.wait_for_function(f"() => ({shown})().join() === '{n}'", timeout=5_000)


def test_keys_and_clicker_keys_move_through_every_slide_and_the_fragment_follows(browser, url):
    context, page, watch = _open(browser, f"{url}/paparan/{SAMPLE}")
    assert page.evaluate(SHOWN) == [1] and page.evaluate("location.hash") == "#1"
    for key, expected in (("ArrowRight", 2), ("PageDown", 3), ("Space", 4), ("ArrowLeft", 3), ("PageUp", 2), ("End", COUNT),
                          ("Home", 1)):
        page.keyboard.press(key)
        _at(page, expected)
        assert page.evaluate("location.hash") == f"#{expected}", key
    page.keyboard.press("3")
    assert page.locator(".jump").inner_text() == "Ke slide 3"
    page.keyboard.press("Enter")
    _at(page, 3)
    assert page.locator(".jump").is_hidden()
    for n in range(4, COUNT + 1):  # on through every slide, and no further than the last
        page.keyboard.press("ArrowRight")
        _at(page, n)
    page.keyboard.press("ArrowRight")
    _at(page, COUNT)
    page.keyboard.press("1")
    page.keyboard.press("2")
    page.keyboard.press("Enter")  # slide 12 of 6: the last
    _at(page, COUNT)
    # Reload keeps the place; Back and Forward step through the slides shown.
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    _at(page, 2)
    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === '1'")
    assert page.evaluate(SHOWN) == [2] and page.evaluate("location.hash") == "#2"
    page.go_back()
    _at(page, 1)
    page.go_forward()
    _at(page, 2)
    page.goto(f"{url}/paparan/{SAMPLE}#5")  # a shared link to slide 5
    page.wait_for_function("document.documentElement.dataset.ready === '1'")
    assert page.evaluate(SHOWN) == [5]
    assert watch.errors == [] and watch.foreign == []
    context.close()


def test_b_blanks_the_screen_and_escape_opens_an_overview_to_pick_a_slide_from(browser, url, artifacts):
    context, page, watch = _open(browser, f"{url}/paparan/{SAMPLE}#2")
    page.keyboard.press("b")
    assert page.locator(".blank").is_visible()
    page.keyboard.press("B")
    assert page.locator(".blank").is_hidden()
    page.keyboard.press("Escape")
    assert page.locator(".overview").is_visible()
    thumbs = page.locator(".thumb")
    assert thumbs.count() == COUNT
    assert page.locator(".thumb.selected").get_attribute("data-n") == "2"
    # Every thumbnail fits the window: the whole deck at a glance.
    assert page.evaluate("[...document.querySelectorAll('.thumb')].every(t => t.getBoundingClientRect().bottom <= innerHeight)")
    page.screenshot(path=str(artifacts / "paparan-overview.png"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.locator(".thumb.selected").get_attribute("data-n") == "4"
    page.keyboard.press("Enter")
    _at(page, 4)
    assert page.locator(".overview").is_hidden() and page.evaluate("location.hash") == "#4"
    page.keyboard.press("Escape")
    thumbs.nth(COUNT - 2).click()
    _at(page, COUNT - 1)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")  # closes it again, where it was
    assert page.locator(".overview").is_hidden() and page.evaluate(SHOWN) == [COUNT - 1]
    assert watch.errors == [] and watch.foreign == []
    context.close()


def test_the_presenter_window_opened_by_p_stays_in_step_with_the_deck_both_ways(browser, url, artifacts):
    context, deck, watch = _open(browser, f"{url}/paparan/{SAMPLE}#3")
    with context.expect_page() as opened:
        deck.keyboard.press("p")
    presenter = opened.value
    presenter.set_viewport_size({"width": 1280, "height": 800})
    presenter.wait_for_load_state()
    presenter.wait_for_function("document.documentElement.dataset.ready === '1'")
    assert "/penyaji" in presenter.url
    _at(presenter, 3, PRESENTER_SHOWN)
    assert presenter.locator(".pp-n").inner_text() == "3"
    assert presenter.locator(".notes:not([hidden])").inner_text().startswith("Perizinan daring")
    assert "632 dari 680 permohonan" in presenter.locator(".notes:not([hidden])").inner_text()
    assert presenter.locator(".pp-next .slide").get_attribute("data-n") == "4"
    assert re.fullmatch(r"\d+:\d\d", presenter.locator(".pp-timer").inner_text())
    presenter.screenshot(path=str(artifacts / "paparan-penyaji.png"))
    deck.keyboard.press("ArrowRight")  # the deck moves: the presenter follows
    _at(deck, 4)
    _at(presenter, 4, PRESENTER_SHOWN)
    assert presenter.locator(".pp-next .slide").get_attribute("data-n") == "5"
    presenter.keyboard.press("PageDown")  # the presenter's clicker moves: the deck follows
    _at(presenter, 5, PRESENTER_SHOWN)
    _at(deck, 5)
    assert deck.evaluate("location.hash") == "#5"
    presenter.keyboard.press("End")
    _at(deck, COUNT)
    assert presenter.locator(".pp-end").is_visible() and presenter.locator(".pp-next .slide").count() == 0
    presenter.locator(".pp-prev").click()
    _at(deck, COUNT - 1)
    presenter.keyboard.press("b")  # blanking from the presenter's keyboard blanks the audience's screen
    deck.wait_for_function("!document.querySelector('.blank').hidden")
    assert presenter.locator(".pp-blanked").is_visible()
    deck.keyboard.press("b")
    presenter.wait_for_function("document.querySelector('.pp-blanked').hidden")
    presenter.evaluate("window.__started = document.querySelector('.pp-timer').textContent")
    presenter.locator(".pp-reset").click()
    assert presenter.locator(".pp-timer").inner_text() == "0:00"
    # A presenter view opened on its own asks where the deck is.
    second = context.new_page()
    second.goto(f"{url}/paparan/{SAMPLE}/penyaji")
    _at(second, COUNT - 1, PRESENTER_SHOWN)
    assert watch.errors == [] and watch.foreign == []
    context.close()


@pytest.mark.parametrize("theme", ["terang", "gelap"])
@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("snapshot_id", [SAMPLE, LONG])
def test_no_slide_overflows_at_1280_and_1920_in_either_theme(browser, url, artifacts, snapshot_id, width, height, theme):
    deck = sample_deck("id") if snapshot_id == SAMPLE else long_deck("id")
    context, page, watch = _open(browser, f"{url}/paparan/{snapshot_id}?tema={theme}", width, height)
    # The bundled DejaVu Sans is the face in use (the server measured text in it), and the canvas fills the window.
    assert page.evaluate("document.fonts.check('bold 20px \"Pantau DejaVu Sans\"') && document.fonts.status === 'loaded'")
    page.evaluate("document.fonts.ready")
    canvas = page.locator(".viewport .canvas").bounding_box()
    assert canvas["width"] == pytest.approx(width, abs=1) and canvas["height"] == pytest.approx(height, abs=1)
    for n, slide in enumerate(deck.slides, start=1):
        page.keyboard.press("Home") if n == 1 else page.keyboard.press("ArrowRight")
        _at(page, n)
        assert page.evaluate(OVERFLOWS) == [], (slide.key, width, theme)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth && document.documentElement.scrollHeight <= innerHeight")
        page.screenshot(path=str(artifacts / f"paparan-{'contoh' if snapshot_id == SAMPLE else 'panjang'}-{theme}-{width}-{n:02d}.png"))
    assert watch.errors == [] and watch.foreign == []
    context.close()


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("theme", ["terang", "gelap"])
def test_the_print_page_prints_one_slide_a_page_over_http(browser, url, artifacts, theme):
    context, page, watch = _open_print(browser, f"{url}/paparan/{LONG}/cetak?tema={theme}")
    assert page.evaluate("document.documentElement.scrollWidth") == 1280  # no scrollbar, nothing wider than a page
    assert page.evaluate("[...document.querySelectorAll('.slide')].every(s => s.getBoundingClientRect().height === 720)")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (artifacts / f"paparan-cetak-{theme}.pdf").write_bytes(pdf)
    assert _pdf_pages(pdf) == len(long_deck("id").slides)
    assert watch.errors == [] and watch.foreign == []
    context.close()


def _open_print(browser, address: str):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    watch = Watch(context)
    page = context.new_page()
    page.goto(address)
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('bold 20px \"Pantau DejaVu Sans\"') && document.fonts.status === 'loaded'")
    return context, page, watch


def test_the_print_page_prints_from_a_file_with_its_fonts_from_the_static_folder(browser, tmp_path):
    deck = sample_deck("en")
    path = tmp_path / "deck.html"
    path.write_text(render.print_page(deck, "terang", render.STATIC.as_uri()), encoding="utf-8")
    context, page, watch = _open_print(browser, path.as_uri())
    assert page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.weight).sort()") == ["bold", "normal"]
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert _pdf_pages(pdf) == len(deck.slides)
    assert b"DejaVuSans" in pdf  # the bundled font, embedded
    assert watch.errors == [] and watch.foreign == []
    context.close()
