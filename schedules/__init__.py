"""Scheduled work. Each module declares its ``JOB``: a name, its triggers and what it runs.

A job is ``async def job(services, now)``: time is passed in, and it queues what it says
itself. ``JOBS`` is handed to the bot at start-up by ``bot.commands`` (and the test harness).
"""

from bot.services import Jobs
from schedules import (
                      campaigns,
                      care,
                      digest,
                      dispatch,
                      join,
                      notices,
                      ranking,
                      reports,
                      retention,
                      rosters,
                      sla,
                      web,
)

JOBS = Jobs(periodic=(notices.JOB, sla.JOB, digest.JOB, retention.JOB, join.JOB, care.JOB, campaigns.JOB,
                      reports.WEEKLY, reports.MONTHLY, ranking.JOB, rosters.JOB, dispatch.JOB, web.JOB),
            fire=notices.fire)
