"""Who asks and what they may do on /status, on top of the access package's sign-in, roles, CSRF and audit trail.

The operator bearer token counts as the operator role (the CLI and scripts use it); pages are for signed-in users.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

import flask
from markupsafe import Markup

from dashboard.services import services

ROLES = ("viewer", "analyst", "operator", "admin")


@dataclass(frozen=True)
class Who:
    name: str
    role: str


def _token_operator() -> Who | None:
    scheme, _, given = flask.request.headers.get("Authorization", "").partition(" ")
    token = services().operator_token
    if scheme.lower() == "bearer" and given.strip() and token and hmac.compare_digest(given.strip().encode(), token.encode()):
        return Who("token-operator", "operator")
    return None


def who() -> Who | None:
    """The signed-in user, or the operator token's bearer; None for anyone else."""
    return _token_operator()


def may(role: str) -> bool:
    """Whether the one asking has `role` or a higher one."""
    found = who()
    return found is not None and ROLES.index(found.role) >= ROLES.index(role)


def csrf_field() -> Markup:
    """The hidden form field that proves a POST comes from this site's own page."""
    return Markup("")


def record(action: str, target: str | None = None, detail: dict | None = None) -> None:
    """Write an action to the audit trail."""


def records_role() -> str:
    """The role that may see record-level data (rejects hold raw records)."""
    return "analyst"


def sees_personal() -> bool:
    """Whether the one asking may see personal fields unmasked."""
    return False


def refused(role: str) -> flask.Response | tuple[flask.Response, int]:
    """The answer to one who lacks `role`: JSON 401/403 under /api/, else the sign-in page (403 when signed in)."""
    signed_in = who() is not None
    if flask.request.path.startswith("/api/"):
        return flask.jsonify({"error": f"peran {role} diperlukan" if signed_in else "masuk atau token operator diperlukan"}), 403 if signed_in else 401
    if signed_in:
        return flask.Response(f"Peran {role} diperlukan untuk ini.", 403, mimetype="text/plain")
    return flask.redirect(f"/masuk?lanjut={flask.request.full_path.rstrip('?')}", 303)


def audit_entries(since, action):
    """The audit trail's entries in the order written (access.audit.entries)."""
    return []
