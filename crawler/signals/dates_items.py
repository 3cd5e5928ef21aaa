"""Dates signal: the item a date on a page belongs to (the page's own post, or a post it links to), from its links."""
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from . import join_url, split_url
from .dates_context import tc as _tc
from .dates_context import Words
from .dates_core import clean_text
from .dates_parse import Rules

_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
HEADING_SET = {"h1", *_HEADINGS}
_STOP_TAGS = {"body", "html", "main"}
OWN = ("own", None)
"""Marker of a date that belongs to the page itself, not to a linked item."""


def norm(url: str) -> str:
    """A URL for comparisons: no fragment, no trailing slash."""
    return url.split("#", 1)[0].rstrip("/")


def host_of(url: str) -> str:
    """Host name without a leading www."""
    return _hostname(split_url(url))


def _hostname(parts: Any) -> str:
    """Host name of a split URL (None: '') without a leading www."""
    h = ((parts.hostname if parts else None) or "").lower()
    return h[4:] if h.startswith("www.") else h


class Items:
    """The items of one page's dates: link URLs, titles and the post boxes they stand in, cached per element."""

    def __init__(self, url: str, as_of: date, r: Rules, w: Words):
        self.url, self.as_of, self.r, self.w = url, as_of, r, w
        self.norm_url, self.host = norm(url), host_of(url)
        self.web_base = (split_url(url) or urlsplit("")).scheme in ("http", "https")
        self.link_cache: dict[str, str | None] = {}
        self.item_cache: dict[Any, tuple[str, str | None] | None] = {}
        self.anchor_cache: dict[Any, tuple[str | None, int]] = {}
        self.date_links: dict[Any, tuple[str, str | None]] = {}
        self.heading_boxes: set[Any] = set()
        """Boxes whose item was named by a heading link (a listed post, not a menu or widget link)."""
        self.post_items: set[str] = set()
        """Item URLs found as a heading link in a repeated post box (a listing's structure)."""

    def attached(self, el: Any) -> bool:
        """Whether a date stands beside an item's own link: in a post box, under a heading link, or as a date link."""
        node, depth = el, 0
        while node is not None and depth < 7 and node.tag not in _STOP_TAGS:
            if node in self.date_links:
                return True
            res = self.item_cache.get(node, "?")
            if res != "?" and res is not None:
                return res is not OWN and (node in self.heading_boxes or self.post_item_box(node))
            node, depth = node.getparent(), depth + 1
        return False

    def link_url(self, a: Any) -> str | None:
        """The absolute URL of a link that may be a dated item (same site, not taxonomy/paging/home)."""
        href = (a.get("href") or "").strip()
        if href in self.link_cache:
            return self.link_cache[href]
        link = None
        if href and not href.startswith(("#", "javascript:", "mailto:", "tel:", "whatsapp:")) \
                and not ("//" in href[:8] and self._elsewhere(href)):
            joined = join_url(self.url, href)   # None for an href no browser could follow
            link = joined.split("#", 1)[0] if joined else None
            low = (link or "").lower()
            if link and (self.w.non_item.search(low) or host_of(link) != self.host or self._is_home(link)):
                link = None
        self.link_cache[href] = link
        return link

    def _elsewhere(self, href: str) -> bool:
        """Whether an absolute href surely leads off this site (or nowhere), without the cost of joining it."""
        if not self.web_base:
            return False
        parts = split_url(href)
        if parts is None:
            return True   # joining it fails the same way: no link
        # Joined to an http(s) page, an href with a host keeps that host, whatever the two schemes.
        return bool(parts.netloc) and parts.scheme in ("", "http", "https") and _hostname(parts) != self.host

    def _is_home(self, link: str) -> bool:
        """Whether a link is the home page (plain permalinks like /?p=1 live on the home path but are items)."""
        parts = urlsplit(link)
        if parts.path not in ("", "/", "/index.php"):
            return False
        return not any(k.split("=", 1)[0].lower() in self.w.item_query_keys for k in parts.query.split("&") if k)

    def post_item_box(self, box: Any) -> bool:
        """Whether a box is one repeated post item of a listing (query-loop <li>, <article>, .post, .entry)."""
        if box.tag in ("article", "li"):
            return True
        cls = box.get("class")
        return bool(cls) and any(t in self.w.post_item_markers for t in cls.lower().split())

    def link_title(self, a: Any, box: Any) -> str | None:
        """The title of a linked item: its link text, else a heading or first cell of its box."""
        t = _tc(a)
        if t and t.lower() not in self.w.read_more:
            return t[:200]
        img = next(iter(a.iter("img")), None)
        if img is not None and img.get("alt"):
            return clean_text(img.get("alt"))[:200]
        if box is not None:
            for el in box.iter(*_HEADINGS, "td", "p"):
                t = _tc(el)
                if t:
                    return t[:200]
        return a.get("title")

    def item(self, el: Any) -> tuple[str, str | None] | None:
        """The item a date belongs to: OWN (the page's post) or (linked post URL, title)."""
        node, depth = el, 0
        fallback = None
        while node is not None and depth < 7:
            if node.tag in _STOP_TAGS:
                break
            res = self.item_cache.get(node, "?")
            if res == "?":
                res = self.item_cache[node] = self._item_at(node)
            if res is not None:
                return fallback if res is OWN and fallback is not None else res
            # A date that is itself a link (<time><a href=post>28 November 2026</a></time>): the post box above
            # names the item with its heading; the link stands only if nothing better comes.
            fallback = fallback or self.date_links.get(node)
            node, depth = node.getparent(), depth + 1
        return fallback or OWN

    @staticmethod
    def _in_heading(a: Any, box: Any) -> bool:
        """Whether a link sits in a heading inside `box`."""
        p = a.getparent()
        while p is not None and p is not box:
            if p.tag in HEADING_SET:
                return True
            p = p.getparent()
        return False

    def _item_at(self, box: Any) -> tuple[str, str | None] | None:
        """Decide at one ancestor: a heading link or a content link makes an item; an h1 or article makes it own."""
        heading_link = best = date_link = None
        best_words = -1
        own_h1 = False
        for x in box.iter("a", "h1"):
            if x.tag == "a":
                link, words = self._anchor(x)
                if link is None:
                    continue
                if words < 0:
                    date_link = date_link or (link, x)
                    continue
                if self._in_heading(x, box):
                    heading_link = (link, x)
                    break   # the first heading link decides the box, whatever follows
                if words > best_words:
                    best, best_words = (link, x), words
            elif x.find(".//a") is None:
                own_h1 = True
        chosen = heading_link or (None if own_h1 else best)
        if chosen is not None:
            link, a = chosen
            if norm(link) == self.norm_url:
                return OWN
            if heading_link is not None:
                self.heading_boxes.add(box)
            if heading_link is not None and self.post_item_box(box):
                self.post_items.add(link)
            return (link, self.link_title(a, box))
        if own_h1 or box.tag == "article":
            return OWN
        if date_link is not None and norm(date_link[0]) != self.norm_url:
            self.date_links[box] = (date_link[0], self.link_title(date_link[1], None))
        return None

    def _anchor(self, a: Any) -> tuple[str | None, int]:
        """A link's item URL and its text's word count, -1 for a date text (cached: every box above asks again)."""
        got = self.anchor_cache.get(a)
        if got is None:
            link = self.link_url(a)
            words = 0
            if link is not None:
                text = _tc(a)
                words = -1 if self._is_date_text(text) else len(text.split())
            got = self.anchor_cache[a] = (link, words)
        return got

    def _is_date_text(self, text: str) -> bool:
        """Whether a link's text is just a date ("28 November 2026", "09/06/2023 10:15 WIB")."""
        if len(text) > 48 or not text or not any(c.isdigit() for c in text):
            return False
        f = next(self.r.find(text, self.as_of), None)
        return f is not None and sum(c.isalnum() for c in text[:f.start] + text[f.end:]) <= 6
