"""One host surveyed, politely and under the SSRF guard: DNS, connect, TLS, HTTP, redirects, CMS, title, spam.

`ronda sites verify` surveys the configured sites, `ronda sites discover` the hosts found under the Pemda's
domain. Both go through `Surveyor`: every hop of every redirect is resolved here (the `resolve:` map first,
then the system resolver) and judged by the crawl's own `AddressGuard`, so a name that resolves to a private or
loopback address that is no configured site's is reported as not probed and never connected to.
"""
from __future__ import annotations

import http.client
import re
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from html import unescape
from typing import Any, Callable, Iterable
from urllib.parse import urljoin, urlsplit

from crawler import tls
from crawler.doorways import doorways
from crawler.failures import classify_status
from crawler.middlewares import DEFAULT_PORTS, AddressGuard, literal_ip
from crawler.signals import Context
from crawler.signals import spam as spam_signal

__all__ = ["Surveyor", "fingerprint", "doorways"]

MAX_REDIRECTS = 10
MAX_BODY = 2_000_000          # bytes read of a home page, robots.txt or sitemap
SITEMAP_URLS = 2000           # <loc> entries of one sitemap looked at
_TITLE_RX = re.compile(r"<title[^>]*>(.*?)</title", re.S | re.I)
_GENERATOR_RX = re.compile(r"<meta[^>]+name=[\"']generator[\"'][^>]*content=[\"']([^\"']+)|"
                           r"<meta[^>]+content=[\"']([^\"']+)[\"'][^>]*name=[\"']generator[\"']", re.I)
_LOC_RX = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.I)
# (CMS, what in the generator tag, cookie names, header values or page paths gives it away), first match wins
_GENERATORS = (("WordPress", "wordpress"), ("Joomla", "joomla"), ("OpenSID", "opensid"), ("Drupal", "drupal"),
               ("Blogger", "blogger"), ("Wix", "wix.com"))
_COOKIES = (("Laravel", ("laravel_session", "xsrf-token")), ("CodeIgniter", ("ci_session",)),
            ("WordPress", ("wordpress_", "wp-settings")), ("OpenSID", ("sidesa",)))
_PATHS = (("WordPress", ("/wp-content/", "/wp-includes/", "https://api.w.org/")),
          ("Joomla", ("/media/jui/", "/components/com_", "/media/system/js/")),
          ("OpenSID", ("opensid", "/desa/themes/")), ("Blogger", (".blogspot.com", "blogger.com/")),
          ("Drupal", ("/sites/default/files/", "drupal.settings")))


def fingerprint(headers: dict[str, str], cookies: Iterable[str], body: str) -> dict[str, str] | None:
    """The CMS a home page was made with, and the evidence: generator tag, cookie names, header, page paths."""
    m = _GENERATOR_RX.search(body)
    if m:
        generator = (m.group(1) or m.group(2)).strip()
        for name, needle in _GENERATORS:
            if needle in generator.lower():
                return {"cms": name, "evidence": f"generator: {generator[:60]}"}
    names = [c.lower() for c in cookies]
    for name, prefixes in _COOKIES:
        hit = next((c for c in names if c.startswith(prefixes)), None)
        if hit:
            return {"cms": name, "evidence": f"cookie: {hit[:40]}"}
    low = body.lower()
    for name, needles in _PATHS:
        hit = next((n for n in needles if n in low), None)
        if hit:
            return {"cms": name, "evidence": f"page: {hit}"}
    powered = headers.get("x-powered-by") or ""
    if powered:
        return {"cms": None, "evidence": f"x-powered-by: {powered[:40]}"}
    return None


def title_of(body: str) -> str | None:
    m = _TITLE_RX.search(body)
    return " ".join(unescape(m.group(1)).split())[:200] or None if m else None


class _Conn(http.client.HTTPConnection):
    """HTTP(S) to a given address, with the URL's host in the Host header and the TLS server name."""

    def __init__(self, host: str, port: int, address: str, use_tls: bool, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address, self.use_tls = address, use_tls

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        if self.use_tls:
            # Read the page even when the certificate is bad: its validity is the TLS probe's to report.
            ctx = ssl.create_default_context()
            ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
            self.sock = ctx.wrap_socket(self.sock, server_hostname=self.host)


class Surveyor:
    """Surveys hosts: `survey(url)` for one, `many(urls)` in parallel; one request at a time per host."""

    def __init__(self, guard: AddressGuard, user_agent: str, as_of: date, timeout: float = 20,
                 delay_s: float = 1.0, tls_days: int = 14, workers: int = 8):
        self.guard, self.user_agent, self.as_of = guard, user_agent, as_of
        self.timeout, self.delay_s, self.tls_days, self.workers = timeout, delay_s, tls_days, workers
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    # -- name and address ---------------------------------------------------------------------

    def addresses(self, host: str, port: int) -> tuple[list[tuple[str, int]], str | None]:
        """Where a name leads: [(address, port)] from the resolve map, a literal, or DNS; or an error."""
        mapped = self.guard.mapped(host, port)
        if mapped:
            return [mapped], None
        if literal_ip(host):
            return [(host.strip("[]"), port)], None
        if host.rstrip(".").rpartition(".")[2] == "invalid":   # RFC 6761: never asked of DNS
            return [], "dns"
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError):
            return [], "dns"
        seen = dict.fromkeys((str(i[4][0]), port) for i in infos)
        return list(seen), None

    def allowed(self, host: str, url_port: int, found: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """The addresses the guard lets us connect to (for a configured site, its own are remembered)."""
        return [(a, p) for a, p in found if self.guard.allows(host, a, p, url_port=url_port)]

    def learn_sites(self, urls: Iterable[str]) -> None:
        """Resolve the configured sites first, so that other names on their servers may be probed."""
        for url in urls:
            parts = urlsplit(url)
            if parts.hostname:
                port = parts.port or DEFAULT_PORTS.get(parts.scheme, 80)
                self.allowed(parts.hostname, port, self.addresses(parts.hostname, port)[0])

    # -- HTTP ---------------------------------------------------------------------------------

    def _polite(self, host: str) -> None:
        """Wait out `delay_s` since the previous request to this host."""
        while True:
            with self._lock:
                wait = self._last.get(host, 0) + self.delay_s - time.monotonic()
                if wait <= 0:
                    self._last[host] = time.monotonic()
                    return
            time.sleep(wait)

    def get(self, url: str, follow: bool = True) -> dict[str, Any]:
        """GET with redirects, each hop resolved and guarded; the chain, final URL, status, headers, body."""
        out: dict[str, Any] = {"url": url, "chain": [], "final_url": None, "status": None, "headers": {},
                               "cookies": [], "body": "", "addresses": [], "error": None, "reason": None}
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
                out.update(error=f"not an http(s) URL: {url[:200]}", reason="redirect_invalid")
                return out
            host, port = parts.hostname.lower(), parts.port or DEFAULT_PORTS[parts.scheme]
            found, err = self.addresses(host, port)
            if err:
                out.update(error=f"{host} does not resolve", reason="dns")
                return out
            ok = self.allowed(host, port, found)
            if not out["addresses"]:
                out["addresses"] = [f"{a}:{p}" if p != port else a for a, p in found]
            if not ok:
                shown = ", ".join(a for a, _ in found)
                out.update(error=f"resolves to {shown}: private or loopback, and no configured site's",
                           reason="not_probed" if not out["chain"] else "blocked_address")
                return out
            address, to_port = ok[0]
            self._polite(host)
            conn = _Conn(host, to_port, address, parts.scheme == "https", self.timeout)
            try:
                path = parts.path or "/"
                conn.request("GET", path + (f"?{parts.query}" if parts.query else ""),
                             headers={"User-Agent": self.user_agent, "Accept": "*/*", "Accept-Encoding": "identity",
                                      "Host": parts.netloc})
                resp = conn.getresponse()
                body = _read(resp, time.monotonic() + 2 * self.timeout)
            except (OSError, http.client.HTTPException) as exc:  # every failure is a finding, never a crash
                out.update(error=f"{type(exc).__name__}: {exc}"[:200], reason=_reason(exc))
                return out
            finally:
                conn.close()
            out["chain"].append({"url": url, "status": resp.status})
            out["cookies"] += [c.split("=", 1)[0].strip() for c in resp.headers.get_all("Set-Cookie") or ()]
            location = resp.headers.get("Location")
            if follow and resp.status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location.strip())
                continue
            out.update(final_url=url, status=resp.status, headers={k.lower(): v for k, v in resp.headers.items()},
                       body=body.decode(resp.headers.get_content_charset() or "utf-8", "replace"))
            if resp.status >= 400:
                out["reason"] = classify_status(resp.status)
            return out
        out.update(error="too many redirects", reason="redirect_loop")
        return out

    # -- surveys ------------------------------------------------------------------------------

    def survey(self, url: str, integrity: bool = False) -> dict[str, Any]:
        """Everything about one home page; with `integrity`, the spam signal on it, robots.txt and the sitemap."""
        home = self.get(url)
        out = {k: home[k] for k in ("url", "addresses", "chain", "final_url", "status", "error", "reason")}
        out["state"] = ("not_probed" if home["reason"] == "not_probed" else "down" if home["final_url"] is None
                        or home["status"] >= 400 else "up")
        out["tls"] = self._tls(url, home)
        found = fingerprint(home["headers"], home["cookies"], home["body"]) if home["final_url"] else None
        out["cms"], out["cms_evidence"] = (found or {}).get("cms"), (found or {}).get("evidence")
        out["title"] = title_of(home["body"]) if home["body"] else None
        if integrity and out["state"] == "up":
            out["integrity"] = self._integrity(home)
            out["hacked"] = bool(out["integrity"]["findings"])
        return out

    def many(self, urls: list[str], integrity: bool = False,
             done: Callable[[dict], None] | None = None) -> list[dict[str, Any]]:
        """Survey several hosts in parallel (one request at a time per host), in the order given."""
        def one(u: str) -> dict[str, Any]:
            r = self.survey(u, integrity)
            if done:
                done(r)
            return r
        with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(urls)))) as pool:
            return list(pool.map(one, urls))

    def _tls(self, url: str, home: dict[str, Any]) -> dict[str, Any] | None:
        """The certificate of the HTTPS host the home page ends on (or starts on), None when all is plain HTTP."""
        for u in [c["url"] for c in home["chain"]][::-1] or [url]:
            parts = urlsplit(u)
            if parts.scheme == "https" and parts.hostname:
                port = parts.port or 443
                ok = self.allowed(parts.hostname, port, self.addresses(parts.hostname, port)[0])
                if not ok:
                    return None
                t = tls.probe(ok[0][0], ok[0][1], parts.hostname, self.as_of, self.timeout, self.tls_days)
                return {k: t[k] for k in ("valid", "error", "issuer", "not_after", "days_left")}
        return None

    def _integrity(self, home: dict[str, Any]) -> dict[str, Any]:
        """The spam signal on the home page; doorway URLs listed in robots.txt and in the sitemap."""
        final = home["final_url"]
        found: list[dict[str, Any]] = []
        sig = spam_signal.extract(final, home["body"], home["headers"], Context(as_of=self.as_of, site_url=final))
        found += [{"where": "home", "kind": f["kind"], "evidence": f.get("evidence", "")[:160]} for f in sig.findings]
        robots = self.get(urljoin(final, "/robots.txt"), follow=True)
        lines = robots["body"].splitlines() if robots["status"] == 200 else []
        listed = [ln.split(":", 1)[1].strip() for ln in lines if ":" in ln
                  and ln.split(":", 1)[0].strip().lower() in ("allow", "disallow", "sitemap")]
        for u in doorways(x for x in listed if x not in ("", "/")):
            found.append({"where": "robots.txt", "kind": "doorway", "evidence": u[:160]})
        sitemaps = [u for u in listed if u.lower().endswith((".xml", ".xml.gz"))
                    and urlsplit(urljoin(final, u)).hostname == urlsplit(final).hostname][:1] \
            or [urljoin(final, "/sitemap.xml")]
        sm = self.get(urljoin(final, sitemaps[0]), follow=True)
        locs = _LOC_RX.findall(sm["body"])[:SITEMAP_URLS] if sm["status"] == 200 else []
        door = doorways(locs)
        if door:
            # the first doorway on this host is fetched once: its own page says what it is
            same = [u for u in door if urlsplit(u).hostname == urlsplit(final).hostname][:1]
            page = self.get(same[0]) if same else None
            kinds = [f["kind"] for f in spam_signal.extract(same[0], page["body"], page["headers"], Context(
                as_of=self.as_of, site_url=final)).findings] if page and page["status"] == 200 else []
            found.append({"where": "sitemap", "kind": "doorway", "evidence": door[0][:160],
                          "urls": door[:20], "page": kinds[0] if kinds else None})
        return {"findings": found, "suspended": sig.suspended}


def _read(resp: http.client.HTTPResponse, deadline: float) -> bytes:
    """The body, at most MAX_BODY bytes and until the deadline: a server that drips bytes does not hold us."""
    chunks, size = [], 0
    while size < MAX_BODY:
        if time.monotonic() > deadline:
            raise TimeoutError("the body took longer than twice the timeout")
        chunk = resp.read1(min(65536, MAX_BODY - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _reason(exc: BaseException) -> str:
    """Short reason of a failed request, in the words of the crawl's down reasons (docs/statuses.md)."""
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(exc, ssl.SSLError):
        return "tls_handshake"
    if isinstance(exc, socket.gaierror):
        return "dns"
    return "connect"
