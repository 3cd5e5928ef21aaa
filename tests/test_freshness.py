"""Tests of monitors.freshness: the per-site last update and post counts from per-resource date signals."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from crawler.signals import Context, dates
from monitors import freshness

AS_OF = date(2026, 11, 28)
SITE = "https://dinkes.pematangsiantar.go.id"
PAGES = Path(__file__).resolve().parent / "pages" / "dates"


def entry(day: str, item: str | None, source: str = "text", conf: float = 0.8, rejected: str | None = None,
          kind: str = "published", title: str | None = None) -> dict:
    """One DateSignals.to_json() date entry."""
    return {"date": day, "source": source, "text": day, "rejected": rejected, "item_url": item, "title": title,
            "kind": kind, "confidence": conf}


def res(url: str, entries: list[dict], kind: str = "html", published: str | None = None, listing: bool = False,
        status: int = 200) -> dict:
    """One crawled resource as the crawl stores it."""
    return {"url": url, "final_url": url, "kind": kind, "status": status,
            "dates": {"published": published, "modified": None, "is_listing": listing, "dates": entries}}


def test_newest_genuine_item_with_its_own_url() -> None:
    feed = res(SITE + "/feed/", [entry("2026-11-24", SITE + "/2026/11/24/a/", "feed", 0.95, title="A"),
                                 entry("2026-11-17", SITE + "/2026/11/17/b/", "feed", 0.95)], kind="feed", listing=True)
    post = res(SITE + "/berita/c", [entry("2026-11-10", SITE + "/berita/c")], published="2026-11-10")
    f = freshness.assess([feed, post], AS_OF)
    assert f.to_json() == {"last_update": "2026-11-24", "last_update_url": SITE + "/2026/11/24/a/",
                           "last_update_title": "A", "last_update_source": "feed", "days_since_update": 4,
                           "posts_7d": 1, "posts_30d": 3, "posts_90d": 3}


def test_exact_date_on_the_post_beats_a_relative_date_on_a_listing() -> None:
    item = SITE + "/berita/pemeriksaan"
    listing = res(SITE + "/berita", [entry("2026-11-25", item, conf=0.5)], listing=True)  # "3 hari yang lalu"
    page = res(item, [entry("2026-11-24", item, conf=0.8)], published="2026-11-24")
    f = freshness.assess([listing, page], AS_OF)
    assert (f.last_update, f.last_update_url) == (date(2026, 11, 24), item)
    # Only the relative sighting known: it is a fine fallback.
    f = freshness.assess([listing], AS_OF)
    assert (f.last_update, f.last_update_url, f.days_since_update) == (date(2026, 11, 25), item, 3)


def test_sitemaps_headers_rejected_future_and_vague_never_count() -> None:
    rs = [res(SITE + "/sitemap.xml", [entry("2026-11-27", SITE + "/p/1", "sitemap", 0.3, kind="modified")], kind="sitemap",
              listing=True),
          res(SITE + "/profil", [entry("2026-11-27", SITE + "/profil", "http-header", 0.2, kind="modified"),
                                 entry("2026-11-28", SITE + "/profil", rejected="today-clock"),
                                 entry("2026-12-10", SITE + "/agenda/1", rejected="agenda-event"),
                                 entry("2026-11-20", SITE + "/berita/x", conf=0.3, kind="unknown"),
                                 entry("2026-11-21", SITE + "/berita/y", conf=0.3)])]
    f = freshness.assess(rs, AS_OF)
    assert f.last_update is None and f.days_since_update is None and f.posts_90d == 0


def test_listing_feed_and_api_urls_are_never_evidence() -> None:
    rs = [res(SITE + "/berita", [entry("2026-11-20", None)], listing=True),
          res(SITE + "/feed/", [entry("2026-11-21", SITE + "/feed/", "feed", 0.95)], kind="feed", listing=True)]
    assert freshness.assess(rs, AS_OF).last_update is None


def test_counts_distinct_items_in_windows() -> None:
    a, b, c, d = (SITE + f"/berita/{x}" for x in "abcd")
    rs = [res(SITE + "/", [entry("2026-11-28", a), entry("2026-11-21", b), entry("2026-10-29", c),
                           entry("2026-08-30", d)], listing=True),
          res(SITE + "/berita", [entry("2026-11-28", a + "/"), entry("2026-11-21", b)], listing=True),
          res(SITE + "/feed/", [entry("2026-11-28", a.replace("https", "http"), "feed", 0.95)], kind="feed", listing=True)]
    f = freshness.assess(rs, AS_OF)
    assert (f.posts_7d, f.posts_30d, f.posts_90d) == (2, 3, 4)
    assert f.days_since_update == 0


def test_failed_fetches_are_ignored() -> None:
    rs = [res(SITE + "/berita/x", [entry("2026-11-20", SITE + "/berita/x")], published="2026-11-20", status=404)]
    assert freshness.assess(rs, AS_OF).last_update is None


def test_end_to_end_on_labelled_site_pages() -> None:
    """extract() over a handful of our labelled resources, then assess(): the newest item is the feed's."""
    labels = {json.loads(line)["file"]: json.loads(line) for line in (PAGES / "labels.jsonl").read_text().splitlines()}
    resources = []
    for name, kind in [("listing_home_wp.html", "html"), ("post_wp_meta.html", "html"), ("feed_rss.xml", "feed"),
                       ("sitemap_generated.xml", "sitemap"), ("trap_clock_home.html", "html"), ("listing_relative.html", "html")]:
        lab = labels[name]
        sig = dates.extract(lab["url"], (PAGES / name).read_text(), {}, Context(as_of=AS_OF))
        resources.append({"url": lab["url"], "final_url": lab["url"], "kind": kind, "status": 200, "dates": sig.to_json()})
    f = freshness.assess(resources, AS_OF)
    assert f.last_update == date(2026, 11, 26) and f.last_update_url == SITE + "/2026/11/26/rapat-evaluasi/"
    assert f.last_update_source in ("text", "url")
    # 26/11 and 21/11 (home; 7 days old is inside the window), 25/11 (relative, /berita), 24/11 (feed)
    assert f.posts_7d == 4


def test_post_dated_today_below_older_ids_is_the_cms_printing_today():
    """A CMS that prints today for an empty creation date: the old id gives it away."""
    def page(n, day):
        url = f"http://opd.example.go.id/index.php/berita/detail/{n}"
        return {"url": url, "final_url": url, "kind": "html", "status": 200,
                "dates": {"published": day, "modified": None, "is_listing": False, "dates": [
                    {"date": day, "source": "text", "text": day, "rejected": None, "item_url": url,
                     "title": f"Berita {n}", "kind": "published", "confidence": 0.8}]}}

    as_of = date(2026, 11, 28)
    f = freshness.assess([page(23, "2026-11-28"), page(31, "2026-02-20"), page(30, "2026-02-01")], as_of)
    assert f.last_update == date(2026, 2, 20)
    assert f.last_update_url.endswith("/detail/31")
    # The newest id dated today is a genuine post.
    f = freshness.assess([page(32, "2026-11-28"), page(31, "2026-02-20")], as_of)
    assert f.last_update == as_of


def test_html_answered_for_a_sitemap_url_never_counts() -> None:
    """Plain-permalink WordPress answers /sitemap.xml with the home page's HTML: stored as a sitemap, it never counts."""
    home = ("<html><body><main><h1>Blog</h1><ul><li class='wp-block-post'><h2><a href='/?p=14'>Gotong Royong</a></h2>"
            "<time datetime='2026-11-20T08:00:00+07:00'>20 November 2026</time></li></ul></main></body></html>")
    url = SITE + "/sitemap.xml/"
    sig = dates.extract(url, home, {"content-type": "text/html"}, Context(as_of=AS_OF)).to_json()
    assert [d["item_url"] for d in sig["dates"] if not d["rejected"]] == [SITE + "/?p=14"]  # the page does show it
    as_sitemap = {"url": SITE + "/sitemap.xml", "final_url": url, "kind": "sitemap", "status": 200, "dates": sig}
    assert freshness.assess([as_sitemap], AS_OF).last_update is None
    as_html = dict(as_sitemap, kind="html", url=SITE + "/")
    assert freshness.assess([as_html], AS_OF).last_update == date(2026, 11, 20)


# ------------------------------------------------------------------ issue 16: default CMS content, whatever dates it

OPD = "https://pangan.contoh.go.id"
NOV30 = date(2026, 11, 30)
OLDEST = ("2026-06-12", OPD + "/2026/06/12/sosialisasi-pangan/")


def _site(name: str, url: str, kind: str, as_of: date = NOV30) -> freshness.Freshness:
    """assess() of a site made of one of our own test resources (HTML, feed or WordPress REST JSON)."""
    ctype = {"feed": "application/rss+xml", "wp-api": "application/json"}.get(kind, "text/html")
    sig = dates.extract(url, (PAGES / name).read_text(encoding="utf-8"), {"content-type": ctype}, Context(as_of=as_of))
    res = {"url": url, "final_url": url, "kind": kind, "status": 200, "dates": sig.to_json()}
    return freshness.assess([res], as_of)


def test_default_post_dated_by_its_url_is_never_an_update() -> None:
    # the post itself, its theme's h1 being the site's name
    assert _site("default_url_post.html", OPD + "/2026/11/30/hello-world/", "html").last_update is None
    # a home page linking to it by a thumbnail and "Baca selengkapnya" only
    assert _site("default_url_home.html", OPD + "/", "html").last_update is None
    # its title edited, the default text and slug kept (a second import: halo-dunia-2)
    assert _site("default_url_edited.html", OPD + "/2026/11/29/halo-dunia-2/", "html").last_update is None


def test_default_post_dated_by_a_feed_is_never_an_update() -> None:
    for name in ("default_feed_edited.xml", "default_feed_untitled.xml", "default_feed_copy.xml"):
        f = _site(name, OPD + "/feed/", "feed")
        assert (f.last_update.isoformat(), f.last_update_url) == OLDEST, name


def test_default_post_dated_by_the_rest_api_is_never_an_update() -> None:
    f = _site("default_api_slug.json", OPD + "/wp-json/wp/v2/posts", "wp-api")
    assert (f.last_update.isoformat(), f.last_update_url) == OLDEST
    f = _site("default_api_excerpt.json", OPD + "/wp-json/wp/v2/posts", "wp-api")
    assert (f.last_update.isoformat(), f.last_update_url) == OLDEST
    assert _site("default_api_single.json", OPD + "/wp-json/wp/v2/posts/1", "wp-api").last_update is None


def test_an_injected_page_or_defacement_is_no_update_of_the_site() -> None:
    doorway = SITE + "/assets/slot-gacor/"
    spam_page = res(doorway, [entry("2026-11-27", doorway, "json-ld", 0.9)], published="2026-11-27")
    spam_page["spam"] = {"findings": [{"kind": "spam_page", "evidence": "slot gacor"}]}
    # the sitemap the attacker edited lists the doorway, dated too
    sitemap_like = res(SITE + "/berita", [entry("2026-11-27", doorway, conf=0.8)], listing=True)
    post = res(SITE + "/berita/rapat", [entry("2026-10-01", SITE + "/berita/rapat")], published="2026-10-01")
    # a genuine page that carries a hidden injected block keeps its genuine date
    post["spam"] = {"findings": [{"kind": "hidden_links", "evidence": "12 tautan sisipan"}]}
    f = freshness.assess([spam_page, sitemap_like, post], AS_OF)
    assert (f.last_update, f.last_update_url, f.posts_7d) == (date(2026, 10, 1), SITE + "/berita/rapat", 0)
    spam_page["spam"] = {"findings": [{"kind": "defacement", "evidence": "hacked by"}]}
    assert freshness.assess([spam_page, post], AS_OF).last_update == date(2026, 10, 1)
    spam_page["spam"] = {"findings": []}   # the same page, judged clean: its date counts
    assert freshness.assess([spam_page, post], AS_OF).last_update == date(2026, 11, 27)
