"""A second `app.py` process's way into the running server: find the server that proves it owns the warehouse, ask it.

Only httpx and the server-info and token readers are imported here, never the warehouse, the metrics or the
dashboard: a command answered by the server starts in a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from runtime import server_info
from runtime.token import UnsafeTokenFile, client_token


class ServerProblem(Exception):
    """The running server cannot be used for this command, in words for the operator."""


@dataclass(frozen=True)
class RunningServer:
    """The server that proved it owns the warehouse, and the operator token this process can present to it."""

    url: str
    token: str | None
    token_env: str


def running_server(warehouse: Path, token_env: str, client: httpx.Client) -> RunningServer | None:
    """The running server of `warehouse`; None when none runs (or its folder is unusable: opening it says so).

    Args:
        token_env: the environment variable that may hold the operator token (server.operator_token_env).

    Raises:
        ServerProblem: server.json names something that does not prove it is that server, or the token file is unsafe.
    """
    try:
        recorded = server_info.recorded_server(warehouse)
    except OSError:
        return None
    if recorded is None:
        return None
    try:
        token = client_token(token_env, warehouse)
        url = server_info.proven_url(recorded, warehouse, token, client)
    except (UnsafeTokenFile, server_info.NotOurServer) as exc:
        raise ServerProblem(str(exc)) from None
    return RunningServer(url, token, token_env) if url else None


def ask(server: RunningServer, client: httpx.Client, path: str, body: dict | None, files: dict | None = None) -> dict:
    """The server's JSON answer: a POST of `body` with the operator token when it is given, else a GET.

    With `files` ({field: (name, bytes)}) the POST is multipart/form-data, `body` its other fields.

    Raises:
        ServerProblem: no token for a POST, no answer, or an answer other than 200.
    """
    try:
        if body is None:
            response = client.get(f"{server.url}{path}", timeout=30)
        else:
            if not server.token:
                raise ServerProblem(f"server berjalan di {server.url}, tetapi token operator tidak ada; setel {server.token_env}")
            headers = {"Authorization": f"Bearer {server.token}"}
            sent = {"files": files, "data": body} if files else {"json": body}
            response = client.post(f"{server.url}{path}", headers=headers, timeout=3600, **sent)  # a backfill may take long
    except httpx.HTTPError as exc:
        raise ServerProblem(f"server di {server.url} tidak menjawab: {exc}") from None
    if response.status_code != 200:
        raise ServerProblem(f"server di {server.url} menolak: HTTP {response.status_code} {response.text}")
    return response.json()
