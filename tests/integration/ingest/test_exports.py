"""A real OPD office export as it comes: Windows-1252, `;`, CRLF, a blank line, a total row and a renamed column.

The fixture `tests/fixtures/exports/izin_dpmptsp_202611.csv` is a DPMPTSP licensing export (line by line):
  1 header (the OPD column is called "OPD Teknis"; the contract knows it as "OPD Pengampu")
  2 0001 Lubuk Alung, DPMPTSP                       loaded
  3 0002 "Kec. 2x11 Kayu Tanam" (a `values` rewrite), Dinas PUPR, "Café Rendang Uni Ésti"   loaded
  4 0003 Nan Sabaris, Dinas Pendidikan, "Yayasan ‘Surau Baru’"                             loaded
  5 (blank)
  6 0004 Batang Anai, Dinas Perhubungan, "PO Tuah Sakato – Pariaman"                       loaded
  7 0005 "Kota Padang": not a kecamatan of the regency                                    rejected
  8 0006 submitted "31/11/2026": no such date                                             rejected
  9 JUMLAH;;;;;;;;1.600.000: the total row                                                skipped
So 7 rows offered = 4 loaded + 2 rejected + 1 skipped.
"""

import shutil
from pathlib import Path

import openpyxl
import pytest

from config import load_config
from conftest import count
from ingest.connectors import Connection
from ingest.connectors.files import PROCESSED_DIR
from ingest.run import run_source
from ingest.tables import ensure_tables

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).parents[2] / "fixtures" / "exports" / "izin_dpmptsp_202611.csv"

CONTRACT = """
[sources.izin_kantor]
kind = "file"
opd = "DPMPTSP"
system = "Ekspor perizinan kantor DPMPTSP"
folder = "{folder}"
format = "{format}"
encoding = "{encoding}"
delimiter = ";"

[sources.izin_kantor.streams.permohonan]
table = "izin_kantor_permohonan"
location = "izin_dpmptsp_*.{format}"
key = ["nomor"]

[sources.izin_kantor.streams.permohonan.fields]
nomor = {{ from = "Nomor Permohonan", required = true }}
pemohon = {{ from = "Nama Pemohon" }}
jenis_izin = {{ from = "Jenis Izin", required = true }}
kode_kecamatan = {{ from = "Kecamatan", type = "kecamatan", required = true, values = {{ "Kec. 2x11 Kayu Tanam" = "2x11 Kayu Tanam" }} }}
kode_opd = {{ from = "OPD Pengampu", type = "opd", required = true, aliases = ["OPD Teknis"] }}
diajukan = {{ from = "Tgl Masuk", type = "date", required = true, format = "%d/%m/%Y" }}
terbit = {{ from = "Tgl Terbit", type = "date", format = "%d/%m/%Y" }}
retribusi = {{ from = "Retribusi (Rp)", type = "decimal" }}
"""
FOOTER = """
[[sources.izin_kantor.streams.permohonan.skip_rows]]
field = "No"
matches = ["JUMLAH*", "TOTAL*", "GRAND TOTAL*"]
"""
LOADED = [
    ("503/IZN/2026/0001", "Ahmad Fauzi", "13.05.01", "DPMPTSP", 0.0),
    ("503/IZN/2026/0002", "Café Rendang Uni Ésti", "13.05.15", "PUPR", 1_250_000.0),
    ("503/IZN/2026/0003", "Yayasan ‘Surau Baru’", "13.05.03", "DISDIKBUD", 0.0),
    ("503/IZN/2026/0004", "PO Tuah Sakato – Pariaman", "13.05.02", "DISHUB", 350_000.0),
]
REJECTED = [
    ("izin_dpmptsp_202611.csv baris 7", "Kecamatan", "kecamatan tidak dikenal: 'Kota Padang'"),
    ("izin_dpmptsp_202611.csv baris 8", "Tgl Masuk", "bukan tanggal %d/%m/%Y: '31/11/2026'"),
]


@pytest.fixture
def izin_kantor(warehouse, tmp_path):
    """The export's source as an operator declares it; returns (folder, load)."""
    folder = tmp_path / "drop"
    folder.mkdir()

    def make(fmt="csv", encoding="auto", footer=True):
        path = tmp_path / "pantau.toml"
        path.write_text(CONTRACT.format(folder=folder, format=fmt, encoding=encoding) + (FOOTER if footer else ""), encoding="utf-8")
        source = load_config(path, env={}).sources["izin_kantor"]
        ensure_tables(warehouse, {"izin_kantor": source})
        return folder, lambda: run_source(warehouse, "izin_kantor", source, Connection(folder=folder))

    return make


def counts(result) -> tuple:
    return (result.status, result.rows_read, result.inserted, result.updated, result.unchanged, result.superseded, result.rejected, result.skipped)


def rejects(warehouse) -> list[tuple]:
    return warehouse.cursor().execute("SELECT origin, field, reason FROM rejects ORDER BY origin").fetchall()


def loaded(warehouse) -> list[tuple]:
    return warehouse.cursor().execute("SELECT nomor, pemohon, kode_kecamatan, kode_opd, retribusi FROM izin_kantor_permohonan ORDER BY nomor").fetchall()


def test_the_fixture_is_the_export_described():
    content = FIXTURE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    lines = content.decode("cp1252").split("\r\n")
    assert lines[0].startswith("No;Nomor Permohonan;") and "OPD Teknis" in lines[0] and lines[4] == "" and lines[8].startswith("JUMLAH;")


@pytest.mark.parametrize("encoding", ["auto", "cp1252"])
def test_a_windows_export_loads_with_its_lines_and_its_total_row_skipped(warehouse, izin_kantor, encoding):
    folder, load = izin_kantor(encoding=encoding)
    shutil.copy(FIXTURE, folder)
    result = load()
    assert counts(result) == ("ok", 7, 4, 0, 0, 0, 2, 1), result.error
    assert rejects(warehouse) == REJECTED
    assert loaded(warehouse) == LOADED
    assert result.notes is None  # "No" is read by the skip rule, not an ignored column
    logged = warehouse.cursor().execute(
        "SELECT rows_read, inserted + updated + unchanged + superseded + rejected + skipped, skipped, streams->'$.permohonan.skipped' FROM loads"
    ).fetchone()
    assert logged == (7, 7, 1, "1")
    assert (folder / PROCESSED_DIR).is_dir() and not (folder / FIXTURE.name).exists()


def test_without_the_footer_rule_the_total_row_is_a_reject_on_its_own_line(warehouse, izin_kantor):
    folder, load = izin_kantor(footer=False)
    shutil.copy(FIXTURE, folder)
    assert counts(load()) == ("ok", 7, 4, 0, 0, 0, 3, 0)
    assert rejects(warehouse)[-1] == ("izin_dpmptsp_202611.csv baris 9", "Nomor Permohonan", "wajib diisi tetapi kosong")


def test_an_export_declared_utf8_fails_naming_the_file_and_loads_nothing(warehouse, izin_kantor):
    folder, load = izin_kantor(encoding="utf-8")
    shutil.copy(FIXTURE, folder)
    result = load()
    assert result.status == "failed" and result.error.startswith("berkas izin_dpmptsp_202611.csv: pengodean bukan utf-8")
    assert count(warehouse, "izin_kantor_permohonan") == 0


def test_the_same_export_as_a_workbook_keeps_the_sheet_row_numbers(warehouse, izin_kantor):
    folder, load = izin_kantor(fmt="xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    for line, text in enumerate(FIXTURE.read_bytes().decode("cp1252").split("\r\n"), start=1):
        for column, value in enumerate(text.split(";") if text else [], start=1):
            if value:
                sheet.cell(row=line, column=column, value=value)
    book.save(folder / "izin_dpmptsp_202611.xlsx")
    assert counts(load()) == ("ok", 7, 4, 0, 0, 0, 2, 1)
    assert rejects(warehouse) == [(origin.replace(".csv", ".xlsx"), field, reason) for origin, field, reason in REJECTED]
    assert loaded(warehouse) == LOADED


def test_lines_count_blank_lines_before_the_header_and_a_value_spanning_lines(warehouse, izin_kantor):
    # With a quoted value the records are found by the CSV reader, not line by line.
    folder, load = izin_kantor()
    header = FIXTURE.read_bytes().decode("cp1252").split("\r\n")[0]
    (folder / "izin_dpmptsp_202612.csv").write_bytes(
        (
            "\n"                                                                                    # 1
            "\n"                                                                                    # 2
            f"{header}\n"                                                                           # 3
            '1;503/IZN/2026/0101;"Koperasi Saiyo\nSakato";Izin Usaha Mikro;Lubuk Alung;DPMPTSP;01/12/2026;;0\n'  # 4-5
            ";;;;;;;;\n"                                                                            # 6: a blank spreadsheet row
            "\n"                                                                                    # 7
            "2;503/IZN/2026/0102;Rina;Izin Usaha Mikro;Padang Luar Kota;DPMPTSP;02/12/2026;;0\n"    # 8
            "TOTAL;;;;;;;;0\n"                                                                      # 9
        ).encode("cp1252")
    )
    assert counts(load()) == ("ok", 3, 1, 0, 0, 0, 1, 1)
    assert rejects(warehouse) == [("izin_dpmptsp_202612.csv baris 8", "Kecamatan", "kecamatan tidak dikenal: 'Padang Luar Kota'")]
    assert warehouse.cursor().execute("SELECT pemohon FROM izin_kantor_permohonan").fetchone() == ("Koperasi Saiyo\nSakato",)


def test_the_renamed_column_without_its_alias_fails_the_load_naming_it(warehouse, izin_kantor, tmp_path):
    folder, _ = izin_kantor()
    shutil.copy(FIXTURE, folder)
    path = tmp_path / "pantau.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(', aliases = ["OPD Teknis"]', ""), encoding="utf-8")
    source = load_config(path, env={}).sources["izin_kantor"]
    result = run_source(warehouse, "izin_kantor", source, Connection(folder=folder))
    assert (result.status, result.error) == ("failed", "izin_dpmptsp_202611.csv: kolom wajib tidak ada di data sumber: OPD Pengampu")
    assert count(warehouse, "izin_kantor_permohonan") == 0 and (folder / FIXTURE.name).exists()


def test_an_agency_added_in_configuration_is_recognised_in_records_and_named_on_screens(tmp_path):
    from region import opd
    from runtime.context import Pantau

    folder = tmp_path / "drop"
    folder.mkdir()
    path = tmp_path / "pantau.toml"
    path.write_text(
        f'[warehouse]\npath = "{tmp_path / "pantau.duckdb"}"\n'
        '[opd.DISNAKKESWAN]\nnama = "Dinas Peternakan"\nnama_lengkap = "Dinas Peternakan dan Kesehatan Hewan"\nvariants = ["Disnakkeswan"]\n'
        + CONTRACT.format(folder=folder, format="csv", encoding="auto") + FOOTER,
        encoding="utf-8",
    )
    header = FIXTURE.read_bytes().decode("cp1252").split("\r\n")[0]
    (folder / "izin_dpmptsp_202612.csv").write_text(
        f"{header}\n1;503/IZN/2026/0201;Peternakan Sapi Saiyo;Izin Usaha Peternakan;Patamuan;Disnakkeswan;01/12/2026;;0\n"
        "2;503/IZN/2026/0202;Klinik Hewan;Izin Praktik Dokter Hewan;Patamuan;Dinas Sapi;01/12/2026;;0\n",
        encoding="utf-8",
    )
    assert opd.normalise_opd("Disnakkeswan") is None  # not a built-in agency
    pantau = Pantau(load_config(path, env={}))
    try:
        result = pantau.load("izin_kantor")
        assert (result.status, result.inserted, result.rejected) == ("ok", 1, 1), result.error
        cur = pantau.warehouse.cursor()
        assert cur.execute("SELECT kode_opd FROM izin_kantor_permohonan").fetchall() == [("DISNAKKESWAN",)]
        assert cur.execute("SELECT origin, reason FROM rejects").fetchall() == [("izin_dpmptsp_202612.csv baris 3", "OPD tidak dikenal: 'Dinas Sapi'")]
        assert opd.opd_name("DISNAKKESWAN") == "Dinas Peternakan"
    finally:
        pantau.close()
        opd.use(opd.BUILTIN)


def test_an_export_of_only_a_header_is_checked_against_the_contract_too(warehouse, izin_kantor):
    folder, load = izin_kantor()
    (folder / "izin_dpmptsp_202612.csv").write_text("No;Nomor Permohonan;Nama Pemohon\r\n", encoding="utf-8")
    result = load()
    assert (result.status, result.error) == ("failed", "izin_dpmptsp_202612.csv: kolom wajib tidak ada di data sumber: Jenis Izin, Kecamatan, OPD Pengampu, Tgl Masuk")
