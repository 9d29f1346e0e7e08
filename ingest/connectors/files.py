"""File-drop sources (CSV, XLSX): loaded once per content hash and moved aside to `diproses/` after the load commits;
a file that cannot be read is set aside in `gagal/` with its reason, and not read again.

A file is read within the source's limits (bytes, rows, and for a workbook its unpacked size), checked before the
work they bound, and a block of rows at a time, so that a large or hostile file costs neither minutes nor gigabytes.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from config.sources import SourceConfig, StreamConfig
from ingest.connectors.base import Batch, Connection, DroppedFile, ExtractState, SourceError, empty_table, text_table, with_origin
from region.calendar import WIB
from spreadsheets import UnpacksTooLarge, WorkbookError, describe_size, open_workbook, utf16_as_utf8

PROCESSED_DIR, FAILED_DIR = "diproses", "gagal"
REASON_SUFFIX = ".alasan.txt"
# A CSV is parsed, and a workbook turned into a table, a block at a time: a large file never sits in memory whole.
CSV_BLOCK_BYTES = 4 << 20
XLSX_BLOCK_ROWS = 50_000
# A workbook row is as wide as its last cell; a header wider than this is no export, and would make every row that wide.
MAX_COLUMNS = 1_000
_UTF8 = ("utf-8", "utf-8-sig")


class FileRefused(SourceError):
    """A dropped file that cannot be loaded as it is: the load fails, and the file is set aside in `gagal/`.

    Attributes:
        path: the file.
        reason: why, naming the file.
        seen: its size and modification time when it was read, so that a file replaced since is not set aside.
    """

    def __init__(self, path: Path, reason: str, seen: tuple[int, int]) -> None:
        super().__init__(reason)
        self.path, self.reason, self.seen = path, reason, seen


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _seen(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def _decodes(content: bytes, encoding: str) -> bool:
    """Whether all of `content` is text in `encoding`, checked a block at a time (no second copy of a large file)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    try:
        for start in range(0, len(view), CSV_BLOCK_BYTES):
            decoder.decode(view[start : start + CSV_BLOCK_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _encoding(name: str, content: bytes, source: SourceConfig) -> str:
    if source.encoding == "auto":
        # Strict UTF-8 first: Windows-1252 text with accents fails it.
        encoding = "utf-8" if _decodes(content, "utf-8") else "cp1252"
        if encoding == "utf-8":
            return encoding
    else:
        encoding = source.encoding
    if not _decodes(content, encoding):
        raise SourceError(f"berkas {name}: pengodean bukan {encoding}")
    return encoding


def _too_many_rows(name: str, limit: int) -> SourceError:
    return SourceError(f"berkas {name}: lebih dari {f'{limit:,}'.replace(',', '.')} baris (batas max_rows)")


def _header(name: str, content: bytes, encoding: str, delimiter: str, limit: int) -> tuple[list[str], int, int]:
    """The header: the first line that is not blank, its line number, and the offset where the data after it starts.

    An export may open with blank lines; they are counted, so that every later line keeps its number in the file.
    """
    line, start = 1, 0
    while start < len(content):
        end = content.find(b"\n", start)
        end = len(content) if end < 0 else end
        text = content[start:end].decode("utf-8-sig" if encoding in _UTF8 and start == 0 else encoding).rstrip("\r")
        try:
            header = next(csv.reader([text], delimiter=delimiter), [])
        except csv.Error as exc:
            raise SourceError(f"berkas {name}: baris judul (baris {line}) tidak terbaca sebagai CSV ({exc})") from None
        if any(cell.strip() for cell in header):
            return header, line, end + 1
        if line > limit:
            raise _too_many_rows(name, limit)
        line, start = line + 1, end + 1
    return [], line, len(content)


def _record_lines(name: str, content: bytes, offset: int, first_line: int, delimiter: str) -> np.ndarray:
    """The line in the file where each record after `offset` starts, as the CSV parser will yield them.

    The parser passes over empty lines and lets a quoted value span lines, so a record's place in the file is
    not its position among the records. Without quotes or lone carriage returns every non-empty line is a
    record, found with numpy a block at a time; otherwise the standard library's CSV reader walks the records.
    The bytes are read as Latin-1 there: line breaks, quotes and the delimiter are the same bytes in UTF-8 and
    Windows-1252, and no byte fails to decode.
    """
    if content.find(b'"', offset) < 0:
        data = np.frombuffer(content, np.uint8, offset=offset)
        breaks, returns = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        for i in range(0, len(data), CSV_BLOCK_BYTES):
            block = data[i : i + CSV_BLOCK_BYTES]
            breaks.append(np.flatnonzero(block == 10) + i)
            returns.append(np.flatnonzero(block == 13) + i)
        lf, cr = np.concatenate(breaks), np.concatenate(returns)
        if not len(cr) or (cr[-1] + 1 < len(data) and not np.any(data[cr + 1] != 10)):  # every CR is part of a CRLF
            starts, ends = np.r_[0, lf + 1], np.r_[lf, len(data)]
            lengths = ends - starts
            if len(cr):  # the CR before the LF ends the line too
                lengths -= (lengths > 0) & (data[np.maximum(ends - 1, 0)] == 13)
            return np.flatnonzero(lengths > 0) + first_line
    text = io.BytesIO(content)
    text.seek(offset)
    reader = csv.reader(io.TextIOWrapper(text, encoding="latin-1", newline=""), delimiter=delimiter)
    lines, before = [], 0
    try:
        for row in reader:
            if row:
                lines.append(first_line + before)
            before = reader.line_num
    except csv.Error as exc:
        raise SourceError(f"berkas {name}: tidak terbaca sebagai CSV ({exc})") from None
    return np.array(lines, np.int64)


def _filled(columns: list[pa.ChunkedArray]) -> np.ndarray:
    mask = np.zeros(len(columns[0]), bool)
    for column in columns:
        mask |= pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(column)), 0).to_numpy(zero_copy_only=False)
    return mask


def _not_blank(table: pa.Table) -> np.ndarray:
    """Rows with any cell that is not blank: a row of only delimiters (a blank row saved by a spreadsheet) is no record.

    The first cell settles almost every row (a record's number or key); only rows where it is blank are looked at whole.
    """
    keep = _filled([table.column(0)])
    doubtful = np.flatnonzero(~keep)
    if len(doubtful):
        keep[doubtful] = _filled(table.take(doubtful).columns)
    return keep


def _read_csv(name: str, content: bytes, source: SourceConfig) -> Iterator[pa.Table]:
    """Every column as text (nothing inferred: "007" stays "007"), in the file's encoding, BOM dropped, a block at a time.

    Each record keeps the line of the file it starts on (the header's line is 1 unless blank lines precede it);
    blank lines and rows of only delimiters are no records and are passed over.
    """
    try:
        content = utf16_as_utf8(content)
    except WorkbookError as exc:
        raise SourceError(f"berkas {name}: {exc}") from None
    if b"\x00" in content:
        raise SourceError(f"berkas {name}: bukan teks CSV (berisi data biner)")
    encoding = _encoding(name, content, source)
    limit = source.row_limit
    header, header_line, offset = _header(name, content, encoding, source.delimiter, limit)
    if not header:
        return
    if len(header) > MAX_COLUMNS:
        raise SourceError(f"berkas {name}: {len(header)} kolom, lebih dari {MAX_COLUMNS}; periksa pemisah '{source.delimiter}'")
    if offset >= len(content):  # a header and no rows: its columns are still checked against the contract
        yield with_origin(text_table(header, []), f"{name} baris ", 0, [])
        return
    lines = _record_lines(name, content, offset, header_line + 1, source.delimiter)
    options = {
        # The data after the header line; other encodings are transcoded as blocks are read.
        "read_options": pacsv.ReadOptions(column_names=header, block_size=CSV_BLOCK_BYTES, encoding="utf8" if encoding in _UTF8 else encoding),
        "parse_options": pacsv.ParseOptions(delimiter=source.delimiter, newlines_in_values=True),
        "convert_options": pacsv.ConvertOptions(column_types={c: pa.string() for c in header}, strings_can_be_null=False),
    }
    rows = 0
    try:
        for block in pacsv.open_csv(pa.py_buffer(content)[offset:], **options):
            if rows + block.num_rows > limit:
                raise _too_many_rows(name, limit)
            if rows + block.num_rows > len(lines):
                raise _unclear_records(name, len(lines), rows + block.num_rows)
            table, numbers = pa.Table.from_batches([block]), lines[rows : rows + block.num_rows]
            keep = _not_blank(table)
            if not keep.all():
                table, numbers = table.filter(pa.array(keep)), numbers[keep]
            yield with_origin(table, f"{name} baris ", 0, numbers)
            rows += block.num_rows
    except pa.ArrowInvalid as exc:
        raise SourceError(f"berkas {name}: tidak terbaca sebagai CSV dengan pemisah '{source.delimiter}' ({exc})") from None
    if rows != len(lines):
        raise _unclear_records(name, len(lines), rows)


def _unclear_records(name: str, by_lines: int, parsed: int) -> SourceError:
    # Both readers follow the same CSV rules; they disagree only on a file whose quotes do not pair up.
    return SourceError(f"berkas {name}: batas rekaman tidak jelas ({by_lines} menurut baris, {parsed} menurut pembaca CSV); periksa tanda kutip")


def _read_xlsx(name: str, content: bytes, source: SourceConfig) -> Iterator[pa.Table]:
    """A sheet's rows streamed (openpyxl read-only), stopping at the row limit; blank rows skipped, lines kept exact."""
    try:
        book = open_workbook(content, source.max_unzipped_bytes)
    except WorkbookError as exc:
        raise SourceError(f"berkas {name}: {exc}" + (" (max_unzipped_bytes)" if isinstance(exc, UnpacksTooLarge) else "")) from None
    try:
        if source.sheet and source.sheet not in book.sheetnames:
            raise SourceError(f"berkas {name}: lembar '{source.sheet}' tidak ada (lembar yang ada: {', '.join(book.sheetnames)})")
        yield from _sheet_tables(name, book[source.sheet] if source.sheet else book.worksheets[0], source)
    except SourceError:
        raise
    except Exception as exc:  # a damaged sheet can fail anywhere in openpyxl, with any exception
        raise SourceError(f"berkas {name}: tidak terbaca sebagai XLSX ({type(exc).__name__}: {exc})") from None
    finally:
        book.close()  # a read-only workbook keeps its archive open until closed


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_tables(name: str, sheet, source: SourceConfig) -> Iterator[pa.Table]:
    limit, where = source.row_limit, f"{name} baris "
    rows = sheet.iter_rows(values_only=True)
    header, header_line = None, 0
    for header_line, values in enumerate(rows, start=1):  # the header is the first row that is not blank
        if header_line > limit:
            raise _too_many_rows(name, limit)
        if not all(_blank(v) for v in values):
            header = values
            break
    rows.close()
    if header is None:
        return
    named = [i for i, v in enumerate(header) if not _blank(v)]
    if named[-1] >= MAX_COLUMNS:
        raise SourceError(f"berkas {name}: baris judul sampai kolom ke-{named[-1] + 1}, lebih dari {MAX_COLUMNS} kolom")
    columns, seen = [], {}
    for i in named:  # a repeated header gains ".1", ".2", as spreadsheet readers name them
        text = _cell_text(header[i], indonesian=False).strip()
        seen[text] = seen.get(text, -1) + 1
        columns.append(f"{text}.{seen[text]}" if seen[text] else text)
    block: list[tuple] = []
    lines: list[int] = []
    any_rows = False
    for line, values in enumerate(sheet.iter_rows(min_row=header_line + 1, max_col=named[-1] + 1, values_only=True), start=header_line + 1):
        if line - header_line > limit:
            raise _too_many_rows(name, limit)
        cells = [values[i] for i in named]
        if all(_blank(v) for v in cells):
            continue
        block.append(tuple(None if v is None else _cell_text(v, source.indonesian_numbers) for v in cells))
        lines.append(line)
        if len(block) >= XLSX_BLOCK_ROWS:
            yield with_origin(text_table(columns, block), where, 0, lines)
            block, lines, any_rows = [], [], True
    if block or not any_rows:  # a header and no rows: its columns are still checked against the contract
        yield with_origin(text_table(columns, block), where, 0, lines)


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
        # A backfill also re-reads files already loaded and moved aside, dropped on or after its first day (never
        # those set aside in gagal/).
        since = dt.datetime.combine(state.since, dt.time(), tzinfo=WIB).timestamp()
        found += sorted(p for p in (folder / PROCESSED_DIR).glob(pattern) if p.stat().st_mtime >= since)
    return found


def extract(source: SourceConfig, stream: StreamConfig, conn: Connection, state: ExtractState) -> Iterator[Batch]:
    """Read every file of the stream not loaded before (by content hash), oldest name first, in blocks of rows.

    Each file ends with a batch that carries it, so that it is ledgered and moved aside; files already loaded are
    reported too (with no rows).

    Raises:
        FileRefused: a file that cannot be read within the source's limits or as its format.
    """
    folder = conn.folder
    if folder is None or not folder.is_dir():
        raise SourceError(f"folder {folder} tidak ada")
    for path in _candidates(folder, stream.location, state):
        state.check_stop()
        seen = _seen(path)
        try:
            yield from read_dropped_file(path, source, state)
        except SourceError as exc:
            raise FileRefused(path, str(exc), seen) from None


def read_dropped_file(path: Path, source: SourceConfig, state: ExtractState) -> Iterator[Batch]:
    """One file as `extract` reads it, within the source's limits: its blocks of rows, then a batch that carries it.

    Raises:
        SourceError: a file too large, too long or unreadable as the source's format.
    """
    limit = source.max_file_bytes
    size = path.stat().st_size
    if size <= limit:
        # Hash and parse the same bytes: the system may replace the file while we read it.
        content = path.read_bytes()
        size = len(content)
    if size > limit:  # refused unread
        raise SourceError(f"berkas {path.name}: {describe_size(size)}, melebihi batas max_file_bytes {describe_size(limit)}")
    sha = _sha256(content)
    known = sha in state.known_files and state.since is None
    dropped = DroppedFile(path=path, sha256=sha, size_bytes=len(content), already_loaded=known)
    if not known:
        reader = _read_xlsx if source.format == "xlsx" else _read_csv
        for table in reader(path.name, content, source):
            yield Batch(table=table)
            state.check_stop()
    yield Batch(table=empty_table(), files=[dropped])


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


def set_aside(refused: FileRefused, source: str, load_id: str) -> str:
    """Move a refused file into `gagal/` beside `diproses/`, with NAME.alasan.txt saying when, in which load and why.

    Files there are never read; an operator moves one back into the drop folder to try it again.

    Returns:
        What became of the file, for the failed load's error.
    """
    path = refused.path
    base = path.parent.parent if path.parent.name == PROCESSED_DIR else path.parent
    try:
        if _seen(path) != refused.seen:
            return "berkas berubah sejak dibaca, tetap di folder dan dibaca lagi pada pemuatan berikutnya"
        target_dir = base / FAILED_DIR
        target_dir.mkdir(exist_ok=True)
        target, n = target_dir / path.name, 1
        while target.exists():  # an earlier file of the same name is still there
            n += 1
            target = target_dir / f"{path.stem}.{n}{path.suffix}"
        shutil.move(path, target)
    except FileNotFoundError:
        return "berkas sudah tidak ada di folder"
    except OSError as exc:
        return f"berkas tidak dapat dipindah ke {FAILED_DIR}/ ({exc}) dan dibaca lagi pada pemuatan berikutnya"
    at = dt.datetime.now(WIB)
    try:
        (target_dir / f"{target.name}{REASON_SUFFIX}").write_text(
            f"Berkas {path.name} dari folder {path.parent} tidak dimuat dan dipindahkan ke sini.\n"
            f"Waktu   : {at:%d-%m-%Y %H:%M:%S} WIB\n"
            f"Sumber  : {source}, pemuatan {load_id}\n"
            f"Alasan  : {refused.reason}\n\n"
            f"Berkas di folder {FAILED_DIR}/ tidak dibaca lagi. Setelah berkas diperbaiki (atau batas sumbernya diubah di\n"
            f"konfigurasi), pindahkan kembali ke {base} agar dimuat pada pemuatan berikutnya.\n",
            encoding="utf-8",
        )
    except OSError as exc:
        return f"berkas dipindah ke {FAILED_DIR}/{target.name}, tetapi alasannya tidak dapat ditulis ({exc})"
    return f"berkas dipindah ke {FAILED_DIR}/{target.name}, alasannya di {target.name}{REASON_SUFFIX}; berkas lain dimuat pada pemuatan berikutnya"
