"""A site's history (`ronda history`, the report's 12-week chart) from real crawls of a simulated site that went
idle and recovered, night by night with --as-of; and `ronda run` on a Monday (issue 18, item 3)."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from base import store
from monitors import history as hist

from conftest import run_cli

# Saturdays, then the Monday after the last one: active, stale, idle, idle, recovered; then `ronda run`
NIGHTS = [date(2026, 9, 12), date(2026, 9, 26), date(2026, 10, 17), date(2026, 10, 31), date(2026, 11, 21)]
MONDAY = date(2026, 11, 23)
LAST_POST = date(2026, 9, 10)      # 2 days before the first night; then nothing for 71 days
RECOVERY_POST = date(2026, 11, 20)  # the day before the last Saturday
EXPECTED = ["active", "stale", "idle", "idle", "active"]


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """One simulated blog OPD whose posts stop on LAST_POST and start again on RECOVERY_POST, crawled each night."""
    from simweb import model
    from simweb.server import SimWeb

    d = tmp_path_factory.mktemp("history")
    with SimWeb(as_of=NIGHTS[0], seed=0, n_sites=3) as web:
        site = web.sites[2]   # a blog with an active schedule, no outages
        kept = [p for p in site.posts if p.day <= LAST_POST]
        comeback = model.Post(max(p.n for p in site.posts) + 3, RECOVERY_POST, 9, 15, "Pelayanan Kembali Dibuka",
                              "pelayanan-kembali-dibuka", ["Kantor kembali melayani masyarakat seperti biasa."])
        site.posts = kept + [comeback]
        model.assign_paths(site)
        cfg = d / "sites.yaml"
        cfg.write_text("organization: Pemerintah Kota Uji\ntimezone: Asia/Jakarta\ncrawl: {delay_s: 0, timeout_s: 5}\n"
                       f"sites:\n  - {{id: {site.id}, name: {site.name}, url: '{site.url}'}}\n", encoding="utf-8")
        base = ("--config", str(cfg), "--db", str(d / "r.db"))
        runs = []
        for night in NIGHTS:
            web.set_today(night)
            # the first night is a `ronda run` forced to write a report: its last complete week has no run
            args = ("run", "--quiet", "--report") if night == NIGHTS[0] else ("crawl", "--quiet")
            runs.append(run_cli(*base, "--as-of", night.isoformat(), *args))
            assert runs[-1].returncode == 0, runs[-1].stderr
        web.set_today(MONDAY)
        monday = run_cli(*base, "--as-of", MONDAY.isoformat(), "run", "--quiet")
        comeback_url = model.absolute(site, comeback.path)
    return {"dir": d, "base": base, "site": site.id, "runs": runs, "monday": monday, "comeback_url": comeback_url}


def test_run_without_a_report_week_warns_and_goes_on(story):
    """Item 3: `ronda run` whose last complete week has no finished run: a warning, the crawl and alerts done, exit 0."""
    first = story["runs"][0]
    assert first.returncode == 0
    assert re.search(r"^run \d+ \(as of 2026-09-12\): 1 site\(s\): active 1$", first.stdout, re.M), first.stdout
    assert re.search(r"^alerts: sent \d+", first.stdout, re.M) and "report:" not in first.stdout
    assert first.stderr.startswith("Warning: no weekly report: week 2026-W36") and "Error" not in first.stderr
    assert len(first.stderr.strip().splitlines()) == 1


def test_the_monday_run_reports_the_week_that_just_ended(story):
    """Item 3: `ronda run` on Monday 23 November writes 2026-W47 (16-22 November), from that week's night."""
    r = story["monday"]
    assert r.returncode == 0, r.stderr
    path = re.search(r"^report: (.*)$", r.stdout, re.M).group(1)
    assert path.endswith("2026-W47.html")
    html = open(path, encoding="utf-8").read()
    header = re.search(r'<p class="period">(.*?)</p>', html).group(1)
    assert header == "Minggu 2026-W47 · 16 November 2026 – 22 November 2026"
    print(f"Monday report header: {header}")


def test_history_is_the_sites_nights_in_order(story):
    """`ronda history --json`: one object per night, the status went idle and came back, with its newest post."""
    r = run_cli(*story["base"], "--as-of", MONDAY.isoformat(), "history", story["site"], "--json")
    assert r.returncode == 0, r.stderr
    nights = json.loads(r.stdout)
    assert [n["as_of"] for n in nights] == [d.isoformat() for d in NIGHTS + [MONDAY]]
    assert [n["status"] for n in nights] == EXPECTED + ["active"]
    assert [n["last_update"] for n in nights] == [LAST_POST.isoformat()] * 4 + [RECOVERY_POST.isoformat()] * 2
    assert [n["days_since_update"] for n in nights[:5]] == [2, 16, 37, 51, 1]
    assert nights[4]["last_update_url"] == story["comeback_url"]
    assert nights[2]["score"] < nights[1]["score"] < nights[0]["score"] and nights[4]["score"] > nights[3]["score"]
    assert all(n["completeness"] is not None and n["findings"] == [] and n["reason"] is None for n in nights)
    assert set(nights[0]) >= {"as_of", "status", "score", "completeness", "last_update", "last_update_url",
                              "findings", "reason", "integrity_state", "truncated_by"}


def test_history_as_text(story):
    r = run_cli(*story["base"], "--as-of", MONDAY.isoformat(), "history", story["site"])
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == f"{story['site']}: 6 night(s), 2026-09-12 to 2026-11-23"
    body = [ln for ln in lines[3:]]
    assert [ln.split()[1] for ln in body] == EXPECTED + ["active"]
    assert story["comeback_url"] in body[4] and "2026-11-20 (1 d)" in body[4]
    print(r.stdout)


def test_history_weeks_and_unknown_sites(story):
    short = run_cli(*story["base"], "--as-of", MONDAY.isoformat(), "history", story["site"], "--weeks", "2", "--json")
    assert [n["as_of"] for n in json.loads(short.stdout)] == ["2026-11-21", "2026-11-23"]
    r = run_cli(*story["base"], "--as-of", MONDAY.isoformat(), "history", "tidak-ada")
    assert r.returncode == 2 and "unknown site id 'tidak-ada'" in r.stderr and "Traceback" not in r.stderr
    missing = run_cli("--config", story["base"][1], "--db", str(story["dir"] / "salah.db"), "history", story["site"])
    assert missing.returncode == 1 and missing.stderr.startswith("Error: database")


def test_history_function_keeps_the_newest_run_of_a_day(story):
    """A second finished run on the same as-of day replaces the first in the timeline (as alerts read the history)."""
    db = store.open_db(story["dir"] / "r.db")
    try:
        before = hist.history(db, story["site"], MONDAY)
        assert len(before) == 6 and before[-1]["run_id"] == max(n["run_id"] for n in before)
        assert hist.history(db, story["site"], NIGHTS[2], NIGHTS[1]) == before[1:3]
    finally:
        db.conn.close()


def test_the_report_draws_the_nights_in_the_sites_section(story):
    """The weekly report's site section: the last 12 weeks' nights as an inline SVG, coloured by status."""
    path = re.search(r"^report: (.*)$", story["monday"].stdout, re.M).group(1)
    html = open(path, encoding="utf-8").read()
    sec = html[html.index(f'id="opd-{story["site"]}"'):]
    svg = re.search(r'<svg class="timeline".*?</svg>', sec, re.S).group(0)
    nights = re.findall(r'<circle class="night f-(\w+)"[^>]*data-as-of="([\d-]+)"', svg)
    assert nights == list(zip(EXPECTED, (d.isoformat() for d in NIGHTS)))   # W47 ends on Sunday 22 November
    xs = [float(x) for x in re.findall(r'<circle class="night[^>]* cx="([\d.]+)"', svg)]
    assert xs == sorted(xs) and len(set(xs)) == 5
    assert "<script" not in html and "Riwayat 12 minggu terakhir" in sec
