"""File drops shared by the file-based systems: their base classes, atomic writes, export state, byte-stable XLSX."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import threading
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import ClassVar

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from simulator.base import SimulatedSystem
from simulator.days import DAY_S, day_date


@dataclass(frozen=True)
class Export:
    """One file a system would have put in its inbox by now.

    Attributes:
        key: stable name of the export in the state file (e.g. the day or the month).
        name: file name in the inbox.
        final: True once the content can no longer change, so later syncs skip it without regenerating it.
        content: makes the bytes; None when there is nothing to write yet.
    """

    key: str
    name: str
    final: bool
    content: Callable[[], bytes | None]


def sync_exports(inbox: Path, state_path: Path, seed: int, exports: Iterable[Export]) -> list[Path]:
    """Write every export whose content is new or changed since the last sync; skip those already final.

    A file the ingester moved away is not written again unless its content changed (e.g. a day's file that
    is still growing, or a corrected monthly report).

    Args:
        inbox: folder the ingester watches.
        state_path: JSON file (outside the inbox) with the hash of each export's last content.
        seed: simulator seed; a state made with another seed is discarded.
        exports: what the system has exported by now.

    Returns:
        Paths written by this call.
    """
    inbox.mkdir(parents=True, exist_ok=True)
    state = _load_state(state_path, seed)
    done: dict[str, dict] = state["exports"]
    written: list[Path] = []
    changed = False
    for export in exports:
        entry = done.get(export.key)
        if entry and entry["final"]:
            continue
        content = export.content()
        if content is None:
            continue
        digest = hashlib.sha256(content).hexdigest()
        if entry is None or entry["sha256"] != digest:
            target = inbox / export.name
            write_atomically(target, content)
            written.append(target)
        if entry != {"sha256": digest, "final": export.final}:
            done[export.key] = {"sha256": digest, "final": export.final}
            changed = True
    if changed:
        write_atomically(state_path, json.dumps(state, indent=0, sort_keys=True).encode("utf-8"))
    return written


class DropSystem(SimulatedSystem):
    """A system read from files dropped into an inbox: subclasses say what is exported by a moment."""

    def exports(self, now: dt.datetime) -> Iterable[Export]:
        """Every file the system has put in its inbox by `now` (aware)."""
        raise NotImplementedError

    def sync(self, inbox: Path, state_path: Path, now: dt.datetime) -> list[Path]:
        """Write every export due by `now` whose content is new or changed (see `sync_exports`).

        Args:
            inbox: folder the ingester watches.
            state_path: JSON file (outside the inbox) with the hash of each export's last content.
            now: the moment (aware).

        Returns:
            Paths written by this call.
        """
        return sync_exports(inbox, state_path, self.seed, self.exports(now))


class DailyDropSystem(DropSystem):
    """A system that drops one file a day from the history start to today, growing until the day is over.

    Subclasses set FILE_NAME (a format for the day's date, e.g. "absensi_{:%Y%m%d}.csv") and DAY_OVER_S (the
    time of day after which the day's file no longer changes), and make the day's CSV in `csv_bytes`.
    """

    FILE_NAME: ClassVar[str]
    DAY_OVER_S: ClassVar[int]

    def csv_bytes(self, day: int, now: dt.datetime) -> bytes | None:
        """A day's CSV (day number) as known at `now`; None when there is nothing in it yet."""
        raise NotImplementedError

    def drop_days(self, first: int, today: int) -> Iterable[int]:
        """The day numbers in [first, today] that have a file: every day unless a subclass says otherwise."""
        return range(first, today + 1)

    def exports(self, now: dt.datetime) -> Iterable[Export]:
        """A file a day: final once that day is over, so later syncs skip it without regenerating it."""
        now_s, first, today = self.window(now)
        return [
            Export(
                key=day_date(day).isoformat(),
                name=self.FILE_NAME.format(day_date(day)),
                final=now_s >= day * DAY_S + self.DAY_OVER_S,
                content=partial(self.csv_bytes, day, now),
            )
            for day in self.drop_days(first, today)
        ]


def _load_state(path: Path, seed: int) -> dict:
    # A state made with another seed describes other files: start afresh rather than skip real changes.
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        state = {}
    if isinstance(state.get("days"), dict) and "exports" not in state:
        state["exports"] = state.pop("days")  # the attendance state's earlier name for the same thing
    if state.get("seed") != seed or not isinstance(state.get("exports"), dict):
        state = {"seed": seed, "exports": {}}
    return state


def write_atomically(target: Path, content: bytes) -> None:
    """Write a file so that a reader sees the old content or the new, never half of it.

    A dot-name that ends in .tmp matches no ingester pattern; os.replace in the same folder is atomic. No
    fsync: these files can be regenerated after a power cut, and syncing hundreds of files would make the
    first export slow.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(content)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def xlsx_bytes(
    sheet: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    saved_at: dt.datetime,
    author: str,
    number_formats: dict[int, str] | None = None,
    widths: Sequence[float] | None = None,
) -> bytes:
    """A one-sheet workbook as Excel would save it, with the same bytes for the same content.

    openpyxl stamps the save time into the document properties and every zip entry; both are pinned here
    (the properties to `saved_at`, the entries to 1980-01-01) so that re-exporting unchanged content gives
    unchanged bytes and the ingester's content hash sees no new file.

    Args:
        sheet: sheet name.
        header: first row, in bold.
        rows: data rows; datetimes become Excel dates.
        saved_at: when the staff saved the file (aware); written as the document's created and modified time.
        author: the document's creator, e.g. the OPD.
        number_formats: Excel number format by 0-based column index.
        widths: column widths in characters.

    Returns:
        The .xlsx bytes.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    for col, fmt in (number_formats or {}).items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
            cell.number_format = fmt
    for i, width in enumerate(widths or ()):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    stamp = saved_at.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    wb.properties.creator = wb.properties.lastModifiedBy = author
    wb.properties.created = wb.properties.modified = stamp
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()  # save_workbook would stamp "now"
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            pinned = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            pinned.external_attr = info.external_attr
            dst.writestr(pinned, src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
