"""Snapshots: everything a presentation can show, frozen at one as-of moment, immutable and checksummed.

A snapshot's body is plain JSON: the indicators as the API gives them (values, comparisons, series, breakdowns),
the SPBE result and plan, the masterplan programmes and the six dimension scores, and each source's freshness at
the moment. Everything shown or exported from a snapshot is read from its body alone, so two exports of one
snapshot carry the same numbers; its checksum (SHA-256 of the canonical body) is checked whenever it is read.

Body keys:
    format: 1.
    title, as_of (ISO, UTC), created_at (ISO, UTC), created_by.
    past_as_of: the as-of moment was before the snapshot was made, so the figures are computed for periods
        ending then from the data loaded when it was made (`data_loaded_at`, the last load that had finished).
    region: {"name", "code"}.
    indicators: [reading as the API gives it (dashboard.api `_reading_dict` fields), plus
        "breakdowns": {by: [{"member", "value", "numerator", "denominator", "status"}, ...]}, plus "formula"].
    spbe: MetricsService.spbe() (latest, plan, thresholds, history, evidence, simulated), plus "next_predicate".
    smartcity: MetricsService.smartcity() (masterplan, dimensions, method, simulated), plus
        "programmes": [{"kode_program", "program", "dimensi", "kode_opd", "status", "progres", "anggaran", ...}].
    sources: {name: freshness as_dict() + "opd", "system", "kind"}.
    evaluation: {"version", "weights": {component: weight}}.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

FORMAT = 1


def canonical(body: dict) -> bytes:
    """The body as stored and checksummed: sorted keys, no spaces, UTF-8; floats as Python writes them (exact)."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def checksum(body: dict) -> str:
    return hashlib.sha256(canonical(body)).hexdigest()


class SnapshotCorrupt(ValueError):
    """A stored snapshot whose body no longer matches its checksum: it is refused, never shown."""


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot: its id, checksum and body (see the module's docstring for the body's keys)."""

    id: str
    checksum: str
    body: dict

    @property
    def as_of(self) -> dt.datetime:
        """The as-of moment, aware (UTC)."""
        return dt.datetime.fromisoformat(self.body["as_of"])

    @property
    def created_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.body["created_at"])

    @property
    def title(self) -> str:
        return self.body["title"]

    @property
    def created_by(self) -> str:
        return self.body["created_by"]

    @property
    def past_as_of(self) -> bool:
        return bool(self.body.get("past_as_of"))

    def indicator(self, indicator_id: str) -> dict | None:
        return next((i for i in self.body["indicators"] if i["id"] == indicator_id), None)

    def verified(self) -> Snapshot:
        """Itself, once its body is checked against its checksum.

        Raises:
            SnapshotCorrupt: the body was changed after it was made.
        """
        if checksum(self.body) != self.checksum:
            raise SnapshotCorrupt(f"snapshot {self.id}: isi tidak cocok dengan checksum-nya; snapshot ini tidak dipakai")
        return self


class UnknownSnapshot(KeyError):
    """No stored snapshot has this id."""
