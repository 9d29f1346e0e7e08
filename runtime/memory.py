"""Keep a long-running server's memory near what it uses: few malloc arenas, Arrow on the system allocator, and
freed memory handed back to the system after each load. A command-room box runs for months beside other services."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import cache

log = logging.getLogger(__name__)
M_ARENA_MAX = -8  # glibc mallopt parameter


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "mallopt") else None  # not glibc (musl, macOS): nothing to tune


def settle_allocators() -> None:
    """Call once, before the server starts its threads.

    glibc gives each thread that allocates its own arena and keeps what is freed in it: with a dozen threads
    (web workers, loads, recomputes) a load's transient memory stays resident in several arenas. Two arenas keep
    contention low on a two-core box. Arrow's own allocator keeps freed blocks too; the system one returns them.
    """
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, 2)
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def release_freed_memory() -> None:
    """Hand memory freed by a load or a recompute back to the system (glibc keeps it otherwise)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)
