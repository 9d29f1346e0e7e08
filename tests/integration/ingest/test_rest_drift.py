"""A complaints API that changes under a read: a real HTTP server on 127.0.0.1 whose second page renames a field.

Page 1 carries `opd_tujuan`; page 2 carries it as `opd` (the source was upgraded between two requests). Joined,
the pages would only leave page 2's records without a target OPD, to be rejected one by one as empty; the load
must fail instead, naming the field and the page, and load nothing. A key present with an empty value stays
the record's fault: a reject.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from config import load_config
from conftest import count, saved_cursor
from ingest.connectors import Connection
from ingest.run import run_source
from ingest.tables import ensure_tables

pytestmark = pytest.mark.integration

CONTRACT = """
[sources.aduan]
kind = "rest"
opd = "DISKOMINFO"
url = "{url}"
pagination = "next_link"
records_path = "data"
next_link_path = "links.next"
size_param = "limit"
page_size = 2
retries = 1

[sources.aduan.streams.laporan]
table = "aduan_laporan"
location = "laporan"
key = ["id"]
cursor_field = "diperbarui_pada"

[sources.aduan.streams.laporan.fields]
id = {{ from = "id", required = true }}
kode_opd = {{ from = "opd_tujuan", type = "opd", required = true }}
diperbarui = {{ from = "diperbarui_pada", type = "instant", required = true }}
"""


def record(n: int, **fields) -> dict:
    return {"id": f"L-{n}", "opd_tujuan": "Dinas Perhubungan", "diperbarui_pada": f"2026-11-2{n}T08:00:00+07:00"} | fields


class Pages:
    """What the server answers: page number -> records."""

    def __init__(self) -> None:
        self.pages: dict[int, list[dict]] = {}
        self.asked: list[int] = []


def serve(pages: Pages) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            url = urlsplit(self.path)
            page = int(parse_qs(url.query).get("page", ["1"])[0])
            pages.asked.append(page)
            more = page + 1 in pages.pages
            nxt = f"http://127.0.0.1:{self.server.server_address[1]}/api/laporan?limit=2&page={page + 1}" if more else None
            body = json.dumps({"data": pages.pages.get(page, []), "links": {"next": nxt}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def aduan(warehouse, tmp_path):
    """A served API and its source; returns (pages, load)."""
    pages = Pages()
    server = serve(pages)
    path = tmp_path / "pantau.toml"
    url = f"http://127.0.0.1:{server.server_address[1]}/api"
    path.write_text(CONTRACT.format(url=url), encoding="utf-8")
    source = load_config(path, env={}).sources["aduan"]
    ensure_tables(warehouse, {"aduan": source})
    yield pages, lambda: run_source(warehouse, "aduan", source, Connection(url=url))
    server.shutdown()
    server.server_close()


def test_a_field_renamed_on_page_two_fails_the_load_naming_it(warehouse, aduan):
    pages, load = aduan
    renamed = record(3)
    renamed["opd"] = renamed.pop("opd_tujuan")
    pages.pages = {1: [record(1), record(2)], 2: [renamed, {**renamed, "id": "L-4"}]}
    result = load()
    assert (result.status, result.error) == ("failed", "laporan halaman 2 #1: kolom wajib tidak ada di data sumber: opd_tujuan")
    assert pages.asked == [1, 2]
    assert count(warehouse, "aduan_laporan") == 0 and count(warehouse, "rejects") == 0
    assert saved_cursor(warehouse, "aduan", "laporan") is None


def test_a_field_present_but_empty_on_page_two_is_a_reject(warehouse, aduan):
    pages, load = aduan
    pages.pages = {1: [record(1), record(2)], 2: [record(3, opd_tujuan=""), record(4, opd_tujuan=None)]}
    result = load()
    assert (result.status, result.rows_read, result.inserted, result.rejected, result.skipped) == ("ok", 4, 2, 2, 0), result.error
    assert warehouse.cursor().execute("SELECT origin, field, reason FROM rejects ORDER BY origin").fetchall() == [
        ("laporan halaman 2 #1", "opd_tujuan", "wajib diisi tetapi kosong"),
        ("laporan halaman 2 #2", "opd_tujuan", "wajib diisi tetapi kosong"),
    ]
    assert warehouse.cursor().execute("SELECT DISTINCT kode_opd FROM aduan_laporan").fetchall() == [("DISHUB",)]
