"""Every route the app serves, found from its URL map so a new one is covered too, asked by strangers, by an admin's
session and with the operator token: odd path parts, query strings and JSON bodies never end in a server error or a
traceback in the log (hypothesis, derandomised)."""

from __future__ import annotations

import json
import logging
import re
import urllib.parse

import flask
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access.service import Access
from config.settings import AccessSettings
from dashboard.app import BLUEPRINTS, create_app
from dashboard.paparan.library import Paparan
from dashboard.services import DashboardServices
from runtime import snapshots
from runtime.control import PantauControls
from tests.integration.dashboard.test_status_routes import pantau_in

pytestmark = pytest.mark.integration
TOKEN = "fuzz-operator-token"
PASSWORD = "rahasia-sekali"
ORIGIN = "http://localhost"
FUZZ = settings(derandomize=True, max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Sign-in and sign-out change who the admin's client is; they are asked as a stranger only.
SESSION_CHANGING = {"/masuk", "/keluar"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The whole app over a real Pantau (a failing REST source, the SPBE file source loaded), with accounts and snapshots."""
    pantau = pantau_in(tmp_path_factory.mktemp("fuzz"))
    assert pantau.load("spbe").status == "ok"
    access = Access(pantau.warehouse, AccessSettings(address_attempts=10_000), b"k" * 32)
    access.accounts.add("admin", "admin", PASSWORD)
    services = DashboardServices(pantau.metrics, PantauControls(pantau), TOKEN, "Kab", access=access,
                                 paparan=Paparan(snapshots.of(pantau), lambda: pantau.config.paparan))
    made = create_app(services)
    yield made
    pantau.close()


@pytest.fixture(scope="module")
def clients(app):
    stranger, admin = app.server.test_client(), app.server.test_client()
    assert admin.post("/masuk", data={"nama": "admin", "sandi": PASSWORD, "lanjut": "/status"}, headers={"Origin": ORIGIN}).status_code == 303
    snapshot = app.server.test_client().post("/api/v1/paparan", json={}, headers={"Authorization": f"Bearer {TOKEN}"}).json["snapshot"]["id"]
    return {"stranger": stranger, "admin": admin}, snapshot


# Routes outside the blueprints: the Dash pages, and what dashboard.http_policy and dashboard.prometheus install.
_OUTSIDE_BLUEPRINTS = {"GET": ["/", "/wall", "/wall/peta", "/analisis", "/provinsi", "/<path:path>", "/api/", "/api/<path:rest>", "/metrics",
                               "/_dash-layout", "/_dash-dependencies"],
                       "POST": ["/api/", "/api/<path:rest>"], "DELETE": ["/api/<path:rest>"]}
_NOT_FUZZED = ("/_dash-", "/_reload-hash", "/_favicon", "/assets/", "/static/")


def _routes(method: str) -> list[str]:
    # Read from the blueprints on a bare Flask app: building the Dash app here, while tests are collected, would
    # import its pages a second time in a process that later builds it again.
    bare = flask.Flask("routes")
    for blueprint in BLUEPRINTS:
        bare.register_blueprint(blueprint)
    found = {r.rule for r in bare.url_map.iter_rules() if method in r.methods and r.endpoint != "static"}
    return sorted(found | set(_OUTSIDE_BLUEPRINTS.get(method, ())))


def test_every_route_the_app_serves_is_fuzzed(app):
    for method in ("GET", "POST", "DELETE"):
        served = {r.rule for r in app.server.url_map.iter_rules() if method in r.methods and not r.rule.startswith(_NOT_FUZZED)}
        assert served <= set(_routes(method)), (method, sorted(served - set(_routes(method))))


_WEIRD = st.one_of(st.text(max_size=40), st.sampled_from(["..", "../../etc/passwd", "%00", "a" * 300, "ñ✓", "'; drop table loads;--", "-1", "0", "1e999",
                                                            "9999-12-31", "0001-01-01", "2026-02-30", "null", "[]"]))
_KNOWN = {"indicator_id": ["izin_tepat_waktu", "izin_lewat_sla", "spbe_indeks", "aduan_tertunggak"], "source": ["spbe", "aduan"],
          "name": ["spbe", "aduan", "rekaman.csv", "rekaman.xlsx", "grafik.png", "grafik.svg"], "kind": ["pdf", "pptx", "data"],
          "filename": ["deck.js", "deck.css", "status.css"], "upload_id": ["0123456789abcdef0123456789abcdef"], "path": ["wall", "assets/pantau.css"], "rest": ["v2"]}
_PARAMS = ["from", "to", "grain", "by", "limit", "lang", "screen", "kiosk", "indikator", "periode", "pada", "titik", "anggota", "bagian", "urut", "cari",
           "halaman", "banding", "rincian", "saring", "lanjut", "since", "kode_kecamatan", "token", "f", "offset", "tema", "ekspor", "kolom"]
_VALUES = st.one_of(_WEIRD, st.sampled_from(["day", "week", "month", "year", "opd", "kecamatan", "30h", "ytd", "en", "id", "1", "100000000", "2026-11-30",
                                             "izin_tepat_waktu", "desc", "csv", "xlsx", "2026-01-01..2026-11-30", "opd:DPMPTSP"]))
_FIELDS = st.sampled_from(["op", "name", "role", "password", "since", "sources", "verify", "as_of", "title", "framework", "year", "levels", "by"])
_ANY = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20) | st.sampled_from(["add", "list", "role", "admin"]),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_FIELDS | st.text(max_size=8), inner, max_size=5), max_leaves=10)
# Mostly objects with the fields the routes read, each of any type; sometimes any JSON at all.
_JSON = st.one_of(st.dictionaries(_FIELDS, _ANY, max_size=4), st.dictionaries(_FIELDS, _ANY, max_size=4), _ANY)


def _filled(rule: str, data, snapshot: str) -> str:
    def one(match: re.Match) -> str:
        name = match.group(2)
        known = [snapshot] if name == "snapshot_id" else _KNOWN.get(name, [])
        value = data.draw(st.sampled_from(known) | _WEIRD if known else _WEIRD)
        return re.sub(r"[?#]", "_", value if match.group(1) == "path" else value.replace("/", "_")) or "x"

    return re.sub(r"<(?:(\w+):)?(\w+)>", one, rule)


def _no_server_error(answer, what) -> None:
    assert answer.status_code < 500 or (answer.status_code == 503 and "Retry-After" in answer.headers), (what, answer.status_code, answer.get_data(as_text=True)[:300])
    assert answer.headers.get("X-Content-Type-Options") == "nosniff" and "Content-Security-Policy" in answer.headers, what
    if what[1].startswith("/api/") and answer.status_code >= 400:
        assert answer.is_json, (what, answer.content_type)


def _no_traceback(caplog) -> None:
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not logged, [r.getMessage() for r in logged]


@pytest.mark.parametrize("rule", _routes("GET"))
@settings(FUZZ, max_examples=15)
@given(data=st.data())
def test_no_get_makes_a_server_error(app, clients, caplog, rule, data):
    by_whom, snapshot = clients
    caplog.clear()
    who = data.draw(st.sampled_from(["stranger", "admin", "token"]))
    path = _filled(rule, data, snapshot)
    params = data.draw(st.dictionaries(st.sampled_from(_PARAMS), _VALUES, max_size=5))
    client = by_whom["stranger" if who == "token" else who]
    headers = {"Authorization": f"Bearer {TOKEN}"} if who == "token" else {}
    with caplog.at_level(logging.ERROR):
        answer = client.get(path, query_string=params, headers=headers)
        answer.close()
    _no_server_error(answer, (who, path, params))
    _no_traceback(caplog)


@pytest.mark.parametrize("rule", _routes("POST") + _routes("DELETE"))
@settings(FUZZ, max_examples=30)
@given(data=st.data())
def test_no_post_body_makes_a_server_error(app, clients, caplog, rule, data):
    by_whom, snapshot = clients
    caplog.clear()
    who = data.draw(st.sampled_from(["stranger"] if rule in SESSION_CHANGING else ["stranger", "admin", "token"]))
    method = data.draw(st.sampled_from(["POST", "DELETE"] if rule in _routes("DELETE") else ["POST"]))
    path = _filled(rule, data, snapshot)
    client = by_whom["stranger" if who == "token" else who]
    headers = {"Origin": ORIGIN, **({"Authorization": f"Bearer {TOKEN}"} if who == "token" else {})}
    as_json = data.draw(st.booleans())
    with caplog.at_level(logging.ERROR):
        if as_json:
            body = data.draw(_JSON)
            answer = client.open(path, method=method, json=body, headers=headers)
        else:
            body = data.draw(st.dictionaries(st.sampled_from(["nama", "sandi", "lanjut", "csrf", "_csrf", "since", "pada", "judul", "lang"]), _WEIRD, max_size=4))
            answer = client.open(path, method=method, data=body, headers=headers)
    _no_server_error(answer, (who, path, body))
    _no_traceback(caplog)



_WRONG_TYPES = (5, 1e308, True, None, [], ["spbe"], {}, {"a": 1}, "x" * 5000)


@pytest.mark.parametrize("rule", [r for r in _routes("POST") if r.startswith("/api/")])
def test_each_field_of_each_wrong_type_is_refused_with_the_token(app, clients, caplog, rule):
    # A fuzzer rarely hits one field with one wrong type; here every field the routes read gets every wrong type.
    _, snapshot = clients
    client = app.server.test_client()
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: snapshot if m.group(1) == "snapshot_id" else _KNOWN.get(m.group(1), ["x"])[0], rule)
    with caplog.at_level(logging.ERROR):
        for field in _FIELDS.elements:
            for value in _WRONG_TYPES:
                answer = client.post(path, json={field: value}, headers={"Authorization": f"Bearer {TOKEN}"})
                _no_server_error(answer, ("token", path, {field: value}))
    _no_traceback(caplog)


def _callbacks(app) -> list[dict]:
    # What the browser is told it may call; clientside callbacks never reach the server.
    return [c for c in app.server.test_client().get("/_dash-dependencies").json if not c.get("clientside_function")]


def _split_outputs(output: str) -> list[dict]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [{"id": json.loads(i) if i.startswith("{") else i, "property": p} for i, p in (part.rsplit(".", 1) for part in parts)]


_QUESTION = st.fixed_dictionaries({"indikator": st.sampled_from(["spbe_indeks", "izin_tepat_waktu", "aduan_tertunggak"]) | _WEIRD}, optional={
    k: _VALUES | st.sampled_from(v) for k, v in {
        "periode": ["bawaan", "30_hari", "bulan_lalu", "kuartal_ini", "tahun_berjalan", "tahun_lalu", "rentang"], "dari": ["2025-01-01"], "sampai": ["2026-11-30"],
        "satuan": ["hari", "minggu", "bulan", "tahun"], "banding": ["setara", "sebelumnya", "tahun_lalu"], "rinci": ["opd", "kode_kecamatan", "domain"],
        "pada": ["2026-11-30 23:59"], "titik": ["2025-01-01", "2026-11-01"], "anggota": ["1305010", "DISKOMINFO"], "bagian": ["semua", "ditolak"],
        "urut": ["-diajukan_tgl", "id,x"], "cari": ["a"], "halaman": ["1", "2", "0", "-1"], "lang": ["en", "id"]}.items()})
# The analysis page's own questions, and anything else a URL may hold.
_SEARCH = st.one_of(_WEIRD, st.builds(lambda d: "?" + urllib.parse.urlencode(d), _QUESTION),
                    st.builds(lambda d: "?" + "&".join(f"{k}={v}" for k, v in d.items()), st.dictionaries(st.sampled_from(_PARAMS), _VALUES, max_size=6)))
_PATHNAME = st.one_of(_WEIRD, st.sampled_from(["/", "/wall", "/wall/peta", "/analisis", "/provinsi", "/wall/tidak-ada", "//", "/analisis/x"]))


_SCALARS = st.one_of(_WEIRD, st.sampled_from(["izin_tepat_waktu", "spbe_indeks", "bawaan", "rentang", "bulan_lalu", "minggu", "opd", "sebelumnya", "semua"]))
_POINT = st.dictionaries(st.sampled_from(["x", "y", "customdata", "location", "label", "pointIndex", "curveNumber", "text"]), _ANY, max_size=4)
_TYPED = {
    "search": _SEARCH, "pathname": _PATHNAME, "date": _WEIRD, "filter_query": _WEIRD, "n_clicks": st.integers(), "n_intervals": st.integers(),
    "page_current": st.integers(), "hidden": st.booleans(), "value": _SCALARS | st.lists(_SCALARS, max_size=4),
    "clickData": st.fixed_dictionaries({"points": st.lists(_POINT, max_size=2)}) | _POINT,
    "sort_by": st.lists(st.fixed_dictionaries({"column_id": _WEIRD, "direction": st.sampled_from(["asc", "desc"])}), max_size=2),
}


def _value(prop: str, typed_only: bool):
    # Of the type the property holds, so the callback itself is reached; in hostile bodies anything at all.
    typed = _TYPED.get(prop)
    return _ANY if typed is None else typed if typed_only else st.one_of(typed, _ANY)


def _callback_body(callback: dict, data) -> dict:
    typed_only = data.draw(st.booleans())
    drawn: dict[str, list] = {}

    def item(spec: dict) -> dict | list:
        pattern = json.loads(spec["id"]) if spec["id"].startswith("{") else None  # Dash writes a pattern's id as JSON
        if pattern is not None:  # the matching components, each with its own id
            if spec["id"] not in drawn:  # a pattern's input and state list the same components
                drawn[spec["id"]] = data.draw(st.lists(st.text(max_size=12) | st.sampled_from(["opd", "kode_kecamatan", "status"]), max_size=3))
            ids = drawn[spec["id"]]
            found = [{k: (i if v == ["ALL"] else v) for k, v in pattern.items()} for i in ids]
            return [{"id": one, "property": spec["property"],
                     "value": one if spec["property"] == "id" and typed_only else data.draw(_value(spec["property"], typed_only))} for one in found]
        return {"id": spec["id"], "property": spec["property"], "value": data.draw(_value(spec["property"], typed_only))}

    inputs = [item(s) for s in callback["inputs"]]
    changed = [f"{s['id']}.{s['property']}" for s in callback["inputs"]]
    return {"output": callback["output"], "outputs": _split_outputs(callback["output"]), "inputs": inputs,
            "state": [item(s) for s in callback.get("state", [])], "changedPropIds": data.draw(st.lists(st.sampled_from(changed), max_size=2))}


@settings(FUZZ, max_examples=450)
@given(data=st.data())
def test_no_callback_body_makes_a_server_error(app, clients, caplog, data):
    # Every server callback the pages declare, its inputs and state given any value; the wall, /analisis and the
    # page router read what a browser sends, and a stranger's browser may send anything.
    body = _callback_body(data.draw(st.sampled_from(_callbacks(app))), data)
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        answer = clients[0]["stranger"].post("/_dash-update-component", json=body, headers={"Origin": ORIGIN})
    _no_server_error(answer, ("stranger", "/_dash-update-component", body))
    _no_traceback(caplog)
