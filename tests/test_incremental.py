"""Incremental crawling: conditional requests, 304 nights that keep the verdict, changed sites still found."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from base import config, store
from crawler.parsing import _pack, _unpack
from crawler.pipelines import _ROOT, PreviousFacts, _extraction_files

# Verdict fields a 304 night must leave exactly as the full night had them.
from ronda import jobs

from conftest import AS_OF

# Verdict fields a 304 night must leave exactly as the full night had them.
SAME = ("status", "reason", "last_update", "last_update_url", "days_since_update", "completeness", "found",
        "missing", "documents", "integrity", "score", "pages")


def _bytes(db, run_id: int) -> dict[str, int]:
    rows = db.query("SELECT site_id, SUM(COALESCE(bytes, 0)) AS b FROM pages WHERE run_id = ? GROUP BY site_id", [run_id])
    return {r["site_id"]: r["b"] for r in rows}


def _next_publication(web) -> int:
    """Days until some reachable site publishes a genuine post that changes its last update."""
    before = web.truth()
    for k in range(1, 15):
        web.set_today(AS_OF + timedelta(days=k))
        after = web.truth()
        if any(a["last_update"] and a["last_update"] != before[s]["last_update"] and a["reason"] is None
               and before[s]["reason"] is None for s, a in after.items()):
            return k
    raise AssertionError("the simulated web publishes nothing within two weeks")


@pytest.fixture(scope="module")
def nights(simweb, tmp_path_factory):
    """Three nights on one database: full, unchanged web, and after some sites published."""
    d = tmp_path_factory.mktemp("incremental")
    (d / "sites.yaml").write_text(simweb.config_yaml(delay_s=0, timeout_s=10, retries=1), encoding="utf-8")
    cfg = config.load(d / "sites.yaml")
    db_path = d / "r.db"
    first = jobs.crawl(cfg, db_path, AS_OF)
    hits_before = {s.id: len(simweb.hits(s.id)) for s in simweb.sites}
    second = jobs.crawl(cfg, db_path, AS_OF)
    second_hits = {s.id: simweb.hits(s.id)[hits_before[s.id]:] for s in simweb.sites}
    k = _next_publication(simweb)
    third = jobs.crawl(cfg, db_path, AS_OF + timedelta(days=k))
    out = {"first": first, "second": second, "third": third, "truth3": simweb.truth(), "hits2": second_hits,
           "db": store.open_db(db_path)}
    yield out
    out["db"].conn.close()
    simweb.set_today(AS_OF)


def test_nights_ran_cleanly(nights):
    for n in ("first", "second", "third"):
        assert nights[n].ok, nights[n].problems


def test_second_unchanged_night_transfers_a_fifth_of_the_bytes_or_less(nights):
    db = nights["db"]
    b1 = sum(_bytes(db, nights["first"].run_id).values())
    b2 = sum(_bytes(db, nights["second"].run_id).values())
    assert b1 > 1_000_000
    assert b2 <= 0.20 * b1, (b1, b2)


def test_second_night_asks_conditionally_and_most_pages_are_not_modified(nights):
    db = nights["db"]
    run = nights["second"].run_id
    html = db.execute("SELECT COUNT(*), SUM(COALESCE(not_modified, 0)) FROM pages WHERE run_id = ? AND kind = 'html'",
                      [run]).fetchone()
    assert html[0] > 500 and html[1] >= 0.8 * html[0], html
    conditional = sum(1 for hits in nights["hits2"].values() for h in hits if h["headers"].get("If-None-Match"))
    assert conditional >= html[1]
    # a carried fact has the first night's signals and content, and no body bytes
    first = {(r["site_id"], r["url"]): r for r in db.query(
        "SELECT site_id, url, content_hash, dates, checklist, title FROM pages WHERE run_id = ? AND kind = 'html'",
        [nights["first"].run_id])}
    carried = list(db.query("SELECT site_id, url, content_hash, dates, checklist, title, bytes, links FROM pages "
                            "WHERE run_id = ? AND not_modified = 1 AND kind = 'html'", [run]))
    for r in carried:
        f = first[(r["site_id"], r["url"])]
        assert (r["content_hash"], r["dates"], r["checklist"], r["title"]) == (
            f["content_hash"], f["dates"], f["checklist"], f["title"])
        assert r["bytes"] == 0 and r["links"] is not None


def test_home_pages_are_always_fetched_in_full(nights):
    for hits in nights["hits2"].values():
        homes = [h for h in hits if h["method"] == "GET" and h["path"] == "/"]
        assert all("If-None-Match" not in h["headers"] and "If-Modified-Since" not in h["headers"] for h in homes)


def test_unchanged_night_keeps_every_verdict(nights):
    a = {v["site"]: v for v in nights["first"].verdicts}
    b = {v["site"]: v for v in nights["second"].verdicts}
    assert set(a) == set(b)
    for site in a:
        for key in SAME:
            assert a[site][key] == b[site][key], (site, key)


def test_unchanged_night_follows_links_from_unchanged_pages(nights):
    db = nights["db"]
    count = "SELECT COUNT(DISTINCT url) FROM pages WHERE run_id = ? AND kind = 'html'"
    assert db.execute(count, [nights["second"].run_id]).fetchone()[0] == db.execute(
        count, [nights["first"].run_id]).fetchone()[0]


def test_a_new_post_is_found_the_same_night(nights):
    truth = nights["truth3"]
    first = {v["site"]: v for v in nights["first"].verdicts}
    third = {v["site"]: v for v in nights["third"].verdicts}
    moved = [s for s, t in truth.items() if t["last_update"] and t["last_update"] != first[s]["last_update"]
             and first[s]["last_update"] is not None]
    assert moved
    db = nights["db"]
    for s in moved:
        assert third[s]["last_update"] == truth[s]["last_update"], s
        assert third[s]["last_update_url"] == truth[s]["last_update_url"], s
        new = db.execute("SELECT status, not_modified, bytes FROM pages WHERE run_id = ? AND url = ?",
                         [nights["third"].run_id, truth[s]["last_update_url"]]).fetchone()
        assert new is not None and new[0] == 200 and not new[1] and new[2] > 0


def test_sites_whose_pages_did_not_change_stay_cheap(nights):
    db = nights["db"]
    r1, r3 = nights["first"].run_id, nights["third"].run_id
    hashes = "SELECT url, content_hash FROM pages WHERE run_id = ? AND site_id = ? AND kind = 'html'"
    b1, b3 = _bytes(db, r1), _bytes(db, r3)
    unchanged = [s for s in b1 if b1[s] > 100_000
                 and dict(db.execute(hashes, [r1, s]).fetchall()) == dict(db.execute(hashes, [r3, s]).fetchall())]
    assert len(unchanged) >= 3
    for s in unchanged:
        assert b3[s] <= 0.25 * b1[s], (s, b1[s], b3[s])


def test_validators_come_from_the_newest_run_in_which_the_site_was_up(nights):
    """A site down last night has no validators (everything is asked in full); an up site has its pages'."""
    db = nights["db"]
    run = nights["second"].run_id
    fingerprint = db.execute("SELECT signals FROM runs WHERE id = ?", [run]).fetchone()[0]
    prev = PreviousFacts(db, run_id=10**9, as_of=AS_OF.isoformat(), fingerprint=fingerprint)
    assert PreviousFacts(db, run_id=10**9, as_of=AS_OF.isoformat(), fingerprint="other").validators(
        nights["first"].verdicts[0]["site"]) == {}   # facts extracted otherwise are never carried
    states = dict(db.execute("SELECT site_id, state FROM site_runs WHERE run_id = ?", [run]).fetchall())
    assert "down" in states.values() and "up" in states.values()
    for site, state in states.items():
        got = prev.validators(site)
        if state == "down":
            assert got == {}, site
            continue
        stored = {r[0]: json.loads(r[1]).get("etag") for r in db.execute(
            "SELECT url, headers FROM pages WHERE run_id = ? AND site_id = ? AND kind = 'html' AND status = 200 "
            "AND url = final_url AND depth > 0", [run, site])}
        for url, etag in stored.items():
            if etag:
                assert got[url]["etag"] == etag, (site, url)


def test_a_checklist_edit_makes_the_next_night_read_every_page_afresh(nights, simweb, tmp_path):
    """Carried facts were extracted with the old checklist: after an edit nothing is asked conditionally."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    (tmp_path / "checklist.yaml").write_text((root / "config" / "checklist.yaml").read_text() + "\n# edited\n")
    (tmp_path / "sites.yaml").write_text(simweb.config_yaml(delay_s=0, timeout_s=10, retries=1), encoding="utf-8")
    cfg = config.load(tmp_path / "sites.yaml")
    assert cfg.checklist_path() == tmp_path / "checklist.yaml"
    db = nights["db"]
    hits = {s.id: len(simweb.hits(s.id)) for s in simweb.sites}
    fourth = jobs.crawl(cfg, db.conn.execute("PRAGMA database_list").fetchone()[2], simweb.today)
    assert fourth.ok, fourth.problems
    signals = dict(db.execute("SELECT id, signals FROM runs WHERE id IN (?, ?)", [nights["third"].run_id, fourth.run_id]).fetchall())
    assert signals[fourth.run_id] and signals[fourth.run_id] != signals[nights["third"].run_id]
    html, carried = db.execute("SELECT COUNT(*), SUM(COALESCE(not_modified, 0)) FROM pages WHERE run_id = ? AND kind = 'html'",
                               [fourth.run_id]).fetchone()
    assert html > 500 and carried == 0
    assert not any(h["headers"].get("If-None-Match") or h["headers"].get("If-Modified-Since")
                   for s in simweb.sites for h in simweb.hits(s.id)[hits[s.id]:])


def test_the_fingerprint_covers_what_extraction_reads_from_the_ground_floor():
    # The checklist's loader and packaged data live in base/: an edit there must make the next night read afresh.
    files = {p.relative_to(_ROOT).as_posix() for p in _extraction_files()}
    assert {"base/checklist.py", "base/data/checklist.yaml", "base/safe.py", "crawler/pipelines.py",
            "crawler/signals/data/dates.yaml"} <= files


def test_links_pack_to_paths_and_back():
    base = "http://127.0.0.1:8000/berita/a"
    urls = ["http://127.0.0.1:8000/x?y=1", "http://127.0.0.1:8001/z", "https://127.0.0.1:8000/w",
            "http://127.0.0.1:8000"]
    packed = _pack(urls, base)
    assert packed[0] == "/x?y=1" and packed[1:] == urls[1:]
    assert _unpack(json.loads(json.dumps(packed)), base) == urls
