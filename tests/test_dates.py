"""Tests of crawler.signals.dates: formats, traps, routing, and the accuracy gate on the labelled pages."""
from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.signals import Context, dates

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 28)  # a Saturday
URL = "https://dinkes.pematangsiantar.go.id/berita/detail/7"
CTX = Context(as_of=AS_OF)
HTML = {"content-type": "text/html; charset=utf-8"}


def post(meta_line: str, body: str = "<p>Isi berita.</p>", head: str = "", before: str = "", title: str = "Rapat Kerja") -> str:
    """A small post page of our own making."""
    return (f"<html><head><title>{title}</title>{head}</head><body>{before}<main><article><h1>{title}</h1>"
            f"{meta_line}<div class='entry-content'>{body}</div></article></main></body></html>")


def run(body: str, url: str = URL, ctx: Context = CTX, headers: dict | None = None) -> dict:
    """extract() as JSON."""
    return dates.extract(url, body, HTML if headers is None else headers, ctx).to_json()


def reasons(sig: dict) -> dict[str, str | None]:
    """date -> rejection reason, for the entries of a signal."""
    return {d["date"]: d["rejected"] for d in sig["dates"]}


# ------------------------------------------------------------------ formats (field notes)

@pytest.mark.parametrize("line, want", [
    ("<span class='date'>Jumat, 9 Juni 2023</span>", "2023-06-09"),
    ("<span class='date'>09 Juni 2023</span>", "2023-06-09"),
    ("<span class='date'>Sabtu, 15 Juni 2024 - 14:20 WIB</span>", "2024-06-15"),
    ("<div>15 Mei 2025, 12:45:35 WIB</div>", "2025-05-15"),
    ("<p>6 Desember 2017 | 11:34 WIB</p>", "2017-12-06"),
    ("<p>Kamis, 11 September 2025 17.26</p>", "2025-09-11"),
    ("<p>9&nbsp;Juni&nbsp;2023</p>", "2023-06-09"),
    ("<p>Jum, 30 Mei 2025</p>", "2025-05-30"),
    ("<p>14 Agt 2026</p>", "2026-08-14"),
    ("<p>3 Okt 2026</p>", "2026-10-03"),
    ("<p>Selasa, 7 Nopember 2023</p>", "2023-11-07"),
    ("<p>09/06/2023</p>", "2023-06-09"),
    ("<p>07/06/2022, 03:10 WIB</p>", "2022-06-07"),
    ("<p>9-6-2023</p>", "2023-06-09"),
    ("<p>12-05-2024</p>", "2024-05-12"),
    ("<p>Januari 16, 2023</p>", "2023-01-16"),
    ("<p>Kamis, Januari 22, 2026</p>", "2026-01-22"),
    ("<p>05 Aug 2024</p>", "2024-08-05"),
    ("<p>August 17, 2023</p>", "2023-08-17"),
    ("<p>Post on 09-Apr-2019</p>", "2019-04-09"),
    ("<p>Diposting pada 12 Mei 2024 oleh Admin</p>", "2024-05-12"),
    ("<p>5 Oktober 2023 14:00 WITA</p>", "2023-10-05"),
    ("<p>Minggu, 22 November 2026</p>", "2026-11-22"),
    ("<time datetime='2026-10-05T13:20:00+07:00'>5 Okt</time>", "2026-10-05"),
])
def test_visible_formats(line: str, want: str) -> None:
    assert run(post(line))["published"] == want


@pytest.mark.parametrize("line, days", [
    ("3 hari yang lalu", 3), ("2 jam yang lalu", 0), ("5 menit yang lalu", 0), ("kemarin", 1),
    ("baru saja", 0), ("seminggu yang lalu", 7), ("2 minggu yang lalu", 14), ("2 hari ago", 2),
])
def test_relative_dates_resolve_against_as_of(line: str, days: int) -> None:
    for as_of in (AS_OF, date(2025, 3, 10)):
        sig = run(post(f"<span class='time-ago'>{line}</span>"), ctx=Context(as_of=as_of))
        assert sig["published"] == date.fromordinal(as_of.toordinal() - days).isoformat()


def test_relative_months_are_approximate_and_years_not_day_precise() -> None:
    assert run(post("<span class='date'>4 bln lalu</span>"))["published"] == "2026-07-28"
    sig = run(post("<span class='date'>2 tahun yang lalu</span>"))
    assert sig["published"] is None and "not-day-precise" in reasons(sig).values()


def test_press_datelines() -> None:
    body = "<p>Wali kota meninjau pasar, Jumat (10/05/2019). Kunjungan berlangsung lama sekali hari itu.</p>"
    assert run(post("", body))["published"] == "2019-05-10"
    assert run(post("", "<p>PEMATANGSIANTAR (21/3/23) - Rapat dengar pendapat digelar di gedung dewan.</p>"))["published"] == "2023-03-21"
    # No year: the weekday picks it (23/11 was a Monday in 2026; 23/11/2025 was a Sunday).
    assert run(post("", "<p>Pegawai mengikuti apel pagi, Senin (23/11) di halaman kantor dinas.</p>"))["published"] == "2026-11-23"


def test_machine_dates_and_timezone() -> None:
    head = '<meta property="article:published_time" content="2026-11-09T20:30:00+00:00">'
    assert run(post("", head=head))["published"] == "2026-11-10"  # 03:30 the next day in Jakarta
    ld = ('<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2026-11-18T10:00:00+07:00",'
          '"dateModified":"2026-11-19T08:00:00+07:00"}]}</script>')
    sig = run(post("", head=ld))
    assert (sig["published"], sig["modified"]) == ("2026-11-18", "2026-11-19")


def test_date_in_post_url_only() -> None:
    url = "https://dinkes.pematangsiantar.go.id/2026/11/25/fogging/"
    sig = run(post(""), url=url)
    assert sig["published"] == "2026-11-25"
    assert any(d["source"] == "url" and d["item_url"] == url for d in sig["dates"])


def test_visible_date_beats_a_meta_date_of_today() -> None:
    head = '<meta property="article:published_time" content="2026-11-28T00:00:00+07:00">'
    sig = run(post("<div class='tanggal'>12 Maret 2024</div>", head=head))
    assert sig["published"] == "2024-03-12"


# ------------------------------------------------------------------ traps

def test_header_clock_is_not_a_publication_date() -> None:
    for bar in ("<div class='topbar'><span>Sabtu, 28 November 2026</span></div>",
                "<div id='clock'>Sabtu, 28 November 2026 | 08:15 WIB</div>",
                "<div class='tanggal-hari-ini'>Sabtu, 28 November 2026</div>",
                "<header><small>Sabtu, 28 November 2026</small></header>",
                "<div class='bar'><p>Sabtu, 28 November 2026</p></div>"):
        sig = run(post("", before=bar))
        assert sig["published"] is None, bar
        assert reasons(sig)["2026-11-28"] == "today-clock", bar


def test_a_post_of_today_is_kept() -> None:
    sig = run(post("<span class='date'>Sabtu, 28 November 2026</span>",
                   before="<div class='topbar'>Sabtu, 28 November 2026</div>"))
    assert sig["published"] == "2026-11-28"


def test_copyright_and_fiscal_years_are_not_dates() -> None:
    body = ("<p>Penyerahan DPA APBD 2026 dan Renstra 2021-2026, TAHUN ANGGARAN 2024, "
            "Peraturan Wali Kota Nomor 4 Tahun 2025.</p><footer>&copy; 2018-2026 Dinas Kesehatan</footer>")
    sig = run(post("", body, title="DPA APBD 2026"))
    assert sig["published"] is None and sig["dates"] == []


def test_agenda_widget_and_future_text_are_rejected() -> None:
    widget = ("<aside class='agenda'><ul><li><a href='/agenda/detail/9'>Rakor Stunting</a> <span>Selasa, 1 Desember 2026</span></li>"
              "<li><a href='/agenda/detail/11'>Senam Pagi</a> <span>Jumat, 27 November 2026</span></li></ul></aside>")
    body = "<p>Pekan imunisasi akan dilaksanakan 30 Desember 2026 mendatang di seluruh puskesmas kota.</p>"
    sig = run(post("<span class='date'>20 November 2026</span>", body, before=widget))
    r = reasons(sig)
    assert sig["published"] == "2026-11-20"
    assert r["2026-12-01"] == "agenda-event" and r["2026-11-27"] == "agenda-event" and r["2026-12-30"] == "agenda-event"


def test_agenda_entry_counts_by_its_posting_date() -> None:
    line = ("<div class='agenda-info'><p>Waktu: Kamis, 10 Desember 2026, 09.00 WIB</p>"
            "<p>Diposting: 25 November 2026</p></div>")
    sig = run(post(line))
    assert sig["published"] == "2026-11-25"
    assert reasons(sig)["2026-12-10"] in ("agenda-event", "future")


def test_future_post_date_is_rejected() -> None:
    sig = run(post("<span class='date'>12 Desember 2026</span>"))
    assert sig["published"] is None and reasons(sig)["2026-12-12"] == "future"


def test_counters_and_last_login_are_rejected() -> None:
    body = ("<div class='visitor-counter'><p>Statistik per 27 November 2026</p></div>"
            "<div class='box'><b>Login terakhir:</b> 26 November 2026 08:00</div>")
    sig = run(post("", body))
    assert sig["published"] is None
    assert reasons(sig) == {"2026-11-27": "counter", "2026-11-26": "counter"}


def test_regulation_in_force_date_is_not_the_post_date() -> None:
    body = "<p>Peraturan Wali Kota Nomor 4 Tahun 2025 mulai berlaku pada tanggal 1 Januari 2026 di seluruh kota.</p>"
    sig = run(post("<div class='date'>2 Oktober 2026</div>", body))
    assert sig["published"] == "2026-10-02" and reasons(sig)["2026-01-01"] == "in-force"


@pytest.mark.parametrize("title", ["Hello world!", "Halo dunia!", "Sample Page", "Contoh Halaman"])
def test_fresh_install_content_is_rejected(title: str) -> None:
    sig = run(post("<time datetime='2024-03-01T10:00:00+07:00'>1 Maret 2024</time>", title=title))
    assert sig["published"] is None and reasons(sig)["2024-03-01"] == "fresh-install"


def test_last_modified_equal_to_fetch_time_is_generated_now() -> None:
    fetched = datetime(2026, 11, 28, 1, 0, 30, tzinfo=timezone.utc)
    ctx = Context(as_of=AS_OF, fetched_at=fetched)
    hdr = {"content-type": "text/html", "Last-Modified": "Sat, 28 Nov 2026 01:00:00 GMT"}
    e = [d for d in run(post(""), ctx=ctx, headers=hdr)["dates"] if d["source"] == "http-header"]
    assert e and e[0]["rejected"] == "generated-now"
    hdr["Last-Modified"] = "Tue, 10 Nov 2026 04:00:00 GMT"
    e = [d for d in run(post(""), ctx=ctx, headers=hdr)["dates"] if d["source"] == "http-header"]
    assert e[0]["date"] == "2026-11-10" and e[0]["rejected"] is None and e[0]["confidence"] < 0.4


def test_sitemap_stamped_today_everywhere_is_generated() -> None:
    urls = "".join(f"<url><loc>https://x.go.id/p/{i}</loc><lastmod>2026-11-28T01:00:00+07:00</lastmod></url>" for i in range(6))
    sm = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    sig = run(sm, url="https://x.go.id/sitemap.xml", headers={})
    assert sig["is_listing"] and len(sig["dates"]) == 6
    assert {d["rejected"] for d in sig["dates"]} == {"generated-now"}
    varied = sm.replace("2026-11-28T01:00:00+07:00</lastmod></url><url><loc>https://x.go.id/p/1",
                        "2026-10-01</lastmod></url><url><loc>https://x.go.id/p/1")
    varied = varied.replace("p/2</loc><lastmod>2026-11-28T01:00:00+07:00", "p/2</loc><lastmod>2026-09-01")
    assert {d["rejected"] for d in run(varied, url="https://x.go.id/sitemap.xml")["dates"]} == {None}


def test_listing_printing_today_for_every_post_is_generated() -> None:
    items = "".join(f"<article><h2><a href='/berita/detail/{i}'>Judul berita nomor {i}</a></h2>"
                    f"<div class='date'>Sabtu, 28 November 2026</div></article>" for i in range(4))
    sig = run(f"<html><body><main><h1>Berita</h1>{items}</main></body></html>",
              url="https://dinkes.pematangsiantar.go.id/berita")
    assert sig["is_listing"] and {d["rejected"] for d in sig["dates"]} == {"generated-now"}


# ------------------------------------------------------------------ listings and items

def test_listing_items_carry_their_own_urls_and_titles() -> None:
    items = "".join(f"<article><h2><a href='/berita/detail/{n}'>{t}</a></h2><div class='date'>{d}</div>"
                    f"<a href='/berita/detail/{n}'>Baca selengkapnya</a> <a href='/category/berita/'>Berita</a></article>"
                    for n, t, d in [(3, "Pelantikan Pejabat Fungsional", "23 November 2026"),
                                    (2, "Sosialisasi Germas", "12 November 2026")])
    sig = run(f"<html><body><main><h1>Berita</h1>{items}</main></body></html>",
              url="https://dinkes.pematangsiantar.go.id/berita")
    assert sig["is_listing"] and sig["published"] is None
    got = {(d["date"], d["item_url"], d["title"]) for d in sig["dates"] if d["source"] == "text"}
    assert got == {("2026-11-23", "https://dinkes.pematangsiantar.go.id/berita/detail/3", "Pelantikan Pejabat Fungsional"),
                   ("2026-11-12", "https://dinkes.pematangsiantar.go.id/berita/detail/2", "Sosialisasi Germas")}


def test_post_with_recent_posts_sidebar_stays_a_post() -> None:
    side = ("<aside><ul><li><a href='/berita/detail/64'>Penyaluran Bantuan Alat</a><span class='date'>24 November 2026</span></li>"
            "<li><a href='/berita/detail/63'>Pelatihan Petugas Gizi</a><span class='date'>19 November 2026</span></li></ul></aside>")
    sig = run(post("<div class='date'>10 September 2026</div>") .replace("</main>", "</main>" + side))
    assert not sig["is_listing"] and sig["published"] == "2026-09-10"
    side_items = {d["item_url"] for d in sig["dates"] if d["date"] in ("2026-11-24", "2026-11-19")}
    assert side_items == {"https://dinkes.pematangsiantar.go.id/berita/detail/64",
                          "https://dinkes.pematangsiantar.go.id/berita/detail/63"}


# ------------------------------------------------------------------ routing: feeds, API, sitemaps

def test_rss_items_by_sniffing() -> None:
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><lastBuildDate>Sat, 28 Nov 2026 01:02:03 +0000</lastBuildDate>'
           '<item><title>Rapat Gizi</title><link>https://x.go.id/2026/11/17/rapat/</link>'
           '<pubDate>Tue, 17 Nov 2026 19:30:00 +0000</pubDate></item></channel></rss>')
    sig = run(rss, url="https://x.go.id/feed/", headers={})
    assert sig["is_listing"] and sig["published"] is None
    feed = [d for d in sig["dates"] if d["source"] == "feed"]
    assert [(d["date"], d["item_url"], d["title"], d["kind"]) for d in feed] == [
        ("2026-11-18", "https://x.go.id/2026/11/17/rapat/", "Rapat Gizi", "published")]


def test_atom_entries() -> None:
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom"><updated>2026-11-28T08:00:00+07:00</updated><entry><title>Gizi</title>'
            '<link rel="alternate" href="https://x.go.id/berita/gizi"/><published>2026-11-12T09:00:00+07:00</published>'
            '<updated>2026-11-13T09:00:00+07:00</updated></entry></feed>')
    sig = run(atom, url="https://x.go.id/feed/atom", headers={"content-type": "application/atom+xml"})
    assert {(d["date"], d["kind"]) for d in sig["dates"]} == {("2026-11-12", "published"), ("2026-11-13", "modified")}
    assert {d["item_url"] for d in sig["dates"]} == {"https://x.go.id/berita/gizi"}


def test_wordpress_rest_posts() -> None:
    posts = [{"date": "2026-11-26T21:10:00", "modified": "2026-11-27T08:00:00", "link": "https://x.go.id/2026/11/26/hpv/",
              "title": {"rendered": "Vaksin HPV &#8211; SD"}},
             {"date": "2024-03-01T10:00:00", "modified": "2024-03-01T10:00:00", "link": "https://x.go.id/hello-world/",
              "title": {"rendered": "Hello world!"}}]
    sig = run(json.dumps(posts), url="https://x.go.id/wp-json/wp/v2/posts", headers={"content-type": "application/json"})
    pub = {d["item_url"]: (d["date"], d["rejected"], d["title"]) for d in sig["dates"] if d["kind"] == "published"}
    assert pub == {"https://x.go.id/2026/11/26/hpv/": ("2026-11-26", None, "Vaksin HPV – SD"),
                   "https://x.go.id/hello-world/": ("2024-03-01", "fresh-install", "Hello world!")}


@pytest.mark.parametrize("body, headers", [
    ("", {}), ("   ", HTML), ("not html at all", {}), ("<rss><channel><item><title>x", {}),
    ("{broken json", {"content-type": "application/json"}), ("<html><body><p>9999/99/99 31/02/2024</p></body></html>", HTML),
    ("<?xml version='1.0' encoding='utf-8'?><html><body><p>9 Juni 2023</p></body></html>", HTML),
])
def test_bad_input_gives_a_result_not_an_error(body: str, headers: dict) -> None:
    sig = run(body, headers=headers)
    assert set(sig) == {"published", "modified", "is_listing", "dates"}


def test_json_contract() -> None:
    sig = run(post("<span class='date'>Jumat, 9 Juni 2023</span>", before="<div class='topbar'>Sabtu, 28 November 2026</div>"))
    assert sig["dates"]
    for d in sig["dates"]:
        assert set(d) == {"date", "source", "text", "rejected", "item_url", "title", "kind", "confidence"}
        assert d["source"] in dates.SOURCES and d["kind"] in ("published", "modified", "event", "unknown")
        assert len(d["text"]) <= 120 and 0 <= d["confidence"] <= 1
        date.fromisoformat(d["date"])


# ------------------------------------------------------------------ the evaluation gate on the labelled pages

def test_accuracy_gate_on_labelled_pages() -> None:
    """Gate: measured accuracy on tests/pages/dates (100 / 100 when pinned) less 2 points."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import dates_accuracy as bench

    labels = bench.load_labels()
    assert len(labels) >= 40
    answers = [bench.ronda_run(lab) for lab in labels]
    n = len(labels)
    published = 100 * sum(a["published"] == lab["published"] for lab, a in zip(labels, answers)) / n
    newest = 100 * sum(bench.newest_ok(a["newest"], lab["newest_item"]) for lab, a in zip(labels, answers)) / n
    listing = 100 * sum(a["is_listing"] == lab["is_listing"] for lab, a in zip(labels, answers)) / n
    misses = [lab["file"] for lab, a in zip(labels, answers) if a["published"] != lab["published"]]
    assert published >= 98.0, misses
    assert newest >= 98.0
    assert listing >= 98.0


# ------------------------------------------------------------------ block themes, plain permalinks (real WordPress)

WP = "http://kecamatan.example.go.id"


def query_loop(items: list[tuple[str, str, str]], heading: str = "Catatan Harian: sebuah blog tentang kota.",
               date_is_link: bool = True) -> str:
    """A block theme's page: a fixed theme heading over a query loop of <li class='wp-block-post'> items."""
    lis = []
    for href, title, iso in items:
        label = f"{int(iso[8:10])} November {iso[:4]}"
        when = f"<a href='{href}'>{label}</a>" if date_is_link else label
        lis.append(f"<li class='wp-block-post post type-post hentry'><h2 class='wp-block-post-title'><a href='{href}'>"
                   f"{title}</a></h2><div class='wp-block-post-excerpt'><p>Ringkasan singkat tulisan ini.</p></div>"
                   f"<div class='wp-block-post-date'><time datetime='{iso}T08:15:00+07:00'>{when}</time></div></li>")
    return (f"<html><head><title>{WP} blog</title></head><body><header class='wp-block-template-part'>"
            f"<p class='wp-block-site-title'><a href='{WP}'>Kecamatan Contoh</a></p><nav><ul><li>"
            f"<a href='{WP}/?page_id=2'>Halaman Contoh</a></li></ul></nav></header><main><h1>{heading}</h1>"
            f"<div class='wp-block-query'><ul class='wp-block-post-template'>{''.join(lis)}</ul></div></main>"
            f"<footer><p>Didukung oleh WordPress</p></footer></body></html>")


@pytest.mark.parametrize("url", [WP + "/", WP + "/?cat=1", WP + "/index.php?paged=2", WP + "/sitemap.xml/"])
def test_query_loop_with_one_sample_post_is_a_listing_whose_item_is_rejected(url: str) -> None:
    """A fresh install's home/archive lists only 'Halo dunia!' (?p=1): a listing, its item fresh-install sample."""
    sig = run(query_loop([(WP + "/?p=1", "Halo dunia!", "2026-11-27")]), url=url)
    assert sig["is_listing"] is True and sig["published"] is None
    (e,) = [d for d in sig["dates"] if d["source"] == "time"]
    assert e["item_url"] == WP + "/?p=1" and e["title"] == "Halo dunia!"  # the heading, not the date link's text
    assert e["rejected"] == "fresh-install"


def test_single_query_loop_item_on_any_path_belongs_to_the_post() -> None:
    """One genuine post in a query loop under a fixed theme heading, on a path no listing word names."""
    sig = run(query_loop([(WP + "/?p=14", "Gotong Royong Membersihkan Parit", "2026-11-20")], date_is_link=False),
              url=WP + "/beranda-kecamatan")
    assert sig["is_listing"] is True and sig["published"] is None
    (e,) = [d for d in sig["dates"] if d["source"] == "time"]
    assert (e["item_url"], e["title"], e["rejected"], e["date"]) == (
        WP + "/?p=14", "Gotong Royong Membersihkan Parit", None, "2026-11-20")


def test_plain_permalink_post_is_a_post_and_comment_dates_are_not_updates() -> None:
    """/?p=14 is one post (not the home page); the date of a comment below it is no update."""
    body = (f"<html><head><title>Rapat Kecamatan</title></head><body><main><h1 class='wp-block-post-title'>Rapat "
            f"Kecamatan</h1><p>Diposting <time datetime='2026-11-20T09:00:00+07:00'>20 November 2026</time></p>"
            f"<div class='entry-content'><p>Isi tulisan.</p></div><ol class='wp-block-comment-template'>"
            f"<li class='comment'><div class='wp-block-comment-date'><time datetime='2026-11-26T10:00:00+07:00'>"
            f"<a href='{WP}/?p=14#comment-3'>26 November 2026</a></time></div><p>Terima kasih.</p></li></ol>"
            f"</main></body></html>")
    sig = run(body, url=WP + "/?p=14")
    assert sig["is_listing"] is False and sig["published"] == "2026-11-20"
    assert reasons(sig)["2026-11-26"] == "comment"


def test_links_on_the_home_path_with_a_non_item_query_are_not_items() -> None:
    """/?lang=en is the home page in English, not a post: its date is no item date."""
    body = (f"<html><body><main><h1>Berita</h1><ul><li><h3><a href='{WP}/?lang=en'>English</a></h3>"
            f"<span class='date'>20 November 2026</span></li></ul></main></body></html>")
    sig = run(body, url=WP + "/profil")
    assert all(d["item_url"] != WP + "/?lang=en" for d in sig["dates"])


def test_relative_date_words_are_data() -> None:
    import copy

    from crawler.signals.dates_parse import Rules, rules

    r = rules()
    data = copy.deepcopy(r.data)
    data["relative"]["ago_words"].append("silam")
    data["relative"]["one_words"].append("sebuah")
    rx = Rules(data).relative
    assert rx.search("3 hari silam") and rx.search("sebuah minggu yang lalu")
    assert not r.relative.search("3 hari silam")
    # the cheap gates in front of the regexes must let every listed word through
    words = r.data["relative"]["ago_words"] + list(r.data["relative"]["fixed"])
    assert all(any(g in w for g in r.gate_words) for w in words)


# ------------------------------------------------------------------ issue 16: clocks, said dates, non-ASCII digits

PAGES = ROOT / "tests" / "pages" / "dates"
OPD = "https://pangan.contoh.go.id"


def page_file(name: str, url: str, as_of: date = AS_OF) -> dict:
    """extract() of one of our own test pages, as JSON."""
    return run((PAGES / name).read_text(encoding="utf-8"), url=url, ctx=Context(as_of=as_of))


def site_update(sig: dict, url: str, as_of: date = AS_OF) -> tuple[str | None, str | None]:
    """(last_update, last_update_url) of a site made of this one page."""
    from monitors import freshness

    f = freshness.assess([{"url": url, "final_url": url, "kind": "html", "status": 200, "dates": sig}], as_of)
    return (f.last_update.isoformat() if f.last_update else None), f.last_update_url


@pytest.mark.parametrize("name, path", [
    ("clock_header_id.html", "/layanan/pengaduan"),        # <div id="header"> with a menu: no class ronda knew
    ("clock_header_in_main.html", "/visi-misi"),           # a <header> inside a <main> that wraps the whole page
    ("clock_header_area.html", "/struktur-organisasi"),    # class "header-area", short date with a trailing comma
    ("clock_widget_aside.html", "/tugas-fungsi"),          # an <aside> box, the date in class "date"
    ("clock_widget_text.html", "/maklumat"),               # a text widget beside a service link
    ("clock_widget_sidebar.html", "/standar-pelayanan"),   # #sidebar box beside a gallery link
    ("clock_script_bar.html", "/kontak"),                  # a date bar beside <b id="detik"></b> a script fills
    ("clock_script_main.html", "/sejarah"),                # inside <main>, beside <span class="jam-digital">
])
def test_crawl_day_in_the_sites_chrome_is_a_clock(name: str, path: str) -> None:
    """The crawl day in a header, menu, widget or beside a script-filled clock, tied to no item link, is no update."""
    sig = page_file(name, OPD + path)
    today = [d for d in sig["dates"] if d["date"] == AS_OF.isoformat()]
    assert today and {d["rejected"] for d in today} == {"today-clock"}, today
    assert sig["published"] is None
    assert site_update(sig, OPD + path) == (None, None)


def test_server_date_beside_an_empty_clock_element_is_not_the_posts_date() -> None:
    """The news-CMS header "Sabtu, 28 November 2026," beside <span id="jam"></span>: the post keeps its own date."""
    url = OPD + "/berita/detail/41"
    sig = page_file("clock_script_post.html", url)
    assert sig["published"] == "2026-10-02"
    assert reasons(sig)[AS_OF.isoformat()] == "today-clock"
    assert site_update(sig, url) == ("2026-10-02", url)


def test_a_post_of_today_beside_its_own_link_still_counts_under_a_clock() -> None:
    sig = page_file("clock_with_todays_post.html", OPD + "/")
    assert sig["is_listing"]
    assert site_update(sig, OPD + "/") == (AS_OF.isoformat(), OPD + "/berita/detail/44")


SAID_DAYS = {"kemarin": 1, "tadi_pagi": 0, "minggu_lalu": 7}


@pytest.mark.parametrize("place", ["quote", "prose", "caption"])
@pytest.mark.parametrize("word", sorted(SAID_DAYS))
def test_relative_words_said_in_an_undated_post_are_mentions(word: str, place: str) -> None:
    """"Ternyata kemarin karena bencana lagi": a relative word in a quote, prose or a caption dates nothing."""
    url = OPD + "/berita/detail/57"
    sig = page_file(f"said_{word}_{place}.html", url)
    assert sig["published"] is None
    assert site_update(sig, url) == (None, None)
    # ronda still shows what it read, as a mention (kind unknown, trust below what freshness keeps)
    want = date.fromordinal(AS_OF.toordinal() - SAID_DAYS[word]).isoformat()
    seen = [d for d in sig["dates"] if d["date"] == want]
    assert seen and all(d["kind"] == "unknown" and d["confidence"] < 0.4 for d in seen), sig["dates"]


@pytest.mark.parametrize("line, want", [
    ("<span class='date'>tadi pagi</span>", 0), ("<span class='time-ago'>minggu lalu</span>", 7),
    ("<p>Diposting kemarin oleh Admin</p>", 1),
])
def test_relative_words_as_a_date_line_still_date_the_post(line: str, want: int) -> None:
    assert run(post(line))["published"] == date.fromordinal(AS_OF.toordinal() - want).isoformat()


def test_iso_dates_in_non_ascii_digits_do_not_crash() -> None:
    """A meta date written in Bengali digits ("২০২৬-১১-২০T১০:৪৬:০৬+০৭:০০") is read, not a crash."""
    sig = page_file("machine_bengali_digits.html", OPD + "/berita/rapat-koordinasi")
    assert sig["published"] == "2026-11-20"
    from crawler.signals.dates_parse import parse_machine

    assert parse_machine("২০২০-০৮-২৯T১০:৪৬:০৬+৯৯:০০", "Asia/Jakarta", AS_OF) == date(2020, 8, 29)


def test_htmldate_dates_a_post_that_ronda_cannot_read_but_never_with_an_unseen_crawl_day() -> None:
    """A format only htmldate reads (Turkish "5 Mart 2026") dates the post; the same on the crawl day is a clock."""
    page = post("<p class='date'>Yayınlanma 5 Mart 2026</p>")
    sig = run(page)
    assert sig["published"] == "2026-03-05"
    assert [(d["source"], d["rejected"]) for d in sig["dates"]] == [("htmldate", None)]
    sig = run(page, ctx=Context(as_of=date(2026, 3, 5)))
    assert sig["published"] is None
    assert [(d["source"], d["rejected"]) for d in sig["dates"]] == [("htmldate", "today-clock")]


def test_htmldate_never_makes_the_page_s_update_stamp_its_publication() -> None:
    """A page that stamps a day only as its update (og:updated_time): htmldate's same day is no publication date."""
    page = ("<html><head><title>Profil Dinas</title><meta property='og:type' content='article'>"
            "<meta property='og:updated_time' content='2026-11-20T10:00:00+07:00'></head><body><article>"
            "<h1>Profil Dinas Kesehatan</h1><p>Dinas Kesehatan melayani warga kota.</p></article></body></html>")
    sig = run(page)
    assert sig["published"] is None and sig["modified"] == "2026-11-20"
    assert [d["source"] for d in sig["dates"]] == ["meta"]
    # the same day also shown as the post's date is a publication date, from ronda's own sighting
    sig = run(page.replace("<h1>", "<p class='posted-on'>Diposting 20 November 2026</p><h1>"))
    assert sig["published"] == "2026-11-20"


def _static_page(widget: str) -> str:
    """A static service page of our own making, with one widget that prints a relative date."""
    return ("<html><head><title>Layanan IGD</title></head><body><main><h1>Instalasi Gawat Darurat</h1>"
            "<p>Layanan gawat darurat buka 24 jam setiap hari, termasuk hari libur nasional.</p></main>"
            f"{widget}<footer>&copy; 2025 RSUD Contoh</footer></body></html>")


@pytest.mark.parametrize("widget", [
    # a chat assistant's greeting bubble, stamped "just now" by the page itself
    '<div id="chatBox"><div class="bubble bot">Selamat datang! Ada yang bisa dibantu?<span class="time">Baru saja'
    '</span></div></div>',
    # visitors' reviews copied from a map listing
    '<div class="reviews-grid"><div class="review-card"><h4>Pengunjung</h4><div class="date">2 minggu yang lalu'
    '</div><p>Pelayanan cepat dan ramah sekali.</p></div></div>',
    # a comment list under a page
    '<ol class="commentlist"><li><span class="who">Warga</span> <span class="when">3 hari yang lalu</span>'
    '<p>Terima kasih infonya.</p></li></ol>',
])
def test_relative_dates_in_chat_review_and_comment_widgets_date_nothing(widget: str) -> None:
    url = OPD + "/igd.html"
    sig = run(_static_page(widget), url=url)
    assert sig["published"] is None
    assert site_update(sig, url) == (None, None)


def test_a_listing_card_named_preview_still_dates_its_item() -> None:
    # "post-preview" holds "review" inside a word: only a token that starts with it marks a review widget
    url = OPD + "/berita"
    card = ('<div class="post-preview"><h2><a href="/berita/detail/9">Vaksinasi massal</a></h2>'
            '<span class="post-date">2 hari yang lalu</span></div>')
    sig = run(f"<html><body><main>{card}</main></body></html>", url=url)
    assert site_update(sig, url) == ((AS_OF - timedelta(days=2)).isoformat(), OPD + "/berita/detail/9")


def _byline_page(byline: str) -> str:
    """A post page of our own making whose one date stands in a byline beside a section or author link."""
    return ("<html><head><title>Rapat Kerja</title></head><body><header><h1>Rapat Kerja Dinas</h1>"
            f"<p>Rapat kerja membahas program tahun depan.</p></header>{byline}"
            "<div class='isi'><p>Rapat kerja membahas program tahun depan bersama seluruh puskesmas.</p></div>"
            "</body></html>")


@pytest.mark.parametrize("byline", [
    "<p>Tanggal terbit: <a href='/berita/'>12.01.2017</a><br>Sumber: Humas</p>",   # the date links to its section
    "<p><a href='/opd/dinkes'>Dinas Kesehatan Kota</a> <em>12.01.2017 10:15</em></p>",   # beside the author's page
])
def test_a_post_s_one_labelled_date_beside_a_byline_link_is_its_own(byline: str) -> None:
    """On htmldate's set 9 undated posts carried their date beside a category, author or section link."""
    sig = run(_byline_page(byline), url=OPD + "/rapat-kerja-dinas.html")
    assert not sig["is_listing"] and sig["published"] == "2017-01-12"


def test_two_days_beside_links_or_a_listing_path_date_no_post() -> None:
    two = ("<p><a href='/opd/dinkes'>Dinas Kesehatan Kota</a> <em>12.01.2017</em></p>"
           "<p><a href='/opd/dishub'>Dinas Perhubungan</a> <em>03.02.2017</em></p>")
    assert run(_byline_page(two), url=OPD + "/rapat-kerja-dinas.html")["published"] is None
    one = "<p><a href='/opd/dinkes'>Dinas Kesehatan Kota</a> <em>12.01.2017 10:15</em></p>"
    assert run(_byline_page(one), url=OPD + "/")["published"] is None


def test_a_default_post_takes_no_date_from_its_byline_link() -> None:
    page = _byline_page("<p><a href='/opd/dinkes'>Dinas Kesehatan Kota</a> <em>12.01.2017 10:15</em></p>")
    page = page.replace("Rapat Kerja Dinas", "Hello world!")
    assert run(page, url=OPD + "/hello-world.html")["published"] is None
