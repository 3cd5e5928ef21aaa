"""`ronda sites verify|discover` and the `resolve:` map, through the CLI against the simulated web's named hosts."""
from __future__ import annotations

import json
import sqlite3

import pytest
import yaml

from base import config as ronda_config
from crawler.middlewares import AddressGuard, GuardedResolver
from crawler.survey import Surveyor, doorways
from ronda.sites import read_ct
from simweb.server import SimWeb

from conftest import AS_OF, run_cli

DOMAIN = "pemda.test"


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    """A small simulated city under pemda.test, one `ronda run --report` on it (discovery included)."""
    d = tmp_path_factory.mktemp("sites")
    with SimWeb(as_of=AS_OF, seed=0, n_sites=8, domain=DOMAIN) as web:
        cfg = d / "sites.yaml"
        cfg.write_text(web.config_yaml(delay_s=0, timeout_s=10, retries=0, max_pages=15), encoding="utf-8")
        ct = d / "ct.json"
        ct.write_text(web.named.ct_json(), encoding="utf-8")
        base = ["--config", str(cfg), "--db", str(d / "r.db"), "--as-of", AS_OF.isoformat()]
        night = run_cli(*base, "run", "--quiet", "--report")
        yield {"web": web, "cfg": cfg, "ct": ct, "base": base, "db": d / "r.db", "dir": d, "night": night}


def _discover(named, *extra):
    return run_cli(*named["base"], "sites", "discover", "--ct", str(named["ct"]), *extra)


def test_the_crawl_reaches_named_hosts_through_the_resolve_map(named):
    assert named["night"].returncode == 0, named["night"].stderr
    db = sqlite3.connect(named["db"])
    rows = {r[0]: r[1:] for r in db.execute("SELECT site_id, state, home_final_url, link_hosts FROM site_runs")}
    web = named["web"]
    for s in web.sites:
        if s.kind in ("normal", "fresh"):
            assert rows[s.id][0] == "up", s.id
            assert rows[s.id][1].startswith(f"http://{s.id}.{DOMAIN}:"), rows[s.id]
    # the portal (the apex, redirecting to www.) was crawled, and its links' hosts were recorded
    assert rows["portal"][0] == "up" and rows["portal"][1] == f"http://www.{DOMAIN}/"
    assert f"ppdb.{DOMAIN}" in json.loads(rows["portal"][2])
    assert web.named.hits(f"www.{DOMAIN}"), "the portal got no request"


def test_discover_lists_exactly_the_unconfigured_subdomains_hacked_first(named):
    r = _discover(named, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    truth = named["web"].named.truth()
    assert {h["host"]: h["state"] for h in out["hosts"]} == truth["hosts"]
    first = out["hosts"][0]
    assert first["host"] == f"ppdb.{DOMAIN}" and first["state"] == "hacked"
    assert first["cms"] == "CodeIgniter"
    sitemap = [f for f in first["integrity"]["findings"] if f["where"] == "sitemap"]
    assert sitemap and sitemap[0]["kind"] == "doorway" and sitemap[0]["page"] == "spam_page"
    assert "crawl" in first["sources"] and "ct" in first["sources"]
    jdih = next(h for h in out["hosts"] if h["host"] == f"jdih.{DOMAIN}")
    assert jdih["cms"] == "Joomla" and "portal" in jdih["sources"]
    assert [u["site"] for u in out["unlisted"]] == truth["unlisted"]
    text = _discover(named).stdout.splitlines()
    rows = [ln for ln in text if ln.endswith(DOMAIN) or f".{DOMAIN} " in ln]
    assert rows[0].startswith(f"ppdb.{DOMAIN}") and " HACKED " in rows[0]
    assert any(ln.startswith(f"cctv.{DOMAIN}") and "not probed" in ln for ln in rows)


def test_the_not_probed_name_is_never_requested(named):
    _discover(named)
    web = named["web"].named
    # cctv.pemda.test resolves (resolve: map) to 127.0.0.9, a loopback address of no configured site
    assert web.hits("canary") == []
    assert web.hits(f"cctv.{DOMAIN}") == []
    assert web.hits(f"sisada.{DOMAIN}"), "the app that no longer answers was never tried"


def test_discovery_is_stored_and_the_report_shows_it_hacked_first(named):
    db = sqlite3.connect(named["db"])
    # `ronda run --report` discovered without the CT export: the crawl's and the portal's hosts
    rows = dict(db.execute("SELECT host, state FROM discoveries WHERE as_of = ?", [AS_OF.isoformat()]))
    assert rows.get(f"ppdb.{DOMAIN}") == "hacked" and rows.get(f"jdih.{DOMAIN}") == "up"
    assert _discover(named).returncode == 0
    out = named["dir"] / "laporan-test"
    week = f"{AS_OF.isocalendar().year}-W{AS_OF.isocalendar().week:02d}"   # the week of the night, not the last complete one
    r = run_cli(*named["base"], "report", "--week", week, "--out", str(out))
    assert r.returncode == 0, r.stderr
    html = (out / f"{week}.html").read_text(encoding="utf-8")
    section = html[html.index('id="subdomains"'):]
    section = section[:section.index("</div>")]
    assert "Subdomain yang belum dipantau (4)" in section
    assert section.index(f"ppdb.{DOMAIN}") < section.index(f"jdih.{DOMAIN}") < section.index(f"cctv.{DOMAIN}")
    assert "diretas" in section and "href" not in section.split("<ul>", 1)[1]   # no link to a doorway


def test_verify_reports_final_url_and_cms_of_each_site(named):
    r = run_cli(*named["base"], "sites", "verify", "--json")
    assert r.returncode == 0, r.stderr
    rows = {x["site"]: x for x in json.loads(r.stdout)}
    web = named["web"]
    for s in web.sites:
        if s.kind in ("normal", "fresh"):
            assert rows[s.id]["final_url"] == s.url and rows[s.id]["status"] == 200, s.id
            assert rows[s.id]["cms"] == ("WordPress" if s.cms == "wordpress" else None), s.id
            assert rows[s.id]["suggest"] is None
    down = next(s for s in web.sites if s.kind == "down")
    assert rows[down.id]["state"] == "down" and rows[down.id]["reason"] == "connect"
    portal = rows["portal"]
    assert [c["status"] for c in portal["chain"]] == [301, 200]
    assert portal["final_url"] == f"http://www.{DOMAIN}/" and portal["cms"] == "Laravel"
    assert portal["suggest"].startswith(f"url: http://www.{DOMAIN}/") and "www." in portal["suggest"]
    text = run_cli(*named["base"], "sites", "verify", "--site", "portal").stdout
    assert "Laravel" in text and f"portal: url: http://www.{DOMAIN}/" in text


def test_bad_usage_is_one_line_and_exit_2(named, tmp_path):
    r = run_cli(*named["base"], "sites", "verify", "--site", "nosuch")
    assert r.returncode == 2 and r.stderr.strip() == "Error: unknown or disabled site id: nosuch"
    bad = tmp_path / "ct.json"
    bad.write_text("<html>crt.sh is down</html>", encoding="utf-8")
    r = _discover({**named, "ct": bad})
    assert r.returncode == 2 and r.stderr.startswith("Error: ") and len(r.stderr.strip().splitlines()) == 1
    plain = tmp_path / "sites.yaml"
    doc = yaml.safe_load(named["cfg"].read_text(encoding="utf-8"))
    doc.pop("domain")
    plain.write_text(yaml.safe_dump(doc), encoding="utf-8")
    r = run_cli("--config", str(plain), "--db", str(tmp_path / "x.db"), "sites", "discover")
    assert r.returncode == 2 and "domain:" in r.stderr


def test_the_resolve_map_is_validated(tmp_path):
    cfg = tmp_path / "sites.yaml"
    cfg.write_text("resolve:\n  Bad_Name.test: 127.0.0.1\n  ok.test: not-an-address\n"
                   "sites:\n  - {id: a, name: A, url: 'http://ok.test/'}\n", encoding="utf-8")
    r = run_cli("--config", str(cfg), "check-config")
    assert r.returncode == 2 and "resolve" in r.stderr and "address[:port]" in r.stderr
    cfg.write_text("domain: pemda.test\nportal: http://www.pemda.test/direktori\n"
                   "resolve: {ok.test: '127.0.0.1:8080', v6.test: '[::1]'}\n"
                   "sites:\n  - {id: a, name: A, url: 'http://ok.test/'}\n", encoding="utf-8")
    loaded = ronda_config.load(cfg)
    assert loaded.resolve == {"ok.test": "127.0.0.1:8080", "v6.test": "[::1]"} and loaded.domain == "pemda.test"
    assert ronda_config.resolve_entry("[::1]:81") == ("::1", 81) and ronda_config.resolve_entry("1.2.3") is None


class _Receiver:
    def __init__(self):
        self.addresses, self.done = [], False

    def resolutionBegan(self, resolution):
        pass

    def addressResolved(self, address):
        self.addresses.append((address.host, address.port))

    def resolutionComplete(self):
        self.done = True


class _Process:
    """What GuardedResolver finds the guard on: a crawler whose spider has one."""

    def __init__(self, guard):
        self.crawlers = [type("C", (), {"spider": type("S", (), {"guard": guard})(),
                                        "stats": type("St", (), {"inc_value": lambda *a: None})()})()]


def test_the_crawl_resolver_answers_mapped_names_and_still_guards_them():
    guard = AddressGuard(["http://dinkes.pemda.test/"], {"dinkes.pemda.test": "127.0.0.1:8081",
                                                         "www.dinkes.pemda.test": "127.0.0.1:8081",
                                                         "cctv.pemda.test": "127.0.0.9:8082"})
    resolver = GuardedResolver(reactor=type("R", (), {"nameResolver": None})(), process=_Process(guard))
    got = {}
    for name in ("dinkes.pemda.test", "www.dinkes.pemda.test", "cctv.pemda.test"):
        rec = _Receiver()
        resolver.resolveHostName(rec, name, 80)   # mapped: answered at once, no DNS, no reactor
        assert rec.done
        got[name] = rec.addresses
    # the configured site goes to the mapped port; a name on the same server may follow (redirect to www.)
    assert got["dinkes.pemda.test"] == [("127.0.0.1", 8081)]
    assert got["www.dinkes.pemda.test"] == [("127.0.0.1", 8081)]
    # mapped, but loopback and no configured site's: refused like any private address
    assert got["cctv.pemda.test"] == [] and guard.was_refused("http://cctv.pemda.test/")


def test_an_unmapped_private_name_is_not_probed(named):
    web = named["web"].named
    guard = AddressGuard([s.url for s in named["web"].sites], {})
    sv = Surveyor(guard, "ronda-test", AS_OF, timeout=5, delay_s=0)
    # localhost resolves (hosts file) to loopback: with no map entry the SSRF rule holds
    r = sv.survey(f"http://localhost:{web.canary_port}/")
    assert r["state"] == "not_probed" and r["status"] is None
    assert web.hits("canary") == []


def test_ct_export_names_and_doorway_slugs(tmp_path):
    ct = tmp_path / "ct.json"
    ct.write_text(json.dumps([
        {"common_name": "pemda.test", "name_value": "pemda.test\nwww.pemda.test"},
        {"common_name": "*.pemda.test", "name_value": "*.pemda.test"},
        {"common_name": "PPID.Pemda.test", "name_value": "PPID.pemda.test"},
        {"common_name": "pemda.test.example", "name_value": "other.invalid"}]), encoding="utf-8")
    assert read_ct(ct, DOMAIN) == {"pemda.test", "www.pemda.test", "ppid.pemda.test"}
    assert doorways(["http://x.test/assets/-/rtp-slot/link-daftar-naga77/", "/berita/2024/06/pelantikan-camat",
                     "/application/", "http://x.test/wp-content/uploads/2024/05/kegiatan88.jpg"]) == \
        ["http://x.test/assets/-/rtp-slot/link-daftar-naga77/"]


def test_verify_reads_tls_through_the_resolve_map_with_the_names_sni(tmp_path):
    from datetime import datetime, timedelta, timezone
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    import ssl
    import threading

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    name = f"aman.{DOMAIN}"
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=40))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False).sign(key, hashes.SHA256()))
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    seen = {"sni": [], "host": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen["host"].append(self.headers.get("Host"))
            body = b"<html><head><title>Aman</title></head><body>ok</body></html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tmp_path / "c.pem")
    ctx.sni_callback = lambda sock, server_name, c: seen["sni"].append(server_name)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    cfg = tmp_path / "sites.yaml"
    cfg.write_text(f"crawl: {{delay_s: 0, timeout_s: 5}}\nresolve: {{{name}: '127.0.0.1'}}\n"
                   f"sites:\n  - {{id: aman, name: Aman, url: 'https://{name}:{port}/'}}\n", encoding="utf-8")
    try:
        r = run_cli("--config", str(cfg), "--db", str(tmp_path / "r.db"), "--as-of", AS_OF.isoformat(),
                    "sites", "verify", "--json")
    finally:
        srv.shutdown()
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)
    assert row["status"] == 200 and row["title"] == "Aman" and row["addresses"] == ["127.0.0.1"]
    assert row["tls"]["issuer"] == name and row["tls"]["error"] == "self_signed" and not row["tls"]["valid"]
    assert row["tls"]["not_after"] == (now + timedelta(days=40)).date().isoformat()
    assert seen["host"] == [f"{name}:{port}"] and name in seen["sni"]
