"""An OPD's API that misbehaves, served for real on 127.0.0.1: a page far larger than any page should be (declared or
streamed), a page dripped a few bytes at a time, next links that loop, never end or lead to another system, and JSON
nested past any record. Each fails the load in bounded time and memory with a message naming the page and the limit,
loads nothing, and the source's token never reaches another system."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from config import load_config
from conftest import count
from ingest.connectors import Connection
from ingest.run import run_source
from ingest.tables import ensure_tables

pytestmark = pytest.mark.integration
TOKEN = "rahasia-api-opd"
CONTRACT = """
[sources.aduan]
kind = "rest"
opd = "DISKOMINFO"
url = "{url}"
pagination = "next_link"
records_path = "data"
next_link_path = "links.next"
auth = "bearer"
token_env = "ADUAN_TOKEN"
retries = 1
timeout = "2s"
max_page_bytes = "1MB"
max_pages = 50

[sources.aduan.streams.laporan]
table = "aduan_laporan"
location = "laporan"
key = ["id"]
cursor_field = "diperbarui_pada"

[sources.aduan.streams.laporan.fields]
id = {{ from = "id", required = true }}
diperbarui = {{ from = "diperbarui_pada", type = "instant", required = true }}
"""
RECORD = {"id": "L-1", "diperbarui_pada": "2026-11-21T08:00:00+07:00"}


class Api:
    """A server answering every GET with `answer(handler, page)`, remembering each request's Authorization."""

    def __init__(self, answer) -> None:
        self.answer, self.seen = answer, []
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                api.seen.append((self.path, self.headers.get("Authorization")))
                api.answer(self, len(api.seen))

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = self.server.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def send(handler, body: bytes, length: int | None = None) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    handler.end_headers()
    try:
        handler.wfile.write(body)
    except OSError:
        pass  # the reader gave up, as it should


def page(next_link: str | None) -> bytes:
    return json.dumps({"data": [RECORD], "links": {"next": next_link}}).encode()


@pytest.fixture
def served(warehouse, tmp_path):
    """Serve `answer` and load the source from it; returns (api, result, seconds taken)."""
    apis = []

    def run(answer):
        api = Api(answer)
        apis.append(api)
        path = tmp_path / "pantau.toml"
        path.write_text(CONTRACT.format(url=api.url + "/api"), encoding="utf-8")
        source = load_config(path, env={"ADUAN_TOKEN": TOKEN}).sources["aduan"]
        ensure_tables(warehouse, {"aduan": source})
        started = time.monotonic()
        result = run_source(warehouse, "aduan", source, Connection(url=api.url + "/api", token=TOKEN))
        return api, result, time.monotonic() - started

    yield run
    for api in apis:
        api.close()


def _failed(warehouse, result, *said: str) -> None:
    assert result.status == "failed" and all(s in result.error for s in said), result.error
    assert count(warehouse, "aduan_laporan") == 0


def test_a_page_declared_larger_than_the_limit_is_not_read(warehouse, served):
    _, result, seconds = served(lambda h, n: send(h, b"{", length=2_000_000_000))
    _failed(warehouse, result, "laporan", "melebihi max_page_bytes 1.000.000 bita (1 MB)")
    assert seconds < 2


def test_a_page_streamed_past_the_limit_is_cut_off(warehouse, served):
    def endless(handler, _n):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            for _ in range(10_000):  # 640 MB if it were all read
                handler.wfile.write(b"10000\r\n" + b" " * 0x10000 + b"\r\n")
        except OSError:
            pass

    _, result, seconds = served(endless)
    _failed(warehouse, result, "lebih dari max_page_bytes 1.000.000 bita (1 MB)")
    assert seconds < 5


def test_a_page_dripped_slower_than_the_timeout_fails_at_the_timeout(warehouse, served):
    def drip(handler, _n):
        body = page(None)
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            for byte in body:  # one byte every 0.2 s: each read is quick, the page never ends in time
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    _, result, seconds = served(drip)
    _failed(warehouse, result, "tidak selesai dikirim dalam 2 detik")
    assert seconds < 4


def test_a_next_link_back_to_a_page_already_read_stops_the_load(warehouse, served):
    api, result, _ = served(lambda h, n: send(h, page(f"{h.server.url}/api/laporan?halaman={1 + n % 2}")))
    _failed(warehouse, result, "kembali ke halaman yang sudah dibaca")
    assert len(api.seen) == 3


def test_next_links_that_never_end_stop_at_max_pages(warehouse, served):
    api, result, _ = served(lambda h, n: send(h, page(f"/api/laporan?halaman={n + 1}")))
    _failed(warehouse, result, "lebih dari max_pages 50 halaman")
    assert len(api.seen) == 50


def test_a_next_link_to_another_system_is_not_followed_and_the_token_stays(warehouse, served):
    elsewhere = Api(lambda h, n: send(h, page(None)))
    try:
        api, result, _ = served(lambda h, n: send(h, page(f"{elsewhere.url}/api/laporan?halaman=2")))
        _failed(warehouse, result, "keluar dari http://127.0.0.1:", "agar token tidak terkirim")
        assert elsewhere.seen == [] and [a for _, a in api.seen] == [f"Bearer {TOKEN}"]
    finally:
        elsewhere.close()


def test_json_nested_past_any_record_is_refused_as_not_the_expected_page(warehouse, served):
    _, result, _ = served(lambda h, n: send(h, b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"))
    _failed(warehouse, result, "bukan JSON halaman yang diharapkan")
