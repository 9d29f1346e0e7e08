"""Who is serving: the proof a local command checks before it sends the operator token (see runtime.server_info)."""

from __future__ import annotations

import re

import flask

from dashboard.services import services

identity = flask.Blueprint("identity", __name__)
# A random challenge from the command; bounded, so the route signs nothing but short nonces.
_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


@identity.get("/api/v1/server/identity")
def server_identity() -> flask.Response:
    """?challenge=<16-128 URL-safe characters>: the PID and HMAC-SHA256(token, challenge, PID, URL, warehouse)."""
    challenge = flask.request.args.get("challenge", "")
    if not _CHALLENGE.match(challenge):
        return flask.jsonify({"error": "challenge harus 16-128 karakter A-Z, a-z, 0-9, _ atau -"}), 400
    answer = services().identity
    if answer is None:
        return flask.jsonify({"error": "proses ini tidak melayani sebagai server Pantau"}), 404
    return flask.jsonify(answer(challenge))
