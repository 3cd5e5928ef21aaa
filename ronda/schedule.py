"""`ronda schedule`: a long-running APScheduler process firing the nightly job and the weekly report."""
from __future__ import annotations

import signal
from datetime import datetime
from pathlib import Path

from base import config as ronda_config
from base import logs, store
from base.cron import cron_trigger
from base.lock import LockBusy
from reports import weekly
from ronda import jobs


def serve(config_path: str, db_path: str) -> None:
    """Run until SIGTERM/SIGINT: the crawl job and the report job on their cron triggers."""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.blocking import BlockingScheduler

    cfg = ronda_config.load(config_path)
    log = logs.get()
    store_path = Path(db_path).resolve().with_name(Path(db_path).name + ".schedule")
    sched = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{store_path}")},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        timezone=cfg.timezone)
    args = [str(Path(config_path).resolve()), str(Path(db_path).resolve())]
    triggers = {"night": cron_trigger(cfg.schedule.crawl, cfg.timezone),
                "report": cron_trigger(cfg.schedule.report, cfg.timezone)}
    sched.add_job("ronda.schedule:night", triggers["night"], args=args,
                  id="night", name="nightly crawl, scores, alerts", replace_existing=True)
    sched.add_job("ronda.schedule:report", triggers["report"], args=args,
                  id="report", name="weekly report", replace_existing=True)

    def next_fire(job_id: str) -> str:
        # An operator who starts the scheduler at noon wants to know the night will come, and when.
        when = triggers[job_id].get_next_fire_time(None, datetime.now(cfg.tz))
        return when.strftime("%Y-%m-%d %H:%M:%S %Z") if when else "never"

    def after_job(event) -> None:
        log.info("%s done; next at %s", event.job_id, next_fire(event.job_id), extra={"stage": "schedule"})

    def stop(signum, _frame):
        log.info("received %s: stopping the scheduler", signal.Signals(signum).name, extra={"stage": "schedule"})
        sched.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler started: crawl %r, report %r, timezone %s; next crawl at %s, next report at %s",
             cfg.schedule.crawl, cfg.schedule.report, cfg.timezone, next_fire("night"), next_fire("report"),
             extra={"stage": "schedule"})
    sched.add_listener(after_job, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    sched.start()
    log.info("scheduler stopped", extra={"stage": "schedule"})


def night(config_path: str, db_path: str) -> None:
    """APScheduler entry: the nightly job with the real clock (a busy lock is logged, not raised)."""
    cfg = ronda_config.load(config_path)
    try:
        jobs.run_night(cfg, db_path, datetime.now(cfg.tz).date(), report=False)
    except LockBusy as e:
        logs.get().warning(str(e), extra={"stage": "schedule"})


def report(config_path: str, db_path: str) -> None:
    """APScheduler entry: the weekly report of the last complete ISO week (none, with a warning, if it has no run)."""
    cfg = ronda_config.load(config_path)
    db = store.open_db(db_path)
    try:
        weekly.write(db, cfg, weekly.default_out_dir(cfg, db_path), None, datetime.now(cfg.tz).date())
    except weekly.NoData as e:
        logs.get().warning("no weekly report: %s", e, extra={"stage": "report"})
    finally:
        db.conn.close()
