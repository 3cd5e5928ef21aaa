"""The CPU fast paths of the page signals (issue 16, item 6) find exactly what the plain ways of reading find.

Each fast path skips or narrows work that it proves would find nothing; these tests compare it with the plain
way over hostile, generated input, so that a fast path that drifts from its rule fails here.
"""
from __future__ import annotations

import re
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from crawler.signals import barrier, hygiene, spam, spam_fast, tree

from conftest import in_ci

PROPERTY = settings(max_examples=300, deadline=None, derandomize=in_ci(), database=None)

# pieces that make tags with many attributes, long runs without "<", and tags cut short
_BODY_PIECES = st.sampled_from(["<", ">", " ", "\n", "a", 'x="1"', "<div ", "<p>", "<i ", "q" * 4999, " b" * 2999,
                                " c=2" * 1500, "</div>"])


@PROPERTY
@given(st.lists(_BODY_PIECES, max_size=60))
def test_defuse_finds_the_long_tags_a_regex_pass_finds(pieces):
    body = "".join(pieces)
    empty = [k for k in range(0, len(body) - 9999, 10000) if body.find("<", k, k + 10000) < 0]
    assert [m.span() for m in barrier._long_runs(body, empty)] == [m.span() for m in barrier._LONG_RUN.finditer(body)]


def test_defuse_still_cuts_a_tag_of_many_attributes_after_long_text():
    body = "<html><body><p>" + "x" * 30000 + "</p><div " + " ".join(f'a{i}="1"' for i in range(3000)) + ">t</div>"
    out = barrier.defuse(body)
    assert 'a999="1"' in out and 'a1000="1"' not in out and out.endswith(">t</div>")


_FLAT_TAG_RX = re.compile(rf"<({'|'.join(hygiene._TAGS)})\b([^>]*)>", re.I)


@PROPERTY
@given(st.lists(st.sampled_from(list("<>/ =\"'aIıİſsSkKK") + ["script", "SCRIPT", "img", "iframe", "frame", "form",
                                                            "input", "meta", "base", "link", "ſcript", "embed"])).map("".join))
def test_hygiene_tag_scan_matches_a_flat_alternation(text):
    assert [m.groups() for m in hygiene._TAG_RX.finditer(text)] == [m.groups() for m in _FLAT_TAG_RX.finditer(text)]


# attribute values that are, or hide, http and https URLs: entities, case, tabs, scheme-relative, srcset lists
_SCHEMES = st.sampled_from(["http:", "https:", "HTTP:", "hTTps:", "h&#116;tp:", "http&#58;", "http&colon;", "http&#x3A;",
                            "ht\ttp:", " http:", "https&amp;:", "&#104;ttps:", "xhttps:", "httpſ:", "", "//", "ſ:"])
_URL = st.tuples(st.sampled_from(["", " ", "&amp;", "a"]), _SCHEMES, st.sampled_from(["//", "/", ""]),
                 st.sampled_from(["x.test/a.png", "x.test/?u=https://y&amp;v=1", "y.test/b.js#k:v"]),
                 st.sampled_from(["", " 1x", ", https://z.test/c.png 2x", ", http://z.test/d.png 2x"])).map("".join)


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(["img src", "img srcset", "script src", "iframe src", "form action",
                                           "link rel=stylesheet href", "base href", "video poster", "object data",
                                           "input type=image src"]),
                          _URL,
                          st.sampled_from(['"', "'", ""])), max_size=6),
       st.sampled_from(["https://dinkes.contoh.go.id/a/", "HTTPS://dinkes.contoh.go.id/", "http://dinkes.contoh.go.id/"]))
def test_hygiene_skips_only_tags_that_cannot_load_over_http(tags, url):
    page = "".join(f"<{name}={q}{value}{q}>" for name, value, q in tags)
    fast = hygiene.extract(url, page, {}, None).to_json()
    with mock.patch.object(hygiene, "_stays_https", lambda raw, base: False):   # every tag read in full, as before
        plain = hygiene.extract(url, page, {}, None).to_json()
    assert fast == plain


def test_hygiene_still_reports_http_behind_entities_and_case():
    page = ('<img src="https://a.test/x.png?u=1&amp;v=2"><img src="h&#116;tp://b.test/y.png">'
            '<script src="HTTP://c.test/z.js"></script><img srcset="https://d.test/1.png 1x, http://d.test/2.png 2x">')
    assert hygiene.extract("https://dinkes.contoh.go.id/", page, {}, None).mixed_content == [
        "http://b.test/y.png", "HTTP://c.test/z.js", "http://d.test/2.png"]


_META_NAMES = st.sampled_from(["generator", "GENERATOR", "GeNeRaToR", "gener&#97;tor", "&#x67;enerator", "gener&amp;ator",
                                "generat", "description", "generatorx", "ſenerator", "gen", "erator", "K"])


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(["name", "NAME", "content", "property", "name x"]), _META_NAMES,
                          st.sampled_from(['"', "'", ""])), max_size=4),
       st.lists(st.sampled_from(["<!-- x -->", "<script>x</script>", "<p>", " "]), max_size=2).map("".join),
       st.sampled_from(["https://dinkes.contoh.go.id/", "http://dinkes.contoh.go.id/"]))
def test_hygiene_skips_only_metas_that_cannot_name_the_generator(metas, between, url):
    page = between.join(f"<meta {name}={q}{value}{q} content=WordPress{i}>" for i, (name, value, q) in enumerate(metas))
    fast = hygiene.extract(url, page, {}, None).to_json()
    with mock.patch.object(hygiene, "_may_name_generator", lambda raw, generator: True):   # every meta read in full
        plain = hygiene.extract(url, page, {}, None).to_json()
    assert fast == plain


def test_hygiene_generator_letters_come_from_no_other_character():
    # the proof of _may_name_generator: only ASCII letters lower-case to the letters of "generator"
    assert not [hex(i) for i in range(0x80, 0x110000) if set(chr(i).lower()) & set("generator")]


def test_hygiene_finds_the_generator_behind_entities_and_case():
    page = '<meta name=description content=d><meta NAME="Gener&#97;tor" content="Joomla"><meta name=generator content=W>'
    assert hygiene.extract("https://dinkes.contoh.go.id/", page, {}, None).generator == "Joomla"
    assert hygiene.extract("http://x.test/", '<META name="GENERATOR" content="WordPress 6">', {}, None).generator == \
        "WordPress 6"


# --- spam: what the analysis reads, built in C (XSLT) instead of walked in Python ---------------------------------

_LINK_ATTRIBUTES = etree.XPath("//a/@href | //a/@title", smart_strings=False)


def _read_parts_walked(root, tail):
    """The plain walk that spam_fast.read_parts replaces: the definition its XSLT passes must keep."""
    parts = [" ".join(tree.shown_texts(root)), tail, *_LINK_ATTRIBUTES(root)]
    parts += [m.get("content") or "" for m in root.iter("meta")]
    parts += [f"{a.text if not len(a) else ''.join(a.itertext())}</a" for a in root.iter("a")]
    return " ".join(parts)


_HTML_PIECES = st.sampled_from([
    "<a href='https://x.test/slot88/' title='Slot'>", "<a>", "</a>", "<a href=/p>naga88", "<b>", "</b>", "<i>gacor</i>",
    "<meta name=description content='judi online'>", "<meta name=x>", "<script>var slot=1;</script>", "<style>.s{}</style>",
    "<template><p>toto</p></template>", "<template>", "</template>", "<!-- slot -->", "<p>", "</p>", "<div>", "</div>",
    "owned", " by", "hack", " ", "\n  ", "&amp;", "&#115;lot", "x", "<html>", "</html>", "<body>", "</body>", "<br>",
    "<svg><style>q</style><a href=s>svg</a></svg>", "<noscript>n</noscript>", "<title>T</title>", "<p>Rapat</p>",
    "</html><div>T<meta content=m><a href=z>L</a></div>"])


@PROPERTY
@given(st.lists(_HTML_PIECES, max_size=40).map("".join))
def test_spam_read_parts_are_what_the_walk_reads(html):
    page = tree.parsed(html)
    if page.root is not None:
        assert spam_fast.read_parts(page.root, page.tail) == _read_parts_walked(page.root, page.tail)


def test_spam_read_parts_keep_empty_links_metas_and_nodes_beside_the_root():
    page = tree.parsed('<html><head><meta name=x><meta content="Slot"></head><body><a href=h title=t>x<b>y</b></a>'
                       '<a></a><a><!--c--></a><script>s</script>q</body></html> tail')
    assert spam_fast.read_parts(page.root, page.tail) == "x y q  tail h t  Slot xy</a None</a </a"
    assert spam_fast.read_parts(page.root, page.tail) == _read_parts_walked(page.root, page.tail)
    # content after an early </html> stands beside the root element: links' attributes are read there, the rest not
    page = tree.parsed('<html><body>a</body></html><div><h4>T</h4><a href=z>L</a><meta content=m></div></html>')
    assert spam_fast.read_parts(page.root, page.tail) == "a  z" == _read_parts_walked(page.root, page.tail)


# --- spam: defacement patterns tried only where their leading word stands -----------------------------------------

_DEFACE_TEXT = st.lists(st.sampled_from(["hacked by", "hack3d  by", "h4ck", "h4cked", "defaced by", "owned by the team",
                                         "owned by", "team x was here", "was here crew", "diretas oleh", "greetz",
                                         "greets to", "your security is", "just a warning", "cyber team", "gr33tz",
                                         "thanks to :", "touched by", "ſ", "ı", "xhack", "_was here", "was\nhere", " ",
                                         "4", "é", "rooted by", "team", "was", "diretaſ oleh", "juſt a warning", "thankſ to :"]), max_size=30).map("".join)


@PROPERTY
@given(_DEFACE_TEXT)
def test_spam_defacement_search_finds_what_a_plain_search_finds(text):
    r = spam.load_rules()
    low = text.lower()
    for p in (*r.deface_strong, *r.deface_weak, *r.deface_claim, re.compile(r"\bhack|^was", re.I), re.compile(r"σx", re.I)):
        fast, plain = spam_fast.search(p, low), p.search(low)
        assert (fast and fast.span()) == (plain and plain.span()), p.pattern
