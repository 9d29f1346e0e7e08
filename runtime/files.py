"""Files the server leaves for local commands, written whole and in place of whatever is at the path."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def replace_file(path: Path, text: str, mode: int) -> None:
    """Write `text` to a new file and rename it over `path`, so readers see the old file or the new one, whole.

    The new file is made with O_CREAT|O_EXCL under a random name (never through a link an attacker planted), and
    the rename replaces whatever is at `path` itself: a symbolic link there is replaced, its target left untouched.
    `mode` is set on the new file, whatever mode an earlier file had.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            os.fchmod(f.fileno(), mode)
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def warn_if_others_can_write(folder: Path) -> None:
    """Log a warning when users other than the owner may replace files in `folder` (server.json, the token file)."""
    try:
        mode = folder.stat().st_mode
    except FileNotFoundError:
        return
    if mode & (stat.S_IWGRP | stat.S_IWOTH) and not mode & stat.S_ISVTX:
        log.warning(
            "folder %s can be written by other users (mode %o): they could replace server.json or the operator token "
            "file; make it writable by its owner only (chmod go-w)", folder, stat.S_IMODE(mode),
        )
