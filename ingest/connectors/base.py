"""What every connector takes and gives back: batches of raw text records as Arrow tables."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from region.calendar import WIB

# Every raw batch carries where each record came from (a text shared by a file or page, and a line number) and
# its position in the batch.
ORIGIN, LINE, ROW = "_origin", "_line", "_row"
META_COLUMNS = (ORIGIN, LINE, ROW)


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
    database_url: str | None = None
    folder: Path | None = None

    def __repr__(self) -> str:  # keep tokens and database URLs out of logs and tracebacks
        return f"Connection(url={self.url!r}, folder={self.folder!r})"


def header_key(name: str) -> str:
    """A column name as names are matched: case, underscores and runs of spaces ignored."""
    return " ".join(str(name).lower().replace("_", " ").split())


def as_text(value: object) -> str | None:
    """A raw value as text, as a file would hold it: None stays None, objects become JSON."""
    if value is None:
        return None
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def text_table(columns: list[str], rows: list[tuple] | list[dict]) -> pa.Table:
    """An all-text Arrow table from row tuples (in `columns` order) or dicts (missing keys are null)."""
    if rows and isinstance(rows[0], dict):
        data = {c: [as_text(r.get(c)) for r in rows] for c in columns}
    else:
        data = {c: [as_text(r[i]) for r in rows] for i, c in enumerate(columns)}
    return pa.table({c: pa.array(v, pa.string()) for c, v in data.items()})


def with_origin(table: pa.Table, where: str, first_line: int, lines: list[int] | np.ndarray | None = None) -> pa.Table:
    """Stamp `table` with its origin ("absensi_x.csv baris ", "permohonan halaman 3 #") and line numbers.

    Lines count on from `first_line`, or are given one per row in `lines` (a file whose blank lines were passed over).
    Two cheap columns even for a million rows; the full "file baris N" text is made only for rejects.
    """
    n = table.num_rows
    table = table.append_column(ORIGIN, pa.repeat(pa.scalar(where, pa.string()), n))
    numbers = pa.array(lines, pa.int64()) if lines is not None else pa.array(np.arange(first_line, first_line + n, dtype=np.int64))
    # The origin also as metadata: a part without rows (a file of only a header) still says where it is from.
    return table.append_column(LINE, numbers).replace_schema_metadata({ORIGIN: where})


def origin_of(table: pa.Table) -> str | None:
    """Where a part of a read comes from, as its origin reads without the row part ("absensi_x.csv", "laporan halaman 2")."""
    where = (table.schema.metadata or {}).get(ORIGIN.encode())
    return where.decode().removesuffix(" #").removesuffix(" baris ").strip() if where else None


def empty_table() -> pa.Table:
    return pa.table({ORIGIN: pa.array([], pa.string()), LINE: pa.array([], pa.int64())})


@dataclass
class ExtractState:
    """What a stream's read knows beforehand: where to start, files already loaded, and the stop signal.

    Attributes:
        cursor: the saved cursor of the stream (None: read everything).
        since: a backfill's first day (WIB); when set it replaces the cursor and, for files, the ledger.
        known_files: content hashes of files already loaded.
        stop: set when the process is stopping.
    """

    cursor: str | None = None
    since: dt.date | None = None
    known_files: frozenset[str] = frozenset()
    stop: threading.Event = field(default_factory=threading.Event)

    def check_stop(self) -> None:
        if self.stop.is_set():
            raise Cancelled("Pantau sedang berhenti; pemuatan dibatalkan")

    def read_from(self, lookback_s: float, clock: str) -> dt.datetime | None:
        """Where a cursor-based read starts (naive): the backfill day's WIB midnight, or the cursor less the lookback.

        `clock` is the cursor's clock: "utc" for REST cursors, "local" for SQL ones (the source's own WIB clock).
        Records that reach the source late (after a newer one was already read) are still picked up by the
        lookback; reading them again is harmless, since an unchanged record merges as unchanged.
        """
        if self.since is not None:
            midnight = dt.datetime.combine(self.since, dt.time(), tzinfo=WIB)
            return midnight.astimezone(dt.UTC).replace(tzinfo=None) if clock == "utc" else midnight.replace(tzinfo=None)
        if self.cursor is None:
            return None
        return parse_cursor(self.cursor) - dt.timedelta(seconds=lookback_s)


def parse_cursor(cursor: str) -> dt.datetime:
    """A saved cursor as a naive instant: UTC for REST cursors ("...Z"), the source's own clock for SQL ones."""
    value = dt.datetime.fromisoformat(cursor.replace("Z", "+00:00"))
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


@dataclass(frozen=True)
class DroppedFile:
    """A file found in a drop folder."""

    path: Path
    sha256: str
    size_bytes: int
    already_loaded: bool


@dataclass
class Batch:
    """Part of a read: raw text records with their origin (an Arrow table), the cursor reached, the files they came from.

    Connectors yield batches (a page, a chunk of rows, a file) so that a large read never sits in memory whole;
    the load merges them inside a single transaction.
    """

    table: pa.Table
    cursor_after: str | None = None
    files: list[DroppedFile] = field(default_factory=list)
