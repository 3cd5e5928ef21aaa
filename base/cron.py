"""Crontab lines read as APScheduler triggers: used to validate `schedule.*` in config and by `ronda schedule`."""
from __future__ import annotations


def cron_trigger(expr: str, timezone: str):
    """An APScheduler CronTrigger from 5 crontab fields, or 6 with seconds first (for tests)."""
    from apscheduler.triggers.cron import CronTrigger  # imported when needed: config is read by every process

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
