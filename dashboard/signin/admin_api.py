"""Token-protected API for user administration and the audit trail: what `app.py user ...` and `app.py audit` ask
the running server (which holds the warehouse). An admin's session may use it too."""

from __future__ import annotations

import flask

from access import audit as trail_rows
from access.admin import administer, trail
from dashboard.api import json_body
from dashboard.signin import access, allowed, current_role, refusal, who

admin_api = flask.Blueprint("admin_api", __name__)


def _admin_or_token() -> bool:
    return bool(flask.g.get("pantau_token")) or allowed("admin")


def _actor(body: dict) -> str:
    # The CLI names its OS user ("cli:ops"); only a token request may speak for someone, never a session.
    by = body.get("by")
    return by if flask.g.get("pantau_token") and isinstance(by, str) and by.startswith("cli:") else who()


@admin_api.post("/api/v1/access/users")
def users() -> flask.Response:
    """{"op": add|passwd|role|disable|enable|unlock|list, "name", "role", "password"}. Token or admin."""
    found = access()
    if found is None:
        return flask.jsonify({"error": "akun tidak tersedia di server ini"}), 404
    if not _admin_or_token():
        return refusal()
    try:
        body = json_body("op", "name", "role", "password", "by")
        return flask.jsonify(administer(found.accounts, found.warehouse, body, _actor(body), current_role(), flask.request.remote_addr))
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400


@admin_api.post("/api/v1/audit")
def audit() -> flask.Response:
    """{"since": "YYYY-MM-DD"}: the trail's rows; {"verify": true}: the chain's check. Token or admin."""
    found = access()
    if found is None:
        return flask.jsonify({"error": "jejak audit tidak tersedia di server ini"}), 404
    if not _admin_or_token():
        return refusal()
    try:
        body = json_body("since", "verify", "by")
        if body.get("verify"):
            return flask.jsonify(trail_rows.verify_chain(found.warehouse).as_dict())
        return flask.jsonify(trail(found.warehouse, body.get("since")))
    except ValueError as exc:
        return flask.jsonify({"error": str(exc)}), 400
