"""Shared data model of the dates signal: entries, signals, trust levels, own-date choice."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import Context
from .dates_parse import Rules

SOURCES = ("feed", "wp-api", "json-ld", "meta", "time", "text", "url", "htmldate", "sitemap", "http-header")

# Trust of each kind of evidence (freshness keeps >= 0.4; precise evidence beats relative).
CONF = {"feed": 0.95, "wp-api": 0.95, "json-ld": 0.9, "json-ld-other": 0.6, "meta": 0.9, "time": 0.85,
        "text-posted": 0.8, "text-label": 0.7, "url": 0.6, "htmldate": 0.6, "text-dateline": 0.5, "relative": 0.5,
        "relative-month": 0.4, "text-mention": 0.3, "sitemap": 0.3, "http-header": 0.2}
SKIP_TAGS = {"script", "style", "noscript", "template", "textarea", "select", "option"}
URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/([^/?#]+)")
# /20200428/slug: the same day written as one number (same groups as URL_DATE).
URL_DAY = re.compile(r"/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/([^/?#]*[a-z][^/?#]*)", re.I)
# /2018/08/irland-roadtrip.html: Blogger's and WordPress's year/month permalink of one post (a slug of words).
URL_MONTH_POST = re.compile(r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])/[^/?#]*[a-z][^/?#]*-[^/?#]+", re.I)


@dataclass
class DateEntry:
    """One date seen on a resource, with where it came from and whether it was rejected."""

    date: date
    source: str
    text: str
    rejected: str | None = None
    item_url: str | None = None
    title: str | None = None
    kind: str = "unknown"
    confidence: float = 0.5

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able data."""
        return {"date": self.date.isoformat(), "source": self.source, "text": self.text[:120],
                "rejected": self.rejected, "item_url": self.item_url, "title": self.title,
                "kind": self.kind, "confidence": round(self.confidence, 2)}


@dataclass
class DateSignals:
    """The dates of one fetched resource."""

    published: date | None = None
    modified: date | None = None
    is_listing: bool = False
    dates: list[DateEntry] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able data (the `ronda inspect --json` contract of docs/cli.md)."""
        return {"published": self.published.isoformat() if self.published else None,
                "modified": self.modified.isoformat() if self.modified else None,
                "is_listing": self.is_listing, "dates": [d.to_json() for d in self.dates]}


# ---------------------------------------------------------------- shared helpers

def clean_text(s: str | None) -> str:
    """Whitespace-collapsed text (NBSP included)."""
    # str.split() and re's \s both split on str.isspace() characters (NBSP is one): the same result as
    # collapsing runs with a regex and stripping, at a third of the cost.
    return " ".join(s.split()) if s else ""


_SLUG_COPY = re.compile(r"-\d{1,2}$")


def fresh_install(title: str | None, r: Rules, url: str | None = None, text: str | None = None) -> bool:
    """Whether an item is sample content of a fresh CMS install: by its title, its URL's slug, or its text."""
    if title and clean_text(title).lower() in r.data["fresh_install_titles"]:
        return True
    if url:
        slug = url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1].lower()
        if _SLUG_COPY.sub("", slug) in r.data["fresh_install_slugs"]:  # hello-world-2: a second import
            return True
    if text:
        low = clean_text(text).lower()
        return any(p in low for p in r.data["fresh_install_phrases"])
    return False


def judge_future(e: DateEntry, ctx: Context) -> None:
    """Reject a date after as_of (scheduled posts, events, typos), keeping a more specific reason."""
    if e.rejected is None and e.date > ctx.as_of:
        e.rejected = "future"


def choose_own(sig: DateSignals, own_url: str | None, ctx: Context) -> None:
    """Pick the page's own published/modified date among its non-rejected own entries."""
    own = [e for e in sig.dates if e.rejected is None and e.item_url == own_url and own_url]
    pubs = [e for e in own if e.kind == "published" and e.source not in ("sitemap", "http-header")]
    # A CMS with an empty creation date prints today: distrust today when the page also shows another date.
    if any(e.date != ctx.as_of and e.confidence >= CONF["text-label"] for e in pubs):
        for e in pubs:
            if e.date == ctx.as_of and e.source in ("meta", "json-ld", "time"):
                e.rejected = "generated-now"
        pubs = [e for e in pubs if e.rejected is None]
    if pubs:
        best = max(pubs, key=lambda e: e.confidence)
        sig.published = best.date
    mods = [e for e in own if e.kind == "modified" and e.source not in ("sitemap", "http-header")]
    if mods:
        sig.modified = max(mods, key=lambda e: (e.confidence, e.date)).date
