"""APScheduler wiring: scheduled notices persist in the bot's own SQLite database.

APScheduler's SQLAlchemy job store keeps each schedule's next run time in the table
``apscheduler_jobs`` of the same file. With ``coalesce`` and ``misfire_grace_time`` a notice
missed while the bot was down fires once on start if still within the grace period and is
skipped with a log line if not; APScheduler moves the next run time on before it runs a job,
and the notice's fire key makes a second publication of one occurrence impossible.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.schedule_spec import one_off_at, trigger
from bot.services import Jobs, Services
from bot.store.notices import Schedule

log = logging.getLogger(__name__)

#: Running schedulers by database path, so persisted jobs (which store only a text reference
#: and the schedule code) find their bot. Filled in by ``start``, never at import time.
_RUNNING: dict[str, Scheduler] = {}


async def run_schedule(db: str, code: str) -> None:
    """The persisted job: fire the schedule ``code`` of the bot running on ``db``."""
    scheduler = _RUNNING.get(db)
    if scheduler is None:
        log.error("no running bot for %s; schedule %s not fired", db, code)
        return
    services = scheduler.services
    schedule = await services.store.notices.schedule(code)
    if schedule is None:
        log.error("schedule %s is not in the database", code)
        return
    await scheduler.jobs.fire(services, schedule, services.now())


async def run_job(db: str, name: str) -> None:
    """A persisted periodic job, by the name it declared (``reminders``, ``sla``, …)."""
    scheduler = _RUNNING.get(db)
    if scheduler is None:
        return
    job = scheduler.jobs.named(name)
    if job is None:  # persisted by an older version that had a job of that name
        log.warning("no periodic job named %r any more; ignored", name)
        return
    await job.run(scheduler.services, scheduler.services.now())


class Scheduler:
    """One AsyncIOScheduler per running bot; the jobs are handed in, each with its triggers."""

    def __init__(self, services: Services, jobs: Jobs):
        self.services = services
        self.jobs = jobs
        config = services.config
        self.key = str(config.database.resolve())
        grace = config.notices.grace_minutes * 60
        self.aps = AsyncIOScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=services.store.jobstore_url)},
            job_defaults={"coalesce": True, "misfire_grace_time": grace, "max_instances": 1},
            timezone=config.tz,
        )
        self.aps.add_listener(self._missed, EVENT_JOB_MISSED)

    def _missed(self, event: JobExecutionEvent) -> None:
        log.warning("scheduled job %s missed its run at %s (bot was down longer than the grace "
                    "period); skipped", event.job_id, event.scheduled_run_time)

    async def start(self) -> None:
        """Sync schedules from the database and the config, then start every job."""
        services = self.services
        _RUNNING[self.key] = self
        for cfg in services.config.schedules:
            await services.store.notices.add_schedule(
                cfg.group, cfg.subtree, cfg.when, cfg.text, ("config", "config", "bot.toml"),
                services.now(), config_key=cfg.key)
        self.aps.start()
        for schedule in await services.store.notices.schedules(include_inactive=True):
            self.sync(await self._expire(schedule))
        for job in self.jobs.periodic:
            for job_id, trig in job.triggers(services.config).items():
                self.aps.add_job(run_job, **trig, id=job_id, replace_existing=True,
                                 kwargs={"db": self.key, "name": job.name})

    async def _expire(self, schedule: Schedule) -> Schedule:
        """Finish a one-off whose time passed beyond the grace period while the bot was down."""
        config = self.services.config
        at = one_off_at(schedule.spec, config.tz) if schedule.active else None
        now = self.services.now()
        if at is None or now - at <= timedelta(minutes=config.notices.grace_minutes):
            return schedule
        log.warning("schedule %s (%s) was due at %s, beyond the %d-minute grace period; skipped",
                    schedule.code, schedule.spec, at, config.notices.grace_minutes)
        await self.services.store.notices.finish_schedule(schedule, now)
        return replace(schedule, finished=True)

    def sync(self, schedule: Schedule) -> None:
        """Add, keep or remove the APScheduler job of one schedule."""
        job = self.aps.get_job(schedule.code)
        if not schedule.active:
            if job is not None:
                job.remove()
            return
        trig = trigger(schedule.spec, self.services.config.tz)
        if job is not None and str(job.trigger) == str(trig):
            return  # keep its persisted next run time, so a missed run is still seen as missed
        self.aps.add_job(run_schedule, trig, id=schedule.code,
                         kwargs={"db": self.key, "code": schedule.code},
                         replace_existing=True, name=f"{schedule.code} {schedule.spec}")

    def next_run(self, code: str) -> datetime | None:
        """When a schedule fires next, if it is scheduled."""
        job = self.aps.get_job(code)
        return job.next_run_time if job is not None else None

    def job_ids(self) -> list[str]:
        """The ids of every scheduled job, periodic and notice schedules."""
        return [job.id for job in self.aps.get_jobs()]

    async def stop(self) -> None:
        """Stop without waiting for running jobs."""
        if self.aps.running:
            self.aps.shutdown(wait=False)
        _RUNNING.pop(self.key, None)
