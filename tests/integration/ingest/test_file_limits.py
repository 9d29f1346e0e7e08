"""File drops within limits: a file too big, too long or unreadable fails its load and is set aside in gagal/ with its
reason, never read again, while the other files load next; rejects are kept up to a limit and counted in full."""

import datetime as dt
import shutil
import time

import openpyxl
import pytest

import ingest.connectors.files
import ingest.run
from config import load_config
from conftest import count
from ingest.connectors import Connection
from ingest.run import run_source
from ingest.tables import ensure_tables
from tests.hostile import workbook

FAILED_DIR, PROCESSED_DIR = "gagal", "diproses"

pytestmark = pytest.mark.integration

SOURCE = """
[sources.retribusi]
kind = "file"
opd = "BPKD"
format = "{format}"
folder = "{folder}"
{settings}

[sources.retribusi.streams.setoran]
table = "retribusi_setoran"
location = "setoran_*.{format}"
key = ["nomor"]

[sources.retribusi.streams.setoran.fields]
nomor = {{ from = "Nomor", required = true }}
jumlah = {{ from = "Jumlah", type = "decimal", required = true }}

[[sources.retribusi.streams.setoran.checks]]
valid = "jumlah >= 0"
field = "Jumlah"
reason = "jumlah setoran negatif"
"""


@pytest.fixture
def retribusi(warehouse, tmp_path):
    """Make the source with some settings (TOML lines) and its table; returns (source, drop folder, load)."""
    folder = tmp_path / "drop"
    folder.mkdir()

    def make(fmt="csv", settings=""):
        path = tmp_path / "pantau.toml"
        path.write_text(SOURCE.format(format=fmt, folder=folder, settings=settings), encoding="utf-8")
        source = load_config(path, env={}).sources["retribusi"]
        ensure_tables(warehouse, {"retribusi": source})
        return source, folder, lambda since=None: run_source(warehouse, "retribusi", source, Connection(folder=folder), since=since)

    return make


def setoran(path, rows, start=1, amount="1.000"):
    path.write_text("Nomor;Jumlah\n" + "".join(f"S-{n:05d};{amount}\n" for n in range(start, start + rows)), encoding="utf-8")
    return path


def reconciles(result) -> bool:
    return result.rows_read == result.inserted + result.updated + result.unchanged + result.superseded + result.rejected + result.skipped


def test_a_file_too_big_is_set_aside_unread_and_the_other_files_load_next(warehouse, retribusi):
    source, folder, load = retribusi(settings='max_file_bytes = "1KB"')
    setoran(folder / "setoran_1.csv", 2)
    big = setoran(folder / "setoran_2.csv", 100, start=10)
    content = big.read_bytes()
    setoran(folder / "setoran_3.csv", 1, start=200)

    first = load()
    assert first.status == "failed"
    assert first.error == (
        "berkas setoran_2.csv: 1.413 bita, melebihi batas max_file_bytes 1.000 bita; berkas dipindah ke gagal/setoran_2.csv, "
        "alasannya di setoran_2.csv.alasan.txt; berkas lain dimuat pada pemuatan berikutnya"
    )
    # All or nothing: the file before it was rolled back and stays to be loaded.
    assert count(warehouse, "retribusi_setoran") == 0
    assert sorted(p.name for p in folder.iterdir()) == [FAILED_DIR, "setoran_1.csv", "setoran_3.csv"]
    assert (folder / FAILED_DIR / "setoran_2.csv").read_bytes() == content
    reason = (folder / FAILED_DIR / "setoran_2.csv.alasan.txt").read_text(encoding="utf-8")
    assert f"Sumber  : retribusi, pemuatan {first.load_id}\n" in reason and " WIB\n" in reason
    assert "Alasan  : berkas setoran_2.csv: 1.413 bita, melebihi batas max_file_bytes 1.000 bita\n" in reason
    assert f"pindahkan kembali ke {folder}" in reason

    second = load()
    assert (second.status, second.rows_read, second.inserted) == ("ok", 3, 3) and reconciles(second)
    assert sorted(p.name for p in folder.iterdir()) == [PROCESSED_DIR, FAILED_DIR]
    assert (load().status, load().rows_read) == ("ok", 0)  # not read again
    assert (folder / FAILED_DIR / "setoran_2.csv").exists()

    # An operator raises the limit and moves the file back: it loads.
    _, _, load_bigger = retribusi(settings='max_file_bytes = "1MB"')
    shutil.move(folder / FAILED_DIR / "setoran_2.csv", folder / "setoran_2.csv")
    again = load_bigger()
    assert (again.status, again.inserted) == ("ok", 100) and count(warehouse, "retribusi_setoran") == 103


@pytest.mark.parametrize(
    "fmt, settings, name, write, reason",
    [
        ("csv", "max_rows = 3", "setoran_1.csv", lambda p: setoran(p, 4), "berkas setoran_1.csv: lebih dari 3 baris (batas max_rows)"),
        ("csv", 'encoding = "utf-8"', "setoran_1.csv", lambda p: p.write_bytes("Nomor;Jumlah\nS-1 Café;1\n".encode("cp1252")), "berkas setoran_1.csv: pengodean bukan utf-8"),
        ("csv", "", "setoran_1.csv", lambda p: p.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(100)), "berkas setoran_1.csv: bukan teks CSV (berisi data biner)"),
        ("csv", "", "setoran_1.csv", lambda p: p.write_text("Nomor;Jumlah\nS-1;1;2;3\n", encoding="utf-8"), "berkas setoran_1.csv: tidak terbaca sebagai CSV dengan pemisah ';'"),
        ("xlsx", "", "setoran_1.xlsx", lambda p: p.write_text("Nomor;Jumlah\nS-1;1\n", encoding="utf-8"), "berkas setoran_1.xlsx: bukan berkas XLSX (bukan arsip zip)"),
        ("xlsx", 'sheet = "Setoran"', "setoran_1.xlsx", lambda p: workbook(p, ["Nomor", "Jumlah"], [["S-1", 1]], sheet="Lembar1"),
         "berkas setoran_1.xlsx: lembar 'Setoran' tidak ada (lembar yang ada: Lembar1)"),
        ("xlsx", 'max_unzipped_bytes = "100KB"', "setoran_1.xlsx", lambda p: workbook(p, ["Nomor", "Jumlah"], [["S-1", 1]], repeat=10_000),
         "berkas setoran_1.xlsx: isinya 661.699 bita setelah diurai, melebihi batas 100.000 bita (max_unzipped_bytes)"),
    ],
)
def test_a_file_that_cannot_be_read_is_set_aside_with_its_reason(warehouse, retribusi, fmt, settings, name, write, reason):
    source, folder, load = retribusi(fmt, settings)
    write(folder / name)
    result = load()
    assert result.status == "failed" and result.error.startswith(reason), result.error
    assert f"; berkas dipindah ke gagal/{name}, alasannya di {name}.alasan.txt" in result.error
    assert not (folder / name).exists() and (folder / FAILED_DIR / name).exists()
    assert reason in (folder / FAILED_DIR / f"{name}.alasan.txt").read_text(encoding="utf-8")
    assert (load().status, load().rows_read) == ("ok", 0)


def test_a_tiny_workbook_of_a_million_rows_is_refused_at_the_row_limit_once(warehouse, retribusi):
    # 120 KB unpacking to a million rows: without the limit, 35 s of CPU, and the same again on every run. (A workbook
    # whose header lacks the contract's columns fails at its first block instead, and stays: see test_files.)
    # Bounds on CPU time, which a busy machine does not stretch.
    source, folder, load = retribusi("xlsx")
    workbook(folder / "setoran_2026.xlsx", ["Nomor", "Jumlah"], [["S-1", 9]], repeat=1_000_000)
    started = time.process_time()
    result = load()
    assert time.process_time() - started < 20
    assert result.status == "failed" and result.error.startswith("berkas setoran_2026.xlsx: lebih dari 100.000 baris (batas max_rows)")
    assert (folder / FAILED_DIR / "setoran_2026.xlsx").exists()
    started = time.process_time()
    assert load().status == "ok" and time.process_time() - started < 5


def test_a_backfill_rereads_loaded_files_but_not_those_set_aside(warehouse, retribusi):
    source, folder, load = retribusi(settings="max_rows = 5")
    setoran(folder / "setoran_1.csv", 2)
    setoran(folder / "setoran_2.csv", 6, start=10)
    assert load().status == "failed" and load().status == "ok"
    backfill = load(since=dt.date.today() - dt.timedelta(days=1))
    assert (backfill.status, backfill.rows_read, backfill.unchanged) == ("ok", 2, 2)
    assert (folder / FAILED_DIR / "setoran_2.csv").exists() and len(list((folder / PROCESSED_DIR).iterdir())) == 1


def test_xlsx_rows_are_streamed_in_blocks_with_their_own_line_numbers(warehouse, retribusi, monkeypatch):
    monkeypatch.setattr(ingest.connectors.files, "XLSX_BLOCK_ROWS", 2, raising=False)
    source, folder, load = retribusi("xlsx")
    book = openpyxl.Workbook()
    for row in [["Nomor", "Jumlah"], ["S-1", 10], ["S-2", 12.5], [None, None], ["S-3", -1], ["S-4", "1.500"], ["  ", None], ["S-5", 7]]:
        book.active.append(row)
    book.save(folder / "setoran_1.xlsx")
    result = load()
    assert (result.status, result.rows_read, result.inserted, result.rejected) == ("ok", 5, 4, 1) and reconciles(result)
    # Blank rows are skipped, yet the reject names the sheet's own row.
    assert warehouse.cursor().execute("SELECT origin, reason FROM rejects").fetchall() == [("setoran_1.xlsx baris 5", "jumlah setoran negatif")]
    amounts = warehouse.cursor().execute("SELECT nomor, jumlah FROM retribusi_setoran ORDER BY nomor").fetchall()
    assert amounts == [("S-1", 10.0), ("S-2", 12.5), ("S-4", 1500.0), ("S-5", 7.0)]


def test_csv_blocks_keep_the_line_numbers_of_the_file(warehouse, retribusi, monkeypatch):
    monkeypatch.setattr(ingest.connectors.files, "CSV_BLOCK_BYTES", 64, raising=False)
    source, folder, load = retribusi()
    lines = [f"S-{n:03d};{-n if n in (7, 180) else n}" for n in range(1, 201)]
    (folder / "setoran_1.csv").write_text("Nomor;Jumlah\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = load()
    assert (result.status, result.rows_read, result.inserted, result.rejected) == ("ok", 200, 198, 2)
    assert [r[0] for r in warehouse.cursor().execute("SELECT origin FROM rejects ORDER BY origin").fetchall()] == ["setoran_1.csv baris 181", "setoran_1.csv baris 8"]


@pytest.mark.parametrize("kept, stored, said", [(5, 5, "5 pertama"), (0, 0, "tidak satu pun"), (None, 1000, "1.000 pertama")])
def test_rejects_are_kept_up_to_the_limit_per_stream_and_load_and_counted_in_full(warehouse, retribusi, monkeypatch, kept, stored, said):
    monkeypatch.setattr(ingest.run, "MERGE_ROWS", 250)  # several merges in one load: the limit holds across them
    source, folder, load = retribusi(settings=f"rejects_kept = {kept}" if kept is not None else "")
    for n in (1, 2):
        bad = [f"S-{n}{i:04d};-1" for i in range(600)]
        good = [f"S-{n}9{i:03d};1" for i in range(10)]
        (folder / f"setoran_{n}.csv").write_text("Nomor;Jumlah\n" + "\n".join(bad + good) + "\n", encoding="utf-8")
    result = load()
    assert (result.status, result.rows_read, result.inserted, result.rejected) == ("ok", 1220, 20, 1200) and reconciles(result)
    assert result.streams["setoran"]["rejects_kept"] == stored and result.streams["setoran"]["rejected"] == 1200
    assert result.notes == f"setoran: 1.200 ditolak, {said} disimpan di rejects (rejects_kept)"
    origins = warehouse.cursor().execute("SELECT origin FROM rejects ORDER BY rejected_at, origin").fetchall()
    assert len(origins) == stored
    if kept == 5:  # the first ones read
        assert sorted(o[0] for o in origins) == [f"setoran_1.csv baris {n}" for n in range(2, 7)]
    logged = warehouse.cursor().execute("SELECT rejected, notes FROM loads WHERE load_id = ?", [result.load_id]).fetchone()
    assert logged == (1200, result.notes)


def test_rejects_under_the_limit_are_all_kept_and_say_nothing(warehouse, retribusi):
    source, folder, load = retribusi()
    (folder / "setoran_1.csv").write_text("Nomor;Jumlah\nS-1;-1\nS-2;2\n", encoding="utf-8")
    result = load()
    assert (result.rejected, result.notes, result.streams["setoran"]["rejects_kept"]) == (1, None, 1)
    assert count(warehouse, "rejects") == 1


def test_a_csv_saved_as_utf16_loads_like_its_utf8_twin(warehouse, retribusi):
    # Excel's "Unicode Text" is UTF-16 with a byte-order mark: zero bytes everywhere, but text, not binary data.
    source, folder, load = retribusi()
    (folder / "setoran_1.csv").write_bytes("Nomor;Jumlah\nS-001;1.000\nS-002;-5\nS-003;2.500\n".encode("utf-16"))
    result = load()
    assert (result.status, result.rows_read, result.inserted, result.rejected) == ("ok", 3, 2, 1), result.error
    assert warehouse.cursor().execute("SELECT origin FROM rejects").fetchall() == [("setoran_1.csv baris 3",)]
