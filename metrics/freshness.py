"""How current each source is, from the run log: fresh, late, stale, failing, or never loaded."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Literal

import duckdb

from config.secrets import redact
from warehouse.operations import RunFacts, run_facts

State = Literal["fresh", "late", "stale", "failing", "never"]
_SEVERITY: dict[str, int] = {"fresh": 0, "late": 1, "never": 2, "stale": 3, "failing": 4}
NEVER_RUN = RunFacts()


@dataclass(frozen=True)
class Policy:
    """What a source promises: a successful read within `fresh_within`, and never older than `stale_after`; and,
    with `revision_window`, that what it delivered for a day or month may still change until that long after it."""

    fresh_within: dt.timedelta
    stale_after: dt.timedelta
    simulated: bool = False
    revision_window: dt.timedelta | None = None


@dataclass(frozen=True)
class Freshness:
    """A source's state at `now`, with the facts it rests on (instants in UTC); the `last_*` ones are of one run."""

    source: str
    state: State
    simulated: bool
    last_success_at: dt.datetime | None
    last_run_at: dt.datetime | None
    last_status: str | None
    last_error: str | None
    last_rows_read: int | None
    last_rejected: int | None
    last_load_id: str | None = None  # the latest run, which every other last_* fact is of

    def as_dict(self) -> dict:
        def iso(t: dt.datetime | None) -> str | None:
            return t.replace(tzinfo=dt.UTC).isoformat() if t else None

        return {
            "source": self.source,
            "state": self.state,
            "simulated": self.simulated,
            "last_success_at": iso(self.last_success_at),
            "last_load_id": self.last_load_id,
            "last_run_at": iso(self.last_run_at),
            "last_status": self.last_status,
            "last_error": redact(self.last_error),  # also errors stored before they were masked at load
            "last_rows_read": self.last_rows_read,
            "last_rejected": self.last_rejected,
        }


def classify(last_success: dt.datetime | None, last_status: str | None, policy: Policy, now: dt.datetime) -> State:
    """The state rule: a failed last run is failing; otherwise the age of the last success decides."""
    if last_status == "failed":
        return "failing"
    if last_success is None:
        return "never"
    age = now - last_success
    if age <= policy.fresh_within:
        return "fresh"
    return "late" if age <= policy.stale_after else "stale"


def worst(states: list[State]) -> State:
    """The most severe of several states (an indicator reading two sources is as fresh as the older)."""
    return max(states, key=_SEVERITY.__getitem__) if states else "never"


def source_freshness(cur: duckdb.DuckDBPyConnection, policies: dict[str, Policy], now: dt.datetime,
                     facts: dict[str, RunFacts] | None = None) -> dict[str, Freshness]:
    """Freshness of every source with a policy, from the loads table (skipped runs are not runs).

    Args:
        facts: the loads table's facts when the caller has them already (they change only when a load is recorded).
    """
    facts = run_facts(cur) if facts is None else facts
    result = {}
    for name, policy in policies.items():
        f = facts.get(name, NEVER_RUN)
        state = classify(f.last_success_at, f.last_status, policy, now)
        result[name] = Freshness(source=name, state=state, simulated=policy.simulated, **dataclasses.asdict(f))
    return result
