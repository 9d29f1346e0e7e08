"""The deck's routes through Flask's test client, with a stand-in deck source: pages, languages, themes, static
files, and a clear Indonesian 404 for a snapshot that does not exist or an id that cannot be one."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.paparan_sample import sample_deck
from tests.paparan_views import CORRUPT, SAMPLE, make_app


@pytest.fixture
def client():
    return make_app().test_client()


@pytest.mark.parametrize("path", ["", "/penyaji", "/cetak"])
def test_each_page_of_a_snapshot_answers_in_its_language_and_theme(client, path):
    page = client.get(f"/paparan/{SAMPLE}{path}")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert '<html lang="id" class="paparan' in html and "tema-terang" in html
    assert all(s.title in html for s in sample_deck("id").slides)
    english = client.get(f"/paparan/{SAMPLE}{path}?lang=en&tema=gelap").get_data(as_text=True)
    assert '<html lang="en"' in english and "tema-gelap" in english and "SIMULATED DATA" in english


def test_the_print_page_loads_its_assets_from_the_blueprints_static_folder(client):
    html = client.get(f"/paparan/{SAMPLE}/cetak").get_data(as_text=True)
    assert 'href="/paparan/static/paparan.css"' in html and "<script" not in html
    for path in ("paparan.css", "paparan.js", "fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"):
        with client.get(f"/paparan/static/{path}") as answer:  # a file's answer holds it open until closed
            assert answer.status_code == 200 and len(answer.data) > 1000, path


@pytest.mark.parametrize("snapshot_id", ["20991231-2359-000000", "tidak-ada"])
def test_an_unknown_snapshot_is_a_404_page_in_indonesian(client, snapshot_id):
    for path in ("", "/penyaji", "/cetak"):
        page = client.get(f"/paparan/{snapshot_id}{path}")
        assert page.status_code == 404 and page.mimetype == "text/html"
        html = page.get_data(as_text=True)
        assert "Paparan tidak ditemukan" in html and "Tidak ada snapshot tersimpan dengan kode ini" in html and snapshot_id in html


@pytest.mark.parametrize("snapshot_id", ["a_b", "x" * 65, "%3Cscript%3E", "a.b"])
def test_an_id_that_cannot_be_a_snapshot_is_refused_before_any_look_up(client, snapshot_id):
    page = client.get(f"/paparan/{snapshot_id}")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "hanya boleh huruf, angka dan tanda hubung" in html and "<script>" not in html


def test_a_corrupt_snapshot_is_refused_in_words_and_a_server_without_snapshots_says_so():
    app = make_app()
    page = app.test_client().get(f"/paparan/{CORRUPT}")
    assert page.status_code == 500 and "Snapshot rusak" in page.get_data(as_text=True)
    app.config["PANTAU"] = SimpleNamespace(paparan=None, embed_origins=())
    page = app.test_client().get(f"/paparan/{SAMPLE}")
    assert page.status_code == 404 and "tidak menyimpan snapshot" in page.get_data(as_text=True)
