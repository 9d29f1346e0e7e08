"""/status on a real warehouse: a failing source shown failing with its error, a file upload previewed without a
write (rows, rejects and reconciliation exact, the SPBE index it would give), loaded exactly as previewed, cancelled
without a trace, refused when the staged file changed; the same flow over the API with the token and from the CLI."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from access.service import Access
from config.settings import AccessSettings
from dashboard.app import create_app
from dashboard.services import DashboardServices
from metrics.spbe.framework import framework
from runtime.configuration import load_checked
from runtime.context import Pantau
from runtime.control import PantauControls
from tests.complaints_api import SOURCE

pytestmark = pytest.mark.integration

DEAD_PORT = 8259  # nothing listens here: the REST source fails to connect
TOKEN = "status-operator-token"
OPERATOR = {"Authorization": f"Bearer {TOKEN}"}
PASSWORD = "rahasia-sekali"
ROOT = Path(__file__).resolve().parents[3]
# The complaints API's source (pointed at DEAD_PORT, so it fails) and the SPBE self-assessment's drop folder.
CONFIG = SOURCE + """
[sources.spbe]
folder = "{folder}"
"""


def assessment(year: int, level: int, bad: dict[int, str] | None = None) -> bytes:
    """A self-assessment CSV of the 59/2020 framework, every indicator at `level`, some rows' levels replaced by `bad`."""
    version = framework("permenpanrb-59-2020")
    lines = ["tahun;versi_kerangka;nomor_indikator;nama_indikator;tingkat"]
    for i in version.indicators:
        lines.append(f"{year};{version.file_name};{i.number};{i.name};{(bad or {}).get(i.number, level)}")
    return ("\n".join(lines) + "\n").encode()


def pantau_in(tmp: Path) -> Pantau:
    """A Pantau in `tmp` with a failing REST source (at DEAD_PORT) and the SPBE file source holding the 2025 assessment."""
    drop = tmp / "spbe"
    drop.mkdir()
    (drop / "spbe_penilaian_mandiri_2025.csv").write_bytes(assessment(2025, 3))
    (tmp / "pantau.toml").write_text(CONFIG.format(port=DEAD_PORT, folder=drop), encoding="utf-8")
    return Pantau(load_checked(tmp / "pantau.toml", env={"PANTAU_WAREHOUSE__PATH": str(tmp / "pantau.duckdb")}))


@pytest.fixture(scope="module")
def status(tmp_path_factory):
    """pantau_in a new folder, both its sources loaded once; its app's test client."""
    tmp = tmp_path_factory.mktemp("status")
    pantau = pantau_in(tmp)
    assert pantau.load("aduan").status == "failed"
    assert pantau.load("spbe").status == "ok"
    access = Access(pantau.warehouse, AccessSettings(), b"k" * 32)
    for name, role in (("pemirsa", "viewer"), ("operator", "operator"), ("admin", "admin")):
        access.accounts.add(name, role, PASSWORD)
    app = create_app(DashboardServices(pantau.metrics, PantauControls(pantau), TOKEN, "Kab", access=access))
    yield app.server.test_client(), pantau, tmp
    pantau.close()


def count(pantau: Pantau, sql: str) -> int:
    return pantau.warehouse.cursor().execute(sql).fetchall()[0][0]


def upload(client, content: bytes, name: str = "penilaian 2026.csv"):
    from io import BytesIO

    return client.post("/api/v1/sumber/spbe/unggah", data={"berkas": (BytesIO(content), name)}, headers=OPERATOR, content_type="multipart/form-data")


def test_the_page_shows_a_failing_source_with_its_error_and_the_system(status):
    client, _, _ = status
    page = client.get("/status", headers=OPERATOR)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    row = re.search(r'<tr id="sumber-aduan".*?</tr>', html, re.S).group(0)
    assert "Sumber gagal" in row and "state-failing" in row and "Connection refused" in row  # in words, with the error
    assert "Sumber terkini" in re.search(r'<tr id="sumber-spbe".*?</tr>', html, re.S).group(0)
    assert "Ukuran gudang data" in html and "Memori proses (RSS)" in html and "Muat sekarang" in html
    english = client.get("/status?lang=en", headers=OPERATOR).get_data(as_text=True)
    assert '<html lang="en">' in english and "Source failing" in english

    detail = client.get("/status/sumber/aduan", headers=OPERATOR).get_data(as_text=True)
    assert "<svg" in detail and "gagal" in detail and "Rekaman yang ditolak" in detail
    history = client.get("/api/v1/sumber/aduan/riwayat?n=5", headers=OPERATOR).json
    assert [r["status"] for r in history["runs"]] == ["failed"] and history["runs"][0]["error"]


def test_a_preview_writes_nothing_and_muat_loads_exactly_what_it_showed(status):
    client, pantau, tmp = status
    before = (count(pantau, "SELECT count(*) FROM loads"), count(pantau, "SELECT count(*) FROM spbe_penilaian"), count(pantau, "SELECT count(*) FROM rejects"))
    content = assessment(2026, 4, bad={3: "7", 5: "x"})  # two bad levels: out of range, not a number
    answer = upload(client, content)
    assert answer.status_code == 200, answer.json
    preview = answer.json["preview"]
    indicators = len(framework("permenpanrb-59-2020").indicators)
    assert preview["error"] is None, preview["error"]
    assert (preview["rows_read"], preview["loaded"], preview["rejected"], preview["skipped"]) == (indicators, indicators - 2, 2, 0)
    assert preview["reconciled"] and preview["inserted"] == indicators - 2
    assert sorted((r["origin"], r["field"]) for r in preview["rejects"]) == [("spbe_penilaian_mandiri_unggah-" + answer.json["id"][:8] + ".csv baris 4", "tingkat"),
                                                                              ("spbe_penilaian_mandiri_unggah-" + answer.json["id"][:8] + ".csv baris 6", "tingkat")]
    assert preview["rows"][0][0].endswith("baris 2") and len(preview["rows"]) == 20
    spbe = preview["inspected"]
    assert [e["year"] for e in spbe] == [2026] and spbe[0]["index"] is None and "3, 5" in spbe[0]["problem"]  # incomplete: no index
    after = (count(pantau, "SELECT count(*) FROM loads"), count(pantau, "SELECT count(*) FROM spbe_penilaian"), count(pantau, "SELECT count(*) FROM rejects"))
    assert after == before  # nothing written before Muat

    page = client.get(f"/status/sumber/spbe/unggah/{answer.json['id']}", headers=OPERATOR).get_data(as_text=True)
    assert "dibaca 47 = dimuat 45 + ditolak 2 + dilewati 0" in page and "tingkat kematangan di luar 1-5" in page

    loaded = client.post(f"/api/v1/sumber/spbe/unggah/{answer.json['id']}/muat", headers=OPERATOR)
    assert loaded.status_code == 200, loaded.json
    load = loaded.json["load"]
    assert load["status"] == "ok" and (load["rows_read"], load["inserted"], load["rejected"]) == (indicators, indicators - 2, 2)
    assert count(pantau, "SELECT count(*) FROM spbe_penilaian WHERE tahun = 2026") == indicators - 2
    ledger = pantau.warehouse.cursor().execute("SELECT sha256, load_id FROM file_ledger WHERE source = 'spbe' AND load_id = ?", [load["load_id"]]).fetchall()
    assert ledger == [(answer.json["sha256"], load["load_id"])]  # the very bytes previewed
    assert not (tmp / ".unggahan" / answer.json["id"]).exists() and list((tmp / "spbe" / "diproses").glob("*unggah-*"))
    assert client.post(f"/api/v1/sumber/spbe/unggah/{answer.json['id']}/muat", headers=OPERATOR).status_code == 404  # once


def test_a_complete_assessment_previews_its_index_and_the_change_from_the_stored_year(status):
    client, _, _ = status
    answer = upload(client, assessment(2025, 4)).json
    (entry,) = answer["preview"]["inspected"]
    assert entry["year"] == 2025 and entry["stored_index"] == 3.0 and entry["index"] == 4.0 and entry["change"] == 1.0
    assert answer["preview"]["updated"] == len(framework("permenpanrb-59-2020").indicators)
    assert client.post(f"/api/v1/sumber/spbe/unggah/{answer['id']}/batal", headers=OPERATOR).json == {"id": answer["id"], "cancelled": True}


def test_batal_leaves_no_trace_and_a_changed_staged_file_is_refused(status):
    client, pantau, tmp = status
    loads = count(pantau, "SELECT count(*) FROM loads")
    first = upload(client, assessment(2027, 2)).json
    assert (tmp / ".unggahan" / first["id"]).is_dir()
    assert client.post(f"/api/v1/sumber/spbe/unggah/{first['id']}/batal", headers=OPERATOR).status_code == 200
    assert not (tmp / ".unggahan" / first["id"]).exists()
    assert client.post(f"/api/v1/sumber/spbe/unggah/{first['id']}/muat", headers=OPERATOR).status_code == 404

    second = upload(client, assessment(2027, 2)).json
    staged = next((tmp / ".unggahan" / second["id"]).glob("*.csv"))
    staged.write_bytes(assessment(2027, 5))  # changed after its preview
    refused = client.post(f"/api/v1/sumber/spbe/unggah/{second['id']}/muat", headers=OPERATOR)
    assert refused.status_code == 409 and "berubah sejak pratinjau" in refused.json["error"]
    assert count(pantau, "SELECT count(*) FROM loads") == loads and count(pantau, "SELECT count(*) FROM spbe_penilaian WHERE tahun = 2027") == 0


def test_uploads_are_refused_without_the_operator_token_and_past_the_file_limit(status):
    client, _, _ = status
    from io import BytesIO

    anonymous = client.post("/api/v1/sumber/spbe/unggah", data={"berkas": (BytesIO(b"x"), "a.csv")}, content_type="multipart/form-data")
    assert anonymous.status_code == 401
    # 1.2 MB, over the spbe source's 1 MB; sent as bytes (the test client spools a large form to a file it never closes).
    body = b'--b\r\nContent-Disposition: form-data; name="berkas"; filename="a.csv"\r\n\r\n' + b"1;2\n" * 300_000 + b"\r\n--b--\r\n"
    too_large = client.post("/api/v1/sumber/spbe/unggah", data=body, headers=OPERATOR, content_type="multipart/form-data; boundary=b")
    assert too_large.status_code == 413
    not_a_file_source = client.post("/api/v1/sumber/aduan/unggah", data={"berkas": (BytesIO(b"x"), "a.csv")}, headers=OPERATOR, content_type="multipart/form-data")
    assert not_a_file_source.status_code == 400 and "bukan sumber berkas" in not_a_file_source.json["error"]


def test_the_cli_previews_and_loads_an_upload(tmp_path):
    drop = tmp_path / "spbe"
    drop.mkdir()
    (tmp_path / "pantau.toml").write_text(CONFIG.format(port=DEAD_PORT, folder=drop), encoding="utf-8")
    (tmp_path / "penilaian.csv").write_bytes(assessment(2026, 3, bad={1: "9"}))
    env = {"PANTAU_WAREHOUSE__PATH": str(tmp_path / "pantau.duckdb"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "app.py"), "upload", "--config", str(tmp_path / "pantau.toml"), *args],
                              env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)

    preview = cli("spbe", str(tmp_path / "penilaian.csv"), "--preview")
    assert preview.returncode == 0, preview.stderr
    assert "dibaca 47 = dimuat 46 + ditolak 1 + dilewati 0" in preview.stdout and "baris 2" in preview.stdout and "tingkat" in preview.stdout
    assert not list(drop.glob("diproses/*"))
    loaded = cli("spbe", str(tmp_path / "penilaian.csv"))
    assert loaded.returncode == 0, loaded.stderr
    assert "ok" in loaded.stdout and list(drop.glob("diproses/*"))


def test_run_now_starts_in_the_background_and_a_bad_backfill_date_is_refused(status):
    import time

    client, pantau, _ = status
    runs = count(pantau, "SELECT count(*) FROM loads WHERE source = 'aduan'")
    started = client.post("/status/sumber/aduan/muat", headers=OPERATOR)
    assert started.status_code == 303 and "pesan=started" in started.headers["Location"]
    controls = client.application.config["PANTAU"].controls
    deadline = time.monotonic() + 60
    while controls.running() and time.monotonic() < deadline:  # the load's own thread ends it
        time.sleep(0.05)
    assert not controls.running() and count(pantau, "SELECT count(*) FROM loads WHERE source = 'aduan'") == runs + 1
    assert "Pemuatan aduan dimulai" in client.get(started.headers["Location"], headers=OPERATOR).get_data(as_text=True)
    for bad in ("2026-02-30", "1999-12-31", "2999-01-01", "kemarin"):
        refused = client.post("/status/sumber/spbe/muat-ulang", data={"sejak": bad}, headers=OPERATOR)
        assert refused.status_code == 303 and "pesan=bad_date" in refused.headers["Location"], bad
    assert count(pantau, "SELECT count(*) FROM loads WHERE source = 'aduan'") == runs + 1
    paused = client.post("/status/sumber/aduan/jeda", headers=OPERATOR)
    assert "pesan=paused" in paused.headers["Location"] and pantau.is_paused("aduan")
    client.post("/status/sumber/aduan/lanjutkan", headers=OPERATOR)
    assert not pantau.is_paused("aduan")


def signed_in(client, name: str):
    """A client of the same app signed in as `name`, and its CSRF token as the page's forms carry it."""
    mine = client.application.test_client()
    assert mine.post("/masuk", data={"nama": name, "sandi": PASSWORD, "lanjut": "/status"}).status_code == 303
    page = mine.get("/status").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    return mine, token.group(1) if token else None


def test_actions_need_the_operator_role_and_the_csrf_token_and_are_audited(status):
    client, pantau, _ = status
    assert client.get("/status").status_code == 303 and client.get("/status").headers["Location"].startswith("/masuk?lanjut=/status")
    viewer, csrf = signed_in(client, "pemirsa")
    page = viewer.get("/status").get_data(as_text=True)
    assert "Sumber gagal" in page and "Muat sekarang" not in page and "Jejak audit" not in page
    detail = viewer.get("/status/sumber/spbe").get_data(as_text=True)
    assert "hanya untuk peran analis" in detail and 'id="berkas"' not in detail
    assert viewer.get("/status/sumber/spbe/penolakan.csv").status_code == 303
    runs = count(pantau, "SELECT count(*) FROM loads")
    assert viewer.post("/status/sumber/aduan/muat", data={"csrf": csrf}).status_code == 303
    assert viewer.get("/status/audit").status_code == 303

    operator, csrf = signed_in(client, "operator")
    assert operator.post("/status/sumber/aduan/jeda").status_code == 403  # the session cookie without its token
    assert not pantau.is_paused("aduan")
    assert operator.post("/status/sumber/aduan/jeda", data={"csrf": csrf}).status_code == 303 and pantau.is_paused("aduan")
    operator.post("/status/sumber/aduan/lanjutkan", data={"csrf": csrf})
    assert count(pantau, "SELECT count(*) FROM loads") == runs  # the viewer's run was refused

    admin, _ = signed_in(client, "admin")
    trail = admin.get("/status/audit?tindakan=source.pause").get_data(as_text=True)
    assert "<td>source.pause</td>" in trail and "<td>operator</td>" in trail and "<td>source.resume</td>" not in trail
    exported = admin.get("/status/audit?format=csv&siapa=operator").get_data(as_text=True)
    assert "source.pause" in exported and "source.resume" in exported and "pemirsa" not in exported


def test_an_upload_past_the_file_limit_is_refused_on_the_page_naming_both_sizes(status):
    client, _, _ = status
    operator, csrf = signed_in(client, "operator")
    body = (f'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'.encode()
            + b'--b\r\nContent-Disposition: form-data; name="berkas"; filename="a.csv"\r\n\r\n' + b"1;2\n" * 300_000 + b"\r\n--b--\r\n")
    answer = operator.post("/status/sumber/spbe/unggah", data=body, content_type="multipart/form-data; boundary=b")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "<html" in page
    assert "berkas a.csv: 1.200.000 bita (1,2 MB), melebihi batas unggahan 1.000.000 bita (1 MB) (max_file_bytes)" in html.unescape(page), page[:500]

