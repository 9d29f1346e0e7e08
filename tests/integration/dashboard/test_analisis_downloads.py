"""The analysis view's files on a loaded warehouse: charts that say what they show, tables of the same numbers, and
every record behind a number, whole, with counts equal to the figure's."""

import csv
import io
import struct
import subprocess
import xml.etree.ElementTree as ET

import openpyxl
import pytest

from config import load_config
from dashboard.app import create_app
from dashboard.services import DashboardServices
from tests.loaded import Loaded

pytestmark = pytest.mark.integration

VIEW = "indikator=izin_tepat_waktu&periode=kuartal_ini&rinci=kode_kecamatan"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    made = Loaded(tmp_path_factory.mktemp("analisis-downloads"), load_config(env={}))
    yield made
    made.close()


@pytest.fixture(scope="module")
def client(loaded):
    return create_app(DashboardServices(loaded.metrics, None, "token", "Kabupaten Padang Pariaman")).server.test_client()


@pytest.fixture(scope="module")
def answer(client):
    return client.get(f"/api/v1/analisis?{VIEW}").json


def _csv(body: bytes, delimiter: str) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_the_records_of_a_member_export_whole_and_split_as_the_figure(client, answer):
    member = next(m for m in answer["breakdown"] if m["numerator"] != m["denominator"])
    got = {}
    for part in ("dihitung", "lainnya", "semua"):
        response = client.get(f"/analisis/unduh/rekaman.csv?{VIEW}&anggota={member['code']}&bagian={part}&pemisah=koma")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        got[part] = len(_csv(response.data, ",")) - 1
    assert got["dihitung"] == member["numerator"] and got["semua"] == member["denominator"]
    assert got["dihitung"] + got["lainnya"] == got["semua"]

    response = client.get(f"/analisis/unduh/rekaman.xlsx?{VIEW}&anggota={member['code']}")
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["Data", "Info"]
    rows = list(book["Data"].iter_rows(values_only=True))
    assert len(rows) - 1 == member["denominator"]
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["Tanggal dihitung"].year == 2026 and isinstance(first["Dihitung"], bool)
    info: dict = {}
    for label, text in book["Info"].iter_rows(max_col=2, values_only=True):
        info.setdefault(label, text)  # the first mention: the column list further down names a "Sumber" column too
    assert member["name"] in info["Rekaman"] and "DPMPTSP" in info["Sumber"] and info["Data per"].startswith("Data per")
    assert info["Tampilan di Pantau"].endswith(f"anggota={member['code']}")


def test_the_table_of_numbers_is_the_breakdown_in_either_excel_dialect(client, answer):
    semicolon = _csv(client.get(f"/analisis/unduh/data.csv?{VIEW}").data, ";")
    comma = _csv(client.get(f"/analisis/unduh/data.csv?{VIEW}&pemisah=koma").data, ",")
    assert len(semicolon) - 1 == len(comma) - 1 == len([m for m in answer["breakdown"]])
    first = answer["breakdown"][0]
    assert comma[1][0] == first["code"] and float(comma[1][2]) == pytest.approx(first["value"])
    assert float(semicolon[1][2].replace(",", ".")) == pytest.approx(first["value"])
    series = _csv(client.get(f"/analisis/unduh/data.csv?{VIEW}&tabel=seri&pemisah=koma").data, ",")
    assert len(series) - 1 == len(answer["series"])


def test_a_chart_is_one_layout_in_svg_pdf_and_png_that_says_what_it_shows(client, tmp_path):
    svg = client.get(f"/analisis/unduh/grafik.svg?{VIEW}&grafik=rincian&f_kode_kecamatan=13.05.01,13.05.02")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    text = " ".join(ET.fromstring(svg.data).itertext())
    for words in ("Izin diputus tepat waktu menurut kecamatan", "Periode 1 Okt", "Lubuk Alung", "Sumber: DPMPTSP",
                  "Data per", "DATA SIMULASI", "PADANG PARIAMAN"):
        assert words in text, words
    pdf = client.get(f"/analisis/unduh/grafik.pdf?{VIEW}&grafik=seri")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    (tmp_path / "g.pdf").write_bytes(pdf.data)
    printed = subprocess.run(["pdftotext", str(tmp_path / "g.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Izin diputus tepat waktu" in printed and "DATA SIMULASI" in printed
    png = client.get(f"/analisis/unduh/grafik.png?{VIEW}&grafik=peta")
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png.data[16:24])
    assert width == 3200 and height > 2000


@pytest.mark.parametrize(("path", "status", "param"), [
    ("/api/v1/analisis/unduh/grafik.png?indikator=izin_tepat_waktu&grafik=peta", 400, "rinci"),
    ("/api/v1/analisis/unduh/grafik.svg?indikator=izin_tepat_waktu&rinci=kode_kecamatan&grafik=peta3", 400, "grafik"),
    ("/api/v1/analisis/unduh/data.csv?indikator=izin_tepat_waktu&pemisah=tab", 400, "pemisah"),
    ("/api/v1/analisis/unduh/rekaman.csv?indikator=izin_tepat_waktu&anggota=13.05.01", 400, "anggota"),
    ("/api/v1/analisis/unduh/data.ods?indikator=izin_tepat_waktu", 404, None),
])
def test_a_file_that_cannot_be_made_is_refused_in_words(client, path, status, param):
    response = client.get(path)
    assert response.status_code == status and response.json["error"]
    assert response.json.get("param") == param
    page_link = client.get(path.replace("/api/v1", ""))
    assert page_link.status_code == status and page_link.mimetype == "text/plain"
