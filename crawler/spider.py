"""The one spider: visits every enabled site politely and yields per-resource facts. Fetches, never judges."""
from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import islice
from typing import Any, Iterator
from urllib.parse import urljoin, urlsplit

import scrapy
from protego import Protego
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from base import logs
from base.safe import terminal
from crawler import settings as cs
from crawler.doorways import is_doorway
from crawler.failures import classify_failure, classify_status
from crawler.middlewares import AddressGuard, OutOfTime
from crawler.parsing import (
    _compact_sitemap,
    _feed_links,
    _int,
    _is_html,
    _now,
    _pack,
    _short,
    _sitemap_locs,
    _sniffed,
    _unpack,
    canonical,
    wp_posts_url,
)
from crawler.settings import DOCUMENT_EXTENSIONS
from crawler.signals import join_url, split_url
from crawler.throttle import hold

# Response headers worth keeping: change detection, server fingerprint, security hygiene.
KEPT_HEADERS = ("etag", "last-modified", "content-length", "content-encoding", "server", "x-powered-by",
                "strict-transport-security", "cache-control", "location", "date")
# Requests asked conditionally when the previous run kept the URL's validators (incremental crawling).
# The home page is always fetched in full: it measures availability and is compared with the bot's view.
CONDITIONAL_REQUESTS = ("page", "feed", "wp-api", "sitemap")
REVALIDATED = ("etag", "last-modified", "date", "cache-control")
# Non-2xx answers reach the spider (recorded as facts); 3xx stay with the redirect middleware.
HANDLED_STATUSES = [304] + list(range(400, 600))
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
MAX_SITEMAPS = 10        # child sitemaps fetched per site
SITEMAP_SEEDS = 10       # newest sitemap URLs queued as pages
FEED_SEEDS = 10          # newest feed items queued as pages
LINK_HOSTS_MAX = 500     # off-site link hosts recorded per site and night
DOORWAY_PRIORITY = 50    # doorway paths go right after the home page (settings.DOORWAY_RESERVE)
# The cloaking check: the home page again, as a search engine's crawler arriving from a search.
BOT_HEADERS = {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
               "Referer": "https://www.google.com/search?q=site"}
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "ftp:", "whatsapp:", "sms:")
# Content types servers put on HTML by mistake; such a body is sniffed before it is given up as binary.
_DIGITS = re.compile(r"\d+")
_PARAM_NAME = re.compile(r"(?:^|&)([^=&]+)")
_CALENDAR = frozenset(cs.CALENDAR_WORDS)


@dataclass
class SiteState:
    """What the spider knows about one site during the crawl."""

    id: str
    url: str
    netlocs: set[str]
    max_pages: int
    max_depth: int
    max_documents: int
    seen: set[str] = field(default_factory=set)
    robots: Protego | None = None
    robots_status: int | None = None
    crawl_delay: float = 0.0    # robots.txt Crawl-delay for us, capped (seconds; 0: none)
    pages: int = 0
    requests: int = 0
    documents: int = 0
    pending: int = 0
    queued: int = 0
    truncated: bool = False
    home: dict[str, Any] = field(default_factory=dict)
    home_body: str | None = None
    started_at: float = field(default_factory=time.time)
    finished: bool = False
    deadline: float = float("inf")       # monotonic time after which nothing new is requested
    out_of_time: bool = False
    shapes: dict[str, int] = field(default_factory=dict)   # URL shape -> URLs queued (trap control)
    calendar: int = 0
    sitemaps: int = 0
    skipped: int = 0                     # URLs not queued as traps
    validators: dict[str, dict] | None = None   # url -> previous run's etag/last-modified (loaded on first use)
    link_hosts: set[str] = field(default_factory=set)   # hosts of off-site links (for `ronda sites discover`)
    doorways: int = 0                    # doorway paths queued from the reserve (settings.DOORWAY_RESERVE)
    judged: set[str] = field(default_factory=set)   # URLs already judged for a doorway path (links repeat)


def _allowed_paths(site_url: str, robots: str) -> list[str]:
    """The URLs robots.txt `Allow:` lines name (plain paths; a wildcard rule names no one page)."""
    out = []
    for line in robots[:500_000].splitlines():
        field, _, value = line.partition(":")
        path = value.partition("#")[0].strip().removesuffix("$")
        if field.strip().lower() == "allow" and path.startswith("/") and path != "/" and "*" not in path:
            out.append(urljoin(site_url, path))
    return out


class OPDSpider(scrapy.Spider):
    """Crawls the configured sites: robots.txt, home page, pages, sitemaps, feeds, WP REST API, documents."""

    name = "opd"
    custom_settings: dict = {}

    def __init__(self, sites: list[dict], obey_robots: bool = True, on_site_done=None, resolve=None, **kw):
        super().__init__(**kw)
        self.obey_robots = obey_robots
        self.on_site_done = on_site_done
        self.on_site_start = None   # called with a site's id when its crawl begins (progress events)
        self.sites: dict[str, SiteState] = {}
        self.guard = AddressGuard((), resolve)
        self.crawl_end = float("inf")  # monotonic time the crawl's budget ends (set in start())
        self.previous = None  # PreviousFacts (set by the store pipeline): validators and facts of the last run
        for s in sites:
            self.add_site(s)

    def add_site(self, s: dict) -> SiteState:
        """Register a site ({id, url, max_pages, max_depth, max_documents}); its crawl starts with begin()."""
        self.guard.add(s["url"])
        st = self.sites[s["id"]] = SiteState(
            id=s["id"], url=s["url"], netlocs={urlsplit(s["url"]).netloc.lower()}, max_pages=s["max_pages"],
            max_depth=s["max_depth"], max_documents=s["max_documents"])
        return st

    # --- requests -------------------------------------------------------------------------

    async def start(self):
        total = self.settings.getfloat("CLOSESPIDER_TIMEOUT", 0) if self.settings else 0
        if total > 0:
            self.crawl_end = time.monotonic() + total
        for st in self.sites.values():
            req = self.begin(st)
            if req is not None:
                yield req

    def begin(self, st: SiteState) -> scrapy.Request | None:
        """The first request of a site's crawl (robots.txt), starting its share of the time budget."""
        budget = self.settings.getfloat("RONDA_SITE_BUDGET_S", 0) if self.settings else 0
        st.started_at = time.time()
        if self.on_site_start:
            self.on_site_start(st.id)
        if budget > 0:
            st.deadline = time.monotonic() + budget
        self._room_for_waiting()
        robots = urljoin(st.url, "/robots.txt")
        return self._request(st, robots, "robots", 0, callback=self.parse_robots, errback=self.robots_failed)

    def _room_for_waiting(self) -> None:
        """Polite crawls: one more downloader place per site, for its request waiting out the delay."""
        # Scrapy counts requests sleeping in a slot's delay as active: with `concurrency` below the number of
        # sites, some sites' slots sat idle and the night lasted ~1.25x the politeness bound.
        if not self.settings or self.settings.getfloat("DOWNLOAD_DELAY") <= 0:
            return
        downloader = getattr(getattr(self.crawler, "engine", None), "downloader", None)
        if downloader is not None:
            downloader.total_concurrency = self.settings.getint("CONCURRENT_REQUESTS") + len(self.sites)

    def _request(self, st: SiteState, url: str, kind: str, depth: int, method: str = "GET",
                 callback=None, errback=None, priority: int = 0, headers: dict | None = None,
                 **meta) -> scrapy.Request | None:
        """A request of this site, once per URL and kind, through the site's own download slot."""
        key = f"{kind}:{method}:{url}"
        if key in st.seen or st.finished:
            return None
        if kind not in ("robots", "home") and time.monotonic() > st.deadline:
            # This site has had its share of the night: what it still links to is left for tomorrow.
            st.truncated = st.out_of_time = True
            return None
        if kind == "sitemap" and not meta.get("doorway"):   # a doorway sitemap is bounded by the reserve
            if st.sitemaps >= cs.SITEMAPS_PER_SITE:
                st.truncated = True
                return None
            st.sitemaps += 1
        st.seen.add(key)
        st.pending += 1
        st.requests += 1
        if method == "GET" and kind in CONDITIONAL_REQUESTS and self.previous is not None:
            if st.validators is None:
                st.validators = self.previous.validators(st.id)
            prev = st.validators.get(url)
            if prev is not None:
                headers = dict(headers or {})
                if prev["etag"]:
                    headers["If-None-Match"] = prev["etag"]
                if prev["last_modified"]:
                    headers["If-Modified-Since"] = prev["last_modified"]
                meta["previous"] = prev["id"]
        return scrapy.Request(
            url, method=method, callback=callback or self.parse_page, errback=errback or self.failed,
            dont_filter=True, priority=priority, headers=headers,
            meta={"site": st.id, "kind": kind, "depth": depth, "download_slot": st.id,
                  "handle_httpstatus_list": HANDLED_STATUSES, **meta})

    def _allowed(self, st: SiteState, url: str) -> bool:
        if not self.obey_robots or st.robots is None:
            return True
        return st.robots.can_fetch(url, self.settings.get("USER_AGENT"))

    def _same_site(self, st: SiteState, url: str) -> bool:
        """Is this URL on one of the site's hosts? (A URL that cannot be parsed is on none.)"""
        parts = split_url(url)
        return parts is not None and parts.netloc.lower() in st.netlocs

    # --- callbacks --------------------------------------------------------------------------

    def parse_robots(self, response: Response):
        st = self._site(response)
        st.robots_status = response.status
        fact = self._fact(st, response, "robots")
        fact.pop("body", None)
        yield fact
        if response.status == 200 and isinstance(response, TextResponse):
            # A huge or broken robots.txt must not stop the crawl: Protego reads what it can.
            st.robots = Protego.parse(response.text[:500_000])
            self._crawl_delay(st)
        yield from self._home(st)
        sitemaps = list(st.robots.sitemaps) if st.robots is not None else []
        if not sitemaps:
            sitemaps = [urljoin(st.url, "/sitemap.xml"), urljoin(st.url, "/wp-sitemap.xml")]
        for url in self._with_doorways(st, sitemaps, MAX_SITEMAPS):
            yield from self._sitemap(st, url, 1)
        if st.robots is not None:
            # An injected `Allow: /slot-gacor/` names a doorway for search engines; other rules name no page.
            for url in self._with_doorways(st, _allowed_paths(st.url, response.text), 0):
                yield from self._page(st, url, 1)
        self._done(st)

    def _crawl_delay(self, st: SiteState) -> None:
        """Honour robots.txt Crawl-delay from the next request on, up to AUTOTHROTTLE_MAX_DELAY."""
        if not self.obey_robots:
            return
        asked = st.robots.crawl_delay(self.settings.get("USER_AGENT"))
        if asked and asked > 0:
            st.crawl_delay = min(float(asked), self.settings.getfloat("AUTOTHROTTLE_MAX_DELAY", 30.0))
            slot = self.crawler.engine.downloader.slots.get(st.id)
            if slot is not None:
                hold(slot, st.crawl_delay)

    def robots_failed(self, failure):
        st = self.sites[failure.request.meta["site"]]
        yield from self._home(st)
        yield from self.failed(failure)

    def _home(self, st: SiteState) -> Iterator[scrapy.Request]:
        # The home page is always fetched once (availability is measured like a visitor's visit);
        # robots.txt governs everything beyond it.
        req = self._request(st, st.url, "home", 0, callback=self.parse_home, errback=self.home_failed, priority=100)
        if req is not None:
            st.queued += 1
            yield req

    def parse_home(self, response: Response):
        response = _sniffed(response)
        st = self._site(response)
        st.home = {
            "home_status": response.status,
            "home_final_url": response.url,
            "home_ttfb_ms": round(response.meta.get("download_latency", 0) * 1000, 1),
            "home_https": int(response.url.startswith("https://")),
            "reason": classify_status(response.status),
        }
        # Redirects within the home page (http -> https, old domain -> new) define the site's hosts.
        st.netlocs.add(urlsplit(response.url).netloc.lower())
        if response.status == 200 and isinstance(response, TextResponse):
            st.home_body = response.text
            req = self._request(st, response.url, "home-bot", 0, callback=self.parse_bot, priority=90,
                                headers=BOT_HEADERS)
            if req is not None:
                yield req
        yield from self.parse_page(response)

    def parse_bot(self, response: Response):
        """The home page as served to a search engine; the pipeline compares it with the visitor's."""
        st = self._site(response)
        fact = self._fact(st, response, "home-bot")
        if "body" in fact:
            fact["normal_body"] = st.home_body
        st.home_body = None
        yield fact
        self._done(st)

    def home_failed(self, failure):
        st = self.sites[failure.request.meta["site"]]
        if failure.check(OutOfTime):
            st.home = {"reason": "timeout", "error": "out_of_time: the crawl's time budget ended before the home page"}
        else:
            st.home = {"reason": self._reason(failure), "error": _short(failure.getErrorMessage())}
        yield from self.failed(failure)

    def parse_page(self, response: Response):
        response = _sniffed(response)
        st = self._site(response)
        kind = response.meta["kind"]
        depth = response.meta["depth"]
        if response.status == 304:
            fact = self._carried(st, response, "html" if kind in ("page", "home") else kind)
            carried = fact.get("not_modified") and fact.get("kind") == "html"
            if carried:
                st.pages += 1
            yield fact
            if carried and depth < st.max_depth:
                yield from self._follow_urls(st, _unpack(fact.get("links"), response.url), depth)
            self._done(st)
            return
        is_html = isinstance(response, TextResponse) and _is_html(response)
        if kind in ("page", "home") and is_html:
            st.pages += 1
        fact = self._fact(st, response, "html" if kind in ("page", "home") and is_html else
                          ("document" if kind in ("page", "home") else kind))
        if is_html and response.status == 200:
            urls = self._out_links(st, response)
            fact["links"] = _pack(urls, response.url)
            yield fact
            if response.meta["kind"] == "home":
                yield from self._discover(st, response)
            if depth < st.max_depth:
                yield from self._follow_urls(st, urls, depth)
        else:
            yield fact
        if kind == "document" and response.request.method == "HEAD" and response.status in (403, 405, 501):
            # Servers that refuse HEAD: ask for the first bytes only.
            req = self._request(st, response.url, "document", depth, headers={"Range": "bytes=0-1023"},
                                download_maxsize=2_000_000)
            if req is not None:
                yield req
        self._done(st)

    def parse_sitemap(self, response: Response):
        st = self._site(response)
        if response.status == 304:
            fact = self._carried(st, response, "sitemap")
            links = fact.get("links") or {}
            children, pages = _unpack(links.get("sitemaps"), response.url), _unpack(links.get("pages"), response.url)
        else:
            fact = self._fact(st, response, "sitemap")
            locs = _sitemap_locs(response.text) if response.status == 200 and isinstance(response, TextResponse) else []
            if len(locs) > cs.SITEMAP_SIGNAL_ENTRIES and "body" in fact:
                # The date signal reads every entry (seconds for 50,000, with the reactor blocked): give it the
                # newest ones only, which is all freshness needs.
                fact["body"] = _compact_sitemap(sorted(locs, key=lambda e: e[1], reverse=True)[:cs.SITEMAP_SIGNAL_ENTRIES])
            children = [u for u, _ in locs if u.endswith(".xml") or "sitemap" in u.rsplit("/", 1)[-1]]
            listed = set(children)
            # The newest entries, and every doorway path (a doorway is listed with an old date, or none): both
            # are kept in the fact's links, so a night the sitemap answers 304 queues them again.
            children = self._with_doorways(st, children, MAX_SITEMAPS)
            newest = [u for _, u in sorted(((lm, u) for u, lm in locs if u not in listed), reverse=True)]
            pages = self._with_doorways(st, newest, SITEMAP_SEEDS)
            if response.status == 200:
                fact["links"] = {"sitemaps": _pack(children, response.url), "pages": _pack(pages, response.url)}
        yield fact
        for url in children:
            yield from self._sitemap(st, url, response.meta["depth"] + 1)
        for url in pages:
            yield from self._page(st, url, 1, priority=-5)
        self._done(st)

    def _sitemap(self, st: SiteState, url: str, depth: int) -> Iterator[scrapy.Request]:
        """A sitemap of the site; one whose own path is a doorway comes first, from the doorway reserve."""
        if not self._same_site(st, url):
            return
        if self._door(st, url):
            req = self._request(st, url, "sitemap", depth, callback=self.parse_sitemap, priority=DOORWAY_PRIORITY,
                                doorway=True)
            yield from self._reserved(st, req)
            return
        req = self._request(st, url, "sitemap", depth, callback=self.parse_sitemap, priority=-10)
        if req is not None:
            yield req

    def _with_doorways(self, st: SiteState, urls: list[str], n: int) -> list[str]:
        """The first `n` URLs, then the doorway paths among the rest, as many as the site's reserve has room for."""
        room = cs.DOORWAY_RESERVE - st.doorways
        if room <= 0:
            return urls[:n]   # a sitemap of 50,000 injected URLs is judged only until the reserve is spent
        doors = (u for u in urls[n:] if is_doorway(u) and self._same_site(st, u) and self._allowed(st, u))
        return urls[:n] + list(islice(doors, room))

    def parse_feed(self, response: Response):
        st = self._site(response)
        if response.status == 304:
            fact = self._carried(st, response, response.meta["kind"])
            urls = _unpack(fact.get("links"), response.url)
        else:
            fact = self._fact(st, response, response.meta["kind"])
            urls = []
            if response.status == 200 and isinstance(response, TextResponse):
                urls = _feed_links(response.text, response.meta["kind"])[:FEED_SEEDS]
                fact["links"] = _pack(urls, response.url)
        yield fact
        for url in urls:
            yield from self._page(st, url, 1, priority=5)
        self._done(st)

    def failed(self, failure):
        st = self.sites[failure.request.meta["site"]]
        req = failure.request
        if failure.check(OutOfTime):
            # Not a fact about the site: we stopped asking. The site is marked truncated by time.
            st.truncated = st.out_of_time = True
            st.pending -= 1
            st.requests -= 1  # never sent
            self._done(st)
            return
        yield {
            "site_id": st.id, "url": req.meta.get("redirect_urls", [req.url])[0], "final_url": req.url,
            "kind": req.meta.get("kind"),
            "depth": req.meta.get("depth"), "status": None, "error": self._reason(failure),
            "detail": _short(failure.getErrorMessage()), "fetched_at": _now(),
        }
        st.pending -= 1
        self._done(st)

    def _reason(self, failure) -> str:
        if failure.check(HttpError) and 300 <= failure.value.response.status < 400:
            # A redirect the redirect middleware would not follow: to a non-HTTP scheme, or nowhere.
            location = failure.value.response.headers.get("Location", b"").decode("latin-1", "replace")
            joined = join_url(failure.request.url, location) if location else None
            if joined is None:
                return "redirect_invalid"   # no Location, or one that cannot be parsed
            return "blocked_address" if urlsplit(joined).scheme not in ("http", "https") else "redirect_invalid"
        return classify_failure(failure, refused=self.guard.was_refused(failure.request.url))

    # --- following -------------------------------------------------------------------------

    def _out_links(self, st: SiteState, response: TextResponse) -> list[str]:
        """The page's same-site links, canonical, de-duplicated in document order (kept for 304 nights)."""
        out: dict[str, None] = {}
        for href in response.xpath("//a/@href").getall():
            href = href.strip()
            if not href or href.startswith("#") or href.lower().startswith(SKIP_SCHEMES):
                continue
            joined = join_url(response.url, href)   # None: an href that cannot be parsed (`http://[x]/`)
            if joined is None:
                continue
            url = canonical(joined)
            if url.startswith(("http://", "https://")) and self._same_site(st, url):
                out[url] = None
            elif len(st.link_hosts) < LINK_HOSTS_MAX and (parts := split_url(url)) is not None and parts.hostname:
                st.link_hosts.add(parts.hostname.lower().rstrip("."))   # hosts only: discovery wants names
        return list(out)

    def _follow_urls(self, st: SiteState, urls: list[str], depth: int) -> Iterator[scrapy.Request]:
        for url in urls:
            if not self._same_site(st, url):
                continue
            if urlsplit(url).path.lower().endswith(DOCUMENT_EXTENSIONS):
                if st.documents < st.max_documents and self._allowed(st, url):
                    req = self._request(st, url, "document", depth + 1, method="HEAD", priority=-depth - 1)
                    if req is not None:
                        st.documents += 1
                        yield req
                continue
            yield from self._page(st, url, depth + 1, priority=-depth - 1)

    def _page(self, st: SiteState, url: str, depth: int, priority: int = 0) -> Iterator[scrapy.Request]:
        url = canonical(url)
        if not self._same_site(st, url) or not self._allowed(st, url):
            return
        if self._door(st, url) and f"home:GET:{url}" not in st.seen:
            # A doorway path comes first and even past max_pages: whether a site is hacked must not depend on
            # how big it is. Traps do not apply: the reserve bounds it.
            req = self._request(st, url, "page", depth, priority=DOORWAY_PRIORITY, doorway=True)
            yield from self._reserved(st, req)
            return
        if st.queued >= st.max_pages:
            st.truncated = True
            return
        # The home page links to itself ("Beranda"): it was fetched as the home, not again as a page.
        if f"page:GET:{url}" in st.seen or f"home:GET:{url}" in st.seen or self._trap(st, url):
            return
        req = self._request(st, url, "page", depth, priority=priority)
        if req is not None:
            st.queued += 1
            yield req

    def _door(self, st: SiteState, url: str) -> bool:
        """Is this a doorway path the site's reserve still has room for? (Each URL is judged once per site.)"""
        if st.doorways >= cs.DOORWAY_RESERVE or url in st.judged or len(url) > cs.MAX_URL_LENGTH:
            return False
        st.judged.add(url)
        return is_doorway(url)

    def _reserved(self, st: SiteState, req: scrapy.Request | None) -> Iterator[scrapy.Request]:
        """A doorway request (None: already asked), counted against the site's reserve and in the crawl's stats."""
        if req is None:
            return
        st.doorways += 1
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value("ronda/doorways_queued")
        yield req

    def _trap(self, st: SiteState, url: str) -> bool:
        """Is this URL one more variant of an endless family (calendar, numbered pages) beyond its cap?"""
        if len(url) > cs.MAX_URL_LENGTH:
            st.skipped += 1
            return True
        path, _, query = url.partition("?")  # plain string work: this runs for every new link
        if not query and not _DIGITS.search(path):
            return False  # plain paths are not families
        params = sorted({n.lower() for n in _PARAM_NAME.findall(query)})
        shape = _DIGITS.sub("N", path.lower()) + "?" + "&".join(params)
        cap = max(cs.MIN_VARIANTS_PER_SHAPE, int(st.max_pages * cs.VARIANTS_PER_SHAPE))
        # Whole path segments and parameter names only: news slugs are full of "hari", "tahun", "kegiatan".
        segments = path.split("://", 1)[-1].lower().split("/")[1:]
        calendar = not _CALENDAR.isdisjoint(segments) or not _CALENDAR.isdisjoint(params)
        if st.shapes.get(shape, 0) >= cap or (calendar and st.calendar >= cs.CALENDAR_VARIANTS):
            st.skipped += 1
            return True
        st.shapes[shape] = st.shapes.get(shape, 0) + 1
        st.calendar += calendar
        return False

    def _discover(self, st: SiteState, response: TextResponse) -> Iterator[scrapy.Request]:
        """Feeds and the WordPress REST API advertised by the home page (or their usual paths)."""
        feeds = []
        for link in response.xpath("//link[@href]"):
            rel = (link.attrib.get("rel") or "").lower()
            typ = (link.attrib.get("type") or "").lower()
            href = join_url(response.url, link.attrib["href"].strip())
            if href is None:
                continue
            if "alternate" in rel and typ in FEED_TYPES and "comments" not in href:
                feeds.append(href)
            elif rel == "https://api.w.org/" and self._same_site(st, href):
                api = wp_posts_url(href)
                if self._allowed(st, api):
                    req = self._request(st, api, "wp-api", 1, callback=self.parse_feed, priority=10)
                    if req is not None:
                        yield req
        for url in feeds[:2]:
            if self._same_site(st, url) and self._allowed(st, url):
                req = self._request(st, url, "feed", 1, callback=self.parse_feed, priority=10)
                if req is not None:
                    yield req

    # --- facts --------------------------------------------------------------------------------

    def _carried(self, st: SiteState, response: Response, kind: str) -> dict:
        """A 304's fact: this answer's timing and validators, the previous fetch's signals and links."""
        fact = self._fact(st, response, kind)
        prev = self.previous.carried(response.meta["previous"]) if self.previous and response.meta.get("previous") else None
        if prev is None:
            return fact  # a 304 to an unconditional request: recorded as the server said it
        # A 304 repeats the validators (and may say Content-Length: 0): only those update the stored headers.
        headers = {**(prev.pop("headers") or {}), **{k: v for k, v in fact["headers"].items() if k in REVALIDATED}}
        # The representation is the previous 200's, unchanged (RFC 9110 15.4.5): monitors read it as that page.
        fact.update(prev, headers=headers, status=200, not_modified=1, bytes=len(response.body))
        return fact

    def _fact(self, st: SiteState, response: Response, kind: str) -> dict:
        st.pending -= 1
        # Header values are the server's words: kept short, so a hostile server cannot fill the store.
        headers = {k.decode("latin-1").lower(): v[0][:512].decode("latin-1", "replace")
                   for k, v in response.headers.items() if v and k.decode("latin-1").lower() in KEPT_HEADERS}
        ctype = response.headers.get("Content-Type", b"")[:200].decode("latin-1", "replace") or None
        fact = {
            "site_id": st.id, "url": response.request.meta.get("redirect_urls", [response.request.url])[0],
            "final_url": response.url, "kind": kind, "depth": response.meta.get("depth"),
            "status": response.status, "error": None,
            "elapsed_ms": round(response.meta.get("download_latency", 0) * 1000, 1),
            "bytes": len(response.body) or _int(headers.get("content-length")),
            "content_type": ctype, "headers": headers,
            "content_hash": hashlib.sha1(response.body).hexdigest() if response.body else None,
            "fetched_at": _now(),
        }
        if isinstance(response, TextResponse) and response.status == 200 and kind != "document":
            fact["body"] = response.text
            fact["title"] = _short(terminal(response.xpath("normalize-space(//title)").get() or ""), 300) if kind == "html" else None
        return fact

    def _site(self, response: Response) -> SiteState:
        return self.sites[response.meta["site"]]

    def _done(self, st: SiteState) -> None:
        """When a site has nothing in flight any more, its crawl is over: report it once."""
        if st.pending <= 0 and not st.finished:
            st.finished = True
            if st.doorways:
                logs.get().info("%d doorway path(s) queued from the reserve (sitemap, robots.txt or links)",
                                st.doorways, extra={"run": self.settings.getint("RONDA_RUN_ID") or None,
                                                    "stage": "crawl", "site": st.id})
            if self.on_site_done:
                self.on_site_done(self.site_summary(st))

    def site_summary(self, st: SiteState) -> dict:
        """The per-site record of this run (home availability, budgets, robots)."""
        home = st.home or {"reason": "timeout", "error": "the crawl ran out of time before the home page answered"}
        error = home.get("error")
        # Requests still in flight when the summary is written: the crawl closed (time budget) around it.
        cut = st.pending > 0 or not st.finished
        if not home.get("reason") and (st.out_of_time or cut):
            # Up, but cut short by the clock: say so, so a thin crawl is not read as a thin site.
            error = "out_of_time: stopped at the time budget; pages after that were not fetched"
            if st.crawl_delay:
                # The site's own pace explains a thin crawl: say so, the operator need not hunt for it.
                error += f" (its robots.txt asks for Crawl-delay {st.crawl_delay:g} s)"
        return {
            "site_id": st.id, "url": st.url,
            "state": "down" if home.get("reason") else "up",
            "reason": home.get("reason"), "error": error,
            "home_status": home.get("home_status"), "home_final_url": home.get("home_final_url"),
            "home_ttfb_ms": home.get("home_ttfb_ms"), "home_https": home.get("home_https"),
            "robots_status": st.robots_status, "pages": st.pages, "requests": st.requests,
            "documents": st.documents, "truncated": int(st.truncated or st.out_of_time or cut),
            # the cause: the clock (it also cuts a site that had reached its page budget), else the page budget
            "truncated_by": "time" if st.out_of_time or cut else "pages" if st.truncated else None,
            "crawl_delay": st.crawl_delay or None,
            "link_hosts": json.dumps(sorted(st.link_hosts)) if st.link_hosts else None,
            "started_at": datetime.fromtimestamp(st.started_at, timezone.utc).isoformat(timespec="seconds"),
            "finished_at": _now(),
        }
