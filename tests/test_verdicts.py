"""Verdict rules (docs/statuses.md): precedence, scores, and one event for a whole domain going down."""
from __future__ import annotations

from base.config import Thresholds
from monitors import verdicts

T = Thresholds()


def test_status_precedence_first_match_wins():
    spam = [{"kind": "hidden_links"}]
    assert verdicts.status_of("connect", spam, None, T) == "down"
    assert verdicts.status_of(None, spam, 1, T) == "compromised"
    assert verdicts.status_of(None, [{"kind": "tls_expired"}], 1, T) == "active"  # TLS is never compromise
    assert verdicts.status_of(None, [], None, T) == "idle"
    assert verdicts.status_of(None, [], 31, T) == "idle"
    assert verdicts.status_of(None, [], 30, T) == "stale"
    assert verdicts.status_of(None, [], 15, T) == "stale"
    assert verdicts.status_of(None, [], 14, T) == "active"


def test_score_rewards_fresh_complete_clean_and_up():
    best = verdicts.overall_score("active", 0, 100, T)
    assert best == 100
    assert verdicts.overall_score("idle", None, 100, T) < verdicts.overall_score("stale", 20, 100, T) < best
    assert verdicts.overall_score("compromised", 0, 100, T) < best
    assert verdicts.overall_score("down", None, 0, T) == 15  # only integrity left


def v(site, url, status="down", reason="suspended"):
    return {"site": site, "url": url, "status": status, "reason": reason}


def test_a_whole_domain_suspended_is_one_event():
    rows = [v("dinkes", "https://dinkes.pematangsiantar.go.id/"), v("dishub", "https://dishub.pematangsiantar.go.id/"),
            v("dpmptsp", "http://dpmptsp.pematangsiantarkota.go.id/", "active", None)]
    verdicts.mark_domain_events(rows)
    assert rows[0]["event"] == rows[1]["event"] == {
        "kind": "domain_down", "domain": "pematangsiantar.go.id", "reason": "suspended", "sites": ["dinkes", "dishub"]}
    assert "event" not in rows[2]


def test_no_event_when_only_some_sites_of_the_domain_are_down():
    rows = [v("a", "https://a.pematangsiantar.go.id/"), v("b", "https://b.pematangsiantar.go.id/", "active", None),
            v("c", "http://127.0.0.1:8080/"), v("d", "http://127.0.0.1:8081/")]
    verdicts.mark_domain_events(rows)
    assert not any("event" in r for r in rows)
    assert verdicts.parent_domain("https://kominfo.go.id/") is None
