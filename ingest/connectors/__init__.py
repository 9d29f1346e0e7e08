"""Connector kinds. Each module exposes `extract(spec, connection, state) -> Extracted`; KINDS maps kind to it."""

from __future__ import annotations

from collections.abc import Callable

from ingest.connectors import files, rest, sql
from ingest.connectors.base import Connection, Extracted, ExtractState, SourceError

KINDS: dict[str, Callable[..., Extracted]] = {"rest": rest.extract, "sql": sql.extract, "file": files.extract}

__all__ = ["KINDS", "Connection", "ExtractState", "Extracted", "SourceError"]
