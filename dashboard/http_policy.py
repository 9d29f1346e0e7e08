"""What every answer carries and what every request may be: security headers, cache rules, body limits, and
clear 4xx answers (JSON under /api/) instead of tracebacks for requests that are simply wrong."""

from __future__ import annotations

import json
import logging
from functools import cache

import dash
import flask
from dash.exceptions import DependencyException
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

from dashboard.components.palette import css_variables
from dashboard.services import services
from runtime.uploads import UPLOAD_MAX_BYTES
from spreadsheets import describe_size

log = logging.getLogger(__name__)

KIB = 1024
# The largest body each kind of route takes: control actions send a few names, a wall refresh a few small dicts.
BODY_LIMITS = (("/api/", 64 * KIB), ("/_dash-update-component", 128 * KIB))
OTHER_BODY_LIMIT = 4 * KIB
# An upload's route raises its own limit to its source's file limit (dashboard.status), never past this.
UPLOAD_BODY_LIMIT = UPLOAD_MAX_BYTES + 64 * KIB
# What waitress accepts at all (its default is 1 GiB); the per-route limits above are checked first.
SERVER_BODY_LIMIT = max(UPLOAD_BODY_LIMIT, *(limit for _, limit in BODY_LIMITS))
STATIC = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
# How deeply a request's JSON may nest: a wall update's inputs are a few levels deep, and Python's recursion limit
# (which both the parser and the checks of a body meet) is near 1,000.
MAX_JSON_DEPTH = 64


class TooDeep(ValueError):
    """A request's JSON nests past MAX_JSON_DEPTH."""

    def __init__(self) -> None:
        super().__init__(f"JSON bersarang lebih dari {MAX_JSON_DEPTH} tingkat")


class RequestJSON(DefaultJSONProvider):
    """Flask's JSON, refusing bodies nested past MAX_JSON_DEPTH as not JSON (a ValueError, so a 400) instead of
    failing deep in the parser or in a later check with a RecursionError's 500 and traceback."""

    def loads(self, s: str | bytes, **kwargs) -> object:
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise TooDeep from None
        if _depth(value) > MAX_JSON_DEPTH:
            raise TooDeep
        return value


def _depth(value: object) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a scalar is 0), without recursing."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in children)
    return deepest


def palette_style() -> str:
    """The palette as a <style> element for the page head."""
    return "<style>:root{" + ";".join(f"{k}:{v}" for k, v in css_variables().items()) + "}</style>"


@cache
def _script_hashes(app: dash.Dash) -> tuple[str, ...]:
    # Dash's inline scripts (the renderer's start, clientside callbacks), known once every page has registered.
    return tuple(app.csp_hashes())


def content_security_policy(app: dash.Dash, frame_ancestors: tuple[str, ...]) -> str:
    """Only this origin: inline scripts by hash, SVG charts as data: images, no frames but those allowed.

    Styles may be inline: Dash's components insert <style> elements at run time (CSS-in-JS). A style cannot run
    script, so scripts, where an injection would do harm, stay limited to this origin and the hashed inline ones.
    """
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(("'self'", *_script_hashes(app))),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": " ".join(frame_ancestors) or "'none'",
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def _cache_control(path: str, response: flask.Response) -> str:
    if path.startswith(STATIC) and response.status_code in (200, 304):
        # Component suites are fingerprinted by version, assets by modification time (?m=): safe to keep a day.
        return "public, max-age=86400"
    if path.startswith(("/api/", "/_dash-", "/masuk", "/keluar")):
        return "no-store"
    return "no-cache"  # pages: always asked again, so a screen picks up a new layout


def _wants_json(path: str) -> bool:
    return path.startswith(("/api/", "/_dash-"))


def install(app: dash.Dash) -> None:
    """Add the request checks, the error answers and the headers to the app's server."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = SERVER_BODY_LIMIT
    server.json = RequestJSON(server)

    @server.before_request
    def limit_body() -> None:
        path = flask.request.path
        flask.request.max_content_length = next((limit for prefix, limit in BODY_LIMITS if path.startswith(prefix)), OTHER_BODY_LIMIT)

    @server.before_request
    def check_callback_request() -> tuple[flask.Response, int] | None:
        if flask.request.path != "/_dash-update-component" or flask.request.method != "POST":
            return None
        problem = callback_problem(flask.request.get_json(silent=True), app.callback_map)
        if problem:
            log.warning("refused a wall update from %s: %s", flask.request.remote_addr, problem)
            return flask.jsonify({"error": problem}), 400
        return None

    @server.before_request
    def check_component_suite() -> tuple[flask.Response, int] | None:
        # A package with no file named would fall through to the pages' catch-all and answer the wall's HTML.
        rest = flask.request.path.removeprefix("/_dash-component-suites/").partition("/")[2]
        if flask.request.path.startswith("/_dash-component-suites/") and not rest:
            return flask.jsonify({"error": "tidak ada"}), 404
        return None

    @server.errorhandler(DependencyException)
    def unknown_component_file(_exc: DependencyException) -> tuple[flask.Response, int]:
        # Dash's own check of a component-suite path; unhandled, it is a 500 with a traceback for a wrong address.
        return flask.jsonify({"error": "tidak ada"}), 404

    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> flask.Response | HTTPException:
        if not _wants_json(flask.request.path):
            return exc
        message = exc.description or exc.name
        if exc.code == 413 and flask.request.max_content_length:  # say the limit, not werkzeug's "capacity limit"
            message = f"badan permintaan melebihi batas {describe_size(flask.request.max_content_length)} untuk alamat ini"
        return flask.jsonify({"error": message}), exc.code or 500

    @server.after_request
    def headers(response: flask.Response) -> flask.Response:
        try:
            ancestors = services().embed_origins
        except (KeyError, RuntimeError):
            ancestors = ()
        h = response.headers
        h["Content-Security-Policy"] = content_security_policy(app, ancestors)
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "same-origin"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if not ancestors:
            h["X-Frame-Options"] = "DENY"  # for browsers that predate frame-ancestors
        h["Cache-Control"] = _cache_control(flask.request.path, response)
        return response


def _pattern(component_id: object) -> bool:
    """Whether a callback map's component id is a pattern (ALL, MATCH): Dash writes those as JSON objects."""
    return not isinstance(component_id, str) or component_id.startswith("{")


# What a browser's renderer can send for a component property (None always: a property not set). A property not
# listed (a store's "data") may hold any JSON. Checked here so a callback never sees, say, a list for a URL's search.
_SCALAR = (str, int, float)
_PROPERTY_TYPES: dict[str, tuple[type, ...]] = {
    "search": (str,), "pathname": (str,), "hash": (str,), "href": (str,), "date": (str,), "filter_query": (str,),
    "n_clicks": (int,), "n_intervals": (int,), "page_current": (int,), "hidden": (bool,),
    "clickData": (dict,), "hoverData": (dict,), "selectedData": (dict,), "sort_by": (list,), "id": (dict, str),
    "value": (*_SCALAR, list),
}


@cache
def _pattern_id(text: str) -> object:
    """A pattern id as the callback map writes it (JSON), parsed once: the map's few patterns, not each request's."""
    return json.loads(text)


def _matches(given: object, pattern: object) -> bool:
    """Whether a component id the renderer sends fits a callback's pattern id: the same keys, the fixed ones equal,
    the wildcard ones (ALL, MATCH, ALLSMALLER) a text or a number."""
    wanted = _pattern_id(pattern) if isinstance(pattern, str) else pattern
    if not isinstance(given, dict) or not isinstance(wanted, dict) or set(given) != set(wanted):
        return False
    wildcard = (["ALL"], ["MATCH"], ["ALLSMALLER"])
    return all((isinstance(given[k], (str, int)) and not isinstance(given[k], bool)) if v in wildcard else given[k] == v for k, v in wanted.items())


def _value_problem(prop: str, value: object) -> bool:
    """Whether `value` is not one the renderer could send for `prop`."""
    if value is None or prop not in _PROPERTY_TYPES:
        return False
    if isinstance(value, bool) and bool not in _PROPERTY_TYPES[prop]:
        return True  # JSON true is not a count
    if not isinstance(value, _PROPERTY_TYPES[prop]):
        return True
    if prop == "pathname":
        return not value.startswith("/")  # a location's path always does; Dash's page router fails on any other
    if prop == "value" and isinstance(value, list):
        return not all(isinstance(v, _SCALAR) and not isinstance(v, bool) for v in value)
    if prop == "sort_by":
        return not all(isinstance(v, dict) and isinstance(v.get("column_id"), str) and v.get("direction") in ("asc", "desc") for v in value)
    return False


def callback_problem(body: object, callback_map: dict) -> str | None:
    """Why a /_dash-update-component body is not one this app's renderer would send, or None when it is."""
    if not isinstance(body, dict):
        return "badan permintaan bukan objek JSON"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "output tidak dikenal"
    spec = callback_map[output]
    matched: dict[str, set[int]] = {}  # a pattern's number of matches, which its inputs and states share
    for key, declared in (("inputs", spec["inputs"]), ("state", spec["state"])):
        given = body.get(key, [])
        if not isinstance(given, list) or len(given) != len(declared):
            return f"'{key}' harus daftar {len(declared)} nilai"
        for item, want in zip(given, declared, strict=True):
            # A pattern-matching input (its id a JSON object in the map) arrives as its match (MATCH) or a list of them (ALL).
            if _pattern(want["id"]):
                matches = item if isinstance(item, list) else [item]
                if not all(isinstance(i, dict) and i.get("property") == want["property"] and _matches(i.get("id"), want["id"]) for i in matches):
                    return f"'{key}' tidak sesuai dengan callback"
                if want["property"] == "id" and any(i.get("value") != i["id"] for i in matches):
                    return "'id' komponen pola harus id-nya sendiri"
                if any(_value_problem(want["property"], i.get("value")) for i in matches):
                    return f"nilai '{want['property']}' tidak sesuai dengan jenisnya"
                matched.setdefault(str(want["id"]), set()).add(len(matches))
                continue
            if not isinstance(item, dict) or item.get("id") != want["id"] or item.get("property") != want["property"]:
                return f"'{key}' tidak sesuai dengan callback"
            if _value_problem(want["property"], item.get("value")):
                return f"nilai '{want['property']}' tidak sesuai dengan jenisnya"
    if any(len(counts) > 1 for counts in matched.values()):
        return "komponen pola tidak sama banyaknya di 'inputs' dan 'state'"
    # The output key names the outputs: "..a.children...b.hidden.." for several, "a.children" for one.
    declared = output.removeprefix("..").removesuffix("..").split("...") if output.startswith("..") else [output]
    outputs = body.get("outputs")
    listed = outputs if output.startswith("..") else [outputs]
    if not isinstance(listed, list) or len(listed) != len(declared):
        return "'outputs' tidak sesuai dengan callback"
    for item, want in zip(listed, declared, strict=True):
        if not isinstance(item, dict) or not isinstance(item.get("property"), str):
            return "'outputs' tidak sesuai dengan callback"
        if isinstance(item.get("id"), str) and f"{item['id']}.{item['property']}" != want:
            return "'outputs' tidak sesuai dengan callback"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' harus daftar teks"
    return None
