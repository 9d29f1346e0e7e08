"""What the exports are made of: a column's kind, the words of the Info sheet, and arrays turned to WIB dates and times."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["EXCEL_ROWS", "EXCEL_TEXT", "KINDS", "SHEET_NAME_MAX", "Column", "XlsxResult"]

Kind = Literal["text", "date", "datetime", "integer", "number", "bool"]
Dialect = Literal["koma", "titik_koma"]
KINDS = ("text", "date", "datetime", "integer", "number", "bool")
EXCEL_ROWS = 1_048_576  # rows in one Excel sheet, the header's included
EXCEL_TEXT = 32_767  # characters in one Excel cell
SHEET_NAME_MAX = 31  # characters in an Excel sheet's name
EXCEL_EPOCH = 25_569  # 1970-01-01 as an Excel date serial (days since 1899-12-30)
WIB_NAME = "Asia/Jakarta"

# Words on the Info sheet and in CSV booleans, (Bahasa Indonesia, English).
_W = {
    "info": ("Info", "Info"), "rows": ("Jumlah baris data", "Data rows"), "sheets": ("Lembar data", "Data sheets"),
    "split": ("Baris data melebihi batas satu lembar Excel ({limit} baris data); data berlanjut di lembar {rest}, "
              "masing-masing dengan judul kolomnya.",
              "The rows exceed one Excel sheet ({limit} data rows); the data continues on sheet {rest}, each with its header."),
    "rows_of": ("baris {first}–{last}", "rows {first}–{last}"), "columns": ("Kolom", "Columns"),
    "column_head": (("Judul kolom", "Nama", "Jenis"), ("Column heading", "Name", "Type")),
    "kind": ({"text": "teks", "date": "tanggal", "datetime": "tanggal dan jam (WIB)", "integer": "bilangan bulat", "number": "angka",
              "bool": "ya/tidak"},
             {"text": "text", "date": "date", "datetime": "date and time (WIB)", "integer": "integer", "number": "number",
              "bool": "yes/no"}),
    "cut": ("{n} sel teks lebih panjang dari batas Excel ({limit} karakter) dan terpotong di XLSX; ekspor CSV memuatnya utuh.",
            "{n} text cells are longer than Excel allows ({limit} characters) and are cut in the XLSX; the CSV export holds them whole."),
    "note": ("Catatan", "Note"), "yes": ("ya", "yes"), "no": ("tidak", "no"),
}


def word(key: str, lang: str):
    return _W[key][lang == "en"]


@dataclass(frozen=True)
class Column:
    """One exported column: its field in the batches, its heading, its kind and, for numbers, the decimals shown in XLSX.

    `decimals` only formats the XLSX cell (the cell keeps the full value); the CSV always writes every digit.
    """

    name: str
    label: str
    kind: Kind = "text"
    decimals: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: kind {self.kind!r} is not one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class XlsxResult:
    """What `write_xlsx` wrote: the data rows, and the data sheets' names in order (the Info sheet is not counted)."""

    rows: int
    sheets: tuple[str, ...]


def wib_wall(array: pa.Array) -> pa.Array:
    """Timestamps as WIB wall-clock time without a zone: an aware one converted to WIB, a naive one taken as given."""
    if array.type.tz is None:
        return array
    return pc.local_timestamp(pc.cast(array, pa.timestamp(array.type.unit, tz=WIB_NAME)))


def as_date(array: pa.Array) -> pa.Array:
    if pa.types.is_timestamp(array.type):
        return pc.cast(wib_wall(array), pa.date32())
    if pa.types.is_date64(array.type):
        return pc.cast(array, pa.date32())
    return array


def as_timestamp(array: pa.Array) -> pa.Array:
    if pa.types.is_timestamp(array.type):
        return wib_wall(array)
    if pa.types.is_date(array.type):
        return pc.cast(array, pa.timestamp("s"))
    return array


def as_string(array: pa.Array) -> pa.Array:
    return array if pa.types.is_string(array.type) else pc.cast(array, pa.string())


def buffer_bytes(strings: pa.Array) -> bytes:
    """A string array's values back to back, as they lie in its data buffer: one copy, no Python string per value."""
    _, offsets, data = strings.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)[strings.offset:strings.offset + len(strings) + 1]
    return data[int(bounds[0]):int(bounds[-1])].to_pybytes() if data is not None else b""
