"""Site categories: a puskesmas or a portal is monitored but is not an OPD, and is not judged on the OPD checklist."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from base import checklist, config, store
from base.config import Thresholds
from crawler.signals import Context
from crawler.signals import checklist as checklist_signal
from monitors import alerts, verdicts
from reports import weekly
from ronda.tables import format_status_table

from conftest import AS_OF
from test_report import MON, WEEK, add_run, status_obj

ROOT = Path(__file__).resolve().parents[1]
T = Thresholds()
SITES = """\
organization: Pemerintah Kota Uji
language: {language}
sites:
  - {{id: dinkes, name: Dinas Kesehatan, url: "http://dinkes.example.go.id/", category: dinas}}
  - {{id: camat, name: Kecamatan Uji, url: "http://camat.example.go.id/", category: kecamatan}}
  - {{id: pkm, name: Puskesmas Uji, url: "http://pkm.example.go.id/", category: puskesmas}}
  - {{id: spbe, name: Portal SPBE, url: "http://spbe.example.go.id/", category: portal}}
"""
PROFILE = ("<html><body><div class='content'><h1>Profil Dinas</h1><p>Isi halaman ini cukup panjang untuk dianggap "
           "sebagai konten yang sebenarnya oleh pemeriksa kelengkapan.</p></div></body></html>")


def cfg_of(tmp_path: Path, language: str = "id") -> config.Config:
    (tmp_path / "sites.yaml").write_text(SITES.format(language=language), encoding="utf-8")
    return config.load(tmp_path / "sites.yaml")


def profile_page(url: str) -> dict:
    """A crawled home page that holds the `profil` item."""
    sig = checklist_signal.extract(url, PROFILE, {}, Context(as_of=AS_OF)).to_json()
    return {"url": url, "final_url": url, "kind": "html", "status": 200, "content_type": "text/html", "checklist": sig}


def judge(cfg: config.Config, site_id: str, items=None, previous=None, state="ok") -> dict:
    site = cfg.site(site_id)
    summary = {"state": state, "reason": "timeout" if state == "down" else None, "pages": 1}
    return verdicts.judge_site(cfg, site, summary, [profile_page(site.url)], previous, AS_OF,
                               items or checklist.load())


# ------------------------------------------------------------------------------------ the checklist's scope

def test_the_packaged_checklist_judges_puskesmas_and_portals_on_no_item():
    items = checklist.load()
    assert items.site_categories == {"puskesmas": (), "portal": ()}
    assert len(items.for_category("puskesmas")) == 0 and len(items.for_category("portal")) == 0
    assert items.for_category("dinas") is items and items.for_category(None) is items


def test_site_categories_name_items_and_unknown_ids_are_errors(tmp_path):
    text = (ROOT / "config" / "checklist.yaml").read_text(encoding="utf-8")
    p = tmp_path / "checklist.yaml"
    p.write_text(text.replace("  puskesmas: []\n", "  puskesmas: [kontak, profil, pengaduan]\n"), encoding="utf-8")
    scoped = checklist.load(p).for_category("puskesmas")
    assert [i.id for i in scoped] == ["profil", "kontak", "pengaduan"]  # in checklist order
    p.write_text(text.replace("  puskesmas: []\n", "  puskesmas: [kontak, renstar]\n"), encoding="utf-8")
    with pytest.raises(checklist.ChecklistError, match=r"site_categories\.puskesmas\[1\]: unknown item id 'renstar'"):
        checklist.load(p)


# ------------------------------------------------------------------------------------ verdicts and score

def test_a_puskesmas_is_not_scored_on_planning_documents(tmp_path):
    cfg = cfg_of(tmp_path)
    opd, pkm = judge(cfg, "dinkes"), judge(cfg, "pkm")
    assert opd["completeness"] > 0 and "renstra" in opd["missing"] and opd["category"] == "dinas"
    assert pkm["completeness"] is None and pkm["found"] == {} and pkm["missing"] == []
    assert pkm["category"] == "puskesmas"
    # no dated content: freshness 0, up and clean: (35*0 + 15*100 + 15*100) / 65
    assert pkm["status"] == "idle" and pkm["score"] == round(3000 / 65) == 46
    assert opd["score"] == round(0.35 * opd["completeness"] + 30)


def test_a_listed_subset_is_weighted_among_itself(tmp_path):
    text = (ROOT / "config" / "checklist.yaml").read_text(encoding="utf-8")
    p = tmp_path / "checklist.yaml"
    p.write_text(text.replace("  puskesmas: []\n", "  puskesmas: [profil, pengaduan]\n"), encoding="utf-8")
    pkm = judge(cfg_of(tmp_path), "pkm", items=checklist.load(p))
    # profil (weight 1) found, pengaduan (weight 3) missing: 1/4
    assert (pkm["completeness"], list(pkm["found"]), pkm["missing"]) == (25, ["profil"], ["pengaduan"])


def test_score_without_completeness_keeps_the_other_parts_proportions():
    assert verdicts.overall_score("active", 1, None, T) == 100
    assert verdicts.overall_score("down", 1, None, T) == round(100 * 50 / 65)
    assert verdicts.overall_score("compromised", None, None, T) == round(100 * 15 / 65)
    assert verdicts.overall_score("active", 1, 0, T) == 65  # a judged OPD with nothing found keeps its 0


def test_a_down_night_does_not_bring_back_an_old_completeness(tmp_path):
    """A site whose category is no longer judged stays not judged, even when a previous verdict had a number."""
    cfg = cfg_of(tmp_path)
    v = judge(cfg, "pkm", previous={"completeness": 60, "found": {}, "missing": ["ppid"], "integrity": []}, state="down")
    assert v["status"] == "down" and v["completeness"] is None and v["missing"] == []


def test_no_completeness_drop_alert_when_completeness_stops_being_judged():
    points = [{"as_of": (AS_OF - timedelta(days=n)).isoformat(), "status": "active", "completeness": c}
              for n, c in ((2, 80), (1, 80), (0, None))]
    assert alerts._drop_event(points, 7, 10) is None


def test_status_table_says_n_a_not_zero(tmp_path):
    row = {**verdicts.empty_row(cfg_of(tmp_path).site("pkm")), "status": "active", "score": 90, "completeness": None}
    line = format_status_table([row]).splitlines()[-1]
    assert "n/a" in line and "0%" not in line


# ------------------------------------------------------------------------------------ the weekly report

@pytest.fixture(scope="module")
def report(tmp_path_factory):
    d = tmp_path_factory.mktemp("categories")
    cfg = cfg_of(d)
    db = store.open_db(d / "r.db")
    fri = MON + timedelta(days=4)
    add_run(db, fri, [status_obj("dinkes", fri, "active", 80, category="dinas"),
                      status_obj("camat", fri, "idle", 40, category="kecamatan"),
                      status_obj("pkm", fri, "active", 100, completeness=None, found={}, missing=[], category="puskesmas")])
    paths = weekly.write(db, cfg, d / "laporan", WEEK, AS_OF)
    return {"db": db, "cfg": cfg, "dir": d, "paths": paths, "html": paths["html"].read_text(encoding="utf-8")}


def table_sites(html: str, table_id: str) -> list[str]:
    table = re.search(rf'<table id="{table_id}"[^>]*>.*?</table>', html, re.S).group(0)
    return re.findall(r'<tr data-site="([^"]+)"', table)


def test_the_report_ranks_opds_only_and_gives_other_categories_their_own_table(report):
    html = report["html"]
    assert table_sites(html, "ranking") == ["dinkes", "camat"]  # the puskesmas' 100 is not ranked among OPDs
    assert table_sites(html, "table-puskesmas") == ["pkm"]
    assert table_sites(html, "table-portal") == ["spbe"]  # enabled, not yet checked: still in its table
    assert re.search(r'<section class="others" id="others-puskesmas">\s*<h2>Puskesmas</h2>', html)
    assert '<h2>Portal layanan</h2>' in html
    assert '<span class="n">60,0</span><span class="l">Skor rata-rata</span>' in html  # (80 + 40) / 2, OPDs only
    assert "OPD dipantau: 2 · Puskesmas: 1 · Portal layanan: 1" in html


def test_completeness_not_judged_is_said_so_never_zero(report):
    html = report["html"]
    cell = re.search(r'<tr data-site="pkm".*?<td class="num c-comp"[^>]*>(.*?)</td>', html, re.S).group(1)
    assert "tidak dinilai" in cell and "%" not in cell
    sec = re.search(r'<article class="opd" id="opd-pkm">.*?</article>', html, re.S).group(0)
    assert "Kelengkapan informasi: tidak dinilai" in sec and "Belum ditemukan" not in sec
    csv_text = report["paths"]["csv"].read_text(encoding="utf-8-sig")
    pkm = next(line for line in csv_text.splitlines() if ",pkm," in line)
    assert ",puskesmas,False," in pkm


def test_english_report_names_other_categories(report, tmp_path):
    cfg = cfg_of(tmp_path, "en")
    html = weekly.write(report["db"], cfg, tmp_path / "out", WEEK, AS_OF)["html"].read_text(encoding="utf-8")
    assert "Community health centres (puskesmas)" in html and "not judged" in html and "tidak dinilai" not in html
