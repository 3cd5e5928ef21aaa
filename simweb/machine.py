"""Machine-readable views of the simulated sites (feeds, REST API, sitemaps, robots.txt) and the Response type."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape

from .model import SimSite, absolute

WIB = timezone(timedelta(hours=7))


@dataclass
class Response:
    """What a site answers: status, type, body and the time its content last changed."""

    status: int
    ctype: str
    body: bytes
    modified: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _dt(day: date, hh: int = 0, mm: int = 0) -> datetime:
    """A WIB datetime."""
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=WIB)


def feed_path(site: SimSite) -> str:
    """Where the WordPress feed lives in this permalink style."""
    return "/?feed=rss2" if site.plain else f"{site.wp_prefix}/feed/"


def api_root(site: SimSite) -> str:
    """The REST API root this WordPress advertises."""
    return "/index.php?rest_route=/" if site.plain else f"{site.wp_prefix}/wp-json/"


def sitemap_path(site: SimSite) -> str:
    """The core sitemap index of this WordPress."""
    return "/?sitemap=index" if site.plain else f"{site.wp_prefix}/wp-sitemap.xml"


def _rfc822(dt: datetime) -> str:
    """An RSS pubDate."""
    return format_datetime(dt)


def feed(site: SimSite, today: date) -> Response:
    """RSS 2.0 of the newest posts (WordPress)."""
    items = []
    for p in site.visible_posts(today)[:10]:
        link = escape(absolute(site, p.path))
        items.append(f"<item><title>{escape(p.title)}</title><link>{link}</link><guid isPermaLink=\"false\">{escape(absolute(site, f'/?p={p.n}'))}</guid>"
                     f"<pubDate>{_rfc822(_dt(p.day, p.hh, p.mm))}</pubDate><category><![CDATA[{site.section}]]></category>"
                     f"<description>{escape(p.body[0])}</description></item>")
    newest = _newest(site, today)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           f"<title>{escape(site.name)}</title><link>{escape(site.url)}</link><description>Pemerintah Kota Pematangsiantar</description>"
           f"<lastBuildDate>{_rfc822(newest)}</lastBuildDate><language>id</language>" + "".join(items) + "</channel></rss>\n")
    return Response(200, "application/rss+xml; charset=UTF-8", xml.encode(), newest)


def atom(site: SimSite, today: date) -> Response:
    """Atom feed of a blog-style site."""
    entries = []
    for p in site.visible_posts(today)[:10]:
        iso = _dt(p.day, p.hh, p.mm).isoformat()
        entries.append(f"<entry><title>{escape(p.title)}</title><link href=\"{escape(absolute(site, p.path))}\"/>"
                       f"<id>tag:simweb,{p.day.year}:{site.id}.{p.n}</id><published>{iso}</published><updated>{iso}</updated></entry>")
    newest = _newest(site, today)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
           f"<title>{escape(site.name)}</title><id>tag:simweb:{site.id}</id><updated>{newest.isoformat()}</updated>"
           + "".join(entries) + "</feed>\n")
    return Response(200, "application/atom+xml; charset=UTF-8", xml.encode(), newest)


def wp_posts(site: SimSite, today: date, query: dict[str, str]) -> Response:
    """/wp-json/wp/v2/posts with per_page and page."""
    per = min(max(int(query["per_page"]), 1), 100) if query.get("per_page", "").isdigit() else 10
    pno = int(query["page"]) if query.get("page", "").isdigit() else 1
    posts = site.visible_posts(today)
    chunk = posts[(pno - 1) * per: pno * per]
    out = []
    for p in chunk:
        local = _dt(p.day, p.hh, p.mm)
        utc = local.astimezone(timezone.utc)
        out.append({"id": p.n, "date": local.strftime("%Y-%m-%dT%H:%M:%S"), "date_gmt": utc.strftime("%Y-%m-%dT%H:%M:%S"),
                    "modified": local.strftime("%Y-%m-%dT%H:%M:%S"), "modified_gmt": utc.strftime("%Y-%m-%dT%H:%M:%S"),
                    "slug": p.slug, "status": "publish", "type": "post", "link": absolute(site, p.path),
                    "title": {"rendered": escape(p.title)}, "excerpt": {"rendered": f"<p>{escape(p.body[0])}</p>\n"}})
    total = len(posts)
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(max(1, -(-total // per)))}
    return Response(200, "application/json; charset=UTF-8", json.dumps(out, ensure_ascii=False).encode(), _newest(site, today), headers)


def wp_root(site: SimSite) -> Response:
    """/wp-json/ index."""
    body = {"name": site.name, "description": "Pemerintah Kota Pematangsiantar", "url": site.url.rstrip("/"),
            "namespaces": ["oembed/1.0", "wp/v2"], "routes": {"/wp/v2/posts": {"namespace": "wp/v2"}}}
    return Response(200, "application/json; charset=UTF-8", json.dumps(body).encode(), _dt(site.created))


def _urlset(entries: list[tuple[str, str | None]]) -> bytes:
    """A sitemap urlset."""
    rows = "".join(f"<url><loc>{escape(u)}</loc>" + (f"<lastmod>{m}</lastmod>" if m else "") + "</url>" for u, m in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + rows + "</urlset>\n").encode()


def sitemap(site: SimSite, today: date, which: str) -> Response:
    """wp-sitemap.xml (index), its post and page children, or a blog's sitemap.xml."""
    trap = "sitemap_lastmod_today" in site.traps
    stamp = lambda dt: _dt(today).isoformat() if trap else dt.isoformat()  # noqa: E731
    posts = site.visible_posts(today)
    injected = _injected(site, today)
    if which == "index":
        children = (["/?sitemap=posts&sitemap-subtype=post&paged=1", "/?sitemap=posts&sitemap-subtype=page&paged=1"]
                    if site.plain else [f"{site.wp_prefix}/wp-sitemap-posts-post-1.xml", f"{site.wp_prefix}/wp-sitemap-posts-page-1.xml"])
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<sitemap><loc>{escape(absolute(site, c))}</loc></sitemap>" for c in children)
                + "</sitemapindex>\n").encode()
    elif which == "pages":
        body = _urlset([(absolute(site, pg.path), stamp(_dt(site.created)) if trap else None)
                        for pg in site.pages if pg.kind not in ("search", "admin")] + injected)
    else:
        extra = injected if site.cms == "blog" else []
        body = _urlset([(absolute(site, p.path), stamp(_dt(p.day, p.hh, p.mm))) for p in posts if not p.empty_date] + extra)
    return Response(200, "application/xml; charset=UTF-8", body, _newest(site, today))


def _injected(site: SimSite, today: date) -> list[tuple[str, str | None]]:
    """Sitemap entries of an injected spam page (uploader scripts add their page, dated the drop day)."""
    att = site.hack
    if att is None or att.kind != "spam_page" or not att.on(today):
        return []
    return [(absolute(site, att.path), _dt(att.since, 3, 17).isoformat())]


def robots(site: SimSite) -> Response:
    """robots.txt: one disallowed path that pages link to."""
    lines = ["User-agent: *", f"Disallow: {site.disallow}"]
    if site.crawl_delay:
        lines.append(f"Crawl-delay: {site.crawl_delay:g}")
    if site.cms == "wordpress":
        lines += ["Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php", "", f"Sitemap: {absolute(site, sitemap_path(site))}"]
    elif site.cms == "blog":
        lines += ["", f"Sitemap: {absolute(site, '/sitemap.xml')}"]
    return Response(200, "text/plain; charset=UTF-8", ("\n".join(lines) + "\n").encode(), _dt(site.created))


def _newest(site: SimSite, today: date) -> datetime:
    """When the newest visible post was made (the site's creation if none)."""
    posts = [p for p in site.visible_posts(today) if not p.empty_date]
    if not posts:
        return _dt(site.created)
    p = max(posts, key=lambda q: (q.day, q.hh, q.mm))
    return _dt(p.day, p.hh, p.mm)
