"""/paparan and its API over a real loaded warehouse: the list, the button, the downloads, and who may make and delete."""

from __future__ import annotations

import functools
import io
import json
import zipfile

import pytest

from config import load_config
from dashboard.app import create_app
from dashboard.paparan import routes
from dashboard.paparan.library import Paparan
from dashboard.services import DashboardServices
from tests.loaded import Loaded

pytestmark = pytest.mark.integration
TOKEN = "rahasia-operator"
HOST = "http://localhost"


class Controls:
    def source_status(self):
        return []

    def health(self):
        return {"status": "ok", "problems": []}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    made = Loaded(tmp_path_factory.mktemp("paparan"), load_config(env={}))
    yield made
    made.close()


@pytest.fixture
def client(loaded, monkeypatch):
    monkeypatch.setattr(routes, "WEB_TURNS", routes.Turns(0.0))
    services = DashboardServices(loaded.metrics, Controls(), TOKEN, "Kab", paparan=Paparan(loaded.snapshots, lambda: loaded.config.paparan))
    return create_app(services).server.test_client()


def _made(client, **form) -> str:
    answer = client.post("/paparan/snapshot", data=form, headers={"Origin": HOST})
    assert answer.status_code == 303, answer.text
    return answer.headers["Location"].removeprefix("/paparan/").split("?")[0]


def test_the_button_makes_a_snapshot_listed_with_its_files(client):
    snapshot_id = _made(client, title="Gladi Komdigi", as_of="")
    page = client.get("/paparan").text
    assert "Gladi Komdigi" in page and snapshot_id in page and "web:127.0.0.1" in page
    assert f'href="/paparan/{snapshot_id}/unduh/pptx"' in page and f'href="/paparan/{snapshot_id}/penyaji"' in page
    english = client.get("/paparan?lang=en").text
    assert '<html lang="en">' in english and "Make a snapshot" in english


def test_a_past_moment_from_the_form_is_frozen_then(client):
    snapshot_id = _made(client, title="Per akhir bulan", as_of="2026-11-20T23:59")
    assert snapshot_id.startswith("20261120-2359-")
    body = client.get(f"/api/v1/paparan/{snapshot_id}").json["body"]
    assert body["past_as_of"] and body["as_of"] == "2026-11-20T16:59:00+00:00"


def test_a_form_from_another_site_a_bad_moment_and_a_second_press_are_refused(client, monkeypatch):
    before = len(client.get("/api/v1/paparan").json["snapshots"])
    assert client.post("/paparan/snapshot", data={"as_of": ""}, headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post("/paparan/snapshot", data={"as_of": ""}).status_code == 403  # no Origin, no Referer
    bad = client.post("/paparan/snapshot", data={"as_of": "besok"}, headers={"Origin": HOST})
    assert bad.status_code == 400 and "YYYY-MM-DD HH:MM" in bad.text
    future = client.post("/paparan/snapshot", data={"as_of": "2099-01-01T00:00"}, headers={"Origin": HOST})
    assert future.status_code == 400 and "belum tiba" in future.text
    monkeypatch.setattr(routes, "WEB_TURNS", routes.Turns(3600.0))
    assert client.post("/paparan/snapshot", data={"as_of": ""}, headers={"Origin": HOST}).status_code == 303
    again = client.post("/paparan/snapshot", data={"as_of": ""}, headers={"Origin": HOST})
    assert again.status_code == 429 and "coba lagi" in again.text
    assert len(client.get("/api/v1/paparan").json["snapshots"]) == before + 1


def test_the_api_makes_and_deletes_only_with_the_operator_token(client):
    assert client.post("/api/v1/paparan", json={}).status_code == 401
    made = client.post("/api/v1/paparan", json={"title": "Lewat API", "created_by": "cli:sekda"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert made.status_code == 200
    snapshot_id = made.json["snapshot"]["id"]
    assert made.json["snapshot"]["created_by"] == "cli:sekda"
    read = client.get(f"/api/v1/paparan/{snapshot_id}").json
    assert read["id"] == snapshot_id and read["body"]["title"] == "Lewat API" and len(read["checksum"]) == 64
    assert client.delete(f"/api/v1/paparan/{snapshot_id}").status_code == 401
    assert client.post(f"/api/v1/paparan/{snapshot_id}/hapus", headers={"Authorization": "Bearer salah"}).status_code == 401
    assert client.delete(f"/api/v1/paparan/{snapshot_id}", headers={"Authorization": f"Bearer {TOKEN}"}).json == {"deleted": snapshot_id}
    assert client.get(f"/api/v1/paparan/{snapshot_id}").status_code == 404
    assert client.delete(f"/api/v1/paparan/{snapshot_id}", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_downloads_carry_the_snapshots_numbers_and_two_are_identical(client, loaded):
    snapshot_id = _made(client, title="Unduh", as_of="")
    first = client.get(f"/paparan/{snapshot_id}/unduh/data")
    assert first.status_code == 200 and first.mimetype == "application/zip"
    assert first.headers["Content-Disposition"] == f'attachment; filename="data-{snapshot_id}.zip"'
    assert client.get(f"/paparan/{snapshot_id}/unduh/data").data == first.data
    pack = zipfile.ZipFile(io.BytesIO(first.data))
    manifest = json.loads(pack.read("manifest.json"))
    assert manifest["snapshot_id"] == snapshot_id
    izin = loaded.snapshots.get(snapshot_id).indicator("izin_tepat_waktu")
    sheet = pack.read(next(n for n in pack.namelist() if n.endswith("dampak-izin.csv"))).decode("utf-8-sig")
    assert repr(izin["value"]).replace(".", ",") in sheet  # the exact value, as the snapshot holds it
    english = client.get(f"/paparan/{snapshot_id}/unduh/data?lang=en")
    assert english.headers["Content-Disposition"] == f'attachment; filename="data-{snapshot_id}-en.zip"'


@pytest.mark.parametrize("path", ["/paparan/tidak-ada/unduh/data", "/paparan/x/unduh/exe", "/paparan/%3Cscript%3E/unduh/pdf",
                                  "/api/v1/paparan/tidak-ada", "/api/v1/paparan/" + "a" * 65])
def test_unknown_snapshots_and_formats_are_a_clear_404(client, path):
    answer = client.get(path)
    assert answer.status_code == 404 and "<script>" not in answer.text


def test_a_pdf_while_another_is_printing_is_a_503_in_words(client, monkeypatch):
    from dashboard.paparan import pdf

    snapshot_id = _made(client, title="PDF sibuk", as_of="")
    monkeypatch.setattr(pdf, "deck_pdf", functools.partial(pdf.deck_pdf, timeout=0.2))  # the real printer, waiting 0.2 s for its turn
    with pdf._ONE_AT_A_TIME:  # another request is printing
        answer = client.get(f"/paparan/{snapshot_id}/unduh/pdf")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5" and "Traceback" not in answer.text
