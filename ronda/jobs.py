"""The jobs the CLI and the scheduler run: crawl (+ score), status. Library functions, no printing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ronda import store
from ronda.config import Config


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


def load_checklist(cfg: Config):
    """The checklist items in force for this config (beside sites.yaml, configured, or packaged)."""
    from crawler.signals import checklist

    path = cfg.checklist_path()
    return checklist.load(path)


def crawl(cfg: Config, db_path: str | Path, as_of: date, site_ids: list[str] | None = None,
          progress: Callable[[dict], None] | None = None) -> CrawlResult:
    """Crawl the enabled sites (or the named ones) in a child process, then score the run."""
    if cfg.path is None:
        raise JobError("the configuration must come from a file (the crawl process reads it)")
    known = {s.id for s in cfg.enabled_sites}
    unknown = [s for s in site_ids or [] if s not in known]
    if unknown:
        raise JobError(f"unknown or disabled site id: {', '.join(unknown)}")
    chosen = [s.id for s in cfg.enabled_sites if not site_ids or s.id in site_ids]
    items = load_checklist(cfg)
    db = store.open_db(db_path)
    run_id = store.start_run(db, as_of.isoformat(), chosen, os.getpid())
    cmd = [sys.executable, "-m", "crawler.main", "--config", str(cfg.path), "--db", str(db_path),
           "--run-id", str(run_id), "--as-of", as_of.isoformat(), "--progress"]
    for s in site_ids or []:
        cmd += ["--site", s]
    problems: list[str] = []
    try:
        child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=None, text=True,
                                 env={**os.environ, "PYTHONUNBUFFERED": "1"})
        for line in child.stdout:
            event = _event(line)
            if event and progress:
                progress(event)
        code = child.wait()
    except BaseException:
        store.finish_run(db, run_id, "failed", "interrupted")
        raise
    if code != 0:
        problems.append(f"the crawl process exited with code {code}")
    verdicts = score_run(db, cfg, run_id, as_of, chosen, items)
    missing = [s for s in chosen if s not in {r["site_id"] for r in db.query(
        "SELECT site_id FROM site_runs WHERE run_id = ?", [run_id])}]
    if missing:
        problems.append(f"no crawl record for {len(missing)} site(s): {', '.join(missing[:10])}")
    store.finish_run(db, run_id, "finished", "; ".join(problems) or None,
                     stats={"sites": len(chosen), "pages": sum(v["pages"] for v in verdicts),
                            "requests": sum(v["requests"] for v in verdicts)})
    db.conn.close()
    return CrawlResult(run_id, as_of.isoformat(), verdicts, problems)


def score_run(db, cfg: Config, run_id: int, as_of: date, site_ids: list[str], items) -> list[dict]:
    from monitors import verdicts

    return verdicts.score_run(db, cfg, run_id, as_of, site_ids, items)


def status(cfg: Config, db_path: str | Path, as_of: date) -> list[dict]:
    """The latest verdict per enabled site (as of a date), in config order."""
    from monitors import verdicts

    db = store.open_db(db_path, create=False) if Path(db_path).exists() else None
    try:
        return verdicts.status_rows(db, cfg, as_of)
    finally:
        if db is not None:
            db.conn.close()


def _event(line: str) -> dict | None:
    try:
        event = json.loads(line)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None
