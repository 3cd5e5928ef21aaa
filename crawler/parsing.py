"""Parsing helpers of the crawl: sitemaps, feeds, URL canonical forms, content sniffing, packed links."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.http import HtmlResponse, Response, TextResponse

from crawler import settings as cs

GENERIC_TYPES = ("", "application/octet-stream", "text/plain", "binary/octet-stream", "application/x-unknown",
                 "application/unknown", "application/force-download")
_SESSION_PATH = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.I)
_SESSION_QUERY = re.compile(r"[?&](?:" + "|".join(map(re.escape, cs.SESSION_PARAMS)) + r")=", re.I)


def wp_posts_url(api_root: str) -> str:
    """The REST posts list under an advertised API root: `/wp-json/` or, with plain permalinks, `?rest_route=/`."""
    parts = urlsplit(api_root)
    if "rest_route=" in parts.query:
        return urlunsplit(parts._replace(query="rest_route=/wp/v2/posts&per_page=20"))
    return api_root.rstrip("/") + "/wp/v2/posts?per_page=20"


def _is_html(response: TextResponse) -> bool:
    ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    if "html" in ctype:
        return True
    return ctype.split(";")[0].strip() in GENERIC_TYPES and _looks_html(response.body)


def _looks_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _sniffed(response: Response) -> Response:
    """An HTML body served as binary (wrong or missing Content-Type) becomes an HtmlResponse."""
    if isinstance(response, TextResponse) or not response.body:
        return response
    ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower().split(";")[0].strip()
    if ctype in GENERIC_TYPES and _looks_html(response.body):
        return response.replace(cls=HtmlResponse)
    return response


def canonical(url: str) -> str:
    """The URL without fragment and session ids, so one page is one URL whatever session it was linked from."""
    url = url.partition("#")[0]
    if ";" not in url and not _SESSION_QUERY.search(url):
        return url  # the common case, without parsing
    try:
        parts = urlsplit(url)
    except ValueError:
        return url  # not a URL Python can parse (`http://[x]/`): the caller's same-site test drops it
    path = _SESSION_PATH.sub("", parts.path) if ";" in parts.path else parts.path
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in cs.SESSION_PARAMS]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    if path == parts.path and query == parts.query:
        return url
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def _sitemap_locs(text: str) -> list[tuple[str, str]]:
    """(loc, lastmod) pairs of a sitemap or sitemap index, tolerant of broken XML."""
    from lxml import etree

    try:
        root = etree.fromstring(text.encode("utf-8"), parser=etree.XMLParser(recover=True, huge_tree=False, resolve_entities=False))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    out = []
    for el in root:
        if not isinstance(el.tag, str):
            continue
        loc = lastmod = ""
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "loc":
                loc = (child.text or "").strip()
            elif tag == "lastmod":
                lastmod = (child.text or "").strip()
        if loc:
            out.append((loc, lastmod))
    return out[:50_000]


def _compact_sitemap(entries: list[tuple[str, str]]) -> str:
    """A small urlset of (loc, lastmod) entries, for the signals."""
    from xml.sax.saxutils import escape

    items = "".join(f"<url><loc>{escape(u)}</loc><lastmod>{escape(m)}</lastmod></url>" if m else
                    f"<url><loc>{escape(u)}</loc></url>" for u, m in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'


def _feed_links(text: str, kind: str) -> list[str]:
    """Item links of an RSS/Atom feed or a WordPress REST posts list, newest first as served."""
    if kind == "wp-api":
        try:
            data = json.loads(text)
        except ValueError:
            return []
        return [d["link"] for d in data if isinstance(d, dict) and isinstance(d.get("link"), str)] if isinstance(data, list) else []
    from lxml import etree

    try:
        root = etree.fromstring(text.encode("utf-8"), parser=etree.XMLParser(recover=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    links = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "link":
            href = el.get("href") or (el.text or "").strip()
            parent = el.getparent()
            if parent is not None and parent.tag.rsplit("}", 1)[-1] in ("item", "entry") and href:
                links.append(href)
    return links


def _pack(urls: list[str], base: str) -> list[str]:
    """Links as stored: same-host URLs as their path (most of a page's links), others whole."""
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    n = len(origin)
    return [u[n:] if u.startswith(origin) and u[n:n + 1] == "/" else u for u in urls]


def _unpack(urls: list[str] | None, base: str) -> list[str]:
    """Stored links back to absolute URLs."""
    if not urls:
        return []
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    return [origin + u if u.startswith("/") else u for u in urls]


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def _short(text: str, n: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
