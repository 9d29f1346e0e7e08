"""Tables derived in SQL from a source's streams during its load, inside the load's transaction.

Each kind is one module with `derive(cur, source, derived, load_id, now, since)`; DERIVATIONS maps kind to it.
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.derive import presensi
from ingest.derive.presensi import Derived

DERIVATIONS: dict[str, Callable[..., Derived]] = {"presensi": presensi.derive}

__all__ = ["DERIVATIONS", "Derived"]
