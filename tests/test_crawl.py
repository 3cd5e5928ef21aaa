"""A real scrapy crawl of the simulated OPD web, asserting on what the store holds afterwards."""
from __future__ import annotations

import sqlite3
import time

import pytest

from conftest import AS_OF, run_cli, status_json


@pytest.fixture(scope="module")
def crawled(simweb, tmp_path_factory):
    """One full crawl of the 35 sites (politeness off so the test is quick)."""
    d = tmp_path_factory.mktemp("crawl")
    cfg = d / "sites.yaml"
    cfg.write_text(simweb.config_yaml(delay_s=0, timeout_s=10, retries=1), encoding="utf-8")
    r = run_cli("--config", str(cfg), "--db", str(d / "r.db"), "--as-of", AS_OF.isoformat(), "crawl", "--quiet")
    db = sqlite3.connect(d / "r.db")
    db.row_factory = sqlite3.Row
    return {"result": r, "db": db, "cfg": cfg, "dbpath": d / "r.db", "truth": simweb.truth()}


def test_crawl_exits_zero_even_with_down_sites(crawled):
    r = crawled["result"]
    assert r.returncode == 0, r.stderr
    assert "35 site(s)" in r.stdout


def test_every_site_has_a_home_page_record(crawled, simweb):
    rows = {r["site_id"]: r for r in crawled["db"].execute("SELECT * FROM site_runs")}
    assert set(rows) == {s.id for s in simweb.sites}
    for sid, t in crawled["truth"].items():
        row = rows[sid]
        if t["reason"] == "suspended":
            # The registry's page answers 200: the crawler fetches it, the monitor judges it down.
            assert row["state"] == "up" and row["home_status"] == 200, (sid, dict(row))
        elif t["status"] == "down":
            assert row["state"] == "down" and row["reason"] == t["reason"], (sid, dict(row))
        else:
            assert row["state"] == "up" and row["home_status"] == 200, (sid, dict(row))
            assert row["home_ttfb_ms"] is not None and row["pages"] > 1


def test_down_and_500_sites_are_failures_while_the_rest_complete(crawled):
    reasons = {r["site_id"]: r["reason"] for r in crawled["db"].execute("SELECT * FROM site_runs WHERE state='down'")}
    truth_down = {sid: t["reason"] for sid, t in crawled["truth"].items()
                  if t["status"] == "down" and t["reason"] != "suspended"}  # judged by monitors, not the crawler
    assert reasons == truth_down
    assert {"connect", "http_5xx"} <= set(reasons.values())
    run = crawled["db"].execute("SELECT * FROM runs").fetchone()
    assert run["state"] == "finished"


def test_robots_disallow_rules_are_respected(crawled, simweb):
    checked = 0
    for site in simweb.sites:
        if crawled["truth"][site.id]["reason"] == "connect":
            continue  # refuses connections: nothing was fetched
        disallowed = site_disallow(simweb, site.id)
        fetched = [h["path"] for h in simweb.hits(site.id)]
        assert "/robots.txt" in fetched, site.id
        assert disallowed and not [p for p in fetched if p.startswith(disallowed)], site.id
        checked += 1
    assert checked >= 30


def site_disallow(simweb, site_id):
    import urllib.request

    site = next(s for s in simweb.sites if s.id == site_id)
    try:
        text = urllib.request.urlopen(site.url + "robots.txt", timeout=5).read().decode()
    except OSError:
        return None
    rules = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.lower().startswith("disallow:")]
    return rules[0] if rules else None


def test_feeds_sitemaps_and_documents_are_recorded(crawled):
    kinds = {r[0]: r[1] for r in crawled["db"].execute("SELECT kind, count(*) FROM pages GROUP BY kind")}
    assert kinds.get("robots", 0) >= 34
    assert kinds.get("feed", 0) >= 1 and kinds.get("sitemap", 0) >= 1 and kinds.get("document", 0) >= 1
    assert kinds.get("wp-api", 0) >= 1
    # Documents are checked without downloading their body.
    for row in crawled["db"].execute("SELECT * FROM pages WHERE kind='document' AND status=200"):
        assert row["content_type"] and "html" not in row["content_type"]


def test_status_json_has_every_contract_field(crawled):
    rows = status_json(crawled["cfg"], crawled["dbpath"])
    assert len(rows) == 35
    fields = {"site", "name", "url", "status", "reason", "as_of", "last_update", "days_since_update",
              "last_update_url", "completeness", "found", "missing", "integrity", "tls", "score", "pages",
              "requests", "truncated", "checked_at"}
    for row in rows:
        assert fields <= set(row), fields - set(row)
        assert row["status"] in {"active", "stale", "idle", "down", "compromised"}
        assert row["pages"] <= 200 and row["requests"] >= row["pages"]


def test_budget_and_depth_limits_hold(simweb, tmp_path):
    cfg = tmp_path / "sites.yaml"
    cfg.write_text(simweb.config_yaml(delay_s=0, max_pages=5, max_depth=1), encoding="utf-8")
    big = [sid for sid, t in simweb.truth().items() if t["status"] not in ("down",)][:3]
    args = ["--config", str(cfg), "--db", str(tmp_path / "b.db"), "--as-of", AS_OF.isoformat(), "crawl", "--quiet"]
    for sid in big:
        args += ["--site", sid]
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    db = sqlite3.connect(tmp_path / "b.db")
    for sid, pages, truncated in db.execute("SELECT site_id, pages, truncated FROM site_runs"):
        assert pages <= 5 and truncated == 1, (sid, pages)
    depths = [d for (d,) in db.execute("SELECT depth FROM pages WHERE kind='html'")]
    assert depths and max(depths) <= 1
    assert {s for (s,) in db.execute("SELECT site_id FROM site_runs")} == set(big)


def test_a_second_crawl_in_the_same_session_works(crawled):
    r = run_cli("--config", str(crawled["cfg"]), "--db", str(crawled["dbpath"]), "--as-of", AS_OF.isoformat(),
                "crawl", "--quiet", "--site", "dinkes")
    assert r.returncode == 0, r.stderr
    runs = crawled["db"].execute("SELECT id, state FROM runs ORDER BY id").fetchall()
    assert [tuple(x) for x in runs] == [(1, "finished"), (2, "finished")]


def test_unknown_site_is_a_usage_error(crawled):
    r = run_cli("--config", str(crawled["cfg"]), "--db", str(crawled["dbpath"]), "crawl", "--site", "nope")
    assert r.returncode == 2 and "unknown or disabled site id: nope" in r.stderr


def test_each_site_has_its_own_politeness_slot_on_one_host(simweb, tmp_path):
    """Sites sharing 127.0.0.1 are crawled side by side, each keeping its own delay."""
    ids = [sid for sid, t in simweb.truth().items() if t["status"] == "active"][:3]
    cfg = tmp_path / "sites.yaml"
    cfg.write_text(simweb.config_yaml(delay_s=1.0, autothrottle=False, max_pages=3), encoding="utf-8")
    before = {sid: len(simweb.hits(sid)) for sid in ids}
    args = [a for sid in ids for a in ("--site", sid)]
    r = run_cli("--config", str(cfg), "--db", str(tmp_path / "p.db"), "--as-of", AS_OF.isoformat(), "crawl", "--quiet", *args)
    assert r.returncode == 0, r.stderr
    times = {sid: sorted(h["time"] for h in simweb.hits(sid)[before[sid]:]) for sid in ids}
    # Each site's first request (robots.txt) goes out at once; one shared slot would space the three
    # first requests by at least two delays (2 x 1.0 s).
    firsts = [t[0] for t in times.values()]
    assert max(firsts) - min(firsts) < 0.9
    # Within a site, requests keep the delay (1.0 s; times are taken at the server, so a loaded machine
    # can bring two arrivals a little closer than they were sent).
    for sid, t in times.items():
        gaps = [b - a for a, b in zip(t, t[1:])]
        assert len(gaps) >= 3 and min(gaps) >= 0.8, (sid, gaps)


@pytest.mark.parametrize("delay_s", [0, 0.1], ids=["throttle-off", "autothrottle"])
def test_robots_crawl_delay_is_the_floor_of_a_site_s_delay(tmp_path, delay_s):
    """A site whose robots.txt asks for Crawl-delay: 1.2 gets at least that between requests, with or
    without AutoThrottle (which would otherwise speed a fast site up); its neighbour is not slowed."""
    from simweb.server import SimWeb

    with SimWeb(as_of=AS_OF, seed=0, n_sites=8) as web:
        slow, other = [sid for sid, t in web.truth().items() if t["status"] == "active"][:2]
        web.site(slow).crawl_delay = 1.2
        cfg = tmp_path / "sites.yaml"
        cfg.write_text(web.config_yaml(delay_s=delay_s, max_pages=4, max_documents=2), encoding="utf-8")
        r = run_cli("--config", str(cfg), "--db", str(tmp_path / "d.db"), "--as-of", AS_OF.isoformat(), "crawl",
                    "--quiet", "--site", slow, "--site", other)
        assert r.returncode == 0, r.stderr
        hits = {sid: sorted((h["time"], h["path"]) for h in web.hits(sid)) for sid in (slow, other)}
    assert hits[slow][0][1] == "/robots.txt"
    times = [t for t, _ in hits[slow][1:]]     # from the first request after robots.txt was read
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) >= 4 and min(gaps) >= 1.0, gaps   # 1.2 s, less arrival jitter on a loaded machine
    other_times = [t for t, _ in hits[other]]
    assert min(b - a for a, b in zip(other_times, other_times[1:])) < 0.6


def test_a_site_cut_short_by_its_own_crawl_delay_says_so(tmp_path):
    """Crawl-delay 2 s and a night budget of seconds: the site is truncated, and its record names the cause."""
    from simweb.server import SimWeb

    with SimWeb(as_of=AS_OF, seed=0, n_sites=8) as web:
        sid = next(s for s, t in web.truth().items() if t["status"] == "active")
        web.site(sid).crawl_delay = 2
        cfg = tmp_path / "sites.yaml"
        cfg.write_text(web.config_yaml(delay_s=0, max_minutes=0.2, timeout_s=1), encoding="utf-8")
        started = time.monotonic()
        r = run_cli("--config", str(cfg), "--db", str(tmp_path / "d.db"), "--as-of", AS_OF.isoformat(), "crawl",
                    "--quiet", "--site", sid)
        elapsed = time.monotonic() - started
        assert r.returncode == 0, r.stderr
    # The night keeps its 12 s budget: the site's queue is dropped at its deadline, not one request per
    # Crawl-delay (that took 72 s before LateSlots).
    assert elapsed < 30, elapsed
    row = next(v for v in status_json(cfg, tmp_path / "d.db") if v["site"] == sid)
    assert row["truncated"] is True
    assert row["error"].startswith("out_of_time") and "Crawl-delay 2 s" in row["error"], row["error"]
    assert row["crawl_delay"] == 2
