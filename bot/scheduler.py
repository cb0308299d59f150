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
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.schedule_spec import one_off_at, trigger
from bot.store.notices import Schedule
from schedules import digest, retention, sla
from schedules import notices as notice_jobs

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

#: Running schedulers by database path, so persisted jobs (which store only a text reference
#: and the schedule code) find their app. Filled in by ``start``, never at import time.
_RUNNING: dict[str, Scheduler] = {}
REMINDER_JOB = "notice-reminders"


async def run_schedule(db: str, code: str) -> None:
    """The persisted job: fire the schedule ``code`` of the bot running on ``db``."""
    scheduler = _RUNNING.get(db)
    if scheduler is None:
        log.error("no running bot for %s; schedule %s not fired", db, code)
        return
    app = scheduler.app
    schedule = await app.store.notices.schedule(code)
    if schedule is None:
        log.error("schedule %s is not in the database", code)
        return
    await notice_jobs.fire(app, schedule, app.now())


async def run_job(db: str, name: str) -> None:
    """A persisted periodic job: ``reminders``, ``sla``, ``digest`` or ``retention``."""
    scheduler = _RUNNING.get(db)
    if scheduler is None:
        return
    app = scheduler.app
    if name == "retention":  # says nothing to anyone; it writes its own audit entry
        await retention.job(app, app.now())
        return
    job = {"reminders": notice_jobs.job, "sla": sla.job, "digest": digest.job}[name]
    now = app.now()
    if name == "digest":  # one digest per slot, even if a restart runs the job again
        await app.queue(await job(app, now), dedupe_prefix=f"digest:{now:%Y%m%d%H%M}")
    elif name == "sla":
        await job(app, now)  # queues its own escalations, each under a dedupe key
    else:
        await app.queue(await job(app, now))


class Scheduler:
    """One AsyncIOScheduler per running bot."""

    def __init__(self, app: App):
        self.app = app
        self.key = str(app.config.database.resolve())
        grace = app.config.notices.grace_minutes * 60
        self.aps = AsyncIOScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=app.store.jobstore_url)},
            job_defaults={"coalesce": True, "misfire_grace_time": grace, "max_instances": 1},
            timezone=app.config.tz,
        )
        self.aps.add_listener(self._missed, EVENT_JOB_MISSED)

    def _missed(self, event: JobExecutionEvent) -> None:
        log.warning("scheduled job %s missed its run at %s (bot was down longer than the grace "
                    "period); skipped", event.job_id, event.scheduled_run_time)

    async def start(self) -> None:
        """Sync schedules from the database and the config, then start."""
        _RUNNING[self.key] = self
        for cfg in self.app.config.schedules:
            await self.app.store.notices.add_schedule(
                cfg.group, cfg.subtree, cfg.when, cfg.text, ("config", "config", "bot.toml"),
                self.app.now(), config_key=cfg.key)
        self.aps.start()
        for schedule in await self.app.store.notices.schedules(include_inactive=True):
            self.sync(await self._expire(schedule))
        self.aps.add_job(run_job, "interval", minutes=1, id=REMINDER_JOB,
                         kwargs={"db": self.key, "name": "reminders"}, replace_existing=True)
        self.aps.add_job(run_job, "interval", minutes=5, id="sla-escalation",
                         kwargs={"db": self.key, "name": "sla"}, replace_existing=True)
        for hhmm in self.app.config.digest.times:
            hour, minute = hhmm.split(":")
            self.aps.add_job(run_job, "cron", hour=int(hour), minute=int(minute),
                             id=f"digest-{hhmm}", kwargs={"db": self.key, "name": "digest"},
                             replace_existing=True)
        self.aps.add_job(run_job, **retention.TRIGGER, id="retention",
                         kwargs={"db": self.key, "name": "retention"}, replace_existing=True)

    async def _expire(self, schedule: Schedule) -> Schedule:
        """Finish a one-off whose time passed beyond the grace period while the bot was down."""
        at = one_off_at(schedule.spec, self.app.config.tz) if schedule.active else None
        now = self.app.now()
        if at is None or now - at <= timedelta(minutes=self.app.config.notices.grace_minutes):
            return schedule
        log.warning("schedule %s (%s) was due at %s, beyond the %d-minute grace period; skipped",
                    schedule.code, schedule.spec, at, self.app.config.notices.grace_minutes)
        await self.app.store.notices.finish_schedule(schedule, now)
        return replace(schedule, finished=True)

    def sync(self, schedule: Schedule) -> None:
        """Add, keep or remove the APScheduler job of one schedule."""
        job = self.aps.get_job(schedule.code)
        if not schedule.active:
            if job is not None:
                job.remove()
            return
        trig = trigger(schedule.spec, self.app.config.tz)
        if job is not None and str(job.trigger) == str(trig):
            return  # keep its persisted next run time, so a missed run is still seen as missed
        kwargs: dict[str, Any] = {"db": self.key, "code": schedule.code}
        self.aps.add_job(run_schedule, trig, id=schedule.code, kwargs=kwargs,
                         replace_existing=True, name=f"{schedule.code} {schedule.spec}")

    def next_run(self, code: str) -> Any:
        """When a schedule fires next, if it is scheduled."""
        job = self.aps.get_job(code)
        return job.next_run_time if job is not None else None

    async def stop(self) -> None:
        """Stop without waiting for running jobs."""
        if self.aps.running:
            self.aps.shutdown(wait=False)
        _RUNNING.pop(self.key, None)
