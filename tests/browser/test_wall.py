"""The wall in a real headless Chromium at 1920x1080: numbers on every tile, no console error, nothing off-host."""

from __future__ import annotations

import re
import shutil
import urllib.parse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
# Flags from the machine facts: without the background-networking ones Chromium calls Google's hosts at start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("Debian chromium is not installed; `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """Console errors and requests to any host but 127.0.0.1, collected while a page is open."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)

    def _request(self, request) -> None:
        url = urllib.parse.urlsplit(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if url.hostname != "127.0.0.1":
            self.foreign.append(request.url)


def test_wall_shows_live_numbers_and_refreshes_in_place(server_factory, browser, artifacts):
    server = server_factory(PANTAU_WALL__REFRESH_EVERY="2s").start()
    server.wait_for_values()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    watch = Watch(page)
    page.goto(f"{server.url}/wall")

    values = page.locator(".tile-value")
    page.wait_for_function("document.querySelectorAll('.tile-value').length === 3 && "
                           "[...document.querySelectorAll('.tile-value')].every(e => /\\d/.test(e.textContent))", timeout=30_000)
    assert all(re.fullmatch(r"\d{1,3},\d", text) for text in values.all_inner_texts())
    assert page.locator("#wall-simulated").is_visible()
    assert page.locator("#wall-simulated").inner_text() == "DATA SIMULASI"
    page.wait_for_function("/WIB$/.test(document.getElementById('wall-clock').textContent)")
    assert re.search(r"diperbarui (baru saja|\d+ menit lalu)", page.locator(".ago").first.inner_text())
    assert page.title() == "Pantau · Dinding"

    # Refresh happens in place: the page is never reloaded, the tiles stay filled through several refreshes.
    page.evaluate("window.__notReloaded = true")
    with page.expect_response(lambda r: "/_dash-update-component" in r.url, timeout=15_000):
        pass
    # The re-rendered tiles get their "diperbarui ..." at once, not on the next clock tick.
    page.wait_for_function("[...document.querySelectorAll('.ago')].every(e => e.textContent.startsWith('diperbarui'))", timeout=500)
    page.wait_for_timeout(4500)
    assert page.evaluate("window.__notReloaded === true")
    assert all(re.fullmatch(r"\d{1,3},\d", text) for text in values.all_inner_texts())
    assert page.title() == "Pantau · Dinding"  # no "Updating..." title

    page.screenshot(path=str(artifacts / "wall-1920x1080.png"))
    assert watch.errors == []
    assert watch.foreign == []
    page.close()


def test_home_page_links_the_wall(server_factory, browser, artifacts):
    server = server_factory().start()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    watch = Watch(page)
    page.goto(server.url)
    page.get_by_role("link", name="Dinding").wait_for()
    page.screenshot(path=str(artifacts / "home-1920x1080.png"))
    assert watch.errors == [] and watch.foreign == []
    page.close()


def test_failing_source_is_shown_on_its_tile(server_factory, browser, artifacts):
    server = server_factory(PANTAU_SOURCES__PERIZINAN__URL="http://127.0.0.1:9/down", PANTAU_SOURCES__PERIZINAN__TIMEOUT="1s",
                            PANTAU_WALL__REFRESH_EVERY="2s").start()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    watch = Watch(page)
    page.goto(f"{server.url}/wall")
    izin = page.locator(".tile", has_text="Izin diputus tepat waktu")
    izin.locator("span.freshness-failing").wait_for(timeout=60_000)  # arrives with a refresh, without a reload
    assert "Sumber gagal" in izin.inner_text()
    assert "Belum ada data" in izin.inner_text()  # never loaded: no value is invented
    births = page.locator(".tile", has_text="Kelahiran")
    page.wait_for_function("[...document.querySelectorAll('.tile-value')].filter(e => /\\d/.test(e.textContent)).length === 2", timeout=60_000)
    assert re.search(r"\d{2},\d", births.inner_text())
    page.screenshot(path=str(artifacts / "wall-failing-source-1920x1080.png"))
    assert watch.errors == [] and watch.foreign == []
    page.close()
