"""What /api/health answers: red whenever Pantau itself cannot keep the figures current, with the reasons in words.

A failing OPD system is not Pantau's fault and keeps health green (its source shows as failing); a warehouse that
lost its file or its disk, a scheduler that is not running, a source that will never be loaded again though nobody
paused it, or values not recomputed after a load all turn it red. It is polled, so it reads what the watches keep
(no write probe, no indicator query): a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
import logging

from runtime.context import Pantau
from warehouse.watch import WarehouseFault

log = logging.getLogger(__name__)


def problems(
    fault: WarehouseFault | None,
    usable: bool,
    scheduler: str,
    start_failure: str | None,
    unscheduled: list[str],
    not_recomputed: list[str],
) -> list[str]:
    """Why health is red, one sentence each; empty when it is green.

    Args:
        scheduler: Pantau.scheduler_state(): starting and running are green.
        unscheduled: sources with no next run although not paused.
        not_recomputed: indicators whose latest recompute failed.
    """
    found = []
    if fault is not None:
        found.append(fault.reason)
    elif not usable:
        found.append("gudang data tidak dapat dibaca")
    if scheduler == "failed":
        found.append(f"penjadwal pemuatan gagal dimulai, tidak ada sumber yang dimuat sesuai jadwal: {start_failure}")
    elif scheduler == "stopped":
        found.append("penjadwal pemuatan berhenti: tidak ada sumber yang dimuat sesuai jadwal")
    if unscheduled:
        found.append(f"sumber tanpa jadwal berikutnya padahal tidak dijeda: {', '.join(unscheduled)}")
    if not_recomputed:
        found.append(f"nilai indikator tidak dihitung ulang sesudah muatan terakhirnya: {', '.join(not_recomputed)}")
    return found


def health(pantau: Pantau) -> dict:
    """The health answer: status ok or unavailable, the problems, and the warehouse, scheduler, recompute and sources."""
    fault = pantau.warehouse.watch.current()
    usable = pantau.warehouse.is_usable()
    freshness: dict[str, dict] = {}
    if usable:
        try:
            freshness = {name: {**f.as_dict(), "missing_env": pantau.unset_secret_env(name)} for name, f in pantau.metrics.freshness().items()}
        except Exception:
            log.exception("health check failed")
            usable = False
    state = pantau.scheduler_state()
    unscheduled = pantau.scheduler.unscheduled() if state == "running" and pantau.scheduler else []
    states = pantau.metrics.recompute_states()
    failing = sorted(i for i, s in states.items() if s.failing)
    found = problems(fault, usable, state, pantau.start_failure, unscheduled, failing)
    return {
        "status": "unavailable" if found else "ok",
        "problems": found,
        "checked_at": dt.datetime.now(dt.UTC).isoformat(),
        "warehouse": {
            "state": fault.kind if fault else ("ok" if usable else "unusable"),
            "reason": fault.reason if fault else None,
            "since": fault.since.isoformat() if fault else None,
        },
        "scheduler": {"state": state, "error": pantau.start_failure, "unscheduled": unscheduled},
        "recompute": {"failing": {i: states[i].as_dict() for i in failing}},
        "sources": freshness,
    }
