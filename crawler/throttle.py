"""AutoThrottle per site that never goes below the site's robots.txt Crawl-delay."""
from __future__ import annotations

from scrapy.extensions.throttle import AutoThrottle


def hold(slot, crawl_delay: float) -> None:
    """Make a download slot wait at least `crawl_delay` between requests."""
    slot.jitter = 0.0   # should jitter be configured: none below the floor the site asked for
    slot.delay = max(slot.delay, crawl_delay)


class SiteThrottle(AutoThrottle):
    """scrapy's AutoThrottle, then the floor the site asked for (`SiteState.crawl_delay`, set by the spider).

    AutoThrottle alone would bring a fast site's delay down to DOWNLOAD_DELAY whatever robots.txt says.
    """

    def _response_downloaded(self, response, request, spider) -> None:
        super()._response_downloaded(response, request, spider)
        key, slot = self._get_slot(request, spider)
        site = getattr(spider, "sites", {}).get(key)
        if slot is not None and site is not None and site.crawl_delay:
            hold(slot, site.crawl_delay)
