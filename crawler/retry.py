"""Retries as scrapy does them, logged as what they are: a site's answer (INFO, naming the site), not an error of ours.

Scrapy logs a request it gives up on at ERROR with its URL (`Gave up retrying <GET http://127.0.0.1:41659/> ...`):
a port, not a site, and an alarm for what is a normal verdict (a site answering 500 is recorded as down).
"""
from __future__ import annotations

from scrapy.downloadermiddlewares.retry import RetryMiddleware

from base import logs


class SiteRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware whose give-up line is INFO on the `ronda` logger, with the site's id."""

    def _retry(self, request, reason):
        retried = super()._retry(request, reason)   # scrapy's own give-up line is at DEBUG (settings)
        if retried is None:
            why = reason if isinstance(reason, str) else getattr(reason, "__name__", None) or type(reason).__name__
            logs.get().info("%s failed %d times (%s); recorded as the site's answer", request.url[:200],
                            request.meta.get("retry_times", 0) + 1, str(why)[:200],
                            extra={"run": self.crawler.settings.getint("RONDA_RUN_ID") or None, "stage": "crawl",
                                   "site": request.meta.get("site")})
        return retried
