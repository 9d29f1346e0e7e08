"""The analysis view's files on a loaded warehouse: charts that say what they show, tables of the same numbers, and
every record behind a number, whole, with counts equal to the figure's, for a signed-in analyst only (the charts and
tables are public); and the drill-down's records in the page's callback, which only that role sees rows of."""

import csv
import datetime as dt
import io
import json
import struct
import subprocess
import xml.etree.ElementTree as ET

import openpyxl
import pytest

from access import audit
from access.service import Access
from config import load_config
from config.settings import AccessSettings
from dashboard.app import create_app
from dashboard.services import DashboardServices
from metrics.question import drill_from_args, question_from_args
from tests.loaded import Loaded

pytestmark = pytest.mark.integration

VIEW = "indikator=izin_tepat_waktu&periode=kuartal_ini&rinci=kode_kecamatan"
PASSWORD = "rahasia-sekali"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    made = Loaded(tmp_path_factory.mktemp("analisis-downloads"), load_config(env={}))
    yield made
    made.close()


@pytest.fixture(scope="module")
def access(loaded):
    found = Access(loaded.warehouse, AccessSettings(), b"k" * 32)
    for name, role in (("pemirsa", "viewer"), ("analis", "analyst"), ("admin", "admin")):
        found.accounts.add(name, role, PASSWORD)
    return found


@pytest.fixture(scope="module")
def server(loaded, access):
    return create_app(DashboardServices(loaded.metrics, None, "token", "Kabupaten Padang Pariaman", access=access)).server


def _signed_in(server, name: str):
    client = server.test_client()
    assert client.post("/masuk", data={"nama": name, "sandi": PASSWORD, "lanjut": "/analisis"}).status_code == 303
    return client


@pytest.fixture(scope="module")
def client(server):
    return _signed_in(server, "analis")


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


def test_records_files_need_the_role_and_charts_and_tables_do_not(server, client):
    anonymous, viewer = server.test_client(), _signed_in(server, "pemirsa")
    records = f"rekaman.csv?{VIEW}&anggota=13.05.01"
    page = anonymous.get(f"/analisis/unduh/{records}")
    assert page.status_code == 303 and page.headers["Location"].startswith("/masuk?lanjut=/analisis/unduh/rekaman.csv")
    assert anonymous.get(f"/api/v1/analisis/unduh/{records}").status_code == 401
    assert anonymous.get(f"/api/v1/analisis/unduh/rekaman.xlsx?{VIEW}&anggota=13.05.01").status_code == 401
    assert viewer.get(f"/api/v1/analisis/unduh/{records}").status_code == 403
    assert viewer.get(f"/analisis/unduh/{records}").status_code == 303
    token = anonymous.get(f"/api/v1/analisis/unduh/{records}", headers={"Authorization": "Bearer token"})
    assert token.status_code == 200 and token.mimetype == "text/csv"
    for public in (f"data.csv?{VIEW}", f"data.xlsx?{VIEW}", f"grafik.svg?{VIEW}&grafik=rincian"):
        assert anonymous.get(f"/analisis/unduh/{public}").status_code == 200, public


def test_an_export_is_in_the_audit_trail_with_who_what_and_where(access, client):
    response = client.get(f"/analisis/unduh/rekaman.csv?{VIEW}&anggota=13.05.02&bagian=lainnya", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 200
    row = audit.entries(access.warehouse, action="ekspor_rekaman")[-1]
    assert (row.who, row.role, row.target, row.client_address) == ("analis", "analyst", "izin_tepat_waktu", "10.1.2.3")
    detail = json.loads(row.detail)
    assert detail["anggota"] == "13.05.02" and detail["bagian"] == "lainnya" and detail["berkas"] == "rekaman.csv"


def test_records_are_not_shown_when_their_viewing_cannot_be_logged(access, client, monkeypatch):
    """A full disk or a lost warehouse: the audit row fails, so neither records nor a records file go out."""
    def refused(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(access, "record", refused)
    file = client.get(f"/analisis/unduh/rekaman.csv?{VIEW}&anggota=13.05.02")
    assert file.status_code == 503 and "jejak audit" in file.get_data(as_text=True)
    page = client.get(f"/api/v1/analisis/rekaman?{VIEW}&anggota=13.05.02")
    assert page.status_code == 503 and "rows" not in page.json and "jejak audit" in page.json["error"]
    assert client.get(f"/analisis/unduh/data.csv?{VIEW}").status_code == 200  # figures need no audit row


def _person(loaded) -> tuple[str, dt.date]:
    return loaded.warehouse.cursor().execute(
        "SELECT nip, tanggal FROM absensi_harian WHERE status = 'hadir' ORDER BY tanggal DESC, nip LIMIT 1").fetchone()


def test_personal_keys_are_masked_for_an_analyst_and_plain_for_an_admin(loaded, server, client, access):
    nip, day = _person(loaded)
    query = f"indikator=absensi_kehadiran&periode=rentang&dari={day}&sampai={day}&per=100"
    masked = client.get(f"/api/v1/analisis/rekaman?{query}").json
    assert masked["rows"] and nip not in json.dumps(masked)
    assert all(r["kunci"].startswith("•") for r in masked["rows"])
    plain = _signed_in(server, "admin").get(f"/api/v1/analisis/rekaman?{query}").json
    assert any(r["kunci"] == f"{nip}|{day}" for r in plain["rows"]), plain["rows"][:2]
    exported = client.get(f"/analisis/unduh/rekaman.csv?{query}").data.decode("utf-8-sig")
    assert nip[-4:] in exported and nip not in exported
    seen = audit.entries(access.warehouse, action="lihat_rekaman")[-1]
    assert seen.who == "admin" and seen.target == "absensi_kehadiran"


def _drill_outputs(server, loaded, cookie: str | None, args: dict) -> list:
    """The page callback's drill-down outputs (title, counts, parts, columns, rows, pages, size, note) for a request."""
    from tests.pages_loaded import page_module

    analisis = page_module("/analisis")

    metrics = loaded.metrics
    question = question_from_args(args, {i.id: i for i in metrics.indicators}, dt.datetime.now(dt.UTC))
    drill = drill_from_args(args, question)
    headers = {"Cookie": f"pantau_sesi={cookie}"} if cookie else {}
    with server.test_request_context("/_dash-update-component", method="POST", headers=headers):
        server.preprocess_request()
        return analisis._drill(question, drill, "id", metrics.explorer().answer(question))[1:]


def test_the_page_shows_record_rows_only_to_the_role(server, loaded, client):
    nip, day = _person(loaded)
    args = {"indikator": "absensi_kehadiran", "periode": "rentang", "dari": str(day), "sampai": str(day), "rekaman": "1"}
    outputs = {}
    for who in ("-", "pemirsa", "analis", "admin"):
        signed = None if who == "-" else (client if who == "analis" else _signed_in(server, who))
        outputs[who] = _drill_outputs(server, loaded, signed.get_cookie("pantau_sesi").value if signed else None, args)
    for who in ("-", "pemirsa"):
        title, counts, parts, columns, rows, _pages, _size, note = outputs[who]
        assert columns == [] and rows == [] and title == outputs["analis"][0] and counts == outputs["analis"][1]
        assert parts == outputs["analis"][2]  # the counts are the figure's: public
        text = str(note.to_plotly_json())
        assert "/masuk?lanjut=/analisis%3F" in text and "absensi_kehadiran" in text and nip not in text
    analyst_rows, admin_rows = outputs["analis"][4], outputs["admin"][4]
    assert analyst_rows and nip not in json.dumps(analyst_rows) and any(nip[-4:] in json.dumps(r) for r in analyst_rows)
    assert nip in json.dumps(admin_rows)
