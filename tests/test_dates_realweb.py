"""Dates on pages shaped like the real web (htmldate's evaluation set, issue 16 item 1), on pages of our own making.

Each page reproduces one pattern learned on that set and fails without the rule that reads it; the near-misses
guard each rule's edge (a true listing keeps no publication date of its own).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawler.signals import Context, dates

PAGES = Path(__file__).resolve().parent / "pages" / "dates"
AS_OF = date(2026, 11, 28)
SITE = "https://dinkes.pematangsiantar.go.id"


def read(name: str, url: str) -> dict:
    """extract() of one of our own test pages, as JSON."""
    body = (PAGES / name).read_text(encoding="utf-8")
    return dates.extract(url, body, {"content-type": "text/html"}, Context(as_of=AS_OF)).to_json()


@pytest.mark.parametrize("name, url", [
    # its <h1> is its URL's slug: one article, whatever its "Berita Terkait" box shows
    ("post_related_slug.html", SITE + "/berita/read/141/pemkot-gelar-rapat-koordinasi-penanganan-stunting"),
    # the same with the logo in <h1> and the post's title in an <h2>
    ("post_related_slug_h2.html", SITE + "/berita/read/141/pemkot-gelar-rapat-koordinasi-penanganan-stunting"),
    # schema.org NewsArticle in a <script> without a type attribute
    ("post_jsonld_untyped.html", SITE + "/berita/detail/77"),
    # a WordPress post whose category is "event": its taxonomy class is no agenda zone
    ("post_category_event.html", SITE + "/peluncuran-layanan-posyandu-keliling/"),
    # a detail page by query (berita.php?id=77): the link back to berita.php is its list, not a dated item
    ("post_query_back_link.html", SITE + "/berita.php?id=77"),
    # the day as one number in the URL (/20261112/slug)
    ("post_url_compact.html", SITE + "/20261112/pemkot-gelar-rapat-koordinasi"),
    # Blogger's year/month permalink names one post
    ("post_month_permalink.html", SITE + "/2026/11/catatan-perjalanan-dinas.html"),
    # the date beside the post's own /trackback/ link is the post's
    ("post_trackback.html", SITE + "/berita/pemkot-gelar-rapat-koordinasi/"),
])
def test_a_single_article_is_dated_not_called_a_listing(name: str, url: str) -> None:
    sig = read(name, url)
    assert not sig["is_listing"], sig
    assert sig["published"] == "2026-11-12", sig


@pytest.mark.parametrize("name, url", [
    # a category whose slug is its heading, with three dated post boxes: a listing (a short name, not a title)
    ("listing_category_slug.html", SITE + "/berita-dan-pengumuman-dinas"),
    # a month archive (/2026/11/, /2026/11/page/2) has no slug of words
    ("listing_category_slug.html", SITE + "/2026/11/"),
    ("listing_category_slug.html", SITE + "/2026/11/page/2"),
])
def test_a_true_listing_keeps_no_date_of_its_own(name: str, url: str) -> None:
    sig = read(name, url)
    assert sig["is_listing"] and sig["published"] is None, sig


def test_an_agenda_zone_still_rejects_an_event_date() -> None:
    """Near-miss of the taxonomy rule: class="event-list" is an agenda, its date an event."""
    sig = read("agenda_event_widget.html", SITE + "/")
    assert [(d["date"], d["rejected"]) for d in sig["dates"]] == [("2026-11-12", "agenda-event")]
    assert sig["published"] is None


def test_month_names_of_other_languages_date_listed_posts() -> None:
    """German, French, Spanish, Dutch, Italian, Portuguese and Russian dates (day, month, year) of listed posts."""
    sig = read("listing_european_months.html", "https://portal.example.test/news/")
    assert sig["is_listing"] and sig["published"] is None
    got = {d["item_url"].rsplit("-", 1)[-1]: d["date"] for d in sig["dates"] if d["source"] == "text"}
    assert got == {"1": "2026-03-05", "2": "2025-12-12", "3": "2026-01-03", "4": "2026-03-07", "5": "2026-06-14",
                   "6": "2026-08-01", "7": "2026-08-15", "8": "2026-09-09", "9": "2025-12-20"}


@pytest.mark.parametrize("text", ["Mars 2026", "am 5. Mai", "Mayo 2026 di kantin", "setembro de 2026"])
def test_a_month_word_without_a_day_or_year_is_no_date(text: str) -> None:
    from crawler.signals.dates_parse import rules

    assert list(rules().find(text, AS_OF)) == []


def test_htmldate_never_takes_a_footer_s_last_modified_day_for_the_publication() -> None:
    """A wiki footer's "terakhir diubah pada 4 November 2026" (tied to its About link) is an update, not a post."""
    sig = read("wiki_last_modified.html", "https://wiki.pematangsiantar.go.id/wiki/Posyandu")
    assert sig["published"] is None, sig
    assert [(d["date"], d["kind"]) for d in sig["dates"]] == [("2026-11-04", "modified")]


@pytest.mark.parametrize("text, day", [
    ("Diposting 2026-11-02", date(2026, 11, 2)),          # year first, alone in its text: read on its own
    ("Tanggal: 2026/11/02 10:15 WIB", date(2026, 11, 2)),
    ("2026-11-2, oleh Admin", date(2026, 11, 2)),
    ("Kode 2026-11-025", None),                            # a longer number: no date (the window sees the digit)
    ("arsip/2026-11-02/", None),                           # a path segment, not a date
])
def test_a_year_first_date_is_read_alone_in_its_text(text: str, day: date | None) -> None:
    found = [f.day for f in dates.rules().find(text, AS_OF)]
    assert found == ([day] if day else [])


def test_a_post_dated_year_first_in_its_byline_gets_that_date() -> None:
    body = ("<html><head><title>Rapat koordinasi stunting</title></head><body><article>"
            "<h1>Rapat koordinasi stunting</h1><div class='meta'>Diposting 2026-11-02 oleh Admin</div>"
            "<p>Pemerintah kota menggelar rapat koordinasi penanganan stunting bersama seluruh puskesmas.</p>"
            "</article></body></html>")
    got = dates.extract(SITE + "/berita/rapat-koordinasi-stunting", body, {}, Context(as_of=AS_OF)).to_json()
    assert got["published"] == "2026-11-02"


@pytest.mark.parametrize("name", [
    # the date is one field of a byline with the author and a view count (a regency portal's detail pages)
    "post_byline_views.html",
    # the same with bullets, a weekday, and the views word before the count
    "post_byline_author.html",
])
def test_a_byline_of_author_date_and_views_dates_the_post(name: str) -> None:
    sig = read(name, SITE + "/informasi/detail/berita/21_sosialisasi-administrasi-kependudukan")
    assert sig["published"] == "2026-11-12", sig


def test_a_line_of_fields_without_author_or_views_is_no_byline() -> None:
    """Near miss: "Rapat Koordinasi | 12 November 2026 | Aula ..." names an event's day and place, not the post's."""
    sig = read("post_fields_no_byline.html", SITE + "/informasi/detail/berita/21_sosialisasi-administrasi-kependudukan")
    assert sig["published"] is None, sig
