"""Against a real CMS: Debian's WordPress on loopback, seeded with known content, crawled by `ronda crawl`."""
# Needs scripts/debian-packages-wordpress.txt (scripts/system-deps installs it) and root: Debian's WordPress reads
# its per-site config from /etc/wordpress. RONDA_SKIP_WORDPRESS=1 skips it outside CI; missing packages skip it locally but
# fail it under CI=true, so CI never skips it silently.
from __future__ import annotations

import json
import os
import sqlite3
import time
import urllib.request
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import in_ci, run_cli, status_json
from wordpress import sites as wp_sites
from wordpress import wp


def _why_not_runnable() -> str | None:
    missing = wp.missing_packages()
    if missing:
        return f"Debian packages missing: {' '.join(missing)} (run scripts/system-deps as root)"
    if not os.access(wp.ETC if wp.ETC.exists() else wp.ETC.parent, os.W_OK):
        return f"{wp.ETC} is not writable (Debian's WordPress reads per-site configs there; run as root)"
    return None


if os.environ.get("RONDA_SKIP_WORDPRESS") == "1" and not in_ci():
    pytest.skip("RONDA_SKIP_WORDPRESS=1: the real-WordPress test is skipped on request", allow_module_level=True)
_reason = _why_not_runnable()
if _reason and in_ci():
    pytest.fail(f"real-WordPress test cannot run in CI: {_reason}", pytrace=False)
if _reason:
    pytest.skip(f"{_reason}; set CI=true to make this a failure, RONDA_SKIP_WORDPRESS=1 to silence it",
                allow_module_level=True)


@pytest.fixture(scope="module")
def as_of() -> date:
    """Today in Asia/Jakarta: a fresh install dates its sample post by the real clock, so the run must too."""
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


@pytest.fixture(scope="module")
def web(tmp_path_factory, as_of):
    """Three real WordPress sites (active, fresh install, abandoned and hacked), seeded once."""
    root = tmp_path_factory.mktemp("wordpress")
    with wp.WordPressWeb(root, wp_sites.specs(as_of)) as w:
        yield w


@pytest.fixture(scope="module")
def crawled(web, tmp_path_factory, as_of):
    """`ronda crawl` then `ronda status --json` over the WordPress sites; verdicts by site id, and the store."""
    d = tmp_path_factory.mktemp("wp-crawl")
    cfg, db = d / "sites.yaml", d / "ronda.db"
    cfg.write_text(web.config_yaml())
    t0 = time.monotonic()
    r = run_cli("--config", str(cfg), "--db", str(db), "--as-of", as_of.isoformat(), "crawl", timeout=600)
    elapsed = time.monotonic() - t0
    assert r.returncode == 0, r.stderr[-3000:]
    verdicts = {v["site"]: v for v in status_json(cfg, db, as_of)}
    (d / "summary.json").write_text(json.dumps({"setup": web.timings, "crawl_s": elapsed, "verdicts": verdicts}, indent=1))
    return verdicts, db


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=20) as r:
        return r.status, r.read().decode("utf-8", "replace")


# --- the fixture is what it claims to be --------------------------------------------------------


def test_sites_serve_what_a_real_wordpress_serves(web, as_of):
    """Feed, REST API, core sitemap and Indonesian locale are live; drafts and scheduled posts stay unpublished."""
    pangan = web.sites["pangan"]
    status, home = _get(pangan.url)
    assert status == 200 and 'lang="id-ID"' in home and "https://api.w.org/" in home
    status, api = _get(pangan.url + "wp-json/wp/v2/posts?per_page=100")
    posts = json.loads(api)
    titles = {p["title"]["rendered"] for p in posts}
    assert len(posts) == len(wp_sites.NEWS) + 1          # the real news and the backdated "Halo dunia!"
    assert "Halo dunia!" in titles
    assert not any(t.startswith("Draf") or "Bulan Depan" in t for t in titles)
    assert max(p["date"][:10] for p in posts) == (as_of - timedelta(days=wp_sites.NEWS[0][0])).isoformat()
    assert _get(pangan.url + "wp-sitemap.xml")[0] == 200
    assert "<rss" in _get(pangan.url + "feed/")[1]
    fresh = web.sites["kecamatan"]
    status, api = _get(fresh.url + "?rest_route=/wp/v2/posts")
    assert [p["title"]["rendered"] for p in json.loads(api)] == ["Halo dunia!"]


# --- what ronda concludes -------------------------------------------------------------------------


def test_active_site_last_update_is_the_newest_published_post(crawled, web, as_of):
    verdicts, _ = crawled
    v, exp = verdicts["pangan"], wp_sites.expected(as_of)["pangan"]
    assert v["status"] == exp["status"], v
    assert v["last_update"] == exp["last_update"]
    assert v["last_update_url"] == web.sites["pangan"].seeded["posts"]["news0"]["url"]
    assert v["last_update_title"] == exp["last_update_title"]


def test_checklist_found_and_missing_match_the_seeded_pages(crawled, web, as_of):
    verdicts, _ = crawled
    v, exp = verdicts["pangan"], wp_sites.expected(as_of)["pangan"]
    assert set(v["found"]) == exp["found"]
    assert exp["placeholder"] in v["missing"]                    # "sedang dalam pengembangan" is not evidence
    assert not set(v["found"]) & set(v["missing"])
    pages = web.sites["pangan"].seeded["pages"]
    for item, page in {"visi_misi": "visi_misi", "struktur_organisasi": "struktur", "tugas_fungsi": "tugas",
                       "daftar_informasi_publik": "dip", "kontak": "kontak", "ppid": "ppid"}.items():
        assert v["found"][item] == pages[page]["url"], item   # nested pages under the Profil and PPID menus
    pdf = web.sites["pangan"].seeded["attachments"]["lkjip_pdf"]["url"]
    assert v["found"]["lkjip"] == pdf and v["documents"]["lkjip"]["year"] == 2025


def test_hidden_spam_widget_makes_the_site_compromised(crawled, web, as_of):
    verdicts, _ = crawled
    v = verdicts["pendidikan"]
    assert v["status"] == "compromised", v
    hidden = [f for f in v["integrity"] if f["kind"] == "hidden_links"]
    assert hidden and "slot gacor" in hidden[0]["evidence"].lower()
    assert verdicts["pangan"]["integrity"] == [] and verdicts["kecamatan"]["integrity"] == []


def test_pathinfo_permalinks_give_the_abandoned_site_its_last_post(crawled, web, as_of):
    verdicts, _ = crawled
    v = verdicts["pendidikan"]
    assert v["last_update"] == wp_sites.expected(as_of)["pendidikan"]["last_update"]
    assert v["last_update_url"] == web.sites["pendidikan"].seeded["posts"]["old0"]["url"]


def test_fresh_install_is_idle_with_no_genuine_update(crawled):
    verdicts, _ = crawled
    v = verdicts["kecamatan"]
    assert v["last_update"] is None, v["last_update_url"]
    assert v["status"] == "idle"


def test_no_date_comes_from_the_fresh_install_sample_content(crawled):
    """Whatever else happens, 'Halo dunia!' itself is never the evidence of an update."""
    verdicts, _ = crawled
    for v in verdicts.values():
        assert (v["last_update_title"] or "") not in ("Halo dunia!", "Hello world!")
        assert "p=1" not in (v["last_update_url"] or "")


def test_rest_api_is_read_on_a_plain_permalink_site(crawled):
    _, db = crawled
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT url, status FROM pages WHERE site_id = 'kecamatan' AND kind = 'wp-api'").fetchall()
    assert rows and all(status == 200 for _, status in rows), rows
