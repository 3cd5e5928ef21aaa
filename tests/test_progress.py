"""A crawl on a terminal shows per-site progress; under cron it is silent; a site's failing requests are its answer.

Real crawls of the simulated web through the CLI, with stderr on a pseudo-terminal (pty) or on a pipe.
"""
from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest
import yaml

from conftest import AS_OF, redis_server

PROGRESS = re.compile(r"^(\d+)/(\d+) sites done(?: · (\d+) crawling · slowest now: (\S+) \((\d+) s\))?$")
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d (debug|info|warning|error) ")


@pytest.fixture(scope="module")
def sites(simweb):
    """The ids of the site answering 500, the slow one (1-1.8 s a request) and a healthy one."""
    truth = simweb.truth()
    failing = next(sid for sid, t in truth.items() if t["reason"] == "http_5xx")
    slow = next(s.id for s in simweb.sites if s.kind == "slow")
    healthy = next(sid for sid, t in truth.items() if t["status"] == "active" and sid != slow)
    return {"failing": failing, "slow": slow, "healthy": healthy}


def _config(simweb, folder, **crawl) -> str:
    path = folder / "sites.yaml"
    path.write_text(simweb.config_yaml(delay_s=0, timeout_s=10, retries=2, max_pages=8, **crawl), encoding="utf-8")
    return str(path)


def _crawl(config: str, db, sites: dict, *extra: str, tty: bool, command: str = "crawl") -> tuple[int, str, str]:
    """`ronda crawl` of the three sites with stderr on a pty (a terminal) or a pipe (cron); (code, stdout, stderr)."""
    cmd = [sys.executable, "-m", "ronda.cli", "--config", config, "--db", str(db), "--as-of", AS_OF.isoformat(),
           command, *extra, *(a for s in sites.values() for a in ("--site", s))]
    if not tty:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
        return r.returncode, r.stdout, r.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    err = b""
    end = time.monotonic() + 240
    try:
        while time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:   # EIO: every writer closed the terminal
                    break
                if not chunk:
                    break
                err += chunk
            elif proc.poll() is not None:
                break
        out = proc.stdout.read().decode()
        return proc.wait(timeout=30), out, err.decode()
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()


def _screen_rows(raw: str) -> list[str]:
    """What a terminal shows of each row: `\\r` returns to the row's start and `ESC[K` clears it."""
    return [row.split("\r")[-1].replace("\x1b[K", "") for row in raw.replace("\r\n", "\n").split("\n")]


def _progress_states(raw: str) -> list[re.Match]:
    """Every progress line drawn, in order (each draw starts with `\\r ESC[K`)."""
    draws = [part.split("\r\n")[0].split("\n")[0] for part in raw.split("\r\x1b[K")[1:]]
    return [m for m in map(PROGRESS.match, draws) if m]


def _failing_info(failing: str) -> re.Pattern:
    return re.compile(rf"^\S+ info +run=\d+ stage=crawl site={failing} http://127\.0\.0\.1:\d+/\S* failed 3 times "
                      rf"\(500 Internal Server Error\); recorded as the site's answer$", re.M)


@pytest.fixture(scope="module")
def on_cron(simweb, sites, tmp_path_factory):
    """The crawl as cron runs it: stderr a file, not a terminal."""
    d = tmp_path_factory.mktemp("cron")
    return _crawl(_config(simweb, d), d / "r.db", sites, tty=False)


@pytest.fixture(scope="module")
def on_terminal(simweb, sites, tmp_path_factory):
    d = tmp_path_factory.mktemp("terminal")
    return _crawl(_config(simweb, d), d / "r.db", sites, tty=True)


def test_a_site_answering_500_is_an_info_line_naming_it_not_an_error_with_a_port(on_cron, sites):
    code, out, err = on_cron
    assert code == 0, err
    assert _failing_info(sites["failing"]).search(err), err
    assert "Gave up retrying" not in err and "ERROR" not in err and " error " not in err, err


def test_under_cron_there_is_no_progress_line(on_cron):
    code, out, err = on_cron
    assert code == 0 and "3 site(s)" in out, err
    assert "sites done" not in err and "slowest now" not in err and "\r" not in err, err


def test_on_a_terminal_the_progress_line_counts_sites_and_names_the_slowest(on_terminal, sites):
    code, out, err = on_terminal
    assert code == 0, err
    states = _progress_states(err)
    assert states, err
    done = [int(m.group(1)) for m in states]
    assert {int(m.group(2)) for m in states} == {3}
    assert done == sorted(done) and done[0] == 0 and done[-1] == 3, done
    running = [m for m in states if m.group(4)]
    assert running and all(m.group(4) in sites.values() for m in running)
    # The slow site (1-1.8 s a request) is the last one crawling, and its time so far keeps counting.
    last = [m for m in running if int(m.group(1)) == 2]
    assert last and {m.group(4) for m in last} == {sites["slow"]}, [m.group(0) for m in running]
    assert max(int(m.group(5)) for m in last) >= 2, [m.group(0) for m in last]


def test_on_a_terminal_log_lines_go_above_the_progress_line_not_into_it(on_terminal, sites):
    code, out, err = on_terminal
    rows = [r for r in _screen_rows(err) if r.strip()]
    assert _failing_info(sites["failing"]).search("\n".join(rows)), rows
    assert "Gave up retrying" not in err
    for row in rows:
        assert LOG_LINE.match(row) or PROGRESS.match(row), row   # nothing glued to the progress line


def test_quiet_on_a_terminal_shows_neither_progress_nor_info_lines(simweb, sites, tmp_path):
    code, out, err = _crawl(_config(simweb, tmp_path), tmp_path / "r.db", sites, "--quiet", tty=True)
    assert code == 0, err
    assert "sites done" not in err and " info " not in err, err
    assert "3 site(s)" in out


def test_the_nightly_job_on_a_terminal_shows_the_progress_line_too(simweb, sites, tmp_path):
    path = tmp_path / "sites.yaml"
    chosen = set(sites.values())
    cfg = yaml.safe_load(simweb.config_yaml(delay_s=0, timeout_s=10, retries=2, max_pages=8))
    cfg["sites"] = [s for s in cfg["sites"] if s["id"] in chosen]   # `ronda run` crawls every enabled site
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    code, out, err = _crawl(str(path), tmp_path / "r.db", {}, "--no-report", tty=True, command="run")
    assert code == 0, err
    states = _progress_states(err)
    assert states and states[-1].group(0) == "3/3 sites done", err
    assert any(m.group(4) == sites["slow"] for m in states)


def test_distributed_crawl_shows_the_same_progress_on_a_terminal(simweb, sites, tmp_path):
    with redis_server() as url:
        config = _config(simweb, tmp_path, frontier=url)
        code, out, err = _crawl(config, tmp_path / "r.db", sites, "--workers", "1", tty=True)
    assert code == 0, err
    states = _progress_states(err)
    assert states and states[-1].group(0) == "3/3 sites done", err
    assert any(m.group(4) == sites["slow"] for m in states), [m.group(0) for m in states]
    rows = [r for r in _screen_rows(err) if r.strip()]
    assert _failing_info(sites["failing"]).search("\n".join(rows)), rows   # the worker's lines come through too
    assert "Gave up retrying" not in err
