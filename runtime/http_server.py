"""waitress as Pantau serves with it: limits far below waitress's defaults, and connections a stranger cannot hold.

waitress closes a connection only after `channel_timeout` with no byte received, and stops accepting once
`connection_limit` connections are open: a client that opens a hundred connections and sends a request's head a
byte at a time held every slot, and the wall and health stopped answering. Here a request must arrive whole in
time (its head within HEAD_S, its body at MIN_BODY_RATE or faster), an idle kept-alive connection closes after
IDLE_S, and there are far more slots, so holding them would take a stranger thousands of reconnections a minute.
A reverse proxy in front (README, Keamanan) limits each client's connections too.
"""

from __future__ import annotations

import contextlib
import resource
import threading
import time
from collections.abc import Callable, Iterator

import waitress
from waitress import wasyncore
from waitress.channel import HTTPChannel

HEAD_S = 10.0  # a request line and its headers, whole
MIN_BODY_RATE = 64 * 1024  # bytes a second a body must keep up, so a 32 MiB upload on a slow office line still fits
IDLE_S = 15  # a connection with no request in it
CONNECTIONS = 1000


class _TimedChannel(HTTPChannel):
    """A channel that remembers when the request it is reading began."""

    request_started = 0.0

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_started = time.time()
        return super().received(data)


def overdue(channel, now: float, head_s: float = HEAD_S) -> bool:
    """Whether the request `channel` is reading (not yet answered) has taken longer to arrive than it may."""
    request = getattr(channel, "request", None)
    if request is None or channel.requests:
        return False
    allowed = head_s + (request.content_length / MIN_BODY_RATE if request.headers_finished else 0)
    return now - channel.request_started > allowed


def _connection_limit() -> int:
    # Each connection is a file descriptor; leave half the process's for the warehouse, logs and the browser.
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return max(100, min(CONNECTIONS, soft // 2)) if soft > 0 else CONNECTIONS


def create(app: Callable, host: str, port: int, threads: int, body_limit: int, head_s: float = HEAD_S):
    """A waitress server of `app`, not yet running (`.run()` it).

    Args:
        body_limit: largest request body waitress accepts at all (routes check their own, smaller, limits first).
        head_s: how long a request's head may take to arrive (tests shorten it).
    """
    server = waitress.create_server(
        app, host=host, port=port, threads=threads, ident="Pantau",
        # Far below waitress's defaults (1 GiB bodies, 256 KiB headers, 120 s idle): no route needs more.
        max_request_body_size=body_limit, max_request_header_size=32 * 1024, channel_timeout=IDLE_S,
        connection_limit=_connection_limit(), cleanup_interval=1,
    )
    server.channel_class = _TimedChannel
    close_idle = server.maintenance

    def maintenance(now: float) -> None:
        close_idle(now)
        for channel in list(server.active_channels.values()):
            if overdue(channel, now, head_s):
                channel.will_close = True

    server.maintenance = maintenance
    return server


@contextlib.contextmanager
def serving_in_background(server) -> Iterator[str]:
    """Run `server` on a thread of its own while the block runs; yields its `host:port`.

    waitress's `close()` is meant for the thread running its loop: called from another, it closes sockets the
    loop may be polling that moment, and the loop's thread dies of a bad file descriptor. So the loop is asked
    to close everything itself, through its trigger, and then finds nothing left to serve.
    """
    thread = threading.Thread(target=server.run, name="pantau-http", daemon=True)
    thread.start()
    try:
        yield f"{server.effective_host}:{server.effective_port}"
    finally:
        def close_everything() -> None:
            server.task_dispatcher.shutdown()
            wasyncore.close_all(server._map, ignore_all=True)

        server.trigger.pull_trigger(close_everything)
        thread.join(timeout=10)
