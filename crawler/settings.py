"""The crawl's scrapy settings: polite defaults, every value derived from the typed `crawl:` config.

Why each choice:
- one download slot per *site* (``meta['download_slot']`` = site id, set by the spider), so sites sharing
  a host or 127.0.0.1 each keep their own delay and concurrency;
- robots.txt is read and obeyed by the spider itself (per site, through its own slot) instead of
  scrapy's RobotsTxtMiddleware, whose robots requests share one slot per host name;
- cookies are off: ronda never logs in, and scrapy's cookie code would make tldextract try the network;
- the spider does its own per-site de-duplication, depth and budget, so scrapy's are switched off.
"""
from __future__ import annotations

from ronda import __version__
from ronda.config import Crawl

DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".zip", ".rar", ".csv")


def user_agent(crawl: Crawl, organization: str) -> str:
    """An honest User-Agent naming the tool, the operator and a contact address."""
    if crawl.user_agent:
        return crawl.user_agent
    contact = f"; +{crawl.contact}" if crawl.contact else ""
    return f"ronda/{__version__} (website monitor of {organization}{contact})"


def build(crawl: Crawl, organization: str) -> dict:
    """Scrapy settings for one crawl."""
    polite = crawl.delay_s > 0
    return {
        "BOT_NAME": "ronda",
        "USER_AGENT": user_agent(crawl, organization),
        "ROBOTSTXT_OBEY": False,  # obeyed per site by the spider (see module docstring)
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.per_site_concurrency,  # per slot = per site
        "CONCURRENT_REQUESTS_PER_IP": 0,
        "DOWNLOAD_DELAY": crawl.delay_s,
        "DOWNLOAD_DELAY_JITTER": 0.5 if polite else 0,
        "AUTOTHROTTLE_ENABLED": polite and crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.delay_s, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": max(30.0, crawl.delay_s),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": crawl.timeout_s,
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "DOWNLOAD_MAXSIZE": crawl.max_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": 10,
        "DEPTH_LIMIT": 0,
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",  # the spider de-duplicates per site
        "CLOSESPIDER_TIMEOUT": int(crawl.max_minutes * 60),
        "LOG_INSTALL_ROOT_HANDLER": True,
        "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.depth.DepthMiddleware": None},
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
        },
        "ITEM_PIPELINES": {
            "crawler.pipelines.SignalsPipeline": 100,
            "crawler.pipelines.StorePipeline": 800,
        },
        "HTTPCACHE_ENABLED": False,
    }
