"""Subprocess entry of one crawl: `python -m crawler.main --config C --db D --run-id N --as-of YYYY-MM-DD`.

A crawl runs in its own process because scrapy's reactor cannot restart within one process, and so
that a crash or kill of the crawl never takes the caller (scheduler, tests, demo) down with it.
Progress goes to stdout as JSON lines; facts go straight into the store as they arrive.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date

from scrapy.crawler import CrawlerProcess

from base import config as ronda_config
from base import logs
from crawler import settings as crawl_settings
from crawler import tls
from crawler.protocol import OK, STORE_FAILED, log_quiet
from crawler.spider import OPDSpider


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="crawler.main")
    ap.add_argument("--config", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--run-id", type=int, required=True)
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--site", action="append", default=[])
    ap.add_argument("--progress", action="store_true")
    ap.add_argument("--signals", default=None, help="comma-separated signals to run (default: all)")
    args = ap.parse_args(argv)

    cfg = ronda_config.load(args.config)
    logs.setup(cfg.log.level, cfg.log.file, quiet=log_quiet())   # the crawl's own lines (crawler/retry.py)
    chosen = [s for s in cfg.enabled_sites if not args.site or s.id in args.site]
    settings = crawl_settings.build(cfg.crawl, cfg.organization)
    checklist = cfg.checklist_path()
    settings.update({
        "RONDA_DB": args.db,
        "RONDA_RUN_ID": args.run_id,
        "RONDA_AS_OF": args.as_of,
        "RONDA_TIMEZONE": cfg.timezone,
        "RONDA_CHECKLIST": str(checklist) if checklist else None,
        "RONDA_PROGRESS": args.progress,
    })
    if args.signals is not None:
        settings["RONDA_SIGNALS"] = [x for x in args.signals.split(",") if x]
    sites = [{"id": s.id, "url": s.url, "max_pages": cfg.crawl.max_pages, "max_depth": cfg.crawl.max_depth,
              "max_documents": cfg.crawl.max_documents} for s in chosen]
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(OPDSpider)
    process.crawl(crawler, sites=sites, obey_robots=cfg.crawl.obey_robots, resolve=cfg.resolve)
    process.start()
    if crawler.stats.get_value("ronda/store_failed"):
        return STORE_FAILED  # already said on stderr; the caller marks the run failed
    tls.probe_sites(args.db, args.run_id, date.fromisoformat(args.as_of), cfg.alerts.tls_days, cfg.crawl.timeout_s,
                    resolve=crawler.spider.guard.mapped)
    return OK


if __name__ == "__main__":
    sys.exit(main())
