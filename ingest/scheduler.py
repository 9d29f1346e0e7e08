"""The one scheduler of the serving process: a job per source on its schedule, never overlapping itself."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from config.schedules import WEEKDAYS, Cron, parse_schedule
from region.calendar import WIB

log = logging.getLogger(__name__)


def trigger_for(schedule: str) -> IntervalTrigger | CronTrigger:
    """An interval ("5m") or a five-field cron line read in WIB ("*/5 7-17 * * mon-fri"), as config checked it.

    Raises:
        ValueError: when the schedule is neither (config refuses such a schedule at start).
    """
    parsed = parse_schedule(schedule)
    if not isinstance(parsed, Cron):
        return IntervalTrigger(seconds=parsed.every.total_seconds(), timezone=WIB)

    def listed(values: frozenset[int] | None, names: tuple[str, ...] | None = None) -> str:
        if values is None:
            return "*"
        return ",".join(names[v] if names else str(v) for v in sorted(values))

    # Weekdays go by name: APScheduler 3 numbers them from Monday, crontab (and so the configuration) from Sunday.
    return CronTrigger(
        minute=listed(parsed.minutes), hour=listed(parsed.hours), day=listed(parsed.days), month=listed(parsed.months),
        day_of_week=listed(parsed.weekdays, WEEKDAYS), timezone=WIB,
    )


class IngestScheduler:
    """Runs `job(source)` for each source on its schedule.

    Args:
        schedules: source name to schedule text.
        job: what a run does; it must be safe to repeat.
    """

    def __init__(self, schedules: dict[str, str], job: Callable[[str], object]) -> None:
        self._schedules = schedules
        self._job = job
        self._paused: set[str] = set()
        # coalesce + max_instances=1: a run that is late or still going is not stacked; the default
        # misfire grace of 1 s would silently skip runs delayed by a busy process, so allow a whole interval.
        # A worker per source: a source that hangs until its timeout never holds up another's run.
        self._scheduler = BackgroundScheduler(
            timezone=WIB,
            executors={"default": ThreadPoolExecutor(max_workers=max(len(schedules), 1))},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        )

    def start(self, paused: set[str] = frozenset()) -> None:
        """Schedule every source, the first run of each right away; `paused` sources wait for resume."""
        now = dt.datetime.now(WIB)
        for name, schedule in self._schedules.items():
            job = self._scheduler.add_job(self._job, trigger_for(schedule), args=[name], id=name, name=f"ingest {name}", next_run_time=now)
            if name in paused:
                job.pause()
        self._paused = set(paused) & set(self._schedules)
        self._scheduler.start()
        log.info("scheduler started with %d sources", len(self._schedules))

    def set_paused(self, source: str, paused: bool) -> None:
        """Hold or release a source's scheduled runs."""
        if paused:
            self._scheduler.pause_job(source)
            self._paused.add(source)
        else:
            self._scheduler.resume_job(source)
            self._paused.discard(source)

    def running(self) -> bool:
        """True while the scheduler runs jobs: started, not shut down, and its thread alive."""
        # A thread that died of an unexpected error leaves the state "running"; only the thread tells.
        thread = getattr(self._scheduler, "_thread", None)
        return self._scheduler.running and thread is not None and thread.is_alive()

    def next_run(self, source: str) -> dt.datetime | None:
        """When the source is next loaded, or None when it is not scheduled."""
        job = self._scheduler.get_job(source)
        return job.next_run_time if job else None

    def unscheduled(self) -> list[str]:
        """Sources that will not be loaded again although nobody paused them (no next run)."""
        return [name for name in self._schedules if name not in self._paused and self.next_run(name) is None]

    def shutdown(self) -> None:
        """Stop scheduling and wait for running loads (they stop early when asked to)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
