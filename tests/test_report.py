"""The weekly report: week selection, contents, exports, hostile text, and a real headless Chromium."""
from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date, timedelta

import pytest

from base import config, store
from monitors.verdicts import verdict_row
from reports import ReportError, browser, weekly
from ronda import jobs

from conftest import AS_OF, unavailable

WEEK = "2026-W48"  # AS_OF (Saturday 28 November 2026) is in it
MON = date(2026, 11, 23)
NEXT_MON = date(2026, 11, 30)  # the Monday after: its default report is the week that just ended, WEEK

EVIL_NAME = "Dinas <script>document.title='pwned'</script> Uji"
EVIL_TITLE = "\"><img src=x onerror=\"document.title='pwned'\">Berita"

SITES_YAML = """\
organization: Pemerintah Kota Uji
language: {language}
sites:
  - {{id: aktif, name: Dinas Aktif, url: "http://aktif.example.go.id/"}}
  - {{id: jahat, name: "{evil}", url: "http://jahat.example.go.id/"}}
  - {{id: mati, name: Dinas Mati, url: "http://mati.example.go.id/"}}
  - {{id: dugaan, name: Kecamatan Dugaan, url: "http://dugaan.example.go.id/", verified: false}}
  - {{id: baru, name: Badan Baru, url: "http://baru.example.go.id/"}}
  - {{id: mati-suri, name: Dinas Nonaktif, url: "http://nonaktif.example.go.id/", enabled: false}}
"""


def status_obj(site: str, as_of: date, status: str, score: int, **kw) -> dict:
    """A `status --json` object as monitors store it (every contract field present)."""
    v = {"site": site, "name": site, "url": f"http://{site}.example.go.id/", "status": status, "reason": None,
         "as_of": as_of.isoformat(), "last_update": None, "days_since_update": None, "last_update_url": None,
         "last_update_title": None, "posts_7d": 0, "posts_30d": 0, "posts_90d": 0, "completeness": 50,
         "found": {"profil": f"http://{site}.example.go.id/profil"}, "missing": [], "documents": {},
         "evidence": {}, "integrity": [], "tls": None, "score": score, "pages": 10, "requests": 14,
         "truncated": False, "error": None, "home_status": 200, "home_final_url": None, "home_ttfb_ms": 12.0,
         "checked_at": f"{as_of.isoformat()}T18:30:00+00:00", "verified": True}
    v.update(kw)
    return v


def add_run(db, as_of: date, verdicts: list[dict], state: str = "finished") -> int:
    """A run with its verdicts, written through the store as the crawl job does."""
    run_id = store.start_run(db, as_of.isoformat(), [v["site"] for v in verdicts], os.getpid())
    with store.transaction(db):
        for v in verdicts:
            db["verdicts"].insert(verdict_row(run_id, v))
    if state != "running":
        store.finish_run(db, run_id, state)
    return run_id


def fill(db) -> None:
    """Four weeks of history, several nights in the report week, and runs that must not count."""
    for back, score in ((3, 40), (2, 45), (1, 50)):
        d = AS_OF - timedelta(weeks=back)
        add_run(db, d, [status_obj("aktif", d, "active", score + 30, last_update=(d - timedelta(days=2)).isoformat(),
                                   days_since_update=2),
                        status_obj("jahat", d, "active", 80), status_obj("mati", d, "stale", score),
                        status_obj("dugaan", d, "idle", 20)])
    # report week: Monday (older), Wednesday (down night), Friday (the newest finished run)
    add_run(db, MON, [status_obj("aktif", MON, "active", 70), status_obj("mati", MON, "stale", 44)])
    wed = MON + timedelta(days=2)
    add_run(db, wed, [status_obj("mati", wed, "down", 30, reason="timeout")])
    fri = MON + timedelta(days=4)
    add_run(db, fri, [
        status_obj("aktif", fri, "active", 91, last_update="2026-11-26", days_since_update=1,
                   last_update_url="http://aktif.example.go.id/berita/2026/11/26/rapat",
                   last_update_title="Rapat koordinasi SPBE", posts_30d=6, completeness=88,
                   missing=["lhkpn", "lkjip"], truncated=True, truncated_by="time", crawl_delay=30.0,
                   documents={"renstra": {"doc_url": "http://aktif.example.go.id/renstra-2019.pdf", "year": 2019,
                                          "outdated": True}}),
        status_obj("jahat", fri, "compromised", 43, name=EVIL_NAME, last_update="2026-11-20", days_since_update=7,
                   last_update_url="javascript:document.title='pwned'", last_update_title=EVIL_TITLE,
                   integrity=[{"kind": "hidden_links", "url": "http://jahat.example.go.id/",
                               "evidence": "<a href=//slot88.example>slot gacor maxwin</a>"}],
                   tls={"findings": [{"kind": "tls_expired", "url": "http://jahat.example.go.id/",
                                      "evidence": "Sertifikat TLS kedaluwarsa sejak 2026-10-01."}]}),
        status_obj("mati", fri, "down", 25, reason="http_5xx"),
        status_obj("dugaan", fri, "idle", 22, verified=False, truncated=True, truncated_by="pages"),
    ])
    # never counted: a failed run and a run still running in the week, a finished run of the next week
    add_run(db, fri + timedelta(days=1), [status_obj("aktif", fri + timedelta(days=1), "idle", 5)], state="failed")
    add_run(db, MON + timedelta(days=7), [status_obj("aktif", MON + timedelta(days=7), "idle", 6)])
    add_run(db, fri + timedelta(days=2), [status_obj("aktif", fri + timedelta(days=2), "idle", 7)], state="running")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    (d / "sites.yaml").write_text(SITES_YAML.format(language="id", evil=EVIL_NAME.replace('"', '\\"')),
                                  encoding="utf-8")
    cfg = config.load(d / "sites.yaml")
    db = store.open_db(d / "r.db")
    fill(db)
    paths = weekly.write(db, cfg, d / "laporan", None, NEXT_MON)
    return {"dir": d, "cfg": cfg, "db": db, "paths": paths, "html": paths["html"].read_text(encoding="utf-8")}


def chromium_or_skip() -> None:
    """Chromium is part of the test machine: missing in CI is a failure, locally a skip."""
    if browser.find() is None:
        unavailable("headless Chromium is not installed (scripts/system-deps installs Debian's chromium)")


def ranking_rows(html: str) -> list[str]:
    table = re.search(r'<table id="ranking"[^>]*>.*?</table>', html, re.S).group(0)
    return re.findall(r'<tr data-site="([^"]+)"', table)


# ------------------------------------------------------------------------------------ selection

def test_week_names_and_parsing():
    assert weekly.iso_week(AS_OF).label == WEEK
    w = weekly.parse_week("2026-W53")  # 2026 has 53 ISO weeks
    assert (w.monday, w.sunday) == (date(2026, 12, 28), date(2027, 1, 3))
    for bad in ("2025-W53", "2026-48", "2026-W00", "W48"):
        with pytest.raises(ReportError, match="ISO week"):
            weekly.parse_week(bad)


def test_files_written_for_the_default_week(synthetic):
    p = synthetic["paths"]
    assert {k: v.name for k, v in p.items()} == {"html": f"{WEEK}.html", "csv": f"{WEEK}.csv",
                                                  "json": f"{WEEK}.json", "index": "index.html"}
    assert all(v.exists() for v in p.values())


def test_each_site_uses_its_newest_finished_run_of_the_week(synthetic):
    objs = {v["site"]: v for v in json.loads(synthetic["paths"]["json"].read_text(encoding="utf-8"))}
    assert list(objs) == ["aktif", "jahat", "mati", "dugaan", "baru"]  # enabled sites, config order
    assert objs["aktif"]["score"] == 91 and objs["aktif"]["status"] == "active"  # not Saturday's failed/running runs
    assert objs["mati"]["status"] == "down" and objs["mati"]["reason"] == "http_5xx"
    assert objs["baru"]["status"] is None and objs["baru"]["score"] is None  # never crawled: unknown, not 0


def test_ranking_has_one_row_per_enabled_site_best_first(synthetic):
    rows = ranking_rows(synthetic["html"])
    # reachable and clean sites by score (91, 22), then hacked or down ones (43, 25), then the one never checked
    assert rows == ["aktif", "dugaan", "jahat", "mati", "baru"]
    assert "mati-suri" not in synthetic["html"]


def test_summary_counts_labels_and_changes(synthetic):
    html = synthetic["html"]
    for label, n in (("Aktif", 1), ("Kurang aktif", 0), ("Nganggur", 1), ("Tidak dapat diakses", 1),
                     ("Terindikasi diretas", 1), ("Belum diperiksa", 1)):
        assert re.search(rf'<span class="n">{n}</span><span class="l">{label}</span>', html), label
    # average of the 4 checked sites (91+43+25+22)/4 = 45.25; last week (80+80+50+20)/4 = 57.5
    assert '<span class="n">45,2</span><span class="l">Skor rata-rata</span>' in html
    assert "▼ -12,3" in html
    improved = re.search(r"<h3>Paling meningkat</h3>(.*?)</div>", html, re.S).group(1)
    assert "Dinas Aktif" in improved and "▲ +11" in improved and "Dinas Mati" not in improved
    urgent = re.search(r"<h3>Paling mendesak</h3>(.*?)</div>", html, re.S).group(1)
    assert urgent.index("#opd-jahat") < urgent.index("#opd-mati") < urgent.index("#opd-dugaan")


def test_trend_arrows_and_eight_week_sparklines(synthetic):
    html = synthetic["html"]
    row = re.search(r'<tr data-site="aktif".*?</tr>', html, re.S).group(0)
    assert "▲ +11" in row  # 91 now, 80 last week
    spark = re.search(r'<svg class="spark".*?</svg>', row, re.S).group(0)
    pts = re.search(r'points="([^"]+)"', spark).group(1).split()
    assert len(pts) == 4  # W45..W48 have data, W41..W44 none
    ys = [float(p.split(",")[1]) for p in pts]
    assert ys == sorted(ys, reverse=True)  # rising scores are drawn rising (SVG y grows downwards)
    new_row = re.search(r'<tr data-site="baru".*?</tr>', html, re.S).group(0)
    assert "<polyline" not in new_row
    assert "W48" in re.search(r'<svg class="avgline".*?</svg>', html, re.S).group(0)


def test_per_opd_sections_show_evidence_and_actions(synthetic):
    html = synthetic["html"]
    sec = re.search(r'<article class="opd" id="opd-aktif">.*?</article>', html, re.S).group(0)
    assert '<a href="http://aktif.example.go.id/berita/2026/11/26/rapat"' in sec and "Rapat koordinasi SPBE" in sec
    assert "26 November 2026" in sec
    assert "LHKPN Pimpinan" in sec and "Laporan Kinerja (LKjIP)" in sec  # missing items by checklist name
    assert "renstra-2019.pdf" in sec and "tahun 2019" in sec  # outdated document
    actions = re.search(r"<h4>Yang perlu diperbaiki</h4>(.*?)</div>", sec, re.S).group(1)
    assert "Laporan Kinerja (LKjIP)" in actions and "Rencana Strategis" in actions
    down = re.search(r'<article class="opd" id="opd-mati">.*?</article>', html, re.S).group(0)
    assert "2 dari 3 malam" in down and "Rab 25 Nov (waktu tunggu habis)" in down
    assert "kesalahan server (HTTP 5xx)" in down and "Pulihkan akses" in down
    bad = re.search(r'<article class="opd" id="opd-jahat">.*?</article>', html, re.S).group(0)
    assert "Tautan spam tersembunyi" in bad and "Sertifikat kedaluwarsa" in bad
    assert "Bersihkan situs dari tautan spam tersembunyi" in bad and "ganti kata sandi admin" in bad


def test_a_defacement_gets_its_own_advice_not_gambling_spam(synthetic, tmp_path):
    """Item 4 (the report's part): "Hacked by ..." alone is a defacement; the fix says so, and no gambling."""
    db = store.open_db(tmp_path / "r.db")
    add_run(db, AS_OF, [status_obj("baru", AS_OF, "compromised", 40, integrity=[
        {"kind": "defacement", "url": "http://baru.example.go.id/", "evidence": "Hacked by Anon"}])])
    html = weekly.write(db, synthetic["cfg"], tmp_path / "out", WEEK, AS_OF)["html"].read_text(encoding="utf-8")
    actions = re.search(r"<h4>Yang perlu diperbaiki</h4>(.*?)</div>", section(html, "baru"), re.S).group(1)
    assert "Pulihkan tampilan asli" in actions and "tampilan situs diubah peretas" in actions
    assert "judi" not in actions.lower() and "spam" not in actions.lower()


def test_a_crawl_cut_short_is_said_with_its_crawl_delay(synthetic):
    """A truncated crawl may understate a site: its section says so, and names the Crawl-delay it asked for."""
    html = synthetic["html"]
    aktif = html[html.index('id="opd-aktif"'):html.index("</article>", html.index('id="opd-aktif"'))]
    assert "dihentikan pada batas waktu" in aktif and "meminta jeda 30 detik antarpermintaan" in aktif
    assert html.count("dihentikan pada batas waktu") == 1   # only the site cut by the clock


def test_a_crawl_cut_by_its_page_budget_is_not_said_to_be_out_of_time(synthetic):
    """Issue 18, item 2: the page budget and the time budget are different causes, each with its own words."""
    html = synthetic["html"]
    dugaan = html[html.index('id="opd-dugaan"'):html.index("</article>", html.index('id="opd-dugaan"'))]
    assert "batas jumlah halaman" in dugaan and "batas waktu" not in dugaan
    aktif = html[html.index('id="opd-aktif"'):html.index("</article>", html.index('id="opd-aktif"'))]
    assert "batas jumlah halaman" not in aktif


def test_unverified_addresses_are_flagged_for_diskominfo(synthetic):
    html = synthetic["html"]
    box = re.search(r'<div class="box warn" id="unverified">.*?</div>', html, re.S).group(0)
    assert "Kecamatan Dugaan" in box and "http://dugaan.example.go.id/" in box and "Dinas Aktif" not in box
    row = re.search(r'<tr data-site="dugaan".*?</tr>', html, re.S).group(0)
    assert "alamat belum dikonfirmasi" in row


def test_footer_says_when_collected_and_what_statuses_mean(synthetic):
    foot = re.search(r"<footer>.*?</footer>", synthetic["html"], re.S).group(0)
    assert "28 November 2026 01:30" in foot  # Friday 27th 18:30 UTC is Saturday 01:30 in Asia/Jakarta
    assert "Asia/Jakarta" in foot and "14 hari" in foot and "30 hari" in foot


def test_hostile_text_is_escaped_and_never_linked(synthetic):
    html = synthetic["html"]
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;" in html and "&#34;&gt;&lt;img src=x" in html
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html).__str__()
    assert 'http-equiv="Content-Security-Policy"' in html  # and scripts could not run anyway


def test_self_contained_no_external_resources(synthetic):
    html = synthetic["html"]
    assert not re.search(r'<(link|script|iframe|img)\b', html, re.I)
    assert "@import" not in html and "url(" not in html
    srcs = re.findall(r'\bsrc="', html)
    assert not srcs


def test_csv_one_line_per_site_and_formulas_defused(synthetic):
    text = synthetic["paths"]["csv"].read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["site"] for r in rows] == ["aktif", "dugaan", "jahat", "mati", "baru"]  # the ranking's order
    assert rows[0]["status_label"] == "Aktif" and rows[0]["score"] == "91" and rows[0]["score_change"] == "11"
    assert rows[3]["down_nights"] == "2"
    assert rows[4]["score"] == "" and rows[4]["completeness"] == ""  # never checked: unknown, not 0
    add_run(synthetic["db"], MON + timedelta(days=5),
            [status_obj("dugaan", MON + timedelta(days=5), "idle", 22, last_update_title="=HYPERLINK(\"http://x\")")])
    p = weekly.write(synthetic["db"], synthetic["cfg"], synthetic["dir"] / "csvcheck", WEEK, AS_OF)
    rows = list(csv.DictReader(io.StringIO(p["csv"].read_text(encoding="utf-8-sig"))))
    assert next(r for r in rows if r["site"] == "dugaan")["last_update_title"].startswith("'=")


def test_index_lists_every_week_newest_first(synthetic):
    out = synthetic["dir"] / "arsip"
    weekly.write(synthetic["db"], synthetic["cfg"], out, "2026-W46", AS_OF)
    weekly.write(synthetic["dir"] / "r.db", synthetic["cfg"], out, "2026-W47", AS_OF)  # a store path works too
    index = (out / "index.html").read_text(encoding="utf-8")
    weeks = re.findall(r'<tr data-week="([^"]+)"', index)
    assert weeks == ["2026-W47", "2026-W46"]
    assert 'href="2026-W47.csv"' in index and "Aktif: 2" in index


def test_english_report(synthetic, tmp_path):
    (tmp_path / "sites.yaml").write_text(SITES_YAML.format(language="en", evil="Evil Office"), encoding="utf-8")
    cfg = config.load(tmp_path / "sites.yaml")
    html = weekly.write(synthetic["db"], cfg, tmp_path / "out", WEEK, AS_OF)["html"].read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Weekly Report of OPD Websites" in html and "Unreachable" in html
    assert "asset reports (LHKPN)" in html  # checklist items by their English names
    assert "Nganggur" not in html and "Yang perlu diperbaiki" not in html


def test_pdf_without_chromium_is_a_one_line_error(synthetic, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH on which no Chromium can be found
    with pytest.raises(ReportError) as e:
        weekly.write(synthetic["db"], synthetic["cfg"], tmp_path / "out", WEEK, AS_OF, pdf=True)
    assert "Chromium" in str(e.value) and "\n" not in str(e.value)
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------ real browser

def test_hostile_text_does_not_execute_in_chromium(synthetic):
    chromium_or_skip()
    r = browser.dump_dom(synthetic["paths"]["html"])
    assert r.returncode == 0, r.stderr[-500:]
    dom = r.stdout
    assert "<title>Laporan Mingguan Website OPD" in dom and "pwned" not in dom.split("</title>")[0]
    assert not re.search(r"<img\b", dom) and not re.search(r"<script\b", dom)
    assert EVIL_NAME.replace("<", "&lt;").replace(">", "&gt;") in dom  # shown as text, literally
    assert r.console_messages() == []


def test_console_check_sees_page_errors(tmp_path):
    chromium_or_skip()
    page = tmp_path / "err.html"
    page.write_text("<!doctype html><title>t</title><script>console.error('rusak'); nope();</script>")
    assert any("rusak" in m for m in browser.dump_dom(page).console_messages())


@pytest.fixture(scope="module")
def crawled(simweb, tmp_path_factory):
    """A real crawl of the 35-site simulated web for the report week, with three earlier weeks of history."""
    d = tmp_path_factory.mktemp("crawled")
    text = simweb.config_yaml(delay_s=0, timeout_s=10, retries=1)
    first = simweb.sites[-1].id  # Diskominfo has not confirmed this one's address
    text = text.replace(f"- id: {first}\n", f"- id: {first}\n  verified: false\n", 1)
    (d / "sites.yaml").write_text(text, encoding="utf-8")
    cfg = config.load(d / "sites.yaml")
    result = jobs.crawl(cfg, d / "r.db", AS_OF)
    db = store.open_db(d / "r.db")
    now = [store.loads(r["data"]) for r in db.query("SELECT data FROM verdicts WHERE run_id = ?", [result.run_id])]
    for back in (3, 2, 1):  # history: scores that climb towards this week's, some sites down earlier
        day = AS_OF - timedelta(weeks=back)
        add_run(db, day, [{**v, "as_of": day.isoformat(), "score": max(0, v["score"] - 4 * back * (i % 3)),
                           "status": "down" if i % 11 == back else v["status"]} for i, v in enumerate(now)])
    paths = weekly.write(db, cfg, d / "laporan", WEEK, AS_OF)
    return {"dir": d, "cfg": cfg, "db": db, "paths": paths, "result": result}


def test_report_of_a_real_crawl_renders_in_chromium(crawled):
    chromium_or_skip()
    enabled = [s.id for s in crawled["cfg"].enabled_sites]
    assert len(enabled) == 35 and not crawled["result"].problems
    r = browser.dump_dom(crawled["paths"]["html"])
    assert r.returncode == 0, r.stderr[-500:]
    assert sorted(ranking_rows(r.stdout)) == sorted(enabled)
    assert "Ringkasan untuk pimpinan" in r.stdout and r.stdout.count('<article class="opd"') == 35
    assert r.console_messages() == []
    for width, height in ((390, 2400), (1280, 1800)):
        png = browser.screenshot(crawled["paths"]["html"], crawled["dir"] / f"report-{width}.png", width, height)
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, png  # a blank page is a few KB
        print(f"screenshot: {png}")


def test_pdf_is_a4(crawled):
    chromium_or_skip()
    p = weekly.write(crawled["db"], crawled["cfg"], crawled["dir"] / "pdf", WEEK, AS_OF, pdf=True)
    pdf = p["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF-")
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
    assert boxes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes)
    assert 'href="2026-W48.pdf"' in p["index"].read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------ issue 18, item 9: a city's report

from base import checklist  # noqa: E402

CITY_YAML = """\
organization: Pemerintah Kota Uji
sites:
  - {id: dinkes, name: Dinas Kesehatan, url: "http://dinkes.example.go.id/"}
  - {id: disdukcapil, name: Dinas Kependudukan dan Pencatatan Sipil, url: "http://disdukcapil.example.go.id/"}
  - {id: kec-siantar-marihat, name: Kecamatan Siantar Marihat, url: "http://marihat.example.go.id/"}
  - {id: kec-siantar-marimbun, name: Kecamatan Siantar Marimbun, url: "http://marimbun.example.go.id/"}
  - {id: upt-sampah-utara, name: Unit Pelaksana Teknis Daerah Pengelolaan Sampah Wilayah Utara, url: "http://upt-u.example.go.id/"}
  - {id: upt-sampah-selatan, name: Unit Pelaksana Teknis Daerah Pengelolaan Sampah Wilayah Selatan, url: "http://upt-s.example.go.id/"}
  - {id: lambat, name: Dinas Perhubungan, url: "http://dishub.example.go.id/"}
  - {id: putus, name: Badan Kepegawaian dan Pengembangan Sumber Daya Manusia, url: "http://bkpsdm.example.go.id/"}
"""


def _found(ids) -> dict:
    return {i: f"http://x.example.go.id/{i}" for i in ids}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A week of a made-up city: two OPDs with 25 of 31 items each, look-alike long names, a down site that
    scores 68, idle sites below it, and a site never reachable."""
    d = tmp_path_factory.mktemp("city")
    (d / "sites.yaml").write_text(CITY_YAML, encoding="utf-8")
    cfg = config.load(d / "sites.yaml")
    items = checklist.load(cfg.checklist_path())
    by_weight = sorted(items, key=lambda i: (i.weight, i.id))
    total = sum(i.weight for i in items)
    heavy_missing = [i.id for i in by_weight[-6:]]   # 25 of 31 found, the 6 heaviest missing
    light_missing = [i.id for i in by_weight[:6]]    # 25 of 31 found, the 6 lightest missing

    def pct(missing):
        return round(100 * (total - sum(i.weight for i in items if i.id in missing)) / total)

    db = store.open_db(d / "r.db")
    fri = MON + timedelta(days=4)
    last_fri = fri - timedelta(weeks=1)
    for day, bump in ((last_fri, 0), (fri, 1)):
        add_run(db, day, [
            status_obj("dinkes", day, "active", 80 + 11 * bump, completeness=pct(light_missing), integrity_state="clean",
                       found=_found(i.id for i in items if i.id not in light_missing), missing=light_missing),
            status_obj("disdukcapil", day, "active", 70 + 9 * bump, completeness=pct(heavy_missing), integrity_state="clean",
                       found=_found(i.id for i in items if i.id not in heavy_missing), missing=heavy_missing),
            status_obj("kec-siantar-marihat", day, "idle", 40 - bump, integrity_state="clean", days_since_update=60),
            status_obj("kec-siantar-marimbun", day, "idle", 35 + 12 * bump, integrity_state="clean", days_since_update=50),
            status_obj("upt-sampah-utara", day, "stale", 55 - 10 * bump, integrity_state="clean"),
            status_obj("upt-sampah-selatan", day, "stale", 52 + 3 * bump, integrity_state="clean"),
            status_obj("lambat", day, "down" if bump else "active", 68, reason="timeout" if bump else None,
                       integrity_state="clean"),
            # never reachable: every night down, nothing ever read (as monitors.verdicts stores it)
            status_obj("putus", day, "down", 15, reason="dns", completeness=0, found={},
                       missing=[i.id for i in items], integrity_state=None),
        ])
    paths = weekly.write(db, cfg, d / "laporan", WEEK, AS_OF)
    return {"dir": d, "cfg": cfg, "db": db, "paths": paths, "html": paths["html"].read_text(encoding="utf-8"),
            "pct": (pct(light_missing), pct(heavy_missing))}


def section(html: str, site: str) -> str:
    start = html.index(f'<article class="opd" id="opd-{site}">')
    return html[start:html.index("</article>", start)]


def row_of(html: str, site: str) -> str:
    return re.search(rf'<tr data-site="{re.escape(site)}".*?</tr>', html, re.S).group(0)


def test_availability_heading_never_contradicts_its_text(city):
    """Item 9: a site reachable all week is not headed "Tidak dapat diakses minggu ini"."""
    sec = section(city["html"], "dinkes")
    assert "Selalu dapat diakses" in sec and "Tidak dapat diakses" not in sec
    down = section(city["html"], "lambat")
    assert "Tidak dapat diakses pada 1 dari 1 malam" in down


def test_completeness_percentage_is_explained(city):
    """Item 9: 25 of 31 items can be 89 % or 68 %: the section says the count, the weights and why."""
    high, low = city["pct"]
    assert high != low
    for site, p in (("dinkes", high), ("disdukcapil", low)):
        sec = section(city["html"], site)
        assert f"Kelengkapan informasi: {p}%" in sec
        why = re.search(r'<p class="small muted completeness-why">(.*?)</p>', sec, re.S).group(1)
        assert "25 dari 31 butir wajib" in why and "bobot" in why
        wf, wt = map(int, re.search(r"bobot (\d+) dari (\d+)", why).groups())
        assert round(100 * wf / wt) == p  # the weights shown give the percentage shown


def test_score_chart_names_sites_and_no_two_labels_are_alike(city):
    """Item 9: the chart uses names, not ids, and two long look-alike names never get the same label."""
    chart = re.search(r'<svg class="scores".*?</svg>', city["html"], re.S).group(0)
    labels = re.findall(r'<text class="bar-label"[^>]*>([^<]*)</text>', chart)
    assert len(labels) == 8 and len(set(labels)) == 8
    assert "Kecamatan Siantar Marihat" in labels and "Dinas Kependudukan dan Pencatatan Sipil" in labels
    assert not any(s.id in labels or s.id[:16] in " ".join(labels) for s in city["cfg"].sites)
    upt = [lb for lb in labels if lb.startswith("Unit Pelaksana")]
    assert sorted(upt) == ["Unit Pelaksana Teknis Daerah … Selatan", "Unit Pelaksana Teknis Daerah … Utara"]


def test_bar_labels_are_unique_even_for_identical_heads():
    same_head = ["A" * 60 + "x", "A" * 60 + "y", "A" * 30 + "-" * 40 + "A" * 10]
    labels = weekly.bar_labels(same_head + ["Dinas", "Dinas"])
    assert len(set(labels)) == len(labels) and all(len(lb) <= weekly.BAR_LABEL_CHARS + 4 for lb in labels)


def test_a_site_never_reachable_is_unknown_not_zero_and_not_clean(city):
    """Item 9: never opened: completeness and integrity are unknown, never "0%" or "bersih"."""
    row = row_of(city["html"], "putus")
    comp = re.search(r'<td class="num c-comp".*?</td>', row, re.S).group(0)
    integ = re.search(r'<td class="c-integrity".*?</td>', row, re.S).group(0)
    assert "tidak diketahui" in comp and "0%" not in comp
    assert "tidak diketahui" in integ and "bersih" not in integ
    sec = re.sub(r"<[^>]+>", " ", section(city["html"], "putus"))  # the visible text
    assert "Kelengkapan informasi: tidak diketahui" in sec and "0%" not in sec and "Tambahkan halaman" not in sec
    assert "bersih" in re.search(r'<td class="c-integrity".*?</td>', row_of(city["html"], "dinkes"), re.S).group(0)


def test_a_down_site_ranks_below_idle_ones(city):
    """Item 9 and docs/statuses.md#ranking: down (score 68) comes after every reachable site, idle ones included."""
    rows = ranking_rows(city["html"])
    assert rows.index("lambat") > max(rows.index("kec-siantar-marihat"), rows.index("kec-siantar-marimbun"))
    assert rows[-2:] == ["lambat", "putus"]   # then by score among them
    statuses = (weekly.HERE.parent / "docs" / "statuses.md").read_text(encoding="utf-8")
    assert "## Ranking" in statuses and "whatever their score" in statuses


def test_numbers_are_written_the_indonesian_way(city, tmp_path):
    """Item 9: 45,2 not 45.2, in the cards and the charts; the English report keeps the point."""
    html = city["html"]
    avg = re.search(r'<div class="card avg"><span class="n">([^<]*)</span>', html).group(1)
    assert re.fullmatch(r"\d+,\d", avg), avg
    charts = re.search(r'<section id="summary">.*?</section>\s*<section id="charts">.*?</section>', html, re.S).group(0)
    visible = re.sub(r"<[^>]+>", " ", re.sub(r'\s[a-z-]+="[^"]*"', "", charts))
    assert not re.search(r"\d\.\d", visible), re.findall(r"\S*\d\.\d\S*", visible)
    (tmp_path / "sites.yaml").write_text("language: en\n" + CITY_YAML, encoding="utf-8")
    en = weekly.write(city["db"], config.load(tmp_path / "sites.yaml"), tmp_path / "en", WEEK, AS_OF)["html"]
    assert re.fullmatch(r"\d+\.\d", re.search(r'<div class="card avg"><span class="n">([^<]*)</span>',
                                                en.read_text(encoding="utf-8")).group(1))


# A measuring script run inside the report, in Chromium: the page's own CSP forbids scripts, so the test loads
# a copy without it, inside an iframe of the phone's or the desktop's width (headless windows are >= 500 px).
MEASURE_JS = """
(function () {
  const ctx = document.createElement('canvas').getContext('2d');
  const out = {width: innerWidth, labels: [], trends: [], bars: []};
  for (const td of document.querySelectorAll('#ranking td[data-label]')) {
    const b = getComputedStyle(td, '::before');
    if (b.content === 'none' || b.display === 'none' || td.offsetParent === null) continue;
    ctx.font = b.fontWeight + ' ' + b.fontSize + ' ' + b.fontFamily;
    let text = td.getAttribute('data-label');
    if (b.textTransform === 'uppercase') text = text.toUpperCase();
    const need = ctx.measureText(text).width + (parseFloat(b.letterSpacing) || 0) * text.length;
    const s = getComputedStyle(td);
    out.labels.push({site: td.parentElement.dataset.site, label: text, need: need,
                     room: td.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)});
  }
  for (const td of document.querySelectorAll('#ranking td.c-trend')) {
    const span = td.querySelector('span');
    out.trends.push({site: td.parentElement.dataset.site, text: span.textContent, lines: span.getClientRects().length});
  }
  const svg = document.querySelector('svg.scores');
  for (const t of svg.querySelectorAll('text.bar-label')) {
    out.bars.push({text: t.textContent, length: t.getComputedTextLength(), room: svg.getBoundingClientRect().width});
  }
  parent.document.body.setAttribute('data-measure', JSON.stringify(out));
})();
"""


def measure(page, width: int, folder) -> dict:
    """Load the report at a viewport width in real Chromium and measure its layout."""
    import html as htmllib

    text = page.read_text(encoding="utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    text = text.replace("</body>", f"<script>{MEASURE_JS}</script></body>")
    outer = folder / f"measure-{width}.html"
    outer.write_text(f'<!doctype html><html><body style="margin:0"><iframe style="border:0;width:{width}px;height:2000px" '
                     f'srcdoc="{htmllib.escape(text)}"></iframe></body></html>', encoding="utf-8")
    r = browser.run(outer, "--dump-dom", "--window-size=1400,2000")
    found = re.search(r'data-measure="([^"]*)"', r.stdout)
    assert found, r.stderr[-500:]
    got = json.loads(htmllib.unescape(found.group(1)))
    assert got["width"] == width
    return got


def test_phone_view_never_cuts_a_column_label(city, tmp_path):
    """Item 9: at 390 px every label of the ranking's cards ("KELENGKAPAN", "PEMBARUAN TERAKHIR"…) fits its cell."""
    chromium_or_skip()
    got = measure(city["paths"]["html"], 390, tmp_path)
    assert {lb["label"] for lb in got["labels"]} >= {"KELENGKAPAN", "PEMBARUAN TERAKHIR", "TREN", "SKOR"}
    cut = [lb for lb in got["labels"] if lb["need"] > lb["room"] + 0.5]
    assert not cut, cut[:3]


@pytest.mark.parametrize("width", [1280, 390])
def test_trend_column_never_wraps(city, tmp_path, width):
    """Item 9: "▲ +11" stays on one line, on a desktop and on a phone."""
    chromium_or_skip()
    got = measure(city["paths"]["html"], width, tmp_path)
    assert len(got["trends"]) == 8 and any("+" in t["text"] for t in got["trends"])
    assert all(t["lines"] == 1 for t in got["trends"]), [t for t in got["trends"] if t["lines"] != 1]


def test_score_chart_labels_fit_on_a_phone(city, tmp_path):
    chromium_or_skip()
    got = measure(city["paths"]["html"], 390, tmp_path)
    assert len(got["bars"]) == 8
    assert all(b["length"] <= b["room"] for b in got["bars"]), got["bars"]


# ------------------------------------------------------------------------------------ issue 18: the CLI around the report

from conftest import run_cli, status_json  # noqa: E402


def cli(d, *args, as_of=NEXT_MON):
    return run_cli("--config", str(d / "sites.yaml"), "--db", str(d / "r.db"), "--as-of", as_of.isoformat(), *args)


def test_monday_report_is_about_the_week_that_just_ended(synthetic, tmp_path):
    """Item 3: on Monday 30 November the default report is 2026-W48 (23-29 November), not the week starting today."""
    r = cli(synthetic["dir"], "report", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(tmp_path / f"{WEEK}.html")
    header = re.search(r'<p class="period">(.*?)</p>', (tmp_path / f"{WEEK}.html").read_text(encoding="utf-8")).group(1)
    assert header == "Minggu 2026-W48 · 23 November 2026 – 29 November 2026"
    sunday = cli(synthetic["dir"], "report", "--out", str(tmp_path / "sun"), as_of=NEXT_MON - timedelta(days=1))
    assert sunday.stdout.strip().endswith("2026-W47.html")   # Sunday's own week is not complete yet
    picked = cli(synthetic["dir"], "report", "--week", "2026-W46", "--out", str(tmp_path))
    assert picked.returncode == 0 and picked.stdout.strip().endswith("2026-W46.html")


def test_a_week_without_a_finished_run_is_an_error_and_never_published(synthetic, tmp_path):
    """Items 3 and 5: no run that week: one-line error, exit 2, nothing written, nothing added to the index."""
    out = tmp_path / "laporan"
    assert cli(synthetic["dir"], "report", "--week", WEEK, "--out", str(out)).returncode == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    r = cli(synthetic["dir"], "report", "--week", "2026-W30", "--out", str(out))
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("Error: week 2026-W30") and "no finished run" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not list(out.glob("2026-W30.*")) and (out / "index.html").read_text(encoding="utf-8") == index


def test_an_empty_week_left_by_an_older_version_is_not_listed(synthetic, tmp_path):
    """Item 5: a page of "Belum diperiksa" written before is never offered in the index."""
    out = tmp_path / "laporan"
    out.mkdir()
    (out / "2026-W30.html").write_text("<p>Belum diperiksa · Skor 0 · 0%</p>", encoding="utf-8")
    (out / "2026-W30.json").write_text(json.dumps([{"site": "aktif", "status": None, "score": 0}]), encoding="utf-8")
    weekly.write(synthetic["db"], synthetic["cfg"], out, WEEK, AS_OF)
    assert re.findall(r'<tr data-week="([^"]+)"', (out / "index.html").read_text(encoding="utf-8")) == [WEEK]


def test_a_db_that_does_not_exist_is_an_error_not_scores_of_zero(synthetic, tmp_path):
    """Item 5: a mistyped --db for status or report: a clear error, exit 1, and no empty database left behind."""
    missing = tmp_path / "salah.db"
    for args in (("status",), ("status", "--json"), ("report", "--out", str(tmp_path / "out"))):
        r = run_cli("--config", str(synthetic["dir"] / "sites.yaml"), "--db", str(missing), *args)
        assert r.returncode == 1, (args, r.stdout, r.stderr)
        assert r.stderr.strip() == f"Error: database {missing} does not exist (run `ronda crawl` first)"
        assert r.stdout == "" and not missing.exists()


def test_a_site_never_checked_is_unknown_in_status_not_zero(synthetic):
    """Item 5: "baru" was never crawled: no score 0, no 0 %, in the table and in JSON."""
    rows = {v["site"]: v for v in status_json(synthetic["dir"] / "sites.yaml", synthetic["dir"] / "r.db", NEXT_MON)}
    assert rows["baru"]["status"] is None and rows["baru"]["score"] is None and rows["baru"]["completeness"] is None
    table = cli(synthetic["dir"], "status").stdout
    line = next(x for x in table.splitlines() if x.startswith("baru "))
    assert "not checked yet" in line and " 0 " not in line and "0%" not in line


def test_the_index_links_the_pdf_of_the_same_page_or_none(synthetic, tmp_path):
    """Item 13: rewriting a week's page without --pdf drops the PDF printed from the older page."""
    chromium_or_skip()
    out = tmp_path / "laporan"
    first = weekly.write(synthetic["db"], synthetic["cfg"], out, WEEK, AS_OF, pdf=True)
    assert first["pdf"].exists() and f'href="{WEEK}.pdf"' in first["index"].read_text(encoding="utf-8")
    again = weekly.write(synthetic["db"], synthetic["cfg"], out, WEEK, AS_OF)   # what `ronda run` does
    assert not (out / f"{WEEK}.pdf").exists()
    assert f'href="{WEEK}.pdf"' not in again["index"].read_text(encoding="utf-8")
    assert f'href="{WEEK}.html"' in again["index"].read_text(encoding="utf-8")


def test_a_crawl_cut_by_pages_or_by_time_says_which(tmp_path):
    """Item 2: a real crawl that hits max_pages is `truncated_by: pages`; one out of time is `time`; both in status --json."""
    from simweb.server import SimWeb

    with SimWeb(as_of=AS_OF, seed=0, n_sites=8) as web:
        active = [s for s, t in web.truth().items() if t["status"] == "active"]
        paged, slow = active[0], active[1]
        web.site(slow).crawl_delay = 2
        (tmp_path / "pages.yaml").write_text(web.config_yaml(delay_s=0, max_pages=3, timeout_s=5), encoding="utf-8")
        (tmp_path / "time.yaml").write_text(web.config_yaml(delay_s=0, max_minutes=0.2, timeout_s=1), encoding="utf-8")
        for name, sid in (("pages", paged), ("time", slow)):
            r = run_cli("--config", str(tmp_path / f"{name}.yaml"), "--db", str(tmp_path / f"{name}.db"),
                        "--as-of", AS_OF.isoformat(), "crawl", "--quiet", "--site", sid)
            assert r.returncode == 0, r.stderr
    by_pages = next(v for v in status_json(tmp_path / "pages.yaml", tmp_path / "pages.db") if v["site"] == paged)
    by_time = next(v for v in status_json(tmp_path / "time.yaml", tmp_path / "time.db") if v["site"] == slow)
    assert (by_pages["truncated"], by_pages["truncated_by"], by_pages["pages"]) == (True, "pages", 3)
    assert (by_time["truncated"], by_time["truncated_by"]) == (True, "time")
    r = run_cli("--config", str(tmp_path / "pages.yaml"), "--db", str(tmp_path / "pages.db"), "--as-of",
                AS_OF.isoformat(), "status")
    assert "truncated (pages)" in next(x for x in r.stdout.splitlines() if x.startswith(paged + " "))
    html = run_cli("--config", str(tmp_path / "pages.yaml"), "--db", str(tmp_path / "pages.db"), "--as-of",
                   AS_OF.isoformat(), "report", "--week", WEEK, "--out", str(tmp_path / "out"))
    page = (tmp_path / "out" / f"{WEEK}.html").read_text(encoding="utf-8")
    assert html.returncode == 0 and "batas jumlah halaman" in section(page, paged) and "batas waktu" not in page


def test_the_scheduled_report_of_an_empty_week_is_a_warning_not_a_crash(tmp_path, caplog):
    """Item 3: the scheduler's weekly report job with no run last week logs a warning and writes nothing."""
    import logging

    from ronda import schedule

    (tmp_path / "sites.yaml").write_text(SITES_YAML.format(language="id", evil="Dinas Uji"), encoding="utf-8")
    store.open_db(tmp_path / "r.db").conn.close()
    logging.getLogger("ronda").addHandler(caplog.handler)
    try:
        schedule.report(str(tmp_path / "sites.yaml"), str(tmp_path / "r.db"))
    finally:
        logging.getLogger("ronda").removeHandler(caplog.handler)
    assert any("no weekly report" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)
    assert not (tmp_path / "laporan").exists()
