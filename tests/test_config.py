"""Configuration: typed, defaulted, and every human mistake reported with file, line and key."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

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


def test_shipped_config_is_the_city_directory_as_published():
    """Every row of the city's own directory is enabled with its URL exactly as published, and nothing else but
    the kecamatan it leaves out; the directory is a primary source, so its rows are verified."""
    cfg = config.load(ROOT / "config" / "sites.yaml")
    directory = yaml.safe_load((ROOT / "config" / "direktori_kota.yaml").read_text(encoding="utf-8"))
    rows = directory["rows"]
    assert len(rows) == 37 and directory["source"]["name"] == "Direktori Kota"
    by_url = {s.url: s for s in cfg.sites}
    for n, row in enumerate(rows, 1):
        site = by_url.get(row["url"])  # the URL exactly as written: scheme, host and trailing slash
        assert site is not None, f"directory row {n} {row['url']} is not in sites.yaml"
        assert site.enabled and site.verified, site.id
        assert row["name"] in (site.name, *site.aliases), site.id  # the published name, or kept as an alias
        assert site.source == f"Direktori Kota #{n}", site.id
    listed = {r["url"] for r in rows}
    extra = {s.id: s for s in cfg.enabled_sites if s.url not in listed}
    assert set(extra) == {"kec-siantar-selatan"}
    selatan = extra["kec-siantar-selatan"]
    assert selatan.url == "https://siantarselatan.pematangsiantar.go.id/" and not selatan.verified
    assert {s.id for s in cfg.sites if not s.enabled} == {"dispora"}
    assert all(s.source for s in cfg.sites) and all(s.notes for s in cfg.sites if not s.enabled)
    assert by_url["http://bkpsdm.pematangsiantar.go.id/"].id == "bkpsdm"  # published on plain http://
    assert len([s for s in cfg.enabled_sites if s.category == "kecamatan"]) == 8
    others = {s.id: s.category for s in cfg.enabled_sites if not cfg.is_opd(s)}
    assert others == {"puskesmas-kartini": "puskesmas", "puskesmas-raya": "puskesmas", "spbe": "portal"}
    assert all(s.head and s.head.placeholder for s in cfg.sites)


def test_ids_stay_stable_where_only_the_address_was_corrected():
    """History in existing databases is keyed by id: a corrected URL keeps its site's id."""
    cfg = config.load(ROOT / "config" / "sites.yaml")
    urls = {s.id: s.url for s in cfg.sites}
    for sid, host in (("setda", "setdako"), ("putr", "pupr"), ("pkp", "prkp"), ("bpkpd", "bpkd"),
                      ("satpolpp", "satpol"), ("dinsosp3a", "dinsos"), ("diskopdag", "diskukm"),
                      ("disparbud", "dispar"), ("kec-siantar-marihat", "siantarmarihat"), ("dpmptsp", "dpmptsp")):
        assert urls[sid] == f"https://{host}.pematangsiantar.go.id/", sid


def test_category_must_be_known_and_source_is_text():
    assert problems(MINIMAL + "    category: Puskesmas\n") == [
        "sites.yaml:5: sites[0].category: unknown category 'Puskesmas': must be one of sekretariat, inspektorat, "
        "dinas, badan, kantor, satpol, satuan, rsud, kecamatan, kelurahan, puskesmas, portal "
        "(or add it to categories.opd or categories.other)"]
    cfg = config.parse("categories: {other: [puskesmas, uptd]}\n" + MINIMAL + "    category: uptd\n    source: x\n")
    assert not cfg.is_opd(cfg.sites[0]) and cfg.sites[0].source == "x"
    assert problems("categories: {other: [dinas]}\n" + MINIMAL)[0].startswith(
        "sites.yaml:1: categories.other: dinas cannot be both")
    assert problems(MINIMAL + "    sourse: x\n") == ["sites.yaml:5: sites[0].sourse: unknown key (did you mean source?)"]


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


def test_typos_get_a_did_you_mean_values_read_as_yaml_and_tabs_in_plain_words():
    text = ("sites:\n  - id: a\n    nmae: A\n    url: http://127.0.0.1:9/\n    head: {emial: x@contoh.go.id}\n"
            "mail:\n  diskominfo: kominfo-at-contoh\n")
    got = problems(text)
    assert any("sites[0].nmae: unknown key (did you mean name?)" in p for p in got), got
    assert any("sites[0].head.emial: unknown key (did you mean email?)" in p for p in got), got
    bad = next(p for p in got if "mail.diskominfo" in p)
    assert '"kominfo-at-contoh"' in bad and "('" not in bad, bad   # no Python tuple in what an operator reads
    tab = problems("sites:\n  - id: a\n\tname: A\n    url: http://127.0.0.1:9/\n")
    assert len(tab) == 1 and "a tab is used for indentation" in tab[0] and "cannot start any token" not in tab[0]
