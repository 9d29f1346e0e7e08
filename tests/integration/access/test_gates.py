"""Against a real serving process: what needs no sign-in (the wall, the deck and its files, health) never sends anyone
to /masuk, and every control action through the API with the operator token is a row of the audit trail; and
`app.py user` and `app.py audit verify` on a warehouse no server holds."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import httpx
import pytest

from region.paths import PROJECT_ROOT
from support.serverproc import ServerProcess

pytestmark = pytest.mark.integration

PORT = int(os.environ.get("PANTAU_TEST_GATES_PORT", "0"))  # 0: a free port


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    served = ServerProcess(tmp_path_factory.mktemp("gates")).start(port=PORT)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def bearer(server) -> dict:
    return {"Authorization": f"Bearer {(server.workdir / '.operator-token').read_text().strip()}"}


def _public(response: httpx.Response) -> None:
    assert response.status_code == 200, (response.request.url, response.status_code)
    assert "/masuk" not in response.headers.get("Location", ""), response.request.url


def test_the_wall_the_deck_and_health_need_no_sign_in(server, bearer):
    for path in ("/", "/wall", "/wall/layanan", "/paparan", "/paparan?lang=en", "/api/health"):
        _public(httpx.get(server.url + path, timeout=30))
    made = httpx.post(f"{server.url}/api/v1/paparan", json={"title": "Rapat"}, headers=bearer, timeout=60)
    assert made.status_code in (200, 201), made.text
    snapshot = made.json()["snapshot"]["id"]
    for kind, starts in (("pptx", b"PK"), ("data", b"PK"), ("pdf", b"%PDF")):
        response = httpx.get(f"{server.url}/paparan/{snapshot}/unduh/{kind}", timeout=120)
        _public(response)
        assert response.content.startswith(starts), kind


def test_every_control_action_with_the_token_is_in_the_audit_trail(server, bearer):
    steps = [
        ("/api/v1/ingest", {"sources": ["perizinan"]}, "muat_sumber", "perizinan"),
        ("/api/v1/sources/pause", {"sources": ["absensi"]}, "jeda", "absensi"),
        ("/api/v1/sources/resume", {"sources": ["absensi"]}, "lanjut", "absensi"),
        ("/api/v1/spbe/import", {"framework": "permenpanrb-59-2020", "year": 2026, "levels": {str(n): 3 for n in range(1, 48)}},
         "impor_spbe", "2026"),
    ]
    for path, body, _action, _target in steps:
        response = httpx.post(server.url + path, json=body, headers=bearer, timeout=120)
        assert response.status_code == 200, (path, response.text)
    rows = httpx.post(f"{server.url}/api/v1/audit", json={}, headers=bearer, timeout=30).json()["entries"]
    for _path, _body, action, target in steps:
        row = next(r for r in reversed(rows) if r["action"] == action)
        assert (row["who"], row["role"], row["target"], row["client_address"]) == ("token", "operator", target, "127.0.0.1"), row
    assert httpx.post(f"{server.url}/api/v1/sources/pause", json={"sources": ["absensi"]}, timeout=30).status_code == 401


def _cli(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "app.py"), *args], input=stdin, env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)


def test_users_and_the_trail_from_the_command_line_without_a_server(tmp_path):
    warehouse = tmp_path / "pantau.duckdb"
    env = {**os.environ, "PANTAU_WAREHOUSE__PATH": str(warehouse), "PANTAU_SIMULATOR__DATA_DIR": str(tmp_path / "sim")}
    env.pop("PANTAU_OPERATOR_TOKEN", None)
    added = _cli(env, "user", "add", "budi", "--role", "analyst", "--password-stdin", stdin="rahasia-sekali-budi\n")
    assert added.returncode == 0 and "budi (analyst)" in added.stdout, added.stderr
    assert _cli(env, "user", "disable", "budi").returncode == 0
    listed = _cli(env, "user", "list")
    assert listed.returncode == 0 and "budi" in listed.stdout and "analyst" in listed.stdout and "nonaktif" in listed.stdout
    intact = _cli(env, "audit", "verify")
    assert intact.returncode == 0 and "utuh: 2 baris" in intact.stdout, intact.stdout + intact.stderr  # the add, the disable
    with duckdb.connect(str(warehouse)) as db:
        db.execute("UPDATE audit_log SET target = 'orang-lain' WHERE id = (SELECT min(id) FROM audit_log)")
    broken = _cli(env, "audit", "verify")
    assert broken.returncode != 0 and "rusak" in broken.stderr
