"""The crawl's scrapy settings: polite defaults, every value derived from the typed `crawl:` config.

Why each choice:
- one download slot per *site* (``meta['download_slot']`` = site id, set by the spider), so sites sharing
  a host or 127.0.0.1 each keep their own delay and concurrency;
- robots.txt is read and obeyed by the spider itself (per site, through its own slot) instead of
  scrapy's RobotsTxtMiddleware, whose robots requests share one slot per host name;
- cookies are off: ronda never logs in, and scrapy's cookie code would make tldextract try the network;
- the spider does its own per-site de-duplication, depth and budget, so scrapy's are switched off;
- the SSRF guard (crawler/middlewares.py) is the reactor's name resolver plus a downloader middleware, and
  proxies are off, so the address checked is always the address connected to;
- the whole crawl stops before `max_minutes` leaves time for the TLS probe and scoring, and one site
  gets at most a share of it, so a slow or trapped site is cut short (and marked truncated) alone.
"""
from __future__ import annotations

from base import __version__
from base.config import Crawl

DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".zip", ".rar", ".csv")

# Never connected to, after DNS, unless it is a configured site's own (address, port) (docs/operations.md).
FORBIDDEN_NETWORKS = (
    "0.0.0.0/8", "127.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16",
    "169.254.0.0/16", "192.0.0.0/24", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
    "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "64:ff9b::/96",
)

# Crawler traps (endless calendars, session ids), since a night must end: session ids are stripped from URLs;
# numbered variants of one path (query values, or digits in the path) are capped per site; calendar-like URLs
# more tightly.
SESSION_PARAMS = ("phpsessid", "sid", "jsessionid", "sessionid", "session_id", "sess", "cfid", "cftoken",
                  "aspsessionid", "zenid", "oscsid", "ci_session")
CALENDAR_WORDS = ("agenda", "kalender", "calendar", "event", "kegiatan", "jadwal", "bulan", "month",
                  "tahun", "year", "tanggal", "date", "hari", "day", "minggu", "week", "tgl", "thn", "bln")
VARIANTS_PER_SHAPE = 0.25   # share of max_pages one URL shape (path + parameter names, digits as N) may take
MIN_VARIANTS_PER_SHAPE = 25
CALENDAR_VARIANTS = 12      # calendar-like URLs per site: a year of months is enough to see posts
MAX_URL_LENGTH = 2048
SITEMAPS_PER_SITE = 20      # sitemaps and sitemap indexes fetched per site in total
SITEMAP_SIGNAL_ENTRIES = 1000  # newest sitemap entries handed to the date signal
SITE_SHARE = 0.5            # of the crawl's time, the most one site may use before it is cut short
# Gambling doorways are often reachable only from the sitemap or robots.txt, not from any menu: a URL whose path
# names gambling (crawler/doorways.py), found in a sitemap, robots.txt or a page's links, is fetched first and
# even past max_pages, up to this many per site, so a hacked site is found whatever its size, and a sitemap of
# 50,000 injected URLs still costs only this many requests.
DOORWAY_RESERVE = 5


def user_agent(crawl: Crawl, organization: str) -> str:
    """An honest User-Agent naming the tool, the operator and a contact address."""
    if crawl.user_agent:
        return crawl.user_agent
    contact = f"; +{crawl.contact}" if crawl.contact else ""
    return f"ronda/{__version__} (website monitor of {organization}{contact})"


def build(crawl: Crawl, organization: str) -> dict:
    """Scrapy settings for one crawl."""
    polite = crawl.delay_s > 0
    crawl_s = crawl_seconds(crawl)
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
        # A response yields one fact plus requests; scrapy starts this many asyncio workers for every
        # response's output, and the default (100) cost more CPU than the signals themselves.
        "CONCURRENT_ITEMS": 4,
        "DOWNLOAD_DELAY": crawl.delay_s,
        # No jitter: scrapy draws a new random delay each time it re-checks a waiting slot, so +-50 % jitter
        # made the mean gap 1.21 x delay_s (measured), stretching every night; the configured delay is the gap.
        "DOWNLOAD_DELAY_JITTER": 0,
        "AUTOTHROTTLE_ENABLED": polite and crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.delay_s, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": max(30.0, crawl.delay_s),
        # Autothrottle aims at the configured per-site concurrency: with 1.0 it stretched a slow site's delay
        # to its whole latency, doubling its night while the site allowed two requests at a time.
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.per_site_concurrency),
        "DOWNLOAD_TIMEOUT": crawl.timeout_s,
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "RETRY_GIVE_UP_LOG_LEVEL": "DEBUG",   # said at INFO with the site's id instead (crawler/retry.py)
        "DOWNLOAD_MAXSIZE": crawl.max_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": 10,
        "DEPTH_LIMIT": 0,
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",  # the spider de-duplicates per site
        "CLOSESPIDER_TIMEOUT": crawl_s,
        "RONDA_SITE_BUDGET_S": crawl_s * SITE_SHARE,
        "RONDA_INCREMENTAL": crawl.incremental,
        "TWISTED_DNS_RESOLVER": "crawler.middlewares.GuardedResolver",
        "HTTPPROXY_ENABLED": False,  # a proxy would connect for us, out of the guard's sight
        "METAREFRESH_MAXDELAY": 10,
        "LOG_INSTALL_ROOT_HANDLER": True,
        "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.depth.DepthMiddleware": None},
        # AutoThrottle that keeps a site's robots.txt Crawl-delay (capped at AUTOTHROTTLE_MAX_DELAY) as its floor;
        # and the queues of sites past their time budget let out at once (they are dropped unsent).
        "EXTENSIONS": {"scrapy.extensions.throttle.AutoThrottle": None, "crawler.throttle.SiteThrottle": 0,
                       "crawler.throttle.LateSlots": 0},
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.retry.SiteRetryMiddleware": 550,   # scrapy's place for it
            "crawler.middlewares.GuardMiddleware": 950,  # after redirects are built, before any download
        },
        "ITEM_PIPELINES": {
            "crawler.pipelines.SignalsPipeline": 100,
            "crawler.pipelines.StorePipeline": 800,
        },
        "HTTPCACHE_ENABLED": False,
        # Polite crawls: requests waiting out their site's delay count against CONCURRENT_REQUESTS, so a
        # site-blind queue lets a few sites fill the downloader while the others' slots sit idle; this queue
        # hands out the request of the least busy site. Off when delay is 0 (it scans every slot per request).
        **({"SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue"} if polite else {}),
        # The clock is checked when a download really starts (see crawler/middlewares.py).
        "DOWNLOAD_HANDLERS": {"http": "crawler.middlewares.BudgetedHTTPHandler",
                              "https": "crawler.middlewares.BudgetedHTTPHandler"},
    }


def crawl_seconds(crawl: Crawl) -> float:
    """How long the spider may run: `max_minutes`, less room for the TLS probe and scoring after it."""
    total = crawl.max_minutes * 60
    return max(10.0, min(total * 0.9, total - 2 * crawl.timeout_s - 5))
