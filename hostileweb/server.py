"""Stdlib servers on 127.0.0.1, one port per scenario, each behaving like one broken or hostile OPD server."""
from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import yaml

from . import pages


@dataclass(frozen=True)
class Scenario:
    """One hostile site: what its server does and what ronda should make of it."""

    id: str
    title: str                   # the row name in the closing table
    expect_state: str            # up | down
    expect_reason: str | None = None
    scheme: str = "http"
    host: str | None = None      # None: served on 127.0.0.1; else a URL host that is never served
    slow: bool = False           # only served when asked for by name (it takes as long as it is allowed)


SCENARIOS: list[Scenario] = [
    Scenario("diam", "server that never answers", "down", "timeout"),
    Scenario("tetes", "drips one byte a second", "down", "timeout"),
    Scenario("putus", "connection reset mid-body", "down", "connect"),
    Scenario("raksasa", "200 MB body", "down", "too_large"),
    Scenario("bom-gzip", "gzip bomb (linked page)", "up"),
    Scenario("bom-deflate", "deflate bomb (home page)", "down", "too_large"),
    Scenario("putar", "redirect loop", "down", "redirect_loop"),
    Scenario("rantai", "30-hop redirect chain", "down", "redirect_loop"),
    Scenario("kalender", "endless calendar (/agenda?bulan=N+1)", "up"),
    Scenario("sesi", "session-id URLs", "up"),
    Scenario("peta-besar", "50,000-URL sitemap", "up"),
    Scenario("peta-diri", "sitemap index that includes itself", "up"),
    Scenario("robots-besar", "5 MB robots.txt", "up"),
    Scenario("robots-rusak", "erroring robots.txt", "up"),
    Scenario("tipe-salah", "wrong Content-Type", "up"),
    Scenario("tipe-hilang", "missing Content-Type", "up"),
    Scenario("cp1252", "declared UTF-8, really windows-1252", "up"),
    Scenario("bita-rusak", "invalid bytes", "up"),
    Scenario("bersarang", "deeply nested, unclosed HTML", "up"),
    Scenario("tanpa-host", "unresolvable host", "down", "dns", host="situs-tidak-ada.invalid"),
    Scenario("tls-rusak", "TLS handshake failure", "down", "tls_handshake", scheme="https"),
    Scenario("ssrf-meta", "home redirects to a metadata path on an unlisted loopback port", "down", "blocked_address"),
    Scenario("ssrf-lokal", "links and redirects into loopback/other schemes", "up"),
    Scenario("judul-jahat", "title with control characters, 1 MB long", "up"),
    # Not in the default night: it exists to be cut short by a small `max_minutes`.
    Scenario("lambat", "slow endless site (time budget)", "up", slow=True),
    Scenario("macet", "home answers, inner pages never do", "up", slow=True),
]
BY_ID = {s.id: s for s in SCENARIOS}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, web: "HostileWeb", site_id: str):
        self.web = web
        self.site_id = site_id
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up mid-response is the normal end of several scenarios.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def handle(self) -> None:
        if self.server.site_id == "tls-rusak":
            # Read the ClientHello, answer with bytes that are no TLS record, hang up.
            self.server.web._hit(self.server.site_id, "TLS", "/")
            self.connection.recv(4096)
            self.connection.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\nbukan TLS")
            return
        super().handle()

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        web = self.server.web
        sid = self.server.site_id
        web._hit(sid, self.command, self.path)
        handler = getattr(self, "_" + sid.replace("-", "_"), None)
        if handler is None:
            return self._canary()
        handler(urlsplit(self.path))

    # -- helpers ---------------------------------------------------------------------------

    def _send(self, body: bytes | str, status: int = 200, ctype: str | None = "text/html; charset=utf-8",
              headers: dict | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        if ctype is not None:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(b"", status, None, {"Location": location})

    def _plain(self, u, home: Callable[[], str], robots: str = "User-agent: *\nDisallow:\n") -> None:
        """The ordinary parts of a site: robots.txt, a home page, one news post, a profile page."""
        if u.path == "/robots.txt":
            return self._send(robots, ctype="text/plain")
        if u.path == "/":
            return self._send(home())
        if u.path == "/berita/rapat-koordinasi":
            return self._send(pages.NEWS)
        if u.path == "/profil/visi-misi":
            return self._send(pages.page("Visi dan Misi", "<p>Visi: pelayanan prima.</p>", [("/", "Beranda")]))
        return self._send(pages.page("Tidak ditemukan", "<p>404</p>"), status=404)

    def _wait_forever(self) -> None:
        self.server.web._stopping.wait(3600)

    # -- scenarios: each named after its site id -------------------------------------------

    def _canary(self) -> None:
        self._send(b"rahasia: metadata instance", ctype="text/plain")

    def _diam(self, u) -> None:
        if u.path == "/robots.txt":
            return self._send("User-agent: *\nDisallow:\n", ctype="text/plain")
        self._wait_forever()

    def _tetes(self, u) -> None:
        if u.path == "/robots.txt":
            return self._send("User-agent: *\nDisallow:\n", ctype="text/plain")
        data = (b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
                + pages.home("Dinas Tetes").encode())
        for b in data:
            if self.server.web._stopping.wait(1.0):
                return
            self.wfile.write(bytes([b]))
            self.wfile.flush()

    def _putus(self, u) -> None:
        if u.path == "/robots.txt":
            return self._send("User-agent: *\nDisallow:\n", ctype="text/plain")
        body = pages.home("Dinas Putus").encode()
        self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n" + body)
        self.wfile.flush()
        time.sleep(0.05)
        # SO_LINGER 0 turns close() into a TCP reset instead of an orderly end.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _raksasa(self, u) -> None:
        if u.path == "/robots.txt":
            return self._send("User-agent: *\nDisallow:\n", ctype="text/plain")
        # No Content-Length: the size shows only while reading, like a runaway script.
        self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>")
        chunk = b"<p>" + b"data " * 209_700 + b"</p>\n"   # ~1 MiB
        for _ in range(200):  # 200 MiB
            if self.server.web._stopping.is_set():
                return
            self.wfile.write(chunk)

    def _bom_gzip(self, u) -> None:
        if u.path == "/unduh/rekap":
            return self._send(pages.gzip_bomb(), headers={"Content-Encoding": "gzip"})
        self._plain(u, lambda: pages.home("Dinas Bom Gzip", [("/unduh/rekap", "Rekap data")]))

    def _bom_deflate(self, u) -> None:
        if u.path == "/":
            return self._send(pages.deflate_bomb(), headers={"Content-Encoding": "deflate"})
        self._plain(u, lambda: "")

    def _putar(self, u) -> None:
        if u.path == "/robots.txt":
            return self._send("User-agent: *\nDisallow:\n", ctype="text/plain")
        self._redirect("/putar" if u.path == "/" else "/")

    def _rantai(self, u) -> None:
        if u.path == "/robots.txt":
            return self._send("User-agent: *\nDisallow:\n", ctype="text/plain")
        hop = int(u.path.rsplit("/", 1)[-1]) if u.path.startswith("/hop/") else 0
        if hop < 30:
            return self._redirect(f"/hop/{hop + 1}", 301)
        self._send(pages.home("Dinas Rantai"))

    def _kalender(self, u) -> None:
        q = parse_qs(u.query)
        if u.path == "/agenda":
            return self._send(pages.calendar(int(q.get("bulan", ["1"])[0])))
        if u.path.startswith("/agenda/"):
            y, m = (int(x) for x in u.path.split("/")[2:4])
            return self._send(pages.calendar_path(y, m))
        if u.path == "/berita":
            return self._send(_news_list(int(q.get("hal", ["1"])[0])))
        if u.path.startswith("/berita/"):
            return self._send(pages.NEWS)
        self._plain(u, lambda: pages.home("Dinas Kalender", [("/agenda?bulan=11", "Agenda"), ("/berita?hal=1", "Arsip berita")]))

    def _sesi(self, u) -> None:
        # Every link carries a fresh session id: without normalisation each page is a new URL forever.
        n = self.server.web._next()
        sid = f"PHPSESSID={n:08x}"
        links = [(f"/berita/rapat-koordinasi?{sid}", "Berita"), (f"/profil/visi-misi;jsessionid={n:08X}", "Profil"),
                 (f"/?{sid}", "Beranda"), (f"/layanan?sid={n}", "Layanan")]
        if u.path == "/robots.txt":
            return self._send("User-agent: *\nDisallow:\n", ctype="text/plain")
        if u.path in ("/", "/layanan") or u.path.startswith("/profil/visi-misi"):
            return self._send(pages.page("Dinas Sesi", pages.HOME_BODY, links))
        if u.path == "/berita/rapat-koordinasi":
            return self._send(pages.page("Rapat koordinasi", "<p>Diposting pada 20 November 2026</p>", links))
        self._send("", 404)

    def _peta_besar(self, u) -> None:
        base = self.server.web.url(self.server.site_id).rstrip("/")
        if u.path == "/sitemap.xml":
            return self._send(_big_sitemap(base), ctype="application/xml")
        self._plain(u, lambda: pages.home("Dinas Peta Besar"), robots=f"User-agent: *\nDisallow:\nSitemap: {base}/sitemap.xml\n")

    def _peta_diri(self, u) -> None:
        base = self.server.web.url(self.server.site_id).rstrip("/")
        if u.path.startswith("/sitemap") and u.path.endswith(".xml"):
            # Includes itself, and each child names ten new children: endless unless capped.
            n = int(u.path[len("/sitemap"):-4].lstrip("-") or 0)
            kids = [f"{base}/sitemap.xml", f"{base}{u.path}"] + [f"{base}/sitemap-{n * 10 + k}.xml" for k in range(1, 11)]
            return self._send(pages.sitemap_index(kids), ctype="application/xml")
        self._plain(u, lambda: pages.home("Dinas Peta Diri"), robots=f"User-agent: *\nSitemap: {base}/sitemap.xml\n")

    def _robots_besar(self, u) -> None:
        self._plain(u, lambda: pages.home("Dinas Robots Besar"), robots=_big_robots())

    def _robots_rusak(self, u) -> None:
        if u.path == "/robots.txt":
            return self._send("<h1>Internal Server Error</h1>", status=500)
        self._plain(u, lambda: pages.home("Dinas Robots Rusak"))

    def _tipe_salah(self, u) -> None:
        if u.path == "/":
            return self._send(pages.home("Dinas Tipe Salah"), ctype="application/octet-stream")
        self._plain(u, lambda: "")

    def _tipe_hilang(self, u) -> None:
        if u.path == "/":
            return self._send(pages.home("Dinas Tipe Hilang"), ctype=None)
        self._plain(u, lambda: "")

    def _cp1252(self, u) -> None:
        if u.path == "/":
            text = pages.home("Dinas Pendapatan “Daerah” – Beranda", body=pages.HOME_BODY + "<p>Kepala Dinas: José Müller ©</p>")
            return self._send(text.encode("cp1252"), ctype="text/html; charset=utf-8")
        self._plain(u, lambda: "")

    def _bita_rusak(self, u) -> None:
        if u.path == "/":
            body = pages.home("Dinas Bita Rusak").encode()
            junk = b"\x00\xff\xfe\xc3\x28\xe2\x82\x00\xed\xa0\x80\xf4\x90\x80\x80\x1b[31m"
            return self._send(body.replace(b"<main>", b"<main>" + junk * 50), ctype="text/html; charset=utf-8")
        self._plain(u, lambda: "")

    def _bersarang(self, u) -> None:
        if u.path == "/":
            return self._send(pages.nested(20_000) + '<a href="/berita/rapat-koordinasi">Berita</a>')
        self._plain(u, lambda: "")

    def _ssrf_meta(self, u) -> None:
        # The cloud metadata request, aimed at the canary: should the guard fail, the request stays on this
        # machine and the canary records it (a real metadata address would send it off the machine).
        if u.path == "/":
            return self._redirect(self.server.web.canary_url("/latest/meta-data/"))
        self._plain(u, lambda: "")

    def _ssrf_lokal(self, u) -> None:
        canary = self.server.web.canary_port
        hops = {"/keluar-1": f"http://127.0.0.1:{canary}/rahasia", "/keluar-2": f"http://localhost:{canary}/rahasia",
                "/keluar-3": f"http://[::ffff:127.0.0.1]:{canary}/rahasia", "/keluar-4": "file:///etc/passwd",
                "/keluar-5": f"ftp://127.0.0.1:{canary}/", "/keluar-6": f"http://2130706433:{canary}/desimal",
                "/keluar-7": self.server.web.canary_url("/latest/meta-data/")}
        if u.path in hops:
            return self._redirect(hops[u.path])
        if u.path == "/sitemap.xml":
            return self._send(pages.sitemap([f"http://127.0.0.1:{canary}/dari-sitemap"]), ctype="application/xml")
        links = [(p, "Tautan") for p in hops] + [(f"http://127.0.0.1:{canary}/langsung", "Langsung")]
        home = pages.home("Dinas SSRF", links).replace(
            "</head>", '<link rel="alternate" type="application/rss+xml" href="/keluar-1"></head>')
        base = self.server.web.url(self.server.site_id).rstrip("/")
        self._plain(u, lambda: home, robots=f"User-agent: *\nSitemap: {base}/sitemap.xml\nSitemap: http://127.0.0.1:{canary}/peta.xml\n")

    def _lambat(self, u) -> None:
        # Every page takes a second and a half and links to five new pages: endless, slow, no numbers.
        if u.path == "/robots.txt":
            return self._send("User-agent: *\nDisallow:\n", ctype="text/plain")
        if self.server.web._stopping.wait(1.5):
            return
        here = u.path.rstrip("/")
        links = [(f"{here}/{w}", w) for w in ("layanan", "profil", "berita", "galeri", "unduhan")]
        self._send(pages.page(f"Dinas Lambat {u.path}", pages.HOME_BODY, links))

    def _macet(self, u) -> None:
        if u.path in ("/", "/robots.txt"):
            return self._plain(u, lambda: pages.home("Dinas Macet"))
        self._wait_forever()

    def _judul_jahat(self, u) -> None:
        if u.path == "/":
            return self._send(pages.hostile_title())
        self._plain(u, lambda: "")


@lru_cache(maxsize=1)
def _big_robots() -> str:
    """About 5 MB of Disallow rules."""
    return "User-agent: *\n" + "".join(f"Disallow: /arsip-lama/{i:07d}/\n" for i in range(200_000))


def _news_list(n: int) -> str:
    links = [(f"/berita/{n}-{k}", f"Berita {n}-{k}") for k in range(1, 6)] + [(f"/berita?hal={n + 1}", "Berikutnya")]
    return pages.page(f"Arsip berita halaman {n}", "<p>Daftar berita</p>", links)


@lru_cache(maxsize=4)
def _big_sitemap(base: str) -> bytes:
    return pages.sitemap([f"{base}/berita/{i}" for i in range(50_000)])


class HostileWeb:
    """The hostile corner of the simulated web: one 127.0.0.1 port per scenario, plus an unlisted canary."""

    def __init__(self, only: list[str] | None = None):
        self.scenarios = [s for s in SCENARIOS if (s.id in only if only is not None else not s.slow)]
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []
        self._hits: dict[str, list[tuple[str, str]]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._counter = 0
        self.canary_port = 0

    def start(self) -> "HostileWeb":
        """Bind every server on a free port and serve each from its own thread."""
        pages.gzip_bomb(), pages.deflate_bomb()  # built once, before any client waits on them
        for sid in [s.id for s in self.scenarios if s.host is None] + ["canary"]:
            srv = _Server(self, sid)
            self._servers[sid] = srv
            t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
            t.start()
            self._threads.append(t)
        self.canary_port = self._servers["canary"].server_address[1]
        return self

    def stop(self) -> None:
        """Release hanging handlers, stop and close every server."""
        self._stopping.set()
        for srv in self._servers.values():
            srv.shutdown()
            srv.server_close()

    def __enter__(self) -> "HostileWeb":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def url(self, site_id: str) -> str:
        """The configured URL of a scenario's site."""
        s = BY_ID[site_id]
        if s.host is not None:
            return f"{s.scheme}://{s.host}/"
        return f"{s.scheme}://127.0.0.1:{self._servers[site_id].server_address[1]}/"

    def canary_url(self, path: str = "/") -> str:
        """A URL on the canary: loopback, on a port no configured site has, so the guard must refuse it."""
        return f"http://127.0.0.1:{self.canary_port}{path}"

    def hits(self, site_id: str) -> list[tuple[str, str]]:
        """(method, path) of every request a scenario's server (or "canary") received."""
        with self._lock:
            return list(self._hits.get(site_id, []))

    def config_yaml(self, **crawl: Any) -> str:
        """A sites.yaml for the scenarios; keyword arguments go under `crawl:`."""
        doc = {"organization": "Pemerintah Kota Uji", "timezone": "Asia/Jakarta",
               "crawl": {"delay_s": 0, "timeout_s": 3, "retries": 0, **crawl},
               "sites": [{"id": s.id, "name": f"Uji {s.title}", "url": self.url(s.id)} for s in self.scenarios]}
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=200)

    def _hit(self, site_id: str, method: str, path: str) -> None:
        with self._lock:
            self._hits.setdefault(site_id, []).append((method, path))

    def _next(self) -> int:
        with self._lock:
            self._counter += 1
            return self._counter
