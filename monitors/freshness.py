"""Per-site freshness: the newest genuine dated item and recent post counts, from per-resource date signals."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping

# Evidence that may make an update: sitemaps and HTTP headers never do (low trust, often the generator's clock).
COUNTED_SOURCES = frozenset({"feed", "wp-api", "json-ld", "meta", "time", "text", "url", "htmldate"})
NEVER_COUNTED_KINDS = frozenset({"sitemap", "robots"})
MIN_CONFIDENCE = 0.4
# A page the spam signal calls an injected page or a defacement is the attacker's, not the agency's: a doorway's
# JSON-LD "datePublished" of yesterday is no update (realpages rp046), wherever that page is seen dated.
INJECTED_KINDS = frozenset({"spam_page", "defacement"})
"""Dates in running prose (0.3) are mentions, not publication dates."""
WINDOWS = (7, 30, 90)


@dataclass(frozen=True)
class Freshness:
    """A site's freshness verdict for one run."""

    last_update: date | None = None
    last_update_url: str | None = None
    last_update_title: str | None = None
    last_update_source: str | None = None
    days_since_update: int | None = None
    posts_7d: int = 0
    posts_30d: int = 0
    posts_90d: int = 0

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able data."""
        return {"last_update": self.last_update.isoformat() if self.last_update else None,
                "last_update_url": self.last_update_url, "last_update_title": self.last_update_title,
                "last_update_source": self.last_update_source, "days_since_update": self.days_since_update,
                "posts_7d": self.posts_7d, "posts_30d": self.posts_30d, "posts_90d": self.posts_90d}


@dataclass(frozen=True)
class _Evidence:
    """One dated sighting of an item."""

    day: date
    confidence: float
    url: str
    title: str | None
    source: str


def _key(url: str) -> str:
    """Item identity: no fragment, no trailing slash, scheme-less (http and https are one item)."""
    u = url.split("#", 1)[0].rstrip("/")
    return u.split("://", 1)[-1].lower()


def _listing_keys(resources: list[Mapping[str, Any]]) -> set[str]:
    """URLs of feeds, sitemaps, APIs and listing pages: never an item's own URL."""
    keys = set()
    for res in resources:
        d = res.get("dates") or {}
        if res.get("kind") in ("feed", "sitemap", "wp-api", "robots") or d.get("is_listing"):
            for u in (res.get("url"), res.get("final_url")):
                if u:
                    keys.add(_key(u))
    return keys


def _injected_keys(resources: list[Mapping[str, Any]]) -> set[str]:
    """URLs of the pages that are injected spam or a defacement: never an update of the site."""
    keys = set()
    for res in resources:
        spam = res.get("spam")
        findings = spam.get("findings") or () if isinstance(spam, Mapping) else ()
        if any(isinstance(f, Mapping) and f.get("kind") in INJECTED_KINDS for f in findings):
            keys.update(_key(u) for u in (res.get("url"), res.get("final_url")) if u)
    return keys


def _sightings(res: Mapping[str, Any], as_of: date) -> Iterable[_Evidence]:
    """The genuine published dates one resource shows, with the item each belongs to."""
    d = res.get("dates") or {}
    status = res.get("status")
    if isinstance(status, int) and status >= 400:
        return
    # A sitemap or robots URL that answered HTML (plain-permalink WordPress redirects /sitemap.xml to the home
    # page) is no sitemap: its dates are seen again where the page really lives, and a sitemap never counts.
    if res.get("kind") in NEVER_COUNTED_KINDS:
        return
    for e in d.get("dates") or ():
        if e.get("rejected") or e.get("kind") != "published" or e.get("source") not in COUNTED_SOURCES:
            continue
        if (e.get("confidence") or 0) < MIN_CONFIDENCE or not e.get("item_url"):
            continue
        day = date.fromisoformat(e["date"])
        if day <= as_of:
            yield _Evidence(day, float(e.get("confidence") or 0), e["item_url"], e.get("title"), e["source"])
    # The page's chosen own date is the most precise word on that item (it already weighed meta vs visible).
    own = d.get("published")
    page = res.get("final_url") or res.get("url")
    if own and page and not d.get("is_listing") and res.get("kind", "html") == "html":
        day = date.fromisoformat(own)
        if day <= as_of:
            src = next((e for e in d.get("dates") or () if e.get("date") == own and e.get("item_url") == page
                        and not e.get("rejected")), None)
            yield _Evidence(day, 1.0, page, src.get("title") if src else None, src["source"] if src else "text")


_FIRST_NUMBER = re.compile(r"\d+")


def _numbered(url: str) -> tuple[str, int] | None:
    """(URL prefix, id) when the item's path carries a CMS's sequential id (`detail/23/slug`, `?p=23`)."""
    host, _, rest = _key(url).partition("/")
    m = _FIRST_NUMBER.search(rest)
    if not m or len(m.group(0)) > 9:
        return None
    return host + "/" + rest[: m.start()], int(m.group(0))


def _drop_today_out_of_order(best: dict[str, _Evidence], as_of: date) -> None:
    """Drop items dated today whose sequential id is older than an item dated well before today.

    Some CMSs print *today* for a post whose creation date is empty (field notes); such a post
    keeps its old id, so it sits below posts that are dated weeks or months ago.
    """
    oldest_higher: dict[str, list[tuple[int, date]]] = {}
    for ev in best.values():
        n = _numbered(ev.url)
        if n:
            oldest_higher.setdefault(n[0], []).append((n[1], ev.day))
    for k, ev in list(best.items()):
        n = _numbered(ev.url) if ev.day == as_of else None
        if n and any(i > n[1] and (as_of - d).days > 1 for i, d in oldest_higher[n[0]]):
            del best[k]


def assess(resources: Iterable[Mapping[str, Any]], as_of: date) -> Freshness:
    """A site's last genuine update (with its item URL as evidence) and its posts in 7/30/90 days."""
    resources = list(resources)
    listings, injected = _listing_keys(resources), _injected_keys(resources)
    best: dict[str, _Evidence] = {}
    for res in resources:
        if any(_key(u) in injected for u in (res.get("url"), res.get("final_url")) if u):
            continue
        for ev in _sightings(res, as_of):
            k = _key(ev.url)
            if k in listings or k in injected:
                continue
            cur = best.get(k)
            # Precise beats vague: an exact date on the post's own page beats "3 hari yang lalu" on a listing.
            if cur is None or (ev.confidence, ev.day) > (cur.confidence, cur.day):
                best[k] = ev
    _drop_today_out_of_order(best, as_of)
    if not best:
        return Freshness()
    top = max(best.values(), key=lambda ev: (ev.day, ev.confidence, ev.url))
    ages = [(as_of - ev.day).days for ev in best.values()]
    counts = [sum(1 for a in ages if 0 <= a <= n) for n in WINDOWS]
    return Freshness(top.day, top.url, top.title, top.source, (as_of - top.day).days, *counts)
