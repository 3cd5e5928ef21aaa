"""A doorway listed only in the sitemap (or an injected child sitemap, robots.txt, a link) is always fetched.

Gambling doorways on hacked sites are reachable from the sitemap, not the menu. These sites have many more
pages than `max_pages` (5): the budget is spent on news pages (the home page's links or the sitemap's newest
entries, whichever the crawl reads first), so a doorway is fetched only because its path names gambling
(crawler/doorways.py) and the site keeps a reserve for such paths (crawler/settings.py DOORWAY_RESERVE), however
large the site is.
"""
from __future__ import annotations

import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from crawler import settings as cs
from crawler.doorways import is_doorway

from conftest import AS_OF, run_cli, status_json

N_PAGES = 60
MAX_PAGES = 5
DOORWAY = "/wp-content/uploads/2019/01/slot-gacor-hari-ini.html"
FLOOD = 1000   # doorway URLs injected in one sitemap
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

SPAM = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>ZEUS88 : Slot Gacor Hari Ini Gampang Maxwin, Link Daftar Resmi 2026</title></head>
<body><h1>Situs Slot Gacor Hari Ini ZEUS88</h1>
<p>ZEUS88 adalah situs judi slot online gacor dengan RTP live tertinggi hari ini.</p>
<p>Daftar sekarang dan raih maxwin dengan deposit pulsa tanpa potongan.</p>
<ul><li><a href="https://zeus88gacor.example/daftar">Daftar ZEUS88</a></li>
<li><a href="https://zeus88gacor.example/login">Login Slot Gacor</a></li></ul></body></html>"""


class Site:
    """One OPD site with N_PAGES news pages, all linked from the home page; `how` says where its doorway hides."""

    def __init__(self, how: str):
        self.how = how   # clean | sitemap | child | flood | robots | link
        self.hits: list[str] = []

    def page(self, path: str, base: str) -> tuple[int, str, str]:
        """(status, content type, body) of a path."""
        self.hits.append(path)
        xml = "application/xml; charset=UTF-8"
        if path == "/robots.txt":
            allow = f"Allow: {DOORWAY}\n" if self.how == "robots" else ""
            return 200, "text/plain", f"User-agent: *\nDisallow: /admin/\n{allow}\nSitemap: {base}/sitemap.xml\n"
        if path == "/sitemap.xml" and self.how == "child":
            # eleven sitemaps of news, then the one an uploader script added (beyond the ten children read)
            kids = [f"{base}/sitemap-berita-{k}.xml" for k in range(11)]
            kids.append(f"{base}/wp-content/uploads/sitemap-slot-gacor.xml")
            return 200, xml, (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="{NS}">'
                              + "".join(f"<sitemap><loc>{k}</loc></sitemap>" for k in kids) + "</sitemapindex>")
        if path.startswith("/sitemap-berita-"):
            k = int(path.removeprefix("/sitemap-berita-").removesuffix(".xml"))
            return 200, xml, _urlset(_news(base, range(k * 5, k * 5 + 5)))
        if path == "/wp-content/uploads/sitemap-slot-gacor.xml":
            return 200, xml, _urlset([(base + DOORWAY, "2019-01-01")])
        if path == "/sitemap.xml":
            entries = _news(base, range(N_PAGES))
            entries.append((f"{base}/berita/pemberantasan-judi-online", "2019-01-01"))   # news about gambling
            if self.how == "sitemap":
                entries.append((base + DOORWAY, "2019-01-01"))   # the oldest: the newest-ten rule misses it
            if self.how == "flood":
                entries += [(f"{base}/wp-content/uploads/2019/01/slot-gacor-{k}.html", "2019-01-01")
                            for k in range(FLOOD)]
            return 200, xml, _urlset(entries)
        if "slot-gacor" in path and self.how != "clean":
            return 200, "text/html; charset=utf-8", SPAM
        if path == "/" or path.startswith("/berita/"):
            links = "".join(f'<li><a href="/berita/kabar-{i}">Kabar {i}</a></li>' for i in range(N_PAGES))
            if path == "/" and self.how == "link":
                # an injected link after the sixty news links: on the home page, which every crawl reads, whether
                # the budget went to the home page's links or to the sitemap's newest entries (a loaded machine)
                links += f'<li><a href="{DOORWAY}">.</a></li>'
            return 200, "text/html; charset=utf-8", (
                f'<!DOCTYPE html><html lang="id"><head><title>Dinas Kominfo {path}</title></head><body>'
                f'<nav><a href="/">Beranda</a></nav><h1>Berita Dinas Kominfo</h1>'
                f'<p>Rapat koordinasi pelayanan publik, 20 November 2026.</p><ul>{links}</ul></body></html>')
        return 404, "text/html", "<h1>404</h1>"


def _news(base: str, numbers: range) -> list[tuple[str, str]]:
    """Sitemap entries (URL, lastmod) of news pages, all dated this month."""
    return [(f"{base}/berita/kabar-{i}", f"2026-11-{1 + i % 27:02d}") for i in numbers]


def _urlset(entries: list[tuple[str, str]]) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{NS}">'
            + "".join(f"<url><loc>{u}</loc><lastmod>{m}</lastmod></url>" for u, m in entries) + "</urlset>")


def _serve(site: Site) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            status, ctype, body = site.page(self.path, base)
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


HOWS = ("clean", "sitemap", "child", "flood", "robots", "link")


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """One crawl (max_pages 5) of six big sites: a clean one, and one per place a doorway hides."""
    d = tmp_path_factory.mktemp("doorways")
    sites = {how: Site(how) for how in HOWS}
    servers = {how: _serve(s) for how, s in sites.items()}
    urls = {how: f"http://127.0.0.1:{srv.server_address[1]}/" for how, srv in servers.items()}
    cfg = d / "sites.yaml"
    cfg.write_text(yaml.safe_dump({
        "organization": "Pemerintah Kota Contoh", "timezone": "Asia/Jakarta",
        "crawl": {"delay_s": 0, "timeout_s": 10, "retries": 0, "max_pages": MAX_PAGES},
        "log": {"file": str(d / "ronda.log"), "level": "info"},
        "sites": [{"id": how, "name": f"Dinas {how}", "url": urls[how],
                   "head": {"name": "Kepala Dinas", "email": f"kadis.{how}@contoh.test"}} for how in HOWS],
    }, sort_keys=False), encoding="utf-8")
    try:
        r = run_cli("--config", str(cfg), "--db", str(d / "r.db"), "--as-of", AS_OF.isoformat(), "crawl", "--quiet")
    finally:
        for srv in servers.values():
            srv.shutdown()
            srv.server_close()
    assert r.returncode == 0, r.stderr
    db = sqlite3.connect(d / "r.db")
    db.row_factory = sqlite3.Row
    rows = {v["site"]: v for v in status_json(cfg, d / "r.db")}
    return {"db": db, "rows": rows, "sites": sites, "urls": urls, "log": (d / "ronda.log").read_text(encoding="utf-8")}


def _queued(night, how: str) -> int:
    """The doorway count the crawl logged for a site (0 when it logged none)."""
    lines = [x for x in night["log"].splitlines() if f"site={how} " in x and "doorway path(s) queued" in x]
    assert len(lines) <= 1, lines
    return int(lines[0].split("doorway path(s)")[0].split()[-1]) if lines else 0


def _pages(night, how: str) -> list[str]:
    return [u for (u,) in night["db"].execute("SELECT url FROM pages WHERE site_id = ? AND kind = 'html'", [how])]


@pytest.mark.parametrize("how", ["sitemap", "child", "robots", "link"])
def test_a_doorway_beyond_the_page_budget_is_fetched_and_the_site_is_compromised(night, how):
    doorway = night["urls"][how].rstrip("/") + DOORWAY
    assert doorway in _pages(night, how)
    assert night["sites"][how].hits.count(DOORWAY) == 1
    row = night["rows"][how]
    assert row["status"] == "compromised" and row["integrity_state"] == "compromised", row
    assert {f["url"] for f in row["integrity"] if f["kind"] == "spam_page"} == {doorway}
    assert _queued(night, how) == (2 if how == "child" else 1)   # the injected child sitemap is one too
    assert row["pages"] <= MAX_PAGES + cs.DOORWAY_RESERVE


def test_a_sitemap_of_a_thousand_doorways_costs_only_the_reserve(night):
    hits = [p for p in night["sites"]["flood"].hits if "slot-gacor" in p]
    assert len(hits) == len(set(hits)) == cs.DOORWAY_RESERVE
    assert _queued(night, "flood") == cs.DOORWAY_RESERVE
    assert night["rows"]["flood"]["status"] == "compromised"
    assert night["rows"]["flood"]["pages"] == MAX_PAGES + cs.DOORWAY_RESERVE


def test_a_clean_big_site_queues_no_doorway_and_keeps_its_page_budget(night):
    """A guard against the reserve itself: news *about* gambling is no doorway, and the budget holds."""
    row = night["rows"]["clean"]
    assert row["status"] != "compromised" and row["integrity"] == [], row
    assert _queued(night, "clean") == 0
    assert len(_pages(night, "clean")) == MAX_PAGES and row["truncated"] is True
    assert not any("judi" in p or "gacor" in p for p in night["sites"]["clean"].hits)


def test_the_judgement_is_the_survey_s():
    """One judgement for the crawl and `ronda sites verify` (crawler/doorways.py), on paths as sitemaps list them."""
    from crawler.survey import doorways

    paths = [DOORWAY, "/wp-content/uploads/sitemap-slot-gacor.xml", "/berita/pemberantasan-judi-online",
             "/berita/kabar-1", "http://[::1%25lo/slot-gacor/", "/kegiatan88.jpg"]
    assert doorways(paths) == [p for p in paths if is_doorway(p)] == paths[:2] + ["http://[::1%25lo/slot-gacor/"]
