"""The WSGI server against a stranger who opens many connections and sends requests a byte at a time: the others
are still answered, and each half-sent request is closed once it is overdue."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from runtime import http_server

pytestmark = pytest.mark.integration


def _app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


@pytest.fixture
def served():
    server = http_server.create(_app, "127.0.0.1", 0, threads=2, body_limit=64 * 1024, head_s=1.0)
    with http_server.serving_in_background(server) as address:
        yield address


def _half_sent(address: str) -> socket.socket:
    host, port = address.split(":")
    s = socket.create_connection((host, int(port)))
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # a head that never ends
    return s


def test_half_sent_requests_on_many_connections_neither_block_others_nor_stay(served):
    held = [_half_sent(served) for _ in range(150)]  # waitress alone stops accepting at 100
    try:
        started = time.monotonic()
        assert httpx.get(f"http://{served}/", timeout=5).text == "ok"
        assert time.monotonic() - started < 2
        time.sleep(3.5)  # the 1 s deadline, and the once-a-second check, are well past
        for s in held:
            s.settimeout(2)
            assert s.recv(100) == b""  # closed by the server, with nothing said
    finally:
        for s in held:
            s.close()


def test_a_request_arriving_whole_in_time_is_answered_on_a_kept_connection(served):
    with httpx.Client(base_url=f"http://{served}", timeout=5) as client:
        assert [client.get("/").text for _ in range(3)] == ["ok"] * 3
        time.sleep(2)  # an idle kept-alive connection is not a half-sent request
        assert client.get("/").text == "ok"


def test_a_body_keeping_up_the_minimum_rate_is_not_cut_off():
    channel = type("Channel", (), {"requests": [], "request_started": 0.0})()
    channel.request = type("Request", (), {"headers_finished": True, "content_length": 32 * 1024 * 1024})()
    assert not http_server.overdue(channel, now=400.0)  # 32 MiB at 64 KiB/s: 10 + 512 s allowed
    assert http_server.overdue(channel, now=600.0)
    channel.request.headers_finished = False
    assert http_server.overdue(channel, now=11.0)
