"""The XLSX's sheets: data rows made as XML by pyarrow.compute, a column at a time, and the Info sheet.

XlsxWriter's cell-by-cell path costs about 10 µs a cell (1M rows of 7 columns: 72 s); rows made here and written
straight to a constant-memory sheet's row file cost a tenth of that (9 s).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from dashboard import formatting
from dashboard.exports.columns import (
    EXCEL_EPOCH,
    EXCEL_TEXT,
    SHEET_NAME_MAX,
    Column,
    XlsxResult,
    as_date,
    as_string,
    as_timestamp,
    buffer_bytes,
    word,
)


class _StreamSheet(Worksheet):
    """A worksheet that also takes whole rows as XML, written straight to its constant-memory row file.

    The XML is the same as XlsxWriter's own: inline strings escaped as it escapes them, styles by its format indexes,
    each cell with its reference.
    """

    def write_xml_rows(self, first: int, last: int, last_col: int, xml: bytes) -> None:
        """Rows `first`..`last` (0-based, after every row written so far) given as `<row>` elements."""
        self._write_single_row(first)  # the rows written cell by cell before (the header) go to the file first
        self.fh.flush()
        self.fh.buffer.write(xml)
        self._check_dimensions(last, last_col)
        self.previous_row = last


_TEXT_NEEDS_ESCAPE = r"[&<>]"
_TEXT_CONTROL = r"[\x00-\x08\x0b-\x1f\x{fffe}\x{ffff}]|_x[0-9a-fA-F]{4}_"  # XlsxWriter's _xHHHH_ escapes
_TEXT_PRESERVE = r"^\s|\s$"


def _cell_text(array: pa.Array) -> tuple[pa.Array, int]:
    """Text as an inline string's XML content, cut to Excel's cell limit; and how many values were cut."""
    text = as_string(array)
    long = pc.fill_null(pc.greater(pc.utf8_length(text), EXCEL_TEXT), False)
    cut = pc.sum(long).as_py() or 0
    if cut:
        text = pc.if_else(long, pc.utf8_slice_codeunits(text, 0, EXCEL_TEXT), text)
    control = pc.fill_null(pc.match_substring_regex(text, _TEXT_CONTROL), False)
    if pc.any(control).as_py():
        escaped = [Worksheet._escape_control_characters(v) for v in pc.filter(text, control).to_pylist()]
        text = pc.replace_with_mask(text, control, pa.array(escaped, pa.string()))
    if pc.any(pc.fill_null(pc.match_substring_regex(text, _TEXT_NEEDS_ESCAPE), False)).as_py():
        for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            text = pc.replace_substring(text, char, entity)
    empty = pc.fill_null(pc.equal(text, ""), True)
    return pc.if_else(empty, pa.scalar(None, pa.string()), text), cut


def _xlsx_cells(column: Column, array: pa.Array, ref: str, rows: pa.Array, style: str) -> tuple[pa.Array, int]:
    """One column's cells as XML, null where the value is (no cell); and how many texts were cut."""
    kind = column.kind
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type) or kind == "text":
        text, cut = _cell_text(array)
        preserve = pc.fill_null(pc.match_substring_regex(text, _TEXT_PRESERVE), False)
        head = pc.if_else(preserve, f'"{style} t="inlineStr"><is><t xml:space="preserve">', f'"{style} t="inlineStr"><is><t>')
        return pc.binary_join_element_wise(f'<c r="{ref}', rows, head, text, "</t></is></c>", ""), cut
    if kind == "bool":
        return pc.binary_join_element_wise(f'<c r="{ref}', rows, f'"{style} t="b"><v>', pc.if_else(array, "1", "0"), "</v></c>", ""), 0
    if kind == "date":
        value = pc.cast(pc.add(pc.cast(as_date(array), pa.int32()), EXCEL_EPOCH), pa.string())
    elif kind == "datetime":
        micros = pc.cast(pc.cast(as_timestamp(array), pa.timestamp("us")), pa.int64())
        value = pc.cast(pc.add(pc.divide(pc.cast(micros, pa.float64()), 86_400e6), float(EXCEL_EPOCH)), pa.string())
    elif kind == "integer" and (pa.types.is_integer(array.type) or pa.types.is_decimal(array.type)):
        value = pc.cast(pc.cast(array, pa.int64()), pa.string())
    else:  # shortest round-trip text of the double: the cell reads back as the same number
        numbers = pc.cast(array, pa.float64())
        value = pc.if_else(pc.is_finite(numbers), pc.cast(numbers, pa.string()), pa.scalar(None, pa.string()))
    return pc.binary_join_element_wise(f'<c r="{ref}', rows, f'"{style}><v>', value, "</v></c>", ""), 0


def column_widths(columns: Sequence[Column], first: pa.RecordBatch | None) -> list[float]:
    """Column widths in characters from the headings and the first batch's text, 8 to 60."""
    fixed = {"date": 11, "datetime": 17, "integer": 12, "number": 14, "bool": 8}
    widths = []
    for column in columns:
        width = fixed.get(column.kind, 12)
        if column.kind == "text" and first is not None and first.num_rows:
            longest = pc.max(pc.utf8_length(as_string(first.column(column.name)))).as_py()
            width = max(width, longest or 0)
        widths.append(min(max(width, len(column.label) + 2, 8), 60) + 1)
    return widths


class Sheets:
    """The data sheets of one workbook: a new one, with its header, whenever the current one is full."""

    def __init__(self, book: xlsxwriter.Workbook, columns: Sequence[Column], base: str, per_sheet: int, widths: list[float]) -> None:
        self.book, self.columns, self.base, self.per_sheet, self.widths = book, columns, base, per_sheet, widths
        self.names: list[str] = []
        self.sheet: Worksheet | None = None
        self.row = 0  # the last row written on the current sheet (0 is its header)
        self.head = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        self.formats = [self._format(c) for c in columns]

    def _format(self, column: Column):
        spec = {"date": {"num_format": "yyyy-mm-dd"}, "datetime": {"num_format": "yyyy-mm-dd hh:mm"}, "integer": {"num_format": "#,##0"}}
        if column.kind == "number" and column.decimals is not None:
            return self.book.add_format({"num_format": "#,##0" + ("." + "0" * column.decimals if column.decimals else "")})
        return self.book.add_format(spec[column.kind]) if column.kind in spec else None

    def room(self) -> int:
        """Data rows the current sheet still takes, a new sheet started when it takes none."""
        if self.sheet is None or self.row >= self.per_sheet:
            self._close_sheet()
            suffix = f" {len(self.names) + 1}" if self.names else ""
            name = self.base[:SHEET_NAME_MAX - len(suffix)] + suffix  # Excel's names stop at 31 characters
            self.sheet = self.book.add_worksheet(name, worksheet_class=_StreamSheet)
            self.names.append(name)
            for k, width in enumerate(self.widths):
                self.sheet.set_column(k, k, width)
            self.sheet.freeze_panes(1, 0)
            for k, column in enumerate(self.columns):
                self.sheet.write_string(0, k, column.label, self.head)
            self.row = 0
        return self.per_sheet - self.row

    def _close_sheet(self) -> None:
        if self.sheet is not None:
            self.sheet.autofilter(0, 0, self.row, len(self.columns) - 1)

    def close(self) -> None:
        if self.sheet is None:  # no rows at all: the header alone
            self.room()
        self._close_sheet()


def write_rows(sheets: Sheets, columns: Sequence[Column], batch: pa.RecordBatch) -> int:
    """Write a batch's rows, onto further sheets as they fill; the number of text cells Excel's limit cut."""
    cut, done, n = 0, 0, batch.num_rows
    styles = [f' s="{f._get_xf_index()}"' if f is not None else "" for f in sheets.formats]
    while done < n:
        take = min(sheets.room(), n - done)
        piece, first = batch.slice(done, take), sheets.row + 1
        refs = pc.cast(pa.array(np.arange(first + 1, first + take + 1)), pa.string())  # Excel's row numbers are 1-based
        cells = []
        for k, column in enumerate(columns):
            xml, cut_here = _xlsx_cells(column, piece.column(column.name), xl_col_to_name(k), refs, styles[k])
            cells.append(xml)
            cut += cut_here
        lines = pc.binary_join_element_wise('<row r="', refs, '">', *cells, "</row>", "", null_handling="replace", null_replacement="")
        sheets.sheet.write_xml_rows(first, first + take - 1, len(columns) - 1, buffer_bytes(lines))
        sheets.row += take
        done += take
    return cut


def info_sheet(book: xlsxwriter.Workbook, columns: Sequence[Column], info: Sequence[tuple[str, str]], result: XlsxResult,
                per_sheet: int, cut: int, lang: str) -> None:
    page = book.add_worksheet(word("info", lang))
    label = book.add_format({"bold": True, "valign": "top", "text_wrap": True})
    body = book.add_format({"valign": "top", "text_wrap": True})
    count = book.add_format({"valign": "top", "num_format": "#,##0", "align": "left"})
    page.set_column(0, 0, 30)
    page.set_column(1, 1, 90)
    page.set_column(2, 2, 24)
    row = 0
    for key, value in info:
        page.write_string(row, 0, key, label)
        page.write_string(row, 1, value, body)
        row += 1
    page.write_string(row, 0, word("rows", lang), label)
    page.write_number(row, 1, result.rows, count)
    row += 1
    spans = []
    for k, name in enumerate(result.sheets):
        first, last = k * per_sheet + 1, min((k + 1) * per_sheet, result.rows)
        spans.append(f"{name} ({word('rows_of', lang).format(first=formatting.number(first, 0, lang), last=formatting.number(last, 0, lang))})"
                     if result.rows else name)
    page.write_string(row, 0, word("sheets", lang), label)
    page.write_string(row, 1, "; ".join(spans), body)
    row += 1
    notes = []
    if len(result.sheets) > 1:
        notes.append(word("split", lang).format(limit=formatting.number(per_sheet, 0, lang), rest=", ".join(result.sheets[1:])))
    if cut:
        notes.append(word("cut", lang).format(n=formatting.number(cut, 0, lang), limit=formatting.number(EXCEL_TEXT, 0, lang)))
    for note in notes:
        page.write_string(row, 0, word("note", lang), label)
        page.write_string(row, 1, note, body)
        row += 1
    row += 1
    page.write_string(row, 0, word("columns", lang), label)
    row += 1
    for k, heading in enumerate(word("column_head", lang)):
        page.write_string(row, k, heading, label)
    for column in columns:
        row += 1
        page.write_string(row, 0, column.label, body)
        page.write_string(row, 1, column.name, body)
        page.write_string(row, 2, word("kind", lang)[column.kind], body)
