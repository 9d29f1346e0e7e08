"""JSON API: indicator values, source status, health, and the operator's "load now" action."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
from collections.abc import Callable

import flask
from werkzeug.exceptions import HTTPException

from dashboard import comparisons
from dashboard.formatting import WIB
from dashboard.http_policy import TooDeep
from dashboard.services import services
from dashboard.signin import audit
from metrics.reading import Reading
from metrics.service import UnknownIndicator
from metrics.slots import COMPUTE_WAIT_S, Busy, slot

log = logging.getLogger(__name__)
api = flask.Blueprint("api", __name__)

# Dates a request may name: the warehouse holds nothing before 2000, and far years overflow date arithmetic.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
# The longest span one request computes: each day of it costs query time, so a stranger cannot ask for centuries.
MAX_SPAN_DAYS = {"day": 1_096, "week": 3_653, "month": 3_653, "year": 3_653}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _reading_dict(reading: Reading) -> dict:
    """A reading as the API gives it, with the assumptions its value rests on stated beside its definition, and the
    spans its changes compared in words ("Jan–Okt 2026 vs Jan–Okt 2025")."""
    return {**reading.as_dict(), "assumptions": reading.indicator.stated_assumptions(), "compared": comparisons.labels(reading)}


@api.get("/api/v1/indicators")
def indicators() -> flask.Response:
    """Every indicator: id, name, value, unit, target, status, as_of, the spans compared and the freshness of its sources.

    The indicators' JSON is built again only after a write or when a source's freshness changes: twenty clients
    polling otherwise each rebuilt and encoded the same 64 KB (7 ms of the server's one interpreter per answer).
    """
    metrics = services().metrics
    freshness = metrics.freshness()
    encoded = metrics.remembered(
        ("api_indicators", tuple(sorted(freshness.items()))),
        lambda: flask.json.dumps([_reading_dict(r) for r in metrics.readings(freshness)], separators=(",", ":")),
    )
    return flask.current_app.response_class(f'{{"generated_at":{json.dumps(_now())},"indicators":{encoded}}}\n', mimetype="application/json")


@api.get("/api/v1/indicators/<indicator_id>")
def indicator(indicator_id: str) -> flask.Response:
    """One indicator: definition and current value."""
    try:
        return flask.jsonify(_reading_dict(services().metrics.reading(indicator_id)))
    except UnknownIndicator as exc:
        return flask.jsonify({"error": exc.args[0]}), 404


@api.get("/api/v1/indicators/<indicator_id>/breakdown")
def indicator_breakdown(indicator_id: str) -> flask.Response:
    """?by=<one of the indicator's breakdowns>: the current value per OPD, kecamatan, ..., as stored with it."""
    by = flask.request.args.get("by", "")
    try:
        rows = services().metrics.breakdown(indicator_id, by)
    except UnknownIndicator as exc:
        return flask.jsonify({"error": str(exc.args[0])}), 404
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400
    return flask.jsonify({"id": indicator_id, "by": by, "breakdown": [row.as_dict() for row in rows]})


def _date(name: str, default: dt.date) -> dt.date:
    text = flask.request.args.get(name)
    if not text:
        return default
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{name}' bukan tanggal YYYY-MM-DD: {text[:40]!r}") from None
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"'{name}' harus antara {EARLIEST} dan {LATEST}, bukan {day}")
    return day


def _dates(grain: str = "day") -> tuple[dt.date, dt.date]:
    """`from` and `to` (YYYY-MM-DD, WIB) of the request; by default the last 30 days; at most MAX_SPAN_DAYS[grain] long."""
    end = _date("to", min(dt.datetime.now(WIB).date(), LATEST))
    start = _date("from", max(end - dt.timedelta(days=29), EARLIEST))
    if start > end:
        raise ValueError("tanggal awal sesudah tanggal akhir")
    longest = MAX_SPAN_DAYS[grain]
    if (end - start).days + 1 > longest:
        raise ValueError(f"rentang {start}–{end} lebih dari {longest} hari untuk grain={grain}; perpendek rentangnya atau pakai grain yang lebih kasar")
    return start, end


def _computed(work: Callable[[], flask.Response]) -> flask.Response | tuple[flask.Response, int, dict]:
    """Run a query made on request within a slot of metrics.slots; 503 with Retry-After when they stay full."""
    try:
        with slot(COMPUTE_WAIT_S):
            return work()
    except Busy as exc:
        return flask.jsonify({"error": str(exc)}), 503, {"Retry-After": "5"}


@api.get("/api/v1/indicators/<indicator_id>/series")
def indicator_series(indicator_id: str) -> flask.Response:
    """?from=&to=&grain=day|week|month|year&by=<one of the indicator's breakdowns>; at most MAX_SPAN_DAYS[grain] days."""
    args = flask.request.args
    grain = args.get("grain", "day")
    if grain not in MAX_SPAN_DAYS:
        return flask.jsonify({"error": f"grain '{grain[:20]}' tidak dikenal; pakai day, week, month atau year"}), 400
    try:
        start, end = _dates(grain)
        services().metrics.indicator(indicator_id)
    except UnknownIndicator as exc:
        return flask.jsonify({"error": exc.args[0]}), 404
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400

    def work() -> flask.Response:
        try:
            rows = services().metrics.series(indicator_id, start, end, grain, args.get("by") or None)
        except ValueError as exc:
            return flask.jsonify({"error": str(exc)}), 400
        return flask.jsonify({"id": indicator_id, "from": start.isoformat(), "to": end.isoformat(), "grain": grain, "by": args.get("by"), "series": rows})

    return _computed(work)


@api.get("/api/v1/indicators/<indicator_id>/lineage")
def indicator_lineage(indicator_id: str) -> flask.Response:
    """The sources, the query as SQL, and the records behind the value between `from` and `to` (?limit=, max 1000)."""
    try:
        start, end = _dates()
        text = flask.request.args.get("limit", "100")
        limit = int(text) if text.isdigit() and len(text) <= 4 else 0
        if not 1 <= limit <= 1000:
            raise ValueError("limit harus bilangan bulat 1-1000")
        services().metrics.indicator(indicator_id)
    except UnknownIndicator as exc:
        return flask.jsonify({"error": exc.args[0]}), 404
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400
    return _computed(lambda: flask.jsonify(services().metrics.lineage(indicator_id, start, end, limit)))


@api.get("/api/v1/spbe")
def spbe() -> flask.Response:
    """SPBE index by year (index, predicate, domains, aspects), the latest, and Pantau's evidence per SPBE indicator."""
    return flask.jsonify(services().metrics.spbe())


@api.get("/api/v1/smartcity")
def smartcity() -> flask.Response:
    """Masterplan progress by dimension and dimension scores, with the method stated."""
    return flask.jsonify(services().metrics.smartcity())


@api.get("/api/v1/sources")
def sources() -> flask.Response:
    """Each source: last run, rows, rejects, freshness and next run."""
    return flask.jsonify({"generated_at": _now(), "sources": services().controls.source_status()})


@api.get("/api/health")
def health() -> flask.Response:
    """200 while Pantau keeps the figures current; 503 with the problems in words when it cannot (warehouse file,
    folder or disk, scheduler, recomputes). A failing OPD system keeps it 200: its source shows as failing."""
    try:
        report = services().controls.health()
    except Exception as exc:
        log.exception("health check failed")
        return flask.jsonify({"status": "unavailable", "problems": [f"pemeriksaan kesehatan gagal: {type(exc).__name__}"]}), 503
    return flask.jsonify(report), 200 if report["status"] == "ok" else 503


def operator_only() -> tuple[flask.Response, int] | None:
    """None when the request carries `Authorization: Bearer <operator token>`, else the 401 answer."""
    scheme, _, given = flask.request.headers.get("Authorization", "").partition(" ")
    # Bytes: compare_digest refuses non-ASCII text, and a header may carry anything.
    if scheme.lower() != "bearer" or not given.strip() or not hmac.compare_digest(given.strip().encode(), services().operator_token.encode()):
        return flask.jsonify({"error": "token operator diperlukan (Authorization: Bearer ...)"}), 401
    return None


def json_body(*fields: str) -> dict:
    """The request's JSON object; an empty body is {}.

    Args:
        fields: the fields the route reads; any other is refused, so a typo ("source" for "sources") is not taken
            for "no field given" and made to mean "all sources".

    Raises:
        ValueError: the body is not JSON, not an object, or has a field the route does not read.
    """
    raw = flask.request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = flask.current_app.json.loads(raw)  # the app's provider, which also refuses JSON nested too deeply
    except TooDeep as exc:
        raise ValueError(f"badan permintaan: {exc}") from None
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are both ValueErrors
        raise ValueError("badan permintaan bukan JSON; kirim objek JSON, mis. {\"sources\": [\"perizinan\"]}") from None
    if not isinstance(body, dict):
        raise ValueError(f"badan permintaan harus objek JSON {{...}}, bukan {type(body).__name__}")
    unknown = sorted(set(body) - set(fields)) if fields else []
    if unknown:
        shown = ", ".join(repr(k[:40]) for k in unknown[:5])
        raise ValueError(f"kolom tidak dikenal: {shown}; yang dikenal: {', '.join(fields)}")
    return body


def _named_sources(body: dict) -> list[str]:
    names = body.get("sources") or []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError("'sources' harus berupa daftar nama sumber")
    return names


def since_day(body: dict) -> dt.date | None:
    since = body.get("since")
    if since is None:
        return None
    if not isinstance(since, str):
        raise ValueError(f"'since' harus tanggal YYYY-MM-DD (teks), bukan {type(since).__name__}")
    try:
        day = dt.date.fromisoformat(since)
    except ValueError:
        raise ValueError(f"'since' bukan tanggal YYYY-MM-DD: {since[:40]!r}") from None
    today = dt.datetime.now(WIB).date()
    if not EARLIEST <= day <= today:
        raise ValueError(f"'since' harus antara {EARLIEST} dan hari ini ({today}), bukan {day}")
    return day


@api.post("/api/v1/ingest")
def ingest_now() -> flask.Response:
    """Load the named sources now (all when none are named); with "since" (YYYY-MM-DD), backfill from that day.

    Requires the operator token.
    """
    if (denied := operator_only()) is not None:
        return denied
    try:
        body = json_body("sources", "since")
        names, day = _named_sources(body), since_day(body)
        results = services().controls.run_now(names, day)
        audit("muat_sumber", ",".join(names) or "*", {"since": day.isoformat() if day else None,
                                                      "status": {r["source"]: r["status"] for r in results}})
        return flask.jsonify({"results": results})
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400


@api.post("/api/v1/spbe/import")
def spbe_import() -> flask.Response:
    """Store a self-assessment: {"framework": id, "year": 2026, "levels": {"1": 3, ...}}, all or nothing.

    Requires the operator token.
    """
    if (denied := operator_only()) is not None:
        return denied
    try:
        body = json_body("framework", "year", "levels")
        year = body.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            raise ValueError(f"'year' harus tahun 2000-2100, bukan {year!r}")
        levels = body.get("levels")
        if not isinstance(levels, dict) or not all(str(k).isdigit() for k in levels):
            raise ValueError("'levels' harus berupa {nomor indikator: tingkat}")
        result = services().controls.import_spbe(str(body.get("framework", "")), year, {int(k): v for k, v in levels.items()})
        audit("impor_spbe", str(year), {"framework": body.get("framework"), "indicators": len(levels)})
        return flask.jsonify(result)
    except KeyError as exc:
        return flask.jsonify({"error": str(exc.args[0])}), 400
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400


@api.post("/api/v1/sources/pause")
def pause() -> flask.Response:
    """Hold the scheduled loads of the named sources. Requires the operator token."""
    return _set_paused(True)


@api.post("/api/v1/sources/resume")
def resume() -> flask.Response:
    """Release the scheduled loads of the named sources. Requires the operator token."""
    return _set_paused(False)


def _set_paused(paused: bool) -> flask.Response:
    if (denied := operator_only()) is not None:
        return denied
    try:
        names = _named_sources(json_body("sources"))
        if not names:
            raise ValueError("sebutkan sumber yang dijeda atau dilanjutkan")
        changed = services().controls.set_paused(names, paused)
        audit("jeda" if paused else "lanjut", ",".join(names))
        return flask.jsonify({"sources": changed})
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400


@api.route("/api/", defaults={"rest": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@api.route("/api/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(rest: str) -> tuple[flask.Response, int] | tuple[flask.Response, int, dict]:
    """Anything else under /api/: a JSON 404 (405 for a known address asked with another method), not the wall's HTML page."""
    urls = flask.current_app.url_map.bind("localhost")
    allowed = []
    for method in ("GET", "POST"):
        try:
            if urls.match(flask.request.path, method=method)[0] != "api.unknown":
                allowed.append(method)
        except HTTPException:
            pass
    if allowed:
        return flask.jsonify({"error": f"metode {flask.request.method} tidak dipakai di sini; pakai {', '.join(allowed)}"}), 405, {"Allow": ", ".join(allowed)}
    return flask.jsonify({"error": f"tidak ada alamat API /api/{rest[:80]}; lihat /api/v1/indicators"}), 404
