"""The simulated licensing REST API on a standard-library HTTP server, with switchable failures for tests."""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from region.calendar import WIB
from simulator.perizinan import Perizinan

log = logging.getLogger(__name__)

API_PREFIX = "/perizinan/api/v1"
FAULT_MODES = ("refuse", "error", "garbage", "hang")
HANG_SECONDS = 30.0
PER_PAGE_DEFAULT, PER_PAGE_MAX = 500, 1000


class Faults:
    """Failures to inject, switched in-process (e.g. by a test): `faults.perizinan = "hang"`.

    Modes: None (healthy), "refuse" (503 at once), "error" (500), "garbage" (200 with a body that is not
    JSON), "hang" (answers only after 30 seconds).
    """

    def __init__(self) -> None:
        self._perizinan: str | None = None

    @property
    def perizinan(self) -> str | None:
        """The licensing API's current failure mode, None when healthy."""
        return self._perizinan

    @perizinan.setter
    def perizinan(self, mode: str | None) -> None:
        if mode is not None and mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {mode!r}; use None or one of {', '.join(FAULT_MODES)}")
        self._perizinan = mode


class BadRequest(Exception):
    """A query parameter the API does not accept; the message goes back to the client."""


def parse_query(query: str) -> tuple[dt.datetime | None, int, int]:
    """Read `updated_since`, `page` and `per_page` from a query string.

    Args:
        query: the raw query string.

    Returns:
        (updated_since as an aware datetime or None, page, per_page).

    Raises:
        BadRequest: on a malformed, repeated or out-of-range parameter.
    """
    params = parse_qs(query, keep_blank_values=True)
    for name, values in params.items():
        if len(values) > 1:
            raise BadRequest(f"parameter {name} given more than once")
    page = _integer(params, "page", 1, 1, None)
    per_page = _integer(params, "per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX)
    raw = params.get("updated_since", [""])[0]
    since = None
    if raw:
        try:
            since = dt.datetime.fromisoformat(raw)
        except ValueError:
            hint = " (a '+' in a URL must be sent as %2B)" if " " in raw else ""
            raise BadRequest(
                f"updated_since must be an ISO 8601 timestamp such as 2025-01-03T08:00:00+07:00{hint}, got {raw!r}"
            ) from None
        if since.tzinfo is None:  # the system's own clock is WIB
            since = since.replace(tzinfo=WIB)
    return since, page, per_page


def _integer(params: dict[str, list[str]], name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name, [""])[0]
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer, got {raw!r}") from None
    if value < low or (high is not None and value > high):
        limit = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadRequest(f"{name} must be {limit}, got {value}")
    return value


class _HTTPServer(ThreadingHTTPServer):
    # Daemon handler threads: a hanging request never blocks other requests or the interpreter's exit.
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        perizinan: Perizinan,
        faults: Faults,
        now: Callable[[], dt.datetime],
    ) -> None:
        self.perizinan = perizinan
        self.faults = faults
        self.now = now
        self.released = threading.Event()  # set on stop, so hanging handlers return at once
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        # The base class prints tracebacks to stderr; clients that hang up (timeouts in tests) are normal here.
        log.debug("request from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    timeout = 15  # seconds a silent client may keep a handler thread
    server_version = "SiCantik-Sim/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base-class signature
        """Stay quiet: one line per request on stderr would drown test output."""

    def do_GET(self) -> None:  # noqa: N802 - name fixed by BaseHTTPRequestHandler
        """Answer a GET, unless a fault says otherwise."""
        try:
            self._get()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the client gave up first

    def _get(self) -> None:
        fault = self.server.faults.perizinan
        if fault == "hang":
            if self.server.released.wait(HANG_SECONDS):
                return  # the server is stopping: drop the connection unanswered
        elif fault == "refuse":
            self._json(503, {"error": "service_unavailable", "message": "sistem sedang dalam pemeliharaan"})
            return
        elif fault == "error":
            self._send(500, b"Internal Server Error", "text/plain; charset=utf-8")
            return
        elif fault == "garbage":
            # Looks like JSON to anyone trusting the header: a truncated body, as from a proxy cutting off.
            self._send(200, b'{"data": [{"id": "IZN-2025', "application/json")
            return
        url = urlsplit(self.path)
        path = url.path.rstrip("/")
        if path == f"{API_PREFIX}/health":
            self._json(200, {"status": "ok"})
        elif path == f"{API_PREFIX}/permohonan":
            self._permohonan(url.query)
        else:
            self._json(404, {"error": "not_found", "message": f"no resource at {url.path}"})

    def _permohonan(self, query: str) -> None:
        try:
            since, page, per_page = parse_query(query)
        except BadRequest as e:
            self._json(400, {"error": "bad_request", "message": str(e)})
            return
        try:
            data, total = self.server.perizinan.query(self.server.now(), since, page, per_page)
        except Exception:
            log.exception("perizinan query failed")
            self._json(500, {"error": "internal", "message": "query failed"})
            return
        meta = {"page": page, "per_page": per_page, "total": total, "total_pages": math.ceil(total / per_page)}
        self._json(200, {"data": data, "meta": meta})

    def _json(self, status: int, body: dict) -> None:
        self._send(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if status == 503:
            self.send_header("Retry-After", "60")
        self.end_headers()
        self.wfile.write(body)


class PerizinanServer:
    """The licensing API served on a loopback port in a background thread.

    Args:
        perizinan: the records to serve.
        faults: failure switches, read on every request.
        now: the clock; each request shows the records as of its `now()`.
        host: address to bind.
        port: port to bind; 0 picks a free one.
    """

    def __init__(
        self,
        perizinan: Perizinan,
        faults: Faults,
        now: Callable[[], dt.datetime],
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._httpd = _HTTPServer((host, port), perizinan, faults, now)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2}, name="simulator-http", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """Base URL of the API, e.g. http://127.0.0.1:PORT/perizinan/api/v1."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}{API_PREFIX}"

    def stop(self) -> None:
        """Stop serving, release hanging requests and close the socket."""
        self._httpd.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
