"""The drill-down API over a real loaded warehouse: a page of records, the rejects a row links to, and 400/404 in words,
with no NIP or name anywhere in what it answers."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from config import load_config
from dashboard.app import create_app
from dashboard.services import DashboardServices
from tests.loaded import Loaded

pytestmark = pytest.mark.integration


class Controls:
    def health(self):
        return {"status": "ok", "problems": []}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    made = Loaded(tmp_path_factory.mktemp("records-api"), load_config(env={}))
    yield made
    made.close()


@pytest.fixture(scope="module")
def client(loaded):
    client = create_app(DashboardServices(loaded.metrics, Controls(), "token", "Kab")).server.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer token"  # records need access.records_role or the operator token
    return client


def test_records_and_rejects_need_the_role_or_the_token(client):
    anonymous = client.application.test_client()
    assert anonymous.get("/api/v1/analisis/rekaman?indikator=izin_tepat_waktu").status_code == 401
    assert anonymous.get("/api/v1/sumber/absensi/penolakan?per=25").status_code == 401
    wrong = anonymous.get("/api/v1/analisis/rekaman?indikator=izin_tepat_waktu", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_a_page_of_records_behind_a_number(client):
    whole = client.get("/api/v1/analisis/rekaman?indikator=izin_tepat_waktu&per=25")
    assert whole.status_code == 200, whole.json
    body = whole.json
    assert body["total"] == body["counted"] + body["other"] and len(body["rows"]) == 25
    assert body["summary"]["numerator"] == body["counted"] and body["summary"]["denominator"] == body["total"]
    late = client.get("/api/v1/analisis/rekaman?indikator=izin_tepat_waktu&bagian=lainnya&urut=-sla_hari_kerja&per=50").json
    assert late["total"] == body["other"] and {r["dihitung"] for r in late["rows"]} == {False}
    by_kec = client.get("/api/v1/analisis/rekaman?indikator=izin_tepat_waktu&rinci=kode_kecamatan&anggota=13.05.01&satuan=minggu").json
    assert {r["kode_kecamatan"] for r in by_kec["rows"]} <= {"13.05.01"}


@pytest.mark.parametrize("query, param, status", [
    ("indikator=tidak_ada", "indikator", 404),
    ("indikator=izin_tepat_waktu&per=7", "per", 400),
    ("indikator=izin_tepat_waktu&urut=nip", "urut", 400),
    ("indikator=izin_tepat_waktu&anggota=13.05.01", "anggota", 400),
    ("indikator=izin_tepat_waktu&titik=2001-01-01", "titik", 400),
    ("indikator=izin_tepat_waktu&bagian=semuanya", "bagian", 400),
    ("", "indikator", 400),
])
def test_bad_arguments_name_the_parameter(client, query, param, status):
    answer = client.get(f"/api/v1/analisis/rekaman?{query}")
    assert answer.status_code == status and answer.json["param"] == param, answer.json


def test_rejects_of_a_record_are_linked_and_show_no_person(loaded, client):
    cur = loaded.warehouse.cursor()
    nip, day, name = cur.execute("SELECT nip, tanggal, nama FROM absensi_harian WHERE status = 'hadir' AND nama IS NOT NULL ORDER BY tanggal DESC, nip LIMIT 1").fetchone()
    load_id = cur.execute("SELECT load_id FROM loads WHERE source = 'absensi' LIMIT 1").fetchone()[0]
    raw = json.dumps({"NIP": nip, "Nama": name, "tanggal": day.strftime("%d/%m/%Y"), "status": "hadir", "jam_masuk": "25:00"})
    cur.execute(
        "INSERT INTO rejects VALUES (?, 'absensi', 'harian', 'absensi_x.csv baris 9', ?, 'jam_masuk', 'bukan jam: ''25:00''', ?, ?)",
        [load_id, f"{nip}|{day}", raw, dt.datetime(2026, 11, 27, 1, 0)],
    )
    page = client.get(f"/api/v1/analisis/rekaman?indikator=absensi_kehadiran&periode=rentang&dari={day}&sampai={day}&urut=-penolakan&per=25").json
    row = page["rows"][0]
    assert row["penolakan"] == 1 and row["kunci"].endswith(f"{nip[-4:]}|{day}") and "ref=" in row["penolakan_tautan"]
    rejects = client.get(row["penolakan_tautan"]).json
    assert rejects["total"] == 1
    reject = rejects["rows"][0]
    assert reject["record_key"] == "•" * (len(nip) - 4) + nip[-4:] + f"|{day}"
    assert reject["raw"]["NIP"].endswith(nip[-4:]) and "Nama" not in reject["raw"] and reject["raw"]["jam_masuk"] == "25:00"
    assert reject["origin"] == "absensi_x.csv baris 9" and reject["rejected_at"] == "2026-11-27T08:00:00"
    text = json.dumps(page) + json.dumps(rejects)
    assert nip not in text and name not in text
    by_load = client.get(f"/api/v1/sumber/absensi/penolakan?load={load_id}&per=25").json
    assert by_load["total"] >= 1 and nip not in json.dumps(by_load)
    assert client.get("/api/v1/sumber/tidak_ada/penolakan").status_code == 404
    assert client.get("/api/v1/sumber/absensi/penolakan?per=3").json["param"] == "per"
    plain = client.get("/api/v1/sumber/pendapatan/penolakan?per=25").json
    assert plain["total"] > 0 and plain["rows"][0]["record_key"]
