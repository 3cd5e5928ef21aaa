"""Named hosts under a test domain (Host-header routing): the Pemda's portal and the subdomains nobody watches.

With `SimWeb(..., domain="pemda.test")` every OPD site is also named `<id>.<domain>` (on its own port), and one
more server on 127.0.0.1 answers by Host header:
- `<domain>` redirects to `www.<domain>` (the "redirect to www." case), the portal: a home page and a directory
  page listing the OPD sites (all but one, which the portal no longer lists) and the JDIH;
- `ppdb.<domain>`: a forgotten CodeIgniter app whose sitemap lists gambling doorways (attack pages of attacks.py);
- `jdih.<domain>`: a clean Joomla site nobody configured;
- `sisada.<domain>`: an app that no longer answers (the connection is dropped);
- `cctv.<domain>` is named in the CT export and resolves to 127.0.0.9, a loopback address of no configured
  site: a monitor must list it "not probed"; a canary there records any request that reaches it.
No name here is ever looked up in DNS: the config written for them maps each one in `resolve:`.
"""
from __future__ import annotations

import json
import random
import re
import threading
from datetime import date, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import attacks
from .model import SimSite, data

CANARY_ADDRESS = "127.0.0.9"   # loopback, and no configured site's


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = 15

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: the hits list is the log."""

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=UTF-8",
              headers: dict[str, str] | None = None, send_body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class _Handler(_Quiet):
    def do_GET(self) -> None:
        """GET."""
        self.server.named.answer(self, send_body=True)  # type: ignore[attr-defined]

    def do_HEAD(self) -> None:
        """HEAD."""
        self.server.named.answer(self, send_body=False)  # type: ignore[attr-defined]


class _CanaryHandler(_Quiet):
    def do_GET(self) -> None:
        """Record, answer anything."""
        self.server.named.record("canary", self)  # type: ignore[attr-defined]
        self._send(200, b"canary\n", "text/plain")

    do_HEAD = do_GET


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], handler: type, named: "NamedHosts") -> None:
        self.named = named
        super().__init__(addr, handler)


class NamedHosts:
    """The named-host server and the loopback canary of one SimWeb."""

    def __init__(self, domain: str, sites: list[SimSite], seed: int, base: date, host: str = "127.0.0.1"):
        self.domain, self.sites, self.host, self.base = domain.lower(), sites, host, base
        self.unlisted = sites[-1].id if sites else None      # an OPD the portal's directory no longer lists
        self.attack = _doorway(seed, base)
        self._hits: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._servers: list[_Server] = []
        self.port = self.canary_port = 0

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> "NamedHosts":
        """Listen on 127.0.0.1 (named hosts) and on the canary address."""
        main = _Server((self.host, 0), _Handler, self)
        canary = _Server((CANARY_ADDRESS, 0), _CanaryHandler, self)
        self.port, self.canary_port = main.server_address[1], canary.server_address[1]
        for srv in (main, canary):
            self._servers.append(srv)
            threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True,
                             name="simweb-named").start()
        return self

    def stop(self) -> None:
        """Stop both servers."""
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()
        self._servers.clear()

    # -- what the tests and the demo read --------------------------------------------------------

    def name(self, label: str = "") -> str:
        """`label.<domain>` (the domain itself for "")."""
        return f"{label}.{self.domain}" if label else self.domain

    def hits(self, host: str) -> list[dict[str, Any]]:
        """Requests received for a host name ("canary": at the canary address, whatever the name)."""
        with self._lock:
            return [dict(h) for h in self._hits.get(host, [])]

    def truth(self) -> dict[str, Any]:
        """What a correct discovery concludes: the unconfigured hosts and their state, and the unlisted site."""
        return {"hosts": {self.name("ppdb"): "hacked", self.name("jdih"): "up", self.name("sisada"): "down",
                          self.name("cctv"): "not_probed"},
                "unlisted": [self.unlisted] if self.unlisted else []}

    def config(self, doc: dict[str, Any]) -> dict[str, Any]:
        """A sites.yaml document made to use the names: domain, portal, resolve map, and the portal as a site."""
        here = f"{self.host}:{self.port}"
        resolve = {self.name(s.id): self.host for s in self.sites}
        resolve.update({self.name(x): here for x in ("", "www", "ppdb", "jdih", "sisada")})
        resolve[self.name("cctv")] = f"{CANARY_ADDRESS}:{self.canary_port}"
        portal = {"id": "portal", "name": "Portal Resmi Pemerintah Kota", "url": f"http://{self.domain}/",
                  "category": "portal"}
        return {**doc, "domain": self.domain, "portal": f"http://{self.name('www')}/direktori",
                "resolve": resolve, "sites": [*doc["sites"], portal]}

    def ct_json(self) -> str:
        """A certificate-transparency export as crt.sh's JSON output gives it (names may repeat, wildcards)."""
        names = [(self.domain, f"{self.domain}\n{self.name('www')}"), (f"*.{self.domain}", f"*.{self.domain}"),
                 (self.name("ppdb"), self.name("ppdb")), (self.name("sisada"), self.name("sisada")),
                 (self.name("cctv"), self.name("cctv")), (self.name("jdih").upper(), self.name("jdih").upper()),
                 *[(self.name(s.id), self.name(s.id)) for s in self.sites[:3]],
                 ("mail.siantar.example", "mail.siantar.example")]
        rows = []
        for i, (cn, nv) in enumerate(names):
            rows.append({"issuer_ca_id": 295815, "issuer_name": "C=US, O=Let's Encrypt, CN=R10", "common_name": cn,
                         "name_value": nv, "id": 15000000000 + i, "entry_timestamp": "2026-03-01T08:00:00.000",
                         "not_before": "2026-03-01T07:00:00", "not_after": "2026-05-30T07:00:00",
                         "serial_number": f"04{i:034x}", "result_count": 2})
        return json.dumps(rows, indent=1)

    # -- serving --------------------------------------------------------------------------------

    def record(self, host: str, h: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self._hits.setdefault(host, []).append({"method": h.command, "path": h.path,
                                                    "user_agent": h.headers.get("User-Agent")})

    def answer(self, h: _Quiet, send_body: bool) -> None:
        host = (h.headers.get("Host") or "").split(":", 1)[0].lower().rstrip(".")
        self.record(host, h)
        path = h.path.split("?", 1)[0]
        if host == self.domain:
            h._send(301, b"", headers={"Location": f"http://{self.name('www')}{h.path}"}, send_body=send_body)
        elif host == self.name("sisada"):
            h.close_connection = True       # the app is gone: the server hangs up without an answer
        elif host == self.name("www"):
            self._portal(h, path, send_body)
        elif host == self.name("ppdb"):
            self._ppdb(h, path, send_body)
        elif host == self.name("jdih"):
            self._jdih(h, path, send_body)
        else:
            h._send(404, b"<h1>Not Found</h1>", send_body=send_body)

    def _page(self, title: str, body: str, head: str = "") -> bytes:
        return (f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"><title>{escape(title)}</title>{head}'
                f"</head>\n<body>{body}</body></html>\n").encode("utf-8")

    def _portal(self, h: _Quiet, path: str, send_body: bool) -> None:
        org = data()["organization"]
        cookie = {"Set-Cookie": "laravel_session=eyJpdiI6InNpbXdlYiJ9; path=/; httponly"}
        if path == "/":
            body = (f"<h1>{escape(org)}</h1><nav><a href=\"/direktori\">Direktori Kota</a> "
                    f"<a href=\"http://{self.name('ppdb')}/\">PPDB Online</a></nav>"
                    "<p>Selamat datang di portal resmi pemerintah kota.</p>")
            h._send(200, self._page(f"Portal Resmi {org}", body), headers=cookie, send_body=send_body)
        elif path == "/direktori":
            rows = [(s.name, s.url) for s in self.sites if s.id != self.unlisted]
            rows.append(("Jaringan Dokumentasi dan Informasi Hukum", f"http://{self.name('jdih')}/"))
            cells = "".join(f"<tr><td>{escape(n)}</td><td><a href=\"{escape(u)}\">{escape(u)}</a></td></tr>"
                            for n, u in rows)
            body = f"<h1>Direktori Kota</h1><h2>Informasi Dinas Terkait</h2><table>{cells}</table>"
            h._send(200, self._page("Direktori Kota", body), headers=cookie, send_body=send_body)
        elif path == "/robots.txt":
            h._send(200, f"User-agent: *\nDisallow:\nSitemap: http://{self.name('www')}/sitemap.xml\n".encode(),
                    "text/plain", send_body=send_body)
        elif path == "/sitemap.xml":
            h._send(200, _sitemap([f"http://{self.name('www')}{p}" for p in ("/", "/direktori")]),
                    "application/xml", send_body=send_body)
        else:
            h._send(404, self._page("404", "<h1>Halaman tidak ditemukan</h1>"), send_body=send_body)

    def _ppdb(self, h: _Quiet, path: str, send_body: bool) -> None:
        doors = self.doorway_paths()
        if path == "/":
            body = ("<div class=\"login\"><h1>PPDB Online 2019</h1><form action=\"/auth/login\" method=\"post\">"
                    "<input name=\"nisn\"><input name=\"password\" type=\"password\"><button>Masuk</button></form>"
                    "<p>Pendaftaran telah ditutup.</p></div>")
            h._send(200, self._page("PPDB Online 2019", body),
                    headers={"Set-Cookie": "ci_session=a1b2c3d4e5; path=/; HttpOnly"}, send_body=send_body)
        elif path == "/robots.txt":
            h._send(200, f"User-agent: *\nDisallow: /application/\nSitemap: http://{self.name('ppdb')}/sitemap.xml\n"
                    .encode(), "text/plain", send_body=send_body)
        elif path == "/sitemap.xml":
            urls = [f"http://{self.name('ppdb')}{p}" for p in ("/", "/pengumuman", *doors)]
            h._send(200, _sitemap(urls), "application/xml", send_body=send_body)
        elif path in doors:
            h._send(200, attacks.spam_landing(self.attack, self.base), send_body=send_body)
        else:
            h._send(404, self._page("404 Page Not Found", "<h1>404 Page Not Found</h1>"), send_body=send_body)

    def doorway_paths(self) -> list[str]:
        """The doorway pages an uploader script left on the forgotten app (injected-path shapes of attacks)."""
        a = self.attack
        slug = re.sub(r"[^a-z0-9]+", "-", a.heading.lower()).strip("-")
        shapes = data()["attacks"]["injected_paths"]["custom"]
        return [s.format(y=2025, m="08", brand=a.brand, slug=slug) for s in shapes]

    def _jdih(self, h: _Quiet, path: str, send_body: bool) -> None:
        if path != "/":
            h._send(404, self._page("404", "<h1>404</h1>"), send_body=send_body)
            return
        head = ('<meta name="generator" content="Joomla! - Open Source Content Management">'
                '<script src="/media/jui/js/jquery.min.js"></script>')
        body = "<h1>JDIH Kota</h1><p>Jaringan Dokumentasi dan Informasi Hukum: peraturan daerah dan peraturan wali kota.</p>"
        h._send(200, self._page("JDIH Kota", body, head), send_body=send_body)


def _sitemap(urls: list[str]) -> bytes:
    locs = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{locs}</urlset>\n").encode("utf-8")


def _doorway(seed: int, base: date) -> attacks.Attack:
    """The gambling doorway on the forgotten app: a spam_page attack drawn like a site's (own rng)."""
    a = data()["attacks"]
    rng = random.Random(f"simweb-named-doorway:{seed}:{base.isoformat()}")
    brand = attacks._brand(rng)
    domain = rng.choice(a["domain_shapes"]).format(brand=brand)
    att = attacks.Attack("spam_page", since=base - timedelta(days=90), brand=brand, domain=domain)
    att.title = attacks._fill(rng.choice(a["spam_titles"]), brand, year=base.year)
    att.heading = attacks._fill(rng.choice(a["spam_headings"]), brand)
    att.sentences = [attacks._fill(s, brand) for s in rng.sample(a["spam_sentences"], 5)]
    att.anchors = [(attacks._fill(lab, brand), f"https://{domain}/daftar") for lab in rng.sample(a["spam_anchors"], 4)]
    return att
