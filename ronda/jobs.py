"""The jobs the CLI and the scheduler run: crawl (+ score), status. Library functions, no printing."""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from base import checklist, logs, store
from base.config import WEEKDAYS, Config
from base.lock import DbLock
from crawler.protocol import STORE_FAILED
from monitors import acks, alerts, verdicts
from reports import NoData, weekly
from ronda import child, retention, sites


class JobError(Exception):
    """A job could not do its work; the message is one line for the operator."""


@dataclass
class CrawlResult:
    """What one crawl did: its run, its verdicts, and what went wrong on our side."""

    run_id: int
    as_of: str
    verdicts: list[dict]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def crawl(cfg: Config, db_path: str | Path, as_of: date, site_ids: list[str] | None = None,
          progress: Callable[[dict], None] | None = None) -> CrawlResult:
    """Crawl the enabled sites (or the named ones) in a child process, then score the run."""
    with DbLock(db_path):
        return _crawl(cfg, db_path, as_of, site_ids, progress)


def _crawl(cfg: Config, db_path: str | Path, as_of: date, site_ids: list[str] | None,
           progress: Callable[[dict], None] | None) -> CrawlResult:
    if cfg.path is None:
        raise JobError("the configuration must come from a file (the crawl process reads it)")
    log = logs.get()
    known = {s.id for s in cfg.enabled_sites}
    unknown = [s for s in site_ids or [] if s not in known]
    if unknown:
        raise JobError(f"unknown or disabled site id: {', '.join(unknown)}")
    chosen = [s.id for s in cfg.enabled_sites if not site_ids or s.id in site_ids]
    items = checklist.load(cfg.checklist_path())
    db = store.open_db(db_path)
    run_id = store.start_run(db, as_of.isoformat(), chosen, os.getpid())
    log.info("crawling %d site(s) as of %s", len(chosen), as_of, extra={"run": run_id, "stage": "crawl"})
    cmd = [sys.executable, "-m", "crawler.main", "--config", str(cfg.path), "--db", str(db_path),
           "--run-id", str(run_id), "--as-of", as_of.isoformat(), "--progress"]
    problems: list[str] = []
    try:
        code = child.run(cmd + [a for s in site_ids or [] for a in ("--site", s)], progress)
        if code not in (0, STORE_FAILED):
            # The crawl process died (OOM, a signal, a bug on some page): the sites it finished stand; the
            # others are crawled once more from scratch, so one crash does not cost the whole night.
            again = _reset_unfinished(db, run_id, chosen)
            log.warning("the crawl process stopped with exit code %d; crawling the %d site(s) it had not finished again",
                        code, len(again), extra={"run": run_id, "stage": "crawl"})
            code = child.run(cmd + [a for s in again for a in ("--site", s)], progress) if again else 0
            left = _reset_unfinished(db, run_id, chosen) if code not in (0, STORE_FAILED) else []
            if left and len(left) < len(chosen):
                # Twice on the same sites: likely one of them kills it. The finished sites get their verdicts.
                problems.append(f"the crawl process stopped twice (exit code {code}); {len(left)} site(s) were not crawled")
                code = 0
    except BaseException:
        store.finish_run(db, run_id, "failed", "interrupted")
        raise
    if code != 0:
        # The store failed, or the crawl died twice before any site was done: not a night, nothing is scored.
        problem = f"the crawl process stopped with exit code {code}; run {run_id} is marked failed"
        store.finish_run(db, run_id, "failed", problem)
        db.conn.close()
        log.error(problem, extra={"run": run_id, "stage": "crawl"})
        return CrawlResult(run_id, as_of.isoformat(), [], [problem])
    try:
        return score_and_finish(db, cfg, run_id, as_of, chosen, items, problems, stage="crawl")
    finally:
        db.conn.close()


def score_and_finish(db, cfg: Config, run_id: int, as_of: date, chosen: list[str], items, problems: list[str],
                     stage: str, **stats) -> CrawlResult:
    """Score a crawled run and mark it finished (with a problem for each site left without a verdict)."""
    scored = verdicts.score_run(db, cfg, run_id, as_of, chosen, items)
    missing = [s for s in chosen if s not in {v["site"] for v in scored}]
    if missing:
        problems.append(f"no verdict for {len(missing)} site(s): {', '.join(missing[:10])}")
    # Signals that failed on a page (recorded there, each page's own signals unknown): counted for the operator.
    failed = store.signal_errors(db, run_id)
    store.finish_run(db, run_id, "finished", "; ".join(problems) or None,
                     stats={"sites": len(chosen), "pages": sum(v["pages"] for v in scored),
                            "requests": sum(v["requests"] for v in scored),
                            "signal_errors": sum(failed.values()), "signal_errors_by_signal": failed, **stats})
    log = logs.get()
    for p in problems:
        log.error(p, extra={"run": run_id, "stage": stage})
    if failed:
        log.warning("%d signal failure(s) on pages (%s): those signals are unknown there; `ronda inspect` shows why",
                    sum(failed.values()), ", ".join(f"{k} {n}" for k, n in failed.items()),
                    extra={"run": run_id, "stage": stage})
    log.info("scored %d site(s)", len(scored), extra={"run": run_id, "stage": "score"})
    return CrawlResult(run_id, as_of.isoformat(), scored, problems)


def _reset_unfinished(db, run_id: int, chosen: list[str]) -> list[str]:
    """Sites of the run without a crawl record; their partial facts are dropped (they are crawled again or not at all)."""
    done = {r[0] for r in db.execute("SELECT site_id FROM site_runs WHERE run_id = ?", [run_id])}
    left = [s for s in chosen if s not in done]
    with store.transaction(db):
        db.conn.executemany("DELETE FROM pages WHERE run_id = ? AND site_id = ?", [(run_id, s) for s in left])
    return left


def status(cfg: Config, db_path: str | Path, as_of: date) -> list[dict]:
    """The latest verdict per enabled site (as of a date), in config order."""
    db = store.open_db(db_path, create=False)  # a --db that does not exist is an error, never a table of zeros
    try:
        rows = verdicts.status_rows(db, cfg, as_of)
        return acks.with_acks(db, rows, as_of)
    finally:
        db.conn.close()


@dataclass
class NightResult:
    """What the nightly job did, stage by stage."""

    crawl: CrawlResult | None = None
    alerts: object | None = None
    report: dict | None = None
    pruned: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    discovery: dict | None = None


def run_night(cfg: Config, db_path: str | Path, as_of: date, progress: Callable[[dict], None] | None = None,
              report: bool | None = None) -> NightResult:
    """The nightly job: crawl and score, alerts, the weekly report on its weekday, and retention."""
    log = logs.get()
    started = time.monotonic()
    out = NightResult()
    with DbLock(db_path):
        out.crawl = _crawl(cfg, db_path, as_of, None, progress)
        out.problems += out.crawl.problems
        run = {"run": out.crawl.run_id}
        out.alerts = _alerts(cfg, db_path, as_of, out, run)
        if report if report is not None else WEEKDAYS[as_of.weekday()] == cfg.report.weekday:
            if cfg.domain:   # the report's "Subdomain yang belum dipantau" (ronda sites discover)
                out.discovery = sites.discover(cfg, db_path, as_of)
                log.info("discovery: %d host(s) not in sites.yaml", len(out.discovery["hosts"]),
                         extra={**run, "stage": "discover"})
            out.report = _report(cfg, db_path, as_of, out, run)
        out.pruned = retention.prune(cfg, db_path, as_of, vacuum=WEEKDAYS[as_of.weekday()] == cfg.report.weekday)
        if out.pruned:
            log.info("pruned %d page record(s) older than %d days", out.pruned, cfg.retention.pages_days,
                     extra={**run, "stage": "retention"})
    out.seconds = time.monotonic() - started
    log.info("night done in %.1f s%s", out.seconds, f", {len(out.problems)} problem(s)" if out.problems else "",
             extra={**run, "stage": "done"})
    return out


def _alerts(cfg: Config, db_path, as_of: date, out: NightResult, run: dict):
    db = store.open_db(db_path)
    try:
        result = alerts.deliver(db, cfg, as_of, db_path)
    finally:
        db.conn.close()
    if result.pending:
        out.problems.append(f"{result.pending} alert(s) could not be sent and stay pending for the next run")
    if result.failed:
        out.problems.append(f"{result.failed} alert(s) were refused by the mail server: " + "; ".join(result.errors[:3]))
    logs.get().info("alerts: %s", result.summary(), extra={**run, "stage": "alerts"})
    return result


def _report(cfg: Config, db_path, as_of: date, out: NightResult, run: dict) -> dict | None:
    """The weekly report of the last complete week; a week with no finished run is a warning, the night goes on."""
    db = store.open_db(db_path)
    try:
        paths = weekly.write(db, cfg, weekly.default_out_dir(cfg, db_path), None, as_of)
    except NoData as e:
        out.warnings.append(f"no weekly report: {e}")
        # info, not warning: the command prints the warning itself (a quiet logger would print it twice)
        logs.get().info("no weekly report: %s", e, extra={**run, "stage": "report"})
        return None
    finally:
        db.conn.close()
    logs.get().info("report written: %s", paths.get("html"), extra={**run, "stage": "report"})
    return paths
