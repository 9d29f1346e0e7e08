"""The analysis page in a real Chromium against a real server on a loaded warehouse of simulated sources: every
control changes the view and the URL, keyboard only; a drill-down's counts are the figure's numerator and
denominator; a copied URL reopens the same view; back and forward restore views; a bad parameter is named; no
console error and nothing fetched off 127.0.0.1. Records show to an analyst signed in once for the module (the
others reuse the cookie); signed out, a drill-down shows its counts and a sign-in link, no rows. One server for the
module, few page loads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator

import pytest

from region.paths import PROJECT_ROOT
from support.serverproc import ServerProcess
from tests.browser.test_wall import Watch

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PORT = int(os.environ.get("PANTAU_TEST_ANALISIS_PORT", "8151"))  # a port of its own: other test modules may serve beside it
PASSWORD = "rahasia-analis-1"
SHOWN = "#analisis-value"
RECORD_ROWS = "#analisis-records tr:has(td.dash-cell)"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    served = ServerProcess(tmp_path_factory.mktemp("analisis"))
    made = subprocess.run([sys.executable, str(PROJECT_ROOT / "app.py"), "user", "add", "analis", "--role", "analyst", "--password-stdin"],
                          input=PASSWORD + "\n", env=served.env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    served.start(port=PORT)
    try:
        served.wait_for_values()
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def signed_in(server, browser) -> dict:
    """The cookies of an analyst signed in once at /masuk, for every context that should see records."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{server.url}/masuk?lanjut=/analisis")
    page.fill("#nama", "analis")
    page.fill("#sandi", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/analisis**")
    state = context.storage_state()
    context.close()
    return state


def _args(page) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))


def _settled(page, timeout: int = 20_000) -> None:
    """Wait until the view shows the state its URL names (no callback pending)."""
    try:
        page.wait_for_selector(SHOWN, timeout=timeout)
        page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=timeout)
    except Exception:
        loading = page.evaluate("[...document.querySelectorAll('[data-dash-is-loading=\"true\"]')].map(e => e.id || e.className)")
        raise AssertionError(f"not settled at {page.url}: loading {loading}; message {page.inner_text('#analisis-message')!r}") from None


def _wait_arg(page, name: str, value: str | None, timeout: int = 20_000) -> None:
    page.wait_for_function(
        "([n, v]) => new URLSearchParams(location.search).get(n) === v", arg=[name, value], timeout=timeout)
    _settled(page)


def _choose(page, control: str, text: str) -> None:
    """Pick an option of a dropdown with the keyboard only: focus, open, search (typed), arrow to it, Enter."""
    page.focus(f"#{control}")
    page.keyboard.press("Enter")
    page.wait_for_selector(".dash-dropdown-content [role=option]")
    search = page.locator(".dash-dropdown-content input.dash-dropdown-search")
    if search.count():
        search.focus()
        page.keyboard.type(text)
    option = page.locator(".dash-dropdown-content [role=option]", has_text=text).first
    option.wait_for()
    for _ in range(60):  # arrows until the option wanted has the focus
        if option.evaluate("o => o.contains(document.activeElement)"):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def _radio(page, group: str, value: str) -> None:
    """Pick a radio button with the keyboard only: focus the group's checked one, arrow to `value`."""
    page.locator(f"#{group} input:checked").focus()
    for _ in range(6):
        if page.evaluate("v => document.activeElement.value === v", value):
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")


def test_every_control_changes_the_view_and_the_url_by_keyboard(server, browser, artifacts):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{server.url}/analisis")
    _settled(page)
    # Without an indicator: the first wall indicator, named in the URL.
    assert _args(page)["indikator"] == "izin_tepat_waktu"
    assert page.evaluate("document.documentElement.lang") == "id"
    assert page.locator("#analisis-simulated").inner_text() == "DATA SIMULASI"
    assert re.search(r"\d", page.inner_text(SHOWN)) and "Target" in page.inner_text(SHOWN)
    assert page.locator("#analisis-seri .scatterlayer .point").count() > 5  # the series is drawn
    assert page.locator("#analisis-seri-box").is_visible() and not page.locator("#analisis-rincian-box").is_visible()

    _choose(page, "analisis-rinci", "Kecamatan")
    _wait_arg(page, "rinci", "kode_kecamatan")
    page.wait_for_selector("#analisis-rincian .barlayer .point path")  # Plotly draws once the callback has answered
    assert page.locator("#analisis-rincian .barlayer .point path").count() >= 10 and page.locator("#analisis-peta-box").is_visible()
    assert page.locator("#analisis-table tbody tr").count() >= 10
    first_member = page.locator("#analisis-table tbody th").first.inner_text()

    before = page.inner_text("#analisis-period")
    _choose(page, "analisis-periode", "Bulan lalu")
    _wait_arg(page, "periode", "bulan_lalu")
    assert page.inner_text("#analisis-period") != before and _args(page)["rinci"] == "kode_kecamatan"

    _radio(page, "analisis-satuan", "minggu")
    _wait_arg(page, "satuan", "minggu")
    _radio(page, "analisis-banding", "sebelumnya")
    _wait_arg(page, "banding", "sebelumnya")
    assert "dibanding" in page.inner_text("#analisis-change")

    # A filter of the breakdown's column, chosen by name.
    page.focus("[id*='analisis-filter'] button, #analisis-filters button")
    page.keyboard.press("Enter")
    option = page.locator(".dash-dropdown-content [role=option]", has_text=first_member).first
    option.click()  # the list is long; the keyboard path is covered by the dropdowns above
    page.keyboard.press("Escape")
    page.wait_for_function("() => new URLSearchParams(location.search).get('f_kode_kecamatan')")
    _settled(page)
    # The table of numbers follows the filter: one kecamatan left (drawn once the view's answer has come).
    page.wait_for_function("() => document.querySelectorAll('#analisis-table tbody tr').length === 1")

    _choose(page, "analisis-periode", "Rentang tanggal")
    _wait_arg(page, "periode", "rentang")
    page.wait_for_selector("#analisis-rentang", state="visible")  # the date pickers show once the view has the range
    assert _args(page)["dari"] <= _args(page)["sampai"]

    # Another indicator keeps period, grain and comparison, and drops breakdown and filters.
    _choose(page, "analisis-indikator", "Aduan diverifikasi")
    page.wait_for_function("() => new URLSearchParams(location.search).get('indikator') !== 'izin_tepat_waktu'")
    _settled(page)
    args = _args(page)
    assert args["indikator"].startswith("aduan") and "rinci" not in args and not any(k.startswith("f_") for k in args)
    assert args["periode"] == "rentang" and args["banding"] == "sebelumnya"
    page.locator("#analisis-definition summary").click()
    assert "SELECT" in page.inner_text("#analisis-sql")
    page.screenshot(path=str(artifacts / "analisis-controls-1366x768.png"), full_page=True)
    assert watch.errors == [] and watch.foreign == []
    context.close()


def _click(page, mark) -> None:
    """Click a Plotly mark where it is drawn (Plotly listens on the layer above the marks)."""
    page.wait_for_timeout(200)  # after the page's own scroll to opened records
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # Plotly finds the point under the pointer on a move; the click then names it
    page.wait_for_timeout(150)
    page.mouse.click(x, y)


def _number(text: str) -> int:
    return int(text.replace(".", "").replace(",", "").strip())


def test_drill_down_counts_share_back_forward_and_bad_urls(server, browser, signed_in, artifacts):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, storage_state=signed_in)
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{server.url}/analisis?indikator=izin_tepat_waktu&rinci=kode_kecamatan")
    _settled(page)
    view = page.url
    # Click the bottom bar (the worst member): its records open, and their counts are its numerator and denominator.
    row = page.locator("#analisis-table tbody tr").last
    name, numerator, denominator = row.locator("th").inner_text(), _number(row.locator("td").nth(1).inner_text()), _number(row.locator("td").nth(2).inner_text())
    bars = page.locator("#analisis-rincian .barlayer .point path")
    _click(page, bars.nth(0))  # Plotly draws the last member's bar first (at the bottom)
    page.wait_for_selector("#analisis-drill:not([hidden])")
    _settled(page)
    args = _args(page)
    assert args["rekaman"] == "1" and args["anggota"]
    assert name in page.inner_text("#analisis-drill-title")
    parts = page.inner_text("#analisis-bagian")
    counted = _number(re.search(r"dihitung \(([\d.]+)\)", parts).group(1))
    every = _number(re.search(r"Semua \(([\d.]+)\)", parts).group(1))
    other = _number(re.search(r"tidak \(([\d.]+)\)", parts).group(1))
    assert (counted, every, counted + other) == (numerator, denominator, denominator)
    assert page.locator(RECORD_ROWS).count() == min(denominator, 50)
    drilled = page.url

    _radio(page, "analisis-bagian", "lainnya")
    _wait_arg(page, "bagian", "lainnya")
    assert other > 0 and page.locator(RECORD_ROWS).count() == min(other, 50)
    page.locator("#analisis-records .column-header--sort").first.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('urut')")
    _settled(page)
    sorted_view = page.url
    page.screenshot(path=str(artifacts / "analisis-drill-1920x1080.png"), full_page=True)

    # Back and forward restore the views, drill-down included.
    page.go_back()
    _wait_arg(page, "urut", None)
    assert _args(page)["bagian"] == "lainnya"
    page.go_back()
    _wait_arg(page, "bagian", None)
    assert page.url == drilled and page.locator("#analisis-bagian input:checked").get_attribute("value") == "semua"
    page.go_back()
    _wait_arg(page, "rekaman", None)
    page.wait_for_selector("#analisis-drill[hidden]", state="attached")  # the view follows the URL it was sent back to
    assert page.url == view
    page.go_forward()
    _wait_arg(page, "rekaman", "1")
    page.wait_for_selector("#analisis-drill:not([hidden])")

    # A point of the series opens that day's records; a kecamatan on the map opens its records.
    _click(page, page.locator("#analisis-seri .scatterlayer .point").nth(2))
    page.wait_for_function("() => new URLSearchParams(location.search).get('titik')")
    _settled(page)
    assert "anggota" not in _args(page)
    page.wait_for_selector("#analisis-drill:not([hidden])")
    _click(page, page.locator("#analisis-peta .scatterlayer .point").first)
    page.wait_for_function("() => new URLSearchParams(location.search).get('anggota')")
    _settled(page)
    assert "titik" not in _args(page)

    # The copied URL opens the same view in another browser.
    other_context = browser.new_context(viewport={"width": 1366, "height": 768}, storage_state=signed_in)
    shared = other_context.new_page()
    shared_watch = Watch(shared)
    shared.goto(sorted_view)
    _settled(shared)
    shared.wait_for_selector("#analisis-drill:not([hidden])")
    assert shared.url == sorted_view
    assert shared.locator("#analisis-bagian input:checked").get_attribute("value") == "lainnya"
    assert name in shared.inner_text("#analisis-drill-title")
    assert shared.locator("#analisis-records .column-header--sort").count() > 0
    assert shared_watch.errors == [] and shared_watch.foreign == []
    other_context.close()

    # A bad parameter is named, in words.
    page.goto(f"{server.url}/analisis?indikator=izin_tepat_waktu&periode=minggu_depan")
    page.wait_for_selector(".a-message:not(:empty)")
    assert "'periode'" in page.inner_text("#analisis-message") and "Traceback" not in page.content()
    page.goto(f"{server.url}/analisis?indikator=tidak_ada&lang=en")
    page.wait_for_selector(".a-message:not(:empty)")
    assert "Parameter 'indikator'" in page.inner_text("#analisis-message")
    assert watch.errors == [] and watch.foreign == []
    context.close()


def test_a_wall_tile_links_to_its_indicator_here(server, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server.url}/wall/layanan")
    page.wait_for_selector(".tile-link")
    href = page.locator(".tile-link").first.get_attribute("href")
    assert href.startswith("/analisis?indikator=")
    page.close()


def test_each_export_link_downloads_a_file_that_says_what_it_is(server, browser, signed_in, tmp_path):
    """The page's links download with the view's state: a PNG of the map, the breakdown as CSV, the records as XLSX."""
    import csv
    import io
    import struct

    import openpyxl

    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, storage_state=signed_in)
    page = context.new_page()
    page.goto(f"{server.url}/analisis?indikator=izin_tepat_waktu&periode=kuartal_ini&rinci=kode_kecamatan&anggota=13.05.01&rekaman=1")
    _settled(page)
    page.wait_for_selector("#analisis-drill:not([hidden])")
    _settled(page)
    shown = _number(re.search(r"Semua \(([\d.]+)\)", page.inner_text("#analisis-bagian")).group(1))  # as the page counts them

    def download(href_part: str) -> bytes:
        with page.expect_download() as started:
            page.locator(f"#analisis-exports a[href*='{href_part}']").first.click()
        path = tmp_path / started.value.suggested_filename
        started.value.save_as(path)
        assert started.value.suggested_filename.startswith("pantau-izin_tepat_waktu-")
        return path.read_bytes()

    png = download("grafik.png?")
    width, height = struct.unpack(">II", png[16:24])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and width == 3200 and height > 2000
    table = list(csv.reader(io.StringIO(download("data.csv?").decode("utf-8-sig")), delimiter=";"))
    assert len(table) - 1 == 17  # every kecamatan of the regency
    book = openpyxl.load_workbook(io.BytesIO(download("rekaman.xlsx?")), read_only=True)
    rows = list(book["Data"].iter_rows(values_only=True))
    assert len(rows) - 1 == shown and book.sheetnames[-1] == "Info"
    context.close()


def test_records_show_masked_to_an_analyst_and_signed_out_only_counts_and_a_sign_in_link(server, browser, signed_in, artifacts):
    view = f"{server.url}/analisis?indikator=absensi_kehadiran&periode=30_hari&rekaman=1"
    context = browser.new_context(viewport={"width": 1366, "height": 768}, storage_state=signed_in)
    page = context.new_page()
    watch = Watch(page)
    page.goto(view)
    page.wait_for_selector("#analisis-drill:not([hidden])")
    _settled(page)
    page.wait_for_selector(RECORD_ROWS)
    keys = page.locator("#analisis-records td.dash-cell[data-dash-column=kunci]").all_inner_texts()
    assert keys and all(re.fullmatch(r"•+\d{4}\|\d{4}-\d{2}-\d{2}", k) for k in keys), keys[:3]
    assert "(disamarkan)" in page.inner_text("#analisis-records") and page.locator("#analisis-exports a[href*='rekaman.csv']").count() == 1
    counts = page.inner_text("#analisis-drill-counts")
    page.screenshot(path=str(artifacts / "analisis-records-analyst-1366x768.png"), full_page=True)
    assert watch.errors == [] and watch.foreign == []
    context.close()

    anonymous = browser.new_context(viewport={"width": 1366, "height": 768})
    page = anonymous.new_page()
    watch = Watch(page)
    page.goto(view)
    page.wait_for_selector("#analisis-drill:not([hidden])")
    _settled(page)
    page.wait_for_selector(".a-signin-note")
    assert page.inner_text("#analisis-drill-counts") == counts and re.search(r"Semua \(\d", page.inner_text("#analisis-bagian"))
    assert page.locator(RECORD_ROWS).count() == 0 and page.locator("#analisis-exports a[href*='rekaman.']").count() == 0
    link = page.locator(".a-signin-link").get_attribute("href")
    assert urllib.parse.unquote(link) == "/masuk?lanjut=" + view.removeprefix(server.url)
    page.screenshot(path=str(artifacts / "analisis-records-signed-out-1366x768.png"), full_page=True)
    assert watch.errors == [] and watch.foreign == []
    anonymous.close()
