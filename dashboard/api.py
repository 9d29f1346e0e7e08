"""JSON API: indicator values, source status, health, and the operator's "load now" action."""

from __future__ import annotations

import datetime as dt
import hmac
import logging

import flask

from dashboard.formatting import WIB
from dashboard.services import services
from metrics.service import UnknownIndicator

log = logging.getLogger(__name__)
api = flask.Blueprint("api", __name__)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


@api.get("/api/v1/indicators")
def indicators() -> flask.Response:
    """Every indicator: id, name, value, unit, target, status, as_of and the freshness of its sources."""
    return flask.jsonify({"generated_at": _now(), "indicators": [r.as_dict() for r in services().metrics.readings()]})


@api.get("/api/v1/indicators/<indicator_id>")
def indicator(indicator_id: str) -> flask.Response:
    """One indicator: definition and current value."""
    try:
        return flask.jsonify(services().metrics.reading(indicator_id).as_dict())
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


def _dates() -> tuple[dt.date, dt.date]:
    """`from` and `to` (YYYY-MM-DD, WIB) of the request; by default the last 30 days."""
    today = dt.datetime.now(WIB).date()
    args = flask.request.args
    try:
        end = dt.date.fromisoformat(args["to"]) if args.get("to") else today
        start = dt.date.fromisoformat(args["from"]) if args.get("from") else end - dt.timedelta(days=29)
    except ValueError as exc:
        raise ValueError(f"tanggal tidak sah ({exc}); tulis YYYY-MM-DD") from None
    return start, end


@api.get("/api/v1/indicators/<indicator_id>/series")
def indicator_series(indicator_id: str) -> flask.Response:
    """?from=&to=&grain=day|week|month|year&by=<one of the indicator's breakdowns>"""
    args = flask.request.args
    grain = args.get("grain", "day")
    if grain not in ("day", "week", "month", "year"):
        return flask.jsonify({"error": f"grain '{grain}' tidak dikenal; pakai day, week, month atau year"}), 400
    try:
        start, end = _dates()
        rows = services().metrics.series(indicator_id, start, end, grain, args.get("by") or None)
    except UnknownIndicator as exc:
        return flask.jsonify({"error": exc.args[0]}), 404
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400
    return flask.jsonify({"id": indicator_id, "from": start.isoformat(), "to": end.isoformat(), "grain": grain, "by": args.get("by"), "series": rows})


@api.get("/api/v1/indicators/<indicator_id>/lineage")
def indicator_lineage(indicator_id: str) -> flask.Response:
    """The sources, the query as SQL, and the records behind the value between `from` and `to` (?limit=, max 1000)."""
    try:
        start, end = _dates()
        limit = int(flask.request.args.get("limit", 100))
        if not 1 <= limit <= 1000:
            raise ValueError("limit harus 1-1000")
        return flask.jsonify(services().metrics.lineage(indicator_id, start, end, limit))
    except UnknownIndicator as exc:
        return flask.jsonify({"error": exc.args[0]}), 404
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400


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


def _operator_only() -> tuple[flask.Response, int] | None:
    """None when the request carries the operator token, else the 401 answer."""
    given = flask.request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not given or not hmac.compare_digest(given, services().operator_token):
        return flask.jsonify({"error": "token operator diperlukan (Authorization: Bearer ...)"}), 401
    return None


def _named_sources() -> list[str]:
    names = (flask.request.get_json(silent=True) or {}).get("sources") or []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError("'sources' harus berupa daftar nama sumber")
    return names


@api.post("/api/v1/ingest")
def ingest_now() -> flask.Response:
    """Load the named sources now (all when none are named); with "since" (YYYY-MM-DD), backfill from that day.

    Requires the operator token.
    """
    if (denied := _operator_only()) is not None:
        return denied
    try:
        since = (flask.request.get_json(silent=True) or {}).get("since")
        day = dt.date.fromisoformat(since) if since else None
        return flask.jsonify({"results": services().controls.run_now(_named_sources(), day)})
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400


@api.post("/api/v1/spbe/import")
def spbe_import() -> flask.Response:
    """Store a self-assessment: {"framework": id, "year": 2026, "levels": {"1": 3, ...}}, all or nothing.

    Requires the operator token.
    """
    if (denied := _operator_only()) is not None:
        return denied
    body = flask.request.get_json(silent=True) or {}
    try:
        year = body.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            raise ValueError(f"'year' harus tahun 2000-2100, bukan {year!r}")
        levels = body.get("levels")
        if not isinstance(levels, dict) or not all(str(k).isdigit() for k in levels):
            raise ValueError("'levels' harus berupa {nomor indikator: tingkat}")
        return flask.jsonify(services().controls.import_spbe(str(body.get("framework", "")), year, {int(k): v for k, v in levels.items()}))
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
    if (denied := _operator_only()) is not None:
        return denied
    try:
        names = _named_sources()
        if not names:
            raise ValueError("sebutkan sumber yang dijeda atau dilanjutkan")
        return flask.jsonify({"sources": services().controls.set_paused(names, paused)})
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400
