"""File-drop sources: CSV files in a folder, loaded once per content hash and moved aside after the load commits."""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from ingest.connectors.base import (
    Batch,
    Connection,
    DroppedFile,
    ExtractState,
    SourceError,
)

PROCESSED_DIR = "diproses"


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _read_csv(path: Path, content: bytes, delimiter: str) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return pd.read_csv(io.BytesIO(content), sep=delimiter, dtype="string", keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise SourceError(f"berkas {path.name}: tidak terbaca sebagai CSV ({exc})") from None
    raise SourceError(f"berkas {path.name}: pengodean tidak dikenal (bukan UTF-8 atau Windows-1252)")


def extract(spec, conn: Connection, state: ExtractState) -> Iterator[Batch]:
    """Read every file in the drop folder not loaded before (by content hash), oldest name first, a batch per file.

    Files already loaded are still reported (with no rows), so that they are moved aside too.
    """
    folder = conn.folder
    if folder is None or not folder.is_dir():
        raise SourceError(f"folder {folder} tidak ada")
    for path in sorted(folder.glob(spec.location)):
        state.check_stop()
        # Hash and parse the same bytes: the system may replace the file while we read it.
        content = path.read_bytes()
        sha = _sha256(content)
        dropped = DroppedFile(path=path, sha256=sha, size_bytes=len(content), already_loaded=sha in state.known_files)
        if dropped.already_loaded:
            yield Batch(frame=pd.DataFrame(columns=["_origin"]), files=[dropped])
            continue
        frame = _read_csv(path, content, spec.csv_delimiter)
        frame["_origin"] = [f"{path.name} baris {i + 2}" for i in range(len(frame))]  # row 1 is the header
        yield Batch(frame=frame, files=[dropped])


def move_aside(files: list[DroppedFile]) -> None:
    """Move loaded files into the folder's `diproses/` subfolder, keeping them; the name gains a hash prefix.

    A file whose content changed since it was read is a new version: it stays for the next load.
    """
    for f in files:
        if not f.path.exists() or _sha256(f.path.read_bytes()) != f.sha256:
            continue
        target_dir = f.path.parent / PROCESSED_DIR
        target_dir.mkdir(exist_ok=True)
        shutil.move(f.path, target_dir / f"{f.path.stem}.{f.sha256[:8]}{f.path.suffix}")
