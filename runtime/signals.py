"""Ctrl-C and SIGTERM both end a long-running command through KeyboardInterrupt, so cleanup runs in `finally`."""

from __future__ import annotations

import signal


def stop_on_signals() -> None:
    """Turn SIGINT and SIGTERM into KeyboardInterrupt in the main thread.

    SIGINT is set explicitly too: a process started in the background of a script inherits it ignored.
    """

    def handler(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, handler)
