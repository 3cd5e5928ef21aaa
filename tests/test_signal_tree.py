"""One parse per page (issue 16, item 6): every signal reads the same lxml tree, and none of them changes it."""
from __future__ import annotations

from lxml import etree

from crawler.signals import Context, spam, tree
from crawler.signals.barrier import ALL_SIGNALS, Signals

from conftest import AS_OF

CTX = Context(as_of=AS_OF, site_url="https://dinkes.contoh.go.id/")
URL = "https://dinkes.contoh.go.id/berita/rapat-stunting"

# A post with everything a signal might be tempted to strip or drop: scripts, styles, comments, a template,
# hidden blocks holding links, a <noscript>, and a link farm appended after </html>.
PAGE = """<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Rapat Koordinasi Penanganan Stunting</title>
<style>.sembunyi{display:none}</style>
<script>var jam = "{{slot}}"; document.getElementById("jam").innerHTML = new Date();</script>
</head><body><header><span id="jam"></span><!-- jam server --></header>
<nav><a href="/">Beranda</a> <a href="/profil/visi-misi">Visi dan Misi</a> <a href="/ppid">PPID</a></nav>
<article><h1>Rapat Koordinasi Penanganan Stunting</h1>
<span class="posted-on">Diposting 20 November 2026</span>
<p>Dinas Kesehatan menggelar rapat koordinasi bersama puskesmas se-kota.</p>
<template><a href="https://kampus.example.ac.id/wp-content/uploads/slot88/">slot88</a></template>
<div class="sembunyi"><a href="https://daftar.example/">slot gacor hari ini</a>
<a href="https://daftar2.example/">judi online maxwin</a></div>
<noscript><iframe src="https://www.googletagmanager.com/ns.html"></iframe></noscript>
</article><footer>&copy; 2026 Dinas Kesehatan</footer></body></html>
<div><a href="https://dpmptsp.contoh.go.id/img/slot-pulsa/">slot pulsa</a></div>"""


def _serialised(root) -> bytes:
    return etree.tostring(root, encoding="utf-8")


def test_all_signals_of_a_page_parse_it_once(monkeypatch):
    calls = []
    real = tree._parse
    monkeypatch.setattr(tree, "_parse", lambda body: calls.append(len(body)) or real(body))
    results, errors = Signals(ALL_SIGNALS).extract(URL, "".join(PAGE), {}, CTX)   # a text object no test parsed
    assert errors == []
    assert all(results[name] is not None for name in ALL_SIGNALS)
    assert len(calls) == 1, "each signal parsed the page again"


def test_no_signal_changes_the_shared_tree():
    body = "".join(PAGE)   # a text object of its own: the shared tree is keyed on the object
    before = _serialised(tree.parsed(body).root)
    results, errors = Signals(ALL_SIGNALS).extract(URL, body, {}, CTX)
    assert errors == []
    after = _serialised(tree.parsed(body).root)
    assert after == before
    for kept in (b"<script>", b"<!-- jam server -->", b"<template>", b'class="sembunyi"', b"<noscript>"):
        assert kept in after
    # and the signals read it as before: the hidden block and the links after </html> are findings
    kinds = {(f["kind"], f["detail"].get("hiding")) for f in results["spam"]["findings"]}
    assert ("hidden_links", ".sembunyi display:none") in kinds
    assert ("hidden_links", "after </html>") in kinds
    assert results["dates"]["published"] == "2026-11-20"
    assert "visi_misi" in {link["item"] for link in results["checklist"]["links"]}


def test_what_a_browser_never_shows_is_not_read_as_visible_text():
    # a script (ad code naming its slot) and a template inside the visible page: no spam in what visitors see
    page = PAGE.split('<div class="sembunyi">')[0] + "</article></body></html>"
    page = page.replace("<p>Dinas", "<script>googletag.defineSlot('/slot/gacor', [300, 250]);</script><p>Dinas")
    sig = spam.extract(URL, page, {}, CTX).to_json()
    assert sig["findings"] == []
    texts = " ".join(tree.shown_texts(tree.parsed(page).root))
    assert "defineSlot" not in texts and "slot88" not in texts and "jam server" not in texts
    assert "Dinas Kesehatan menggelar" in texts


def test_another_page_gets_its_own_tree():
    first, second = "".join(PAGE), PAGE.replace("Stunting", "Gizi Buruk")
    shared = tree.parsed(first)
    assert tree.parsed(first) is shared   # the next signal of the same page
    assert tree.parsed(second).root.findtext(".//title") == "Rapat Koordinasi Penanganan Gizi Buruk"
    assert tree.parsed(first) is not shared   # parsed anew, never a stale tree of another page


def test_content_after_the_last_html_end_is_kept_apart():
    parsed = tree.parsed("<html><body><p>isi</p></body></HTML >\n<a href='https://x.example/slot/'>slot</a>")
    assert parsed.tail.strip().startswith("<a href=")
    assert parsed.root.find(".//a") is None
    assert tree.parsed("<p>tanpa akhir</p>").tail == ""
    assert tree.parsed("   ").root is None
