"""Accounts, sessions, CSRF, lockout, throttling and the audit chain, on a real warehouse file and a Flask app."""

from __future__ import annotations

import datetime as dt
import re

import flask
import pytest

from access import audit, passwords
from access.accounts import AccountError, Refusal, User
from access.roles import at_least
from access.service import Access
from config.settings import AccessSettings
from dashboard.services import DashboardServices
from dashboard.signin import COOKIE, current_user, guard, require, require_records
from dashboard.signin.admin_api import admin_api
from dashboard.signin.pages import safe_next, signin_pages
from warehouse import Warehouse

PASSWORD = "rahasia-sekali"
TOKEN = "operator-token-123"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 1, 8, 0)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    wh = Warehouse(tmp_path_factory.mktemp("access") / "pantau.duckdb")
    yield wh
    wh.close()


@pytest.fixture(scope="module")
def clock():
    return Clock()


@pytest.fixture(scope="module")
def access(warehouse, clock):
    found = Access(warehouse, AccessSettings(lockout_attempts=3, address_attempts=6), b"k" * 32, clock)
    found.accounts.add("analis", "analyst", PASSWORD)
    found.accounts.add("pemirsa", "viewer", PASSWORD)
    return found


@pytest.fixture(scope="module")
def app(access):
    app = flask.Flask(__name__)
    app.config["PANTAU"] = DashboardServices(None, None, TOKEN, "Kab", access=access)
    app.register_blueprint(guard)
    app.register_blueprint(signin_pages)
    app.register_blueprint(admin_api)

    @app.get("/rekaman")
    @require_records
    def records():
        return f"rekaman untuk {current_user().name if current_user() else 'token'}"

    @app.get("/api/v1/operator")
    @require("operator")
    def operator():
        return flask.jsonify({"ok": True})

    @app.post("/ubah")
    @require("viewer")
    def change():
        return "diubah"

    return app


def sign_in(app, name="analis", password=PASSWORD, address="10.0.0.1"):
    client = app.test_client()
    response = client.post("/masuk", data={"nama": name, "sandi": password, "lanjut": "/rekaman?x=1"}, environ_base={"REMOTE_ADDR": address})
    return client, response


def test_roles_are_ordered():
    assert at_least("admin", "analyst") and at_least("analyst", "analyst") and not at_least("viewer", "analyst") and not at_least(None, "viewer")


def test_password_rules_and_rehash():
    with pytest.raises(passwords.WeakPassword, match="paling sedikit 10"):
        passwords.hashed("pendek")
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1).hash(PASSWORD)
    assert passwords.matches(old, PASSWORD) and not passwords.matches(old, "salah-salah-salah")
    assert passwords.needs_rehash(old) and not passwords.needs_rehash(passwords.hashed(PASSWORD))


def test_sign_in_sets_a_flagged_cookie_and_goes_on(app, access):
    client, response = sign_in(app)
    assert response.status_code == 303 and response.headers["Location"] == "/rekaman?x=1"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert f"Max-Age={12 * 3600}" in cookie and "Secure" not in cookie
    assert client.get("/rekaman").get_data(as_text=True) == "rekaman untuk analis"
    assert audit.entries(access.warehouse, action="masuk")[-1].who == "analis"
    _, https = app.test_client(), None
    https = app.test_client().post("/masuk", data={"nama": "analis", "sandi": PASSWORD}, base_url="https://localhost")
    assert "Secure" in https.headers["Set-Cookie"] and https.headers["Location"] == "/status"


def test_anonymous_and_low_roles_are_refused(app):
    anonymous = app.test_client()
    page = anonymous.get("/rekaman?indikator=a&b=c")
    assert page.status_code == 303 and page.headers["Location"] == "/masuk?lanjut=/rekaman%3Findikator%3Da%26b%3Dc"
    assert anonymous.get("/api/v1/operator").status_code == 401
    viewer, _ = sign_in(app, "pemirsa")
    assert viewer.get("/rekaman").status_code == 303
    assert viewer.get("/api/v1/operator").status_code == 403
    token = app.test_client().get("/api/v1/operator", headers={"Authorization": f"Bearer {TOKEN}"})
    assert token.status_code == 200
    assert app.test_client().get("/rekaman", headers={"Authorization": "Bearer wrong"}).status_code == 303


def test_no_open_redirect():
    for bad in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "", None, "/a\nb"):
        assert safe_next(bad) == "/status"
    assert safe_next("/analisis?indikator=x") == "/analisis?indikator=x"


def test_csrf_is_required_for_cookie_changes(app, access):
    client, _ = sign_in(app)
    assert client.post("/ubah").status_code == 403
    assert client.post("/ubah", data={"csrf": "salah"}).status_code == 403
    page = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    assert client.post("/ubah", data={"csrf": token}).get_data(as_text=True) == "diubah"
    assert client.post("/ubah", headers={"X-CSRF-Token": token}).status_code == 200
    # Sign-out is a change too, and it ends the session.
    assert client.post("/keluar").status_code == 403
    assert client.post("/keluar", data={"csrf": token}).status_code == 303
    assert client.get("/rekaman").status_code == 303
    assert audit.entries(access.warehouse, action="keluar")[-1].who == "analis"


def test_one_message_for_wrong_unknown_and_locked(app, access):
    access.accounts.add("dikunci", "analyst", PASSWORD)
    texts = set()
    for name, password in (("dikunci", "salah-salah-1"), ("tidak-ada", PASSWORD), ("dikunci", "salah-salah-2"), ("dikunci", "salah-salah-3"),
                           ("dikunci", PASSWORD)):
        _, response = sign_in(app, name, password, address="10.0.0.2")
        assert response.status_code == 401
        texts.add(re.search(r'role="alert">([^<]*)<', response.get_data(as_text=True)).group(1))
    assert texts == {"Nama akun atau kata sandi salah."}
    assert access.accounts.verify("dikunci", PASSWORD) is Refusal.LOCKED
    reasons = [e.detail for e in audit.entries(access.warehouse, action="masuk_gagal") if e.target in ("dikunci", "tidak-ada")]
    assert reasons[-1] == '{"alasan": "locked"}' and '{"alasan": "unknown"}' in reasons
    access.accounts.unlock("dikunci")
    assert access.accounts.verify("dikunci", PASSWORD) == User("dikunci", "analyst")


def test_lock_ends_by_itself(access, clock):
    access.accounts.add("sabar", "viewer", PASSWORD)
    for _ in range(3):
        assert access.accounts.verify("sabar", "salah-salah-x") in (Refusal.WRONG, Refusal.LOCKED)
    assert access.accounts.verify("sabar", PASSWORD) is Refusal.LOCKED
    clock.now += dt.timedelta(minutes=16)
    assert access.accounts.verify("sabar", PASSWORD) == User("sabar", "viewer")


def test_one_address_is_throttled_whatever_names_it_tries(app):
    for n in range(6):
        _, response = sign_in(app, f"nama{n}", "salah-salah-x", address="10.0.0.3")
        assert response.status_code == 401
    _, response = sign_in(app, "analis", PASSWORD, address="10.0.0.3")
    assert response.status_code == 429 and "coba lagi dalam 15 menit" in response.get_data(as_text=True)
    assert sign_in(app, "analis", PASSWORD, address="10.0.0.4")[1].status_code == 303


def test_sessions_end_absolute_idle_and_on_revocation(app, access, clock):
    client, _ = sign_in(app, address="10.0.0.5")
    clock.now += dt.timedelta(minutes=59)
    assert client.get("/rekaman").status_code == 200
    clock.now += dt.timedelta(minutes=61)
    assert client.get("/rekaman").status_code == 303  # idle
    client, _ = sign_in(app, address="10.0.0.5")
    for _ in range(12):
        clock.now += dt.timedelta(minutes=59)
        assert client.get("/rekaman").status_code == 200
    clock.now += dt.timedelta(minutes=13)
    assert client.get("/rekaman").status_code == 303  # past 12 h, though never idle
    client, _ = sign_in(app, address="10.0.0.5")
    access.accounts.set_password("analis", PASSWORD + "-baru")
    assert client.get("/rekaman").status_code == 303
    access.accounts.set_password("analis", PASSWORD)
    client, _ = sign_in(app, address="10.0.0.5")
    access.accounts.disable("analis")
    assert client.get("/rekaman").status_code == 303
    assert sign_in(app, address="10.0.0.6")[1].status_code == 401
    access.accounts.enable("analis")
    assert sign_in(app, address="10.0.0.6")[1].status_code == 303


def test_account_rules(access):
    with pytest.raises(AccountError, match="sudah ada"):
        access.accounts.add("analis", "viewer", PASSWORD)
    with pytest.raises(AccountError, match="tidak sah"):
        access.accounts.add("Bad Name", "viewer", PASSWORD)
    with pytest.raises(ValueError, match="tidak dikenal"):
        access.accounts.set_role("analis", "raja")
    assert "password_hash" not in access.accounts.listing()[0].as_dict()


def test_sign_in_page_is_not_stored_and_speaks_english(app):
    page = app.test_client().get("/masuk?lang=en")
    text = page.get_data(as_text=True)
    assert 'lang="en"' in text and "Account name" in text and '<label for="sandi">' in text and "<script" not in text


def test_chain_detects_an_edited_row(warehouse, access):
    access.record("cli:ops", "user_tambah", target="x", detail={"role": "viewer"})
    report = audit.verify_chain(warehouse)
    assert report.intact and report.checked >= 2
    victim = audit.entries(warehouse)[1]
    cur = warehouse.cursor()
    cur.execute("UPDATE audit_log SET who = 'orang-lain' WHERE id = ?", [victim.id])
    try:
        broken = audit.verify_chain(warehouse)
        assert broken.broken_at == victim.id and "diubah" in broken.problem
    finally:
        cur.execute("UPDATE audit_log SET who = ? WHERE id = ?", [victim.who, victim.id])
    assert audit.verify_chain(warehouse).intact


def test_user_administration_through_the_api_is_audited(app, access):
    token = {"Authorization": f"Bearer {TOKEN}"}
    made = app.test_client().post("/api/v1/access/users", json={"op": "add", "name": "baru", "role": "operator", "password": PASSWORD, "by": "cli:ops"},
                                  headers=token)
    assert made.status_code == 200 and access.accounts.user("baru") == User("baru", "operator")
    row = audit.entries(access.warehouse, action="user_add")[-1]
    assert (row.who, row.role, row.target, row.detail) == ("cli:ops", "operator", "baru", '{"role": "operator"}')
    assert app.test_client().post("/api/v1/access/users", json={"op": "list"}).status_code == 401
    viewer, _ = sign_in(app, "pemirsa", address="10.0.0.7")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', viewer.get("/masuk").get_data(as_text=True)).group(1)
    refused = viewer.post("/api/v1/access/users", json={"op": "list"}, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403 and "peran" in refused.json["error"]
    bad = app.test_client().post("/api/v1/access/users", json={"op": "add", "name": "b2", "role": "viewer", "password": "pendek"}, headers=token)
    assert bad.status_code == 400 and "paling sedikit 10" in bad.json["error"]
    checked = app.test_client().post("/api/v1/audit", json={"verify": True}, headers=token).json
    assert checked["intact"] and checked["checked"] == len(audit.entries(access.warehouse))
