"""File-drop connector: encodings, delimiters, Indonesian dates and numbers, header aliases, XLSX, the ledger."""

import shutil

import openpyxl
import pytest

import ingest.run
from config import load_config
from conftest import count
from ingest.connectors import Connection
from ingest.connectors.files import PROCESSED_DIR
from ingest.run import run_source
from ingest.tables import ensure_tables

pytestmark = pytest.mark.integration

# A source added by configuration alone: no code, its table made from the contract.
RETRIBUSI = """
[sources.retribusi]
kind = "file"
opd = "BPKD"
system = "Setoran retribusi pasar"
format = "{format}"
encoding = "{encoding}"
delimiter = "{delimiter}"
folder = "{folder}"

[sources.retribusi.streams.setoran]
table = "retribusi_setoran"
location = "setoran_*.{ext}"
key = ["nomor"]

[sources.retribusi.streams.setoran.fields]
nomor = {{ from = "Nomor", required = true, aliases = ["no_setoran"] }}
disetor = {{ from = "Waktu Setor", type = "instant", required = true, format = ["%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M"] }}
pasar = {{ from = "Pasar" }}
kode_kecamatan = {{ from = "Kecamatan", type = "kecamatan", required = true }}
kode_opd = {{ from = "OPD", type = "opd", required = true }}
jumlah = {{ from = "Jumlah (Rp)", type = "decimal", required = true, aliases = ["jumlah"] }}
lunas = {{ from = "Lunas", type = "bool" }}

[[sources.retribusi.streams.setoran.checks]]
valid = "jumlah >= 0"
field = "Jumlah (Rp)"
reason = "jumlah setoran negatif"
"""

ROWS = [
    ["Nomor", "Waktu Setor", "Pasar", "Kecamatan", "OPD", "Jumlah (Rp)", "Lunas"],
    ["S-001", "27-11-2026 23:45", "Pasar Lubuk Alung", "Lubuak Alung", "BPKD", "1.234.567,50", "ya"],
    ["S-002", "28/11/2026 07:05", "Pasar Sicincin — Café", "2x11 Enam Lingkung", "Badan Pengelolaan Keuangan Daerah", "250.000", "tidak"],
    ["S-003", "29-11-2026 10:00", "Pasar Pariaman", "Kota Pariaman", "BPKD", "1.000", "ya"],
    ["S-004", "30-11-2026 10:00", "Pasar Kayu Tanam", "2 X 11 Kayu Tanam", "BPKD", "-5.000", "ya"],
]


def source_for(tmp_path, fmt="csv", encoding="auto", delimiter=";"):
    folder = tmp_path / "drop"
    folder.mkdir(exist_ok=True)
    config_file = tmp_path / "pantau.toml"
    ext = "xlsx" if fmt == "xlsx" else "csv"
    config_file.write_text(RETRIBUSI.format(format=fmt, encoding=encoding, delimiter=delimiter, folder=folder, ext=ext), encoding="utf-8")
    return load_config(config_file, env={}).sources["retribusi"], folder


def write_csv(path, rows, encoding, delimiter):
    text = "\n".join(delimiter.join(f'"{v}"' if delimiter in v else v for v in row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))


@pytest.mark.parametrize(
    "encoding, file_encoding, delimiter",
    [("auto", "utf-8", ";"), ("auto", "utf-8-sig", ";"), ("auto", "cp1252", ","), ("cp1252", "cp1252", ";"), ("utf-8-sig", "utf-8-sig", "\t")],
)
def test_csv_variants_load_the_same(warehouse, tmp_path, encoding, file_encoding, delimiter):
    source, folder = source_for(tmp_path, encoding=encoding, delimiter=delimiter)
    ensure_tables(warehouse, {"retribusi": source})
    write_csv(folder / "setoran_20261130.csv", ROWS, file_encoding, delimiter)
    result = run_source(warehouse, "retribusi", source, Connection(folder=folder))
    assert (result.status, result.rows_read, result.inserted, result.rejected) == ("ok", 4, 2, 2), result.error
    rows = warehouse.cursor().execute(
        "SELECT nomor, disetor_utc, disetor_tgl, pasar, kode_kecamatan, kode_opd, jumlah, lunas FROM retribusi_setoran ORDER BY nomor"
    ).fetchall()
    # 23:45 WIB on 27 Nov is 16:45 UTC, still the 27th in WIB.
    assert [str(v) for v in rows[0]] == ["S-001", "2026-11-27 16:45:00", "2026-11-27", "Pasar Lubuk Alung", "13.05.01", "BPKD", "1234567.5", "True"]
    assert rows[1][3] == "Pasar Sicincin — Café" and rows[1][4:7] == ("13.05.04", "BPKD", 250000.0)
    # Each accepted row keeps its file and row, as a reject would say them.
    origins = warehouse.cursor().execute("SELECT nomor, _origin FROM retribusi_setoran ORDER BY nomor").fetchall()
    assert origins == [("S-001", "setoran_20261130.csv baris 2"), ("S-002", "setoran_20261130.csv baris 3")]
    rejects = warehouse.cursor().execute("SELECT origin, field, reason FROM rejects ORDER BY origin").fetchall()
    assert rejects == [
        ("setoran_20261130.csv baris 4", "Kecamatan", "kecamatan tidak dikenal: 'Kota Pariaman'"),
        ("setoran_20261130.csv baris 5", "Jumlah (Rp)", "jumlah setoran negatif"),
    ]


def test_xlsx_drop(warehouse, tmp_path):
    source, folder = source_for(tmp_path, fmt="xlsx")
    ensure_tables(warehouse, {"retribusi": source})
    book = openpyxl.Workbook()
    sheet = book.active
    for row in ROWS[:3]:
        sheet.append(row)
    sheet.append(["S-009", "30-11-2026 08:00", "Pasar X", "13.05.01", "BPKD", 75000.0, "ya"])  # a real number cell
    book.save(folder / "setoran_202611.xlsx")
    result = run_source(warehouse, "retribusi", source, Connection(folder=folder))
    assert (result.status, result.inserted, result.rejected) == ("ok", 3, 0), result.error
    assert warehouse.cursor().execute("SELECT jumlah FROM retribusi_setoran WHERE nomor = 'S-009'").fetchone() == (75000.0,)


def test_header_aliases_and_extra_columns_noted_once(warehouse, tmp_path):
    source, folder = source_for(tmp_path)
    ensure_tables(warehouse, {"retribusi": source})
    header = ["no_setoran", "WAKTU SETOR", "pasar", "kecamatan", "opd", "jumlah", "lunas", "petugas"]
    write_csv(folder / "setoran_1.csv", [header, ["S-1", "27-11-2026 08:00", "P", "13.05.01", "BPKD", "10", "ya", "Ani"]], "utf-8", ";")
    first = run_source(warehouse, "retribusi", source, Connection(folder=folder))
    assert first.inserted == 1 and first.notes == "setoran: kolom tambahan diabaikan: petugas"
    write_csv(folder / "setoran_2.csv", [header, ["S-2", "27-11-2026 09:00", "P", "13.05.01", "BPKD", "10", "ya", "Budi"]], "utf-8", ";")
    second = run_source(warehouse, "retribusi", source, Connection(folder=folder))
    assert second.inserted == 1 and second.notes is None  # said once


def test_required_column_missing_loads_nothing_and_names_it(warehouse, tmp_path):
    source, folder = source_for(tmp_path)
    ensure_tables(warehouse, {"retribusi": source})
    write_csv(folder / "setoran_1.csv", [["Nomor", "Waktu", "Kecamatan", "OPD", "Jumlah (Rp)"], ["S-1", "27-11-2026 08:00", "13.05.01", "BPKD", "1"]], "utf-8", ";")
    result = run_source(warehouse, "retribusi", source, Connection(folder=folder))
    assert result.status == "failed" and result.error == "setoran_1.csv: kolom wajib tidak ada di data sumber: Waktu Setor"
    assert count(warehouse, "retribusi_setoran") == 0 and (folder / "setoran_1.csv").exists()


def test_a_later_file_without_a_required_column_fails_the_load_naming_it(warehouse, tmp_path):
    # Read together, the second file's renamed column would only leave its rows empty: each part is checked alone.
    source, folder = source_for(tmp_path)
    ensure_tables(warehouse, {"retribusi": source})
    write_csv(folder / "setoran_1.csv", ROWS[:2], "utf-8", ";")
    renamed = [["Nomor", "Waktu Setor", "Pasar", "Kec.", "OPD", "Jumlah (Rp)", "Lunas"], ROWS[2]]
    write_csv(folder / "setoran_2.csv", renamed, "utf-8", ";")
    result = run_source(warehouse, "retribusi", source, Connection(folder=folder))
    assert (result.status, result.error) == ("failed", "setoran_2.csv: kolom wajib tidak ada di data sumber: Kecamatan")
    assert count(warehouse, "retribusi_setoran") == 0 and count(warehouse, "rejects") == 0
    assert (folder / "setoran_1.csv").exists() and (folder / "setoran_2.csv").exists()


def test_ledger_same_file_once_corrected_file_reloads_processed_moved_aside(warehouse, simulator, load):
    inbox = simulator.absensi_inbox
    files = sorted(inbox.glob("absensi_*.csv"))
    rows_in_files = sum(len(f.read_text(encoding="utf-8").splitlines()) - 1 for f in files)
    first = load("absensi", Connection(folder=inbox))
    assert first.status == "ok" and first.rows_read == rows_in_files and first.rejected == 0
    assert count(warehouse, "absensi_harian") == first.inserted
    assert not list(inbox.glob("absensi_*.csv"))
    moved = sorted((inbox / PROCESSED_DIR).glob("*.csv"))
    assert len(moved) == len(files)

    shutil.copy(moved[0], inbox / files[0].name)  # the same file dropped again
    again = load("absensi", Connection(folder=inbox))
    assert (again.rows_read, again.inserted, again.updated) == (0, 0, 0)
    assert not list(inbox.glob("absensi_*.csv"))

    lines = moved[0].read_text(encoding="utf-8").splitlines()
    header, first_row = lines[0].split(";"), lines[1].split(";")
    first_row[header.index("status")] = "DL"  # an alias of "dinas luar"
    first_row[header.index("jam_masuk")] = first_row[header.index("jam_pulang")] = ""
    (inbox / files[0].name).write_text("\n".join([lines[0], ";".join(first_row), *lines[2:]]) + "\n", encoding="utf-8")
    corrected = load("absensi", Connection(folder=inbox))
    assert (corrected.updated, corrected.inserted) == (1, 0)
    nip = first_row[header.index("nip")]
    assert warehouse.cursor().execute("SELECT status FROM absensi_harian WHERE nip = ? ORDER BY tanggal LIMIT 1", [nip]).fetchone() == ("dinas luar",)


@pytest.mark.parametrize("merge_rows", [1, 100_000])
def test_a_later_file_in_the_same_load_wins_however_batches_are_merged(warehouse, tmp_path, monkeypatch, load, merge_rows):
    monkeypatch.setattr(ingest.run, "MERGE_ROWS", merge_rows)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    header = "nip;nama;kode_opd;tanggal;jam_masuk;jam_pulang;status;jam_kerja\n"
    (inbox / "absensi_20261126.csv").write_text(header + "1;Ani;BKPSDM;26/11/2026;07:12;;hadir;\n2;Budi;BKPSDM;26/11/2026;07:20;;hadir;\n", encoding="utf-8")
    (inbox / "absensi_20261126_koreksi.csv").write_text(header + "1;Ani;BKPSDM;26/11/2026;07:12;16:30;hadir;9,3\n", encoding="utf-8")
    result = load("absensi", Connection(folder=inbox))
    assert result.rows_read == 3 and result.inserted == 2
    # Merged apart, the correction updates the row the first file inserted; merged together it supersedes it.
    assert (result.updated, result.superseded) == ((1, 0) if merge_rows == 1 else (0, 1))
    row = warehouse.cursor().execute("SELECT jam_pulang, jam_kerja FROM absensi_harian WHERE nip = '1'").fetchone()
    assert str(row[0]) == "16:30:00" and row[1] == 9.3


def test_bad_rows_are_rejected_with_file_row_field_and_reason(warehouse, tmp_path, load):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "absensi_20261126.csv").write_text(
        "nip;nama;kode_opd;tanggal;jam_masuk;jam_pulang;status;jam_kerja\n"
        "198001012005011001;Ani;BKPSDM;26/11/2026;07:12;16:30;hadir;8,3\n"
        "198001012005011002;Budi;BKPSDM;31/11/2026;07:12;16:30;hadir;8,3\n"
        "198001012005011003;Cici;Dinas Rahasia;26/11/2026;07:40;;hadir;\n"
        "198001012005011004;Dedi;Dinas Kesehatan;26/11/2026;08:10;07:00;hadir;\n",
        encoding="utf-8",
    )
    result = load("absensi", Connection(folder=inbox))
    assert (result.status, result.inserted, result.rejected) == ("ok", 1, 3)
    rejects = warehouse.cursor().execute("SELECT origin, field, reason FROM rejects ORDER BY origin").fetchall()
    assert rejects == [
        ("absensi_20261126.csv baris 3", "tanggal", "bukan tanggal %d/%m/%Y atau %d-%m-%Y: '31/11/2026'"),
        ("absensi_20261126.csv baris 4", "kode_opd", "OPD tidak dikenal: 'Dinas Rahasia'"),
        ("absensi_20261126.csv baris 5", "jam_pulang", "jam pulang sebelum jam masuk"),
    ]
