"""The simulated OPD web answers as its roles say, and its truth matches what it serves."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from simweb.server import SimWeb

AS_OF = date(2026, 11, 28)


def fetch(url: str, headers: dict[str, str] | None = None, redirect: bool = True) -> tuple[int, bytes, dict[str, str]]:
    """GET with urllib; HTTP errors are answers, not exceptions."""
    req = urllib.request.Request(url, headers={"User-Agent": "simweb-test/1", **(headers or {})})
    opener = urllib.request.build_opener() if redirect else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, r.read(), {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, e.read(), {k.lower(): v for k, v in e.headers.items()}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


@pytest.fixture(scope="module")
def web():
    with SimWeb(AS_OF, seed=0) as w:
        yield w


ROOT = Path(__file__).resolve().parent.parent


def by_kind(web: SimWeb, kind: str) -> list:
    return [s for s in web.sites if s.kind == kind]


# An independent reader of the date formats the field notes list (not the simweb's own formatter).
MONTHS = {m: i + 1 for i, m in enumerate(
    "januari februari maret april mei juni juli agustus september oktober november desember".split())}
MONTHS.update({m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())})
MONTHS.update({"jan": 1, "feb": 2, "pebruari": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agt": 8, "agu": 8, "aug": 8,
               "sep": 9, "okt": 10, "oct": 10, "nop": 11, "nopember": 11, "nov": 11, "des": 12, "dec": 12})


MONTHS_ID = "januari februari pebruari maret april mei juni juli agustus september oktober november nopember desember".split()
MONTHS_EN = "january february march may june july august october december".split()
SHORT_MONTHS = "jan feb mar apr jun jul agt agu aug sep okt oct nop nov des dec".split()
DAYS_ID = "senin selasa rabu kamis jumat sabtu minggu sen sel rab kam jum sab min".split()


def dates_in(text: str) -> set[date]:
    """Every day-precise date written in the text, in the shapes OPD sites use."""
    text = text.replace("&nbsp;", " ").replace("\xa0", " ")
    found: set[date] = set()
    for d, m, y in re.findall(r"\b(\d{1,2}) ([A-Za-z]{3,9}) (\d{4})\b", text):
        if m.lower() in MONTHS:
            found.add(date(int(y), MONTHS[m.lower()], int(d)))
    for m, d, y in re.findall(r"\b([A-Za-z]{3,9}) (\d{1,2}), (\d{4})\b", text):
        if m.lower() in MONTHS:
            found.add(date(int(y), MONTHS[m.lower()], int(d)))
    for d, m, y in re.findall(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b", text):   # day first, as OPD sites write
        found.add(date(int(y), int(m), int(d)))
    for d, m, y in re.findall(r"\b(\d{1,2})/(\d{1,2})/(\d{2}) \d{2}:\d{2}\b", text):   # two-digit years
        found.add(date(2000 + int(y), int(m), int(d)))
    for d, m, y in re.findall(r"\b(\d{2})-([A-Za-z]{3})-(\d{4})\b", text):
        if m.lower() in MONTHS:
            found.add(date(int(y), MONTHS[m.lower()], int(d)))
    for y, m, d in re.findall(r"\b(\d{4})-(\d{2})-(\d{2})T", text):
        found.add(date(int(y), int(m), int(d)))
    return found


def links(body: bytes, base_url: str) -> list[tuple[str, str]]:
    """(href resolved, label) of every <a> in a page."""
    out = []
    for href, label in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', body.decode("utf-8")):
        out.append((urljoin(base_url, href.replace("&amp;", "&")), re.sub("<[^>]+>", "", label)))
    return out


# -- roles -----------------------------------------------------------------------------------

def test_default_web_covers_every_status_with_real_opd_ids(web):
    truth = web.truth()
    counts = Counter(t["status"] for t in truth.values())
    assert len(web.sites) == 35 and web.sites[0].id == "setda" and web.sites[4].id == "dinkes"
    assert "kec-siantar-marihat" in truth
    assert counts["active"] >= 12 and counts["stale"] >= 4 and counts["idle"] >= 6
    assert counts["down"] == 3 and counts["compromised"] == 4
    assert sorted(t["reason"] for t in truth.values() if t["status"] == "down") == ["connect", "http_5xx", "suspended"]
    attacked = sorted(k for t in truth.values() for k in t["integrity"])
    assert attacked == ["cloaking", "defacement", "hidden_links", "spam_page"]
    assert all(t["status"] == "compromised" for t in truth.values() if t["integrity"])
    assert {t["cms"] for t in truth.values()} == {"wordpress", "custom", "blog", "static"}
    for trap in ("header_clock", "copyright", "agenda_widget", "visitor_counter", "sitemap_lastmod_today",
                 "last_modified_now", "fiscal_year_titles", "menu_hash", "link_404", "placeholder", "empty_page"):
        assert sum(trap in t["traps"] for t in truth.values()) >= 2, trap


def test_down_site_refuses_and_5xx_site_answers_500(web):
    (down,) = by_kind(web, "down")
    with pytest.raises(urllib.error.URLError) as exc:
        fetch(down.url)
    assert isinstance(exc.value.reason, ConnectionRefusedError)
    (broken,) = by_kind(web, "http_5xx")
    assert fetch(broken.url)[0] == 500
    assert web.truth()[broken.id]["reason"] == "http_5xx"


def test_every_other_site_home_answers_200(web):
    for s in web.sites:
        if s.kind in ("down", "http_5xx", "slow", "suspended"):
            continue
        status, body, headers = fetch(s.url)
        assert status == 200, s.id
        assert headers["content-type"].startswith("text/html")
        assert s.name in body.decode()


def test_compromised_site_hides_gambling_links_and_antigambling_news_is_clean(web):
    (bad,) = [s for s in by_kind(web, "compromised") if s.attack == "hidden_links"]
    body = fetch(bad.url)[1].decode()
    hidden = re.search(r'<div style="display:none">(.*?)</div>', body) or re.search(
        r'<section class="widget widget_text"><div class="textwidget" style="position:absolute; left:-9999px">(.*?)</div>', body)
    assert hidden and "slot gacor" in hidden.group(1)
    assert all(urlsplit(u).hostname != "127.0.0.1" for u, _ in links(hidden.group(1).encode(), bad.url))
    assert web.truth()[bad.id]["integrity"] == ["hidden_links"]
    clean = [s for s in web.sites if "antijudi_news" in s.traps]
    assert clean
    t = web.truth()[clean[0].id]
    assert t["status"] != "compromised" and t["integrity"] == []
    listing = t["evidence"]["berita"]
    pages = [fetch(u)[1].decode() for u, _ in links(fetch(listing)[1], listing) if "judi" in u.lower()]
    assert pages and "Pemberantasan Judi Online" in pages[0] and "display:none" not in pages[0]


def test_slow_site_is_slow_but_answers(web):
    (slow,) = by_kind(web, "slow")
    t0 = time.monotonic()
    status, _, _ = fetch(slow.url + "robots.txt")
    took = time.monotonic() - t0
    assert status == 200 and 0.9 < took < 3.0


# -- truth against what is served --------------------------------------------------------------

def test_last_update_url_answers_and_shows_its_date(web):
    truth = web.truth()
    checked = 0
    for s in web.sites:
        t = truth[s.id]
        if s.kind == "slow" or not t["last_update_url"]:
            continue
        status, body, _ = fetch(t["last_update_url"])
        assert status == 200, s.id
        shown = dates_in(body.decode())
        assert date.fromisoformat(t["last_update"]) in shown, (s.id, t["last_update"], shown)
        assert t["days_since_update"] == (AS_OF - date.fromisoformat(t["last_update"])).days
        checked += 1
    assert checked >= 20


def test_no_listing_shows_a_genuine_post_newer_than_truth(web):
    """Listings hold no post newer than last_update, except traps that print today."""
    truth = web.truth()
    for s in web.sites:
        t = truth[s.id]
        if s.cms != "custom" or t["status"] == "down" or not t["last_update"]:
            continue
        body = fetch(t["evidence"]["berita"])[1].decode()
        main = body.split("<main>")[1].split("</main>")[0]
        newer = {d for d in dates_in(main) if d > date.fromisoformat(t["last_update"])}
        if "empty_date_today" in t["traps"]:
            assert newer <= {AS_OF}
        else:
            assert not newer, s.id


def test_status_follows_design_thresholds(web):
    for t in web.truth().values():
        if t["status"] in ("down", "compromised"):
            continue
        days = t["days_since_update"]
        expected = "idle" if days is None or days > 30 else "stale" if days > 14 else "active"
        assert t["status"] == expected


def test_static_and_fresh_install_sites_are_idle_without_a_date(web):
    truth = web.truth()
    for kind in ("static", "fresh"):
        for s in by_kind(web, kind):
            assert truth[s.id]["last_update"] is None and truth[s.id]["status"] == "idle"
    (fresh,) = by_kind(web, "fresh")
    body = fetch(fresh.url)[1].decode()
    assert "Halo dunia!" in body and dates_in(body)  # it does print a date: that is the trap
    assert fetch(fresh.url + "?page_id=2")[1].decode().count("Halaman Contoh") >= 1
    static = by_kind(web, "static")[0]
    status, _, headers = fetch(static.url)
    lm = parsedate_to_datetime(headers["last-modified"])
    assert status == 200 and abs(time.time() - lm.timestamp()) < 120


def test_checklist_evidence_pages_hold_their_items(web):
    truth = web.truth()
    seen_pdf = seen_offhost = 0
    for s in web.sites:
        t = truth[s.id]
        if s.kind in ("slow", "suspended"):
            continue
        assert sorted(t["evidence"]) == t["checklist"]
        for item, url in t["evidence"].items():
            if urlsplit(url).hostname != "127.0.0.1":
                seen_offhost += 1
                assert url.startswith("https://") and url in fetch(s.url)[1].decode()
                continue
            status, body, headers = fetch(url)
            assert status == 200, (s.id, item, url)
            if url.endswith(".pdf"):
                seen_pdf += 1
                assert headers["content-type"] == "application/pdf" and body.startswith(b"%PDF-")
                continue
            text = body.decode()
            assert "pengembangan" not in text and "Coming soon" not in text
            if item == "kontak":
                assert re.search(r"\(0622\) \d+", text) and "@" in text
    assert seen_pdf >= 3 and seen_offhost >= 5


def test_checklist_traps_are_not_evidence(web):
    truth = web.truth()
    n404 = nplace = nhash = 0
    for s in web.sites:
        t = truth[s.id]
        if s.kind in ("down", "http_5xx", "slow", "suspended"):
            continue
        home = fetch(s.url)[1]
        hrefs = re.findall(r'href="([^"]*)"', home.decode())
        nhash += sum(h in ("#", "javascript:void(0)") for h in hrefs)
        for u, label in links(home, s.url):
            if "/404/" in u:
                n404 += 1
                assert fetch(u)[0] == 404
                assert u.rsplit("/", 1)[1] not in t["checklist"]
        for page in s.pages:
            if page.kind in ("placeholder", "empty"):
                body = fetch(s.url.rstrip("/") + page.path)[1].decode()
                content = body.split('class="entry-content">')[1].split("</div>")[0]
                assert content == "" or "pengembangan" in content or "Coming soon" in content
                assert page.path not in " ".join(t["evidence"].values())
                nplace += 1
    assert n404 >= 3 and nplace >= 3 and nhash >= 10


def test_robots_on_every_site_disallow_a_linked_path(web):
    for s in web.sites:
        if s.kind in ("down", "slow"):
            continue
        status, body, _ = fetch(s.url + "robots.txt")
        assert status == 200
        disallowed = re.search(r"^Disallow: (\S+)", body.decode(), re.M).group(1)
        if s.kind not in ("http_5xx", "suspended"):
            assert f'href="{disallowed}' in fetch(s.url)[1].decode()


def test_date_traps_are_on_the_pages(web):
    truth = web.truth()
    clock = next(s for s in web.sites if "header_clock" in s.traps and truth[s.id]["status"] == "idle"
                 and s.kind == "normal")
    body = fetch(clock.url)[1].decode()
    assert AS_OF in dates_in(body) and "°C" in body
    agenda = next(s for s in web.sites if "agenda_widget" in s.traps and s.kind == "normal")
    body = fetch(agenda.url)[1].decode()
    future = [d for d in dates_in(body) if d > AS_OF]
    assert future and "mendatang" in body
    counter = next(s for s in web.sites if "visitor_counter" in s.traps and s.kind == "normal")
    assert "Pengunjung hari ini" in fetch(counter.url)[1].decode()
    cr = next(s for s in web.sites if "copyright" in s.traps and s.kind == "normal")
    assert re.search(rf"&copy; \d{{4}}-{AS_OF.year}", fetch(cr.url)[1].decode())


# -- CMS shapes ---------------------------------------------------------------------------------

def test_wordpress_feed_api_sitemaps_and_shortlinks(web):
    truth = web.truth()
    s = next(x for x in web.sites if x.cms == "wordpress" and x.style == "pretty" and truth[x.id]["status"] == "active")
    home = fetch(s.url)[1].decode()
    assert 'type="application/rss+xml"' in home and 'rel="https://api.w.org/"' in home
    feed = fetch(s.url + "feed/")[1].decode()
    pub = [parsedate_to_datetime(x).date() for x in re.findall(r"<pubDate>(.*?)</pubDate>", feed)]
    assert pub and max(pub).isoformat() == truth[s.id]["last_update"]
    status, body, headers = fetch(s.url + "wp-json/wp/v2/posts?per_page=5")
    posts = json.loads(body)
    assert status == 200 and len(posts) == 5 and int(headers["x-wp-total"]) >= 5
    assert posts[0]["date"][:10] == truth[s.id]["last_update"] and posts[0]["link"] == truth[s.id]["last_update_url"]
    assert posts[0]["title"]["rendered"] and posts[0]["modified"]
    index = fetch(s.url + "wp-sitemap.xml")[1].decode()
    children = re.findall(r"<loc>(.*?)</loc>", index)
    assert len(children) == 2 and all(fetch(c)[0] == 200 for c in children)
    post_page = fetch(truth[s.id]["last_update_url"])[1].decode()
    assert 'property="article:published_time"' in post_page
    short = re.search(r'rel="shortlink" href="([^"]+)"', post_page).group(1)
    status, _, headers = fetch(short, redirect=False)
    assert status == 301 and headers["location"] == truth[s.id]["last_update_url"]


def test_sitemap_lastmod_trap_says_today(web):
    s = next(x for x in web.sites if "sitemap_lastmod_today" in x.traps and web.truth()[x.id]["status"] == "idle")
    body = fetch(s.url + "wp-sitemap-posts-post-1.xml")[1].decode()
    mods = {m[:10] for m in re.findall(r"<lastmod>(.*?)</lastmod>", body)}
    assert mods == {AS_OF.isoformat()}


def test_blog_lists_relative_dates_and_posts_carry_exact_ones(web):
    truth = web.truth()
    s = next(x for x in web.sites if x.cms == "blog" and truth[x.id]["status"] == "active" and x.kind == "normal")
    listing = fetch(truth[s.id]["evidence"]["berita"])[1].decode()
    assert re.search(r"(\d+ (hari|minggu|bulan|jam|tahun) lalu|baru saja|\d+ (hour|day|week|month|year)s? ago)", listing)
    main = listing.split("<main>")[1].split("</main>")[0]
    assert not dates_in(main)
    post = fetch(truth[s.id]["last_update_url"])[1].decode()
    assert date.fromisoformat(truth[s.id]["last_update"]) in dates_in(post)
    # only the Blogger-like variant carries machine dates; the other has the visible date alone
    machine = re.search(rf'(datetime="|"datePublished": "){truth[s.id]["last_update"]}T', post)
    assert bool(machine) == (s.variant == 0)


def test_blog_date_formats_are_not_in_the_tuning_pages():
    """The blog style is the one not tuned on: no printed shape of its dates is in tests/pages/dates, and no
    other style uses its formats (a shape: digits as 9, month and day names as their class)."""
    from simweb.model import DATE_STYLES
    from simweb.render import fmt_date

    classes = [("BULAN", MONTHS_ID), ("MONTH", MONTHS_EN), ("Bln", SHORT_MONTHS), ("HARI", DAYS_ID)]

    def shape(text: str) -> str:
        text = re.sub(r"<[^>]+>", " ", text.replace("&nbsp;", " ").replace("\xa0", " "))
        for name, words in classes:
            text = re.sub(r"\b(?:%s)\b" % "|".join(words), name, text, flags=re.I)
        return re.sub(r"\s+", " ", re.sub(r"\d", "9", text))

    tuning = [shape(re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", p.read_text(encoding="utf-8")))
              for p in (ROOT / "tests" / "pages" / "dates").glob("*.htm*")]
    others = {st for cms, styles in DATE_STYLES.items() if cms != "blog" for st in styles}
    assert not others & set(DATE_STYLES["blog"])
    for style in DATE_STYLES["blog"]:
        for day in (date(2026, 11, 3), date(2026, 11, 25), date(2025, 8, 16), date(2024, 2, 9)):
            printed = fmt_date(style, day, 9, 5)
            if not printed:   # dateline_only: the date is only in the body's "SIANTAR, Jumat (10/5/2019) –"
                continue
            want = shape(printed)
            hits = [t for t in tuning if re.search(r"(?<![\w,:./-])" + re.escape(want) + r"(?![\w./-])", t)]
            assert not hits, (style, printed, want)


def test_menu_labels_are_mostly_not_the_checklists_words():
    """Menus are written from the field notes, not from ronda's checklist: most labels are not one of its words."""
    from simweb import model

    items = yaml.safe_load((ROOT / "base" / "data" / "checklist.yaml").read_text(encoding="utf-8"))["items"]
    words = {" ".join(w.lower().split()) for it in items for w in it["words"]}
    served = verbatim = 0
    for i in range(35):
        s = model.build_site(i, 0, AS_OF)
        for _, target in s.menu:
            for label, _ in target if isinstance(target, list) else []:
                served += 1
                verbatim += " ".join(label.lower().split()) in words
    assert served > 100 and verbatim / served < 0.35, (verbatim, served)


def test_listings_paginate(web):
    truth = web.truth()
    for s in web.sites:
        t = truth[s.id]
        if "berita" not in t["evidence"] or s.kind == "slow" or len(s.visible_posts(AS_OF)) <= 10:
            continue
        first = fetch(t["evidence"]["berita"])[1]
        nxt = [u for u, label in links(first, s.url) if "Selanjutnya" in label]
        assert nxt and fetch(nxt[0])[0] == 200, s.id


def test_site_sizes_stay_polite(web):
    for s in web.sites:
        n = 1 + len(s.pages) + len(s.docs) + min(len(s.posts), 15) + 2
        assert n <= 70, (s.id, n)


# -- HTTP caching ------------------------------------------------------------------------------

def test_conditional_get_answers_304(web):
    s = next(x for x in web.sites if x.kind == "normal" and "last_modified_now" not in x.traps)
    url = web.truth()[s.id]["last_update_url"]
    status, body, h = fetch(url)
    assert status == 200 and h["etag"] and h["last-modified"]
    assert fetch(url, {"If-None-Match": h["etag"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": h["last-modified"]})[0] == 304
    assert fetch(url, {"If-None-Match": '"other"'})[0] == 200
    assert fetch(url)[2]["etag"] == h["etag"]
    trap = next(x for x in web.sites if "last_modified_now" in x.traps and x.kind == "normal")
    status, _, h2 = fetch(trap.url)
    assert abs(parsedate_to_datetime(h2["last-modified"]).timestamp() - time.time()) < 120
    assert fetch(trap.url, {"If-Modified-Since": h2["last-modified"]})[0] == 200


# -- determinism and the calendar --------------------------------------------------------------

def _strip(obj, origin_re=re.compile(r"http://127\.0\.0\.1:\d+")):
    return json.loads(origin_re.sub("ORIGIN", json.dumps(obj)))


def test_same_seed_same_truth_and_bytes_other_seed_differs(web):
    with SimWeb(AS_OF, seed=0) as again, SimWeb(AS_OF, seed=1) as other:
        assert _strip(again.truth()) == _strip(web.truth())
        assert _strip(other.truth()) != _strip(web.truth())
        for a, b in zip(web.sites, again.sites):
            if a.cms == "custom" and a.kind == "normal":
                assert fetch(a.url)[1] == fetch(b.url)[1]


def test_set_today_moves_posts_statuses_and_outages():
    base = AS_OF
    with SimWeb(base, seed=0, base=base) as w:
        t0 = w.truth()
        stopping = next(s for s in w.sites if s.schedule == "stopping")
        stale = next(s for s in w.sites if s.schedule == "stale" and s.kind == "normal")
        down = next(s for s in w.sites if s.kind == "down")
        flaky = next(s for s in w.sites if s.kind == "flaky")
        assert t0[stopping.id]["status"] == "active" and t0[stale.id]["status"] == "stale"
        future = next(p for p in stopping.posts if p.day > base)   # scheduled, not yet published
        url = stopping.url.rstrip("/") + future.path
        assert fetch(url)[0] == 404
        w.set_today(future.day)
        assert fetch(url)[0] == 200 and w.truth()[stopping.id]["last_update"] == future.day.isoformat()
        w.set_today(base + timedelta(days=3))
        assert fetch(down.url)[0] == 200 and w.truth()[down.id]["status"] != "down"
        w.set_today(base + timedelta(days=4))
        with pytest.raises(urllib.error.URLError):
            fetch(flaky.url)
        assert (w.truth()[flaky.id]["status"], w.truth()[flaky.id]["reason"]) == ("down", "connect")
        w.set_today(base + timedelta(days=40))
        t40 = w.truth()
        assert t40[stopping.id]["status"] == "idle" and t40[stale.id]["status"] == "idle"
        assert t40[stopping.id]["last_update"] <= (base + timedelta(days=2)).isoformat()
        w.set_today(base)
        assert _strip(w.truth()) == _strip(t0)
    # constructing at a later as_of with the same base gives the same world as stepping to it
    later = base + timedelta(days=10)
    stepped = SimWeb(base, seed=0, base=base)
    stepped.set_today(later)
    assert SimWeb(later, seed=0, base=base).truth() == stepped.truth()


def test_hits_record_requests(web):
    s = web.sites[0]
    fetch(s.url + "robots.txt")
    hits = web.hits(s.id)
    assert hits[-1]["path"] == "/robots.txt" and hits[-1]["user_agent"] == "simweb-test/1"
    assert hits[-1]["method"] == "GET" and "Host" in hits[-1]["headers"]


def test_config_yaml_and_synthetic_ids(web):
    cfg = yaml.safe_load(web.config_yaml(max_pages=50))
    assert cfg["crawl"] == {"delay_s": 0, "max_pages": 50} and cfg["timezone"] == "Asia/Jakarta"
    assert [x["id"] for x in cfg["sites"]] == [s.id for s in web.sites]
    assert cfg["sites"][4]["url"] == web.sites[4].url and cfg["sites"][4]["head"]["email"].endswith("@simweb.test")
    big = SimWeb(AS_OF, n_sites=40)
    assert [s.id for s in big.sites[35:]] == ["dispora", "opd-0037", "opd-0038", "opd-0039", "opd-0040"]


def test_subprocess_mode(tmp_path):
    cfg, truth = tmp_path / "sites.yaml", tmp_path / "truth.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "simweb", "--as-of", "2026-11-28", "--sites", "8",
         "--write-config", str(cfg), "--write-truth", str(truth)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("ready ")
        sites = json.loads(line[6:])["sites"]
        assert len(sites) == 8 and yaml.safe_load(cfg.read_text())["sites"][0]["url"] == sites[0]["url"]
        assert fetch(sites[0]["url"])[0] == 200
        assert json.loads(truth.read_text())["satpolpp"]["status"] == "down"
        proc.stdin.write("today 2026-12-01\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "ok"
        assert json.loads(truth.read_text())["satpolpp"]["status"] != "down"
        proc.stdin.close()
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_subprocess_stops_on_sigterm():
    proc = subprocess.Popen([sys.executable, "-m", "simweb", "--as-of", "2026-11-28", "--sites", "2"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = json.loads(proc.stdout.readline()[6:])["sites"][0]["url"]
        assert fetch(url)[0] == 200
        proc.terminate()
        assert proc.wait(timeout=10) == 0
        with pytest.raises(urllib.error.URLError):
            fetch(url)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_started_in_the_background_with_no_stdin_it_keeps_serving():
    # `nohup python -m simweb ... </dev/null &`: nobody will ever write to it, which is no reason to stop.
    proc = subprocess.Popen([sys.executable, "-m", "simweb", "--as-of", "2026-11-28", "--sites", "2"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    try:
        url = json.loads(proc.stdout.readline()[6:])["sites"][0]["url"]
        time.sleep(1.5)
        assert proc.poll() is None and fetch(url)[0] == 200
        proc.terminate()
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_every_option_of_the_simulated_web_says_what_it_does():
    out = subprocess.run([sys.executable, "-m", "simweb", "--help"], capture_output=True, text=True).stdout
    text = " ".join(out.split())
    for words in ("--as-of YYYY-MM-DD the simulated web's today", "--seed SEED which simulated city",
                  "--sites SITES how many sites", "--base YYYY-MM-DD the day the sites' history",
                  "--host HOST address to serve on", "--write-config FILE write a sites.yaml",
                  "--write-truth FILE write the ground truth", "--port N the first site's port"):
        assert words in text, out


def _free_ports(n: int) -> int:
    """The first of n consecutive free ports on 127.0.0.1."""
    import socket

    for first in range(20000 + os.getpid() % 20000, 60000, 97):
        socks = []
        try:
            for p in range(first, first + n):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return first
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise AssertionError("no run of free ports")


def test_port_puts_the_sites_on_the_ports_asked_for_at_every_start(tmp_path):
    first = _free_ports(4)
    cmd = [sys.executable, "-m", "simweb", "--as-of", "2026-11-28", "--sites", "4", "--port", str(first)]
    for _ in range(2):   # the same ports again: a config written once keeps working
        proc = subprocess.Popen([*cmd, "--write-config", str(tmp_path / "sites.yaml")],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            sites = json.loads(proc.stdout.readline()[6:])["sites"]
            assert [s["url"] for s in sites] == [f"http://127.0.0.1:{first + i}/" for i in range(4)]
            assert [s["url"] for s in yaml.safe_load((tmp_path / "sites.yaml").read_text())["sites"]] == \
                [s["url"] for s in sites]
            assert fetch(sites[0]["url"])[0] == 200
            proc.terminate()
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()


def test_port_in_use_is_a_one_line_error():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "simweb", "--as-of", "2026-11-28", "--sites", "3", "--port", str(port - 1)],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [
        f"Error: cannot serve the simulated web on 127.0.0.1 (ports {port - 1}-{port + 1}): Address already in use"]


def test_readme_says_what_the_simulated_web_is_and_how_to_start_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme.split("## The simulated web", 1)[1].split("\n## ", 1)[0]
    assert "python -m simweb --as-of" in part and "--port N" in part and "127.0.0.1" in part
    options = set(re.findall(r"(--[a-z-]+)", part)) - {"--config", "--db"}   # those two are ronda's
    out = subprocess.run([sys.executable, "-m", "simweb", "--help"], capture_output=True, text=True).stdout
    assert options and all(o in out for o in options), (options, out)


# -- integrity cases: injected page, cloaking, defacement, suspended domain ---------------------

GAMBLING = ("slot", "gacor", "togel", "maxwin", "rtp")


def attacked(web: SimWeb, kind: str):
    (site,) = [s for s in web.sites if web.truth()[s.id]["integrity"] == [kind]]
    return site


def title_of(body: bytes) -> str:
    return re.search(r"<title>(.*?)</title>", body.decode(), re.S).group(1)


def sitemap_entries(url: str) -> dict[str, str | None]:
    """loc -> lastmod of a sitemap, following a sitemap index one level."""
    text = fetch(url)[1].decode()
    out: dict[str, str | None] = {}
    for block in re.findall(r"<(?:url|sitemap)>(.*?)</(?:url|sitemap)>", text):
        loc = re.search(r"<loc>(.*?)</loc>", block).group(1)
        mod = re.search(r"<lastmod>(.*?)</lastmod>", block)
        if "<sitemapindex" in text:
            out.update(sitemap_entries(loc))
        else:
            out[loc] = mod.group(1) if mod else None
    return out


def test_injected_spam_page_is_reached_only_through_the_sitemap(web):
    site = attacked(web, "spam_page")
    robots = fetch(site.url + "robots.txt")[1].decode()
    entries = sitemap_entries(re.search(r"^Sitemap: (\S+)", robots, re.M).group(1))
    spam = [u for u in entries if any(w in u.lower() for w in GAMBLING)]
    assert len(spam) == 1
    (url,) = spam
    path = urlsplit(url).path
    assert path.startswith(("/wp-content/uploads/", "/assets/", "/img/", "/css/", "/upload/", "/application/"))
    lastmod = date.fromisoformat(entries[url][:10])
    assert AS_OF - timedelta(days=14) <= lastmod <= AS_OF
    # newest of its sitemap: a crawler that takes the newest sitemap URLs meets it
    assert lastmod.isoformat() == max(m[:10] for m in entries.values() if m)
    status, body, _ = fetch(url)
    assert status == 200 and sum(w in title_of(body).lower() for w in GAMBLING) >= 2
    assert site.name not in body.decode()          # an uploaded landing page, not the site's template
    assert all(urlsplit(u).hostname != "127.0.0.1" for u, _ in links(body, url))
    home = fetch(site.url)[1]
    linked = {u for u, _ in links(home, site.url)}
    for u in list(linked):
        if urlsplit(u).hostname == "127.0.0.1" and "/wp-content/uploads/" not in u and not u.endswith(".pdf"):
            linked |= {v for v, _ in links(fetch(u)[1], u)}
    assert url not in linked


def test_cloaked_home_shows_spam_only_to_search_engines(web):
    site = attacked(web, "cloaking")
    visitor = fetch(site.url)[1]
    bot = fetch(site.url, {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"})[1]
    via_search = fetch(site.url, {"Referer": "https://www.google.com/search?q=slot+gacor+site%3Ago.id"})[1]
    assert not any(w in visitor.decode().lower() for w in GAMBLING)
    assert site.name in title_of(visitor)
    assert bot == via_search and bot != visitor
    assert sum(w in title_of(bot).lower() for w in GAMBLING) >= 2
    assert any(urlsplit(u).hostname != "127.0.0.1" for u, _ in links(bot, site.url))
    # other sites give search engines the same page as everyone
    other = next(s for s in web.sites if s.kind == "normal" and "last_modified_now" not in s.traps)
    assert fetch(other.url, {"User-Agent": "Googlebot/2.1"})[1] == fetch(other.url)[1]


def test_defaced_home_page_keeps_the_rest_of_the_site(web):
    site = attacked(web, "defacement")
    body = fetch(site.url)[1].decode()
    t = title_of(body.encode())
    h1 = re.search(r"<h1>(.*?)</h1>", body).group(1)
    assert re.search(r"hacked|defaced", t, re.I) and t == h1 and site.name not in t
    truth = web.truth()[site.id]
    assert truth["status"] == "compromised" and truth["last_update_url"]
    listing = truth["evidence"]["berita"]
    assert listing in {u for u, _ in links(body.encode(), site.url)}       # the menu was left alone
    assert truth["last_update_url"] in {u for u, _ in links(fetch(listing)[1], listing)}


def test_suspended_domain_answers_the_registry_page_everywhere(web):
    (site,) = by_kind(web, "suspended")
    t = web.truth()[site.id]
    assert (t["status"], t["reason"], t["last_update"], t["integrity"]) == ("down", "suspended", None, [])
    home = fetch(site.url)
    other = fetch(site.url + "index.php/berita/detail/12")
    assert home[0] == other[0] == 200 and home[1] == other[1]
    text = home[1].decode()
    assert "sewa nama domain" in text and "go.id" in text and site.name not in text
    assert fetch(site.url + "robots.txt")[1].startswith(b"User-agent:")


def test_attack_wording_and_places_vary_with_the_seed():
    seen = {"spam_page": set(), "cloaking": set(), "defacement": set()}
    for seed in range(4):
        with SimWeb(AS_OF, seed=seed) as w:
            truth = w.truth()
            assert sorted(k for t in truth.values() for k in t["integrity"]) == \
                ["cloaking", "defacement", "hidden_links", "spam_page"]
            page = attacked(w, "spam_page")
            spam = [u for u in sitemap_entries(page.url + "wp-sitemap.xml") if any(g in u for g in GAMBLING)]
            seen["spam_page"].add((urlsplit(spam[0]).path, title_of(fetch(spam[0])[1])))
            seen["cloaking"].add(title_of(fetch(attacked(w, "cloaking").url, {"User-Agent": "Googlebot"})[1]))
            seen["defacement"].add(title_of(fetch(attacked(w, "defacement").url)[1]))
    assert all(len(v) >= 3 for v in seen.values()), seen


def test_attacks_start_on_their_day():
    with SimWeb(AS_OF, seed=0) as w:
        cloaked, spam = attacked(w, "cloaking"), attacked(w, "spam_page")
        (susp,) = by_kind(w, "suspended")
        injected = [u for u in sitemap_entries(spam.url + "wp-sitemap.xml") if "slot" in u or "gacor" in u]
        w.set_today(AS_OF - timedelta(days=20))
        truth = w.truth()
        assert truth[cloaked.id]["integrity"] == [] and truth[cloaked.id]["status"] != "compromised"
        assert truth[susp.id]["status"] != "down"
        assert fetch(cloaked.url, {"User-Agent": "Googlebot"})[1] == fetch(cloaked.url)[1]
        assert susp.name in fetch(susp.url)[1].decode()
        assert fetch(injected[0])[0] == 404
        assert not [u for u in sitemap_entries(spam.url + "wp-sitemap.xml") if "slot" in u or "gacor" in u]


# -- what real WordPress showed: plain permalinks, block themes, PATHINFO, off-screen widgets, page weight ----------

def test_plain_permalink_wordpress_lives_in_the_query_string(web):
    truth = web.truth()
    (s,) = [x for x in web.sites if x.style == "plain"]
    t = truth[s.id]
    assert t["status"] == "active" and re.fullmatch(re.escape(s.url) + r"\?p=\d+", t["last_update_url"])
    home = fetch(s.url)[1].decode()
    assert f'href="{s.url}index.php?rest_route=/"' in home and f'href="{s.url}?feed=rss2"' in home
    status, post_page, _ = fetch(t["last_update_url"], redirect=False)
    assert status == 200 and t["last_update"] in post_page.decode()  # served in place, no redirect to a pretty URL
    feed = fetch(s.url + "?feed=rss2")[1].decode()
    assert f"<link>{t['last_update_url']}</link>" in feed
    posts = json.loads(fetch(s.url + "index.php?rest_route=/wp/v2/posts&per_page=3")[1])
    assert len(posts) == 3 and posts[0]["link"] == t["last_update_url"]
    assert fetch(s.url + "index.php?rest_route=/wp/v2/posts?per_page=3")[0] == 404   # a malformed REST URL
    children = re.findall(r"<loc>(.*?)</loc>", fetch(s.url + "?sitemap=index")[1].decode())
    assert len(children) == 2 and all("?sitemap=posts" in c.replace("&amp;", "&") for c in children)
    assert f"Sitemap: {s.url}?sitemap=index" in fetch(s.url + "robots.txt")[1].decode()
    # unknown paths: the canonical redirect adds a slash, then the home page's HTML answers
    status, _, headers = fetch(s.url + "sitemap.xml", redirect=False)
    assert status == 301 and headers["location"] == s.url + "sitemap.xml/"
    status, body, headers = fetch(s.url + "sitemap.xml")
    assert status == 200 and headers["content-type"].startswith("text/html") and body == fetch(s.url)[1]
    assert fetch(s.url + "?page_id=987654")[0] == 404 and fetch(s.url + "?p=987654")[0] == 404


def test_fresh_install_is_a_block_theme_query_loop_of_the_sample_post(web):
    (s,) = by_kind(web, "fresh")
    assert s.style == "block_plain"
    for url in (s.url, s.url + "?cat=1"):
        body = fetch(url)[1].decode()
        items = re.findall(r'<li class="wp-block-post [^"]*">(.*?)</li>', body)
        assert len(items) == 1 and f'<a href="{s.url}?p=1" target="_self">Halo dunia!</a>' in items[0]
        assert re.search(r'<time datetime="[^"]+"><a href="[^"]+\?p=1">', items[0])
    assert "Field notes: a journal about quiet places." in fetch(s.url)[1].decode()   # the theme's fixed heading
    reply = fetch(s.url + "?p=1&replytocom=1")[1].decode()
    assert "Halo dunia!" in reply and 'class="wp-block-comment-date"' in reply and "replytocom=1" in reply
    assert "Halaman Contoh" in fetch(s.url + "?page_id=2")[1].decode()
    assert web.truth()[s.id]["last_update"] is None


def test_pathinfo_permalinks_put_index_php_before_the_date(web):
    truth = web.truth()
    (s,) = [x for x in web.sites if x.style == "pathinfo"]
    t = truth[s.id]
    assert re.fullmatch(re.escape(s.url) + r"index\.php/\d{4}/\d\d/\d\d/[a-z0-9-]+/", t["last_update_url"])
    assert fetch(t["last_update_url"])[0] == 200 and t["evidence"]["berita"].startswith(s.url + "index.php/category/")
    assert f'href="{s.url}index.php/feed/"' in fetch(s.url)[1].decode()
    assert fetch(s.url + "index.php/feed/")[1].decode().count("<item>") >= 1


def test_hidden_links_come_as_display_none_or_off_screen_widget_across_seeds():
    seen = {}
    for seed in range(6):
        site = SimWeb(AS_OF, seed=seed).sites[12]
        assert site.attack == "hidden_links"
        seen.setdefault(site.hack.hide, seed)
    assert set(seen) == {"display_none", "offscreen_widget"}
    with SimWeb(AS_OF, seed=seen["offscreen_widget"], n_sites=13) as w:
        s = w.sites[12]
        body = fetch(s.url)[1].decode()
        m = re.search(r'<section class="widget widget_text"><div class="textwidget" '
                      r'style="position:absolute; left:-9999px">(.*?)</div></section>', body)
        assert m and "slot gacor" in m.group(1) and "display:none" not in body


def test_pages_weigh_what_real_opd_pages_weigh(web):
    """Listing and post pages are 20-40 KB (menus, sidebars, footers, several paragraphs), not 3 KB stubs."""
    truth = web.truth()
    sizes = []
    for s in web.sites:
        t = truth[s.id]
        if t["status"] in ("down", "compromised") or not t["last_update_url"]:
            continue
        sizes += [len(fetch(t["evidence"]["berita"])[1]), len(fetch(t["last_update_url"])[1])]
    sizes.sort()
    assert len(sizes) >= 20 and 20_000 <= sizes[len(sizes) // 2] <= 40_000 and sizes[0] >= 15_000
