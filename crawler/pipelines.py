"""Item pipelines: per-page signals (pure functions of crawler.signals), then the store."""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path

from scrapy.exceptions import NotConfigured

from base import store
from base.safe import terminal
from crawler.protocol import say
from crawler.signals import Context
from crawler.signals.barrier import ALL_SIGNALS, Signals

logger = logging.getLogger(__name__)

# Which signals run on which kind of resource.
SIGNALS_BY_KIND = {
    "html": ("dates", "checklist", "spam", "hygiene"),
    "feed": ("dates",),
    "wp-api": ("dates",),
    "sitemap": ("dates",),
}
# Kinds fetched conditionally (If-None-Match / If-Modified-Since) when the previous run kept validators.
CONDITIONAL_KINDS = ("html", "feed", "wp-api", "sitemap")
# What a 304 carries over from the previous fetch of the same URL (its signals' errors too: unknown stays unknown).
CARRIED = ("kind", "content_type", "content_hash", "title", "links", "dates", "checklist", "spam", "hygiene", "errors")


_ROOT = Path(__file__).resolve().parent.parent


def _extraction_files() -> list[Path]:
    """The code and data a page's stored facts depend on: the crawler, and what it reads from the ground floor."""
    crawler, base = _ROOT / "crawler", _ROOT / "base"
    return sorted([*crawler.rglob("*.py"), *crawler.rglob("*.yaml"), base / "checklist.py", base / "safe.py",
                   *(base / "data").glob("*.yaml")])


def signals_fingerprint(checklist: str | None, signals: tuple[str, ...] = ALL_SIGNALS) -> str:
    """A hash of what the stored facts of a page depend on besides the page: the crawler's code and data,
    the checklist, the signals run. Facts carried over by a 304 must have been extracted with the same."""
    h = hashlib.sha1()
    for p in _extraction_files():
        h.update(p.relative_to(_ROOT).as_posix().encode() + b"\0" + p.read_bytes())
    h.update(Path(checklist).read_bytes() if checklist else b"packaged checklist")
    h.update(",".join(sorted(signals)).encode())
    return h.hexdigest()[:16]


def enabled_signals(settings) -> tuple[str, ...]:
    """The signals this crawl runs (RONDA_SIGNALS, default all)."""
    return tuple(settings.getlist("RONDA_SIGNALS", list(ALL_SIGNALS)))


class PreviousFacts:
    """The newest finished run's validators and facts per site, for conditional requests and 304s.

    Only runs whose signals were extracted like this run's (`fingerprint`) qualify.
    """

    def __init__(self, db, run_id: int, as_of: str, fingerprint: str | None = None):
        self.db = db
        self.run_id = run_id
        self.as_of = as_of
        self.fingerprint = fingerprint

    @staticmethod
    def mark(db, run_id: int, fingerprint: str) -> None:
        """Record what this run's signals are extracted with."""
        with store.transaction(db):
            db["runs"].update(run_id, {"signals": fingerprint})

    def validators(self, site_id: str, with_links: bool = False) -> dict[str, dict]:
        """url -> {etag, last_modified, id} (and kind, links) of the site's newest finished run in which it was up."""
        row = next(self.db.query(
            """SELECT sr.run_id, r.signals FROM site_runs sr JOIN runs r ON r.id = sr.run_id
               WHERE sr.site_id = ? AND sr.state = 'up' AND r.state = 'finished' AND r.as_of <= ? AND r.id != ?
               ORDER BY r.as_of DESC, r.id DESC LIMIT 1""", [site_id, self.as_of, self.run_id]), None)
        if row is None or row["signals"] != self.fingerprint:
            return {}   # nothing to compare with, or its facts were extracted otherwise: read afresh
        out = {}
        marks = ",".join("?" * len(CONDITIONAL_KINDS))
        # Only plain 200s (or facts carried from one) with their links kept; a redirected URL is asked afresh.
        for r in self.db.execute(
                f"""SELECT id, url, headers, kind, links FROM pages WHERE run_id = ? AND site_id = ? AND status = 200
                    AND links IS NOT NULL AND url = final_url AND kind IN ({marks})""",
                [row["run_id"], site_id, *CONDITIONAL_KINDS]).fetchall():
            h = json.loads(r[2]) if r[2] else {}
            etag, lm = h.get("etag"), h.get("last-modified")
            if etag or lm:
                out[r[1]] = {"etag": etag, "last_modified": lm, "id": r[0]}
                if with_links:
                    out[r[1]].update(kind=r[3], links=json.loads(r[4]))
        return out

    def carried(self, page_id: int) -> dict | None:
        """The facts of a previously stored page (JSON columns decoded), to stand in for a 304's body."""
        cols = ", ".join(CARRIED + ("headers",))
        r = next(self.db.query(f"SELECT {cols} FROM pages WHERE id = ?", [page_id]), None)
        if r is None:
            return None
        for k in set(store.PAGE_JSON_COLUMNS) & set(r):
            r[k] = store.loads(r[k])
        return r


class SignalsPipeline:
    """Runs the per-page signal extractors, under the fault barrier, on each fetched text resource; drops the body."""

    def __init__(self, crawler, ctx: Context, enabled: tuple[str, ...]):
        self.crawler = crawler
        self.ctx = ctx
        self.signals = Signals(enabled)

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        as_of = s.get("RONDA_AS_OF")
        if not as_of:
            raise NotConfigured("RONDA_AS_OF is not set")
        checklist = ()
        if "checklist" in enabled_signals(s):
            from crawler.signals import checklist as ck

            checklist = ck.load(s.get("RONDA_CHECKLIST") or None)
        ctx = Context(as_of=date.fromisoformat(as_of), timezone=s.get("RONDA_TIMEZONE", "Asia/Jakarta"),
                      checklist=tuple(checklist))
        return cls(crawler, ctx, enabled_signals(s))

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
        results, errors = self.signals.extract(url, body, headers, ctx, SIGNALS_BY_KIND.get(item["kind"], ()))
        item.update(results)
        normal = item.pop("normal_body", None)
        if item["kind"] == "home-bot" and normal is not None:
            item["cloaking"] = self.signals.cloaking(url, normal, body, ctx, errors)
        if errors:
            item["errors"] = errors
            self._count(item, errors)
        return item

    def _count(self, item, errors: list[dict]) -> None:
        """A failed signal is counted in the crawl's stats and logged; the page and the crawl go on."""
        stats = self.crawler.stats
        for e in errors:
            stats.inc_value("ronda/signal_errors")
            stats.inc_value(f"ronda/signal_errors/{e['signal']}")
            logger.warning("site %s: signal %s failed on %s: %s", item["site_id"], e["signal"],
                           terminal(item["final_url"], 300), e["error"])


class StorePipeline:
    """Writes each resource's facts, and each site's summary when its crawl ends, into SQLite."""

    def __init__(self, crawler, db_path: str, run_id: int, progress: bool):
        self.crawler = crawler
        self.db_path = db_path
        self.run_id = run_id
        self.progress = progress
        self.db = None
        self.failure: str | None = None
        self.done = 0
        self.total = 0

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.get("RONDA_DB") or not s.getint("RONDA_RUN_ID"):
            raise NotConfigured("RONDA_DB and RONDA_RUN_ID are needed to store facts")
        return cls(crawler, s.get("RONDA_DB"), s.getint("RONDA_RUN_ID"), s.getbool("RONDA_PROGRESS"))

    @classmethod
    def without_crawl(cls, db, run_id: int) -> "StorePipeline":
        """The same writer on an open store outside any crawl (distributed ingest): a store failure is raised."""
        writer = cls(None, "", run_id, False)
        writer.db = db
        return writer

    def open_spider(self, spider=None):
        self.db = store.open_db(self.db_path)
        self.spider = self.crawler.spider
        self.total = len(self.spider.sites)
        self.spider.on_site_done = self.write_site
        if self.progress:
            self.spider.on_site_start = self.site_started
        s = self.crawler.settings
        fingerprint = signals_fingerprint(s.get("RONDA_CHECKLIST"), enabled_signals(s))
        self._write(lambda: PreviousFacts.mark(self.db, self.run_id, fingerprint))
        as_of = s.get("RONDA_AS_OF")
        if as_of and s.getbool("RONDA_INCREMENTAL", True):
            self.spider.previous = PreviousFacts(self.db, self.run_id, as_of, fingerprint)

    def process_item(self, item, spider=None):
        row = {k: item.get(k) for k in ("site_id", "url", "final_url", "kind", "depth", "status", "error",
                                         "elapsed_ms", "bytes", "content_type", "content_hash", "title", "fetched_at")}
        row["run_id"] = self.run_id
        for k in store.PAGE_JSON_COLUMNS:
            row[k] = store.dumps(item.get(k))
        row["not_modified"] = 1 if item.get("not_modified") else None
        if item.get("detail"):
            row["error"] = f"{item['error']}: {item['detail']}"
        self._write(lambda: self.db["pages"].insert(row))
        return item

    def _write(self, write) -> None:
        """One write; when the store fails (disk full, read-only) the crawl stops: a night must not go on unrecorded."""
        if self.failure:
            return
        try:
            write()
        except sqlite3.Error as e:
            if self.crawler is None:
                raise   # no crawl to stop: the caller (ingest) fails the run
            self.failure = f"the store failed: {e}"
            sys.stderr.write(f"Error: {self.failure}\n")
            self.crawler.stats.set_value("ronda/store_failed", self.failure)
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="store_failed"))

    def write_site(self, summary: dict) -> None:
        self._write(lambda: self.db["site_runs"].upsert({**summary, "run_id": self.run_id}, pk=("run_id", "site_id")))
        if self.failure:
            return
        self.done += 1
        if self.progress:
            say({"event": "site", "site": summary["site_id"], "state": summary["state"],
                 "reason": summary["reason"], "pages": summary["pages"], "done": self.done, "total": self.total})

    def site_started(self, site_id: str) -> None:
        say({"event": "site_start", "site": site_id, "total": self.total})

    def close_spider(self, spider=None):
        # Sites cut short (time budget, shutdown) still get their record, marked truncated.
        for st in self.spider.sites.values():
            if not st.finished and not self.failure:
                summary = self.spider.site_summary(st)  # before `finished`: it says the site was cut short
                st.finished = True
                self.write_site(summary)
        self.db.conn.close()
