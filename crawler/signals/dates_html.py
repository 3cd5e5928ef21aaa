"""HTML half of the dates signal: meta, JSON-LD, <time>, visible text and URL dates, items and traps."""
from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from . import Context, join_url, split_url
from . import dates_htmldate as htmldate_candidate
from .dates_context import Cues as _Cues
from .dates_context import Sighting as _Sighting
from .dates_context import Zone as _Zone
from .dates_context import Zones as _Zones
from .dates_context import beside_clock, said, slug_heading
from .dates_context import tc as _tc
from .dates_context import words as word_rules
from .dates_core import (
    CONF,
    SKIP_TAGS,
    URL_DATE,
    URL_DAY,
    URL_MONTH_POST,
    DateEntry,
    DateSignals,
    choose_own,
    clean_text,
    fresh_install,
    judge_future,
)
from .dates_parse import Found, make_date, parse_machine, rules
from .tree import parsed

# Script and style text never shows: leaving it out halves the text to scan on real pages, whose inline CSS/JS
# is full of digit runs like "#201934" that look like years. One descendant axis, not "//" (descendant-or-self::
# node()/child::text(), a node-set per element merged): same nodes, 1 ms less a page.
_ALL_TEXT = etree.XPath("/descendant::text()[not(parent::script or parent::style)]")
_TEXT_NODES = etree.XPath("/descendant::text()")
_RAW_TEXT = ("script", "style")


def _shown_text_nodes(root: Any) -> list[Any]:
    """_ALL_TEXT's nodes; its predicate costs more in libxml2 than the same test in Python (0.65 ms vs 0.45)."""
    if any(len(el) for el in root.iter(_RAW_TEXT)):
        return _ALL_TEXT(root)   # never from libxml2's parser (their content is raw text), but exact all the same
    # Without children in scripts and styles, a tail's parent is none of them: only a text's own element is looked at.
    return [t for t in _TEXT_NODES(root) if t.is_tail or getattr(t.getparent(), "tag", None) not in _RAW_TEXT]
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_HEADING_SET = {"h1", *_HEADINGS}
_LABEL_NOT = {"title", "a", *_HEADING_SET}
_STOP_TAGS = {"body", "html", "main"}
_SLUG_WORDS = (3, 5)
"""Slug words a heading must say to name a single article: alone, and among two or more dated post boxes."""
OWN = ("own", None)
"""Marker of a date that belongs to the page itself, not to a linked item."""


def _norm(url: str) -> str:
    """A URL for comparisons: no fragment, no trailing slash."""
    return url.split("#", 1)[0].rstrip("/")


def _host(url: str) -> str:
    """Host name without a leading www."""
    return _hostname(split_url(url))


def _hostname(parts: Any) -> str:
    """Host name of a split URL (None: '') without a leading www."""
    h = ((parts.hostname if parts else None) or "").lower()
    return h[4:] if h.startswith("www.") else h


def from_html(url: str, body: str, ctx: Context) -> DateSignals:
    """All dates of one HTML page."""
    root = parsed(body).root
    if root is None:
        return DateSignals()
    page = _Page(url, root, ctx)
    page.collect()
    sig = page.decide()
    if not sig.is_listing and sig.published is None:
        htmldate_candidate.fill(sig, url, root, ctx, page.title, page.fresh)
    return sig


class _Page:
    """One HTML page being read."""

    def __init__(self, url: str, root: Any, ctx: Context):
        self.url, self.root, self.ctx = url, root, ctx
        self.r = rules()
        self.w = word_rules(self.r)
        self.norm_url, self.host = _norm(url), _host(url)
        self.web_base = (split_url(url) or urlsplit("")).scheme in ("http", "https")
        self.sig = DateSignals()
        self.strong_post = False
        self.url_post = False
        self.fresh = False
        self.time_done: set[Any] = set()
        self.zones = _Zones(self.w, self._post_item_box)
        self.link_cache: dict[str, str | None] = {}
        self.item_cache: dict[Any, tuple[str, str | None] | None] = {}
        self.anchor_cache: dict[Any, tuple[str | None, int]] = {}
        self.date_links: dict[Any, tuple[str, str | None]] = {}
        self.heading_boxes: set[Any] = set()
        """Boxes whose item was named by a heading link (a listed post, not a menu or widget link)."""
        self.scripts: str | None = None
        self.post_items: set[str] = set()
        """Item URLs found as a heading link in a repeated post box (a listing's structure)."""
        self.h1 = next(iter(root.iter("h1")), None)
        self.h1_text = _tc(self.h1) if self.h1 is not None else ""
        title_el = next(iter(root.iter("title")), None)
        self.title = self.h1_text or (_tc(title_el) if title_el is not None else "") or None

    # ------------------------------------------------------------ collection

    def collect(self) -> None:
        """Read every kind of date on the page."""
        self._meta()
        self._jsonld()
        self._times()
        self._texts()
        self._url_dates()

    def _add(self, day: date, source: str, text: str, kind: str, conf: float,
             item: tuple[str, str | None] | None = OWN, rejected: str | None = None) -> DateEntry:
        """Record one entry (item OWN = the page itself)."""
        item = item or OWN
        own = item is OWN
        e = DateEntry(day, source, clean_text(text)[:120], rejected,
                      self.url if own else item[0], self.title if own else item[1], kind, conf)
        if not own and e.rejected is None and fresh_install(e.title, self.r, e.item_url):
            e.rejected = "fresh-install"
        judge_future(e, self.ctx)
        self.sig.dates.append(e)
        return e

    def _meta(self) -> None:
        """<meta> publication/modification dates (Open Graph, Dublin Core, itemprop)."""
        for m in self.root.iter("meta"):
            key = (m.get("property") or m.get("name") or m.get("itemprop") or "").lower()
            content = m.get("content") or ""
            if key == "og:type" and content.lower() == "article":
                self.strong_post = True
            kind = self.w.meta.get(key)
            if not kind:
                continue
            day = parse_machine(content, self.ctx.timezone, self.ctx.as_of)
            if day is not None:
                self._add(day, "meta", f"{key}={content}", kind, CONF["meta"])
                self.strong_post = self.strong_post or key.startswith("article:")

    def _jsonld(self) -> None:
        """JSON-LD datePublished/dateModified (articles trusted, other types less; events are events)."""
        for s in self.root.iter("script"):
            kind = (s.get("type") or "").lower().strip()
            # Some CMSs drop the type attribute: a script that is a JSON object naming a schema.org type is JSON-LD.
            untyped = not kind and s.text is not None and s.text.lstrip()[:1] in ("{", "[") and '"@type"' in s.text
            if (kind != "application/ld+json" and not untyped) or not s.text:
                continue
            try:
                data = json.loads(s.text)
            except ValueError:  # broken JSON-LD is common; it just carries no date
                continue
            self._walk_ld(data, 0)

    def _walk_ld(self, node: Any, depth: int) -> None:
        """Visit JSON-LD objects (nested, @graph, lists)."""
        if depth > 6:
            return
        if isinstance(node, list):
            for x in node:
                self._walk_ld(x, depth + 1)
            return
        if not isinstance(node, dict):
            return
        types = node.get("@type")
        types = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
        article, event = bool(types & self.w.ld_article), bool(types & self.w.ld_event)
        item: tuple[str, str | None] | None = OWN
        link = node.get("url") if isinstance(node.get("url"), str) else None
        title = node.get("headline") or node.get("name")
        joined = join_url(self.url, link) if link else None
        if article and joined and _norm(joined) != self.norm_url:
            item = (joined, title if isinstance(title, str) else None)
        elif article:
            self.strong_post = True
        keys = (("startDate", "event"), ("endDate", "event")) if event else (
            ("datePublished", "published"), ("dateCreated", "published"), ("uploadDate", "published"),
            ("dateModified", "modified"))
        for key, kind in keys:
            raw = node.get(key)
            day = parse_machine(raw, self.ctx.timezone, self.ctx.as_of) if isinstance(raw, str) else None
            if day is not None:
                conf = CONF["json-ld"] if article else CONF["json-ld-other"]
                self._add(day, "json-ld", f"{key}={raw}", kind, conf, item, "agenda-event" if event else None)
        for k, v in node.items():
            if isinstance(v, (dict, list)) and k != "@context":
                self._walk_ld(v, depth + 1)

    def _times(self) -> None:
        """<time datetime> elements, judged by where they stand like visible text."""
        for t in self.root.iter("time"):
            raw = t.get("datetime") or t.get("content") or ""
            day = parse_machine(raw, self.ctx.timezone, self.ctx.as_of) if raw else None
            if day is None:
                continue
            self.time_done.add(t)
            shown = _tc(t)
            # The visible date beats a datetime attribute that disagrees with it (field notes: small CMSs).
            seen = next((f for f in self.r.find(shown, self.ctx.as_of) if f.form == "absolute"), None) \
                if len(shown) > 7 else None
            if seen is not None and seen.day != day:
                day = seen.day
            cls = (t.get("class") or "").lower()
            kind = "modified" if ("updated" in cls or "modified" in cls) and "published" not in cls else "published"
            self._judge(_Sighting(Found(day, 0, 0, "absolute"), _tc(t) or raw, t, "time", kind=kind, conf=CONF["time"]))

    def _texts(self) -> None:
        """Visible text: every Indonesian/English date the regexes find, with its context."""
        texts = _shown_text_nodes(self.root)
        # One scan of the joined text finds the few nodes worth a look (a Python loop over every node cost 1 ms).
        joined = "\x00".join(texts)
        n = len(joined)
        offsets = []   # (offset, whether a year or a gate word other than "/" stands there)
        for m in self.r.year_rx.finditer(joined):  # "(?:19|20)\d\d": digit bounds are checked here, 3x faster
            a, b = m.span()
            if not ((a and joined[a - 1].isdigit()) or (b < n and joined[b].isdigit())):
                offsets.append((a, True))
        for needle in self.r.gate_words:
            k, strong = joined.find(needle), needle != "/"
            while k >= 0:
                offsets.append((k, strong))
                k = joined.find(needle, k + 1)
        # Node index of each hit = separators before it, counted in C between consecutive hits (no per-node loop).
        hits, node, last = [], 0, 0
        for a, strong in sorted(offsets):
            node += joined.count("\x00", last, a)
            last = a
            if not hits or hits[-1][0] != node:
                hits.append([node, strong])
            hits[-1][1] = hits[-1][1] or strong
        for i, strong in hits:
            s = texts[i]
            if not strong and not self.r.slash_may_date(s):
                continue   # a "/" alone ("km/jam", a path) gives `find` nothing to read: 17 % of its calls
            el = s.getparent()
            if el is None:
                continue
            container = el.getparent() if s.is_tail else el
            if container is None or (not s.is_tail and el.tag in SKIP_TAGS) or container.tag in SKIP_TAGS:
                continue
            if container in self.time_done or container.getparent() in self.time_done:
                continue
            text = s.replace("\xa0", " ")
            found = list(self.r.find(text, self.ctx.as_of))
            if not found:
                continue   # most hits hold no date ("Oktober 2012", "© 2020"): their label is never read
            prev = next((texts[k] for k in range(i - 1, max(-1, i - 4), -1) if not texts[k].isspace()), "")
            # Only a short label ("Login terakhir:", "Diposting") speaks for the next text; a title does not.
            if prev and (len(prev) > 40 or not prev.is_tail and prev.getparent() is not None
                                  and prev.getparent().tag in _LABEL_NOT):
                prev = ""
            for f in found:
                self._judge(_Sighting(f, text, container, "text", label=prev))

    def _url_dates(self) -> None:
        """Dates in post URLs (/2026/11/25/slug/): the page's own, and those of linked posts."""
        path = urlsplit(self.url).path
        m = URL_DATE.search(path) or URL_DAY.search(path)
        day = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
        self.url_post = bool(day) and m.group(4).lower() not in self.w.archive_slugs
        if day:
            self._add(day, "url", m.group(0), "published", CONF["url"])
        seen = {self.norm_url}
        for a in self.root.iter("a"):
            href = a.get("href") or ""
            if "/19" not in href and "/20" not in href:
                continue
            m = URL_DATE.search(href)
            link = self._link_url(a) if m else None
            if not link or _norm(link) in seen:
                continue
            seen.add(_norm(link))
            day = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if day:
                zone = self._zone(a)
                self._add(day, "url", href, "published", CONF["url"], (link, self._link_title(a, None)),
                          zone.trap if zone.trap in ("agenda-event", "counter") else None)

    # ------------------------------------------------------------ judging one date

    def _judge(self, seen: _Sighting) -> None:
        """Classify one date: trap or not, own or item, kind and confidence."""
        f, as_of = seen.found, self.ctx.as_of
        cues = self._cues(seen)
        zone = self._zone(seen.container)
        labelled = cues.posted or cues.modified
        reason = cues.trap
        if reason is None and not labelled:
            if zone.trap:
                reason = zone.trap
            elif f.day == as_of and zone.header:
                reason = "today-clock"
        kind, conf = seen.kind, seen.conf
        if kind is None:
            kind, conf = self._kind(seen, zone, cues)
        elif cues.modified:
            kind = "modified"
        if f.form == "relative-year":
            reason = reason or "not-day-precise"
        item = self._item(seen.container)
        if reason is None and f.day == as_of and (zone.header or zone.widget or self._beside_clock(seen.container)) \
                and not self._attached(seen.container):
            reason = "today-clock"  # the crawl day in the site's chrome, tied to no item link: a clock or date bar
        if (reason is None and item is OWN and f.day == as_of and not zone.in_article
                and not (labelled or zone.post_meta)):
            reason = "today-clock"  # a bare date of today outside the content: a date bar
        if zone.footer and not labelled:
            kind, conf = "unknown", min(conf, CONF["text-mention"])
        snippet = seen.text[max(0, f.start - 30):f.end + 20] if seen.source == "text" else seen.text
        self._add(f.day, seen.source, snippet, kind, conf, item, reason)

    def _cues(self, seen: _Sighting) -> _Cues:
        """The trap, posted and modified words next to a visible text date (none for a <time>)."""
        w, f, text = self.w, seen.found, seen.text
        before = after = ""
        if seen.source == "text":
            before = text[max(0, f.start - 40):f.start].lower()
            if len(before.strip()) < 3:
                before = (seen.label[-40:] + " " + before).lower()
            after = text[f.end:f.end + 25].lower()
        trap = next((rs for rs, rx in w.prefix if rx.search(before)), None)
        trap = trap or next((rs for rs, rx in w.suffix if rx.search(after)), None)
        return _Cues(trap, bool(w.posted.search(before)), bool(w.modified.search(before)))

    def _kind(self, seen: _Sighting, zone: _Zone, cues: _Cues) -> tuple[str, float]:
        """Kind and trust of a visible text date."""
        f = seen.found
        if f.form.startswith("relative"):
            if not (cues.posted or cues.modified) and said(self.w, seen.container, seen.text, seen.found,
                                                           zone.post_meta):
                return "unknown", CONF["text-mention"]
            kind = "modified" if cues.modified else "published"
            return kind, CONF["relative-month" if f.form == "relative-month" else "relative"]
        if cues.modified:
            return "modified", CONF["text-posted"]
        if seen.container.tag == "h1" or seen.container.tag == "title":
            return "unknown", CONF["text-mention"]  # "Arsip 14 Juli 2022": an archive title, not a post date
        if cues.posted or zone.post_meta:
            return "published", CONF["text-posted"]
        if f.form == "dateline":
            return "published", CONF["text-dateline"]
        if len(seen.text.strip()) <= (f.end - f.start) + 30:
            return "published", CONF["text-label"]
        return "unknown", CONF["text-mention"]

    def _zone(self, el: Any) -> _Zone:
        """The trap zone of an element, from the id/class names and tags of its ancestors."""
        return self.zones.zone(el)

    def _post_text(self) -> str:
        """The text of the page's own post (the <article> or <main> around its h1), or '' without one."""
        node = self.h1
        while node is not None and node.tag not in ("article", "main"):
            node = node.getparent()
        return _tc(node)[:3000] if node is not None else ""

    def _attached(self, el: Any) -> bool:
        """Whether a date stands beside an item's own link: in a post box, under a heading link, or as a date link."""
        node, depth = el, 0
        while node is not None and depth < 7 and node.tag not in _STOP_TAGS:
            if node in self.date_links:
                return True
            res = self.item_cache.get(node, "?")
            if res != "?" and res is not None:
                return res is not OWN and (node in self.heading_boxes or self._post_item_box(node))
            node, depth = node.getparent(), depth + 1
        return False

    def _beside_clock(self, el: Any) -> bool:
        """Whether a date stands beside an empty element that a script fills (a clock: <span id="jam"></span>)."""
        if self.scripts is None:
            self.scripts = " ".join(s.text or "" for s in self.root.iter("script") if not s.get("src"))[:300_000]
        return beside_clock(self.w, el, self.scripts)

    # ------------------------------------------------------------ items

    def _link_url(self, a: Any) -> str | None:
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
            if link and (self.w.non_item.search(low) or _host(link) != self.host or self._is_home(link)):
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

    def _post_item_box(self, box: Any) -> bool:
        """Whether a box is one repeated post item of a listing (query-loop <li>, <article>, .post, .entry)."""
        if box.tag in ("article", "li"):
            return True
        cls = box.get("class")
        return bool(cls) and any(t in self.w.post_item_markers for t in cls.lower().split())

    def _link_title(self, a: Any, box: Any) -> str | None:
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

    def _item(self, el: Any) -> tuple[str, str | None] | None:
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
            if p.tag in _HEADING_SET:
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
            if _norm(link) == self.norm_url:
                return OWN
            if heading_link is not None:
                self.heading_boxes.add(box)
            if heading_link is not None and self._post_item_box(box):
                self.post_items.add(link)
            return (link, self._link_title(a, box))
        if own_h1 or box.tag == "article":
            return OWN
        if date_link is not None and _norm(date_link[0]) != self.norm_url:
            self.date_links[box] = (date_link[0], self._link_title(date_link[1], None))
        return None

    def _anchor(self, a: Any) -> tuple[str | None, int]:
        """A link's item URL and its text's word count, -1 for a date text (cached: every box above asks again)."""
        got = self.anchor_cache.get(a)
        if got is None:
            link = self._link_url(a)
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
        f = next(self.r.find(text, self.ctx.as_of), None)
        return f is not None and sum(c.isalnum() for c in text[:f.start] + text[f.end:]) <= 6

    # ------------------------------------------------------------ the page's verdict

    def decide(self) -> DateSignals:
        """Listing or post; the page's own published/modified dates; page-wide rejections."""
        sig, as_of = self.sig, self.ctx.as_of
        self.fresh = fresh_install(self.h1_text or self.title, self.r, self.url, self._post_text())
        if self.fresh:
            for e in sig.dates:
                if e.item_url == self.url and e.rejected is None:
                    e.rejected = "fresh-install"
        self._own_variants()
        not_items = ("agenda-event", "counter", "today-clock", "future", "not-day-precise")
        # The page's own path without its query (…/news.html for …/news.html?id=7) is the list it came from.
        up = self.url.split("?", 1)[0] if "?" in self.url else None
        text_items = {e.item_url for e in sig.dates if e.item_url and e.item_url not in (self.url, up)
                      and e.source in ("text", "time", "json-ld") and e.rejected not in not_items}
        url_items = {e.item_url for e in sig.dates if e.item_url and e.item_url != self.url and e.source == "url"}
        own = [e for e in sig.dates if e.item_url == self.url and e.rejected is None and e.kind == "published"]
        # A dated permalink (/2018/06/28/slug/) names one post, whatever related-post boxes it shows.
        strong_own = self.strong_post or any(
            (e.confidence >= CONF["text-label"] and e.source != "url") or (e.source == "url" and self.url_post)
            for e in own)
        parts = urlsplit(self.url)
        path = parts.path.lower()
        keys = {k.split("=", 1)[0].lower() for k in parts.query.split("&") if k}
        # The home path is a listing unless a plain permalink (?p=1, ?page_id=2) names one post.
        home = path in ("", "/", "/index.php") and not keys & self.w.item_query_keys
        listing_url = (home or any(path.startswith(p) for p in self.w.listing_paths)
                       or any(p in path for p in self.w.listing_path_parts)
                       or bool(keys & self.w.listing_query_keys))
        strong_own = strong_own or (not home and bool(URL_MONTH_POST.search(path)))
        in_posts = len(text_items & self.post_items)
        # A post's own heading spelled in its URL names one article, whatever related-post boxes it shows; among
        # repeated post boxes it takes a long title, as a category's name ("Berita dan Pengumuman") is short.
        strong_own = strong_own or (not home and slug_heading(self.root, parts.path, _SLUG_WORDS[in_posts >= 2]))
        sig.is_listing = not strong_own and (
            len(text_items) >= 2 or (len(text_items) >= 1 and (listing_url or in_posts >= 1))
            or (not text_items and len(url_items) >= 2 and not own))
        if sig.is_listing:
            for e in sig.dates:
                if e.item_url == self.url:
                    e.item_url, e.title = None, None
            items = [e for e in sig.dates if e.item_url and e.rejected is None and e.source in ("text", "time")]
            if len({e.item_url for e in items}) >= 3 and all(e.date == as_of for e in items):
                for e in items:
                    e.rejected = "generated-now"  # a CMS printing today for every post: no real dates
        else:
            choose_own(sig, self.url, self.ctx)
            # A permalink's date is fixed when the post first goes up: metadata later than it is a re-publication.
            first = [e.date for e in sig.dates if e.source == "url" and e.item_url == self.url and e.rejected is None]
            if self.url_post and first and sig.published and first[0] < sig.published:
                sig.published = first[0]
            if sig.published is None and not listing_url and not self.fresh:
                sig.published = self._byline_day()
        return sig

    def _own_variants(self) -> None:
        """Dates tied to the page's own URL plus /trackback/, /feed/, /amp/ … are the page's own."""
        for e in self.sig.dates:
            if e.item_url and e.item_url != self.url:
                head, _, tail = _norm(e.item_url).rpartition("/")
                if head == self.norm_url and tail.lower() in self.w.archive_slugs:
                    e.item_url, e.title = self.url, self.title

    def _byline_day(self) -> date | None:
        """The one labelled date of a post page that ronda tied to a link: its byline's tag, author or section link."""
        # A post page shows another post's date with a label only when it shows other posts: then the days differ.
        days = {e.date for e in self.sig.dates if e.rejected is None and e.kind == "published"
                and e.source in ("text", "time") and e.confidence >= CONF["text-label"]
                and e.item_url not in (None, self.url)}
        return days.pop() if len(days) == 1 else None
