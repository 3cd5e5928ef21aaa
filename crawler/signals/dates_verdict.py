"""Dates signal: a page's verdict from its dates: a listing or a post, its own dates, page-wide rejections."""
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from .dates_context import slug_heading
from .dates_context import tc as _tc
from .dates_core import CONF, URL_MONTH_POST, DateSignals, choose_own, fresh_install
from .dates_items import norm

_SLUG_WORDS = (3, 5)
"""Slug words a heading must say to name a single article: alone, and among two or more dated post boxes."""


def decide(page: Any) -> DateSignals:
    """Listing or post; the page's own published/modified dates; page-wide rejections (page: a dates_html.Page)."""
    sig, as_of = page.sig, page.ctx.as_of
    page.fresh = fresh_install(page.h1_text or page.title, page.r, page.url, _post_text(page))
    if page.fresh:
        for e in sig.dates:
            if e.item_url == page.url and e.rejected is None:
                e.rejected = "fresh-install"
    _own_variants(page)
    not_items = ("agenda-event", "counter", "today-clock", "future", "not-day-precise")
    # The page's own path without its query (…/news.html for …/news.html?id=7) is the list it came from.
    up = page.url.split("?", 1)[0] if "?" in page.url else None
    text_items = {e.item_url for e in sig.dates if e.item_url and e.item_url not in (page.url, up)
                  and e.source in ("text", "time", "json-ld") and e.rejected not in not_items}
    url_items = {e.item_url for e in sig.dates if e.item_url and e.item_url != page.url and e.source == "url"}
    own = [e for e in sig.dates if e.item_url == page.url and e.rejected is None and e.kind == "published"]
    # A dated permalink (/2018/06/28/slug/) names one post, whatever related-post boxes it shows.
    strong_own = page.strong_post or any(
        (e.confidence >= CONF["text-label"] and e.source != "url") or (e.source == "url" and page.url_post)
        for e in own)
    parts = urlsplit(page.url)
    path = parts.path.lower()
    keys = {k.split("=", 1)[0].lower() for k in parts.query.split("&") if k}
    # The home path is a listing unless a plain permalink (?p=1, ?page_id=2) names one post.
    home = path in ("", "/", "/index.php") and not keys & page.w.item_query_keys
    listing_url = (home or any(path.startswith(p) for p in page.w.listing_paths)
                   or any(p in path for p in page.w.listing_path_parts)
                   or bool(keys & page.w.listing_query_keys))
    strong_own = strong_own or (not home and bool(URL_MONTH_POST.search(path)))
    in_posts = len(text_items & page.items.post_items)
    # A post's own heading spelled in its URL names one article, whatever related-post boxes it shows; among
    # repeated post boxes it takes a long title, as a category's name ("Berita dan Pengumuman") is short.
    strong_own = strong_own or (not home and slug_heading(page.root, parts.path, _SLUG_WORDS[in_posts >= 2]))
    sig.is_listing = not strong_own and (
        len(text_items) >= 2 or (len(text_items) >= 1 and (listing_url or in_posts >= 1))
        or (not text_items and len(url_items) >= 2 and not own))
    if sig.is_listing:
        for e in sig.dates:
            if e.item_url == page.url:
                e.item_url, e.title = None, None
        items = [e for e in sig.dates if e.item_url and e.rejected is None and e.source in ("text", "time")]
        if len({e.item_url for e in items}) >= 3 and all(e.date == as_of for e in items):
            for e in items:
                e.rejected = "generated-now"  # a CMS printing today for every post: no real dates
    else:
        choose_own(sig, page.url, page.ctx)
        # A permalink's date is fixed when the post first goes up: metadata later than it is a re-publication.
        first = [e.date for e in sig.dates if e.source == "url" and e.item_url == page.url and e.rejected is None]
        if page.url_post and first and sig.published and first[0] < sig.published:
            sig.published = first[0]
        if sig.published is None and not listing_url and not page.fresh:
            sig.published = _byline_day(page)
    return sig


def _own_variants(page: Any) -> None:
    """Dates tied to the page's own URL plus /trackback/, /feed/, /amp/ … are the page's own."""
    for e in page.sig.dates:
        if e.item_url and e.item_url != page.url:
            head, _, tail = norm(e.item_url).rpartition("/")
            if head == page.items.norm_url and tail.lower() in page.w.archive_slugs:
                e.item_url, e.title = page.url, page.title


def _byline_day(page: Any) -> date | None:
    """The one labelled date of a post page that ronda tied to a link: its byline's tag, author or section link."""
    # A post page shows another post's date with a label only when it shows other posts: then the days differ.
    days = {e.date for e in page.sig.dates if e.rejected is None and e.kind == "published"
            and e.source in ("text", "time") and e.confidence >= CONF["text-label"]
            and e.item_url not in (None, page.url)}
    return days.pop() if len(days) == 1 else None


def _post_text(page: Any) -> str:
    """The text of the page's own post (the <article> or <main> around its h1), or '' without one."""
    node = page.h1
    while node is not None and node.tag not in ("article", "main"):
        node = node.getparent()
    return _tc(node)[:3000] if node is not None else ""
