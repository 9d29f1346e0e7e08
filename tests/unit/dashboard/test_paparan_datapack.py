"""The data pack: a ZIP whose manifest hashes every file, whose XLSX and CSV hold the deck's and snapshot's exact values,
and whose bytes are the same however often and wherever the same snapshot is exported."""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
import tomllib
import zipfile

import openpyxl
import pytest

from dashboard.paparan.datapack import data_pack, sheet_name
from dashboard.paparan.model import Chart, Column, Figure, Series, Slide, Stats, Table, Text, figure_text
from metrics.snapshot import Snapshot, SnapshotCorrupt, checksum
from region.paths import PROJECT_ROOT
from tests.paparan_sample import sample_deck, sample_snapshot

AS_OF_WIB = dt.datetime(2026, 11, 30, 23, 59)
NOT_IN_SHEET_NAMES = set("[]:*?/\\")


def _members(pack: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _workbook(pack: bytes) -> openpyxl.Workbook:
    members = _members(pack)
    (name,) = [n for n in members if n.endswith(".xlsx")]
    return openpyxl.load_workbook(io.BytesIO(members[name]))


def _rows(sheet) -> list[list]:
    """A sheet's rows as values, trailing empty cells cut, empty text read as no value."""
    rows = []
    for row in sheet.iter_rows(values_only=True):
        values = [None if v == "" else v for v in row]
        while values and values[-1] is None:
            values.pop()
        rows.append(values)
    return rows


def _groups(rows: list[list]) -> list[list[list]]:
    """Runs of rows between empty rows: what the sheet is about first, then one per table."""
    groups, current = [], []
    for row in rows:
        if not row:
            if current:
                groups.append(current)
            current = []
        else:
            current.append(row)
    return groups + ([current] if current else [])


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\n" not in text.replace("\r\n", "")  # every line ends CRLF, as Excel writes
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _csv_number(text: str) -> float:
    assert "." not in text, text  # a decimal comma, no thousands separator
    return float(text.replace(",", "."))


def _snapshot_with(change) -> Snapshot:
    """The sample snapshot with its body changed by `change`, checksummed anew."""
    body = copy.deepcopy(sample_snapshot().body)
    change(body)
    return Snapshot("20261130-2359-3fa9c2", checksum(body), body)


@pytest.fixture(scope="module")
def pack() -> bytes:
    return data_pack(sample_deck("id"), sample_snapshot())


def test_the_manifest_gives_every_other_file_its_size_and_sha256(pack):
    members = _members(pack)
    manifest = json.loads(members["manifest.json"])
    snapshot = sample_snapshot()
    assert [f["path"] for f in manifest["files"]] == [n for n in members if n != "manifest.json"]
    for listed in manifest["files"]:
        data = members[listed["path"]]
        assert listed["bytes"] == len(data)
        assert listed["sha256"] == hashlib.sha256(data).hexdigest()
        assert listed["path"].isascii()
    with open(PROJECT_ROOT / "pyproject.toml", "rb") as file:
        version = tomllib.load(file)["project"]["version"]
    assert manifest["snapshot_id"] == snapshot.id and manifest["checksum"] == snapshot.checksum
    assert manifest["title"] == "Kemajuan Masterplan Smart City" and manifest["language"] == "id"
    assert dt.datetime.fromisoformat(manifest["as_of"]) == snapshot.as_of and manifest["as_of"].endswith("+07:00")
    assert manifest["as_of_text"] == "30 Nov 2026 23:59 WIB" and manifest["made_note"] == ""
    assert manifest["generated_by"] == f"Pantau {version}"
    assert set(manifest) == {"snapshot_id", "checksum", "title", "as_of", "as_of_text", "made_note", "language", "generated_by", "files"}


def test_the_pack_holds_one_xlsx_and_one_csv_per_sheet_in_a_fixed_order(pack):
    names = list(_members(pack))
    assert names == ["manifest.json", "paparan-20261130-2359-3fa9c2.xlsx", "csv/03-dampak-izin.csv", "csv/04-outcome-dimensi.csv",
                     "csv/05-sumber.csv", "csv/definisi.csv", "csv/sumber.csv", "csv/pembilang-penyebut.csv"]
    # Title, agenda and closing slides hold text only: no sheet; every other slide has one, named by number and title.
    assert _workbook(pack).sheetnames == ["03 Perizinan daring", "04 Program masterplan per dimen", "05 Kesegaran data dan sumber",
                                          "Definisi", "Sumber", "Pembilang-Penyebut"]


def test_the_same_snapshot_exported_twice_gives_the_same_bytes(pack):
    again = data_pack(sample_deck("id"), sample_snapshot())
    assert again == pack
    assert _members(again) == _members(pack)
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        for info in archive.infolist():
            assert info.date_time == AS_OF_WIB.timetuple()[:6]  # no export time: members dated at the as-of moment
            assert info.external_attr >> 16 == 0o100644
            assert info.compress_type == (zipfile.ZIP_STORED if info.filename.endswith(".xlsx") else zipfile.ZIP_DEFLATED)
    xlsx = _members(pack)["paparan-20261130-2359-3fa9c2.xlsx"]
    with zipfile.ZipFile(io.BytesIO(xlsx)) as inner:
        core = inner.read("docProps/core.xml").decode()
        assert {i.date_time for i in inner.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-30T16:59:00Z</dcterms:created>" in core


def test_another_process_in_another_time_zone_exports_the_same_bytes(pack):
    script = ("import hashlib, sys; from dashboard.paparan.datapack import data_pack; "
              "from tests.paparan_sample import sample_deck, sample_snapshot; "
              "sys.stdout.write(hashlib.sha256(data_pack(sample_deck('id'), sample_snapshot())).hexdigest())")
    env = {**os.environ, "TZ": "America/New_York", "PYTHONPATH": str(PROJECT_ROOT), "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout == hashlib.sha256(pack).hexdigest()


def test_each_slide_sheet_says_what_it_is_and_holds_the_exact_figures(pack):
    deck = sample_deck("id")
    book = _workbook(pack)
    about, stats, chart = _groups(_rows(book["03 Perizinan daring"]))
    assert about == [["Paparan", deck.title], ["Slide", "Perizinan daring"], ["Nomor slide", 3], ["Snapshot", deck.snapshot_id],
                     ["Per (WIB)", AS_OF_WIB], ["DATA SIMULASI"]]
    figures = deck.slides[2].blocks[0].figures
    assert stats[0] == ["Angka utama"]
    assert stats[1] == ["Label", "Nilai", "Tampilan", "Satuan", "Status", "Keterangan", "ID indikator"]
    assert stats[2:] == [[f.label, f.value, f.text, f.unit, f.status, f.detail or None, f.indicator] for f in figures]
    assert stats[2][1] == 92.94117647  # the value, not the 92,9 on the slide
    line = deck.slides[2].blocks[1]
    assert chart[:2] == [[f"{line.title} (%)"], ["Kunci", "Kategori", "Izin diputus tepat waktu", "Target"]]
    assert chart[2:] == [[key, category, value, 95.0] for key, category, value in zip(line.keys, line.categories, line.series[0].values, strict=True)]
    sheet = book["03 Perizinan daring"]
    assert sheet.freeze_panes == "A8"  # what the sheet is about stays in view above its two tables
    assert sheet["B10"].number_format == "#,##0.0" and sheet["A9"].font.b and not sheet["A10"].font.b  # shown as on the slide, headings bold
    assert sheet["B5"].is_date

    _, stacked, bars = _groups(_rows(book["04 Program masterplan per dimen"]))
    stacked_chart, bar_chart = deck.slides[3].blocks
    assert stacked[1] == ["Kunci", "Kategori", "Selesai", "Berjalan", "Belum mulai"]
    assert stacked[2:] == [[k, c, *(s.values[n] for s in stacked_chart.series)]
                           for n, (k, c) in enumerate(zip(stacked_chart.keys, stacked_chart.categories, strict=True))]
    assert bars[2:] == [[k, c, v, s] for k, c, v, s in zip(bar_chart.keys, bar_chart.categories, bar_chart.series[0].values, bar_chart.statuses, strict=True)]

    _, table = _groups(_rows(book["05 Kesegaran data dan sumber"]))
    assert table == [["Sumber"], ["Sumber", "OPD", "Status", "Baris dibaca"], ["perizinan", "DPMPTSP", "terkini", 1234], ["dukcapil", "DISDUKCAPIL", "terlambat"]]
    assert book["05 Kesegaran data dan sumber"].freeze_panes == "A10"  # a lone table: its heading stays in view


def test_numbers_keep_every_bit_in_both_files():
    awkward = (100 / 3, 0.1 + 0.2, 1e-7, 123456789.12345679, -2.5e-05, 2 / 3 * 1e6)
    chart = Chart("bar", "Nilai", "", tuple(f"k{n}" for n in range(len(awkward))), (Series("Nilai", awkward),))
    deck = dataclasses.replace(sample_deck("id"), slides=(Slide("angka", "Angka", (chart,)),))
    pack = data_pack(deck, sample_snapshot())
    _, table = _groups(_rows(_workbook(pack)["01 Angka"]))
    assert [row[1] for row in table[2:]] == list(awkward)  # XlsxWriter's own 16 digits would change 100/3 and 0.1 + 0.2
    _, table = _groups(_csv_rows(_members(pack)["csv/01-angka.csv"]))
    assert [_csv_number(row[1]) for row in table[2:]] == list(awkward)
    assert table[2][1] == "33,333333333333336" and table[4][1] == "0,0000001"  # no exponent for Excel to misread


def test_every_csv_is_its_sheet_with_semicolons_and_decimal_commas(pack):
    members = _members(pack)
    book = _workbook(pack)
    paths = [n for n in members if n.startswith("csv/")]
    assert len(paths) == len(book.sheetnames)
    for path, name in zip(paths, book.sheetnames, strict=True):
        sheet_rows, csv_rows = _rows(book[name]), _csv_rows(members[path])
        assert len(csv_rows) == len(sheet_rows), path
        for cells, fields in zip(sheet_rows, csv_rows, strict=True):
            fields = fields[:len(fields) - next((n for n, f in enumerate(reversed(fields)) if f), len(fields))]
            assert len(fields) == len(cells), (path, fields, cells)
            for cell, text in zip(cells, fields, strict=True):
                if isinstance(cell, dt.datetime):
                    assert text in (cell.strftime("%Y-%m-%d %H:%M"), cell.date().isoformat()), (path, text)
                elif isinstance(cell, int | float):
                    assert _csv_number(text) == cell, (path, text)
                else:
                    assert text == (cell or ""), (path, text)
    assert "92,94117647;92,9 %" in members["csv/03-dampak-izin.csv"].decode("utf-8-sig")


def test_definisi_holds_each_indicators_definition_formula_target_and_basis():
    def explain(body):
        body["indicators"][0]["assumptions"] = [{"text": "SLA 5 hari kerja", "text_en": "SLA of 5 working days"},
                                                {"text": "hari libur menurut SKB", "text_en": "holidays as the SKB lists them"}]
        body["indicators"][0]["sources"] = [{"source": "perizinan", "state": "fresh"}, {"source": "aduan", "state": "late"}]
        body["indicators"][1]["direction"] = "lower"

    snapshot = _snapshot_with(explain)
    book = _workbook(data_pack(sample_deck("id"), snapshot))
    _, table = _groups(_rows(book["Definisi"]))
    assert table[0] == ["ID indikator", "Nama", "Definisi", "Rumus", "Satuan", "Arah", "Aturan periode", "Target", "Dasar hukum target",
                        "Ambang hijau", "Ambang kuning", "Asumsi", "Sumber data"]
    expected = [[i["id"], i["name"], i["description"], i["formula"]["id"], i["unit"], i["direction"], i["period_label"]["id"], i["target"],
                 i["target_basis"], i["thresholds"]["green"], i["thresholds"]["amber"],
                 "\n".join(a["text"] for a in i["assumptions"]) or None, ", ".join(s["source"] for s in i["sources"]) or None]
                for i in snapshot.body["indicators"]]
    assert [row + [None] * (13 - len(row)) for row in table[1:]] == expected
    assert table[1][11] == "SLA 5 hari kerja\nhari libur menurut SKB" and table[1][12] == "perizinan, aduan" and table[2][5] == "lower"
    assert book["Definisi"].freeze_panes == "A7"  # below its heading (row 6)

    english = _workbook(data_pack(sample_deck("en"), snapshot))
    _, table = _groups(_rows(english["Definitions"]))
    assert table[1][:3] == ["izin_tepat_waktu", "Licences decided on time", snapshot.body["indicators"][0]["description_en"]]
    assert table[1][6] == "last 30 days" and table[1][11] == "SLA of 5 working days\nholidays as the SKB lists them"


def test_sumber_holds_each_sources_state_at_the_as_of_moment():
    def failing(body):
        body["sources"]["aduan"].update(state="failing", last_status="failed", last_error="=HYPERLINK(\"http://x\") timeout", simulated=False)

    snapshot = _snapshot_with(failing)
    pack = data_pack(sample_deck("id"), snapshot)
    book = _workbook(pack)
    about, table = _groups(_rows(book["Sumber"]))
    assert ["DATA SIMULASI"] in about
    assert table[0] == ["Sumber", "OPD", "Sistem", "Jenis", "Keadaan per as-of", "Sukses terakhir (WIB)",
                        "Proses terakhir (WIB)", "Status proses terakhir", "Baris dibaca", "Ditolak", "Galat terakhir", "Simulasi"]

    def wib(text):
        return dt.datetime.fromisoformat(text).astimezone(dt.timezone(dt.timedelta(hours=7))).replace(tzinfo=None)

    sources = snapshot.body["sources"]
    expected = [[name, s["opd"], s["system"], s["kind"], s["state"], wib(s["last_success_at"]), wib(s["last_run_at"]), s["last_status"],
                 s["last_rows_read"], s["last_rejected"], s["last_error"], "ya" if s["simulated"] else "tidak"]
                for name, s in sorted(sources.items())]
    assert table[1:] == expected
    assert table[2][5] == dt.datetime(2026, 11, 30, 23, 50)  # 16:50 UTC
    sheet = book["Sumber"]
    error_cell = next(c for c in sheet["K"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert error_cell.data_type == "s"  # text in the workbook, never a formula
    _, rows = _groups(_csv_rows(_members(pack)["csv/sumber.csv"]))
    assert rows[1][10] == "'=HYPERLINK(\"http://x\") timeout"  # nor a formula when Excel opens the CSV


def test_pembilang_penyebut_holds_each_indicators_numbers_and_spans(pack):
    snapshot = sample_snapshot()
    about, table, breakdown = _groups(_rows(_workbook(pack)["Pembilang-Penyebut"]))
    assert table[0] == ["Pembilang dan penyebut"]

    def day(text):
        return dt.datetime.fromisoformat(text) if text else None

    for row, i in zip(table[2:], snapshot.body["indicators"], strict=True):
        spans = [day(i[k][e]) for k in ("period",) for e in ("start", "end")] + [i["period"]["kind"]]
        spans += [day(i["covered"][e]) for e in ("start", "end")]
        assert row == [i["id"], i["name"], i["value"], i["unit"], i["status"], i["numerator"], i["denominator"], *spans,
                       i["previous_value"], day(i["previous_span"]["start"]), day(i["previous_span"]["end"]),
                       i["year_before_value"], day(i["year_before_span"]["start"]), day(i["year_before_span"]["end"]), None, "ya"]
    members = [(i["id"], by, m["member"], m["value"], m["numerator"], m["denominator"], m["status"])
               for i in snapshot.body["indicators"] for by, ms in i["breakdowns"].items() for m in ms]
    assert [tuple(r) for r in breakdown[2:]] == members
    assert breakdown[2][3] == 92.94117647058823


def test_a_slide_of_real_data_says_no_simulasi_and_text_slides_have_no_sheet():
    deck = sample_deck("id")
    real = dataclasses.replace(deck.slides[2], simulated=False)
    deck = dataclasses.replace(deck, slides=(deck.slides[0], real, Slide("catatan", "Catatan", (Text(("x",)),))), made_note="Dihitung ulang")
    book = _workbook(data_pack(deck, sample_snapshot()))
    assert book.sheetnames == ["02 Perizinan daring", "Definisi", "Sumber", "Pembilang-Penyebut"]
    about = _groups(_rows(book["02 Perizinan daring"]))[0]
    assert ["DATA SIMULASI"] not in about and ["Catatan", "Dihitung ulang"] in about


def test_sheet_names_fit_excel_for_long_and_repeated_titles():
    title = "Capaian: [Smart] Governance/Branding * per OPD? \\ dan kecamatan yang sangat panjang"
    figure = Figure("Skor", 4.5, figure_text(4.5, 1, "", "id"))
    slides = tuple(Slide(f"s{n}", title if n % 2 else title.upper(), (Stats((figure,)),)) for n in range(12))
    slides += tuple(Slide(f"d{n}", name, (Stats((figure,)),)) for n, name in enumerate(("Definisi", "Sumber", "'kutip'", "")))
    deck = dataclasses.replace(sample_deck("id"), slides=slides)
    pack = data_pack(deck, sample_snapshot())
    names = _workbook(pack).sheetnames
    assert len(names) == len(slides) + 3
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name.encode("utf-16-le")) // 2 <= 31 and not NOT_IN_SHEET_NAMES & set(name)
        assert not name.startswith("'") and not name.endswith("'")
    assert names[0] == "01 CAPAIAN SMART GOVERNANCE BRA" and names[12:16] == ["13 Definisi", "14 Sumber", "15 'kutip", "16"]
    assert len({n for n in _members(pack) if n.startswith("csv/")}) == len(names)
    assert sheet_name(3, "Perizinan daring") == "03 Perizinan daring"
    assert sheet_name(120, "Jadwal 😀 evaluasi", 3) == "120 Jadwal 😀 evaluasi"
    assert len(sheet_name(7, "😀" * 40).encode("utf-16-le")) // 2 <= 31


def test_the_english_deck_has_english_headings_and_the_same_file_names(pack):
    english = data_pack(sample_deck("en"), sample_snapshot())
    assert [n for n in _members(english)] == [n for n in _members(pack)]
    book = _workbook(english)
    assert book.sheetnames[-3:] == ["Definitions", "Sources", "Numerators-Denominators"]
    about, stats, _ = _groups(_rows(book["03 Perizinan daring"]))
    assert about[0][0] == "Deck" and about[-1] == ["SIMULATED DATA"]
    assert stats[:2] == [["Headline figures"], ["Label", "Value", "As shown", "Unit", "Status", "Detail", "Indicator id"]]
    assert stats[2][2] == "92.9 %"
    assert _groups(_rows(book["Sources"]))[1][1][-1] == "yes"
    assert json.loads(_members(english)["manifest.json"])["language"] == "en"


def test_a_deck_of_another_snapshot_or_a_changed_snapshot_is_refused():
    deck = sample_deck("id")
    with pytest.raises(ValueError, match="snapshot"):
        data_pack(dataclasses.replace(deck, snapshot_id="20261231-2359-000000"), sample_snapshot())
    snapshot = sample_snapshot()
    snapshot.body["indicators"][0]["value"] = 99.0
    with pytest.raises(SnapshotCorrupt):
        data_pack(deck, snapshot)


def test_table_cells_keep_their_raw_values_under_their_headings():
    table = Table("Program", (Column("Program"), Column("Anggaran", 0, "Rp"), Column("Progres", 1, "%")),
                  (("Satu data", 1_250_000_000, 62.456), ("Pantau", None, 100.0), ("Lapor", 0, "belum dinilai")))
    deck = dataclasses.replace(sample_deck("id"), slides=(Slide("program", "Program", (table,)),))
    book = _workbook(data_pack(deck, sample_snapshot()))
    sheet = book["01 Program"]
    _, rows = _groups(_rows(sheet))
    assert rows == [["Program"], ["Program", "Anggaran (Rp)", "Progres (%)"], ["Satu data", 1_250_000_000, 62.456], ["Pantau", None, 100.0],
                    ["Lapor", 0, "belum dinilai"]]
    assert sheet["B9"].number_format == "#,##0" and sheet["C9"].number_format == "#,##0.0"
    assert sheet.column_dimensions["B"].width >= len("1.250.000.000")
