"""A bare scrapy spider that only follows same-host links: the CPU baseline ronda's crawl is compared with.

No signals, no store, no robots, no feeds: each site's home page, then every same-host `<a href>`, up to
the same page and depth budgets ronda uses. Prints one JSON line: pages fetched, bytes, wall seconds.

    .venv/bin/python benchmarks/bare_spider.py --sites sites.json --max-pages 200 --max-depth 4 --concurrency 64
(sites.json: a JSON list of home URLs)
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import TextResponse


class BareSpider(scrapy.Spider):
    """Home pages, then same-host links, within per-site page and depth budgets."""

    name = "bare"

    def __init__(self, urls: list[str], max_pages: int, max_depth: int, **kw):
        super().__init__(**kw)
        self.urls = urls
        self.max_pages = max_pages
        self.max_depth = max_depth
        self.seen: dict[str, set[str]] = {}
        self.pages = 0
        self.bytes = 0

    async def start(self):
        for url in self.urls:
            host = urlsplit(url).netloc
            self.seen[host] = {url}
            yield scrapy.Request(url, meta={"depth": 0, "download_slot": host}, dont_filter=True)

    def parse(self, response):
        self.pages += 1
        self.bytes += len(response.body)
        depth = response.meta["depth"]
        if depth >= self.max_depth or not isinstance(response, TextResponse):
            return
        host = urlsplit(response.url).netloc
        seen = self.seen.setdefault(host, set())
        for href in response.xpath("//a/@href").getall():
            url = urljoin(response.url, href.strip()).partition("#")[0]
            if len(seen) >= self.max_pages:
                return
            if url in seen or urlsplit(url).netloc != host or not url.startswith("http"):
                continue
            seen.add(url)
            yield scrapy.Request(url, meta={"depth": depth + 1, "download_slot": host}, dont_filter=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", required=True)
    ap.add_argument("--max-pages", type=int, default=200)
    ap.add_argument("--max-depth", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--per-site", type=int, default=8)
    a = ap.parse_args(argv)
    with open(a.sites, encoding="utf-8") as f:
        urls = json.load(f)
    process = CrawlerProcess({
        "LOG_LEVEL": "ERROR", "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS": a.concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": a.per_site,
        "DOWNLOAD_DELAY": 0, "RETRY_ENABLED": False, "DOWNLOAD_TIMEOUT": 10, "DEPTH_LIMIT": 0,
        "HTTPERROR_ALLOW_ALL": True, "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
    })
    crawler = process.create_crawler(BareSpider)
    t = time.perf_counter()
    process.crawl(crawler, urls=urls, max_pages=a.max_pages, max_depth=a.max_depth)
    process.start()
    spider = crawler.spider
    print(json.dumps({"pages": spider.pages, "bytes": spider.bytes, "wall_s": time.perf_counter() - t}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
