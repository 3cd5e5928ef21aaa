"""Spam, hidden links, injected pages, defacement, suspension, cloaking and hygiene on labelled pages."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crawler.signals import Context, hygiene, spam

PAGES = Path(__file__).parent / "pages" / "spam"
CTX = Context(as_of=date(2026, 11, 28), site_url="https://dinkes.pematangsiantar.go.id/")


def _labels() -> list[dict]:
    with open(PAGES / "labels.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


LABELS = _labels()
PAGE_LABELS = list({lab["file"]: lab for lab in reversed(LABELS)}.values())
PAIRS = [lab for lab in LABELS if "bot_file" in lab]


def _read(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def _extract(lab: dict) -> dict:
    headers = {"content-type": lab.get("content_type", "text/html; charset=utf-8")}
    return spam.extract(lab["url"], _read(lab["file"]), headers, CTX).to_json()


@pytest.mark.parametrize("lab", PAGE_LABELS, ids=[lab["file"] for lab in PAGE_LABELS])
def test_labelled_page(lab):
    got = _extract(lab)
    assert sorted({f["kind"] for f in got["findings"]}) == lab["kinds"], lab["note"]
    assert got["suspended"] is bool(lab.get("suspended")), lab["note"]


@pytest.mark.parametrize("lab", PAIRS, ids=[lab["bot_file"] for lab in PAIRS])
def test_labelled_cloaking_pair(lab):
    got = spam.compare_cloaking(lab["url"], _read(lab["file"]), _read(lab["bot_file"]), CTX)
    assert (got is not None) is lab["cloaking"], lab["note"]
    if got:
        assert got["kind"] == "cloaking" and got["url"] == lab["url"] and got["evidence"]


def test_finding_shape_and_evidence_is_safe():
    html = _read("hidden_display_none.html").replace(
        "slot gacor hari ini", "slot gacor hari ini\x1b[31m\u202e<b>x</b>" + "panjang " * 40)
    got = spam.extract("https://dinkes.pematangsiantar.go.id/", html, {}, CTX).to_json()
    assert set(got) == {"findings", "suspended"}
    f = got["findings"][0]
    assert set(f) == {"kind", "evidence", "url", "detail"}
    assert f["kind"] == "hidden_links" and f["url"] == "https://dinkes.pematangsiantar.go.id/"
    assert len(f["evidence"]) <= 160
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in f["evidence"])
    assert "gacor-maxwin88.com" in f["detail"]["hosts"]
    assert f["detail"]["hiding"] == "display:none"
    json.dumps(got)  # plain data


def test_hidden_block_reports_how_it_hides():
    got = _extract(next(lab for lab in LABELS if lab["file"] == "hidden_class_rule.html"))
    assert got["findings"][0]["detail"]["hiding"].startswith(".mitra-kami")
    got = _extract(next(lab for lab in LABELS if lab["file"] == "hidden_id_rule.html"))
    assert got["findings"][0]["detail"]["hiding"].startswith("#ftr-partner")


def test_spam_page_marks_asset_path_and_density():
    lab = next(lab for lab in LABELS if lab["file"] == "injected_css.html")
    f = _extract(lab)["findings"][0]
    assert f["kind"] == "spam_page" and f["detail"]["injected_path"] is True
    assert "slot gacor" in f["detail"]["terms"]
    assert f["evidence"].startswith("SLOT GACOR")


def test_single_spam_word_is_not_a_finding():
    base = _read("clean_home_big.html")
    for phrase in ("slot gacor", "togel", "Toto Sugiarto menang jackpot", "maxwin"):
        html = base.replace("Berita Terbaru", f"Berita Terbaru {phrase}", 1)
        assert spam.extract("https://dinkes.pematangsiantar.go.id/", html, {}, CTX).findings == [], phrase


def test_anti_gambling_context_is_what_excludes():
    # without the context words, the same article reads as spam: the exclusion is what saves it
    html = _read("anti_gambling_news.html")
    for w in ("Satuan tugas", "satgas", "Satgas", "memblokir", "mengimbau", "dampak", "kecanduan",
              "tindak pidana", "Polres", "menindak", "pelaku", "pemberantasan", "Pemberantasan"):
        html = html.replace(w, "para")
    got = spam.extract("https://kominfo.pematangsiantar.go.id/berita/1", html, {}, CTX)
    assert {f["kind"] for f in got.findings} & {"spam_text", "spam_page"}


def test_prefilter_skips_ad_script_words():
    html = _read("clean_home_big.html")
    assert "defineSlot" in html  # an ad slot API, not gambling
    assert not spam._prefiltered(html, spam.load_rules())
    assert spam._prefiltered(html.replace("Berita Terbaru", "slot waktu"), spam.load_rules())


def test_non_html_and_garbage_bodies():
    assert spam.extract("https://a.go.id/x.json", '{"a": "slot gacor maxwin togel"}',
                        {"Content-Type": "application/json"}, CTX).findings == []
    for body in ("", "   ", "\x00\x01slot", "<html><body>slot gacor maxwin togel pay4d</html", "<<<>>>slot"):
        spam.extract("https://a.go.id/", body, {}, CTX)  # never raises
    got = spam.extract("https://a.go.id/", "<p>slot gacor maxwin togel online pola rtp", None, None)
    assert [f["kind"] for f in got.findings] == ["spam_text"]


def test_links_channel_needs_external_spam():
    # a visible link list to spam domains, without spam words in the text around it
    links = "".join(f'<a href="https://{h}/">kunjungi</a> ' for h in ("slotking.example", "gacorbet.example"))
    html = f"<html><head><title>Dinas</title></head><body><p>Mitra</p>{links}</body></html>"
    got = spam.extract("https://a.pematangsiantar.go.id/", html, {}, CTX).to_json()
    assert [f["kind"] for f in got["findings"]] == ["spam_text"]
    assert got["findings"][0]["detail"]["channel"] == "links"
    # the same anchors to the site's own pages are not off-site spam
    own = links.replace("https://slotking.example", "/slotking").replace("https://gacorbet.example", "/gacorbet")
    html = f"<html><head><title>Dinas</title></head><body><p>Mitra</p>{own}</body></html>"
    assert spam.extract("https://a.pematangsiantar.go.id/", html, {}, CTX).findings == []


def test_suspension_needs_short_page():
    lab = next(lab for lab in LABELS if lab["file"] == "domain_renewal_news.html")
    assert "pembayaran sewa nama domain" in _read(lab["file"])
    assert _extract(lab)["suspended"] is False


# --- hygiene ----------------------------------------------------------------------------

MIXED = """<html><head><meta name="generator" content="WordPress 5.2.4">
<meta name="generator" content="Elementor 3.1">
<link rel="stylesheet" href="http://cdn.example.com/style.css">
<link rel="alternate" href="http://dinkes.example.go.id/feed/">
<script src="http://code.example.com/jquery.js"></script>
<script>var u = "<img src='http://inside-script.example/x.png'>";</script>
<!-- <img src="http://commented.example/x.png"> -->
</head><body>
<img src="http://dinkes.example.go.id/wp-content/uploads/a.jpg" srcset="https://ok.example/a.jpg 1x, http://cdn.example.com/a2.jpg 2x">
<img src="/relative.png"><img src="//proto-relative.example/x.png"><img src="https://secure.example/x.png">
<iframe src=http://maps.example.com/embed></iframe>
<form action="http://dinkes.example.go.id/cari"><input name=q><input type=image src="http://btn.example/b.png"></form>
<a href="http://link.example.com/">plain link is not mixed content</a>
</body></html>"""


def test_hygiene_mixed_content_and_generator():
    h = hygiene.extract("https://dinkes.example.go.id/", MIXED, {}, CTX).to_json()
    assert h["generator"] == "WordPress 5.2.4"
    assert h["mixed_content"] == [
        "http://cdn.example.com/style.css",
        "http://code.example.com/jquery.js",
        "http://dinkes.example.go.id/wp-content/uploads/a.jpg",
        "http://cdn.example.com/a2.jpg",
        "http://maps.example.com/embed",
        "http://dinkes.example.go.id/cari",
        "http://btn.example/b.png",
    ]


def test_hygiene_http_page_has_no_mixed_content_and_base_href_counts():
    assert hygiene.extract("http://dinkes.example.go.id/", MIXED, {}, CTX).mixed_content == []
    html = '<html><head><base href="http://static.example.com/"></head><body><img src="logo.png"></body></html>'
    assert hygiene.extract("https://a.example.go.id/", html, {}, CTX).mixed_content == ["http://static.example.com/logo.png"]
    assert hygiene.extract("https://a.example.go.id/", "", {}, CTX).to_json() == {"mixed_content": [], "generator": None}


def test_accuracy_gate():
    # evaluation gate: measured on tests/pages/spam (100.0 precision and recall per kind) less 2 points
    import importlib.util
    spec = importlib.util.spec_from_file_location("spam_accuracy", Path(__file__).parent.parent / "benchmarks" / "spam_accuracy.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.scores(bench.evaluate()["counts"])
    for kind, s in result.items():
        assert s["precision"] >= 98.0 and s["recall"] >= 98.0, (kind, s)


def test_hostile_markup_is_handled():
    # unclosed comments, scripts and CSS; a huge class list: results stay right and nothing raises
    css = "/* " * 2000 + "x" * 5000
    html = (f"<html><head><style>{css}</style><style>" + "".join(f".c{i}{{display:none}}" for i in range(3000))
            + "</style></head><body><div class='c5'><a href='https://slotku88.example/'>slot gacor</a></div>"
            + "<script>" * 2000 + "</body></html>")
    got = spam.extract("https://a.go.id/", html, {}, CTX).to_json()
    assert [f["kind"] for f in got["findings"]] == ["hidden_links"]
    page = "<!--" * 3000 + '<img src="http://x.example/a.png">'
    assert hygiene.extract("https://a.go.id/", page, {}, CTX).mixed_content == []
    page = '<script src="http://x.example/a.js">' + "<script>" * 3000
    assert hygiene.extract("https://a.go.id/", page, {}, CTX).mixed_content == ["http://x.example/a.js"]
