"""JSON API of the analysts' explorer: the figures of one analysis view, and its definition, for the question in the URL."""

from __future__ import annotations

import datetime as dt

import flask

from dashboard.i18n import language
from dashboard.services import services
from metrics.question import BadQuestion, Question, question_from_args
from metrics.service import UnknownIndicator
from metrics.slots import Busy

analisis_api = flask.Blueprint("analisis_api", __name__)


def _question() -> Question:
    """The question the request's query string asks.

    Raises:
        UnknownIndicator: `indikator` names an indicator not served (a 404, unlike a missing one).
        BadQuestion: naming the parameter.
    """
    args = flask.request.args
    metrics = services().metrics
    catalogue = {i.id: i for i in metrics.indicators}
    named = (args.get("indikator") or "").strip()
    if named and named not in catalogue:
        raise UnknownIndicator(f"indikator '{named[:60]}' tidak ada")
    return question_from_args(args, catalogue, now=metrics.now().replace(tzinfo=dt.UTC))  # the service's clock, as its figures


def _answered(work) -> flask.Response | tuple[flask.Response, int] | tuple[flask.Response, int, dict]:
    try:
        return flask.jsonify(work(_question()))
    except UnknownIndicator as exc:
        return flask.jsonify({"error": str(exc.args[0])}), 404
    except BadQuestion as exc:
        return flask.jsonify({"error": str(exc), "param": exc.param}), 400
    except Busy as exc:
        return flask.jsonify({"error": str(exc)}), 503, {"Retry-After": "5"}


@analisis_api.get("/api/v1/analisis")
def analisis() -> flask.Response:
    """The figures of one analysis view (see metrics.explore.Answer.as_dict) for the question's parameters."""
    return _answered(lambda q: services().metrics.explorer().answer(q).as_dict())


@analisis_api.get("/api/v1/analisis/definisi")
def definisi() -> flask.Response:
    """The definition of the figure a question asks for, with the SQL that reproduces it (?lang=id|en)."""
    lang = language(flask.request.args.get("lang"))
    return _answered(lambda q: services().metrics.explorer().definition(q, lang))
