"""The CLI contract: exit codes, one-line errors, inspect, --help matching the README."""
from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import AS_OF, run_cli

ROOT = Path(__file__).resolve().parents[1]
DATES = ROOT / "tests" / "pages" / "dates"


def test_check_config_ok_on_the_shipped_config():
    r = run_cli("--config", str(ROOT / "config" / "sites.yaml"), "check-config")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        f"{ROOT / 'config' / 'sites.yaml'}: OK: 38 enabled site(s) of 39, 31 checklist item(s)",
        "1 site(s) unverified: kec-siantar-selatan",
        "38 head(s) are placeholders",
    ]


def test_check_config_counts_unverified_sites_and_placeholder_heads(tmp_path):
    """One line each: what Diskominfo still has to confirm (disabled sites are not counted)."""
    cfg = tmp_path / "sites.yaml"
    cfg.write_text("sites:\n"
                   "  - {id: a, name: A, url: 'https://a.example.go.id/', verified: false,"
                   " head: {email: a@example.go.id, placeholder: true}}\n"
                   "  - {id: b, name: B, url: 'https://b.example.go.id/', verified: false}\n"
                   "  - {id: c, name: C, url: 'https://c.example.go.id/', head: {email: c@example.go.id}}\n"
                   "  - {id: d, name: D, url: 'https://d.example.go.id/', verified: false, enabled: false}\n")
    r = run_cli("--config", str(cfg), "check-config")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1:] == ["2 site(s) unverified: a, b", "1 head(s) are placeholders"]
    cfg.write_text("sites:\n  - {id: a, name: A, url: 'https://a.example.go.id/'}\n")
    assert run_cli("--config", str(cfg), "check-config").stdout.splitlines()[1:] == [
        "0 site(s) unverified", "0 head(s) are placeholders"]


def test_check_config_reports_each_problem_on_one_line_and_exits_2(tmp_path):
    bad = tmp_path / "sites.yaml"
    bad.write_text("timezone: Asia/Medan\ncrawl: {delai_s: 1}\nsites:\n  - id: a\n    name: A\n    url: nope\n")
    r = run_cli("--config", str(bad), "check-config")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert lines == [
        f"{bad}:1: timezone: is not a known time zone (e.g. Asia/Jakarta) (got \"Asia/Medan\")",
        f"{bad}:2: crawl.delai_s: unknown key (did you mean delay_s?)",
        f"{bad}:6: sites[0].url: must be an http:// or https:// URL with a host name (got \"nope\")",
    ]
    assert "Traceback" not in r.stderr


def test_missing_config_and_bad_database_are_one_line_errors(tmp_path):
    r = run_cli("--config", str(tmp_path / "nope.yaml"), "status")
    assert r.returncode == 2 and r.stderr.strip() == f"{tmp_path / 'nope.yaml'}: file not found"
    cfg = tmp_path / "sites.yaml"
    cfg.write_text("sites: [{id: a, name: A, url: 'http://a.example.go.id/'}]\n")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 200)
    r = run_cli("--config", str(cfg), "--db", str(junk), "status")
    assert r.returncode == 1 and r.stderr.startswith("Error: database") and "Traceback" not in r.stderr
    r = run_cli("--as-of", "28-11-2026", "status")
    assert r.returncode == 2 and "--as-of must be a date as YYYY-MM-DD" in r.stderr


def test_status_json_lists_never_crawled_sites_with_nulls(tmp_path):
    cfg = tmp_path / "sites.yaml"
    cfg.write_text("sites:\n  - {id: b, name: B, url: 'http://b.example.go.id/'}\n"
                   "  - {id: a, name: A, url: 'http://a.example.go.id/'}\n"
                   "  - {id: c, name: C, url: 'http://c.example.go.id/', enabled: false}\n")
    from base import store

    store.open_db(tmp_path / "x.db").conn.close()  # a database with no crawl yet (a missing one is an error)
    r = run_cli("--config", str(cfg), "--db", str(tmp_path / "x.db"), "status", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [x["site"] for x in rows] == ["b", "a"]
    assert rows[0]["status"] is None and rows[0]["last_update"] is None and rows[0]["found"] == {}
    assert rows[0]["score"] is None and rows[0]["completeness"] is None  # unknown, not 0


def test_inspect_a_saved_page(tmp_path):
    label = json.loads((DATES / "labels.jsonl").read_text().splitlines()[0])
    r = run_cli("--as-of", label["as_of"], "--config", str(tmp_path / "none.yaml"), "inspect",
                str(DATES / label["file"]), "--url", label["url"], "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["published"] == label["published"]
    assert {"published", "modified", "dates", "checklist", "spam"} <= set(out)
    assert all({"date", "source", "text", "rejected"} <= set(d) for d in out["dates"])


def test_inspect_batch_echoes_file_and_url_and_flags_bad_lines(tmp_path):
    labels = [json.loads(x) for x in (DATES / "labels.jsonl").read_text().splitlines()[:3]]
    lst = tmp_path / "list.jsonl"
    lines = [json.dumps({"file": str(DATES / x["file"]), "url": x["url"]}) for x in labels]
    lines += [json.dumps({"file": "missing.html", "url": "http://x.go.id/"}), "not json"]
    lst.write_text("\n".join(lines) + "\n")
    r = run_cli("--as-of", AS_OF.isoformat(), "inspect", "--batch", str(lst))
    assert r.returncode == 1
    outs = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(outs) == 5
    for out, x in zip(outs, labels):
        assert out["url"] == x["url"] and out["file"].endswith(x["file"]) and out["published"] == x["published"]
    assert outs[3]["file"] == "missing.html" and "cannot read" in outs[3]["error"]
    assert "error" in outs[4]


def test_inspect_text_output_makes_hostile_text_inert(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><head><title>x</title></head><body><h1>Berita</h1>"
                    "<p class='date'>Jumat, 20 November 2026 \x1b[31mRED\x1b[0m</p></body></html>")
    r = run_cli("--as-of", AS_OF.isoformat(), "inspect", str(page), "--url", "http://x.go.id/berita/1")
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout


def test_a_broken_checklist_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "sites.yaml").write_text("sites:\n  - id: a\n    name: A\n    url: http://127.0.0.1:9/\n")
    (tmp_path / "checklist.yaml").write_text("items:\n  - id: Bad Id\n")
    r = run_cli("--config", str(tmp_path / "sites.yaml"), "check-config")
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert re.match(r"^\S*checklist\.yaml:\d+: ", r.stderr), r.stderr


def test_a_host_name_without_scheme_is_told_to_add_one_and_nothing_is_fetched(tmp_path):
    r = run_cli("inspect", "dinkes.tanjungsari.go.id", cwd=tmp_path)
    assert r.returncode == 2 and "ronda inspect https://dinkes.tanjungsari.go.id" in r.stderr, r.stderr
    assert "needs --url" not in r.stderr


def test_a_global_option_after_the_command_gets_a_hint(tmp_path):
    r = run_cli("check-config", "--config", "x.yaml", cwd=tmp_path)
    assert r.returncode == 2
    assert "global options go before the command: ronda --config ... check-config" in r.stderr, r.stderr
