"""A complaints API of an OPD on 127.0.0.1, and the [sources.aduan] table that reads it: a real REST source that a
test makes answer what it likes."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Format with port=; a test adds its own settings around it.
SOURCE = """
[sources.aduan]
kind = "rest"
opd = "DISKOMINFO"
system = "Aduan warga"
url = "http://127.0.0.1:{port}/api"
retries = 1
schedule = "1h"

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


def page(records: list[dict]) -> tuple[int, dict]:
    """An answer of one page holding `records`."""
    return 200, {"data": records, "meta": {"total_pages": 1}}


class ComplaintsApi:
    """Answers every GET with `answer()`: (HTTP status, JSON body)."""

    def __init__(self, port: int, answer: Callable[[], tuple[int, dict]]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                status, body = answer()
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
