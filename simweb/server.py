"""SimWeb: serves every simulated site on its own 127.0.0.1 port, with one accept loop for all."""
from __future__ import annotations

import hashlib
import selectors
import socket
import threading
import time
import zlib
from datetime import date
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from . import attacks, model, render
from .named import NamedHosts

CACHE_MAX = 4000     # rendered responses kept per "today" (bounded: benchmarks run thousands of sites)


class _Server(ThreadingHTTPServer):
    """One site's listening server; requests are handled in threads."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr: tuple[str, int], web: "SimWeb", site: model.SimSite) -> None:
        self.web, self.site = web, site
        super().__init__(addr, _Handler)
        self.socket.setblocking(False)   # the shared loop accepts only when ready


class _Handler(BaseHTTPRequestHandler):
    """Answers GET/HEAD from the site's model; records every request."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True   # headers and body go out in two writes: Nagle + delayed ACK would add 40 ms
    server_version = "Apache"
    sys_version = ""
    timeout = 15

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: the hits list is the log."""

    def do_GET(self) -> None:
        """GET."""
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        """HEAD."""
        self._serve(send_body=False)

    def do_POST(self) -> None:
        """Forms are not processed by the simulation."""
        self._serve(send_body=True, allowed=False)

    def _serve(self, send_body: bool, allowed: bool = True) -> None:
        web: SimWeb = self.server.web  # type: ignore[attr-defined]
        site: model.SimSite = self.server.site  # type: ignore[attr-defined]
        web._record(site.id, self)
        if web._down.get(site.id):
            # went down while a keep-alive connection was open: drop it
            self.close_connection = True
            return
        if web.latency_s > 0:
            time.sleep(web.latency_s)
        if site.kind == "slow":
            time.sleep(1.0 + (zlib.crc32(self.path.encode()) % 800) / 1000)
        if not allowed:
            self.close_connection = True   # the request body is not read
            resp, etag = render.Response(405, "text/plain; charset=UTF-8", b"Method Not Allowed\n"), None
        else:
            # only a cloaking site tells search engines apart (and only then does the cache key need it)
            bot = site.attack == "cloaking" and attacks.is_search_bot(self.headers.get("User-Agent"),
                                                                       self.headers.get("Referer"))
            resp, etag = web._respond(site, self.path, bot)
        lm_now = "last_modified_now" in site.traps
        last_mod = formatdate(time.time(), usegmt=True) if lm_now else (
            formatdate(resp.modified.timestamp(), usegmt=True) if resp.modified else None)
        if resp.status == 200 and self._not_modified(etag, resp, lm_now):
            self.send_response(304)
            self.send_header("ETag", etag or "")
            if last_mod:
                self.send_header("Last-Modified", last_mod)
            self.end_headers()
            return
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.ctype)
        self.send_header("Content-Length", str(len(resp.body)))
        if resp.status == 200:
            if etag:
                self.send_header("ETag", etag)
            if last_mod:
                self.send_header("Last-Modified", last_mod)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if send_body:
            self.wfile.write(resp.body)

    def _not_modified(self, etag: str | None, resp: render.Response, lm_now: bool) -> bool:
        """If-None-Match wins over If-Modified-Since (RFC 9110)."""
        inm = self.headers.get("If-None-Match")
        if inm:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or (etag is not None and etag in tags)
        ims = self.headers.get("If-Modified-Since")
        if not ims or lm_now or resp.modified is None:
            return False
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False   # a malformed date is ignored, as servers do
        if since.tzinfo is None:
            return False
        return int(resp.modified.timestamp()) <= int(since.timestamp())


class SimWeb:
    """The simulated OPD web: `SimWeb(as_of, seed, n_sites, base, host)`; start(), set_today(), truth()."""

    def __init__(self, as_of: date, seed: int = 0, n_sites: int = 35, base: date | None = None,
                 host: str = "127.0.0.1", latency_s: float = 0.0, port: int = 0,
                 domain: str | None = None) -> None:
        self.today = as_of
        self.port = port             # the first site's port, the others on the next ones (0: any free ports)
        self.latency_s = latency_s   # added to every answer (benchmarks: a server farther than loopback)
        self.base = base or as_of
        self.seed = seed
        self.host = host
        self.sites: list[model.SimSite] = [_build_site(i, seed, self.base) for i in range(n_sites)]
        self._by_id = {s.id: s for s in self.sites}
        self._lock = threading.RLock()
        self._hits: dict[str, list[dict[str, Any]]] = {s.id: [] for s in self.sites}
        self._servers: dict[str, _Server] = {}
        self._holders: dict[str, socket.socket] = {}    # bound, not listening: connections are refused
        self._ports: dict[str, int] = {}
        self._down: dict[str, bool] = {}
        self._cache: dict[tuple[str, str, date, bool], tuple[render.Response, str | None]] = {}
        self._sel: selectors.BaseSelector | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        # Named hosts under a test domain (simweb/named.py): each site is also <id>.<domain>, plus a portal.
        self.named = NamedHosts(domain, self.sites, seed, self.base, host) if domain else None

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> "SimWeb":
        """Bind every site (down ones refuse connections) and start the accept loop."""
        self._sel = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._sel.register(self._wake_r, selectors.EVENT_READ, None)
        with self._lock:
            for i, site in enumerate(self.sites):
                down = model.outage(site, self.today, self.base)
                port = self.port + i if self.port else 0
                if down:
                    self._hold(site, port)
                else:
                    self._serve(site, port)
                self._down[site.id] = down
                name = f"{site.id}.{self.named.domain}" if self.named else self.host
                site.url = f"http://{name}:{self._ports[site.id]}/"
        if self.named:
            self.named.start()
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="simweb-accept", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close every socket and end the accept loop."""
        self._stopping = True
        if self.named:
            self.named.stop()
        if self._wake_w:
            self._wake_w.send(b"x")
        if self._thread:
            self._thread.join(timeout=5)
        with self._lock:
            for sid in list(self._servers):
                self._unserve(sid)
            for sock in self._holders.values():
                sock.close()
            self._holders.clear()
        for s in (self._wake_r, self._wake_w):
            if s:
                s.close()
        if self._sel:
            self._sel.close()
        self._thread = self._sel = self._wake_r = self._wake_w = None

    def __enter__(self) -> "SimWeb":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- the simulated calendar ------------------------------------------------------------

    def set_today(self, d: date) -> None:
        """Switch "today": clocks, relative dates, visible posts and tonight's outages follow."""
        with self._lock:
            self.today = d
            self._cache.clear()
            if self._sel is None:
                return
            for site in self.sites:
                down = model.outage(site, d, self.base)
                if down == self._down[site.id]:
                    continue
                port = self._ports[site.id]
                if down:
                    self._unserve(site.id)
                    self._hold(site, port)
                else:
                    self._holders.pop(site.id).close()
                    self._serve(site, port)
                self._down[site.id] = down

    def truth(self) -> dict[str, dict[str, Any]]:
        """What a correct monitor concludes per site id, for the current today."""
        with self._lock:
            return {s.id: model.truth(s, self.today, self.base) for s in self.sites}

    def config_yaml(self, **crawl: Any) -> str:
        """A sites.yaml text for these sites; keyword arguments go under `crawl:`."""
        d = model.data()
        doc = {
            "organization": d["organization"],
            "timezone": "Asia/Jakarta",
            "crawl": {"delay_s": 0, **crawl},
            "sites": [{"id": s.id, "name": s.name, "url": s.url, "category": s.category, "head": model.head_of(s)}
                      for s in self.sites],
        }
        if self.named:
            doc = self.named.config(doc)
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=200)

    def hits(self, site_id: str) -> list[dict[str, Any]]:
        """Requests received by that site so far (a copy)."""
        with self._lock:
            return [dict(h) for h in self._hits.get(site_id, [])]

    def site(self, site_id: str) -> model.SimSite:
        """The site with that id."""
        return self._by_id[site_id]

    # -- internals -------------------------------------------------------------------------

    def _serve(self, site: model.SimSite, port: int) -> None:
        srv = _Server((self.host, port), self, site)
        self._servers[site.id] = srv
        self._ports[site.id] = srv.server_address[1]
        assert self._sel is not None
        self._sel.register(srv.socket, selectors.EVENT_READ, srv)

    def _unserve(self, sid: str) -> None:
        srv = self._servers.pop(sid)
        if self._sel is not None:
            self._sel.unregister(srv.socket)
        srv.server_close()

    def _hold(self, site: model.SimSite, port: int) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, port))
        self._holders[site.id] = sock
        self._ports[site.id] = sock.getsockname()[1]

    def _loop(self) -> None:
        sel = self._sel
        assert sel is not None
        while not self._stopping:
            for key, _ in sel.select(timeout=1.0):
                srv = key.data
                if srv is None:
                    self._wake_r.recv(64)  # type: ignore[union-attr]
                    continue
                with self._lock:
                    live = self._servers.get(srv.site.id) is srv
                if live:
                    srv._handle_request_noblock()

    def _record(self, sid: str, h: BaseHTTPRequestHandler) -> None:
        hit = {"method": h.command, "path": h.path, "user_agent": h.headers.get("User-Agent"),
               "headers": dict(h.headers.items()), "time": time.time()}
        with self._lock:
            self._hits[sid].append(hit)

    def _respond(self, site: model.SimSite, raw: str, bot: bool = False) -> tuple[render.Response, str | None]:
        with self._lock:
            today = self.today
        key = (site.id, raw, today, bot)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        parts = urlsplit(raw)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        path_q = parts.path + (f"?{parts.query}" if parts.query else "")
        resp = render.route(site, today, parts.path or "/", query, path_q, bot)
        etag = f'"{hashlib.sha1(resp.body).hexdigest()[:20]}"' if resp.status == 200 else None
        if len(self._cache) >= CACHE_MAX:
            self._cache.clear()
        self._cache[key] = (resp, etag)
        return resp, etag


def _build_site(index: int, seed: int, base: date) -> model.SimSite:
    """One seeded site with its attack; attacks draw from their own rng, so the content stays what it was before."""
    site = model.build_site(index, seed, base)
    site.hack, site.suspended_since = attacks.build(site, seed, base)
    return site
