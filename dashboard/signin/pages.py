"""The sign-in page /masuk and sign-out /keluar: server-rendered HTML, no script, Bahasa Indonesia first."""

from __future__ import annotations

import math

import flask

from dashboard.http_policy import palette_style
from dashboard.i18n import language, paired
from dashboard.signin import COOKIE, access, csrf_field, current_user, signer

signin_pages = flask.Blueprint("signin_pages", __name__, template_folder="templates")

t = paired({
    "title": ("Masuk ke Pantau", "Sign in to Pantau"),
    "name": ("Nama akun", "Account name"),
    "password": ("Kata sandi", "Password"),
    "submit": ("Masuk", "Sign in"),
    "wrong": ("Nama akun atau kata sandi salah.", "Wrong account name or password."),
    "wait": ("Terlalu banyak percobaan dari alamat ini; coba lagi dalam {n} menit.", "Too many attempts from this address; try again in {n} minutes."),
    "none": ("Masuk tidak tersedia di server ini.", "Signing in is not available on this server."),
    "signed_in": ("Anda masuk sebagai {name} ({role}).", "You are signed in as {name} ({role})."),
    "sign_out": ("Keluar", "Sign out"),
    "intro": ("Data per rekaman dan data pribadi hanya untuk peran yang memerlukannya (UU 27/2022).",
              "Record-level and personal data are for the roles that need them (UU 27/2022)."),
})


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (no scheme, no host, no //, no backslash)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target or any(ord(c) < 32 for c in target):
        return "/status"
    return target


def _page(lang: str, error: str | None = None, status: int = 200, name: str = "") -> flask.Response:
    user = current_user()
    html = flask.render_template(
        "masuk.html", t=lambda key, **v: t(key, lang, **v), lang=lang, palette=palette_style(), error=error, name=name,
        user=user, available=access() is not None, lanjut=safe_next(flask.request.values.get("lanjut")), csrf_field=csrf_field,
    )
    return flask.Response(html, status, mimetype="text/html")


@signin_pages.get("/masuk")
def sign_in_form() -> flask.Response:
    return _page(language(flask.request.args.get("lang")))


@signin_pages.post("/masuk")
def sign_in() -> flask.Response:
    lang = language(flask.request.values.get("lang"))
    found = access()
    if found is None:
        return _page(lang, t("none", lang), 404)
    name = flask.request.form.get("nama", "").strip()[:80]
    outcome = found.sign_in(name, flask.request.form.get("sandi", "")[:1024], flask.request.remote_addr or "-",
                            flask.request.headers.get("User-Agent"))
    if outcome.session is None:
        if outcome.wait is not None:
            return _page(lang, t("wait", lang, n=max(1, math.ceil(outcome.wait.total_seconds() / 60))), 429, name)
        return _page(lang, t("wrong", lang), 401, name)
    response = flask.redirect(safe_next(flask.request.form.get("lanjut")), 303)
    response.set_cookie(
        COOKIE, signer(found.secret).sign(outcome.session.id.encode()).decode(), max_age=int(found.settings.session_hours * 3600),
        path="/", httponly=True, secure=flask.request.is_secure,
        # Lax, not Strict: a link from the wall or a mail to a gated page must arrive signed in; Lax still keeps the
        # cookie off cross-site POSTs, which is what a forged form would need.
        samesite="Lax",
    )
    return response


@signin_pages.post("/keluar")
def sign_out() -> flask.Response:
    found, session, user = access(), flask.g.get("pantau_session"), current_user()
    if found is not None and session is not None and user is not None:
        found.sign_out(session, user, flask.request.remote_addr, flask.request.headers.get("User-Agent"))
    response = flask.redirect(f"/masuk?lang={language(flask.request.values.get('lang'))}", 303)
    response.delete_cookie(COOKIE, path="/")
    return response
