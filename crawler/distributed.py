"""Distributed crawl worker: `python -m crawler.distributed --config C --redis URL --run-id N --as-of YYYY-MM-DD`.

The unit of distribution is the *site*, not the request: politeness is per site (one download slot,
its delay and concurrency), and a site whose requests were spread over N workers would get N times
its configured rate. So the shared Redis frontier is a queue of site jobs; a worker pops jobs while it
has room (scrapy-redis `RedisMixin` pop of start data), and every request of a site stays in the worker
that took it. Facts and per-site summaries go to Redis lists; `ronda ingest` writes them to SQLite.

A worker can die (kill -9, OOM, a lost machine): each site it takes is claimed in a Redis hash under
its id, and it renews a heartbeat key while its reactor runs. Ingest hands the claims of a worker whose
heartbeat lapsed back to the queue with the next attempt number; facts of an older attempt are dropped.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from datetime import date
from typing import Callable

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import DontCloseSpider
from scrapy_redis import connection
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.spiders import RedisMixin

from crawler import settings as crawl_settings
from crawler.pipelines import enabled_signals, signals_fingerprint
from crawler.protocol import KEY_VERSION, RELEASE_CLAIM, alive_key, dumps, key, log_quiet, say, unpack_previous
from crawler.spider import OPDSpider

FLUSH_EVERY = 50     # facts buffered before one pipelined push to Redis...
FLUSH_AFTER_S = 1.0  # ...or this long after the last push, so ingest follows a slow crawl closely

class SiteDupeFilter(RFPDupeFilter):
    """scrapy-redis's Redis dupefilter keyed by site id: a site is crawled once per run, even if enqueued twice."""

    def request_fingerprint(self, request) -> str:
        return "site:" + request.meta["site"]


class JobPrevious:
    """PreviousFacts for a worker, which has no store: the validators and links that came with each site job."""

    def __init__(self) -> None:
        self.by_site: dict[str, dict[str, dict]] = {}
        self.by_id: dict[int, dict] = {}

    def add(self, site_id: str, packed) -> None:
        self.by_site[site_id] = unpack_previous(packed) if packed else {}
        self.by_id.update((v["id"], v) for v in self.by_site[site_id].values())

    def drop(self, site_id: str) -> None:
        """Forget a finished site (a worker may serve thousands in a night)."""
        for v in self.by_site.pop(site_id, {}).values():
            self.by_id.pop(v["id"], None)

    def validators(self, site_id: str) -> dict[str, dict]:
        return self.by_site.get(site_id, {})

    def carried(self, page_id: int) -> dict | None:
        """What a 304 needs to go on (kind, links, validators); ingest adds the stored signals (`carried_from`)."""
        v = self.by_id.get(page_id)
        if v is None:
            return None
        headers = {h: v[k] for h, k in (("etag", "etag"), ("last-modified", "last_modified")) if v[k]}
        return {"kind": v["kind"], "links": v["links"], "headers": headers, "carried_from": page_id}


class DistributedSpider(RedisMixin, OPDSpider):
    """OPDSpider fed by a Redis queue of site jobs; pulls a new site each time one finishes."""

    name = "opd-distributed"

    def __init__(self, run_id: int, max_sites: int, idle_s: float, known_sites: dict[str, str],
                 worker_id: str, worker_timeout_s: float, **kw):
        # OPDSpider calls `on_site_done(summary)` when a site ends; here that is always `site_done`, which
        # also takes the next site job. The summary itself goes on to `summary_sink` (RedisFactsPipeline).
        super().__init__(sites=[], on_site_done=self.site_done, **kw)
        self.summary_sink: Callable[[dict], None] | None = None
        self.run_id = run_id
        self.worker_id = worker_id
        self.worker_timeout_s = worker_timeout_s
        self.claims: dict[str, str] = {}    # site id -> the claim this worker wrote (released when done)
        self.attempts: dict[str, int] = {}  # site id -> which attempt at the site this is
        self._heartbeat = None
        self.previous = JobPrevious()
        self.fingerprint: str | None = None   # what this worker extracts with (set in from_crawler)
        # Only sites of this worker's own config are crawled: whoever can write to Redis must not be
        # able to point the crawler (and its SSRF guard's allow list) at an address of their choice.
        self.known_sites = known_sites
        self.max_sites = max(1, max_sites)
        self.idle_s = idle_s
        self.active = 0          # sites taken and not yet finished
        self.taken = 0
        self.idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.redis_key = key(spider.run_id, "jobs")
        spider.setup_redis(crawler)
        spider.dupefilter = SiteDupeFilter(spider.server, key(spider.run_id, "dupefilter"))
        spider.release = spider.server.register_script(RELEASE_CLAIM)
        spider.fingerprint = signals_fingerprint(crawler.settings.get("RONDA_CHECKLIST"), enabled_signals(crawler.settings))
        return spider

    def beat(self) -> None:
        """Say this worker is alive, for `worker_timeout_s`; renewed three times within it."""
        self.server.set(alive_key(self.run_id, self.worker_id), "1", px=int(self.worker_timeout_s * 1000))

    def closed(self, reason: str) -> None:
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()
        self.server.delete(alive_key(self.run_id, self.worker_id))

    def site_done(self, summary: dict) -> None:
        """A site's crawl ended: pass its summary to the sink, then take the next site job so the worker stays full."""
        self.active -= 1
        self.previous.drop(summary["site_id"])
        if self.summary_sink is not None:
            self.summary_sink(summary)
        for req in self.take(self.max_sites - self.active):
            self.crawler.engine.crawl(req)

    async def start(self):
        from twisted.internet import task

        total = self.settings.getfloat("CLOSESPIDER_TIMEOUT", 0)
        if total > 0:
            self.crawl_end = time.monotonic() + total
        # On the reactor, not a thread: a worker whose reactor is stuck is as good as dead.
        self._heartbeat = task.LoopingCall(self.beat)
        self._heartbeat.start(self.worker_timeout_s / 3, now=True)
        for req in self.take(self.max_sites):
            yield req

    def stopped(self) -> bool:
        """Has the coordinator asked the workers to stop (every site is in, or it gave up)?"""
        return bool(self.server.exists(key(self.run_id, "stop")))

    def take(self, n: int) -> list[scrapy.Request]:
        """Pop up to n site jobs and return their first requests (fewer when jobs are duplicates)."""
        out: list[scrapy.Request] = []
        while n > 0 and not self.stopped():
            datas = self.fetch_data(self.redis_key, n)
            if not datas:
                break
            for data in datas:
                req = self.make_request_from_data(data)
                if req is not None:
                    out.append(req)
                    n -= 1
        return out

    def make_request_from_data(self, data: bytes) -> scrapy.Request | None:
        """A site job ({v, run_id, site: {id, url, max_pages, max_depth, max_documents}}) -> its first request."""
        try:
            job = json.loads(data)
        except ValueError:
            job = None
        site = job.get("site") if isinstance(job, dict) else None
        attempt = job.get("attempt", 1) if isinstance(job, dict) else None
        if (not isinstance(site, dict) or job.get("v") != KEY_VERSION or job.get("run_id") != self.run_id
                or type(attempt) is not int):
            self.logger.warning("ignoring a job that is not of run %s: %.200r", self.run_id, data)
            return None
        if self.known_sites.get(site.get("id")) != site.get("url"):
            self.logger.warning("ignoring a job for a site not in this worker's configuration: %.200r", data)
            return None
        probe = scrapy.Request(site["url"], meta={"site": site["id"]})
        if self.dupefilter.request_seen(probe) or site["id"] in self.sites:
            return None
        st = self.add_site(site)
        # Facts carried by a 304 were extracted by the coordinator's version and checklist: only if ours are the same.
        self.previous.add(st.id, job.get("previous") if job.get("signals") == self.fingerprint else None)
        req = self.begin(st)
        if req is None:
            return None
        self.active += 1
        self.taken += 1
        self.attempts[st.id] = attempt
        self.claims[st.id] = dumps({"worker": self.worker_id, "attempt": attempt, "job": job})
        self.server.hset(key(self.run_id, "claims"), st.id, self.claims[st.id])
        return req

    def others_hold_sites(self) -> bool:
        """Do other workers hold sites they have not finished? If one of them dies, its sites come back."""
        return bool(self.server.hlen(key(self.run_id, "claims")))

    def spider_idle(self):
        """Idle: take more jobs; close after `idle_s` without any, or at once when told to stop."""
        reqs = self.take(self.max_sites - self.active)
        for req in reqs:
            self.crawler.engine.crawl(req)
        if reqs:
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        self.idle_since = self.idle_since or now   # idle from the first idle call without jobs
        idle = now - self.idle_since
        if self.stopped() or (idle >= self.idle_s and (
                # Stay while another worker holds sites: should it die, ingest requeues them within
                # worker_timeout_s, and someone must be there to take them.
                idle >= self.idle_s + 2 * self.worker_timeout_s or not self.others_hold_sites())):
            return
        raise DontCloseSpider


class RedisFactsPipeline:
    """Pushes each fact (after the signals ran) and each site summary to the run's Redis lists."""

    def __init__(self, crawler, server, run_id: int, progress: bool):
        self.crawler = crawler
        self.server = server
        self.run_id = run_id
        self.progress = progress
        self.buffer: list[str] = []
        self.flushed_at = time.monotonic()
        self.facts = 0
        self.sites = 0

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(crawler, connection.from_settings(s), s.getint("RONDA_RUN_ID"), s.getbool("RONDA_PROGRESS"))

    def open_spider(self, spider=None):
        self.spider = self.crawler.spider
        self.worker_id = self.spider.worker_id
        self.spider.summary_sink = self.push_site
        if self.progress:
            self.spider.on_site_start = lambda site_id: say({"event": "site_start", "site": site_id})
        # Ingest waits for the workers that said they are here: their last facts come at close.
        self.server.sadd(key(self.run_id, "active"), self.worker_id)
        self.server.expire(key(self.run_id, "active"), 7 * 24 * 3600)

    def process_item(self, item, spider=None):
        # The attempt tells ingest which facts to keep if the site was handed to another worker meanwhile.
        self.buffer.append(dumps({**item, "attempt": self.spider.attempts.get(item["site_id"], 1)}))
        self.facts += 1
        if len(self.buffer) >= FLUSH_EVERY or time.monotonic() - self.flushed_at >= FLUSH_AFTER_S:
            self.flush()
        return item

    def flush(self, summaries: list[dict] = ()) -> None:
        """One round trip: the buffered facts, then summaries (so a site's facts precede its summary), claims released."""
        pipe = self.server.pipeline(transaction=False)
        if self.buffer:
            pipe.rpush(key(self.run_id, "facts"), *self.buffer)
        if summaries:
            attempts = self.spider.attempts
            pipe.rpush(key(self.run_id, "sites"), *[dumps({**s, "worker": self.worker_id,
                                                           "attempt": attempts.get(s["site_id"], 1)}) for s in summaries])
            for s in summaries:
                claim = self.spider.claims.pop(s["site_id"], None)
                if claim is not None:
                    self.spider.release(keys=[key(self.run_id, "claims")], args=[s["site_id"], claim], client=pipe)
        pipe.execute()
        self.buffer = []
        self.flushed_at = time.monotonic()

    def push_site(self, summary: dict) -> None:
        self.flush([summary])
        self.sites += 1
        if self.progress:
            say({"event": "site", "site": summary["site_id"], "state": summary["state"],
                 "reason": summary["reason"], "pages": summary["pages"], "done": self.sites})

    def close_spider(self, spider=None):
        # Sites cut short (time budget, shutdown) still get their record, marked truncated.
        cut = []
        for st in self.spider.sites.values():
            if not st.finished:
                cut.append(self.spider.site_summary(st))  # before `finished`: it says the site was cut short
                st.finished = True
        self.flush(cut)
        self.sites += len(cut)
        self.server.srem(key(self.run_id, "active"), self.worker_id)
        say({"event": "worker_done", "worker": self.worker_id, "sites": self.sites, "facts": self.facts})


def build_settings(cfg, redis_url: str, run_id: int, as_of: str, progress: bool) -> dict:
    """The crawl's settings with facts going to Redis instead of SQLite."""
    settings = crawl_settings.build(cfg.crawl, cfg.organization)
    checklist = cfg.checklist_path()
    settings.update({
        "REDIS_URL": redis_url,
        "RONDA_RUN_ID": run_id,
        "RONDA_AS_OF": as_of,
        "RONDA_TIMEZONE": cfg.timezone,
        "RONDA_CHECKLIST": str(checklist) if checklist else None,
        "RONDA_PROGRESS": progress,
        "ITEM_PIPELINES": {
            "crawler.pipelines.SignalsPipeline": 100,   # extraction runs on the workers: the point of scaling out
            "crawler.distributed.RedisFactsPipeline": 800,
        },
    })
    return settings


def main(argv: list[str] | None = None) -> int:
    from base import config as ronda_config
    from base import logs

    ap = argparse.ArgumentParser(prog="crawler.distributed")
    ap.add_argument("--config", required=True)
    ap.add_argument("--redis", required=True)
    ap.add_argument("--run-id", type=int, required=True)
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--idle", type=float, default=5.0, help="seconds without jobs before the worker exits")
    ap.add_argument("--max-sites", type=int, default=0, help="sites crawled at once (default: concurrency / per-site)")
    ap.add_argument("--worker-id", default=None)
    ap.add_argument("--progress", action="store_true")
    args = ap.parse_args(argv)

    cfg = ronda_config.load(args.config)
    logs.setup(cfg.log.level, cfg.log.file, quiet=log_quiet())   # the crawl's own lines (crawler/retry.py)
    date.fromisoformat(args.as_of)  # a bad date fails here, before any job is taken
    settings = build_settings(cfg, args.redis, args.run_id, args.as_of, args.progress)
    max_sites = args.max_sites or max(1, cfg.crawl.concurrency // cfg.crawl.per_site_concurrency)
    process = CrawlerProcess(settings)
    process.crawl(DistributedSpider, run_id=args.run_id, max_sites=max_sites, idle_s=args.idle,
                  known_sites={s.id: s.url for s in cfg.enabled_sites}, obey_robots=cfg.crawl.obey_robots,
                  worker_id=args.worker_id or f"{socket.gethostname()}:{os.getpid()}",
                  worker_timeout_s=cfg.crawl.worker_timeout_s, resolve=cfg.resolve)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
