"""/status in a real Chromium against a real server: an operator signs in, sees a failed source with its error,
uploads an SPBE self-assessment, checks its preview, loads it and sees the new index; a second upload is cancelled;
an admin sees the load in the audit trail; a viewer sees the page without action buttons. Screenshots at 1920x1080 and 1366x768; no
console error and nothing fetched off 127.0.0.1. One server for the module."""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
from collections.abc import Iterator

import pytest

from region.paths import PROJECT_ROOT
from support.serverproc import ServerProcess
from tests.integration.dashboard.test_status_routes import CONFIG, DEAD_PORT, assessment

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PORT = 8251  # within this page's range
PASSWORD = "rahasia-sekali"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    work = tmp_path_factory.mktemp("status-browser")
    drop = work / "spbe"
    drop.mkdir()
    (drop / "spbe_penilaian_mandiri_2025.csv").write_bytes(assessment(2025, 3))
    config = work / "pantau.toml"
    config.write_text(CONFIG.format(port=DEAD_PORT, folder=drop), encoding="utf-8")
    served = ServerProcess(work, PANTAU_CONFIG=str(config))
    for name, role in (("pemirsa", "viewer"), ("operator", "operator"), ("admin", "admin")):
        added = subprocess.run([sys.executable, str(PROJECT_ROOT / "app.py"), "user", "add", name, "--role", role, "--password-stdin"],
                               input=PASSWORD + "\n", env=served.env, capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)
        assert added.returncode == 0, added.stderr
    served.start(port=PORT)
    try:
        assert served.run_cli("ingest", "aduan").returncode == 1  # through the server: its run log holds the failure
        assert served.run_cli("ingest", "spbe").returncode == 0
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium")
        yield chromium
        chromium.close()


class Watched:
    """A page whose console errors and off-machine requests are kept, to assert none happened."""

    def __init__(self, page) -> None:
        self.page, self.errors, self.outside = page, [], []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: self.outside.append(r.url) if urllib.parse.urlsplit(r.url).hostname not in ("127.0.0.1", None) else None)

    def clean(self) -> None:
        assert not self.errors and not self.outside, (self.errors, self.outside)


def signed_in(browser, server: ServerProcess, name: str, width: int = 1920, height: int = 1080) -> Watched:
    """A page of its own browser context, signed in as `name` through /masuk, on /status."""
    watched = Watched(browser.new_context(viewport={"width": width, "height": height}).new_page())
    page = watched.page
    page.goto(f"{server.url}/status")
    assert "/masuk" in page.url  # anonymous: to the sign-in page and back
    page.fill("#nama", name)
    page.fill("#sandi", PASSWORD)
    page.press("#sandi", "Enter")
    page.wait_for_url(f"{server.url}/status")
    return watched


def test_an_operator_sees_the_failure_uploads_previews_loads_and_cancels(server, browser, artifacts):
    watched = signed_in(browser, server, "operator")
    page = watched.page
    failed = page.locator("#sumber-aduan")
    assert "Sumber gagal" in failed.inner_text() and "Connection refused" in failed.inner_text()
    page.screenshot(path=str(artifacts / "status-1920x1080.png"))

    page.click("#sumber-spbe th a")
    page.set_input_files("#berkas", files=[{"name": "penilaian 2026.csv", "mimeType": "text/csv", "buffer": assessment(2026, 4)}])
    page.click("form.upload button")
    page.wait_for_selector("#reconciliation")
    assert "dibaca 47 = dimuat 47 + ditolak 0 + dilewati 0" in page.inner_text("#reconciliation")
    assert "Indeks SPBE 2026 jika dimuat: 4,00" in page.inner_text("#spbe-preview")
    page.click("form[action$='/muat'] button")
    page.wait_for_selector(".message")
    assert "Unggahan dimuat" in page.inner_text(".message")
    assert "4,00" in page.inner_text("#spbe-2026")
    loaded_id = page.url.split("load=")[1].split("&")[0]

    page.set_input_files("#berkas", files=[{"name": "penilaian 2027.csv", "mimeType": "text/csv", "buffer": assessment(2027, 5)}])
    page.click("form.upload button")
    page.wait_for_selector("#reconciliation")
    page.click("form[action$='/batal'] button")
    page.wait_for_selector(".message")
    assert "dibatalkan" in page.inner_text(".message") and page.locator("#spbe-2027").count() == 0
    assert not list((server.workdir / ".unggahan").glob("*"))
    watched.clean()

    admin = signed_in(browser, server, "admin")
    admin.page.click("text=Jejak audit")
    admin.page.select_option("#tindakan", "upload.load")
    admin.page.click(".filters button")
    row = admin.page.locator("table.audit tbody tr").first.inner_text()
    assert "operator" in row and "upload.load" in row and loaded_id in row
    admin.page.screenshot(path=str(artifacts / "status-audit-1920x1080.png"))
    admin.clean()

    small = signed_in(browser, server, "operator", 1366, 768)
    small.page.screenshot(path=str(artifacts / "status-1366x768.png"))
    small.clean()



def test_a_viewer_sees_the_page_without_action_buttons(server, browser):
    watched = signed_in(browser, server, "pemirsa")
    page = watched.page
    assert "Sumber gagal" in page.inner_text("#sumber-aduan")
    assert page.locator("form[action$='/muat'] button").count() == 0 and page.locator("#berkas").count() == 0
    watched.clean()
