"""Where a running server can be reached, and its proof that it is the Pantau server owning this warehouse.

A second `app.py` process reads server.json, then asks the server at that URL to prove who it is before it sends
the operator token: it sends a random challenge, and only a holder of the token can answer with
HMAC-SHA256(token, challenge + PID + URL + warehouse). A stale server.json (its PID reused by another program, its
port taken by something else) thus never receives the token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import httpx

from runtime.files import replace_file

INFO_FILE = "server.json"
IDENTITY_PATH = "/api/v1/server/identity"
IDENTITY_TIMEOUT_S = 5.0  # a server that cannot answer this small request in time is treated as gone


def info_path(warehouse_path: Path) -> Path:
    return warehouse_path.parent / INFO_FILE


def proof(token: str, challenge: str, pid: int, url: str, warehouse_path: Path) -> str:
    """The answer to `challenge` that only a holder of `token` can give, bound to one process, address and warehouse."""
    message = "\n".join(("pantau-server-identity", challenge, str(pid), url, str(Path(warehouse_path).resolve())))
    return hmac.new(token.encode(), message.encode(), hashlib.sha256).hexdigest()


class ServerIdentity:
    """What the serving process proves about itself; `url` is set once its port is bound."""

    def __init__(self, token: str, warehouse_path: Path) -> None:
        self._token = token
        self._warehouse_path = warehouse_path
        self.pid = os.getpid()
        self.url = ""

    def answer(self, challenge: str) -> dict:
        """The identity answer: who this is, and the proof for `challenge`."""
        return {"service": "pantau", "pid": self.pid, "proof": proof(self._token, challenge, self.pid, self.url, self._warehouse_path)}


def publish(warehouse_path: Path, url: str) -> None:
    """Record this process and its URL for local commands.

    Mode 644, not 600: the file holds no secret (the token keeps to its own 600 file, and the identity proof
    guards it), and another local user who has the token in the environment still finds the server through it.
    What matters is that no one else can write it: it is replaced whole, never through a link.
    """
    replace_file(info_path(warehouse_path), json.dumps({"pid": os.getpid(), "url": url}), 0o644)


def withdraw(warehouse_path: Path) -> None:
    path = info_path(warehouse_path)
    try:
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink()
    except (FileNotFoundError, ValueError, AttributeError):
        pass


@dataclass(frozen=True)
class Recorded:
    """The server that server.json names; not yet proven to be Pantau."""

    pid: int
    url: str


def recorded_server(warehouse_path: Path) -> Recorded | None:
    """The process and URL in server.json, if that process is alive."""
    try:
        info = json.loads(info_path(warehouse_path).read_text())
        recorded = Recorded(int(info["pid"]), str(info["url"]))
        os.kill(recorded.pid, 0)
    except (FileNotFoundError, ValueError, KeyError, TypeError, ProcessLookupError, PermissionError):
        return None
    return recorded if recorded.url.startswith("http://") else None


class NotOurServer(Exception):
    """Something answers at server.json's URL but does not prove it is the Pantau server of this warehouse."""


def proven_url(recorded: Recorded, warehouse_path: Path, token: str | None, client: httpx.Client | None = None) -> str | None:
    """`recorded.url` once the server there proved it owns this warehouse; None when nothing answers there.

    Without a token (a command that only reads) no proof can be checked; the answer must then at least be Pantau's
    with the PID that server.json records. Nothing secret is sent either way.

    Raises:
        NotOurServer: the answer is not the expected proof; the caller must not send the token there.
    """
    challenge = secrets.token_urlsafe(32)
    try:
        get = client.get if client is not None else httpx.get
        response = get(f"{recorded.url}{IDENTITY_PATH}", params={"challenge": challenge}, timeout=IDENTITY_TIMEOUT_S)
    except httpx.HTTPError:
        return None  # the PID lives on in another program, or the server is going: server.json is stale
    try:
        body = response.json()
        given, pid = str(body["proof"]), body["pid"]
    except (ValueError, KeyError, TypeError):
        given, pid = None, None
    if response.status_code != 200 or given is None:
        problem = f"yang menjawab bukan server Pantau (HTTP {response.status_code})"
    elif pid != recorded.pid:
        problem = f"yang menjawab adalah proses {pid}, bukan {recorded.pid}"
    elif token is None or hmac.compare_digest(given, proof(token, challenge, recorded.pid, recorded.url, warehouse_path)):
        return recorded.url
    else:
        problem = "bukti identitasnya tidak cocok dengan token operator perintah ini (server lain, atau token server berbeda)"
    raise NotOurServer(
        f"{info_path(warehouse_path)} menunjuk {recorded.url}, tetapi {problem}: berkas itu usang atau program lain memakai "
        "alamat itu; token operator tidak dikirim. Hapus berkas itu bila tidak ada server Pantau yang berjalan untuk gudang data ini."
    )
