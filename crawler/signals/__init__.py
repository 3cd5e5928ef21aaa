"""Per-page signal extractors: pure functions over (url, body, headers, ctx) -> data.

Every signal module (dates, checklist, spam, ...) exposes the same entry point::

    extract(url: str, body: str, headers: Mapping[str, str], ctx: Context) -> <result>

`body` is the decoded text of the response (HTML, feed XML, sitemap XML or
JSON), `headers` maps lower-case header names to values, and the result is a
dataclass with a ``to_json()`` method returning plain JSON-able data.  No
module here imports scrapy or the store: the crawl pipeline and
``ronda inspect`` both call them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


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
