"""Password hashes: Argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile), rehashed at sign-in when the
parameters change."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
HASHER = PasswordHasher()


class WeakPassword(ValueError):
    """A password too short to be kept."""


def hashed(password: str, hasher: PasswordHasher = HASHER) -> str:
    """The Argon2id hash of a password of at least MIN_LENGTH characters.

    Raises:
        WeakPassword: it is shorter.
    """
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"kata sandi terlalu pendek: paling sedikit {MIN_LENGTH} karakter, ini {len(password)}")
    return hasher.hash(password)


def matches(stored: str, password: str, hasher: PasswordHasher = HASHER) -> bool:
    """Whether `password` is the one `stored` was made of (False for a damaged hash too)."""
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str, hasher: PasswordHasher = HASHER) -> bool:
    """Whether `stored` was made with other parameters than `hasher` uses now."""
    try:
        return hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


# Hashed once, so that a sign-in with an unknown name costs one verification as a known name does.
DUMMY_HASH = HASHER.hash("pantau-tanpa-akun")
