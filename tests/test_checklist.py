"""Tests of the checklist data file and the per-page checklist signal."""
from __future__ import annotations

import importlib.util
import re
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from base.checklist import _key
from crawler.signals import Context, checklist
from crawler.signals.checklist_match import doc_year, match, match_in, may_match
from crawler.signals.checklist_walk import name_kind

ROOT = Path(__file__).resolve().parent.parent
CTX = Context(as_of=date(2026, 11, 28))


def docs_items() -> list[dict]:
    """The item table of docs/checklist.md, the checklist's specification: id, name, weight, doc, source."""
    text = (ROOT / "docs" / "checklist.md").read_text(encoding="utf-8")
    section = text.split("\n## Items\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 5:
            rows.append({"id": cells[0].strip("`"), "name": cells[1], "weight": int(cells[2]),
                         "doc": cells[3] == "yes", "source": cells[4]})
    return rows


def _bench():
    spec = importlib.util.spec_from_file_location("checklist_accuracy", ROOT / "benchmarks" / "checklist_accuracy.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def page(body: str, title: str = "Halaman", footer: str = "") -> str:
    """A small page with a menu, a content area and a footer."""
    return (f"<html><head><title>{title}</title></head><body><nav><ul><li><a href='/'>Beranda</a></li></ul></nav>"
            f"<div class='content'>{body}</div><footer>{footer}</footer></body></html>")


def sig(body: str, url: str = "https://dinas.example.go.id/halaman", **kw) -> dict:
    return checklist.extract(url, page(body, **kw), {}, CTX).to_json()


FILLER = "<p>Isi halaman ini cukup panjang untuk dianggap sebagai konten yang sebenarnya oleh pemeriksa kelengkapan.</p>"


# ------------------------------------------------------------------------------------------ the data file

def test_default_checklist_is_the_spec():
    spec = docs_items()
    assert all(row["source"] for row in spec), "every item names its legal source"
    items = checklist.load()
    assert [i.id for i in items] == [row["id"] for row in spec]
    assert {i.id: (i.name, i.weight, i.doc) for i in items} == {r["id"]: (r["name"], r["weight"], r["doc"])
                                                                for r in spec}
    assert all(i.name and i.name_en and i.category and i.words for i in items)
    assert checklist.load() is checklist.load()  # loaded once, compiled once


def test_operator_copy_is_identical_to_the_packaged_default():
    assert (ROOT / "config" / "checklist.yaml").read_bytes() == (
        ROOT / "base" / "data" / "checklist.yaml").read_bytes()


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "checklist.yaml"
    p.write_text(text, encoding="utf-8")
    return p


GOOD_ITEM = "  - id: a\n    name: A\n    category: profil\n    weight: 1\n    words: [alpha]\n"


@pytest.mark.parametrize("text, line, key, msg", [
    ("items:\n" + GOOD_ITEM + "  - id: b\n    name: B\n    category: x\n    weight: 5\n    words: [beta]\n",
     10, "items[1].weight", "must be an integer 1-3"),
    ("items:\n" + GOOD_ITEM + "  - id: a\n    name: A2\n    category: x\n    weight: 1\n    words: [gamma]\n",
     7, "items[1].id", "duplicate id"),
    ("items:\n  - id: a\n    name: A\n    category: x\n    weight: 1\n    words: []\n", 6, "items[0].words", "must not be empty"),
    ("items:\n  - id: a\n    name: A\n    category: x\n    weight: 1\n    words: [alpha]\n    wieght: 2\n",
     7, "items[0].wieght", "unknown key"),
    ("items:\n  - id: A-1\n    name: A\n    category: x\n    weight: 1\n    words: [alpha]\n", 2, "items[0].id", "lower-case"),
    ("items:\n  - id: a\n    category: x\n    weight: 1\n    words: [alpha]\n", 2, "items[0].name", "missing"),
    ("items:\n" + GOOD_ITEM + "  - id: b\n    name: B\n    category: x\n    weight: 1\n    words: [Alpha]\n",
     7, "items[1].words", "already a word of 'a'"),
    ("items:\n  - id: a\n    name: A\n    category: x\n    weight: 1\n    words: [alpha]\n    doc: maybe\n",
     7, "items[0].doc", "true or false"),
    ("rules:\n  content:\n    contact: ['(unclosed']\nitems:\n" + GOOD_ITEM, 3, "rules.content.contact[0]", "bad regular"),
    ("items: [\n", 2, "invalid YAML", ""),
])
def test_load_reports_file_line_and_key(tmp_path, text, line, key, msg):
    path = _write(tmp_path, text)
    with pytest.raises(checklist.ChecklistError) as e:
        checklist.load(path)
    assert str(e.value).startswith(f"{path}:{line}: {key}")
    assert msg in str(e.value)


def test_a_file_without_rules_keeps_the_packaged_rules(tmp_path):
    items = checklist.load(_write(tmp_path, "items:\n  - id: kontak\n    name: Kontak\n    category: profil\n"
                                            "    weight: 2\n    words: [kontak]\n    content: contact\n"))
    assert items.rules == checklist.load().rules
    s = checklist.extract("https://x.go.id/k", page("<h1>Kontak</h1><p>Telp. (0622) 21345, Jl. Merdeka No. 1</p>" + FILLER),
                          {}, Context(as_of=CTX.as_of, checklist=items))
    assert s.held == {"kontak": "Kontak"}


def test_load_missing_file(tmp_path):
    with pytest.raises(checklist.ChecklistError, match=r"nope\.yaml:0: cannot read"):
        checklist.load(tmp_path / "nope.yaml")


def test_a_new_item_in_a_custom_checklist_changes_results_without_code(tmp_path):
    text = (ROOT / "config" / "checklist.yaml").read_text(encoding="utf-8") + (
        "\n  - id: zona_integritas\n    name: Zona Integritas\n    category: profil\n    weight: 2\n"
        "    words: [zona integritas, wbk, wbbm]\n    url_hints: [zona-integritas]\n")
    custom = checklist.load(_write(tmp_path, text))
    html = page("<h1>Zona Integritas Menuju WBK</h1>" + FILLER + "<a href='/files/Pakta-WBBM-2025.pdf'>Pakta WBBM 2025</a>")
    default = checklist.extract("https://x.go.id/zi", html, {}, CTX).to_json()
    mine = checklist.extract("https://x.go.id/zi", html, {}, Context(as_of=CTX.as_of, checklist=custom)).to_json()
    assert "zona_integritas" not in default["held"]
    assert "zona_integritas" in mine["held"]
    assert {"item": "zona_integritas", "url": "https://x.go.id/files/Pakta-WBBM-2025.pdf", "text": "Pakta WBBM 2025",
            "doc": True, "year": 2025, "service": False} in mine["links"]


# ------------------------------------------------------------------------------------------ matching

def ids(text: str, at_start: bool = False) -> list[str]:
    return [m[0] for m in match(text, at_start=at_start)]


@pytest.mark.parametrize("text, expected", [
    ("Rencana Kerja dan Anggaran (RKA) 2026", ["anggaran", "anggaran"]),
    ("Rencana Kerja 2026", ["renja"]),
    ("Laporan Kinerja Instansi Pemerintah", ["lkjip"]),
    ("Laporan pengaduan: Lapor!", ["pengaduan", "pengaduan"]),
    ("DIPA Satker 2025", []),
    ("DIP Dinas Kesehatan", ["daftar_informasi_publik"]),
    ("Pembinaan IKM (Industri Kecil dan Menengah)", []),
    ("Hasil IKM semester I", ["survei_kepuasan"]),
    ("VISI-MISI", ["visi_misi"]),
    ("Visi &amp; Misi".replace("&amp;", "&"), ["visi_misi"]),
    ("visi_misi_dinas", ["visi_misi"]),
    ("Laporan Realisasi Anggaran", ["laporan_keuangan"]),
    ("DPA Tahun Anggaran 2026", ["anggaran"]),
    ("Daftar Informasi Publik", ["daftar_informasi_publik"]),
    ("Pelaporan kegiatan", []),
    ("Tata Cara Permohonan Informasi", ["permohonan_informasi"]),
])
def test_match_whole_words_longest_phrase(text, expected):
    assert ids(text) == expected


def test_at_start_only_counts_labels_that_begin_with_the_item():
    assert ids("Dinkes Gelar Rapat Penyusunan Renja 2026", at_start=True) == []
    assert ids("Dokumen Renja 2026", at_start=True) == ["renja"]
    assert ids("Kategori: Berita", at_start=True) == ["berita"]
    assert ids("Kepuasan Publik / SKM", at_start=True) == ["survei_kepuasan", "survei_kepuasan"]


@pytest.mark.parametrize("text, year", [
    ("LKjIP 2025", 2025), ("LAKIP_2019.pdf", 2019), ("Renstra 2021-2026", 2026), ("Renstra 2021 - 2026", 2026),
    ("lkjip2024", 2024), ("Dokumen 1432", None), ("Laporan Kinerja", None), ("Perjanjian Kinerja 2099", None),
])
def test_doc_year_is_the_latest_year_covered(text, year):
    assert doc_year(text, date(2026, 11, 28)) == year


# ------------------------------------------------------------------------------------------ pages

def test_heading_with_content_holds_the_item_and_placeholder_does_not():
    s = sig("<h1>Visi dan Misi</h1>" + FILLER)
    assert s["held"] == {"visi_misi": "Visi dan Misi"} and s["placeholder"] is False
    for body in ("<h1>Visi dan Misi</h1><p>Halaman ini sedang dalam pengembangan.</p>",
                 "<h1>Visi dan Misi</h1><h2>Coming Soon</h2>", "<h1>Visi dan Misi</h1>",
                 "<h1>Visi dan Misi</h1><p>Under construction</p>"):
        s = sig(body)
        assert s["held"] == {} and s["placeholder"] is True, body


def test_a_placeholder_phrase_on_a_full_page_is_just_a_sentence():
    s = sig("<h1>Berita</h1>" + FILLER * 6 + "<p>Aplikasi antrean daring segera hadir.</p>")
    assert s["placeholder"] is False and "berita" in s["held"]


def test_a_chart_image_is_content():
    s = sig("<h1>Struktur Organisasi</h1><p><img src='/up/bagan.jpg'></p>")
    assert s["held"] == {"struktur_organisasi": "Struktur Organisasi"}


def test_kontak_needs_contact_data_on_the_page():
    assert sig("<h1>Kontak</h1><p>Silakan sampaikan pertanyaan Anda melalui formulir yang tersedia pada halaman ini.</p>"
               "<form><input name='n'></form>")["held"] == {}
    assert "kontak" in sig("<h1>Hubungi Kami</h1><p>Telepon (0622) 21345, surel dinas@example.go.id</p>" + FILLER)["held"]
    # the address in the footer of a real contact page counts: it is on the page
    assert "kontak" in sig("<h1>Kontak</h1><iframe src='https://maps.example/x'></iframe>",
                           footer="Jl. Sudirman No. 1, Pematangsiantar")["held"]


def test_a_news_title_that_mentions_an_item_is_not_the_item():
    s = sig("<h1>Bappeda Gelar Musrenbang Renja 2026</h1>" + FILLER)
    assert s["held"] == {} and "renja" not in s["mentioned"]
    s = sig("<h1>Rapat Koordinasi</h1><p>Penyusunan rencana kerja tahun depan dibahas bersama seluruh bidang dinas.</p>")
    assert s["held"] == {} and s["mentioned"] == ["renja"]


def test_menu_headings_and_footer_headings_are_not_the_pages_own():
    html = ("<html><body><div class='sidebar'><h2>Agenda</h2><p>30 Nov rapat evaluasi program gizi di aula dinas</p></div>"
            "<div id='footer'><h3>Alamat Kantor</h3><p>Jl. Merdeka 1</p></div><div class='content'><h1>Sejarah</h1>"
            + FILLER + "</div></body></html>")
    assert checklist.extract("https://x.go.id/s", html, {}, CTX).held == {"profil": "Sejarah"}


def test_links_docs_years_services_and_dead_entries():
    body = ("<h1>Beranda</h1>" + FILLER +
            "<ul><li><a href='/uploads/LAKIP_2019.pdf'>LAKIP_2019.pdf</a></li>"
            "<li><a href='https://lpse.pematangsiantar.go.id/eproc4'><img src='lpse.png' alt=''></a></li>"
            "<li><a href='https://www.lapor.go.id/'>SP4N-LAPOR!</a></li>"
            "<li><a href='#'>Survei Kepuasan Masyarakat</a></li>"
            "<li><a href='javascript:void(0)'>Visi Misi</a></li>"
            "<li><a href='#'>Profil</a><ul><li><a href='?page_id=12'>Sejarah</a></li></ul></li>"
            "<li><a href='#visi'>Visi</a></li></ul>"
            "<table><tr><td>Rencana Strategis</td><td>2021-2026</td><td><a href='/f/dok_77.pdf'>Download</a></td></tr></table>")
    s = sig(body, url="https://dinas.pematangsiantar.go.id/")
    links = {(x["item"], x["url"]): x for x in s["links"]}
    assert links["lkjip", "https://dinas.pematangsiantar.go.id/uploads/LAKIP_2019.pdf"] | {} == {
        "item": "lkjip", "url": "https://dinas.pematangsiantar.go.id/uploads/LAKIP_2019.pdf", "text": "LAKIP_2019.pdf",
        "doc": True, "year": 2019, "service": False}
    assert links["pengadaan", "https://lpse.pematangsiantar.go.id/eproc4"]["service"] is True
    assert links["pengaduan", "https://www.lapor.go.id/"]["service"] is True
    assert links["profil", "https://dinas.pematangsiantar.go.id/?page_id=12"]["doc"] is False
    renstra = links["renstra", "https://dinas.pematangsiantar.go.id/f/dok_77.pdf"]
    assert renstra["year"] == 2026 and renstra["doc"] is True
    assert {(d["item"], d["href"]) for d in s["dead"]} == {("survei_kepuasan", "#"), ("visi_misi", "javascript:void(0)")}
    assert not any(x["item"] == "visi_misi" for x in s["links"])


def test_same_host_service_name_is_not_a_service():
    s = sig("<h1>Beranda</h1>" + FILLER + "<a href='/ppid'>PPID</a>", url="https://ppid.pematangsiantar.go.id/")
    assert s["links"][0]["item"] == "ppid" and s["links"][0]["service"] is False


@pytest.mark.parametrize("html", ["", "   ", "\x00\x01binary", "<html>", "<p>no body tag</p>"])
def test_broken_input_does_not_raise(html):
    s = checklist.extract("https://x.go.id/", html, {}, CTX).to_json()
    assert set(s) >= {"held", "placeholder", "links", "dead"} and s["held"] == {}


def test_empty_context_checklist_means_the_packaged_default():
    a = checklist.extract("https://x.go.id/", page("<h1>Tupoksi</h1>" + FILLER), {}, CTX)
    b = checklist.extract("https://x.go.id/", page("<h1>Tupoksi</h1>" + FILLER), {},
                          Context(as_of=CTX.as_of, checklist=checklist.load()))
    assert a.to_json() == b.to_json() and "tugas_fungsi" in a.held


# ------------------------------------------------------------------------------------------ the labelled pages

def test_every_labelled_tuning_page_matches_its_labels():
    bench = _bench()
    folder = bench.PAGES
    for lab in bench.labels(folder):
        s = checklist.extract(lab["url"], (folder / lab["file"]).read_text(encoding="utf-8"), {}, CTX).to_json()
        assert set(s["held"]) == set(lab["held"]), lab["file"]
        assert s["placeholder"] == lab["placeholder"], lab["file"]


# Evaluation gate: F1 measured by benchmarks/checklist_accuracy.py (Nov 2026) less 2 points.
# All three sets are tuning sets. tuning_blind1 (folder holdout/), first blind run: held 50.0, links 92.1, then
# fixed on it; tuning_blind2 (folder holdout2/), first blind run: held 100.0, links 99.2, then one fix on it.
GATE = {
    "tuning": {"held": 98.0, "links": 98.0, "dead": 98.0, "placeholder": 98.0, "sites": 98.0},
    "tuning_blind1": {"held": 98.0, "links": 98.0, "placeholder": 98.0},
    "tuning_blind2": {"held": 98.0, "links": 98.0, "placeholder": 98.0, "sites": 98.0},
}


@pytest.mark.parametrize("which", ["tuning", "tuning_blind1", "tuning_blind2"])
def test_accuracy_gate(which):
    bench = _bench()
    folders = {"tuning": bench.PAGES, "tuning_blind1": bench.TUNING_BLIND1, "tuning_blind2": bench.TUNING_BLIND2}
    res = bench.evaluate(folder=folders[which])
    for measure, floor in GATE[which].items():
        assert res[measure]["f1"] >= floor, (measure, res[measure], res["misses"])


# --- the word-set test before the phrase regex (issue 16, item 6) -----------------------------------------------

@pytest.mark.parametrize("text", [
    "Profil", "PROFIL Dinas", "Visi-Misi", "visi_misi", "Hubungi Kami", "Berita Terkini", "Menu utama", "",
    "\u212aontak", "Profıl", "PROF\u0130L", "Pengaduan Maſyarakat", "ſtruktur organisasi", "Ⅰ Profil",
    "é Profil é", "Profil—Sejarah", "LKjIP 2024", "e-PPID", "Unduh", "Beranda · Ｐｒｏｆｉｌ",
])
def test_word_set_test_lets_through_every_text_the_regex_matches(text):
    c = checklist.compiled(())
    if list(c.regex.finditer(text)):
        assert may_match(c, text)
    expected = [(c.phrase_item.get(_key(m.group())), m.start(), m.end()) for m in c.regex.finditer(text)]
    assert [m for m in match_in(c, text, False)] == [e for e in expected if e[0] is not None] or \
        c.near_regex.search(text)


def test_word_set_test_skips_texts_without_a_phrase_word():
    c = checklist.compiled(())
    assert not may_match(c, "Read more about the weather tomorrow")
    assert may_match(c, "Read the PROFIL page")


def test_the_fast_paths_keep_every_link_and_boundary():
    """The link prefilter, the per-value class cache and the one-walk <title>/<base> read change nothing."""
    ck = checklist.extract("https://x.go.id/a/", (
        "<html><head><title>T</title></head><body><base href='https://y.go.id/d/'>"
        "<div id='sidebar' class='box'><h2>Renstra</h2></div>"      # boilerplate by its id, not its class
        "<div id='main' class='box'><p>Isi halaman yang cukup panjang untuk dihitung sebagai konten. "
        "Isi halaman yang cukup panjang untuk dihitung sebagai konten.</p>"
        "<a href='Renstra%202021-2026.pdf'>Unduh</a>"               # only the file name names the item
        "<a href='lkjip2024.pdf'>Unduh</a>"                          # letters and digits split apart
        "<a href='/x'>LKj\u0130P</a></div></body></html>"),          # non-ASCII label: the slow path decides
        None, CTX)
    assert ck.held == {}   # the sidebar's heading is not the page's own
    links = {(x["item"], x["url"]) for x in ck.links}
    assert ("renstra", "https://y.go.id/d/Renstra%202021-2026.pdf") in links
    assert ("lkjip", "https://y.go.id/d/lkjip2024.pdf") in links
    assert any(x["url"] == "https://y.go.id/x" for x in ck.links) == bool(match("LKj\u0130P"))


# The fast paths (issue 16, item 6) must find exactly what the plain ones find: evidence_anchors skips the anchors
# it proves silent, match_in reads lowered text with a literal-first regex. Pages built from the traps of both proofs.
_LABELS = ["Profil", "PROF\u0130L", "pro\u017fil", "Berita Terkini", "News", "", "   ", "\xa0\n", "Download",
           "Unduh", "Lihat file", "Read more", "about us", "x" * 196 + " renstra", "x" * 193 + " | ikmabc", "e-mail",
           "Lowongan 2024", "Visi &amp; Misi", "<b>Pro</b>fil", "<span>Ren</span><span>stra</span>",
           "<img alt='Renstra 2021'>", "<img alt=''>", "\u212aontak", "Sejarah<br>Singkat", "Data \u0130KM",
           "di sini", "SP4N Lapor"]
_HREFS = ["/profil", "/about/", "/a/visi-misi.html", "/news/2023/x", "renstra2021.pdf", "/x/Renstra%202021.pdf",
          "/x/Renstra+2021.PDF", "https://lpse.contoh.go.id/", "http://user@lpse.x.go.id/",
          "http://u@esakip.x.go.id/a/b", "//sirup.lkpp.go.id/x", "https://www.lapor.go.id", "#", "",
          "javascript:void(0)", " /sop ", "/a\tb/profil", "/ppid?x=/y", "http://[lpse]/", "/k\u212aontak",
          "/unduh/file.pdf", "/2023sakip", "/x/e-government", "/tupoksi#x", "/x/LKJIP_2024.pdf", "/sop/ ",
          "/a/ profil", "/a/profil /", "/a/b/", "https://jdih.x.go.id:8080/a", "/s/%20renja%20", "/p/sp4n",
          "mailto:a@b.c"]
_WRAPS = ["{}", "<nav>{}</nav>", "<ul><li>{}</li></ul>", "<table><tr><td>Renstra 2021</td><td>{}</td></tr></table>",
          "<h2>{}</h2>", "<div class='menu-utama'>{}</div>", "<button>{}</button>", "<header>{}</header>"]
_TEXTS = ["", "Profil dinas, visi misi dan tugas pokok.", "\u0130nformasi publik", "industri kecil menengah IKM",
          "Hubungi kami: Jl. Merdeka 1, (0622) 123456", "Artikel lain tentang berita"]


def _link(label: str, href: str, title: str, wrap: str = "{}") -> str:
    return wrap.format(f"<a href='{href}'" + (f" title='{title}'" if title else "") + f">{label}</a>")


def _fast_and_plain(pages: list[str]) -> tuple[list[dict], list[dict]]:
    """Each page's checklist result with the fast paths, and with every anchor decided and the case-blind regex."""
    c = checklist.compiled()

    def run() -> list[dict]:
        c.label_cache.clear()   # a cached answer of one path must not stand in for the other's
        c.target_cache.clear()
        return [checklist.extract("https://dinas.contoh.go.id/p", html, {}, CTX).to_json() for html in pages]

    fast = run()
    with mock.patch.object(checklist, "evidence_anchors", lambda c, anchors, page_item: range(len(anchors))), \
            mock.patch.object(c, "fast_regex", None):
        return fast, run()


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.tuples(st.sampled_from(_LABELS), st.sampled_from(_HREFS), st.sampled_from(["", "Profil Dinas"]),
                          st.sampled_from(_WRAPS)), max_size=14),
       st.sampled_from(["", "Profil", "Kontak Kami", "Data IKM"]), st.sampled_from(_TEXTS))
def test_the_fast_paths_find_what_the_plain_ones_find(anchors, heading, text):
    links = "".join(_link(*x) for x in anchors)
    fast, plain = _fast_and_plain([f"<html><body><h1>{heading}</h1><p>{text}</p>{links}</body></html>"])
    assert fast == plain


def test_the_fast_paths_find_what_the_plain_ones_find_for_every_single_link():
    fast, plain = _fast_and_plain([f"<html><body><h1>Renstra</h1>{_link(label, href, title, wrap)}</body></html>"
                                   for label in _LABELS for href in _HREFS for title in ("", "Profil Dinas")
                                   for wrap in ("{}", _WRAPS[3])])
    assert sum(bool(x["links"] or x["dead"]) for x in fast) > len(fast) // 3   # the pages do hold evidence
    assert fast == plain


def _plain_name_kind(c, names: str) -> int:
    """What name_kind said before its regexes: the value's names and their parts as a set, tested against the lists."""
    low = names.lower()
    words = {*low.split(), *re.split(r"[\s_-]+", low)}
    r = c.rules
    return 2 if not set(r.boilerplate).isdisjoint(words) else 1 if not set(r.chrome).isdisjoint(words) else 0


_NAME_PARTS = ["nav", "navbar", "menu", "top-bar", "top", "bar", "running-text", "head", "header", "main", "jam",
               "Footer", "x", "-", "_", " ", "\u2003", "\t", "\x1c", "\u0130", "s\u0130debar", "widget_", "logo2"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(_NAME_PARTS), max_size=8))
def test_the_class_word_regexes_find_what_the_word_sets_find(parts):
    c = checklist.compiled()
    names = "".join(parts)
    c.class_cache.clear()
    assert name_kind(c, names) == _plain_name_kind(c, names)


@pytest.mark.parametrize("names", ["x-top-bar", "top-bar_x", "top-bar", "a top-bar", "NAV", "sub-nav", "navx",
                                   "nav\u2003x", "s\u0130debar", "", " ", "header-top-bar"])
def test_the_class_word_regexes_on_their_edges(names):
    c = checklist.compiled()
    c.class_cache.clear()
    assert name_kind(c, names) == _plain_name_kind(c, names)


@pytest.mark.parametrize("base", ["", "<base href='https://y.go.id/d/'>", "<BASE HREF='https://y.go.id/d/'>",
                                  "<bAsE\nhref='/d/'>", "<base target='_blank'><base href='/e/'>", "<x:base href='/f/'>",
                                  "<svg><base href='/g/'></svg>", "&lt;base href='/h/'&gt;", "<basefont href='/i/'>"])
@pytest.mark.parametrize("where", ["head", "body"])
def test_the_base_tag_test_finds_every_base_the_walk_finds(base, where):
    html = (f"<html><head><title>Profil</title>{base if where == 'head' else ''}</head><body>"
            f"{base if where == 'body' else ''}<h2>Renstra</h2><a href='renstra.pdf'>Renstra 2024</a></body></html>")
    fast = checklist.extract("https://x.go.id/a/", html, None, CTX).to_json()
    with mock.patch.object(checklist, "_BASE_TAG_RE", re.compile("")):   # every page sought for a <base>
        plain = checklist.extract("https://x.go.id/a/", html, None, CTX).to_json()
    assert fast == plain and fast["links"]


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.text(alphabet="ab /\u0130\u0131\u017f\u212a\u0307\xe9", max_size=6), max_size=5))
def test_the_non_ascii_gate_is_skipped_only_where_it_cannot_match(texts):
    from crawler.signals.checklist_scan import hits
    c = checklist.compiled()
    gates = (c.label_gate, c.href_gate)
    assert sorted(hits(gates, texts, (c.fold_gate,))) == sorted(hits(gates + (c.fold_gate,), texts))
