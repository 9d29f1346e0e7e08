"""Connector kinds. Each module exposes `extract(source, stream, connection, state)`, yielding Batches; KINDS maps kind to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ingest.connectors import files, rest, sql
from ingest.connectors.base import Batch, Connection, ExtractState, SourceError

KINDS: dict[str, Callable[..., Iterator[Batch]]] = {"rest": rest.extract, "sql": sql.extract, "file": files.extract}

__all__ = ["KINDS", "Batch", "Connection", "ExtractState", "SourceError"]
