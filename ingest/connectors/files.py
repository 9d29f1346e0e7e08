"""File-drop sources (CSV, XLSX): loaded once per content hash, moved aside to `diproses/` after the load commits."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from config.sources import SourceConfig, StreamConfig
from ingest.connectors.base import Batch, Connection, DroppedFile, ExtractState, SourceError, empty_table, text_table, with_origin
from region.calendar import WIB

PROCESSED_DIR = "diproses"


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _encoding(name: str, content: bytes, source: SourceConfig) -> str:
    if source.encoding != "auto":
        return source.encoding
    try:
        content.decode("utf-8")  # strict: Windows-1252 text with accents fails here
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _read_csv(name: str, content: bytes, source: SourceConfig) -> pa.Table:
    """Every column as text (nothing inferred: "007" stays "007"), in the file's encoding, BOM dropped."""
    encoding = _encoding(name, content, source)
    try:
        # UTF-8 (with or without BOM) goes to the CSV reader as it is; other encodings are transcoded first.
        utf8 = content.removeprefix(b"\xef\xbb\xbf") if encoding in ("utf-8", "utf-8-sig") else content.decode(encoding).encode("utf-8")
        first_line = utf8.split(b"\n", 1)[0].decode("utf-8")
    except UnicodeDecodeError:
        raise SourceError(f"berkas {name}: pengodean bukan {encoding}") from None
    header = next(csv.reader(io.StringIO(first_line.rstrip("\r")), delimiter=source.delimiter), [])
    if not header:
        return pa.table({})
    try:
        return pacsv.read_csv(
            io.BytesIO(utf8),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=source.delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in header}, strings_can_be_null=False),
        )
    except pa.ArrowInvalid as exc:
        raise SourceError(f"berkas {name}: tidak terbaca sebagai CSV dengan pemisah '{source.delimiter}' ({exc})") from None


def _read_xlsx(name: str, content: bytes, source: SourceConfig) -> pa.Table:
    try:
        frame = pd.read_excel(io.BytesIO(content), sheet_name=source.sheet or 0, dtype=object, engine="openpyxl")
    except (ValueError, KeyError, zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"berkas {name}: tidak terbaca sebagai XLSX ({type(exc).__name__}: {exc})") from None
    frame = frame.dropna(how="all")
    columns = [str(c) for c in frame.columns]
    rows = [tuple(None if pd.isna(v) else _cell_text(v, source.indonesian_numbers) for v in row) for row in frame.itertuples(index=False)]
    return text_table(columns, rows)


def _cell_text(value: object, indonesian: bool) -> str:
    """A spreadsheet cell as the text the field mapping expects.

    Number cells are machine numbers: whole ones lose the ".0" spreadsheets add, and a fraction is written with a
    decimal comma where the source's numbers are read the Indonesian way, so "12.5" is not taken for 125.
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value).replace(".", ",") if indonesian else repr(value)
    return str(value)


def _candidates(folder: Path, pattern: str, state: ExtractState) -> list[Path]:
    found = sorted(folder.glob(pattern))
    if state.since is not None:
        # A backfill also re-reads files already loaded and moved aside, dropped on or after its first day.
        since = dt.datetime.combine(state.since, dt.time(), tzinfo=WIB).timestamp()
        found += sorted(p for p in (folder / PROCESSED_DIR).glob(pattern) if p.stat().st_mtime >= since)
    return found


def extract(source: SourceConfig, stream: StreamConfig, conn: Connection, state: ExtractState) -> Iterator[Batch]:
    """Read every file of the stream not loaded before (by content hash), oldest name first, a batch per file.

    Files already loaded are still reported (with no rows), so that they are moved aside too.
    """
    folder = conn.folder
    if folder is None or not folder.is_dir():
        raise SourceError(f"folder {folder} tidak ada")
    reader = _read_xlsx if source.format == "xlsx" else _read_csv
    for path in _candidates(folder, stream.location, state):
        state.check_stop()
        # Hash and parse the same bytes: the system may replace the file while we read it.
        content = path.read_bytes()
        sha = _sha256(content)
        known = sha in state.known_files and state.since is None
        dropped = DroppedFile(path=path, sha256=sha, size_bytes=len(content), already_loaded=known)
        if known:
            yield Batch(table=empty_table(), files=[dropped])
            continue
        yield Batch(table=with_origin(reader(path.name, content, source), f"{path.name} baris ", 2), files=[dropped])  # row 1 is the header


def move_aside(files: list[DroppedFile]) -> None:
    """Move loaded files into the folder's `diproses/` subfolder, keeping them; the name gains a hash prefix.

    A file whose content changed since it was read is a new version: it stays for the next load.
    """
    for f in files:
        if f.path.parent.name == PROCESSED_DIR or not f.path.exists() or _sha256(f.path.read_bytes()) != f.sha256:
            continue
        target_dir = f.path.parent / PROCESSED_DIR
        target_dir.mkdir(exist_ok=True)
        shutil.move(f.path, target_dir / f"{f.path.stem}.{f.sha256[:8]}{f.path.suffix}")
