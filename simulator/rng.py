"""Stable random generators: the same seed and key give the same numbers in every process."""

from __future__ import annotations

import hashlib

import numpy as np


def stable_seed(*parts: object) -> int:
    """A 64-bit seed derived from the parts.

    Python's built-in `hash()` is salted per process, so it would make the "same seed, same data" promise
    break between runs; a SHA-256 of the joined parts does not.

    Args:
        *parts: anything with a stable `str()`, e.g. (2019, "perizinan", "2025-01-03").

    Returns:
        An integer in [0, 2**64).
    """
    text = ":".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def rng_for(*parts: object) -> np.random.Generator:
    """A numpy generator seeded from the parts (see `stable_seed`).

    Args:
        *parts: the seed and a key naming what is generated, e.g. (seed, "absensi", day.isoformat()).

    Returns:
        A fresh `numpy.random.Generator`.
    """
    return np.random.default_rng(stable_seed(*parts))
