"""Dates signal: a page's publication/modification dates and its dated items, with the traps rejected."""
from __future__ import annotations

import html as htmllib
import json
import re
from typing import Any, Mapping

from lxml import etree

from . import Context, header, join_url
from .dates_core import CONF, SOURCES, DateEntry, DateSignals, choose_own, clean_text, fresh_install, judge_future
from .dates_html import from_html
from .dates_parse import local_day, parse_http_date, parse_machine, rules

__all__ = ["CONF", "SOURCES", "DateEntry", "DateSignals", "extract"]


def extract(url: str, body: str, headers: Mapping[str, str], ctx: Context) -> DateSignals:
    """All dates of one resource (HTML, RSS/Atom, sitemap or WordPress REST JSON), routed by type and sniffing."""
    body = body or ""
    ctype = (header(headers, "content-type") or "").lower()
    head = body[:600].lstrip("\ufeff \t\r\n")
    if "json" in ctype or head[:1] in ("[", "{"):
        sig = _from_wp_api(url, body, ctx)
    elif "<rss" in head or "<feed" in head or "<rdf:RDF" in head or "rss+xml" in ctype or "atom+xml" in ctype:
        sig = _from_feed(url, body, ctx)
    elif "<urlset" in head or "<sitemapindex" in head:
        sig = _from_sitemap(url, body, ctx)
    elif head and "<" in head:
        sig = _from_html(url, body, ctx)
    else:
        sig = DateSignals()
    _add_http_header(sig, url, headers, ctx)
    return sig


def _xml_root(body: str) -> Any:
    """An lxml XML tree, tolerant of bad markup, never fetching anything (None when unreadable)."""
    data = body.lstrip("\ufeff \t\r\n\x00").encode("utf-8", "replace")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser) if data else None
    except etree.XMLSyntaxError:  # nothing libxml2 can recover ("Document is empty"): no dates in it
        return None


def _local(tag: Any) -> str:
    """An element's tag without its namespace (comments and PIs give '')."""
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


# ---------------------------------------------------------------- feeds, sitemaps, WordPress REST

def _from_feed(url: str, body: str, ctx: Context) -> DateSignals:
    """RSS 1/2 and Atom: one published entry per item, with the item's own link."""
    r, sig = rules(), DateSignals(is_listing=True)
    root = _xml_root(body)
    if root is None:
        return sig
    for item in root.iter():
        if _local(item.tag) not in ("item", "entry"):
            continue
        fields: dict[str, str] = {}
        link = None
        for ch in item:
            name = _local(ch.tag)
            if name == "link":
                href = ch.get("href")
                if href and ch.get("rel", "alternate") == "alternate":
                    link = link or href
                elif not href and ch.text:
                    link = link or ch.text.strip()
            elif name in ("title", "pubdate", "date", "published", "updated", "issued", "modified", "guid"):
                fields.setdefault(name, clean_text(ch.text))
            elif name in ("description", "summary", "content", "encoded"):
                fields["text"] = fields.get("text", "") + " " + (ch.text or "")[:2000]
        title = htmllib.unescape(fields.get("title", "")) or None
        item_url = join_url(url, link) if link else None
        for name, kind in (("pubdate", "published"), ("published", "published"), ("issued", "published"),
                           ("date", "published"), ("updated", "modified"), ("modified", "modified")):
            raw = fields.get(name)
            day = parse_machine(raw, ctx.timezone, ctx.as_of) if raw else None
            if day is None:
                continue
            if kind == "modified" and any(e.item_url == item_url and e.date == day for e in sig.dates):
                continue
            e = DateEntry(day, "feed", raw, item_url=item_url, title=title, kind=kind, confidence=CONF["feed"])
            if fresh_install(title, r, item_url, _plain(fields.get("text"))):
                e.rejected = "fresh-install"
            judge_future(e, ctx)
            sig.dates.append(e)
    return sig


def _from_sitemap(url: str, body: str, ctx: Context) -> DateSignals:
    """Sitemap urlset or index: lastmod per loc; a sitemap stamping (nearly) every URL today is the generator's clock."""
    r, sig = rules(), DateSignals(is_listing=True)
    root = _xml_root(body)
    if root is None:
        return sig
    for node in root.iter():
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        loc = lastmod = None
        for ch in node:
            name = _local(ch.tag)
            if name == "loc":
                loc = clean_text(ch.text)
            elif name == "lastmod":
                lastmod = clean_text(ch.text)
        day = parse_machine(lastmod, ctx.timezone, ctx.as_of) if lastmod else None
        if day is not None:
            sig.dates.append(DateEntry(day, "sitemap", lastmod, item_url=join_url(url, loc) if loc else None,
                                       kind="modified", confidence=CONF["sitemap"]))
    days = [e.date for e in sig.dates]
    if len(days) >= int(r.data["sitemap_generated_min"]):
        top = max(set(days), key=days.count)
        share = days.count(top) / len(days)
        if share >= float(r.data["sitemap_generated_share"]) and (ctx.as_of - top).days <= 1:
            for e in sig.dates:
                if e.date == top:
                    e.rejected = "generated-now"
    for e in sig.dates:
        judge_future(e, ctx)
    return sig


def _from_wp_api(url: str, body: str, ctx: Context) -> DateSignals:
    """WordPress REST posts/pages/media: `date` (site-local) is the publication, `modified` the update."""
    r = rules()
    try:
        data = json.loads(body)
    except ValueError:  # not JSON after all: nothing dated here
        return DateSignals()
    items = data if isinstance(data, list) else [data]
    sig = DateSignals(is_listing=isinstance(data, list))
    for obj in items:
        if not isinstance(obj, dict):
            continue
        title = obj.get("title")
        if isinstance(title, dict):
            title = title.get("rendered")
        title = clean_text(re.sub(r"<[^>]+>", " ", htmllib.unescape(title))) if isinstance(title, str) else None
        link = obj.get("link") if isinstance(obj.get("link"), str) else None
        slug = obj.get("slug") if isinstance(obj.get("slug"), str) else ""
        text = " ".join(_plain(x.get("rendered") if isinstance(x, dict) else x)
                        for x in (obj.get("content"), obj.get("excerpt")) if isinstance(x, (dict, str)))
        sample = fresh_install(title, r, link, text) or fresh_install(None, r, "/" + slug)
        for key, kind in (("date", "published"), ("modified", "modified")):
            raw = obj.get(key)
            if not isinstance(raw, str):
                continue
            day = parse_machine(raw, ctx.timezone, ctx.as_of)
            if day is None or (kind == "modified" and sig.dates and sig.dates[-1].item_url == link
                               and sig.dates[-1].date == day):
                continue
            e = DateEntry(day, "wp-api", raw, item_url=link, title=title, kind=kind, confidence=CONF["wp-api"])
            if sample:
                e.rejected = "fresh-install"
            judge_future(e, ctx)
            sig.dates.append(e)
    if not sig.is_listing:
        choose_own(sig, items[0].get("link") if items and isinstance(items[0], dict) else None, ctx)
    return sig


def _plain(html: str | None) -> str:
    """Text of an HTML fragment (a feed's description, the REST API's rendered content), tags dropped."""
    if not isinstance(html, str):
        return ""
    return clean_text(htmllib.unescape(re.sub(r"<[^>]+>", " ", html[:4000])))


def _add_http_header(sig: DateSignals, url: str, headers: Mapping[str, str], ctx: Context) -> None:
    """Last-Modified: low trust; equal to the fetch time it is the page being generated, not updated."""
    raw = header(headers, "last-modified")
    dt = parse_http_date(raw)
    if dt is None or raw is None:
        return
    e = DateEntry(local_day(dt, ctx.timezone), "http-header", raw, item_url=None if sig.is_listing else url,
                  kind="modified", confidence=CONF["http-header"])
    if ctx.fetched_at is not None and dt.tzinfo is not None:
        fetched = ctx.fetched_at if ctx.fetched_at.tzinfo else ctx.fetched_at.astimezone()
        if abs((fetched - dt).total_seconds()) <= 120:
            e.rejected = "generated-now"
    judge_future(e, ctx)
    sig.dates.append(e)


def _from_html(url: str, body: str, ctx: Context) -> DateSignals:
    """HTML pages (the HTML half lives in dates_html)."""
    return from_html(url, body, ctx)
