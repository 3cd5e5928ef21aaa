"""Tests of the per-site completeness verdict."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crawler.signals import Context, checklist
from monitors import completeness

PAGES = Path(__file__).resolve().parent / "pages" / "checklist"
AS_OF = date(2026, 11, 28)
CTX = Context(as_of=AS_OF)
ITEMS = checklist.load()
WEIGHT = {i.id: i.weight for i in ITEMS}
ORDER = [i.id for i in ITEMS]
FILLER = "<p>Isi halaman ini cukup panjang untuk dianggap sebagai konten yang sebenarnya oleh pemeriksa kelengkapan.</p>"
SITE = "https://dinas.pematangsiantar.go.id/"


def html(body: str) -> str:
    return f"<html><body><div class='content'>{body}</div></body></html>"


def res(url: str, body: str | None = None, status: int = 200, kind: str = "html", final_url: str | None = None) -> dict:
    """One crawled resource as the crawler stores it."""
    sig = checklist.extract(final_url or url, html(body), {}, CTX).to_json() if body is not None else None
    return {"url": url, "final_url": final_url or url, "kind": kind, "status": status,
            "content_type": "application/pdf" if kind == "document" else "text/html", "checklist": sig}


def labelled_site(name: str) -> tuple[list[dict], dict]:
    site = json.loads((PAGES / "sites.json").read_text(encoding="utf-8"))[name]
    ctx = Context(as_of=date.fromisoformat(site["as_of"]))
    out = []
    for r in site["resources"]:
        r = dict(r)
        f = r.pop("file", None)
        r.setdefault("final_url", r["url"])
        r.setdefault("content_type", "text/html")
        r["checklist"] = checklist.extract(r["final_url"], (PAGES / f).read_text(encoding="utf-8"), {}, ctx).to_json() \
            if f else None
        out.append(r)
    return out, site


@pytest.mark.parametrize("name", ["dinkes", "bpbd", "kec"])
def test_labelled_sites(name):
    resources, site = labelled_site(name)
    c = completeness.assess(resources, ITEMS, date.fromisoformat(site["as_of"])).to_json()
    assert set(c["found"]) == set(site["found"])
    assert c["missing"] == [i for i in ORDER if i not in site["found"]]
    expected = round(100 * sum(WEIGHT[i] for i in site["found"]) / sum(WEIGHT.values()))
    assert c["completeness"] == expected
    for iid, d in site["documents"].items():
        assert (c["documents"][iid]["year"], c["documents"][iid]["outdated"]) == (d["year"], d["outdated"])
    fetched = {r["final_url"] for r in resources if r["status"] == 200}
    for iid, ev in c["evidence"].items():
        assert ev["url"] == c["found"][iid]
        assert ev["via"] in ("page", "document", "service")
        # evidence is a fetched 200 resource, or an off-host service link that is never fetched
        assert ev["url"] in fetched or ev["via"] == "service", (iid, ev)


def test_redirected_page_is_evidence_at_its_final_url():
    resources, _ = labelled_site("bpbd")
    c = completeness.assess(resources, ITEMS, AS_OF)
    assert c.found["kontak"] == "https://bpbd.pematangsiantar.go.id/index.php/kontak"


def test_documents_newest_year_and_outdated():
    resources, _ = labelled_site("dinkes")
    c = completeness.assess(resources, ITEMS, AS_OF)
    assert c.documents["lkjip"]["doc_url"].endswith("PK_2026.pdf")
    assert c.evidence["lkjip"] == {"url": c.documents["lkjip"]["doc_url"], "via": "document",
                                   "text": c.evidence["lkjip"]["text"]}
    resources, _ = labelled_site("bpbd")
    c = completeness.assess(resources, ITEMS, AS_OF)
    assert c.documents["lkjip"] == {"doc_url": "https://bpbd.pematangsiantar.go.id/uploads/dokumen/LAKIP_2020.pdf",
                                    "year": 2020, "outdated": True}


@pytest.mark.parametrize("year, outdated", [(2026, False), (2025, False), (2024, True), (None, False)])
def test_outdated_is_older_than_the_previous_fiscal_year(year, outdated):
    assert completeness.is_outdated(year, AS_OF) is outdated


def test_a_link_alone_is_not_evidence():
    home = res(SITE, "<h1>Beranda</h1>" + FILLER +
               "<a href='/renja.pdf'>Renja 2026</a><a href='/sop'>SOP</a><a href='#'>Maklumat Pelayanan</a>"
               "<a href='/renstra.pdf'>Renstra 2021-2026</a><a href='/standar'>Standar Pelayanan</a>")
    c = completeness.assess([
        home,
        res(SITE + "renja.pdf", status=404, kind="document"),            # dead document
        res(SITE + "sop", "<h1>SOP</h1><p>Halaman ini sedang dalam pengembangan.</p>"),  # placeholder
        res(SITE + "standar", "<h1>Standar Pelayanan</h1>" + FILLER, status=404),        # an error page
        # renstra.pdf was never fetched (budget): no evidence
    ], ITEMS, AS_OF)
    assert not {"renja", "sop", "maklumat_pelayanan", "renstra", "standar_pelayanan"} & set(c.found)
    assert c.completeness == 0 and c.missing == ORDER


def test_page_document_and_service_evidence():
    home = res(SITE, "<h1>Beranda</h1>" + FILLER +
               "<a href='/up/LKjIP_2025.pdf'>LKjIP 2025</a>"
               "<a href='https://sirup.lkpp.go.id/sirup/ro/x'>RUP</a>"
               "<a href='/p/12'>Visi Misi</a>")
    c = completeness.assess([
        home,
        res(SITE + "up/LKjIP_2025.pdf", kind="document"),
        res(SITE + "p/12", "<h1>Visi dan Misi</h1>" + FILLER),
    ], ITEMS, AS_OF)
    assert c.evidence["lkjip"]["via"] == "document" and c.documents["lkjip"] == {
        "doc_url": SITE + "up/LKjIP_2025.pdf", "year": 2025, "outdated": False}
    assert c.evidence["pengadaan"] == {"url": "https://sirup.lkpp.go.id/sirup/ro/x", "via": "service", "text": "RUP"}
    assert c.evidence["visi_misi"] == {"url": SITE + "p/12", "via": "page", "text": "Visi dan Misi"}
    assert c.completeness == round(100 * (3 + 2 + 1) / sum(WEIGHT.values()))


def test_a_labelled_link_to_a_page_whose_content_names_the_item_counts():
    # the page's heading does not name the item, its content does: found through the labelled link only
    target = "<h1>Arah Pembangunan</h1><p>Visi dan misi dinas tahun 2021-2026 adalah sebagai berikut, disusun bersama.</p>"
    linked = completeness.assess([res(SITE, "<h1>Beranda</h1>" + FILLER + "<a href='/p/5'>Visi Misi</a>"),
                                  res(SITE + "p/5", target)], ITEMS, AS_OF)
    alone = completeness.assess([res(SITE, "<h1>Beranda</h1>" + FILLER), res(SITE + "p/5", target)], ITEMS, AS_OF)
    assert linked.found.get("visi_misi") == SITE + "p/5"
    assert "visi_misi" not in alone.found


def test_custom_items_and_empty_means_default():
    custom = checklist.Checklist([i for i in ITEMS if i.id in ("kontak", "berita")], ITEMS.rules)
    resources, _ = labelled_site("kec")
    c = completeness.assess(resources, custom, AS_OF)
    assert c.found.keys() == {"kontak"} and c.missing == ["berita"]
    assert c.completeness == round(100 * WEIGHT["kontak"] / (WEIGHT["kontak"] + WEIGHT["berita"]))
    assert completeness.assess(resources, (), AS_OF).to_json() == completeness.assess(resources, ITEMS, AS_OF).to_json()


def test_resources_without_signals_are_tolerated():
    c = completeness.assess([{"url": SITE, "kind": "html", "status": 200, "checklist": None},
                             {"url": SITE + "x.pdf", "kind": "document", "status": 200}], ITEMS, AS_OF)
    assert c.to_json() == {"completeness": 0, "found": {}, "missing": ORDER, "documents": {}, "evidence": {}}
