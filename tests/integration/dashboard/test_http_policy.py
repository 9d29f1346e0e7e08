"""The server against strangers and typos: bounded series, 4xx (never 5xx or HTML) for wrong requests, the
operator token only as a Bearer, body limits, and the security and cache headers on every kind of route."""

import datetime as dt
import json
import logging
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXED_NOW
from dashboard.app import create_app
from dashboard.services import DashboardServices
from ingest.connectors import Connection
from metrics.freshness import Policy
from metrics.service import MetricsService

pytestmark = pytest.mark.integration
POLICY = Policy(fresh_within=dt.timedelta(minutes=15), stale_after=dt.timedelta(hours=2), simulated=True)
TOKEN = "operator-token-for-tests"
SERIES = "/api/v1/indicators/izin_lewat_sla/series"


class RecordingControls:
    """Control actions that only remember that they were asked."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def run_now(self, sources, since=None):
        self.calls.append(("run_now", tuple(sources), since))
        return []

    def set_paused(self, sources, paused):
        self.calls.append(("set_paused", tuple(sources), paused))
        return []

    def source_status(self):
        return []

    def import_spbe(self, framework_id, year, levels):
        self.calls.append(("import_spbe", framework_id, year))
        return {}

    def health(self):
        return {"status": "ok", "problems": []}


@pytest.fixture
def served(warehouse, simulator, load):
    """A test client of the app over a warehouse with licensing loaded, and the controls it calls."""
    assert load("perizinan", Connection(**simulator.connection("perizinan"))).status == "ok"
    metrics = MetricsService(warehouse, {"perizinan": POLICY}, clock=lambda: FIXED_NOW.replace(tzinfo=None))
    metrics.refresh()
    controls = RecordingControls()
    app = create_app(DashboardServices(metrics, controls, TOKEN, "Kab"))
    return app.server.test_client(), controls


def _wall_update(page: object = None, context: object = None, n: object = 1) -> dict:
    """A /_dash-update-component body as the wall's renderer sends it."""
    page = {"index": 0, "page": "ringkasan"} if page is None else page
    context = {"lang": "id", "screen": None, "fixed": None, "indikator": None, "kiosk": True} if context is None else context
    outputs = [("wall-stage", "children"), ("wall-stage", "className"), ("wall-page-title", "children"), ("wall-simulated", "hidden"),
               ("wall-alerts", "children"), ("wall-dots", "children"), ("wall-playlist", "data-playlist"), ("wall-refresh", "interval")]
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": "wall-refresh", "property": "n_intervals", "value": n}, {"id": "wall-page", "property": "data", "value": page}],
        "changedPropIds": ["wall-refresh.n_intervals"],
        "state": [{"id": "wall-context", "property": "data", "value": context}],
    }


def test_series_spans_are_bounded_and_far_dates_refused(served):
    client, _ = served
    for query, needle in [
        ("from=0001-01-01&to=2026-12-01", "harus antara 2000-01-01 dan 2099-12-31"),
        ("from=1000-01-01", "harus antara"),
        ("to=9999-12-31", "harus antara"),
        ("from=2020-01-01&to=2026-11-30", "lebih dari 1096 hari untuk grain=day"),
        ("from=2000-01-01&to=2026-11-30&grain=month", "lebih dari 3653 hari untuk grain=month"),
        ("from=2026-02-30", "bukan tanggal YYYY-MM-DD"),
        ("from=2026-11-20&to=2026-11-01", "tanggal awal sesudah tanggal akhir"),
    ]:
        answer = client.get(f"{SERIES}?{query}")
        assert answer.status_code == 400 and needle in answer.json["error"], (query, answer.status_code, answer.get_data(as_text=True)[:200])
    # The longest allowed spans are answered, one point per bucket.
    days = client.get(f"{SERIES}?from=2023-12-01&to=2026-11-30").json["series"]
    assert len(days) == 1_096 and days[0]["periode"] == "2023-12-01"
    months = client.get(f"{SERIES}?from=2016-12-02&to=2026-11-30&grain=month").json["series"]
    assert len(months) == 120  # Dec 2016 to Nov 2026
    assert client.get("/api/v1/indicators/izin_lewat_sla/lineage?from=0001-01-01").status_code == 400
    for limit in ("0", "1001", "abc", "1e3", "9" * 5000):
        assert client.get(f"/api/v1/indicators/izin_lewat_sla/lineage?limit={limit}").status_code == 400


def test_unknown_api_paths_and_methods_answer_json(served):
    client, _ = served
    for method, path in [("GET", "/api/v2/indicators"), ("GET", "/api/"), ("POST", "/api/v1/nope"), ("DELETE", "/api/v1/indicators/x/y/z")]:
        answer = client.open(path, method=method)
        assert answer.status_code == 404 and answer.is_json and "tidak ada alamat API" in answer.json["error"], (method, path)
    wrong_method = client.post("/api/v1/indicators")
    assert wrong_method.status_code == 405 and wrong_method.is_json
    assert client.get("/wall/tidak-ada").status_code == 200  # outside /api/ the pages' own not-found page still answers


def test_control_routes_want_a_bearer_token_and_a_json_object(served):
    client, controls = served
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post("/api/v1/ingest", headers={"Authorization": TOKEN}).status_code == 401  # no scheme: refused
    assert client.post("/api/v1/ingest", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert client.post("/api/v1/ingest", headers={"Authorization": "Bearer s\u00e9cret"}).status_code == 401  # not a 500
    for body in ["sources=perizinan", "[\"perizinan\"]", "\"perizinan\"", "3", "null", "{", b"\xff\xfe"]:
        answer = client.post("/api/v1/ingest", data=body, headers=bearer, content_type="application/json")
        assert answer.status_code == 400 and answer.is_json, (body, answer.status_code)
    # Nested past the parser's recursion limit, or past what any route reads: a 400 that says so, not a RecursionError's 500.
    for body in ["[" * 30_000 + "]" * 30_000, '{"sources": ' + "[" * 900 + "]" * 900 + "}"]:
        answer = client.post("/api/v1/ingest", data=body, headers=bearer, content_type="application/json")
        assert answer.status_code == 400 and "bersarang lebih dari 64 tingkat" in answer.json["error"], answer.status_code
    for since in [20240101, ["2024-01-01"], {"d": 1}, True, "kemarin", "0001-01-01", "2999-01-01"]:
        answer = client.post("/api/v1/ingest", json={"sources": ["perizinan"], "since": since}, headers=bearer)
        assert answer.status_code == 400 and "'since'" in answer.json["error"], since
    # A misspelt field is refused, not read as "no sources named", which would load or pause every source.
    for path, body in [("/api/v1/ingest", {"source": ["perizinan"]}), ("/api/v1/ingest", {"sources": ["perizinan"], "sinse": "2026-11-01"}),
                       ("/api/v1/sources/pause", {"source": ["perizinan"]}), ("/api/v1/spbe/import", {"framework": "x", "year": 2025, "level": {}})]:
        answer = client.post(path, json=body, headers=bearer)
        assert answer.status_code == 400 and "kolom tidak dikenal" in answer.json["error"], (path, body, answer.get_data(as_text=True))
    for body in [[], "x", {"sources": "perizinan"}]:
        assert client.post("/api/v1/sources/pause", json=body, headers=bearer).status_code == 400
        assert client.post("/api/v1/spbe/import", json=body, headers=bearer).status_code == 400
    assert controls.calls == []  # nothing was loaded, paused or imported by any of these

    assert client.post("/api/v1/ingest", json={"sources": ["perizinan"], "since": "2026-11-01"}, headers={"Authorization": f"bearer {TOKEN}"}).status_code == 200
    assert client.post("/api/v1/ingest", headers=bearer).status_code == 200  # an empty body: every source
    assert controls.calls == [("run_now", ("perizinan",), dt.date(2026, 11, 1)), ("run_now", (), None)]


def test_bodies_are_limited_per_kind_of_route(served):
    client, controls = served
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    big = json.dumps({"sources": ["perizinan"], "pad": "x" * 70_000})
    answer = client.post("/api/v1/ingest", data=big, headers=bearer, content_type="application/json")
    assert answer.status_code == 413 and answer.is_json and controls.calls == []
    assert answer.json["error"] == "badan permintaan melebihi batas 65.536 bita untuk alamat ini"
    body = _wall_update()
    body["pad"] = "x" * 140_000
    assert client.post("/_dash-update-component", json=body).status_code == 413
    assert client.post("/wall", data="x" * 10_000).status_code in (405, 413)


def test_malformed_wall_updates_are_refused_in_one_log_line(served, caplog):
    client, _ = served
    client.get("/wall")  # the renderer asks only after the page; so does this test
    assert client.post("/_dash-update-component", json=_wall_update()).status_code == 200
    caplog.clear()
    bad_bodies = [
        "garbage", "[]", "{}", {"output": "x"}, {"output": None}, {**_wall_update(), "inputs": "x"}, {**_wall_update(), "inputs": []},
        {**_wall_update(), "state": [{"id": "other", "property": "data"}]}, {**_wall_update(), "outputs": [{"x": 1}]},
        {**_wall_update(), "changedPropIds": [1]}, "[" * 60_000 + "]" * 60_000,
        {**_wall_update(), "state": [{"id": "wall-context", "property": "data", "value": json.loads("[" * 900 + "]" * 900)}]},
    ]
    with caplog.at_level(logging.INFO):
        for body in bad_bodies:
            data = body if isinstance(body, str) else json.dumps(body)
            answer = client.post("/_dash-update-component", data=data, content_type="application/json")
            assert answer.status_code == 400, (body, answer.status_code)
        # Well formed, but with values the wall never sends: nothing to update, and no error.
        for page, context, n in [("ringkasan", None, 1), ({"page": ["x"], "index": "0"}, None, 1), (None, {"lang": 5, "fixed": {"a": 1}}, 1),
                                 (None, "x", None), ({"page": "tidak-ada"}, None, 1), (None, {"indikator": "tidak_ada"}, 1)]:
            answer = client.post("/_dash-update-component", json=_wall_update(page, context, n))
            assert answer.status_code in (200, 204), (page, context, answer.status_code)
        for path in ["/_dash-component-suites/nopkg/x.js", "/_dash-component-suites/dash/nofile.js", "/_dash-component-suites/dash/"]:
            assert client.get(path).status_code == 404, path
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    refused = [r for r in caplog.records if "refused a wall update" in r.getMessage()]
    assert len(refused) == len(bad_bodies) and all("\n" not in r.getMessage() for r in refused)


def test_every_kind_of_route_carries_the_security_headers(served):
    client, _ = served
    page = client.get("/wall")
    asset = re.search(r'href="(/assets/pantau\.css[^"]*)"', page.get_data(as_text=True)).group(1)
    suite = re.search(r'src="(/_dash-component-suites/[^"]+)"', page.get_data(as_text=True)).group(1)
    answers = {
        "page": (page, "no-cache"),
        "asset": (client.get(asset), "public, max-age=86400"),
        "suite": (client.get(suite), "public, max-age=86400"),
        "api": (client.get("/api/v1/indicators"), "no-store"),
        "api 404": (client.get("/api/nope"), "no-store"),
        "update": (client.post("/_dash-update-component", json=_wall_update()), "no-store"),
        "layout": (client.get("/_dash-layout"), "no-store"),
    }
    for kind, (answer, cache) in answers.items():
        h = answer.headers
        assert h["X-Content-Type-Options"] == "nosniff" and h["Referrer-Policy"] == "same-origin" and h["X-Frame-Options"] == "DENY", kind
        assert h["Cache-Control"] == cache, (kind, h["Cache-Control"])
        csp = dict(d.strip().split(" ", 1) for d in h["Content-Security-Policy"].split(";"))
        assert csp["default-src"] == "'self'" and csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'", kind
        assert "'unsafe" not in csp["script-src"] and "'unsafe-eval'" not in h["Content-Security-Policy"], kind
        answer.close()  # static files are streamed from an open file
    # The page's inline scripts and palette are the ones the policy allows by hash.
    html = page.get_data(as_text=True)
    assert "<style>:root{--bg:" in html and 'style="--bg' not in html
    assert html.count("sha256-") == 0 and answers["page"][0].headers["Content-Security-Policy"].count("'sha256-") >= 2


def test_embedding_is_allowed_only_for_the_configured_origins(warehouse):
    metrics = MetricsService(warehouse, {})
    app = create_app(DashboardServices(metrics, RecordingControls(), TOKEN, "Kab", embed_origins=("https://portal.padangpariamankab.go.id",)))
    h = app.server.test_client().get("/wall").headers
    assert "frame-ancestors https://portal.padangpariamankab.go.id" in h["Content-Security-Policy"] and "X-Frame-Options" not in h


_TEXT = st.one_of(st.text(max_size=30), st.sampled_from(["2026-11-01", "0001-01-01", "9999-12-31", "day", "month", "kode_kecamatan", "", "-1", "1e999"]))
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)


@settings(derandomize=True, max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from([SERIES, "/api/v1/indicators/izin_tepat_waktu/lineage", "/api/v1/indicators/izin_tepat_waktu/breakdown",
                             "/api/v1/indicators/tidak_ada/series", "/api/v1/indicators", "/api/health", "/wall", "/wall/peta", "/"]),
       params=st.dictionaries(st.sampled_from(["from", "to", "grain", "by", "limit", "lang", "screen", "kiosk", "indikator"]), _TEXT, max_size=5))
def test_no_query_string_makes_a_server_error(served, path, params):
    client, _ = served
    answer = client.get(path, query_string=params)
    assert answer.status_code < 500, (path, params, answer.get_data(as_text=True)[:300])


@settings(derandomize=True, max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(page=_JSON, context=_JSON, n=_JSON, drop=st.sets(st.sampled_from(["output", "outputs", "inputs", "state", "changedPropIds"]), max_size=2))
def test_no_wall_update_body_makes_a_server_error(served, page, context, n, drop):
    client, _ = served
    body = {k: v for k, v in _wall_update(page, context, n).items() if k not in drop}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code < 500, (body, answer.get_data(as_text=True)[:300])
