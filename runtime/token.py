"""The operator token that control actions through the running server require."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

TOKEN_FILE = ".operator-token"


def token_file(warehouse_path: Path) -> Path:
    return warehouse_path.parent / TOKEN_FILE


def server_token(env_name: str, warehouse_path: Path, env: Mapping[str, str] = os.environ) -> str:
    """The token from the environment, or else a fresh one kept (mode 600) beside the warehouse for local CLI use."""
    if env.get(env_name):
        return env[env_name]
    token = secrets.token_urlsafe(24)
    path = token_file(warehouse_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token)
    return token


def client_token(env_name: str, warehouse_path: Path, env: Mapping[str, str] = os.environ) -> str | None:
    """What a local CLI presents: the environment's token, or the one the server kept beside the warehouse."""
    if env.get(env_name):
        return env[env_name]
    path = token_file(warehouse_path)
    return path.read_text().strip() if path.exists() else None
