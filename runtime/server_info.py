"""Where a running server can be reached, so that a second `app.py` process goes through it."""

from __future__ import annotations

import json
import os
from pathlib import Path

INFO_FILE = "server.json"


def info_path(warehouse_path: Path) -> Path:
    return warehouse_path.parent / INFO_FILE


def publish(warehouse_path: Path, url: str) -> None:
    info_path(warehouse_path).write_text(json.dumps({"pid": os.getpid(), "url": url}))


def withdraw(warehouse_path: Path) -> None:
    path = info_path(warehouse_path)
    try:
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink()
    except (FileNotFoundError, ValueError):
        pass


def running_server(warehouse_path: Path) -> str | None:
    """The URL of the server that owns this warehouse, if its process is alive."""
    try:
        info = json.loads(info_path(warehouse_path).read_text())
        os.kill(int(info["pid"]), 0)
    except (FileNotFoundError, ValueError, KeyError, ProcessLookupError, PermissionError):
        return None
    return info["url"]
