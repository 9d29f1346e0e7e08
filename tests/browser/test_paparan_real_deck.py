"""The default deck, built from a snapshot of a real warehouse loaded from every simulated OPD system, in Chromium:
every slide of it, in both languages, with nothing overflowing its box (the sample decks cannot show what real
names, details and twelve-row tables do to a layout). Screenshots go to tests/artifacts/."""

from __future__ import annotations

import pytest

from config import load_config
from dashboard.paparan import deck as decks
from tests.browser.test_paparan_deck import OVERFLOWS, _at, _open
from tests.loaded import Loaded
from tests.paparan_views import serving

pytestmark = [pytest.mark.browser, pytest.mark.integration]
PORT = 8134


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    config = load_config(env={})
    loaded = Loaded(tmp_path_factory.mktemp("paparan-nyata"), config)
    try:
        snapshot = loaded.snapshots.take(None, None, "test")
        built = {(snapshot.id, lang): decks.build(loaded.snapshots.get(snapshot.id), config.paparan, lang) for lang in ("id", "en")}
    finally:
        loaded.close()
    with serving(PORT, built) as url:
        yield url, snapshot.id, built


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_slide_of_the_default_deck_fits_its_boxes(browser, served, artifacts, lang):
    url, snapshot_id, built = served
    deck = built[(snapshot_id, lang)]
    assert len(deck.slides) >= 14
    context, page, watch = _open(browser, f"{url}/paparan/{snapshot_id}?lang={lang}")
    page.evaluate("document.fonts.ready")
    for n, slide in enumerate(deck.slides, start=1):
        page.evaluate(f"location.hash = '#{n}'")
        _at(page, n)
        assert page.evaluate(OVERFLOWS) == [], (slide.key, lang)
        assert page.locator(".viewport .slide:not([hidden]) .foot-text").inner_text() == deck.footer(n)
        if lang == "id":
            page.screenshot(path=str(artifacts / f"paparan-nyata-{n:02d}-{slide.key}.png"))
    assert watch.errors == [] and watch.foreign == []
    context.close()
