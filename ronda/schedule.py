"""`ronda schedule`: a long-running APScheduler process firing the nightly job and the weekly report."""
from __future__ import annotations

import signal
from pathlib import Path

from ronda import logs


def cron_trigger(expr: str, timezone: str):
    """An APScheduler CronTrigger from 5 crontab fields, or 6 with seconds first (for tests)."""
    from apscheduler.triggers.cron import CronTrigger

    fields = expr.split()
    if len(fields) in (5, 6) and any(c.isdigit() for c in fields[-1]):
        # crontab counts Sunday as 0, APScheduler counts Monday as 0: only names are unambiguous.
        raise ValueError("give weekdays by name (mon..sun), not by number")
    if len(fields) == 5:
        return CronTrigger.from_crontab(expr, timezone=timezone)
    if len(fields) == 6:
        second, minute, hour, day, month, dow = fields
        return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month, day_of_week=dow,
                           timezone=timezone)
    raise ValueError(f"expected 5 crontab fields (or 6 with seconds), got {len(fields)}")


def serve(config_path: str, db_path: str) -> None:
    """Run until SIGTERM/SIGINT: the crawl job and the report job on their cron triggers."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.blocking import BlockingScheduler

    from ronda import config as ronda_config

    cfg = ronda_config.load(config_path)
    log = logs.get()
    store_path = Path(db_path).resolve().with_name(Path(db_path).name + ".schedule")
    sched = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{store_path}")},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        timezone=cfg.timezone)
    args = [str(Path(config_path).resolve()), str(Path(db_path).resolve())]
    sched.add_job("ronda.jobs:scheduled_night", cron_trigger(cfg.schedule.crawl, cfg.timezone), args=args,
                  id="night", name="nightly crawl, scores, alerts", replace_existing=True)
    sched.add_job("ronda.jobs:scheduled_report", cron_trigger(cfg.schedule.report, cfg.timezone), args=args,
                  id="report", name="weekly report", replace_existing=True)

    def stop(signum, _frame):
        log.info("received %s: stopping the scheduler", signal.Signals(signum).name, extra={"stage": "schedule"})
        sched.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler started: crawl %r, report %r, timezone %s", cfg.schedule.crawl, cfg.schedule.report,
             cfg.timezone, extra={"stage": "schedule"})
    sched.start()
    log.info("scheduler stopped", extra={"stage": "schedule"})
