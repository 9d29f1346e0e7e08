"""Who the current request is and what it may do: the session cookie or the operator token, roles, CSRF.

Views use `require(role)`, or `allowed(role)` where a page shows less rather than refusing; forms carry
`csrf_field()`. The sign-in pages themselves are in dashboard.signin.pages.
"""

from __future__ import annotations

import functools
import hmac
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote

import flask
from itsdangerous import BadSignature, Signer
from markupsafe import Markup

from access.accounts import User
from access.roles import ROLES, at_least
from dashboard.services import services

if TYPE_CHECKING:
    from access.service import Access

COOKIE = "pantau_sesi"
TOKEN_ROLE = "operator"  # what the operator token (Authorization: Bearer) may do
CHANGING = ("POST", "PUT", "PATCH", "DELETE")
# Dash's callbacks POST JSON with fetch: a cross-site form cannot send application/json, and a cross-site fetch
# carries no cookie (SameSite=Lax). So they need no CSRF token; the callbacks that return records check the role.
CSRF_EXEMPT = ("/_dash-update-component",)

guard = flask.Blueprint("guard", __name__)

log = logging.getLogger(__name__)


def access() -> Access | None:
    """The process's accounts and sessions; None where the app serves without them (tests of other parts)."""
    return services().access


def signer(secret: bytes) -> Signer:
    return Signer(secret, salt=COOKIE)


def _bearer_ok() -> bool:
    scheme, _, given = flask.request.headers.get("Authorization", "").partition(" ")
    token = services().operator_token
    # Bytes: compare_digest refuses non-ASCII text, and a header may carry anything.
    return scheme.lower() == "bearer" and bool(given.strip()) and bool(token) and hmac.compare_digest(given.strip().encode(), token.encode())


@guard.before_app_request
def identify() -> tuple[flask.Response, int] | None:
    """Note who the request is; refuse a change made with the session cookie but without its CSRF token."""
    g = flask.g
    g.pantau_user, g.pantau_session = None, None
    g.pantau_token = _bearer_ok()
    found = access()
    cookie = flask.request.cookies.get(COOKIE)
    if found is not None and cookie and not g.pantau_token:
        try:
            session_id = signer(found.secret).unsign(cookie).decode()
        except (BadSignature, UnicodeDecodeError):
            session_id = None
        signed_in = found.signed_in(session_id) if session_id else None
        if signed_in:
            g.pantau_session, g.pantau_user = signed_in
    if flask.request.method in CHANGING and g.pantau_session is not None and flask.request.path not in CSRF_EXEMPT:
        given = flask.request.form.get("csrf") or flask.request.headers.get("X-CSRF-Token") or ""
        if not hmac.compare_digest(given.encode(), csrf_token().encode()):
            message = "token CSRF tidak ada atau salah; muat ulang halaman lalu coba lagi"
            if flask.request.path.startswith("/api/"):
                return flask.jsonify({"error": message}), 403
            return flask.Response(message, 403, mimetype="text/plain"), 403
    return None


def current_user() -> User | None:
    """The user signed in with the request's session cookie, or None."""
    return flask.g.get("pantau_user")


def current_role() -> str | None:
    """The request's role: the operator token counts as operator; else the signed-in user's; None for nobody."""
    if flask.g.get("pantau_token"):
        user = current_user()
        return user.role if user and at_least(user.role, TOKEN_ROLE) else TOKEN_ROLE
    user = current_user()
    return user.role if user else None


def allowed(needed: str) -> bool:
    """Whether the current request may do what `needed` (one of access.roles.ROLES) may."""
    return at_least(current_role(), needed)


def who() -> str:
    """The request's name in the audit trail: the user's, "token", or "-"."""
    user = current_user()
    return user.name if user else ("token" if flask.g.get("pantau_token") else "-")


def audit(action: str, target: str | None = None, detail: dict | None = None) -> bool:
    """Note the current request's action in the audit trail (nothing where the app serves without accounts).

    Returns False when the row could not be written (a full disk, a lost warehouse: health says so): the error is
    logged, and a caller about to show records refuses rather than show them unlogged.
    """
    found = access()
    if found is None:
        return True
    try:
        found.record(who(), action, role=current_role(), target=target, detail=detail, address=flask.request.remote_addr,
                     agent=flask.request.headers.get("User-Agent"))
    except Exception as exc:  # duckdb.Error, OSError: the warehouse cannot take the row
        log.error("audit trail: %s %s by %s not written: %s", action, target or "", who(), exc)
        return False
    return True


def sees_records() -> bool:
    """Whether the request may see record-level data (access.records_role, or the operator token)."""
    found = access()
    return allowed(found.settings.records_role if found else "analyst")


def sees_personal() -> bool:
    """Whether the request may see personal identifiers unmasked (a role in access.personal_roles)."""
    found = access()
    return found is not None and found.sees_personal(current_user().role if current_user() else None)


def csrf_token() -> str:
    """The CSRF token of the current session ("" without one)."""
    session = flask.g.get("pantau_session")
    found = access()
    return found.csrf(session.id) if session is not None and found is not None else ""


def csrf_field() -> Markup:
    """The hidden form input that carries the CSRF token."""
    return Markup('<input type="hidden" name="csrf" value="{}">').format(csrf_token())


def sign_in_url(next_path: str | None = None) -> str:
    """/masuk, with where to go after it (the current page by default)."""
    if next_path is None:
        next_path = flask.request.full_path.rstrip("?") if flask.has_request_context() else "/status"
    return f"/masuk?lanjut={quote(next_path, safe='/')}"


def refusal() -> flask.Response | tuple[flask.Response, int]:
    """What a request that lacks the role gets: JSON 401/403 under /api/, else a 303 to the sign-in page."""
    if flask.request.path.startswith("/api/"):
        if current_role() is None:
            return flask.jsonify({"error": "perlu masuk (sesi) atau token operator (Authorization: Bearer ...)"}), 401
        return flask.jsonify({"error": "peran Anda tidak cukup untuk ini"}), 403
    return flask.redirect(sign_in_url(), 303)


def require(needed: str) -> Callable:
    """A Flask view decorator: the view runs only for a request that has `needed` or above."""
    if needed not in ROLES:
        raise ValueError(f"unknown role {needed!r}")

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if not allowed(needed):
                return refusal()
            return view(*args, **kwargs)

        return guarded

    return decorate


def require_records(view: Callable) -> Callable:
    """Like `require`, with the role access.records_role names (read at each request)."""

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if not sees_records():
            return refusal()
        return view(*args, **kwargs)

    return guarded
