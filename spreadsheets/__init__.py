"""Spreadsheet files from outside (an OPD's drop, an operator's upload), opened within limits; used by ingest and metrics.

Nothing a file declares about itself is trusted: a workbook's archive is checked before anything is unpacked, its
sheets are not sized from their declared dimensions, and rows are read one at a time by the caller, up to its limit.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook


class WorkbookError(Exception):
    """The bytes are not a workbook that can be read within the limits; the message says why, for the operator."""


class UnpacksTooLarge(WorkbookError):
    """The workbook's parts would unpack past the limit."""


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def utf16_as_utf8(content: bytes) -> bytes:
    """A text file Excel saved as "Unicode Text" (UTF-16 with its byte-order mark) as UTF-8; any other, unchanged.

    UTF-16 text is full of zero bytes, so without this it would be taken for binary data.

    Raises:
        WorkbookError: it starts with a UTF-16 mark but is not UTF-16 text.
    """
    if not content.startswith(_UTF16_BOMS):
        return content
    try:
        return content.decode("utf-16").encode("utf-8")
    except UnicodeDecodeError:
        raise WorkbookError("bertanda UTF-16 tetapi bukan teks UTF-16") from None


def describe_size(n: int) -> str:
    """A size as an operator reads it: "52.417.016 bita (52,4 MB)"."""
    exact = f"{n:,}".replace(",", ".") + " bita"
    return exact if n < 1_000_000 else f"{exact} ({f'{n / 1e6:.1f}'.replace('.', ',').removesuffix(',0')} MB)"


def check_archive(content: bytes, max_unzipped: int) -> None:
    """Refuse what is not a zip archive, or whose parts would unpack past `max_unzipped` bytes.

    Python's zip reader stops at the sizes an archive declares for its parts, so their sum bounds what reading
    it can give, and is known before a byte is unpacked.

    Raises:
        WorkbookError: saying which (UnpacksTooLarge for the size).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except Exception:  # a damaged archive fails in many ways, none of which helps the operator
        raise WorkbookError("bukan berkas XLSX (bukan arsip zip); simpan ulang dari Excel sebagai .xlsx") from None
    unpacked = sum(p.file_size for p in parts)
    if unpacked > max_unzipped:
        raise UnpacksTooLarge(f"isinya {describe_size(unpacked)} setelah diurai, melebihi batas {describe_size(max_unzipped)}")
    if any(p.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for p in parts):
        raise WorkbookError("bukan berkas XLSX (pemampatan zip yang tidak dipakai Excel)")


def open_workbook(content: bytes, max_unzipped: int) -> Workbook:
    """A workbook to stream, cached values instead of formulas; close it when done (it keeps its archive open).

    Raises:
        WorkbookError: not a workbook, one that would unpack past `max_unzipped` bytes, or one openpyxl cannot read.
    """
    # openpyxl is imported with the first workbook: the serving process would otherwise hold it (about 11 MB)
    # for drops and uploads that may never come.
    from spreadsheets.reader import read_only_workbook

    check_archive(content, max_unzipped)
    try:
        reader = read_only_workbook(content)
        reader.read()
    except Exception as exc:  # a damaged workbook can fail anywhere in openpyxl, with any exception
        raise WorkbookError(f"tidak terbaca sebagai XLSX ({type(exc).__name__}: {exc})") from None
    return reader.wb
