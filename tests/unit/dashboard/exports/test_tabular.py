"""Records as CSV and XLSX, read back as a person's tools read them: Python's csv module with the BOM and either dialect,
openpyxl for typed cells, the Info sheet and the split over sheets; batches from a real DuckDB query."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal

import duckdb
import openpyxl
import pyarrow as pa
import pytest

from dashboard.exports import tabular
from dashboard.exports.tabular import Column, csv_chunks, record_batch, table_csv, table_xlsx, write_xlsx

COLUMNS = [Column("nomor", "Nomor izin"), Column("tanggal", "Tanggal", "date"), Column("waktu", "Waktu masuk", "datetime"),
           Column("nilai", "Nilai (Rp)", "number", 2), Column("hari", "Lama (hari)", "integer"), Column("selesai", "Selesai", "bool")]
ROWS = [
    ("IMB-001", dt.date(2026, 12, 1), dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC), 1234.5, 3, True),
    ('Toko "Maju"; Jaya, Tbk', dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 14, 5), 0.1 + 0.2, -4, False),
    ("baris\nkedua", None, None, None, None, None),
    ("=SUM(A1)", dt.date(1999, 12, 31), dt.datetime(2026, 6, 30, 23, 59), 1e-7, 10**12, True),
    ("-5 dan +62812", dt.date(2026, 2, 28), dt.datetime(2026, 2, 28, 0, 0), -98765.4321, 0, False),
    ("", dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 12, 30), 123456789.12345679, 7, None),
]


def _read_csv(data: bytes, dialect: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM, so Excel reads UTF-8
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if dialect == "titik_koma" else ","))


def _number(text: str, dialect: str) -> float:
    return float(text.replace(",", ".") if dialect == "titik_koma" else text)


@pytest.mark.parametrize("dialect", ["koma", "titik_koma"])
def test_csv_round_trips_in_either_dialect(dialect):
    rows = _read_csv(table_csv(COLUMNS, ROWS, dialect), dialect)
    assert rows[0] == [c.label for c in COLUMNS]
    body = rows[1:]
    assert len(body) == len(ROWS)
    assert [r[0] for r in body] == ["IMB-001", 'Toko "Maju"; Jaya, Tbk', "baris\nkedua", "'=SUM(A1)", "'-5 dan +62812", ""]
    assert [r[1] for r in body] == ["2026-12-01", "2026-01-02", "", "1999-12-31", "2026-02-28", "2026-03-01"]
    # An aware time is written in WIB (07:00 UTC is 14:00 WIB); a naive one as given.
    assert [r[2] for r in body] == ["2026-12-01 14:00", "2026-01-02 14:05", "", "2026-06-30 23:59", "2026-02-28 00:00", "2026-03-01 12:30"]
    for row, original in zip(body, ROWS, strict=True):
        if original[3] is None:
            assert row[3] == ""
        else:
            assert _number(row[3], dialect) == original[3]  # every digit: the same double back
            assert "e" not in row[3].lower()
            assert ("." not in row[3]) if dialect == "titik_koma" else ("," not in row[3])
    assert [r[4] for r in body] == ["3", "-4", "", "1000000000000", "0", "7"]
    assert [r[5] for r in body] == ["ya", "tidak", "", "ya", "tidak", ""]


def test_csv_decimal_comma_and_point_as_excel_expects():
    cols = [Column("x", "Nilai", "number")]
    assert table_csv(cols, [(1234.5,)], "titik_koma") == b"\xef\xbb\xbfNilai\r\n1234,5\r\n"
    assert table_csv(cols, [(1234.5,)], "koma") == b"\xef\xbb\xbfNilai\r\n1234.5\r\n"


def test_csv_quotes_only_what_needs_it_and_a_lone_empty_field_stays_a_row():
    text = table_csv([Column("a", "A")], [("x;y",), ("",), (None,), ("z",)], "titik_koma").decode("utf-8-sig")
    assert text == 'A\r\n"x;y"\r\n""\r\n""\r\nz\r\n'
    text = table_csv([Column("a", "A"), Column("b", "B")], [("x;y", "p,q")], "koma").decode("utf-8-sig")
    assert text == 'A,B\r\nx;y,"p,q"\r\n'


def test_csv_english_booleans_and_non_finite_numbers_are_empty():
    text = table_csv([Column("b", "Done", "bool"), Column("n", "N", "number")], [(True, math.nan), (False, math.inf)], "koma",
                     lang="en").decode("utf-8-sig")
    assert text == "Done,N\r\nyes,\r\nno,\r\n"


def test_csv_takes_duckdb_types_as_they_come():
    con = duckdb.connect()
    reader = con.sql("select 12.345::decimal(10,3) as d, 3::hugeint as h, timestamptz '2026-12-01 00:00:00+00' as t, "
                     "date '2026-12-01' as day, 2.5::float as f").to_arrow_reader(10)
    cols = [Column("d", "D", "number"), Column("h", "H", "integer"), Column("t", "T", "datetime"), Column("day", "Day", "datetime"),
            Column("f", "F", "number")]
    text = b"".join(csv_chunks(cols, reader, "titik_koma")).decode("utf-8-sig")
    assert text.splitlines()[1] == "12,345;3;2026-12-01 07:00;2026-12-01 00:00;2,5"


def test_csv_names_a_missing_column():
    with pytest.raises(KeyError, match="'nope'"):
        list(csv_chunks([Column("nope", "Nope")], [record_batch(COLUMNS, ROWS)]))


def test_csv_streams_in_slices_whatever_the_batch_size(monkeypatch):
    monkeypatch.setattr(tabular, "SLICE", 1000)
    con = duckdb.connect()
    reader = con.sql("select i as n, 'r' || i as t from range(4500) r(i)").to_arrow_reader(3000)
    chunks = list(csv_chunks([Column("n", "N", "integer"), Column("t", "T")], reader, "koma"))
    assert chunks[0] == b"\xef\xbb\xbfN,T\r\n"
    assert len(chunks) >= 1 + 5 and all(chunk.count(b"\r\n") <= 1000 for chunk in chunks)  # no piece holds more than a slice
    rows = _read_csv(b"".join(chunks), "koma")[1:]
    assert rows == [[str(i), f"r{i}"] for i in range(4500)]


def _workbook(data: bytes) -> openpyxl.Workbook:
    # Every sheet is well-formed XML (inline strings escaped as Excel wants them).
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                ET.fromstring(archive.read(name))
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_cells_are_typed():
    book = _workbook(table_xlsx(COLUMNS, ROWS, [("Filter", "semua")]))
    assert book.sheetnames == ["Data", "Info"]
    data = book["Data"]
    assert [c.value for c in data[1]] == [c.label for c in COLUMNS]
    assert all(c.font.b for c in data[1])
    assert data.freeze_panes == "A2"
    assert data.auto_filter.ref == "A1:F7"
    first = [c.value for c in data[2]]
    assert first == ["IMB-001", dt.datetime(2026, 12, 1), dt.datetime(2026, 12, 1, 14, 0), 1234.5, 3, True]
    assert data["B2"].is_date and data["B2"].number_format == "yyyy-mm-dd"
    assert data["C2"].is_date and data["C2"].number_format == "yyyy-mm-dd hh:mm"
    assert data["D2"].number_format == "#,##0.00" and data["E2"].number_format == "#,##0"
    assert data["D3"].value == 0.1 + 0.2  # the same double, not 16 digits of it
    assert data["A3"].value == 'Toko "Maju"; Jaya, Tbk'
    assert data["A4"].value == "baris\nkedua" and data["B4"].value is None and data["F4"].value is None
    assert data["A5"].value == "=SUM(A1)" and data["A5"].data_type == "s"  # text, never a formula
    assert data["E5"].value == 10**12 and data["D5"].value == 1e-7
    assert data["D7"].value == 123456789.12345679


def test_xlsx_times_keep_their_minutes():
    stamps = [dt.datetime(2026, 1, 1) + dt.timedelta(minutes=7 * i) for i in range(2000)]
    book = _workbook(table_xlsx([Column("t", "T", "datetime")], [(s,) for s in stamps], []))
    read = [row[0] for row in book["Data"].iter_rows(min_row=2, values_only=True)]
    assert [r.replace(second=0, microsecond=0) + dt.timedelta(minutes=1 if r.second >= 30 else 0) for r in read] == stamps


def test_xlsx_info_sheet_says_what_the_data_is():
    info = [("Indikator", "Izin terbit tepat waktu"), ("Filter", "Kecamatan: Lubuk Alung; Periode: Nov 2026"),
            ("Data per", "1 Des 2026 14.00 WIB"), ("Definisi", "Izin yang terbit dalam SLA"), ("Sumber", "DPMPTSP, SiCantik")]
    book = _workbook(table_xlsx(COLUMNS, ROWS, info))
    rows = [r for r in book["Info"].iter_rows(values_only=True)]
    assert rows[:5] == [(k, v, None) for k, v in info]
    assert rows[5][:2] == ("Jumlah baris data", 6)
    assert rows[6][:2] == ("Lembar data", "Data (baris 1–6)")
    kinds = {r[1]: r[2] for r in rows if r[1] in {c.name for c in COLUMNS}}
    assert kinds == {"nomor": "teks", "tanggal": "tanggal", "waktu": "tanggal dan jam (WIB)", "nilai": "angka", "hari": "bilangan bulat",
                     "selesai": "ya/tidak"}


def test_xlsx_continues_on_further_sheets_and_says_so(tmp_path):
    con = duckdb.connect()
    reader = con.sql("select i as n, date '2026-01-01' + (i % 30)::int as d from range(25) r(i)").to_arrow_reader(7)
    path = tmp_path / "rekaman.xlsx"
    result = write_xlsx(path, [Column("n", "N", "integer"), Column("d", "Tanggal", "date")], reader, [("Filter", "semua")],
                        rows_per_sheet=10, lang="en")
    assert result == tabular.XlsxResult(25, ("Data", "Data 2", "Data 3"))
    book = _workbook(path.read_bytes())
    assert book.sheetnames == ["Data", "Data 2", "Data 3", "Info"]
    numbers = []
    for name in result.sheets:
        sheet = book[name]
        assert [c.value for c in sheet[1]] == ["N", "Tanggal"] and sheet.freeze_panes == "A2"
        numbers += [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
        assert sheet.max_row <= 11
    assert numbers == list(range(25))
    assert book["Data 3"]["B6"].value == dt.datetime(2026, 1, 25)
    info = {r[0]: r[1] for r in book["Info"].iter_rows(values_only=True) if r[0]}
    assert info["Data rows"] == 25
    assert info["Data sheets"] == "Data (rows 1–10); Data 2 (rows 11–20); Data 3 (rows 21–25)"
    assert "continues on sheet Data 2, Data 3" in info["Note"]


def test_xlsx_of_no_rows_has_the_header(tmp_path):
    result = write_xlsx(tmp_path / "kosong.xlsx", COLUMNS, [], [])
    assert result == tabular.XlsxResult(0, ("Data",))
    book = _workbook((tmp_path / "kosong.xlsx").read_bytes())
    assert [c.value for c in book["Data"][1]] == [c.label for c in COLUMNS]
    assert {r[0]: r[1] for r in book["Info"].iter_rows(values_only=True) if r[0]}["Jumlah baris data"] == 0


def test_xlsx_escapes_what_xml_and_excel_need():
    texts = ["<b>&amp;</b>", "tab\there", "ctrl\x01char", "_x0041_ literal", "  spaced  ", "Ünïcödé — ✓"]
    book = _workbook(table_xlsx([Column("t", "T")], [(t,) for t in texts], []))
    read = [r[0] for r in book["Data"].iter_rows(min_row=2, values_only=True)]
    # openpyxl leaves Excel's _xHHHH_ escapes as they are; Excel shows them as the character and the literal.
    assert read == ["<b>&amp;</b>", "tab\there", "ctrl_x0001_char", "_x005F_x0041_ literal", "  spaced  ", "Ünïcödé — ✓"]


def test_xlsx_says_when_excel_cuts_a_long_text():
    long = "x" * (tabular.EXCEL_TEXT + 10)
    book = _workbook(table_xlsx([Column("t", "T")], [(long,), ("short",)], []))
    assert len(book["Data"]["A2"].value) == tabular.EXCEL_TEXT
    info = {r[0]: r[1] for r in book["Info"].iter_rows(values_only=True) if r[0]}
    assert info["Catatan"].startswith("1 sel teks lebih panjang dari batas Excel (32.767 karakter)")
    assert table_csv([Column("t", "T")], [(long,)]).decode("utf-8-sig").splitlines()[1] == long  # the CSV holds it whole


def test_xlsx_takes_decimals_and_aware_times_from_duckdb(tmp_path):
    con = duckdb.connect()
    reader = con.sql("select 12.345::decimal(10,3) as d, timestamptz '2026-12-01 00:00:00+00' as t").to_arrow_reader(10)
    out = io.BytesIO()
    write_xlsx(out, [Column("d", "D", "number"), Column("t", "T", "datetime")], reader, [])
    sheet = _workbook(out.getvalue())["Data"]
    assert sheet["A2"].value == float(Decimal("12.345")) and sheet["B2"].value == dt.datetime(2026, 12, 1, 7, 0)


def test_column_kind_is_checked():
    with pytest.raises(ValueError, match="kind 'float'"):
        Column("x", "X", "float")


def test_record_batch_types_follow_the_kinds():
    batch = record_batch(COLUMNS, ROWS)
    assert batch.schema.types == [pa.string(), pa.date32(), pa.timestamp("us"), pa.float64(), pa.int64(), pa.bool_()]
    assert batch.column("waktu")[0].as_py() == dt.datetime(2026, 12, 1, 14, 0)  # UTC 07:00 as WIB wall time
