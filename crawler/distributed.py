"""Distributed crawl worker: `python -m crawler.distributed --config C --redis URL --run-id N --as-of YYYY-MM-DD`.

The unit of distribution is the *site*, not the request: politeness is per site (one download slot,
its delay and concurrency), and a site whose requests were spread over N workers would get N times
its configured rate. So the shared Redis frontier is a queue of site jobs; a worker pops jobs while it
has room (scrapy-redis `RedisMixin` pop of start data), and every request of a site stays in the worker
that took it. Facts and per-site summaries go to Redis lists; `ronda ingest` writes them to SQLite.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from datetime import date

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import DontCloseSpider
from scrapy_redis import connection
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.spiders import RedisMixin

from crawler import settings as crawl_settings
from crawler.spider import OPDSpider
from ronda.distributed import KEY_VERSION, dumps, key

FLUSH_EVERY = 50     # facts buffered before one pipelined push to Redis

class SiteDupeFilter(RFPDupeFilter):
    """scrapy-redis's Redis dupefilter keyed by site id: a site is crawled once per run, even if enqueued twice."""

    def request_fingerprint(self, request) -> str:
        return "site:" + request.meta["site"]


class DistributedSpider(RedisMixin, OPDSpider):
    """OPDSpider fed by a Redis queue of site jobs; pulls a new site each time one finishes."""

    name = "opd-distributed"

    def __init__(self, run_id: int, max_sites: int, idle_s: float, known_sites: dict[str, str], **kw):
        self._summary_sink = None
        super().__init__(sites=[], **kw)
        self.run_id = run_id
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
        return spider

    # The spider calls `on_site_done(summary)` when a site ends: route it to the sink (the Redis
    # pipeline), then take the next site job so the worker stays full.
    @property
    def on_site_done(self):
        return self._site_done

    @on_site_done.setter
    def on_site_done(self, sink) -> None:
        self._summary_sink = sink

    def _site_done(self, summary: dict) -> None:
        self.active -= 1
        if self._summary_sink is not None:
            self._summary_sink(summary)
        for req in self.take(self.max_sites - self.active):
            self.crawler.engine.crawl(req)

    async def start(self):
        total = self.settings.getfloat("CLOSESPIDER_TIMEOUT", 0)
        if total > 0:
            self.crawl_end = time.monotonic() + total
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
        if not isinstance(site, dict) or job.get("v") != KEY_VERSION or job.get("run_id") != self.run_id:
            self.logger.warning("ignoring a job that is not of run %s: %.200r", self.run_id, data)
            return None
        if self.known_sites.get(site.get("id")) != site.get("url"):
            self.logger.warning("ignoring a job for a site not in this worker's configuration: %.200r", data)
            return None
        probe = scrapy.Request(site["url"], meta={"site": site["id"]})
        if self.dupefilter.request_seen(probe) or site["id"] in self.sites:
            return None
        st = self.add_site(site)
        req = self.begin(st)
        if req is None:
            return None
        self.active += 1
        self.taken += 1
        return req

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
        if self.stopped() or now - self.idle_since >= self.idle_s:
            return
        raise DontCloseSpider


class RedisFactsPipeline:
    """Pushes each fact (after the signals ran) and each site summary to the run's Redis lists."""

    def __init__(self, crawler, server, run_id: int, worker_id: str, progress: bool):
        self.crawler = crawler
        self.server = server
        self.run_id = run_id
        self.worker_id = worker_id
        self.progress = progress
        self.buffer: list[str] = []
        self.facts = 0
        self.sites = 0

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        worker_id = s.get("RONDA_WORKER_ID") or f"{socket.gethostname()}:{os.getpid()}"
        return cls(crawler, connection.from_settings(s), s.getint("RONDA_RUN_ID"), worker_id,
                   s.getbool("RONDA_PROGRESS"))

    def open_spider(self, spider=None):
        self.spider = self.crawler.spider
        self.spider.on_site_done = self.push_site
        # Ingest waits for the workers that said they are here: their last facts come at close.
        self.server.sadd(key(self.run_id, "active"), self.worker_id)
        self.server.expire(key(self.run_id, "active"), 7 * 24 * 3600)

    def process_item(self, item, spider=None):
        self.buffer.append(dumps(item))
        self.facts += 1
        if len(self.buffer) >= FLUSH_EVERY:
            self.flush()
        return item

    def flush(self, summaries: list[dict] = ()) -> None:
        """One round trip: the buffered facts, then summaries (so a site's facts precede its summary)."""
        pipe = self.server.pipeline(transaction=False)
        if self.buffer:
            pipe.rpush(key(self.run_id, "facts"), *self.buffer)
        if summaries:
            pipe.rpush(key(self.run_id, "sites"), *[dumps({**s, "worker": self.worker_id}) for s in summaries])
        pipe.execute()
        self.buffer = []

    def push_site(self, summary: dict) -> None:
        self.flush([summary])
        self.sites += 1
        if self.progress:
            self._say({"event": "site", "site": summary["site_id"], "state": summary["state"],
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
        self._say({"event": "worker_done", "worker": self.worker_id, "sites": self.sites, "facts": self.facts})

    def _say(self, line: dict) -> None:
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()


def build_settings(cfg, redis_url: str, run_id: int, as_of: str, progress: bool, worker_id: str | None) -> dict:
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
        "RONDA_WORKER_ID": worker_id,
        "ITEM_PIPELINES": {
            "crawler.pipelines.SignalsPipeline": 100,   # extraction runs on the workers: the point of scaling out
            "crawler.distributed.RedisFactsPipeline": 800,
        },
    })
    return settings


def main(argv: list[str] | None = None) -> int:
    from ronda import config as ronda_config

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
    date.fromisoformat(args.as_of)  # a bad date fails here, before any job is taken
    settings = build_settings(cfg, args.redis, args.run_id, args.as_of, args.progress, args.worker_id)
    max_sites = args.max_sites or max(1, cfg.crawl.concurrency // cfg.crawl.per_site_concurrency)
    process = CrawlerProcess(settings)
    process.crawl(DistributedSpider, run_id=args.run_id, max_sites=max_sites, idle_s=args.idle,
                  known_sites={s.id: s.url for s in cfg.enabled_sites}, obey_robots=cfg.crawl.obey_robots)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
