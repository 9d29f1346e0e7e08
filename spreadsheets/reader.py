"""openpyxl's read-only reader as spreadsheets opens workbooks with it; imported when the first workbook is opened."""

from __future__ import annotations

import io

from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet not sized when opened: sizing one that declares no dimension parses all of it (openpyxl
    3.1), and a declared size is not trusted anyway. Rows are as wide as their last cell, or the caller's max_col."""

    def _get_size(self) -> None:
        pass


class _Reader(ExcelReader):
    """openpyxl's read-only reader, with unsized sheets; chart sheets, which hold no rows, are left out."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                worksheet = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                worksheet.sheet_state = sheet.state
                self.wb._sheets.append(worksheet)


def read_only_workbook(content: bytes) -> _Reader:
    """A reader of `content` with values cached instead of formulas; `read()` it, then take its `wb`."""
    return _Reader(io.BytesIO(content), read_only=True, data_only=True)
