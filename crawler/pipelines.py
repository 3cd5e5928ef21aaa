"""Item pipelines: per-page signals (pure functions of crawler.signals), then the store."""
from __future__ import annotations

import importlib
import json
import sys
from datetime import date, datetime

from scrapy.exceptions import NotConfigured

from crawler.signals import Context
from ronda import store

# Which signals run on which kind of resource.
SIGNALS_BY_KIND = {
    "html": ("dates", "checklist", "spam", "hygiene"),
    "feed": ("dates",),
    "wp-api": ("dates",),
    "sitemap": ("dates",),
}
ALL_SIGNALS = ("dates", "checklist", "spam", "hygiene")


class SignalsPipeline:
    """Runs the per-page signal extractors on each fetched text resource, then drops the body."""

    def __init__(self, crawler, ctx: Context, enabled: tuple[str, ...]):
        self.crawler = crawler
        self.ctx = ctx
        self.modules = {name: importlib.import_module(f"crawler.signals.{name}") for name in enabled}

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        as_of = s.get("RONDA_AS_OF")
        if not as_of:
            raise NotConfigured("RONDA_AS_OF is not set")
        checklist = ()
        if "checklist" in s.getlist("RONDA_SIGNALS", list(ALL_SIGNALS)):
            from crawler.signals import checklist as ck

            checklist = ck.load(s.get("RONDA_CHECKLIST") or None)
        ctx = Context(as_of=date.fromisoformat(as_of), timezone=s.get("RONDA_TIMEZONE", "Asia/Jakarta"),
                      checklist=tuple(checklist))
        return cls(crawler, ctx, tuple(s.getlist("RONDA_SIGNALS", list(ALL_SIGNALS))))

    def process_item(self, item, spider=None):
        body = item.pop("body", None)
        if body is None:
            return item
        ctx = self.ctx
        fetched = item.get("fetched_at")
        site = self.crawler.spider.sites.get(item["site_id"])
        ctx = Context(as_of=ctx.as_of, timezone=ctx.timezone, checklist=ctx.checklist,
                      site_url=site.url if site else None,
                      fetched_at=datetime.fromisoformat(fetched) if fetched else None)
        url = item["final_url"]
        headers = item.get("headers") or {}
        for name in SIGNALS_BY_KIND.get(item["kind"], ()):
            mod = self.modules.get(name)
            if mod is not None:
                item[name] = mod.extract(url, body, headers, ctx).to_json()
        normal = item.pop("normal_body", None)
        if item["kind"] == "home-bot" and normal is not None and "spam" in self.modules:
            item["cloaking"] = self.modules["spam"].compare_cloaking(url, normal, body, ctx)
        return item


class StorePipeline:
    """Writes each resource's facts, and each site's summary when its crawl ends, into SQLite."""

    def __init__(self, crawler, db_path: str, run_id: int, progress: bool):
        self.crawler = crawler
        self.db_path = db_path
        self.run_id = run_id
        self.progress = progress
        self.db = None
        self.done = 0
        self.total = 0

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.get("RONDA_DB") or not s.getint("RONDA_RUN_ID"):
            raise NotConfigured("RONDA_DB and RONDA_RUN_ID are needed to store facts")
        return cls(crawler, s.get("RONDA_DB"), s.getint("RONDA_RUN_ID"), s.getbool("RONDA_PROGRESS"))

    def open_spider(self, spider=None):
        self.db = store.open_db(self.db_path)
        self.spider = self.crawler.spider
        self.total = len(self.spider.sites)
        self.spider.on_site_done = self.write_site

    def process_item(self, item, spider=None):
        row = {k: item.get(k) for k in ("site_id", "url", "final_url", "kind", "depth", "status", "error",
                                         "elapsed_ms", "bytes", "content_type", "content_hash", "title", "fetched_at")}
        row["run_id"] = self.run_id
        for k in ("headers", "dates", "checklist", "spam", "hygiene", "cloaking"):
            row[k] = store.dumps(item.get(k))
        if item.get("detail"):
            row["error"] = f"{item['error']}: {item['detail']}"
        self.db["pages"].insert(row)
        return item

    def write_site(self, summary: dict) -> None:
        self.db["site_runs"].upsert({**summary, "run_id": self.run_id}, pk=("run_id", "site_id"))
        self.done += 1
        if self.progress:
            line = {"event": "site", "site": summary["site_id"], "state": summary["state"],
                    "reason": summary["reason"], "pages": summary["pages"], "done": self.done, "total": self.total}
            sys.stdout.write(json.dumps(line) + "\n")
            sys.stdout.flush()

    def close_spider(self, spider=None):
        # Sites cut short (time budget, shutdown) still get their record, marked truncated.
        for st in self.spider.sites.values():
            if not st.finished:
                summary = self.spider.site_summary(st)  # before `finished`: it says the site was cut short
                st.finished = True
                self.write_site(summary)
        self.db.conn.close()
