"""Faults of the warehouse file that DuckDB does not report: a file deleted or replaced while open, a folder that no
longer takes writes, a disk running out of space.

DuckDB keeps writing into a deleted file's open inode, so without a look at the path every write since is lost
while every query still answers. The checks are cheap (two stat calls) and run every few seconds; a real write
(a file beside the warehouse, and a row in `warehouse_probe`) runs every PROBE_EVERY_S, and at every check while
a fault lasts, so a cleared fault is seen at once. The warehouse file itself is never opened a second time:
closing another descriptor of it would drop the lock DuckDB holds on it.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)
FaultKind = Literal["missing", "replaced", "unwritable", "disk_full", "unusable"]
CHECK_EVERY_S = 2.0
PROBE_EVERY_S = 10.0
_MB = 1024 * 1024


@dataclass(frozen=True)
class WarehouseFault:
    """Why the warehouse cannot be trusted with writes now, in words for the operator (without paths: health and the
    wall show it to anyone who can reach them; the log names the file)."""

    kind: FaultKind
    reason: str
    since: dt.datetime  # UTC, aware
    free_mb: int | None = None  # disk_full: what is left


def identity(path: Path) -> tuple[int, int]:
    """(device, inode) of a file: what stays the same while it is the same file."""
    st = os.stat(path)
    return st.st_dev, st.st_ino


class WarehouseWatch:
    """Knows whether the warehouse at `path` still is the file that was opened, and takes writes.

    Args:
        path: the warehouse file.
        opened_as: its identity() when it was opened.
        write_row: a committed write of one row through DuckDB; raises when the warehouse refuses it.
        usable: whether a trivial query answers.
        min_free_mb: below this much free space on the warehouse's disk, writes stop before they fail.
    """

    def __init__(
        self,
        path: Path,
        opened_as: tuple[int, int],
        write_row: Callable[[], None],
        usable: Callable[[], bool],
        min_free_mb: float = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self._opened_as = opened_as
        self._write_row = write_row
        self._usable = usable
        self._min_free = min_free_mb * _MB
        self._clock = clock
        self.probe_every_s = PROBE_EVERY_S
        self._guard = threading.Lock()
        self._fault: WarehouseFault | None = None
        self._checked_at: float | None = None
        self._probed_at: float | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def fault(self) -> WarehouseFault | None:
        """The fault found by the latest check, or None."""
        return self._fault

    def current(self, max_age_s: float = CHECK_EVERY_S * 2) -> WarehouseFault | None:
        """The fault now: the latest check's when it is recent, else a check made now (a process without the watch thread)."""
        checked = self._checked_at
        if checked is None or self._clock() - checked > max_age_s:
            return self.check()
        return self._fault

    def check(self) -> WarehouseFault | None:
        """Look at the file, the disk and (every `probe_every_s`, or while faulty) a real write; log a change of state."""
        with self._guard:
            now = self._clock()
            probe = self._fault is not None or self._probed_at is None or now - self._probed_at >= self.probe_every_s
            found = self._look(probe)
            if probe:
                self._probed_at = now
            self._checked_at = now
            self._record(found)
            return self._fault

    def _look(self, probe: bool) -> tuple[FaultKind, str, int | None] | None:
        folder = self.path.parent
        try:
            now_as = identity(self.path)
        except FileNotFoundError:
            what = "folder" if not folder.exists() else "berkas"
            return "missing", f"{what} gudang data hilang (dihapus atau dipindah saat server berjalan): yang ditulis sejak itu tidak tersimpan; kembalikan lalu mulai ulang Pantau", None
        except OSError as exc:
            return "unusable", f"berkas gudang data tidak dapat diperiksa: {exc.strerror or exc}", None
        if now_as != self._opened_as:
            return "replaced", "berkas gudang data diganti berkas lain saat server berjalan: yang ditulis tidak masuk ke berkas itu; mulai ulang Pantau", None
        free = _free_bytes(folder)
        if free is not None and free < self._min_free:
            mb = int(free // _MB)
            return "disk_full", f"ruang disk gudang data tinggal {mb} MB, di bawah batas warehouse.min_free_mb ({int(self._min_free // _MB)} MB)", mb
        if not self._usable():
            return "unusable", "gudang data tidak menjawab kueri", None
        return self._probe(folder, free) if probe else None

    def _probe(self, folder: Path, free: float | None) -> tuple[FaultKind, str, int | None] | None:
        mb = None if free is None else int(free // _MB)
        marker = folder / f".{self.path.name}.probe"
        try:
            with open(marker, "wb") as f:  # a real write: os.access says yes to root whatever the mode
                f.write(b"1")
            marker.unlink()
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                return "disk_full", f"disk gudang data penuh: {exc.strerror}", mb
            return "unwritable", f"folder gudang data tidak dapat ditulis: {exc.strerror or exc}", None
        try:
            self._write_row()
        except Exception as exc:
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if "no space left" in text.lower():
                return "disk_full", "disk gudang data penuh: DuckDB tidak dapat menulis (No space left on device)", mb
            return "unwritable", "gudang data menolak tulisan: " + text.replace(f"{folder}{os.sep}", ""), None
        return None

    def _record(self, found: tuple[FaultKind, str, int | None] | None) -> None:
        before = self._fault
        if found is None:
            if before is not None:
                log.warning("warehouse %s: fault cleared (%s); loads resume", self.path, before.reason)
            self._fault = None
            return
        kind, reason, free_mb = found
        if before is None or before.kind != kind:
            log.error("warehouse %s: %s; loads are refused until it clears", self.path, reason)
        since = before.since if before is not None and before.kind == kind else dt.datetime.now(dt.UTC)
        self._fault = WarehouseFault(kind, reason, since, free_mb)

    def start(self, every_s: float = CHECK_EVERY_S) -> None:
        """Check every `every_s` seconds on a daemon thread until stop()."""
        if self._thread is not None:
            return

        def loop() -> None:
            while not self._stop.wait(every_s):
                try:
                    self.check()
                except Exception:  # the watch must outlive whatever it watches
                    log.exception("warehouse check failed")

        self.check()
        self._thread = threading.Thread(target=loop, name="pantau-warehouse-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread (a check under way finishes first)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


def _free_bytes(folder: Path) -> float | None:
    """Bytes an unprivileged process may still write on the folder's disk (root's reserve is not counted)."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return None
    return st.f_bavail * st.f_frsize
