"""The wall in a real headless Chromium: every page at 1920x1080 and 3840x2160 with numbers, no console error,
nothing off-host; playlists in order and re-read from the configuration; stale sources shown; a server restart
survived without a reload. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
import shutil
import socket
import time
import urllib.parse

import pytest

from dashboard.registry import discover

pytestmark = pytest.mark.browser

# Every wall page the server has, as the page modules register them.
WALL = discover()
PAGES = tuple(p.slug for p in WALL)
TITLES = {p.slug: p.title["id"] for p in WALL}
# A year of history, so that every indicator on the wall (60-day complaint deadlines, year-before figures) has data.
HISTORY = {"PANTAU_SIMULATOR__HISTORY_DAYS": "400"}
FIGURES = "[...document.querySelectorAll('#wall-stage .tile-value, #wall-stage .big-figure')]"
FILLED = f"() => {FIGURES}.length > 0 && {FIGURES}.every(e => /\\d/.test(e.textContent))"


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


def test_every_wall_page_at_1920_and_3840_shows_values_and_fits_the_screen(server_factory, browser, artifacts):
    server = server_factory(**HISTORY).start()
    server.wait_for_values()
    for width, height in ((1920, 1080), (3840, 2160)):
        page = browser.new_page(viewport={"width": width, "height": height})
        watch = Watch(page)
        for name in PAGES:
            page.goto(f"{server.url}/wall/{name}")
            page.wait_for_function(FILLED, timeout=20_000)
            assert page.locator("#wall-page-title").inner_text() == TITLES[name]
            assert page.locator("#wall-simulated").inner_text() == "DATA SIMULASI"
            # Laid out for the screen: nothing scrolls, and the 4K page is the same layout at twice the size.
            assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1"), (name, width)
            title_px = page.evaluate("parseFloat(getComputedStyle(document.getElementById('wall-page-title')).fontSize)")
            assert title_px == pytest.approx(2.2 * width / 100, rel=0.02)
            charts = page.locator("#wall-stage img.chart")
            for i in range(charts.count()):
                assert charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0"), (name, i)
            page.screenshot(path=str(artifacts / f"wall-{name}-{width}x{height}.png"))
        assert watch.errors == [] and watch.foreign == []
        page.close()


def test_tiles_refresh_in_place_with_clock_and_age_ticking(server_factory, browser, artifacts):
    server = server_factory(PANTAU_WALL__REFRESH_EVERY="2s", **HISTORY).start()
    server.wait_for_values()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    watch = Watch(page)
    page.goto(f"{server.url}/wall/ringkasan")
    page.wait_for_function(FILLED, timeout=20_000)
    page.wait_for_function("() => /WIB$/.test(document.getElementById('wall-clock').textContent)")
    assert re.search(r"diperbarui (baru saja|\d+ menit lalu)", page.locator(".ago").first.inner_text())
    assert page.title() == "Pantau · Dinding"
    assert page.evaluate("document.documentElement.lang") == "id"  # screen readers and Lighthouse need it
    page.evaluate("window.__notReloaded = true")
    for _ in range(2):
        with page.expect_response(lambda r: "/_dash-update-component" in r.url and r.status == 200, timeout=15_000):
            pass
    # Re-rendered tiles get their "diperbarui ..." at once, not on the next clock tick, and keep their numbers.
    page.wait_for_function("() => [...document.querySelectorAll('.ago')].every(e => e.textContent.startsWith('diperbarui'))", timeout=500)
    assert page.evaluate("window.__notReloaded === true") and page.evaluate(FILLED)
    assert page.title() == "Pantau · Dinding"  # no "Updating..." title
    assert page.locator(".alert").count() >= 1  # the strip always says something, "nothing to act on" included
    page.goto(f"{server.url}/wall/ringkasan?lang=en")
    page.wait_for_function(FILLED, timeout=20_000)
    assert page.locator("#wall-page-title").inner_text() == "Overview" and page.locator("#wall-simulated").inner_text() == "SIMULATED DATA"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert watch.errors == [] and watch.foreign == []
    # The content security policy holds in the browser: a script injected into the page does not run.
    assert page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__injected = 1'; document.head.append(s); return window.__injected === undefined; }")
    assert any("Content Security Policy" in e for e in watch.errors)
    page.close()


def _titles(page, count: int, timeout_s: float = 40) -> list[str]:
    seen = [page.locator("#wall-page-title").inner_text()]
    deadline = time.monotonic() + timeout_s
    while len(seen) < count and time.monotonic() < deadline:
        title = page.locator("#wall-page-title").inner_text()
        if title != seen[-1]:
            seen.append(title)
        page.wait_for_timeout(100)
    return seen


def test_playlist_plays_in_order_and_follows_the_configuration(server_factory, browser, tmp_path, artifacts):
    config = tmp_path / "pantau.toml"
    config.write_text(
        '[wall]\nrefresh_every = "1s"\n'
        '[[wall.screens.1]]\npage = "ringkasan"\n[[wall.screens.2]]\npage = "ringkasan"\ndwell = "2s"\n'
        '[[wall.screens.2]]\npage = "spbe"\ndwell = "2s"\n[[wall.screens.2]]\npage = "peta"\ndwell = "2s"\nindikator = "lahir_tercatat_60h"\n'
    )
    server = server_factory(PANTAU_CONFIG=str(config), **HISTORY).start()
    server.wait_for_values()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    watch = Watch(page)
    page.goto(f"{server.url}/wall?screen=2")
    page.wait_for_function(FILLED, timeout=20_000)
    assert _titles(page, 4) == ["Ringkasan", "SPBE", "Peta Kecamatan", "Ringkasan"]
    assert page.locator(".dot").count() == 3 and page.locator(".dot.on").count() == 1
    assert page.locator(".wall-nav").count() == 0  # kiosk chrome is hidden on the wall by default

    # The screen follows an edit of the configuration without anyone touching it.
    time.sleep(1.1)  # a new modification time even on coarse file systems
    config.write_text(config.read_text().replace('page = "spbe"', 'page = "masterplan"'))
    page.wait_for_function("() => document.getElementById('wall-page-title').textContent === 'Masterplan Smart City'", timeout=30_000)
    page.goto(f"{server.url}/wall?screen=2&kiosk=0")
    page.wait_for_function(FILLED, timeout=20_000)
    assert page.locator(".wall-nav a").count() == len(PAGES) + 1
    page.screenshot(path=str(artifacts / "wall-playlist-set-up.png"))
    assert watch.errors == [] and watch.foreign == []
    page.close()


def test_a_stale_source_is_marked_on_its_tiles_and_in_the_alert_strip(server_factory, browser, artifacts):
    server = server_factory(
        PANTAU_WALL__REFRESH_EVERY="1s", PANTAU_SOURCES__PERIZINAN__SCHEDULE="1h",
        PANTAU_SOURCES__PERIZINAN__FRESH_WITHIN="2s", PANTAU_SOURCES__PERIZINAN__STALE_AFTER="6s", **HISTORY,
    ).start()
    server.wait_for_values()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server.url}/wall/layanan")
    tile = page.locator(".tile-body", has_text="Izin diputus tepat waktu")
    page.wait_for_function("() => document.querySelector('.alert-source') && /perizinan basi/.test(document.querySelector('.alert-source').textContent)", timeout=30_000)
    assert "freshness-stale" in tile.get_attribute("class")
    assert "Sumber basi" in tile.inner_text() and "perizinan" in tile.inner_text()
    assert re.search(r"\d", tile.locator(".tile-value").inner_text())  # the last good value stays
    other = page.locator(".tile-body", has_text="Kelahiran tercatat")
    assert "freshness-stale" not in other.get_attribute("class")
    page.screenshot(path=str(artifacts / "wall-stale-source.png"))
    page.close()


def test_a_lost_warehouse_leads_the_alert_strip_and_the_values_stay(server_factory, browser, tmp_path, artifacts):
    data = tmp_path / "data"
    server = server_factory(PANTAU_WALL__REFRESH_EVERY="1s", PANTAU_WAREHOUSE__PATH=str(data / "pantau.duckdb")).start()
    server.wait_for_values()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    watch = Watch(page)
    page.goto(f"{server.url}/wall/layanan?lang=en")
    page.wait_for_function(FILLED, timeout=30_000)
    shutil.rmtree(data)
    page.wait_for_function("() => document.querySelector('#wall-alerts .alert')?.classList.contains('alert-warehouse')", timeout=30_000)
    first = page.locator("#wall-alerts .alert").first
    assert first.inner_text() == "Warehouse file gone: loads stopped"
    assert page.evaluate("(e => e.scrollWidth <= e.clientWidth)(document.querySelector('#wall-alerts .alert'))")  # said whole, not cut
    assert page.evaluate(FILLED)  # the last values stay on screen
    page.screenshot(path=str(artifacts / "wall-warehouse-missing.png"))
    assert watch.errors == [] and watch.foreign == []
    page.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_server_restart_is_survived_without_a_reload(server_factory, browser):
    port = _free_port()
    server = server_factory(PANTAU_WALL__REFRESH_EVERY="1s", **HISTORY).start(port=port)
    server.wait_for_values()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server.url}/wall/ringkasan")
    page.wait_for_function(FILLED, timeout=20_000)
    page.evaluate("window.__notReloaded = true")
    server.stop()
    page.wait_for_timeout(3000)  # refreshes fail meanwhile; the page keeps its last good values
    assert page.evaluate(FILLED)
    server.start(port=port)
    with page.expect_response(lambda r: "/_dash-update-component" in r.url and r.status == 200, timeout=30_000):
        pass
    assert page.evaluate("window.__notReloaded === true") and page.evaluate(FILLED)
    assert page.locator("#wall-page-title").inner_text() == "Ringkasan"
    page.close()


def test_a_hidden_wall_stops_refreshing_and_catches_up_when_shown_and_reloads_on_schedule(server_factory, browser):
    server = server_factory(PANTAU_WALL__REFRESH_EVERY="1s", PANTAU_WALL__RELOAD_EVERY="8s", **HISTORY).start()
    server.wait_for_values()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    refreshes: list[float] = []
    page.on("request", lambda r: "/_dash-update-component" in r.url and refreshes.append(time.monotonic()))
    page.goto(f"{server.url}/wall/ringkasan")
    page.wait_for_function(FILLED, timeout=20_000)
    page.evaluate("window.__sameDocument = true")

    def visibility(hidden: bool) -> None:
        page.evaluate(f"Object.defineProperty(document, 'hidden', {{value: {str(hidden).lower()}, configurable: true}});"
                      "document.dispatchEvent(new Event('visibilitychange'))")

    visibility(True)
    page.wait_for_timeout(500)
    hidden_at = time.monotonic()
    page.wait_for_timeout(3500)
    assert [t for t in refreshes if t > hidden_at] == []  # nothing asked while nobody can see it
    assert page.evaluate("window.__sameDocument === true")  # and no scheduled reload of a hidden page either
    shown_at = time.monotonic()
    visibility(False)
    page.wait_for_timeout(800)
    assert [t for t in refreshes if t > shown_at]  # caught up at once, not on the next tick

    # Memory hygiene: the page reloads itself on schedule (the server answers), and paints its values again.
    page.wait_for_function("() => window.__sameDocument !== true", timeout=20_000)
    page.wait_for_function(FILLED, timeout=20_000)
    page.close()
