"""JSON API for the analysis view's drill-down: the records behind a number, and a source's rejects for a record.

Both run queries on request, so they take one of metrics.slots' COMPUTING slots; page sizes are those of
metrics.question.PAGE_SIZES. Both need access.records_role (or the operator token); personal keys and fields are masked
(metrics.privacy) but for a role in access.personal_roles. Every request is in the audit trail.
"""

from __future__ import annotations

import datetime as dt

import flask

from dashboard.api import _computed
from dashboard.services import services
from dashboard.signin import audit, require_records, sees_personal
from metrics.question import BadQuestion, drill_from_args, question_from_args
from metrics.records import record_page
from metrics.rejects import UnknownSource, rejects_page
from metrics.service import UnknownIndicator

records_api = flask.Blueprint("records_api", __name__)


def _unlogged() -> tuple[flask.Response, int, dict]:
    """Records are shown only when their viewing is in the audit trail."""
    return flask.jsonify({"error": "jejak audit tidak dapat ditulis (lihat /api/health); rekaman tidak ditampilkan"}), 503, {"Retry-After": "30"}


def _bad(exc: BadQuestion) -> tuple[flask.Response, int]:
    return flask.jsonify({"error": str(exc), "param": exc.param}), 400


@records_api.get("/api/v1/analisis/rekaman")
@require_records
def records() -> flask.Response:
    """?<question args>&<drill args>: one page of the records behind the number (columns, rows, total, counted, other, summary)."""
    metrics = services().metrics
    args = flask.request.args
    catalogue = {i.id: i for i in metrics.indicators}
    if (args.get("indikator") or "").strip() and args["indikator"].strip() not in catalogue:
        return flask.jsonify({"error": f"indikator '{args['indikator'][:60]}' tidak ada", "param": "indikator"}), 404
    try:
        question = question_from_args(args, catalogue, now=metrics.now().replace(tzinfo=dt.UTC))
        drill = drill_from_args(args, question)
    except BadQuestion as exc:
        return _bad(exc)

    def work() -> flask.Response:
        try:
            answer = record_page(metrics, question, drill, personal_visible=sees_personal())
            if not audit("lihat_rekaman", question.indicator, dict(args)):
                return _unlogged()
            return flask.jsonify(answer.as_dict())
        except BadQuestion as exc:
            return _bad(exc)
        except UnknownIndicator as exc:
            return flask.jsonify({"error": exc.args[0], "param": "indikator"}), 404

    return _computed(work)


@records_api.get("/api/v1/sumber/<source>/penolakan")
@require_records
def rejects(source: str) -> flask.Response:
    """?kunci=|ref=&load=&hal=&per=: the source's rejects for a record key (or a drill-down's reference) or a load, paged."""
    args = flask.request.args
    try:
        page = _page(args.get("hal"), "hal")
        size = _page(args.get("per") or "50", "per")
    except BadQuestion as exc:
        return _bad(exc)

    def work() -> flask.Response:
        try:
            answer = rejects_page(services().metrics, source, kunci=args.get("kunci"), ref=args.get("ref"), load=args.get("load"),
                                  page=page, size=size, personal_visible=sees_personal())
            if not audit("lihat_penolakan", source, dict(args)):
                return _unlogged()
            return flask.jsonify(answer)
        except UnknownSource as exc:
            return flask.jsonify({"error": exc.args[0]}), 404
        except BadQuestion as exc:
            return _bad(exc)

    return _computed(work)


def _page(text: str | None, name: str) -> int:
    text = (text or "1").strip()
    if not text.isdigit() or len(text) > 7 or int(text) < 1:
        raise BadQuestion(name, "harus bilangan bulat positif")
    return int(text)
