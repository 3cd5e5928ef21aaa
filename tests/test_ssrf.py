"""No SSRF: forbidden addresses and schemes are never fetched, whatever redirect, sitemap or link leads there."""
from __future__ import annotations

import sqlite3

import pytest

from crawler.middlewares import AddressGuard, forbidden_ip
from hostileweb.server import HostileWeb

from conftest import AS_OF, run_cli, status_json


@pytest.mark.parametrize("address", [
    "0.0.0.0", "127.0.0.1", "127.8.9.10", "10.1.2.3", "100.64.0.1", "100.127.255.254", "172.16.0.1", "172.31.255.255",
    "192.168.1.1", "169.254.169.254", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "::ffff:127.0.0.1",
    "::ffff:169.254.169.254", "::ffff:10.0.0.1", "2002:7f00:1::", "[::1]", "fe80::1%eth0",
])
def test_forbidden_addresses(address):
    assert forbidden_ip(address)


@pytest.mark.parametrize("address", ["103.10.20.30", "8.8.8.8", "100.63.255.255", "172.32.0.1", "2001:db8::1",
                                     "2400:cb00::1", "::ffff:103.10.20.30"])
def test_public_addresses_are_allowed(address):
    assert not forbidden_ip(address)


def test_only_a_configured_sites_own_address_and_port_are_allowed():
    g = AddressGuard(["http://127.0.0.1:8001/", "https://dinkes.example.go.id/"])
    assert g.allows("127.0.0.1", "127.0.0.1", 8001)
    assert not g.allows("127.0.0.1", "127.0.0.1", 8002)
    assert g.check_url("http://127.0.0.1:8002/") is not None and g.was_refused("http://127.0.0.1:8002/x")
    assert g.check_url("http://169.254.169.254/latest/meta-data/") is not None
    assert g.check_url("file:///etc/passwd") is not None and g.check_url("ftp://127.0.0.1:8001/") is not None
    assert g.check_url("http://127.0.0.1:8001/berita") is None
    # A configured name that resolves to a private address is allowed at its own port only.
    assert g.allows("dinkes.example.go.id", "10.0.0.5", 443)
    assert g.allows("lain.example.go.id", "10.0.0.5", 443)  # the same address and port, reached by another name
    assert not g.allows("lain.example.go.id", "10.0.0.5", 80)
    assert g.allows("berita.example.go.id", "103.10.20.30", 80)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    d = tmp_path_factory.mktemp("ssrf")
    with HostileWeb(only=["ssrf-meta", "ssrf-lokal"]) as web:
        cfg = d / "sites.yaml"
        cfg.write_text(web.config_yaml(timeout_s=5, retries=0), encoding="utf-8")
        r = run_cli("--config", str(cfg), "--db", str(d / "r.db"), "--as-of", AS_OF.isoformat(), "crawl", "--quiet")
        rows = {v["site"]: v for v in status_json(cfg, d / "r.db")}
        canary = web.hits("canary")
        port = web.canary_port
    db = sqlite3.connect(d / "r.db")
    db.row_factory = sqlite3.Row
    return {"result": r, "rows": rows, "canary": canary, "port": port,
            "pages": [dict(p) for p in db.execute("SELECT * FROM pages")]}


def test_no_request_reached_the_second_loopback_port(crawled):
    assert crawled["result"].returncode == 0, crawled["result"].stderr[-2000:]
    assert crawled["canary"] == []


def test_redirect_to_the_metadata_path_is_refused_not_fetched(crawled):
    # The hostile home redirects to the canary (loopback, a port no site has), never to a real metadata
    # address: the same guard decision, and a regression stays on this machine and shows in the canary.
    v = crawled["rows"]["ssrf-meta"]
    assert v["status"] == "down" and v["reason"] == "blocked_address"
    target = f"http://127.0.0.1:{crawled['port']}/latest/meta-data/"
    meta = [p for p in crawled["pages"] if p["site_id"] == "ssrf-meta" and p["final_url"] == target]
    assert meta and all(p["status"] is None and p["error"].startswith("blocked_address") for p in meta), \
        [(p["url"], p["final_url"], p["error"]) for p in crawled["pages"] if p["site_id"] == "ssrf-meta"]
    assert crawled["canary"] == []


@pytest.mark.parametrize("hop,how", [("/keluar-1", "literal loopback"), ("/keluar-2", "name resolving to loopback"),
                                     ("/keluar-3", "IPv4-mapped IPv6"), ("/keluar-4", "file: scheme"),
                                     ("/keluar-5", "ftp: scheme"), ("/keluar-6", "decimal address"),
                                     ("/keluar-7", "metadata path on the unlisted port")])
def test_each_redirect_out_of_the_site_is_recorded_as_blocked(crawled, hop, how):
    facts = [p for p in crawled["pages"] if p["site_id"] == "ssrf-lokal" and p["url"].endswith(hop)]
    assert facts, how
    assert all(p["status"] is None and p["error"].startswith("blocked_address") for p in facts), (how, facts)


def test_the_site_itself_is_still_crawled(crawled):
    v = crawled["rows"]["ssrf-lokal"]
    assert v["status"] != "down" and v["pages"] >= 2


def test_a_name_under_invalid_is_answered_without_asking_dns():
    # RFC 6761: tests use such names for "no such host"; no DNS query may leave the machine for them.
    from crawler.middlewares import GuardedResolver

    class Recorder:
        def __init__(self):
            self.calls, self.events = [], []

        def resolveHostName(self, *args, **kwargs):
            self.calls.append(args)

        def resolutionBegan(self, resolution):
            self.events.append("began")

        def addressResolved(self, address):
            self.events.append(address)

        def resolutionComplete(self):
            self.events.append("complete")

    system = Recorder()
    reactor = type("Reactor", (), {"nameResolver": system})()
    resolver = GuardedResolver(reactor, process=None)
    receiver = Recorder()
    resolver.resolveHostName(receiver, "situs-tidak-ada.INVALID.", 80)
    assert system.calls == [] and receiver.events == ["began", "complete"]
    resolver.resolveHostName(Recorder(), "dinas.example.go.id", 80)
    assert len(system.calls) == 1   # any other name goes to the system resolver
