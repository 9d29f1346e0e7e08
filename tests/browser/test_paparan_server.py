"""Presentation mode on the real server, with its own security headers and page routes: the button makes a
snapshot, the deck it opens is driven by keys, keeps its slide across a reload, and fetches nothing from outside."""

from __future__ import annotations

import pytest

from tests.browser.test_paparan_deck import SHOWN, Watch, _at

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_the_button_opens_a_deck_that_keys_drive_and_a_reload_keeps(server_factory, browser, artifacts):
    server = server_factory().start()
    server.wait_for_values()
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    watch = Watch(context)
    page = context.new_page()
    page.goto(f"{server.url}/paparan")
    page.fill("input[name=title]", "Gladi panel Komdigi")
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/paparan/*")
    page.wait_for_function("document.documentElement.dataset.ready === '1'")
    snapshot_id = page.url.rsplit("/", 1)[1].split("#")[0]
    assert page.evaluate(SHOWN) == [1] and "Gladi panel Komdigi" in page.inner_text(".viewport .slide:not([hidden])")
    page.keyboard.press("PageDown")
    page.keyboard.press("ArrowRight")
    _at(page, 3)
    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === '1'")
    _at(page, 3)
    page.screenshot(path=str(artifacts / "paparan-server-3.png"))
    page.goto(f"{server.url}/paparan")
    assert snapshot_id in page.inner_text("table") and "web:127.0.0.1" in page.inner_text("table")
    assert watch.errors == [] and watch.foreign == []
    context.close()
