"""The deck as a PDF: headless Chromium prints the print page (one 1280×720 px page per slide) over DevTools.

Why Chromium: the slides on screen are Chromium's layout, so the PDF is that same layout, with charts as vectors
and text selectable. WeasyPrint 70 ignores CSS it lacks (grid `repeat(auto-fit, …)`) with only a warning, and a
slide then spills onto extra pages. Why over DevTools and not `chromium --print-to-pdf`, which is as fast: the
command line prints whatever it has. A font file that fails to load comes out as a host font (DejaVu Serif, say)
without a word, and any URL in the page is fetched. Here every declared font is loaded and checked before
printing (a missing one is an error), and the page is served from memory: every other request is refused.

Each call starts a fresh browser with a fresh profile in a private temporary folder; it sees only the fonts under
`assets`, never the host's. Launch and print take about a second; one render at a time per process.

The same browser, page and checks also take a PNG screenshot (`screenshot_png`): an exported chart's picture is
the very page its PDF prints, so both show one layout.
"""

from __future__ import annotations

import atexit
import base64
import fcntl
import json
import mimetypes
import os
import select
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from metrics.slots import Slots

if TYPE_CHECKING:
    from dashboard.paparan.model import Deck

__all__ = ["PdfBusy", "PdfFailed", "PdfTimeout", "close_kept_browser", "deck_pdf", "print_pdf", "screenshot_png"]

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio", "--hide-scrollbars")
# The page's address: a name that never resolves (RFC 6761); its requests are answered from memory and `assets`.
ORIGIN = "http://paparan.invalid/"
# A PDF costs a core for a second: many clients at once must not fork many browsers, nor hold every server thread
# waiting for the one browser (one render, one more in line, anyone else refused at once).
_ONE_AT_A_TIME = Slots(running=1, waiting=1)
# The browser's fontconfig knows only the fonts under `assets`: the host's fonts never reach a PDF. (With no fonts
# at all Chromium 156 fails to load even the page's own @font-face fonts.)
_FONTCONFIG = '<?xml version="1.0"?><fontconfig><dir>{}</dir><cachedir>{}</cachedir></fontconfig>'
# Every declared face is loaded, used or not, so a missing font file is an error here and not a gap in the PDF.
_FONTS_LOADED = ("Promise.allSettled([...document.fonts].map(f => f.load())).then(() => document.fonts.ready)"
                 ".then(() => [...document.fonts].filter(f => f.status !== 'loaded').map(f => `${f.family} ${f.weight}`))")


class PdfFailed(RuntimeError):
    """The PDF could not be made; the message says why in Indonesian, for the person who asked for it."""


class PdfTimeout(PdfFailed):
    """The browser took longer than allowed and was stopped."""


class PdfBusy(PdfFailed):
    """Another PDF was being made for the whole wait."""


def deck_pdf(deck: Deck, theme: str = "terang", *, timeout: float = 60.0) -> bytes:
    """A deck's PDF in `theme` ("terang" or "gelap"): its print page, printed by `print_pdf`."""
    from dashboard.paparan import render

    # "." keeps the page's asset URLs relative, so they are answered from render.STATIC.
    return print_pdf(render.print_page(deck, theme, asset_base="."), render.STATIC, timeout=timeout)


def print_pdf(html: str, assets: Path, *, title: str | None = None, timeout: float = 60.0, warm: bool = False) -> bytes:
    """Print a print page to PDF bytes, one PDF page per CSS page (`@page { size: 1280px 720px; margin: 0 }`).

    Args:
        html: the whole document. It is served as `/index.html`; other URLs, relative or starting with `/`,
            are files under `assets` (`fonts/DejaVuSans.ttf`); any other URL is refused.
        assets: the folder those files are in, e.g. `dashboard/paparan/static`.
        title: the PDF's Title; None keeps the document's <title>.
        timeout: seconds for the whole render, browser start included; also the longest wait for a render
            that is already running.
        warm: render in the kept browser (started by the first such call, closed after WARM_IDLE seconds unused)
            instead of a fresh one: about half a second less a render. Each render still gets a fresh browser
            context (no cache, cookies or storage from the one before); a render that fails or times out stops
            the kept browser.

    Returns:
        The PDF file's bytes.

    Raises:
        PdfFailed: Chromium is not installed, or the page or one of its fonts did not load; PdfTimeout and PdfBusy
            are kinds of it.
    """
    return _with_browser(html, assets, timeout, "PDF", lambda tools: tools.print(title), warm)


def screenshot_png(html: str, assets: Path, width: int, height: int, *, scale: float = 2.0, timeout: float = 60.0,
                   warm: bool = False) -> bytes:
    """A PNG of a page's top left `width` x `height` CSS pixels, laid out in a window of that size.

    The page is served and checked as `print_pdf` serves and checks it (every font loaded, nothing fetched).

    Args:
        html: the whole document, as for `print_pdf`.
        assets: the folder its files are in.
        width: the window's and the picture's width in CSS pixels.
        height: the window's and the picture's height in CSS pixels.
        scale: device pixels per CSS pixel: the PNG is `width * scale` x `height * scale` pixels.
        timeout: seconds for the whole render, as for `print_pdf`.
        warm: in the kept browser, as for `print_pdf`.

    Returns:
        The PNG file's bytes.

    Raises:
        PdfFailed: as for `print_pdf` (PdfTimeout and PdfBusy are kinds of it).
    """
    return _with_browser(html, assets, timeout, "gambar PNG", lambda tools: tools.screenshot(width, height, scale), warm)


def _with_browser(html: str, assets: Path, timeout: float, made: str, action: Callable[[_DevTools], bytes], warm: bool = False) -> bytes:
    """Run `action` on the page, one render at a time, in a fresh browser or the kept one; `made` names the file ("PDF")."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise PdfFailed(f"Chromium tidak ditemukan, jadi {made} tidak dapat dibuat. Pasang paket Debian `chromium` "
                       "(sudo apt-get install chromium) di server ini, lalu coba lagi.")
    if not _ONE_AT_A_TIME.acquire(timeout=timeout):
        raise PdfBusy(f"{made} lain sedang dibuat; coba lagi sebentar lagi.")
    try:
        files, deadline = _Files(html.encode(), Path(assets).resolve()), time.monotonic() + timeout
        browser = _KEPT.take(files.assets) if warm else None
        try:
            if browser is None:
                browser = _Browser(chromium, files.assets)
            result = action(browser.tools(files, deadline, kept=warm))
        except TimeoutError:
            warm = False  # a browser that failed once is not trusted with the next render
            raise PdfTimeout(f"Chromium tidak selesai membuat {made} dalam {timeout:g} detik dan dihentikan.") from None
        except BaseException:
            warm = False
            raise
        finally:
            if browser is not None:
                if warm:
                    _KEPT.keep(browser)
                else:
                    browser.stop()
        return result
    finally:
        _ONE_AT_A_TIME.release()


def close_kept_browser() -> None:
    """Stop the kept browser now, if there is one (at exit, and in tests); a render still running keeps it."""
    if _ONE_AT_A_TIME.acquire(timeout=10):
        try:
            _KEPT.close()
        finally:
            _ONE_AT_A_TIME.release()


class _Files:
    """What the page may load: itself, and files inside `assets` (never outside it, whatever `..` the URL holds)."""

    def __init__(self, html: bytes, assets: Path) -> None:
        self.html, self.assets = html, assets

    def get(self, url: str) -> tuple[bytes, str] | None:
        if not url.startswith(ORIGIN):
            return None
        path = unquote(urlsplit(url).path).lstrip("/")
        if path == "index.html":
            return self.html, "text/html; charset=utf-8"
        file = (self.assets / path).resolve()
        if not file.is_relative_to(self.assets) or not file.is_file():
            return None
        return file.read_bytes(), mimetypes.guess_type(file.name)[0] or "application/octet-stream"


class _Browser:
    """A Chromium of our own: its profile and fontconfig in a private temporary folder, DevTools on a pipe."""

    def __init__(self, chromium: str, assets: Path) -> None:
        self.assets, self.used = assets, time.monotonic()
        self.tmp = Path(tempfile.mkdtemp(prefix="pantau-pdf-"))
        (self.tmp / "fonts.conf").write_text(_FONTCONFIG.format(escape(str(assets)), self.tmp / "fontcache"), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(self.tmp / "fonts.conf"), "HOME": str(self.tmp)}
        # --remote-debugging-pipe speaks DevTools on the browser's fds 3 (commands in) and 4 (replies out). The
        # browser's ends go above 9 first: were one of them 3 or 4 already, the other's dup2 would overwrite it.
        browser_in, self.to_browser = os.pipe()
        self.from_browser, browser_out = os.pipe()
        browser_in, browser_out = _above_stdio(browser_in), _above_stdio(browser_out)
        args = [chromium, *FLAGS, f"--user-data-dir={self.tmp / 'profile'}", "--remote-debugging-pipe", "about:blank"]
        # Its own process group, so that the browser's helpers (zygote, renderer, crashpad) are stopped with it.
        self.pid = os.posix_spawn(chromium, args, env, setpgroup=0, file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0), (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, browser_in, 3), (os.POSIX_SPAWN_DUP2, browser_out, 4)])
        os.close(browser_in)
        os.close(browser_out)
        self.client: _DevTools | None = None

    def tools(self, files: _Files, deadline: float, kept: bool) -> _DevTools:
        """The DevTools client for one render: its page's files and deadline; `kept` keeps the browser open after."""
        if self.client is None:
            self.client = _DevTools(self.to_browser, self.from_browser, deadline, files)
        self.client.files, self.client.deadline, self.client.kept, self.client.events = files, deadline, kept, []
        self.used = time.monotonic()
        return self.client

    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def stop(self) -> None:
        if self.client is not None and self.client.kept:
            try:  # a kept browser was not asked to close after its last render
                self.client.deadline = time.monotonic() + 1
                self.client.send("Browser.close", {}, session=None)
            except (OSError, TimeoutError):
                pass
        os.close(self.to_browser)
        os.close(self.from_browser)
        _stop(self.pid)
        shutil.rmtree(self.tmp, ignore_errors=True)


WARM_IDLE = 60.0  # seconds the kept browser waits for another render before it is closed


class _Kept:
    """The one kept browser, and the timer that closes it once unused for WARM_IDLE seconds. Used under the lock."""

    def __init__(self) -> None:
        self.browser: _Browser | None = None
        self.timer: threading.Timer | None = None

    def take(self, assets: Path) -> _Browser | None:
        browser, self.browser = self.browser, None
        if browser is not None and (browser.assets != assets or not browser.alive()):
            browser.stop()
            browser = None
        return browser

    def keep(self, browser: _Browser) -> None:
        self.browser = browser
        if self.timer is not None:
            self.timer.cancel()
        self.timer = threading.Timer(WARM_IDLE, self._expire)
        self.timer.daemon = True
        self.timer.start()

    def _expire(self) -> None:
        if _ONE_AT_A_TIME.acquire(blocking=False):  # else a render is running, and keeps or stops it when done
            try:
                if self.browser is not None and time.monotonic() - self.browser.used >= WARM_IDLE - 0.5:
                    self.close()
            finally:
                _ONE_AT_A_TIME.release()

    def close(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        if self.browser is not None:
            self.browser.stop()
            self.browser = None


_KEPT = _Kept()
atexit.register(close_kept_browser)


def _above_stdio(fd: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def _stop(pid: int) -> None:
    """Give the browser two seconds to close by itself, then kill its whole process group."""
    end = time.monotonic() + 2
    while time.monotonic() < end and os.waitpid(pid, os.WNOHANG) == (0, 0):
        time.sleep(0.02)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # it had closed and was reaped above
        pass


class _DevTools:
    """Just enough of the DevTools protocol over the pipe: one command at a time, events handled while waiting."""

    def __init__(self, write_fd: int, read_fd: int, deadline: float, files: _Files) -> None:
        self.write_fd, self.read_fd, self.deadline, self.files = write_fd, read_fd, deadline, files
        self.buffer, self.next_id, self.session, self.context, self.kept = b"", 0, None, None, False
        self.events: list[str] = []
        os.set_blocking(write_fd, False)

    def open(self, window: tuple[int, int, float] | None = None) -> None:
        """Open the page, in a window of (width, height, device scale) where given, and wait for it and its fonts."""
        # A browser context of its own: a render sees no cache, cookie or storage of the one before it.
        self.context = self.call("Target.createBrowserContext", disposeOnDetach=True)["browserContextId"]
        target = self.call("Target.createTarget", url="about:blank", browserContextId=self.context)["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        if window is not None:
            width, height, scale = window
            self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=scale, mobile=False)
        self.call("Fetch.enable", patterns=[{"urlPattern": "*"}])
        self.call("Page.enable")
        navigated = self.call("Page.navigate", url=ORIGIN + "index.html")
        if navigated.get("errorText"):
            raise PdfFailed(f"Halaman cetak tidak dapat dibuka: {navigated['errorText']}.")
        self.wait_for("Page.loadEventFired")
        missing = self.evaluate(_FONTS_LOADED)
        if missing:
            raise PdfFailed(f"Huruf tidak dapat dimuat untuk PDF: {', '.join(missing)}. Periksa berkas huruf di folder aset.")

    def close(self) -> None:
        """After a render: its context is thrown away; a browser that is not kept is asked to close."""
        self.session = None
        if self.kept:
            self.call("Target.disposeBrowserContext", browserContextId=self.context)
        else:
            self.send("Browser.close", {})

    def print(self, title: str | None) -> bytes:
        self.open()
        if title is not None:
            self.evaluate(f"document.title = {json.dumps(title)}")
        pdf = self.call("Page.printToPDF", printBackground=True, preferCSSPageSize=True, displayHeaderFooter=False,
                        generateTaggedPDF=True, generateDocumentOutline=True)
        self.close()
        return base64.b64decode(pdf["data"])

    def screenshot(self, width: int, height: int, scale: float) -> bytes:
        self.open((width, height, scale))
        # Two animation frames after load: the page has been laid out and painted at least once.
        self.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))")
        png = self.call("Page.captureScreenshot", format="png", fromSurface=True, captureBeyondViewport=False,
                        clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})
        self.close()
        return base64.b64decode(png["data"])

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise PdfFailed(f"Halaman cetak gagal dijalankan: {result['exceptionDetails'].get('text', '')}.")
        return result["result"].get("value")

    def call(self, method: str, **params) -> dict:
        sent = self.send(method, params)
        while True:
            reply = self.receive()
            if reply.get("id") == sent:
                if "error" in reply:
                    raise PdfFailed(f"Chromium menolak {method}: {reply['error'].get('message', reply['error'])}.")
                return reply.get("result", {})

    def send(self, method: str, params: dict, session: str | None = None) -> int:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session or self.session:
            message["sessionId"] = session or self.session
        data = memoryview(json.dumps(message).encode() + b"\0")
        # A font is a megabyte: written in pieces as the browser reads them, so a stuck browser meets the deadline too.
        while data:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([], [self.write_fd], [], left)[1]:
                raise TimeoutError
            data = data[os.write(self.write_fd, data):]
        return self.next_id

    def wait_for(self, event: str) -> None:
        while event not in self.events:
            self.receive()

    def receive(self) -> dict:
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([self.read_fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise PdfFailed("Chromium berhenti sebelum PDF selesai dibuat.")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(raw)
        if message.get("method") == "Fetch.requestPaused":
            self.answer(message["params"], message.get("sessionId"))
        elif "method" in message and message.get("sessionId") == self.session:
            self.events.append(message["method"])
        return message

    def answer(self, paused: dict, session: str | None) -> None:
        # Replies to these carry ids that no call waits for; they are read and dropped.
        found = self.files.get(paused["request"]["url"])
        if found is None:
            self.send("Fetch.failRequest", {"requestId": paused["requestId"], "errorReason": "BlockedByClient"}, session)
            return
        body, kind = found
        self.send("Fetch.fulfillRequest", {"requestId": paused["requestId"], "responseCode": 200, "body": base64.b64encode(body).decode(),
                                           "responseHeaders": [{"name": "Content-Type", "value": kind}]}, session)
