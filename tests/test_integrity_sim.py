"""End to end: one crawl of the simulated OPD web, integrity verdicts of `ronda status --json` against its truth."""
from __future__ import annotations

import pytest

from conftest import AS_OF, run_cli, status_json

COMPROMISING = {"hidden_links", "spam_text", "spam_page", "cloaking", "defacement"}


@pytest.fixture(scope="module")
def verdicts(simweb, tmp_path_factory):
    """Crawl the 35 sites once (politeness off), then read every verdict and the simulation's truth."""
    d = tmp_path_factory.mktemp("integrity")
    cfg = d / "sites.yaml"
    cfg.write_text(simweb.config_yaml(delay_s=0, timeout_s=10, retries=1), encoding="utf-8")
    r = run_cli("--config", str(cfg), "--db", str(d / "r.db"), "--as-of", AS_OF.isoformat(), "crawl", "--quiet")
    assert r.returncode == 0, r.stderr
    rows = {row["site"]: row for row in status_json(cfg, d / "r.db")}
    return {"rows": rows, "truth": simweb.truth()}


def _attacked(verdicts, kind: str) -> tuple[dict, dict, str]:
    """(verdict, truth, site id) of the one site the simulation attacked with `kind`."""
    (sid,) = [s for s, t in verdicts["truth"].items() if t["integrity"] == [kind]]
    return verdicts["rows"][sid], verdicts["truth"][sid], sid


@pytest.mark.parametrize("kind", ["hidden_links", "spam_page", "cloaking", "defacement"])
def test_attacked_site_is_compromised_with_its_kind(verdicts, simweb, kind):
    row, truth, sid = _attacked(verdicts, kind)
    assert truth["status"] == "compromised"
    assert row["status"] == "compromised", (sid, row["status"], row["integrity"])
    kinds = {f["kind"] for f in row["integrity"]}
    assert kinds == {kind}, (sid, row["integrity"])
    site = simweb.site(sid)
    urls = {f["url"] for f in row["integrity"] if f["kind"] == kind}
    if kind == "spam_page":
        # the evidence is the injected page itself, found through the sitemap only
        assert urls == {site.url.rstrip("/") + site.hack.path}
    else:
        assert {u.rstrip("/") for u in urls} == {site.url.rstrip("/")}
    assert all(f["evidence"] for f in row["integrity"])


def test_cloaking_evidence_names_the_search_engine_title(verdicts, simweb):
    row, _, sid = _attacked(verdicts, "cloaking")
    (f,) = [f for f in row["integrity"] if f["kind"] == "cloaking"]
    # the spam title the search engine was served, not what a visitor sees
    assert simweb.site(sid).hack.title[:40].lower() in f["evidence"].lower()


def test_defacement_evidence_names_the_defacer(verdicts, simweb):
    row, _, sid = _attacked(verdicts, "defacement")
    assert simweb.site(sid).hack.team.lower() in row["integrity"][0]["evidence"].lower()


def test_suspended_domain_is_down_suspended(verdicts):
    (sid,) = [s for s, t in verdicts["truth"].items() if t["reason"] == "suspended"]
    row = verdicts["rows"][sid]
    assert (row["status"], row["reason"]) == ("down", "suspended")
    assert not {f["kind"] for f in row["integrity"]} & COMPROMISING


def test_no_other_site_is_compromised(verdicts):
    wrong = {}
    for sid, t in verdicts["truth"].items():
        if t["status"] == "compromised":
            continue
        row = verdicts["rows"][sid]
        kinds = {f["kind"] for f in row["integrity"]} & COMPROMISING
        if row["status"] == "compromised" or kinds:
            wrong[sid] = (row["status"], row["integrity"])
    assert not wrong


def test_antigambling_news_site_is_clean(verdicts, simweb):
    (clean,) = [s for s in simweb.sites if "antijudi_news" in s.traps]
    row = verdicts["rows"][clean.id]
    assert row["status"] == verdicts["truth"][clean.id]["status"] != "compromised"
    assert row["integrity"] == []


def test_down_and_compromised_verdicts_match_truth_exactly(verdicts):
    def pick(rows):
        return {sid: (r["status"], r["reason"]) for sid, r in rows.items() if r["status"] in ("down", "compromised")}

    assert pick(verdicts["rows"]) == pick(verdicts["truth"])
