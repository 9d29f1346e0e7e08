"""Alerts about sources' states, end to end: a Pantau loading a real REST source on 127.0.0.1, a real webhook
receiver (http.server) and a real SMTP server (aiosmtpd) on loopback, and the warehouse that remembers what was told.
"""

from __future__ import annotations

import datetime as dt
import email
import json
import logging
import ssl
import subprocess
import threading
import time
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from config.secrets import REDACTOR
from config.settings import AlertSettings
from metrics.recompute import utcnow
from runtime.alerts import AlertWatch
from runtime.configuration import load_checked
from runtime.context import Pantau
from tests.complaints_api import SOURCE, ComplaintsApi, page

pytestmark = pytest.mark.integration

SOURCE_PORT, WEBHOOK_PORT, SMTP_PORT, STARTTLS_PORT = 8240, 8241, 8242, 8243
HOOK_SECRET = "hook-secret-4242"
SMTP_PASSWORD = "smtp-secret-9876"
SOURCE_SECRET = "db-pass-Xq7w9"  # a secret the process knows (as it knows every configured variable's value)
ENV = {
    "PANTAU_TEST_ALERT_WEBHOOK": f"http://127.0.0.1:{WEBHOOK_PORT}/hook?token={HOOK_SECRET}",
    "PANTAU_TEST_SMTP_USER": "pantau",
    "PANTAU_TEST_SMTP_PASSWORD": SMTP_PASSWORD,
}
CONFIG = f"""
[alerts]
webhook_url_env = "PANTAU_TEST_ALERT_WEBHOOK"
smtp_host = "127.0.0.1"
smtp_port = {SMTP_PORT}
smtp_starttls = false
smtp_user_env = "PANTAU_TEST_SMTP_USER"
smtp_password_env = "PANTAU_TEST_SMTP_PASSWORD"
mail_from = "pantau@padangpariamankab.go.id"
mail_to = ["kominfo@padangpariamankab.go.id", "piket@padangpariamankab.go.id"]
min_interval = "5m"
check_every = "10m"
timeout = "5s"
server_name = "pantau-uji"
dashboard_url = "http://pantau.uji"

""" + SOURCE.format(port=SOURCE_PORT)


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


class Source:
    """The OPD's complaints API: answers one record, or (failing) refuses with a body that echoes secrets."""

    def __init__(self) -> None:
        self.failing = False
        self.api = ComplaintsApi(SOURCE_PORT, self.answer)

    def answer(self) -> tuple[int, dict]:
        if self.failing:
            return 400, {"error": f"login db gagal: password={SOURCE_SECRET} api_key=k3y-0f-0pd"}
        return page([{"id": "L-1", "opd_tujuan": "DISKOMINFO", "diperbarui_pada": "2026-11-27T08:00:00+07:00"}])

    def close(self) -> None:
        self.api.close()


class Receiver:
    """A webhook receiver that can be taken down (its port closed) and brought up again."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        self.paths: list[str] = []
        self.server: ThreadingHTTPServer | None = None

    def up(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.paths.append(self.path)
                receiver.bodies.append(body)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", WEBHOOK_PORT), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class Mailbox:
    """What the SMTP server received, and who signed in."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.logins: list[tuple[str, str]] = []
        self.over_tls: list[bool] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        self.over_tls.append(session.ssl is not None)
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)


class Clock:
    """The real UTC instant, moved on by the test: loads stamp real time, freshness is judged at this one."""

    def __init__(self) -> None:
        self.ahead = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return utcnow() + self.ahead


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    """The source, the webhook receiver and the SMTP server, shared by the module; the environment naming them."""
    REDACTOR.add(SOURCE_SECRET)
    source, receiver, mailbox = Source(), Receiver(), Mailbox()
    receiver.up()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=SMTP_PORT, auth_require_tls=False, authenticator=mailbox.authenticate)
    smtp.start()
    with pytest.MonkeyPatch.context() as mp:
        for name, value in ENV.items():
            mp.setenv(name, value)
        yield source, receiver, mailbox
    smtp.stop()
    receiver.down()
    source.close()


@pytest.fixture
def world(outside, tmp_path):
    """A fresh warehouse and its Pantau (made again by `restart`), with the outside emptied."""
    source, receiver, mailbox = outside
    source.failing = False
    receiver.bodies.clear()
    receiver.paths.clear()
    mailbox.messages.clear()
    mailbox.recipients.clear()
    mailbox.logins.clear()
    mailbox.over_tls.clear()
    if receiver.server is None:
        receiver.up()
    path = tmp_path / "pantau.toml"
    path.write_text(CONFIG, encoding="utf-8")
    env = {"PANTAU_WAREHOUSE__PATH": str(tmp_path / "pantau.duckdb")}
    clock = Clock()

    class World:
        def __init__(self) -> None:
            self.source, self.receiver, self.mailbox, self.clock = source, receiver, mailbox, clock
            self.pantau = Pantau(load_checked(path, env=env), clock=clock)

        def load(self, failing: bool) -> None:
            source.failing = failing
            result = self.pantau.load("aduan")
            assert result.status == ("failed" if failing else "ok"), result.error

        def restart(self) -> None:
            self.pantau.close()
            self.pantau = Pantau(load_checked(path, env=env), clock=clock)

    made = World()
    yield made
    made.pantau.close()


def sent(deliveries) -> list[tuple[str, str | None, str]]:
    return sorted((d.channel, d.change.old_state, d.change.new_state) for d in deliveries)


def test_failing_then_recovered_is_told_once_each_on_both_channels_and_not_again_after_a_restart(world):
    world.load(failing=False)
    assert world.pantau.alerts.check() == []  # the first sight of a fresh source tells nothing
    world.load(failing=True)
    assert sent(world.pantau.alerts.check()) == [("email", "fresh", "failing"), ("webhook", "fresh", "failing")]

    [hook] = world.receiver.bodies
    assert world.receiver.paths == [f"/hook?token={HOOK_SECRET}"]
    assert {k: hook[k] for k in ("source", "system", "opd", "old_state", "new_state", "change")} == {
        "source": "aduan", "system": "Aduan warga", "opd": "DISKOMINFO", "old_state": "fresh", "new_state": "failing", "change": "failing"}
    assert hook["opd_name"] != "DISKOMINFO" and hook["server"] == {"name": "pantau-uji", "url": "http://pantau.uji"}
    success_utc = dt.datetime.fromisoformat(hook["last_success_at_utc"])
    assert success_utc.utcoffset() == dt.timedelta() and abs(utcnow().replace(tzinfo=dt.UTC) - success_utc) < dt.timedelta(minutes=5)
    assert dt.datetime.fromisoformat(hook["last_success_at_wib"]) == success_utc
    assert dt.datetime.fromisoformat(hook["last_success_at_wib"]).utcoffset() == dt.timedelta(hours=7)
    assert "HTTP 400" in hook["last_error"] and "***" in hook["last_error"]
    assert hook["text"].startswith("Pantau: sumber aduan (") and hook["text"].endswith("gagal dimuat")

    [mail] = world.mailbox.messages
    assert world.mailbox.recipients == [["kominfo@padangpariamankab.go.id", "piket@padangpariamankab.go.id"]]
    assert world.mailbox.logins == [("pantau", SMTP_PASSWORD)]
    assert mail["Subject"] == hook["text"] and mail["From"] == "pantau@padangpariamankab.go.id"
    assert mail["Message-ID"].endswith("@padangpariamankab.go.id>") and abs(mail["Date"].datetime - utcnow().replace(tzinfo=dt.UTC)) < dt.timedelta(minutes=5)
    text = mail.get_content()
    wib = dt.datetime.fromisoformat(hook["last_success_at_wib"]).strftime("%Y-%m-%d %H:%M WIB")
    assert "Keadaan: terkini -> gagal" in text and f"Pemuatan berhasil terakhir: {wib}" in text
    assert text.index("-- English --") > text.index("Galat terakhir") and "current -> failing" in text
    for message in (json.dumps(hook), mail.as_string()):
        assert SOURCE_SECRET not in message and "k3y-0f-0pd" not in message and HOOK_SECRET not in json.dumps(hook)

    world.load(failing=True)  # still failing: nothing more to tell, at the next check or after a restart
    assert world.pantau.alerts.check() == []
    world.restart()
    assert world.pantau.alerts.check() == []

    world.load(failing=False)
    assert world.pantau.alerts.check() == []  # recovered within min_interval of the last message: it waits
    world.clock.ahead = dt.timedelta(minutes=6)
    assert sent(world.pantau.alerts.check()) == [("email", "failing", "fresh"), ("webhook", "failing", "fresh")]
    assert world.receiver.bodies[-1]["change"] == "recovered" and "pulih" in world.mailbox.messages[-1]["Subject"]
    assert world.pantau.alerts.check() == []
    assert (len(world.receiver.bodies), len(world.mailbox.messages)) == (2, 2)


def test_a_flap_within_the_minimum_interval_sends_nothing_more(world):
    world.load(failing=False)
    world.pantau.alerts.check()
    world.load(failing=True)
    assert len(world.pantau.alerts.check()) == 2
    world.load(failing=False)
    world.pantau.alerts.check()
    world.load(failing=True)  # back where the last message left it before the interval was over
    world.clock.ahead = dt.timedelta(minutes=6)
    assert world.pantau.alerts.check() == []
    assert (len(world.receiver.bodies), len(world.mailbox.messages)) == (1, 1)


def test_a_source_with_no_load_for_too_long_is_told_stale_once(world):
    world.load(failing=False)
    world.pantau.alerts.check()
    world.clock.ahead = dt.timedelta(hours=2, minutes=1)  # the built-in stale_after is 2 h
    assert sent(world.pantau.alerts.check()) == [("email", "fresh", "stale"), ("webhook", "fresh", "stale")]
    [hook] = world.receiver.bodies
    assert hook["change"] == "stale" and hook["last_error"] is None and "basi" in hook["text"]
    assert world.pantau.alerts.check() == []
    world.restart()
    assert world.pantau.alerts.check() == []


def test_a_receiver_that_was_down_gets_the_message_once_it_is_up_and_the_log_keeps_the_url_secret(world, caplog):
    world.load(failing=False)
    world.pantau.alerts.check()
    world.receiver.down()
    world.load(failing=True)
    with caplog.at_level(logging.WARNING, logger="runtime.alerts"):
        assert sent(world.pantau.alerts.check()) == [("email", "fresh", "failing")]
    [warning] = [r.getMessage() for r in caplog.records if r.name == "runtime.alerts"]
    assert "attempt 1 of 10" in warning and HOOK_SECRET not in warning
    stored = world.pantau.warehouse.cursor().execute("SELECT last_error FROM alert_state WHERE channel = 'webhook'").fetchone()[0]
    assert stored and HOOK_SECRET not in stored

    world.receiver.up()
    assert world.pantau.alerts.check() == []  # it waits 30 s after a failure before trying again
    world.clock.ahead = dt.timedelta(seconds=31)
    assert sent(world.pantau.alerts.check()) == [("webhook", "fresh", "failing")]
    assert world.receiver.bodies[0]["new_state"] == "failing" and len(world.mailbox.messages) == 1
    assert world.pantau.alerts.check() == []


def test_a_load_is_told_by_the_alerts_thread_without_waiting_for_the_next_check(world):
    world.load(failing=False)
    world.pantau.alerts.start()  # its first check takes the fresh source as the starting point
    told = "SELECT count(*) FROM alert_state WHERE state = 'fresh'"
    wait_for(lambda: world.pantau.warehouse.cursor().execute(told).fetchone()[0] == 2)
    world.load(failing=True)
    loaded = time.monotonic()
    wait_for(lambda: world.receiver.bodies and world.mailbox.messages)  # check_every is 10 min: only the load's poke can do it
    delay_s = time.monotonic() - loaded
    assert world.receiver.bodies[0]["new_state"] == "failing"
    print(f"alert delay after the failed load: {delay_s:.3f} s")


def test_no_channel_configured_sends_nothing_and_logs_no_error(world, caplog):
    settings = AlertSettings(webhook_url_env="PANTAU_TEST_UNSET_WEBHOOK")  # named but unset: no webhook
    watch = AlertWatch(settings, world.pantau.warehouse, world.pantau.sources, world.pantau.metrics.freshness, world.clock, env={})
    world.load(failing=True)
    with caplog.at_level(logging.DEBUG, logger="runtime.alerts"):
        watch.start()
        assert watch.check() == []
        watch.stop()
    assert [r for r in caplog.records if r.name == "runtime.alerts"] == [] and watch.channels == []
    assert world.pantau.warehouse.cursor().execute("SELECT count(*) FROM alert_state").fetchone()[0] == 0


def test_mail_goes_over_starttls_to_a_server_whose_certificate_the_system_trusts(world, tmp_path, monkeypatch):
    cert, key = tmp_path / "smtp.crt", tmp_path / "smtp.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the one CA the client trusts: the check is real
    smtp = Controller(world.mailbox, hostname="127.0.0.1", port=STARTTLS_PORT, tls_context=tls, require_starttls=True)
    smtp.start()
    try:
        settings = AlertSettings(smtp_host="127.0.0.1", smtp_port=STARTTLS_PORT, mail_to=["kominfo@padangpariamankab.go.id"])
        watch = AlertWatch(settings, world.pantau.warehouse, world.pantau.sources, world.pantau.metrics.freshness, world.clock, env={})
        world.load(failing=True)
        assert sent(watch.check()) == [("email", None, "failing")]  # a fresh warehouse's first sight of a failing source
        assert world.mailbox.over_tls == [True] and "gagal dimuat" in world.mailbox.messages[0]["Subject"]
    finally:
        smtp.stop()


def test_a_check_that_keeps_failing_is_logged_once_and_never_stops_the_thread(world, caplog):
    asked = []

    def broken():
        asked.append(1)
        raise RuntimeError("gudang data hilang")

    settings = AlertSettings(webhook_url_env="PANTAU_TEST_ALERT_WEBHOOK")
    watch = AlertWatch(settings, world.pantau.warehouse, world.pantau.sources, broken, world.clock)
    with caplog.at_level(logging.ERROR, logger="runtime.alerts"):
        watch.start()
        try:
            for n in range(2, 5):
                wait_for(lambda n=n: len(asked) >= n - 1)  # that check has begun: the poke cannot be cleared unseen
                watch.poke()
                wait_for(lambda n=n: len(asked) >= n)
        finally:
            watch.stop()
    assert len([r for r in caplog.records if r.name == "runtime.alerts"]) == 1 and not watch._thread.is_alive()
