"""Every word on the wall reads whole, measured in a real headless Chromium: on every wall page, at 1920x1080 and
3840x2160, in Indonesian and English, no text is cut (by its box, an ellipsis or the screen edge) or lies over other
text, and no text in a chart leaves its drawing or lies over its neighbour. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.serverproc import ServerProcess
from tests.browser.test_wall import FILLED, HISTORY, PAGES, Watch

pytestmark = pytest.mark.browser

# One function run in the page; it measures and returns {problems, lines, charts}.
MEASURE = (Path(__file__).parent / "wall_text.js").read_text(encoding="utf-8")
# Two frames after the values are in: wall.js has fitted the alert strip to what it can say whole.
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
SCREENS = ((1920, 1080), (3840, 2160))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """One server for the module: every test here only reads what the wall shows."""
    server = ServerProcess(tmp_path_factory.mktemp("wall-text"), **HISTORY).start()
    try:
        server.wait_for_values()
        yield server
    finally:
        server.stop()


def measure(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_function(FILLED, timeout=20_000)
    page.evaluate(SETTLED)
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_no_text_on_any_wall_page_is_cut_or_overlaps(server, browser, artifacts, width: int, height: int, lang: str):
    page = browser.new_page(viewport={"width": width, "height": height})
    watch = Watch(page)
    found = {}
    for name in PAGES:
        result = measure(page, f"{server.url}/wall/{name}?lang={lang}")
        page.screenshot(path=str(artifacts / f"wall-text-{name}-{lang}-{width}x{height}.png"))
        # The measure saw the page: its header, tiles or panels, and the alert strip, and every chart drawn.
        assert result["lines"] >= 10, (name, result)
        assert result["charts"] == page.locator(".wall img.chart").count() + page.locator(".wall svg").count(), name
        if result["problems"]:
            found[name] = result["problems"]
    page.close()
    assert found == {}
    assert watch.errors == []


def test_the_measure_sees_cut_text_text_over_text_and_chart_labels_over_each_other(server, browser):
    """The same measure on a page spoiled on purpose: each kind of fault it looks for is reported."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    assert measure(page, f"{server.url}/wall/spbe")["problems"] == []
    page.evaluate("""() => {
        const title = document.getElementById('wall-page-title');
        title.style.cssText = 'width: 3vw; overflow: hidden; text-overflow: ellipsis';
        const caption = document.querySelector('.big-caption');
        caption.style.cssText = 'margin-top: -5vw';
        const chart = document.querySelector('img.chart');
        const drawing = decodeURIComponent(chart.getAttribute('src').split(',').slice(1).join(','))
            .replace('</svg>', '<text x="0" y="30" font-size="26">Tumpang</text><text x="20" y="30" font-size="26">tindih</text></svg>');
        chart.setAttribute('src', 'data:image/svg+xml;utf8,' + encodeURIComponent(drawing));
    }""")
    page.wait_for_function("() => [...document.querySelectorAll('img.chart')].every(i => i.complete)")
    problems = measure_again(page)
    assert any(p.startswith('cut across: #wall-page-title.page-title "SPBE"') for p in problems)
    assert any(p.startswith('ellipsis: #wall-page-title.page-title "SPBE"') for p in problems)
    assert any(p.startswith("over each other:") and "div.big-caption" in p and "div.big-figure" in p for p in problems)
    assert any(p.startswith('over each other: "tindih" in chart') and p.endswith('"Tumpang"') for p in problems)
    page.close()


def measure_again(page) -> list[str]:
    page.evaluate(SETTLED)
    return page.evaluate(MEASURE)["problems"]
