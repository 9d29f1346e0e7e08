"""The simulated REST APIs on one standard-library HTTP server, with auth and switchable failures per system."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import urlencode, urlsplit

from simulator.query import BadRequest, encode_after, parse_keyset_query, parse_query
from simulator.registry import names
from simulator.rest import RestSystem

log = logging.getLogger(__name__)

FAULT_MODES = ("refuse", "error", "429", "garbage", "truncated", "renamed", "hang")
HANG_SECONDS = 30.0
RENAMED_FIELD = ("diperbarui_pada", "updated")  # what the "renamed" fault does to every record


class Faults:
    """Failures to inject per REST system, switched in-process (e.g. by a test): `faults.set("tte", "429")`.

    Modes: None (healthy), "refuse" (503 at once), "error" (500), "429" (429 with Retry-After: 1), "garbage"
    (200 with a body that is not JSON), "truncated" (200 with a page's JSON cut off half-way), "renamed"
    (records carry `diperbarui_pada` as `updated`), "hang" (answers only after 30 seconds).
    """

    def __init__(self) -> None:
        self._sources = names("rest")
        self._modes: dict[str, str | None] = dict.fromkeys(self._sources)

    def set(self, source: str, mode: str | None) -> None:
        """Switch a system's failure mode; None heals it.

        Raises:
            ValueError: for a source that is not a REST system or an unknown mode.
        """
        if source not in self._modes:
            raise ValueError(f"unknown REST source {source!r}; use one of {', '.join(self._sources)}")
        if mode is not None and mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {mode!r}; use None or one of {', '.join(FAULT_MODES)}")
        self._modes[source] = mode

    def get(self, source: str) -> str | None:
        """A system's current failure mode, None when healthy."""
        if source not in self._modes:
            raise ValueError(f"unknown REST source {source!r}; use one of {', '.join(self._sources)}")
        return self._modes[source]

    def clear(self) -> None:
        """Heal every system."""
        self._modes = dict.fromkeys(self._sources)

    @property
    def perizinan(self) -> str | None:
        """The licensing API's current failure mode, None when healthy."""
        return self.get("perizinan")

    @perizinan.setter
    def perizinan(self, mode: str | None) -> None:
        self.set("perizinan", mode)


@dataclass(frozen=True)
class Api:
    """One simulated REST system as served: under /SOURCE/api/v1, the way its class says (see `RestSystem`).

    Attributes:
        source: source name (a key of `Faults`).
        system: where the records come from; its RESOURCE, PAGING, AUTH and SERVER_NAME say how they are served.
        secret: the token or key the system accepts.
    """

    source: str
    system: RestSystem
    secret: str | None = None

    @property
    def prefix(self) -> str:
        """Path prefix, e.g. /pengaduan/api/v1."""
        return api_prefix(self.source)

    @property
    def resource(self) -> str:
        """The list endpoint under the prefix, e.g. laporan."""
        return self.system.RESOURCE

    @property
    def paging(self) -> Literal["page_number", "next_link"]:
        """How the list is paged."""
        return self.system.PAGING

    @property
    def auth(self) -> Literal["none", "bearer", "api_key"]:
        """How a client proves it may read."""
        return self.system.AUTH

    @property
    def server_name(self) -> str:
        """What the system calls itself in the Server header."""
        return self.system.SERVER_NAME


def api_prefix(source: str) -> str:
    """Path prefix of a system's API, e.g. /pengaduan/api/v1."""
    return f"/{source}/api/v1"


API_PREFIX = api_prefix("perizinan")  # the licensing API's prefix (kept for callers of the first version)


class _HTTPServer(ThreadingHTTPServer):
    # Daemon handler threads: a hanging request never blocks other requests or the interpreter's exit.
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], apis: Sequence[Api], faults: Faults, now: Callable[[], dt.datetime]
    ) -> None:
        self.apis = tuple(apis)
        self.faults = faults
        self.now = now
        self.released = threading.Event()  # set on stop, so hanging handlers return at once
        super().__init__(address, _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def handle_error(self, request: object, client_address: object) -> None:
        # The base class prints tracebacks to stderr; clients that hang up (timeouts in tests) are normal here.
        log.debug("request from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    timeout = 15  # seconds a silent client may keep a handler thread
    server_version = "Sim/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base-class signature
        """Stay quiet: one line per request on stderr would drown test output."""

    def do_GET(self) -> None:  # noqa: N802 - name fixed by BaseHTTPRequestHandler
        """Answer a GET, unless a fault says otherwise."""
        try:
            self._get()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the client gave up first

    def _get(self) -> None:
        url = urlsplit(self.path)
        path = url.path.rstrip("/")
        api = next((a for a in self.server.apis if path.startswith(a.prefix + "/")), None)
        if api is None:
            self._json(404, {"error": "not_found", "message": f"no resource at {url.path}"})
            return
        self.server_version = api.server_name
        fault = self.server.faults.get(api.source)
        if fault == "hang":
            if self.server.released.wait(HANG_SECONDS):
                return  # the server is stopping: drop the connection unanswered
        elif fault == "refuse":
            self._json(503, {"error": "service_unavailable", "message": "sistem sedang dalam pemeliharaan"})
            return
        elif fault == "error":
            self._send(500, b"Internal Server Error", "text/plain; charset=utf-8")
            return
        elif fault == "429":
            self._json(429, {"error": "too_many_requests", "message": "terlalu banyak permintaan"})
            return
        elif fault == "garbage":
            # A proxy's error page served as if it were the API's JSON.
            body = b"<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"
            self._send(200, body, "application/json")
            return
        sub = path[len(api.prefix) :]
        if sub == "/health":
            self._json(200, {"status": "ok"})
        elif sub == f"/{api.resource}":
            if self._authorised(api):
                self._list(api, url.query, fault)
        else:
            self._json(404, {"error": "not_found", "message": f"no resource at {url.path}"})

    def _authorised(self, api: Api) -> bool:
        if api.auth == "none":
            return True
        if api.auth == "bearer":
            scheme, _, given = (self.headers.get("Authorization") or "").partition(" ")
            ok = scheme.lower() == "bearer" and _same(given.strip(), api.secret)
        else:
            ok = _same((self.headers.get("X-API-Key") or "").strip(), api.secret)
        if not ok:
            what = "token" if api.auth == "bearer" else "API key (X-API-Key)"
            self._json(401, {"error": "unauthorized", "message": f"{what} tidak ada atau tidak berlaku"}, api.auth)
        return ok

    def _list(self, api: Api, query: str, fault: str | None) -> None:
        try:
            if api.paging == "next_link":
                since, limit, after = parse_keyset_query(query)
            else:
                since, page, per_page = parse_query(query)
        except BadRequest as e:
            self._json(400, {"error": "bad_request", "message": str(e)})
            return
        try:
            now = self.server.now()
            if api.paging == "next_link":
                data, key = api.system.query_after(now, since, after, limit)
                params = {"limit": limit} | ({"updated_since": since.isoformat()} if since else {})
                nxt = None
                if key is not None:
                    nxt = f"{self.server.base_url}{api.prefix}/{api.resource}?" + urlencode(
                        params | {"after": encode_after(key)}
                    )
                body = {"data": data, "links": {"next": nxt}}
            else:
                data, total = api.system.query(now, since, page, per_page)
                meta = {"page": page, "per_page": per_page, "total": total, "total_pages": math.ceil(total / per_page)}
                body = {"data": data, "meta": meta}
        except Exception:
            log.exception("%s query failed", api.source)
            self._json(500, {"error": "internal", "message": "query failed"})
            return
        if fault == "renamed":
            old, new = RENAMED_FIELD
            body["data"] = [{(new if k == old else k): v for k, v in r.items()} for r in data]
        encoded = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if fault == "truncated":
            encoded = encoded[: max(len(encoded) // 2, 1)]  # a proxy that cut the body off half-way
        self._send(200, encoded, "application/json; charset=utf-8")

    def _json(self, status: int, body: dict, challenge: str | None = None) -> None:
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self._send(status, content, "application/json; charset=utf-8", challenge)

    def _send(self, status: int, body: bytes, content_type: str, challenge: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if status == 503:
            self.send_header("Retry-After", "60")
        elif status == 429:
            self.send_header("Retry-After", "1")
        elif status == 401:
            self.send_header("WWW-Authenticate", "Bearer" if challenge == "bearer" else 'ApiKey header="X-API-Key"')
        self.end_headers()
        self.wfile.write(body)


def _same(given: str, secret: str | None) -> bool:
    # Constant-time comparison, as a real API compares secrets.
    return secret is not None and hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))


class ApiServer:
    """The simulated REST systems served on a loopback port in a background thread.

    Args:
        apis: the systems to serve, each under its own path prefix.
        faults: failure switches, read on every request.
        now: the clock; each request shows the records as of its `now()`.
        host: address to bind.
        port: port to bind; 0 picks a free one.
    """

    def __init__(
        self,
        apis: Sequence[Api],
        faults: Faults,
        now: Callable[[], dt.datetime],
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._httpd = _HTTPServer((host, port), apis, faults, now)
        self._apis = {a.source: a for a in apis}
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2}, name="simulator-http", daemon=True
        )
        self._thread.start()

    def url(self, source: str) -> str:
        """Base URL of a system's API, e.g. http://127.0.0.1:PORT/pengaduan/api/v1."""
        return f"{self._httpd.base_url}{self._apis[source].prefix}"

    def stop(self) -> None:
        """Stop serving, release hanging requests and close the socket."""
        self._httpd.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
