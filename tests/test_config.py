"""Configuration: typed, defaulted, and every human mistake reported with file, line and key."""
from __future__ import annotations

from pathlib import Path

import pytest

from base import config

ROOT = Path(__file__).resolve().parents[1]

MINIMAL = "sites:\n  - id: dinkes\n    name: Dinas Kesehatan\n    url: https://dinkes.example.go.id/\n"


def problems(text: str) -> list[str]:
    with pytest.raises(config.ConfigError) as e:
        config.parse(text, "sites.yaml")
    return [str(p) for p in e.value.problems]


def test_minimal_file_gets_every_default():
    cfg = config.parse(MINIMAL)
    assert cfg.timezone == "Asia/Jakarta" and cfg.language == "id"
    assert (cfg.thresholds.stale_days, cfg.thresholds.idle_days) == (14, 30)
    assert cfg.crawl.max_pages == 200 and cfg.crawl.delay_s == 1.0 and cfg.crawl.obey_robots
    assert cfg.sites[0].enabled and cfg.sites[0].head is None


def test_shipped_config_is_the_real_pematangsiantar_list():
    cfg = config.load(ROOT / "config" / "sites.yaml")
    assert len(cfg.sites) == 36
    disabled = {s.id for s in cfg.sites if not s.enabled}
    assert disabled == {"diskopdag", "disparbud", "dispora"}
    assert len([s for s in cfg.sites if s.category == "kecamatan"]) == 8
    confirmed = {s.id: s.url for s in cfg.sites if s.verified}
    assert confirmed == {"dpmptsp": "http://dpmptsp.pematangsiantarkota.go.id/",
                         "kesbangpol": "https://kesbangpol.pematangsiantar.go.id/"}
    assert all(s.head and s.head.placeholder for s in cfg.sites)


BAD = [
    ("yaml syntax", "sites:\n  - id: a\n   name: x\n", "sites.yaml:3: YAML syntax error"),
    ("unknown top key", MINIMAL + "treshold: 3\n", "sites.yaml:5: treshold: unknown key"),
    ("unknown nested key", "crawl: {delai_s: 2}\n" + MINIMAL, "sites.yaml:1: crawl.delai_s: unknown key (did you mean delay_s?)"),
    ("missing url", "sites:\n  - id: a\n    name: A\n", "sites.yaml:2: sites[0].url: is required"),
    ("malformed url", "sites:\n  - id: a\n    name: A\n    url: htp:/x\n", "sites.yaml:4: sites[0].url: must be an http:// or https:// URL"),
    ("duplicate id", MINIMAL + "  - id: dinkes\n    name: B\n    url: https://b.example.go.id/\n", "sites.yaml:5: sites[1].id: duplicate id 'dinkes'"),
    ("duplicate url", MINIMAL + "  - id: b\n    name: B\n    url: https://DINKES.example.go.id\n", "sites.yaml:7: sites[1].url: duplicate url"),
    ("bad e-mail", "sites:\n  - id: a\n    name: A\n    url: http://a.go.id/\n    head: {email: kadis-at-dinkes}\n",
     "sites.yaml:5: sites[0].head.email: is not an e-mail address"),
    ("threshold range", "thresholds: {idle_days: 0}\n" + MINIMAL, "sites.yaml:1: thresholds.idle_days: must be between 1 and 3650"),
    ("threshold order", "thresholds: {stale_days: 40, idle_days: 30}\n" + MINIMAL, "sites.yaml:1: thresholds.stale_days: must be smaller than idle_days"),
    ("unknown timezone", "timezone: Asia/Medan\n" + MINIMAL, "sites.yaml:1: timezone: is not a known time zone"),
    ("wrong type", "crawl: {max_pages: lots}\n" + MINIMAL, "sites.yaml:1: crawl.max_pages: must be a whole number"),
    ("bad bool", MINIMAL + "    enabled: maybe\n", "sites.yaml:5: sites[0].enabled: must be true or false"),
    ("duplicate key", "timezone: Asia/Jakarta\ntimezone: Asia/Makassar\n" + MINIMAL, "sites.yaml:2: timezone: duplicate key"),
    ("empty file", "", "sites.yaml:1: the file is empty"),
    ("bad id", "sites:\n  - id: Dinas Kesehatan!\n    name: A\n    url: http://a.go.id/\n", "sites.yaml:2: sites[0].id: must be lower-case"),
    ("smtp security", "mail: {smtp: {host: smtp.x.go.id, security: tls}}\n" + MINIMAL, "sites.yaml:1: mail.smtp.security: must be one of none, starttls, ssl"),
]


@pytest.mark.parametrize("name,text,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_config_names_file_line_and_key(name, text, expected):
    found = problems(text)
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_is_reported_at_once():
    text = "timezone: Nowhere/Land\ncrawl: {max_pages: -5}\nsites:\n  - id: a\n    name: A\n    url: nope\n"
    found = problems(text)
    assert len(found) == 3, found
    assert [p.split(":")[1] for p in found] == ["1", "2", "6"]
