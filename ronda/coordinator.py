"""Distributed mode (`crawl.frontier: redis://...`): enqueue site jobs, run workers, ingest their facts.

One run, many machines: the coordinator opens the run in SQLite and pushes one job per site to Redis;
any number of `ronda worker` processes crawl sites (a site's requests stay in one worker, so per-site
politeness holds) and push facts and per-site summaries to Redis; `ingest` writes them into the store,
probes TLS, scores the run and finishes it. The key layout and the JSON both sides read are in
`crawler.protocol`; the worker side is `crawler.distributed`. A worker whose heartbeat lapses (`crawl.worker_timeout_s`) has its claimed sites requeued, twice at most.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from base import checklist, logs, store
from base.config import Config
from base.lock import DbLock
from crawler import tls
from crawler.protocol import (
    CURRENT_KEY,
    KEY_VERSION,
    RELEASE_CLAIM,
    RUN_PARTS,
    alive_key,
    dumps,
    key,
    pack_previous,
    parse_event,
)
from ronda import child
from ronda.jobs import CrawlResult, JobError, score_and_finish

INGEST_BATCH = 500       # facts popped and written per transaction
KEEP_S = 7 * 24 * 3600   # leftover keys of a run expire after a week, whatever happened to it
MAX_ATTEMPTS = 2         # a site whose crawl took two workers down gets no third: it may be what kills them



@dataclass
class WorkerResult:
    """What one worker process did."""

    run_id: int | None
    exit_code: int
    sites: int = 0
    facts: int = 0
    problems: list[str] = field(default_factory=list)


def connect(redis_url: str):
    """A Redis client for the frontier; JobError (one line) when it cannot be reached."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=10, socket_timeout=30)
    try:
        client.ping()
    except redis.RedisError as e:
        raise JobError(f"the frontier {_safe_url(redis_url)} cannot be reached: {e}") from None
    return client


def frontier_url(cfg: Config, redis_url: str | None = None) -> str:
    """The Redis URL to use: the one given, else `crawl.frontier`; JobError when neither is set."""
    url = redis_url or cfg.crawl.frontier
    if not url:
        raise JobError("no frontier: set crawl.frontier (redis://host:port/db) in the configuration")
    return url


def enqueue(cfg: Config, db_path: str | Path, as_of: date, site_ids: list[str] | None = None,
            redis_url: str | None = None) -> int:
    """Open a run in the store and push one job per chosen site to the frontier; returns the run id."""
    from crawler.pipelines import PreviousFacts, signals_fingerprint

    known = {s.id for s in cfg.enabled_sites}
    unknown = [s for s in site_ids or [] if s not in known]
    if unknown:
        raise JobError(f"unknown or disabled site id: {', '.join(unknown)}")
    client = connect(frontier_url(cfg, redis_url))
    chosen = [s for s in cfg.enabled_sites if not site_ids or s.id in site_ids]
    checklist = cfg.checklist_path()
    fingerprint = signals_fingerprint(str(checklist) if checklist else None)
    db = store.open_db(db_path)
    try:
        run_id = store.start_run(db, as_of.isoformat(), [s.id for s in chosen], os.getpid())
        PreviousFacts.mark(db, run_id, fingerprint)
        # Workers have no store: each job brings the site's previous validators (conditional requests)
        # and the links of those pages (a 304's page is followed on from them); ingest fills in the rest.
        previous = PreviousFacts(db, run_id, as_of.isoformat(), fingerprint)
        packed = {s.id: pack_previous(previous.validators(s.id, with_links=True)) if cfg.crawl.incremental else None
                  for s in chosen}
    finally:
        db.conn.close()
    chosen = _longest_first(db_path, chosen)
    c = cfg.crawl
    jobs = [dumps({"v": KEY_VERSION, "run_id": run_id, "as_of": as_of.isoformat(),
                   "site": {"id": s.id, "url": s.url, "max_pages": c.max_pages, "max_depth": c.max_depth,
                            "max_documents": c.max_documents},
                   "previous": packed[s.id], "signals": fingerprint}) for s in chosen]
    pipe = client.pipeline(transaction=True)
    for part in RUN_PARTS:
        pipe.delete(key(run_id, part))  # a database reset can reuse a run id: start clean
    if jobs:
        pipe.rpush(key(run_id, "jobs"), *jobs)
        pipe.expire(key(run_id, "jobs"), KEEP_S)
    pipe.set(CURRENT_KEY, dumps({"v": KEY_VERSION, "run_id": run_id, "as_of": as_of.isoformat(),
                                 "sites": len(chosen)}), ex=KEEP_S)
    pipe.execute()
    logs.get().info("enqueued %d site job(s) on %s", len(jobs), _safe_url(frontier_url(cfg, redis_url)),
                    extra={"run": run_id, "stage": "enqueue"})
    return run_id


def _longest_first(db_path: str | Path, sites: list) -> list:
    """Sites ordered by how long their crawl took last time, longest (and never crawled) first.

    A run ends when its slowest site does: starting the long ones first keeps the workers busy to the end.
    """
    db = store.open_db(db_path)
    try:
        rows = db.query(
            """SELECT s.site_id, s.started_at, s.finished_at FROM site_runs s JOIN runs r ON r.id = s.run_id
               WHERE r.state = 'finished' AND s.started_at IS NOT NULL AND s.finished_at IS NOT NULL
               ORDER BY r.id""")
        took = {r["site_id"]: _seconds(r["finished_at"]) - _seconds(r["started_at"]) for r in rows}
    finally:
        db.conn.close()
    # sorted() is stable: ties (and a first night without history) keep the configured order.
    return sorted(sites, key=lambda s: -took.get(s.id, float("inf")))


def _seconds(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso).timestamp()


def current_run(redis_url: str) -> dict | None:
    """The run workers serve now ({run_id, as_of, sites}), or None."""
    raw = connect(redis_url).get(CURRENT_KEY)
    data = json.loads(raw) if raw else None
    return data if isinstance(data, dict) and data.get("v") == KEY_VERSION else None


def worker(config_path: str | Path, redis_url: str | None = None, run_id: int | None = None,
           wait_s: float = 60.0, idle_s: float = 5.0, max_sites: int = 0, worker_id: str | None = None,
           progress: Callable[[dict], None] | None = None) -> WorkerResult:
    """Run one crawl worker process on the frontier until its job queue stays empty; returns what it did.

    Without `run_id` it serves the current run, waiting up to `wait_s` for a coordinator to enqueue one.
    """
    from base import config as ronda_config

    cfg = ronda_config.load(config_path)
    url = frontier_url(cfg, redis_url)
    as_of = None
    deadline = time.monotonic() + wait_s
    while True:
        cur = current_run(url)
        if cur and (run_id is None or cur["run_id"] == run_id):
            run_id, as_of = cur["run_id"], cur["as_of"]
            break
        if time.monotonic() >= deadline:
            return WorkerResult(run_id, 0, problems=["no run to serve on the frontier"])
        time.sleep(0.5)
    cmd = [sys.executable, "-m", "crawler.distributed", "--config", str(config_path), "--redis", url,
           "--run-id", str(run_id), "--as-of", as_of, "--idle", str(idle_s), "--progress"]
    if max_sites:
        cmd += ["--max-sites", str(max_sites)]
    if worker_id:
        cmd += ["--worker-id", worker_id]
    out = WorkerResult(run_id, 0)

    def on_event(event: dict) -> None:
        if event.get("event") == "worker_done":
            out.sites, out.facts = event.get("sites", 0), event.get("facts", 0)
        elif progress:
            progress(event)

    out.exit_code = child.run(cmd, on_event)
    if out.exit_code != 0:
        out.problems.append(f"the worker process died (exit code {out.exit_code}) serving run {run_id}")
    return out


def ingest(cfg: Config, db_path: str | Path, run_id: int, redis_url: str | None = None, wait: bool = True,
           timeout_s: float | None = None, progress: Callable[[dict], None] | None = None,
           tick: Callable[[], None] | None = None) -> CrawlResult:
    """Write a run's facts and summaries from the frontier into the store; when every site is in, score and finish it.

    With `wait=False` it writes what is there now and returns (the run stays running unless complete).
    `timeout_s` (default: the crawl's `max_minutes` and a minute) bounds the wait; sites without a summary then get no verdict.
    `tick` is called once per round of the wait (the coordinator watches its local workers there).
    """
    client = connect(frontier_url(cfg, redis_url))
    db = store.open_db(db_path)
    try:
        run = db["runs"].get(run_id) if db["runs"].count_where("id = ?", [run_id]) else None
        if run is None or run["state"] != "running":
            raise JobError(f"run {run_id} is not a running run of this database")
        as_of = date.fromisoformat(run["as_of"])
        try:
            # This process now owns the run: a later start_run must not take it for abandoned.
            with store.transaction(db):
                db["runs"].update(run_id, {"pid": os.getpid()})
            session = _Ingest(cfg, client, db, run_id, store.loads(run["sites"]) or [], timeout_s, progress, tick)
            if wait:
                session.wait()
            else:
                session.round()
                if not session.complete:
                    return CrawlResult(run_id, as_of.isoformat(), [], [f"{session.left()} site(s) still crawling"])
            return _finish(cfg, db, db_path, client, run_id, as_of, session.chosen, session.problems())
        except sqlite3.Error as e:   # a full disk or a read-only database in the middle of the run
            return _store_failed(db, client, run_id, as_of, e)
    finally:
        db.conn.close()


class _Ingest:
    """One ingest of a run: rounds that move the workers' facts into the store and requeue the sites of dead workers."""

    QUIET_S = 30   # every summary is in, yet a worker never said goodbye: it died, and must not hold the run

    def __init__(self, cfg: Config, client, db, run_id: int, chosen: list[str], timeout_s: float | None,
                 progress: Callable[[dict], None] | None, tick: Callable[[], None] | None) -> None:
        from crawler.pipelines import PreviousFacts, StorePipeline

        self.client, self.db, self.run_id, self.chosen = client, db, run_id, chosen
        self.progress, self.tick = progress, tick
        self.done = {r["site_id"] for r in db.query("SELECT site_id FROM site_runs WHERE run_id = ?", [run_id])}
        self.requeue = _Requeue(client, db, run_id, cfg.crawl.worker_timeout_s, logs.get())
        # The crawl's own store writer, so a distributed run's rows are exactly a local run's rows.
        self.writer = StorePipeline.without_crawl(db, run_id)
        self.previous = PreviousFacts(db, run_id, "")
        self.columns = set(db["site_runs"].columns_dict)
        self.deadline = time.monotonic() + (timeout_s if timeout_s is not None else cfg.crawl.max_minutes * 60 + 60)
        self.quiet_since: float | None = None   # since when the run is complete and nothing has come in
        self.claimed: set[str] = set()   # sites seen claimed by a worker (their progress `site_start` was said)
        self.claims_seen_at = 0.0

    @property
    def complete(self) -> bool:
        """Every site of the run has its summary in, or was given up."""
        return set(self.chosen) <= self.done | set(self.requeue.given_up)

    def left(self) -> int:
        return len(set(self.chosen) - self.done)

    def problems(self) -> list[str]:
        return [f"site {s}: {MAX_ATTEMPTS} workers stopped answering while crawling it; no verdict tonight"
                for s in self.requeue.given_up]

    def wait(self) -> None:
        """Rounds until the run is all in, has gone quiet or is out of time; then the workers are told to stop."""
        moved = self.round()
        while not (self.all_in(moved) or self.quiet() or self.out_of_time()):
            if not moved:
                time.sleep(0.2)   # nothing came: do not spin on Redis
            moved = self.round()
        self.stop_workers()
        self.drain()   # what the last workers pushed as they left

    def round(self) -> int:
        """Drain, requeue the sites of dead workers, tick; returns the rows moved."""
        moved = self.drain()
        self.requeue.check()
        self.watch_claims()
        if self.tick is not None:
            self.tick()
        if self.complete:
            self.stop_workers()   # idle workers exit now, not after their idle time
            if moved or self.quiet_since is None:
                self.quiet_since = time.monotonic()
        return moved

    def watch_claims(self) -> None:
        """Progress: a site a worker has claimed since the last look has begun (looked at once a second)."""
        if not self.progress or time.monotonic() - self.claims_seen_at < 1.0:
            return
        self.claims_seen_at = time.monotonic()
        claimed = {s.decode(errors="replace") for s in self.client.hkeys(key(self.run_id, "claims"))}
        for site in sorted(claimed - self.claimed - self.done):
            self.progress({"event": "site_start", "site": site, "total": len(self.chosen)})
        self.claimed |= claimed

    def all_in(self, moved: int) -> bool:
        """Every site is in, the last round moved nothing, and every worker has said goodbye."""
        return self.complete and not moved and not self.client.scard(key(self.run_id, "active"))

    def quiet(self) -> bool:
        """Every site is in but nothing has come for QUIET_S: a worker that left without goodbye is not waited for."""
        return self.complete and time.monotonic() - self.quiet_since > self.QUIET_S

    def out_of_time(self) -> bool:
        """The wait's time is up: sites without a summary get no verdict."""
        return time.monotonic() > self.deadline

    def stop_workers(self) -> None:
        self.client.set(key(self.run_id, "stop"), "1", ex=KEEP_S)

    def drain(self) -> int:
        """Move what the workers pushed (facts first, then summaries) into the store; returns rows moved."""
        from crawler.pipelines import CARRIED

        client, db, run_id, sites = self.client, self.db, self.run_id, set(self.chosen)
        moved = 0
        for name in ("facts", "sites"):
            while True:
                pipe = client.pipeline(transaction=True)
                pipe.lrange(key(run_id, name), 0, INGEST_BATCH - 1)
                pipe.ltrim(key(run_id, name), INGEST_BATCH, -1)
                batch, _ = pipe.execute()
                if not batch:
                    break
                # A JSON object of one of the run's sites, as workers push them; anything else found there is dropped.
                rows = [r for r in map(parse_event, batch) if r is not None and r.get("site_id") in sites]
                if len(rows) < len(batch):
                    logs.get().warning("%d item(s) of the frontier's %s list were not of this run's sites: dropped",
                                       len(batch) - len(rows), name, extra={"run": run_id, "stage": "ingest"})
                fresh = []
                with store.transaction(db):
                    for row in rows:
                        if row.pop("attempt", 1) != self.requeue.attempts.get(row["site_id"], 1):
                            continue   # from a worker taken for dead: its site was handed to another
                        if name == "facts":
                            if row.get("carried_from") is not None:
                                _fill_carried(row, self.previous.carried(row.pop("carried_from")), CARRIED)
                            self.writer.process_item(row)
                        elif row["site_id"] not in self.done:  # a site is written once, even if two workers sent it
                            row = {k: v for k, v in row.items() if k in self.columns}   # e.g. "worker" is not stored
                            self.writer.write_site(row)
                            self.done.add(row["site_id"])
                            fresh.append(row)
                moved += len(rows)
                for row in fresh if self.progress else ():
                    self.progress({"event": "site", "site": row["site_id"], "state": row.get("state"),
                                   "reason": row.get("reason"), "pages": row.get("pages"), "done": len(self.done),
                                   "total": len(self.chosen)})
        return moved


class _Requeue:
    """Hands the sites claimed by workers whose heartbeat lapsed back to the queue, with the next attempt."""

    def __init__(self, client, db, run_id: int, worker_timeout_s: float, log) -> None:
        self.client, self.db, self.run_id, self.log = client, db, run_id, log
        self.every = min(5.0, worker_timeout_s / 3)
        self.next_check = 0.0
        self.attempts: dict[str, int] = {}   # site id -> the attempt whose facts count
        self.given_up: list[str] = []
        self.release = client.register_script(RELEASE_CLAIM)

    def check(self) -> None:
        """Requeue the claims of dead workers (at most every `every` seconds)."""
        if time.monotonic() < self.next_check:
            return
        self.next_check = time.monotonic() + self.every
        claims = {site.decode(errors="replace"): raw.decode(errors="replace")
                  for site, raw in self.client.hgetall(key(self.run_id, "claims")).items()}
        holders = {site: c for site, c in ((s, _claim(raw)) for s, raw in claims.items()) if c is not None}
        workers = sorted({c["worker"] for c in holders.values()})
        pipe = self.client.pipeline(transaction=False)
        for w in workers:
            pipe.exists(alive_key(self.run_id, w))
        dead = {w for w, alive in zip(workers, pipe.execute()) if not alive}
        if dead:
            self.client.srem(key(self.run_id, "active"), *dead)   # nobody waits for their goodbye
        for site, claim in sorted(holders.items()):
            if claim["worker"] in dead and self.release(keys=[key(self.run_id, "claims")], args=[site, claims[site]]):
                self._requeue(site, claim)

    def _requeue(self, site: str, claim: dict) -> None:
        attempt = claim["attempt"] + 1
        # From now on facts of the dead attempt are dropped; those already written go.
        self.attempts[site] = attempt
        with store.transaction(self.db):
            self.db.execute("DELETE FROM pages WHERE run_id = ? AND site_id = ?", [self.run_id, site])
        extra = {"run": self.run_id, "stage": "ingest"}
        if attempt > MAX_ATTEMPTS:
            self.given_up.append(site)
            self.log.error("worker %s stopped answering while crawling %s, as %d did before: the site is given up tonight",
                           claim["worker"], site, MAX_ATTEMPTS - 1, extra=extra)
            return
        pipe = self.client.pipeline(transaction=True)
        pipe.srem(key(self.run_id, "dupefilter"), "site:" + site)
        pipe.lpush(key(self.run_id, "jobs"), dumps({**claim["job"], "attempt": attempt}))  # first in line
        pipe.execute()
        self.log.warning("worker %s stopped answering: site %s goes back to the queue (attempt %d of %d)",
                         claim["worker"], site, attempt, MAX_ATTEMPTS, extra=extra)


def _claim(raw: str) -> dict | None:
    """A claim as workers write it ({worker, attempt, job}); None for anything else found in Redis."""
    try:
        c = json.loads(raw)
    except ValueError:
        return None
    ok = isinstance(c, dict) and isinstance(c.get("worker"), str) and type(c.get("attempt")) is int and isinstance(c.get("job"), dict)
    return c if ok else None


def _fill_carried(fact: dict, stored: dict | None, carried: tuple[str, ...]) -> None:
    """A worker's 304 fact came with the previous page's kind, links and validators: the rest is in the store."""
    if stored is None:
        return
    fact.update({k: stored[k] for k in carried if k not in ("kind", "links")})
    fact["headers"] = {**(stored.get("headers") or {}), **(fact.get("headers") or {})}


def _finish(cfg: Config, db, db_path, client, run_id: int, as_of: date, chosen: list[str],
            problems: list[str]) -> CrawlResult:
    """TLS probe, verdicts, run finished; the run's Redis keys are cleared."""
    tls.probe_sites(str(db_path), run_id, as_of, cfg.alerts.tls_days, cfg.crawl.timeout_s)
    result = score_and_finish(db, cfg, run_id, as_of, chosen, checklist.load(cfg.checklist_path()), problems,
                              stage="ingest", distributed=True)
    _close_frontier(client, run_id)
    return result


def _store_failed(db, client, run_id: int, as_of: date, error: sqlite3.Error) -> CrawlResult:
    """The store failed mid-run (disk full, read-only): the run is failed, never scored, and its workers stop."""
    try:
        if db.conn.in_transaction:   # a failed COMMIT can leave its transaction open
            db.execute("ROLLBACK")
        store.finish_run(db, run_id, "failed", f"the store failed: {error}")
        problem = f"the store failed: {error}; run {run_id} is marked failed"
    except sqlite3.Error:
        # Still 'running' under this process's id: the next run takes it for abandoned (failed), never finished.
        problem = f"the store failed: {error}; run {run_id} could not be marked failed and stays unfinished"
    _close_frontier(client, run_id)
    logs.get().error(problem, extra={"run": run_id, "stage": "ingest"})
    return CrawlResult(run_id, as_of.isoformat(), [], [problem])


def _close_frontier(client, run_id: int) -> None:
    """Clear the run's Redis keys, leaving the stop marker: a late worker of this run exits at once."""
    pipe = client.pipeline(transaction=True)
    for part in RUN_PARTS[:-1]:   # all but "stop"
        pipe.delete(key(run_id, part))
    pipe.set(key(run_id, "stop"), "1", ex=3600)
    pipe.execute()
    raw = client.get(CURRENT_KEY)
    if raw and json.loads(raw).get("run_id") == run_id:
        client.delete(CURRENT_KEY)


def crawl(cfg: Config, db_path: str | Path, as_of: date, site_ids: list[str] | None = None,
          redis_url: str | None = None, workers: int = 0, progress: Callable[[dict], None] | None = None,
          idle_s: float = 5.0) -> CrawlResult:
    """`ronda crawl` with a frontier: enqueue, start `workers` local workers (0: remote ones only), ingest."""
    if cfg.path is None:
        raise JobError("the configuration must come from a file (the worker processes read it)")
    url = frontier_url(cfg, redis_url)
    with DbLock(db_path):
        run_id = enqueue(cfg, db_path, as_of, site_ids, url)
        local = _LocalWorkers([sys.executable, "-m", "ronda.coordinator", str(cfg.path), url, str(run_id), str(idle_s)],
                              workers, run_id)
        try:
            result = ingest(cfg, db_path, run_id, url, wait=True, progress=progress, tick=local.replace_dead)
        except BaseException:
            db = store.open_db(db_path)
            store.finish_run(db, run_id, "failed", "interrupted")
            db.conn.close()
            local.kill()
            raise
        result.problems += local.finish()
    return result


class _LocalWorkers:
    """The coordinator's own worker processes; one that dies while the run goes on is replaced."""

    def __init__(self, cmd: list[str], n: int, run_id: int) -> None:
        self.cmd, self.run_id = cmd, run_id
        self.replacements = 2 * n   # enough for bad luck, not a loop around a worker that always dies
        self.children = [self._start() for _ in range(n)]

    def _start(self) -> subprocess.Popen:
        return child.start(self.cmd, quiet=True)

    def replace_dead(self) -> None:
        """Start a new worker for each that failed; its sites come back to the queue through ingest."""
        for i, proc in enumerate(self.children):
            code = proc.poll()
            if code not in (None, 0) and self.replacements > 0:
                self.replacements -= 1
                logs.get().warning("a local worker exited with code %d: starting another", code,
                                   extra={"run": self.run_id, "stage": "crawl"})
                self.children[i] = self._start()

    def finish(self) -> list[str]:
        """Wait for the workers to leave (a minute at most); a problem for each that failed."""
        problems = []
        for proc in self.children:
            try:
                code = proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
            if code != 0:
                problems.append(f"a local worker exited with code {code}")
        return problems

    def kill(self) -> None:
        for proc in self.children:
            proc.kill()


def _safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


if __name__ == "__main__":  # a local worker of `crawl(workers=N)`: CONFIG URL RUN_ID IDLE_S
    r = worker(sys.argv[1], sys.argv[2], int(sys.argv[3]), wait_s=10, idle_s=float(sys.argv[4]))
    sys.exit(r.exit_code or (1 if r.problems else 0))
