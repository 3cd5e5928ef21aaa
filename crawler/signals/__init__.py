"""Per-page signal extractors: pure functions over (url, body, headers, ctx) -> data.

Every signal module (dates, checklist, spam, ...) exposes the same entry point::

    extract(url: str, body: str, headers: Mapping[str, str], ctx: Context) -> <result>

`body` is the decoded text of the response (HTML, feed XML, sitemap XML or
JSON), `headers` maps lower-case header names to values, and the result is a
dataclass with a ``to_json()`` method returning plain JSON-able data.  No
module here imports scrapy or the store: the crawl pipeline and
``ronda inspect`` both call them, through the fault barrier (``barrier.Signals``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit


@dataclass(frozen=True)
class Context:
    """What a signal may know besides the page itself."""

    as_of: date
    """The run's "today" (``--as-of``): relative dates and "future" are judged against it."""
    timezone: str = "Asia/Jakarta"
    site_url: str | None = None
    """The configured home URL of the site the page belongs to (None for a lone page)."""
    fetched_at: datetime | None = None
    """Real time of the fetch: a Last-Modified equal to it is the page being generated, not updated."""
    checklist: tuple[Any, ...] = field(default=())
    """Checklist items (``crawler.signals.checklist.Item``) to detect; empty = the packaged default."""


def header(headers: Any, name: str) -> str | None:
    """One header value, case-insensitively, from a plain mapping (None if absent)."""
    if not headers:
        return None
    name = name.lower()
    for k, v in headers.items():
        if k.lower() == name:
            if isinstance(v, (list, tuple)):
                v = v[0] if v else None
            if isinstance(v, bytes):
                v = v.decode("latin-1")
            return v
    return None


def split_url(url: str) -> SplitResult | None:
    """`urlsplit(url)`, or None for a URL that cannot be parsed.

    Pages carry hrefs Python refuses with ValueError: a bracketed host that is no IPv6 address
    (`http://[ccpa-preferences]/`), an unclosed bracket, a host that NFKC turns into `/` or `@`, a port
    that is not a number. Such a link leads nowhere a browser would go: it is no evidence of anything.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number from 0 to 65535)
    except ValueError:
        return None
    return parts


def join_url(base: str, href: str) -> str | None:
    """`urljoin(base, href)`, or None when the result cannot be parsed (`split_url`)."""
    try:
        joined = urljoin(base, href)
    except ValueError:
        return None
    return joined if split_url(joined) is not None else None
