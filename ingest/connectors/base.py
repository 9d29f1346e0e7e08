"""What every connector takes and gives back."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


class SourceError(Exception):
    """The source could not be read completely; the load fails and writes nothing."""


class Cancelled(Exception):
    """The process is stopping; the load is abandoned and writes nothing."""


@dataclass(frozen=True)
class Connection:
    """Where a source is read from, resolved from configuration (and the simulator, in the embedded default).

    Secrets are already read from the environment here; this object is never logged.
    """

    url: str | None = None
    token: str | None = None
    timeout_s: float = 15.0
    page_size: int = 500
    database_url: str | None = None
    folder: Path | None = None
    retries: int = 3
    lookback_s: float = 600.0

    def __repr__(self) -> str:  # keep tokens and database URLs out of logs and tracebacks
        return f"Connection(url={self.url!r}, folder={self.folder!r})"


@dataclass
class ExtractState:
    """What the run knows before reading: the saved cursor, files already loaded, and the stop signal."""

    cursor: str | None = None
    known_files: frozenset[str] = frozenset()
    stop: threading.Event = field(default_factory=threading.Event)

    def check_stop(self) -> None:
        if self.stop.is_set():
            raise Cancelled("Pantau sedang berhenti; pemuatan dibatalkan")


def read_from(cursor: str | None, lookback_s: float, fmt: str) -> str | None:
    """Where a read starts: the saved cursor moved back by the lookback, in the source's own format `fmt`.

    Records that reach the source late (after a newer one was already read) are still picked up; reading them
    again is harmless, since an unchanged record merges as unchanged.
    """
    if cursor is None:
        return None
    start = dt.datetime.fromisoformat(cursor.replace("Z", "+00:00")) - dt.timedelta(seconds=lookback_s)
    return start.strftime(fmt)


@dataclass(frozen=True)
class DroppedFile:
    """A file found in a drop folder."""

    path: Path
    sha256: str
    size_bytes: int
    already_loaded: bool


@dataclass
class Batch:
    """Part of a read: raw records (text columns plus `_origin`), the cursor reached so far, the files they came from.

    Connectors yield batches (a page, a chunk of rows, a file) so that a large read never sits in memory whole;
    the load merges them one by one inside a single transaction.
    """

    frame: pd.DataFrame
    cursor_after: str | None = None
    files: list[DroppedFile] = field(default_factory=list)
