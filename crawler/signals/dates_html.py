"""HTML half of the dates signal: meta, JSON-LD, <time>, visible text and URL dates, and the traps each is judged by."""
from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from . import Context, join_url
from . import dates_htmldate as htmldate_candidate
from .dates_context import Cues as _Cues
from .dates_context import Sighting as _Sighting
from .dates_context import Zone as _Zone
from .dates_context import Zones as _Zones
from .dates_context import beside_clock, said
from .dates_context import tc as _tc
from .dates_context import words as word_rules
from .dates_core import (
    CONF,
    SKIP_TAGS,
    URL_DATE,
    URL_DAY,
    DateEntry,
    DateSignals,
    clean_text,
    fresh_install,
    judge_future,
)
from .dates_items import HEADING_SET, OWN, Items, norm
from .dates_parse import Found, make_date, parse_machine, rules
from .dates_verdict import decide
from .tree import parsed, shown_text_nodes

_LABEL_NOT = {"title", "a", *HEADING_SET}


def from_html(url: str, body: str, ctx: Context) -> DateSignals:
    """All dates of one HTML page."""
    root = parsed(body).root
    if root is None:
        return DateSignals()
    page = Page(url, root, ctx)
    page.collect()
    sig = decide(page)
    if not sig.is_listing and sig.published is None:
        htmldate_candidate.fill(sig, url, root, ctx, page.title, page.fresh)
    return sig


class Page:
    """One HTML page being read."""

    def __init__(self, url: str, root: Any, ctx: Context):
        self.url, self.root, self.ctx = url, root, ctx
        self.r = rules()
        self.w = word_rules(self.r)
        self.items = Items(url, ctx.as_of, self.r, self.w)
        self.sig = DateSignals()
        self.strong_post = False
        self.url_post = False
        self.fresh = False
        self.time_done: set[Any] = set()
        self.zones = _Zones(self.w, self.items.post_item_box)
        self.scripts: str | None = None
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
        if article and joined and norm(joined) != self.items.norm_url:
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
        # Script and style text never shows: leaving it out halves the text to scan on real pages, whose inline CSS/JS
        # is full of digit runs like "#201934" that look like years.
        texts = shown_text_nodes(self.root)
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
        seen = {self.items.norm_url}
        for a in self.root.iter("a"):
            href = a.get("href") or ""
            if "/19" not in href and "/20" not in href:
                continue
            m = URL_DATE.search(href)
            link = self.items.link_url(a) if m else None
            if not link or norm(link) in seen:
                continue
            seen.add(norm(link))
            day = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if day:
                zone = self._zone(a)
                self._add(day, "url", href, "published", CONF["url"], (link, self.items.link_title(a, None)),
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
        item = self.items.item(seen.container)
        if reason is None and f.day == as_of and (zone.header or zone.widget or self._beside_clock(seen.container)) \
                and not self.items.attached(seen.container):
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
        if len(seen.text.strip()) <= (f.end - f.start) + 30 or self._byline(seen):
            return "published", CONF["text-label"]
        return "unknown", CONF["text-mention"]

    def _byline(self, seen: _Sighting) -> bool:
        """Whether the date is one field of a short byline whose other fields name an author or count views."""
        w, f, text = self.w, seen.found, seen.text
        if len(text) > w.byline_max:
            return False
        before, after = text[:f.start].rstrip(), text[f.end:].lstrip()
        fenced = (before.endswith(w.byline_seps), after.startswith(w.byline_seps))
        if not any(fenced) or (before and not fenced[0]) or (after and not fenced[1]):
            return False
        return w.byline_field.search(f"{before} {after}".lower()) is not None

    def _zone(self, el: Any) -> _Zone:
        """The trap zone of an element, from the id/class names and tags of its ancestors."""
        return self.zones.zone(el)

    def _beside_clock(self, el: Any) -> bool:
        """Whether a date stands beside an empty element that a script fills (a clock: <span id="jam"></span>)."""
        if self.scripts is None:
            self.scripts = " ".join(s.text or "" for s in self.root.iter("script") if not s.get("src"))[:300_000]
        return beside_clock(self.w, el, self.scripts)
