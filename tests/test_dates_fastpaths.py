"""The dates signal's fast paths give exactly what the plain computations they replace give (issue 16, item 6)."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from crawler.signals import Context, join_url
from crawler.signals.dates_core import clean_text
from crawler.signals.dates_html import Page
from crawler.signals.dates_parse import rules
from crawler.signals.tree import parsed, shown_text_nodes, shown_texts

CTX = Context(as_of=date(2026, 11, 28))
# What the dates signal reads of a page: every text node of the document but those whose parent is a script or style.
_ALL_TEXT = etree.XPath("/descendant::text()[not(parent::script or parent::style)]")
PAGE = """<html><head><title>Berita</title><style>p{color:#201934}</style><script>var d="2020/01/01";</script>
</head><body><!-- c -->tail of a comment<div id="hdr" class="top">Senin, 28 November 2026<script>x=1</script>
after the script<style>a{}</style>after the style</div><template><p>12/05/2020</p></template>
<p>Diposting <b>9 Juni 2023</b> oleh admin</p>
<a href="https://other.example.test/2020/01/02/x">x</a><a href="//other.example.test/y">y</a>
<a href="/2021/03/04/post/">post</a><a href="HTTPS://WWW.dinkes.example.test/2022/05/06/a">a</a>
<a href="http://[ccpa-preferences]/z">z</a><a href="http://dinkes.example.test:abc/">port</a>
<a href="https://dinkes.example.test/?p=1">p</a></body></html>
"""


def test_clean_text_collapses_the_same_characters_as_the_regex_it_replaced() -> None:
    ws = re.compile(r"\s")
    chars = [chr(i) for i in range(0x110000)]
    # str.split() splits on str.isspace(): the very characters re's \s matches, so the results are the same
    assert [c for c in chars if c.isspace()] == [c for c in chars if ws.match(c)]
    for s in ("a\u00a0 b", " \u2003x\ty\n", "\u00a0", "x\x1cy", "", None):
        assert clean_text(s) == re.sub(r"\s+", " ", (s or "").replace("\xa0", " ")).strip()


def test_shown_text_nodes_are_the_xpath_predicates_nodes() -> None:
    root = parsed(PAGE).root
    fast = [(t.getparent(), t.is_tail, str(t)) for t in shown_text_nodes(root)]
    exact = [(t.getparent(), t.is_tail, str(t)) for t in _ALL_TEXT(root)]
    assert fast == exact
    assert "\nafter the script" in [s for _, _, s in fast] and not any("x=1" in s for _, _, s in fast)
    # A tree built elsewhere may nest elements in a script (a tail there is script text): the exact XPath answers.
    odd = etree.fromstring("<html><body><script>a<b>inside</b>tail in script</script>shown</body></html>")
    assert [str(t) for t in shown_text_nodes(odd)] == [str(t) for t in _ALL_TEXT(odd)] == ["inside", "shown"]


def test_shown_text_nodes_read_the_whole_document_and_templates_unlike_shown_texts() -> None:
    # text after an early </html> parses into a second top-level <html>: the dates signal has always read it
    root = parsed("<html><body><p>a</p><template>t</template></body></html><div>b</div><script>x</script></html>").root
    assert [str(t) for t in shown_text_nodes(root)] == [str(t) for t in _ALL_TEXT(root)] == ["a", "t", "b"]
    assert shown_texts(root) == ["a"]


@pytest.mark.parametrize("url", ["https://dinkes.example.test/berita/1", "http://www.dinkes.example.test/",
                                 "ftp://dinkes.example.test/x"])
def test_links_rejected_before_joining_are_those_joining_rejects(url: str) -> None:
    root = parsed(PAGE).root
    fast, slow = Page(url, root, CTX).items, Page(url, root, CTX).items
    slow._elsewhere = lambda href: False   # every href joined, as before the fast path
    links = list(root.iter("a"))
    assert [fast.link_url(a) for a in links] == [slow.link_url(a) for a in links]
    assert join_url(url, "http://[ccpa-preferences]/z") is None   # what the fast path takes for granted


def _slash_only(r, text: str) -> bool:
    """A text _texts reaches only through its "/" gate: no year, no other gate word."""
    return not r._year_rx.search(text) and not any(g in text for g in r.gate_words if g != "/")


@pytest.mark.parametrize("text", ["km/jam", "Beranda / Berita / Daerah", "http://x.test/a/b", "24/7", "1/2",
                                  "Senin (26/9) pukul 10.00", "Jakarta (26/9/22) - Pemkab", "Kamis, (3/11)",
                                  "3 Hari Lalu / Berita", "Seminggu Lalu / admin", "2 Bulan Lalu /", "(a/b)"])
def test_texts_skipped_behind_a_lone_slash_are_those_find_reads_nothing_in(text: str) -> None:
    r = rules()
    assert _slash_only(r, text)
    found = list(r.find(text, CTX.as_of))
    assert r.slash_may_date(text) or not found
    if "(2" in text or "Lalu" in text:   # the texts the skip must keep: yearless datelines, a capitalised "Lalu"
        assert found and r.slash_may_date(text)


def test_no_shown_text_of_the_test_pages_is_skipped_while_find_reads_a_date_in_it() -> None:
    r = rules()
    for path in sorted(Path(__file__).parent.joinpath("pages").rglob("*.html")):
        root = parsed(path.read_text(encoding="utf-8", errors="replace")).root
        for t in (shown_text_nodes(root) if root is not None else []):
            text = t.replace("\xa0", " ")
            if "/" in text and _slash_only(r, text):
                assert r.slash_may_date(text) or not list(r.find(text, CTX.as_of)), text


@pytest.mark.parametrize("value", ["2006", "1999", "0101", "1231", "311", "7", "3112"])
def test_bare_numbers_skipped_before_dateparser_are_those_it_reads_no_day_in(value: str) -> None:
    import dateparser

    from crawler.signals.dates_parse import _DP_SETTINGS, _dateparser

    assert _dateparser(value) is None
    assert dateparser.parse(value, languages=["id", "en"], settings=_DP_SETTINGS) is None


def test_non_item_links_are_found_by_one_search_as_by_a_test_per_word() -> None:
    from crawler.signals.dates_context import words

    w, listed = words(rules()), rules().data["non_item_links"]
    hrefs = [a.get("href") or "" for path in sorted(Path(__file__).parent.joinpath("pages").rglob("*.html"))
             for a in parsed(path.read_text(encoding="utf-8", errors="replace")).root.iter("a")]
    hrefs += ["https://x.test/kategori/berita", "https://x.test/?page=2", "https://x.test/a?s=x", "https://x.test/b"]
    got = [bool(w.non_item.search(h.lower())) for h in hrefs]
    assert got == [any(p in h.lower() for p in listed) for h in hrefs]
    assert True in got and False in got


def test_year_windows_left_closed_hold_no_date_find_would_read() -> None:
    r = rules()
    texts = ["Oktober 2012", "© 2020 Pemkab", "9 Juni 2023", "Senin, 28 November 2026", "June 5, 2019",
             "05.06.2019", "Jumat (5/6/2020)", "5 de enero de 2020", "1999 2000 12/03/2001", "Juni 2018 (12)",
             "2023-11-02 dan 2024", "2023/1/5 x", "٥ Juni 2020", "2020-", "x 2020"]
    for path in sorted(Path(__file__).parent.joinpath("pages").rglob("*.html")):
        root = parsed(path.read_text(encoding="utf-8", errors="replace")).root
        texts += [t.replace("\xa0", " ") for t in (shown_text_nodes(root) if root is not None else [])]
    fast = [list(r.find(t, CTX.as_of)) for t in texts]
    r._may_open = lambda text, year: True   # every year opens its window, as before the fast path
    try:
        assert fast == [list(r.find(t, CTX.as_of)) for t in texts]
    finally:
        del r._may_open
    assert not any(fast[:2]) and all(fast[2:9])
