"""/metrics for Prometheus: the server's own requests, the process, and what the serving process's collector reads.

Requests are counted by route template (the rule Flask matched, never the path asked for), by method and status
class, so a stranger's made-up paths all count under the rule that caught them (the pages' catch-all) or under
"unmatched": the series stay few. The registry is the app's own, not prometheus_client's global one.

Who may scrape: with a token in `server.metrics_token_env`'s variable, whoever sends it as a Bearer; without one,
only this machine (loopback), since the server may listen on a network other offices share.
"""

from __future__ import annotations

import hmac
import ipaddress
import time

import dash
import flask
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import Metric
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from dashboard.services import services

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # a path no rule matched (the pages' catch-all matches most)
# From a cached JSON answer (a few ms) to a slow export or deck render.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
EXTENSION = "pantau_prometheus"

prometheus = flask.Blueprint("prometheus", __name__)


class _ServingProcess(Collector):
    """The collector of the services the current app serves with (read at scrape time, inside the request)."""

    def collect(self) -> list[Metric]:
        collector = services().collector
        return list(collector.collect()) if collector is not None else []


class HttpMetrics:
    """The app's registry and its request series."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        for make in (ProcessCollector, PlatformCollector, GCCollector):
            make(registry=self.registry)
        self.registry.register(_ServingProcess())
        labels = ("route", "method", "status")
        self.requests = Counter("pantau_http_requests", "HTTP requests answered.", labels, registry=self.registry)
        self.latency = Histogram("pantau_http_request_duration_seconds", "Time to answer an HTTP request.", labels,
                                 buckets=LATENCY_BUCKETS, registry=self.registry)


def _route() -> str:
    rule = flask.request.url_rule
    return rule.rule if rule is not None else UNMATCHED


def install(app: dash.Dash) -> None:
    """Count and time every request of the app's server, and serve /metrics."""
    server = app.server
    metrics = HttpMetrics()
    server.extensions[EXTENSION] = metrics

    @server.before_request
    def start_clock() -> None:
        flask.g.prometheus_started = time.perf_counter()

    # Timed until the answer is made: for a streamed file (an export), until it starts to stream.
    @server.after_request
    def count(response: flask.Response) -> flask.Response:
        started = flask.g.pop("prometheus_started", None)
        method = flask.request.method if flask.request.method in METHODS else "other"
        labels = (_route(), method, f"{response.status_code // 100}xx")
        metrics.requests.labels(*labels).inc()
        if started is not None:
            metrics.latency.labels(*labels).observe(time.perf_counter() - started)
        return response

    server.register_blueprint(prometheus)


def _refusal() -> flask.Response | None:
    """Why this scrape is refused, as the answer; None when it may go on."""
    token = services().metrics_token
    if token:
        given = flask.request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return None
        answer = flask.make_response("token metrik salah atau tidak ada / missing or wrong metrics token\n", 401)
        answer.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return answer
    try:
        local = ipaddress.ip_address(flask.request.remote_addr or "").is_loopback
    except ValueError:
        local = False
    if local:
        return None
    return flask.make_response(
        "/metrics hanya untuk mesin ini tanpa token; setel variabel server.metrics_token_env / "
        "/metrics answers only this machine unless a token is set in server.metrics_token_env's variable\n", 403)


@prometheus.get("/metrics")
def scrape() -> flask.Response:
    refused = _refusal()
    if refused is not None:
        refused.mimetype = "text/plain"
        return refused
    registry = flask.current_app.extensions[EXTENSION].registry
    return flask.Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
