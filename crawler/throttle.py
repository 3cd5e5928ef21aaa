"""Per-site download-slot delays: robots.txt Crawl-delay as a floor under AutoThrottle, and late sites let go."""
from __future__ import annotations

import time

from scrapy import signals
from scrapy.extensions.throttle import AutoThrottle
from twisted.internet import task


def hold(slot, crawl_delay: float) -> None:
    """Make a download slot wait at least `crawl_delay` between requests."""
    slot.jitter = 0.0   # should jitter be configured: none below the floor the site asked for
    slot.delay = max(slot.delay, crawl_delay)


def late(spider, site, now: float) -> bool:
    """Is the site (or the whole night) past its time budget? Its queued requests are then never sent."""
    return now > site.deadline or now > getattr(spider, "crawl_end", float("inf"))


class SiteThrottle(AutoThrottle):
    """scrapy's AutoThrottle, then the floor the site asked for (`SiteState.crawl_delay`, set by the spider).

    AutoThrottle alone would bring a fast site's delay down to DOWNLOAD_DELAY whatever robots.txt says.
    """

    def _response_downloaded(self, response, request, spider) -> None:
        key, slot = self._get_slot(request, spider)
        site = getattr(spider, "sites", {}).get(key)
        if site is not None and late(spider, site, time.monotonic()):
            return   # LateSlots is letting its queue out: no delay to adjust
        super()._response_downloaded(response, request, spider)
        if slot is not None and site is not None and site.crawl_delay:
            hold(slot, site.crawl_delay)


class LateSlots:
    """Once a second, lets the queue of a site past its time budget out of its download slot at once.

    Queued requests wait behind the site's delay; past the deadline the download handler drops each one
    unsent (`OutOfTime`), but only one per delay, so a long queue at Crawl-delay 30 s would hold the
    night open for queue x 30 s. With the slot's delay at 0 they are all dropped within a second.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self._opened, signal=signals.spider_opened)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _opened(self, spider) -> None:
        self.loop = task.LoopingCall(self.check)
        self.loop.start(1.0, now=False)

    def _closed(self, spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def check(self) -> None:
        spider, now = self.crawler.spider, time.monotonic()
        slots = self.crawler.engine.downloader.slots
        for st in getattr(spider, "sites", {}).values():
            slot = slots.get(st.id)
            if slot is not None and slot.queue and late(spider, st, now):
                slot.delay = 0.0
