"""The operator token that control actions through the running server require."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from config.secrets import REDACTOR
from runtime.files import replace_file, warn_if_others_can_write

TOKEN_FILE = ".operator-token"
SECRET_FILE = ".session-secret"


class UnsafeTokenFile(Exception):
    """The token file beside the warehouse could have been read or planted by someone else; it is not used."""


def token_file(warehouse_path: Path) -> Path:
    return warehouse_path.parent / TOKEN_FILE


def server_token(env_name: str, warehouse_path: Path, env: Mapping[str, str] = os.environ) -> str:
    """The token from the environment, or else a fresh one kept (mode 600) beside the warehouse for local CLI use.

    The file is written anew at every start (see runtime.files.replace_file): mode 600 even where an older file
    was readable by others, and a symbolic link at its path is replaced, never followed.
    """
    path = token_file(warehouse_path)
    warn_if_others_can_write(path.parent)
    if env.get(env_name):
        # A file from a start without the variable holds a token that opens nothing now; gone, it misleads no one.
        path.unlink(missing_ok=True)
        token = env[env_name]
    else:
        token = secrets.token_urlsafe(32)
        replace_file(path, token, 0o600)
    REDACTOR.add(token)
    return token


def client_token(env_name: str, warehouse_path: Path, env: Mapping[str, str] = os.environ) -> str | None:
    """What a local CLI presents: the environment's token, or the one the server kept beside the warehouse.

    Raises:
        UnsafeTokenFile: the file is a symbolic link, not a regular file, not this user's, or readable by others.
    """
    if env.get(env_name):
        REDACTOR.add(env[env_name])
        return env[env_name]
    path = token_file(warehouse_path)
    advice = f"token tidak dipakai; jalankan ulang server (ia menulis token baru, mode 600) atau setel {env_name}"
    token = _read_private(path, "berkas token", advice)
    if token is None:
        return None
    REDACTOR.add(token)
    return token or None


def _read_private(path: Path, what: str, advice: str) -> str | None:
    """The text of a file only this user may read; None when there is none.

    Raises:
        UnsafeTokenFile: the file is a symbolic link, not a regular file, not this user's, or readable by others.
    """
    try:
        # O_NOFOLLOW: a link is refused, not read through; O_NONBLOCK: a FIFO planted there cannot hang the command.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeTokenFile(f"{what} {path} adalah tautan simbolik; {advice}") from None
        raise
    with os.fdopen(fd, encoding="utf-8") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeTokenFile(f"{what} {path} bukan berkas biasa; {advice}")
        if info.st_uid != os.getuid():
            raise UnsafeTokenFile(f"{what} {path} milik pengguna lain (uid {info.st_uid}); {advice}")
        if info.st_mode & 0o077:
            raise UnsafeTokenFile(f"{what} {path} dapat dibaca atau diubah pengguna lain (mode {stat.S_IMODE(info.st_mode):o}); {advice}")
        return f.read().strip()


def session_secret(env_name: str, warehouse_path: Path, env: Mapping[str, str] = os.environ) -> bytes:
    """The key session cookies are signed with: the environment's, or one made once and kept (mode 600) beside the
    warehouse, so that sessions outlive a restart. A link at its path is refused, never followed.

    Raises:
        UnsafeTokenFile: the kept file could have been read or planted by someone else.
    """
    if env.get(env_name):
        return env[env_name].encode()
    path = warehouse_path.parent / SECRET_FILE
    kept = _read_private(path, "berkas kunci sesi", f"hapus berkas itu (sesi yang ada berakhir) atau setel {env_name}")
    if not kept:
        warn_if_others_can_write(path.parent)
        kept = secrets.token_urlsafe(48)
        replace_file(path, kept, 0o600)
    return kept.encode()
