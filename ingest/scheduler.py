"""The one scheduler of the serving process: a job per source on its schedule, never overlapping itself."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from config.durations import parse_duration

log = logging.getLogger(__name__)
WIB = ZoneInfo("Asia/Jakarta")


def trigger_for(schedule: str) -> IntervalTrigger | CronTrigger:
    """An interval ("5m") or a five-field cron line read in WIB ("*/5 7-17 * * mon-fri").

    Raises:
        ValueError: when the schedule is neither.
    """
    if len(schedule.split()) == 5:
        return CronTrigger.from_crontab(schedule, timezone=WIB)
    return IntervalTrigger(seconds=parse_duration(schedule).total_seconds(), timezone=WIB)


class IngestScheduler:
    """Runs `job(source)` for each source on its schedule.

    Args:
        schedules: source name to schedule text.
        job: what a run does; it must be safe to repeat.
    """

    def __init__(self, schedules: dict[str, str], job: Callable[[str], object]) -> None:
        self._schedules = schedules
        self._job = job
        # coalesce + max_instances=1: a run that is late or still going is not stacked; the default
        # misfire grace of 1 s would silently skip runs delayed by a busy process, so allow a whole interval.
        self._scheduler = BackgroundScheduler(
            timezone=WIB, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
        )

    def start(self) -> None:
        """Schedule every source, the first run of each right away."""
        now = dt.datetime.now(WIB)
        for name, schedule in self._schedules.items():
            self._scheduler.add_job(self._job, trigger_for(schedule), args=[name], id=name, name=f"ingest {name}", next_run_time=now)
        self._scheduler.start()
        log.info("scheduler started with %d sources", len(self._schedules))

    def next_run(self, source: str) -> dt.datetime | None:
        """When the source is next loaded, or None when it is not scheduled."""
        job = self._scheduler.get_job(source)
        return job.next_run_time if job else None

    def shutdown(self) -> None:
        """Stop scheduling and wait for running loads (they stop early when asked to)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
