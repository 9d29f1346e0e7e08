"""/metrics from a served app (waitress on 127.0.0.1) over a Pantau that loaded a real REST source, parsed as
Prometheus parses it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

import httpx
import pytest
import waitress
from prometheus_client.parser import text_string_to_metric_families

from dashboard.app import create_app
from dashboard.services import DashboardServices
from runtime import http_server
from runtime.configuration import load_checked
from runtime.context import Pantau
from runtime.control import PantauControls
from runtime.prometheus import PantauCollector
from tests.complaints_api import SOURCE, ComplaintsApi, page

pytestmark = pytest.mark.integration

SOURCE_PORT, SERVER_PORT = 8245, 8246
BASE = f"http://127.0.0.1:{SERVER_PORT}"
CONFIG = SOURCE.format(port=SOURCE_PORT)
RECORDS = [
    {"id": "L-1", "opd_tujuan": "DISKOMINFO", "diperbarui_pada": "2026-11-27T08:00:00+07:00"},
    {"id": "L-2", "opd_tujuan": "Dinas Perhubungan", "diperbarui_pada": "2026-11-27T08:05:00+07:00"},
    {"id": "L-3", "opd_tujuan": "", "diperbarui_pada": "2026-11-27T08:10:00+07:00"},  # rejected: no target OPD
]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The served app, its services, the Pantau behind it and the result of the load it made."""
    tmp = tmp_path_factory.mktemp("prometheus")
    (tmp / "pantau.toml").write_text(CONFIG, encoding="utf-8")
    source = ComplaintsApi(SOURCE_PORT, lambda: page(RECORDS))
    pantau = Pantau(load_checked(tmp / "pantau.toml", env={"PANTAU_WAREHOUSE__PATH": str(tmp / "pantau.duckdb")}))
    result = pantau.load("aduan")
    assert result.status == "ok", result.error
    services = DashboardServices(pantau.metrics, PantauControls(pantau), "operator-token", "Kab", collector=PantauCollector(pantau))
    app = create_app(services)
    server = waitress.create_server(app.server, host="127.0.0.1", port=SERVER_PORT, threads=2)
    with http_server.serving_in_background(server):
        yield app, services, pantau, result
    pantau.close()
    source.close()


def scrape(headers: dict | None = None) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics: (name, sorted labels) -> value."""
    answer = httpx.get(f"{BASE}/metrics", headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(answer.text) for s in family.samples}


def of_source(samples, name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted({"source": "aduan", "opd": "DISKOMINFO", **labels}.items())))]


def test_a_scrape_after_a_load_says_what_the_load_reported(served):
    _app, _services, pantau, result = served
    samples = scrape()
    assert of_source(samples, "pantau_source_last_load_rows", outcome="offered") == result.rows_read == 3
    loaded = result.inserted + result.updated + result.unchanged + result.superseded
    assert of_source(samples, "pantau_source_last_load_rows", outcome="loaded") == loaded == 2
    assert of_source(samples, "pantau_source_last_load_rows", outcome="rejected") == result.rejected == 1
    assert of_source(samples, "pantau_source_last_load_rows", outcome="skipped") == result.skipped == 0
    assert {state: of_source(samples, "pantau_source_state", state=state) for state in ("fresh", "late", "stale", "failing", "never")} == {
        "fresh": 1, "late": 0, "stale": 0, "failing": 0, "never": 0}
    success = of_source(samples, "pantau_source_last_success_timestamp_seconds")
    assert abs(success - time.time()) < 300
    last_success = pantau.metrics.freshness()["aduan"].last_success_at.replace(tzinfo=dt.UTC)
    assert success == pytest.approx(last_success.timestamp())
    assert 0 < of_source(samples, "pantau_source_last_load_duration_seconds") < 60
    assert samples[("pantau_indicator_recompute_duration_seconds_count", ())] >= 1
    assert samples[("pantau_indicator_recompute_duration_seconds_sum", ())] >= samples[("pantau_indicator_recompute_last_duration_seconds", ())] > 0
    assert samples[("pantau_indicators_not_recomputed", ())] == 0
    assert samples[("pantau_scheduler_state", (("state", "starting"),))] == 1  # nothing started the scheduler here
    files = [pantau.warehouse.path, pantau.warehouse.path.with_name(pantau.warehouse.path.name + ".wal")]
    assert samples[("pantau_warehouse_size_bytes", ())] == sum(f.stat().st_size for f in files if f.exists()) > 0
    assert samples[("pantau_warehouse_fault", ())] == 0
    assert samples[("pantau_warehouse_memory_limit_bytes", ())] == pytest.approx(pantau.config.warehouse.memory_limit_mb * 10**6, rel=1e-3)
    assert samples[("pantau_warehouse_memory_bytes", (("kind", "base_table"),))] > 0
    assert samples[("pantau_warehouse_spilled_bytes", ())] >= 0
    assert samples[("process_resident_memory_bytes", ())] > 0 and ("python_info" in {n for n, _ in samples})


def test_requests_are_counted_by_route_template_and_strangers_paths_add_no_series(served):
    route = (("method", "GET"), ("route", "/api/health"), ("status", "2xx"))
    earlier = scrape()  # the process's app may have answered other tests' requests before
    before = earlier.get(("pantau_http_requests_total", route), 0)
    routes_before = {v for _name, pairs in earlier for k, v in pairs if k == "route"}
    for _ in range(3):
        assert httpx.get(f"{BASE}/api/health", timeout=10).status_code == 200
    stranger = "zz-unknown-4711"
    httpx.get(f"{BASE}/{stranger}/deeper", timeout=10)
    httpx.get(f"{BASE}/api/v1/indicators/{stranger}/series", timeout=10)
    httpx.get(f"{BASE}/_dash-component-suites/{stranger}", timeout=10)
    httpx.request("BREW", f"{BASE}/api/{stranger}", timeout=10)
    samples = scrape()
    assert samples[("pantau_http_requests_total", route)] == before + 3
    assert samples[("pantau_http_request_duration_seconds_count", route)] >= 3
    labels = {(k, v) for _name, pairs in samples for k, v in pairs}
    assert not [v for _k, v in labels if stranger in v]
    # Each stranger's path counts under the rule that caught it, or as unmatched (the method no rule takes).
    added = {v for k, v in labels if k == "route"} - routes_before
    assert added <= {"/<path:path>", "/api/health", "/api/v1/indicators/<indicator_id>/series", "/metrics", "unmatched"}
    assert {"/<path:path>", "/api/v1/indicators/<indicator_id>/series", "unmatched"} <= {v for k, v in labels if k == "route"}
    assert {v for k, v in labels if k == "method"} <= {"GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}  # never BREW
    assert ("method", "other") in labels


def test_a_token_once_set_is_required_and_without_one_only_this_machine_may_scrape(served):
    app, services, _pantau, _result = served
    client = app.server.test_client()
    stranger = {"REMOTE_ADDR": "10.20.30.40"}
    refused = client.get("/metrics", environ_base=stranger)
    assert refused.status_code == 403 and "server.metrics_token_env" in refused.text
    app.server.config["PANTAU"] = dataclasses.replace(services, metrics_token="metrics-token-for-tests")
    try:
        assert httpx.get(f"{BASE}/metrics", timeout=10).status_code == 401
        assert httpx.get(f"{BASE}/metrics", headers={"Authorization": "Bearer wrong"}, timeout=10).status_code == 401
        assert client.get("/metrics", environ_base=stranger, headers={"Authorization": "Bearer metrics-token-for-tests"}).status_code == 200
        assert scrape({"Authorization": "Bearer metrics-token-for-tests"})[("pantau_warehouse_fault", ())] == 0
    finally:
        app.server.config["PANTAU"] = services
