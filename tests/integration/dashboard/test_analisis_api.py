"""The explorer's JSON API on a loaded warehouse: the figures of a question in the URL, its definition, and every bad
parameter named in a 400 (an unknown indicator a 404)."""

import pytest

from config import load_config
from dashboard.app import create_app
from dashboard.services import DashboardServices
from tests.loaded import Loaded

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    made = Loaded(tmp_path_factory.mktemp("analisis-api"), load_config(env={}))
    yield made
    made.close()


@pytest.fixture(scope="module")
def client(loaded):
    return create_app(DashboardServices(loaded.metrics, None, "token", "Kab")).server.test_client()


def test_the_answer_of_the_default_view_is_the_walls_value_at_full_precision(loaded, client):
    response = client.get("/api/v1/analisis?indikator=izin_tepat_waktu&rinci=kode_kecamatan")
    assert response.status_code == 200
    body = response.json
    reading = loaded.metrics.reading("izin_tepat_waktu")
    assert body["value"] == reading.value and body["status"] == reading.status
    assert body["span"] == {"start": reading.period.start.isoformat(), "end": reading.period.end.isoformat()}
    assert body["question"] == {"indikator": "izin_tepat_waktu", "rinci": "kode_kecamatan"}
    assert body["indicator"]["id"] == "izin_tepat_waktu" and body["simulated"] is True
    assert {"code", "name", "name_en", "value", "numerator", "denominator", "status"} <= set(body["breakdown"][0])
    assert body["series"][0]["periode"] == body["span"]["start"] and body["as_of"].endswith("+00:00")


def test_filters_and_a_custom_range_are_read_from_the_url(client):
    body = client.get("/api/v1/analisis?indikator=absensi_kehadiran&periode=rentang&dari=2026-11-01&sampai=2026-11-20"
                      "&satuan=minggu&banding=sebelumnya&f_kode_opd=DISKOMINFO,BKPSDM").json
    assert body["span"] == {"start": "2026-11-01", "end": "2026-11-20"} and body["grain"] == "week"
    assert body["compared_span"] == {"start": "2026-10-12", "end": "2026-10-31"}
    assert body["question"]["f_kode_opd"] == "BKPSDM,DISKOMINFO"


@pytest.mark.parametrize(("query", "param"), [
    ("", "indikator"),
    ("indikator=izin_tepat_waktu&periode=kemarin", "periode"),
    ("indikator=izin_tepat_waktu&periode=rentang&dari=2026-13-01&sampai=2026-11-01", "dari"),
    ("indikator=izin_tepat_waktu&satuan=jam", "satuan"),
    ("indikator=izin_tepat_waktu&rinci=kode_opd", "rinci"),
    ("indikator=izin_tepat_waktu&f_kanal=qris", "f_kanal"),
    ("indikator=izin_tepat_waktu&pada=kemarin", "pada"),
])
def test_a_bad_parameter_is_a_400_that_names_it(client, query, param):
    for path in ("/api/v1/analisis", "/api/v1/analisis/definisi"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400 and response.json["param"] == param, (path, response.json)
        assert response.json["error"].startswith(param)


def test_an_as_of_moment_is_read_in_wib_and_one_after_the_services_clock_is_refused(client):
    body = client.get("/api/v1/analisis?indikator=izin_daring&pada=2026-11-20 23:59").json
    assert body["today"] == "2026-11-20" and body["span"]["end"] == "2026-11-20" and body["as_of"] == "2026-11-20T16:59:00+00:00"
    late = client.get("/api/v1/analisis?indikator=izin_daring&pada=2026-11-27 10:01")  # the fixed clock is 10:00 WIB
    assert late.status_code == 400 and late.json["param"] == "pada"


def test_an_unknown_indicator_is_a_404(client):
    for path in ("/api/v1/analisis", "/api/v1/analisis/definisi"):
        response = client.get(f"{path}?indikator=tidak_ada")
        assert response.status_code == 404 and "tidak_ada" in response.json["error"]


def test_the_definition_in_either_language_with_its_sql(loaded, client):
    body = client.get("/api/v1/analisis/definisi?indikator=pembayaran_nontunai&f_kanal=qris&lang=en").json
    indicator = loaded.metrics.indicator("pembayaran_nontunai")
    assert body["definition"] == indicator.description_en and body["lang"] == "en"
    assert body["target"]["basis"] == indicator.target.basis and body["period"]["rule"] == indicator.period.label("en")
    assert "qris" in body["sql_rows"] and body["sql_value"].startswith(("SELECT", "WITH"))
    assert client.get("/api/v1/analisis/definisi?indikator=pembayaran_nontunai").json["lang"] == "id"


def test_a_view_that_finds_every_query_slot_taken_is_a_503_to_retry(client, monkeypatch):
    import functools

    import metrics.explore
    from metrics.slots import slot
    from tests.slots_taken import every_slot_taken

    monkeypatch.setattr(metrics.explore, "slot", functools.partial(slot, wait_s=0.05))
    with every_slot_taken():
        response = client.get("/api/v1/analisis?indikator=izin_daring&periode=bulan_lalu")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5" and "coba lagi" in response.json["error"]
    assert client.get("/api/v1/analisis?indikator=izin_daring&periode=bulan_lalu").status_code == 200
