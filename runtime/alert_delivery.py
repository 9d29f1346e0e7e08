"""What an alert says and how it leaves the process: a JSON POST to a webhook, an e-mail over SMTP.

Every text that leaves passes through the redactor; a channel's own secrets (the webhook URL, the SMTP password)
are masked in its errors too, since a failing request names where it went.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Protocol

import httpx

from config.secrets import redact
from config.settings import AlertSettings
from region.timezone import WIB

ALERTING = ("stale", "failing")  # the states worth a message; leaving them is a recovery
STATE_WORDS = {
    "fresh": ("terkini", "current"),
    "late": ("terlambat", "late"),
    "stale": ("basi", "stale"),
    "failing": ("gagal", "failing"),
    "never": ("belum termuat", "not loaded yet"),
    None: ("belum diketahui", "unknown"),
}


def kind_of(state: str | None) -> str:
    """What a state tells: stale or failing, or ok (every other state, and none known)."""
    return state if state in ALERTING else "ok"


def _utc(t: dt.datetime | None) -> dt.datetime | None:
    return t.replace(tzinfo=dt.UTC) if t is not None and t.tzinfo is None else t


def _shown(t: dt.datetime | None, zone: dt.tzinfo, name: str) -> str:
    return _utc(t).astimezone(zone).strftime(f"%Y-%m-%d %H:%M {name}") if t else "-"


@dataclass(frozen=True)
class Change:
    """A source's state changed in a way worth telling (instants in UTC, naive)."""

    source: str
    system: str
    opd: str
    opd_name: str
    old_state: str | None
    new_state: str
    last_error: str | None
    last_success_at: dt.datetime | None
    observed_at: dt.datetime
    server_name: str
    server_url: str | None

    @property
    def change(self) -> str:
        """stale, failing, or recovered."""
        return "recovered" if kind_of(self.new_state) == "ok" else self.new_state

    @property
    def error(self) -> str | None:
        return redact(self.last_error)

    def subject(self) -> str:
        """One line in Bahasa Indonesia (mail subject, chat text)."""
        who = f"sumber {self.source} ({self.opd_name})"
        if self.change == "failing":
            return f"Pantau: {who} gagal dimuat"
        if self.change == "stale":
            return f"Pantau: {who} basi, tidak ada pemuatan berhasil sejak {_shown(self.last_success_at, WIB, 'WIB')}"
        return f"Pantau: {who} pulih ({STATE_WORDS[self.new_state][0]})"

    def payload(self) -> dict:
        """The webhook's JSON body."""
        success = _utc(self.last_success_at)
        return {
            "source": self.source,
            "system": self.system,
            "opd": self.opd,
            "opd_name": self.opd_name,
            "old_state": self.old_state,
            "new_state": self.new_state,
            "change": self.change,
            "last_error": self.error,
            "last_success_at_utc": success.isoformat() if success else None,
            "last_success_at_wib": success.astimezone(WIB).isoformat() if success else None,
            "observed_at_utc": _utc(self.observed_at).isoformat(),
            "server": {"name": self.server_name, "url": self.server_url},
            "text": self.subject(),
        }

    def body(self) -> str:
        """The mail's text: Bahasa Indonesia, then English."""
        old_id, old_en = STATE_WORDS.get(self.old_state, (self.old_state, self.old_state))
        new_id, new_en = STATE_WORDS.get(self.new_state, (self.new_state, self.new_state))
        success = f"{_shown(self.last_success_at, WIB, 'WIB')} ({_shown(self.last_success_at, dt.UTC, 'UTC')})"
        server = f"{self.server_name} {self.server_url or ''}".strip()
        error = self.error or "-"
        return (
            f"{self.subject()}.\n\n"
            f"Sumber: {self.source} ({self.system or '-'})\nOPD: {self.opd_name} ({self.opd})\n"
            f"Keadaan: {old_id} -> {new_id}\nPemuatan berhasil terakhir: {success}\nGalat terakhir: {error}\n"
            f"Server: {server}\nDiamati: {_shown(self.observed_at, WIB, 'WIB')}\n\n"
            "-- English --\n"
            f"Source {self.source} ({self.opd_name}): {old_en} -> {new_en}.\n"
            f"Last successful load: {success}\nLast error: {error}\nServer: {server}\n"
        )


class Channel(Protocol):
    """One way of telling: `send` raises when the message did not get through."""

    name: str

    def send(self, change: Change) -> None: ...

    def masked(self, text: str) -> str:
        """`text` (an error of this channel) with the channel's secrets masked."""
        ...


class Webhook:
    """POSTs each change as JSON; any answer but 2xx is a failure."""

    name = "webhook"

    def __init__(self, url: str, timeout_s: float) -> None:
        self._url = url
        self._timeout_s = timeout_s

    def send(self, change: Change) -> None:
        answer = httpx.post(self._url, json=change.payload(), timeout=self._timeout_s, follow_redirects=False)
        if not 200 <= answer.status_code < 300:
            raise RuntimeError(f"webhook answered HTTP {answer.status_code}")

    def masked(self, text: str) -> str:
        return redact(text, self._url) or ""


class Mail:
    """Sends each change as one e-mail to every recipient."""

    name = "email"

    def __init__(self, settings: AlertSettings, user: str | None, password: str | None) -> None:
        self._settings = settings
        self._user = user
        self._password = password

    def send(self, change: Change) -> None:
        s = self._settings
        message = EmailMessage()
        message["Subject"] = change.subject()
        message["From"] = s.mail_from
        message["To"] = ", ".join(s.mail_to)
        message["Date"] = format_datetime(_utc(change.observed_at))  # without them many servers mark mail as spam
        message["Message-ID"] = make_msgid(domain=s.mail_from.rpartition("@")[2] or None)
        message.set_content(change.body())
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.timeout.total_seconds()) as smtp:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self._user:
                smtp.login(self._user, self._password or "")
            smtp.send_message(message)

    def masked(self, text: str) -> str:
        return redact(text, self._password) or ""


def channels(settings: AlertSettings, env: Mapping[str, str]) -> list[Channel]:
    """The channels the settings set up: a webhook when its variable holds a URL, mail when an SMTP server is named."""
    found: list[Channel] = []
    url = env.get(settings.webhook_url_env) if settings.webhook_url_env else None
    if url:
        found.append(Webhook(url, settings.timeout.total_seconds()))
    if settings.smtp_host:
        user = env.get(settings.smtp_user_env) if settings.smtp_user_env else None
        password = env.get(settings.smtp_password_env) if settings.smtp_password_env else None
        found.append(Mail(settings, user, password))
    return found
