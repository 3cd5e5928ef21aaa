"""The SSRF guard: no request reaches a loopback, private, link-local, CGNAT or metadata address, or a non-HTTP scheme.

Two layers, because a URL's host can be a name or an address:
- `GuardedResolver` is the reactor's name resolver, so it sees every connection scrapy makes (IP literals
  included: twisted's HostnameEndpoint resolves those too) with its port, and drops forbidden addresses
  after DNS: the address actually connected to is checked, whatever redirect, robots, sitemap or feed led there;
- `GuardMiddleware` refuses non-HTTP schemes and literal forbidden addresses before any download starts,
  so such requests are recorded as "blocked_address" without a connection attempt.
The only forbidden addresses ever allowed are the configured sites' own (address, port) pairs, which is how
sites on 127.0.0.1 (tests, the simulated web) are crawled.
"""
from __future__ import annotations

import ipaddress
import threading
import time
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import IgnoreRequest
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IHostResolution, IResolutionReceiver
from zope.interface import implementer, provider

from base.config import resolve_entry
from crawler.settings import FORBIDDEN_NETWORKS

_NETS = [ipaddress.ip_network(n) for n in FORBIDDEN_NETWORKS]
DEFAULT_PORTS = {"http": 80, "https": 443}


class BlockedAddress(IgnoreRequest):
    """A request the SSRF guard refused: forbidden address or scheme; it was never sent."""


class OutOfTime(IgnoreRequest):
    """A request of a site that has used its share of the night; dropped before download."""


def forbidden_ip(host: str) -> bool:
    """Is this literal address one ronda must never connect to (IPv4-mapped and 6to4 forms included)?"""
    try:
        ip = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is not None and forbidden_ip(str(inner)):
            return True
    return any(ip.version == n.version and ip in n for n in _NETS)


def literal_ip(host: str) -> bool:
    """Is this URL host an IP address literal (as opposed to a name to resolve)?"""
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def origin(url: str) -> tuple[str, int] | None:
    """(host, port) of an http(s) URL, the port made explicit."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return None
    return parts.hostname.lower(), port


class AddressGuard:
    """The allow-list (configured sites' own host/address and port) and the record of what was refused."""

    def __init__(self, site_urls: Iterable[str], resolve: Mapping[str, str] | None = None):
        self.origins = {o for o in map(origin, site_urls) if o is not None}
        # The operator's `resolve:` map (host -> address[:port], as curl --resolve): these names skip DNS.
        self.resolve = {h.lower(): e for h, e in ((h, resolve_entry(v)) for h, v in (resolve or {}).items()) if e}
        # Literal-address sites are allowed by address at once; named ones when their name resolves.
        self.addresses = {(str(ipaddress.ip_address(h.strip("[]"))), p) for h, p in self.origins if literal_ip(h)}
        self.refused: set[tuple[str, int]] = set()
        self._lock = threading.Lock()  # the resolver may report from the reactor's thread pool

    def add(self, site_url: str) -> None:
        """Allow one more configured site (sites may join a running crawl: distributed workers)."""
        o = origin(site_url)
        if o is None:
            return
        with self._lock:
            self.origins.add(o)
            if literal_ip(o[0]):
                self.addresses.add((str(ipaddress.ip_address(o[0].strip("[]"))), o[1]))

    def mapped(self, host: str, port: int) -> tuple[str, int] | None:
        """The (address, port) the resolve map gives this name (the URL's port when the map names none), or None."""
        entry = self.resolve.get(host.lower().rstrip("."))
        return None if entry is None else (entry[0], entry[1] or port)

    def allows(self, host: str, address: str, port: int, url_port: int | None = None) -> bool:
        """May a connection to `address`:`port`, reached through the name `host` (a URL on `url_port`), be made?"""
        if (host.lower(), url_port or port) in self.origins:
            with self._lock:
                self.addresses.add((address, port))
            return True
        return not forbidden_ip(address) or (address, port) in self.addresses

    def refuse(self, host: str, port: int) -> None:
        """Remember a refused (host, port) so its failure is named "blocked_address", not "dns"."""
        with self._lock:
            self.refused.add((host.lower(), port))

    def was_refused(self, url: str) -> bool:
        """Did the guard refuse this URL's (host, port)?"""
        o = origin(url)
        return o is not None and o in self.refused

    def check_url(self, url: str) -> str | None:
        """Why this URL must not be requested (scheme, literal forbidden address), or None."""
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS:
            return f"scheme {parts.scheme or '(none)'!r} is not followed"
        o = origin(url)
        if o is None:
            return "no host"
        host, port = o
        if literal_ip(host):
            address = str(ipaddress.ip_address(host.strip("[]").split("%", 1)[0]))
            if not self.allows(host, address, port):
                self.refuse(host, port)
                return f"address {address}:{port} is not public"
        return None


def guard_of(crawler: Any) -> AddressGuard | None:
    """The guard of the crawl's spider (None before the spider exists)."""
    spider = getattr(crawler, "spider", None)
    return getattr(spider, "guard", None)


class GuardMiddleware:
    """Downloader middleware: refuse non-HTTP schemes and forbidden literal addresses (every request, redirects too)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        guard = guard_of(self.crawler)
        if guard is None:
            return None
        why = guard.check_url(request.url)
        if why is not None:
            self.crawler.stats.inc_value("ronda/blocked_address")
            raise BlockedAddress(why)
        return None


class BudgetedHTTPHandler(HTTP11DownloadHandler):
    """scrapy's HTTP/1.1 handler, checking the clock at the moment a download really starts.

    Requests wait in their site's slot queue after the middlewares have seen them, so this is the only
    place where "past the site's deadline" and "time left in the crawl" are known for sure: a late request
    is dropped (OutOfTime), and no request's timeout runs past the end of the crawl, so closing the spider
    at its time budget never waits a full `timeout_s` per queued request.
    """

    GRACE_S = 2.0

    async def download_request(self, request):
        spider = self._crawler.spider
        now = time.monotonic()
        st = getattr(spider, "sites", {}).get(request.meta.get("site"))
        late = st is not None and request.meta.get("kind") not in ("robots", "home") and now > st.deadline
        left = getattr(spider, "crawl_end", float("inf")) - now
        if late or left <= 0:
            self._crawler.stats.inc_value("ronda/out_of_time")
            raise OutOfTime(f"{'site ' + st.id if late else 'the crawl'} is past its time budget")
        timeout = request.meta.get("download_timeout") or self._crawler.settings.getfloat("DOWNLOAD_TIMEOUT")
        request.meta["download_timeout"] = max(1.0, min(timeout, left + self.GRACE_S))
        return await super().download_request(request)


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str):
        self.name = name

    def cancel(self) -> None:  # pragma: no cover - twisted never cancels name resolutions
        pass


@provider(IResolutionReceiver)
class _Filter:
    """Collects what the system resolver found, then passes on only the addresses the guard allows."""

    def __init__(self, resolver: "GuardedResolver", receiver, host: str, port: int):
        self.resolver, self.receiver, self.host, self.port = resolver, receiver, host, port
        self.addresses: list = []

    def resolutionBegan(self, resolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address) -> None:
        self.addresses.append(address)

    def resolutionComplete(self) -> None:
        if self.addresses:
            self.resolver.remember(self.host, self.addresses)
        self.resolver.deliver(self.receiver, self.host, self.port, self.addresses)


@implementer(IHostnameResolver)
class GuardedResolver:
    """The reactor's name resolver: system DNS (cached per name), then the guard on every (address, port)."""

    CACHE_SIZE = 10_000

    def __init__(self, reactor, process):
        self.reactor = reactor
        self.process = process
        self.original = reactor.nameResolver
        self.cache: dict[str, list] = {}

    @classmethod
    def from_crawler(cls, crawler, reactor):
        # scrapy passes the CrawlerProcess here; the guard is found on its crawlers' spider at resolve time.
        return cls(reactor, crawler)

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def guard(self) -> AddressGuard | None:
        for crawler in getattr(self.process, "crawlers", ()) or ():
            g = guard_of(crawler)
            if g is not None:
                return g
        return None

    def resolveHostName(self, resolutionReceiver, hostName: str, portNumber: int = 0,
                        addressTypes=None, transportSemantics: str = "TCP"):
        guard = self.guard()
        mapped = guard.mapped(hostName, portNumber) if guard is not None else None
        if mapped is not None:
            # The resolve map answers for this name (no DNS); the guard still judges the address it gives.
            resolution = _Resolution(hostName)
            resolutionReceiver.resolutionBegan(resolution)
            address, port = mapped
            kind = IPv6Address if ":" in address else IPv4Address
            self.deliver(resolutionReceiver, hostName, portNumber, [kind("TCP", address, port)], keep_port=True)
            return resolution
        # RFC 6761: a name under .invalid never resolves, and resolvers should answer so without asking DNS.
        cached = [] if hostName.lower().rstrip(".").rpartition(".")[2] == "invalid" else self.cache.get(hostName)
        if cached is not None:
            resolution = _Resolution(hostName)
            resolutionReceiver.resolutionBegan(resolution)
            self.deliver(resolutionReceiver, hostName, portNumber, cached)
            return resolution
        return self.original.resolveHostName(_Filter(self, resolutionReceiver, hostName, portNumber),
                                             hostName, portNumber, addressTypes, transportSemantics)

    def remember(self, host: str, addresses: list) -> None:
        if len(self.cache) < self.CACHE_SIZE:
            self.cache[host] = addresses

    def deliver(self, receiver, host: str, port: int, addresses: list, keep_port: bool = False) -> None:
        guard = self.guard()
        passed = 0
        for a in addresses:
            ip = isinstance(a, (IPv4Address, IPv6Address))
            to = a.port if ip and keep_port else port
            if ip and guard is not None and not guard.allows(host, a.host, to, url_port=port):
                continue
            receiver.addressResolved(type(a)("TCP", a.host, to) if ip else a)
            passed += 1
        if addresses and not passed and guard is not None:
            guard.refuse(host, port)
            stats = getattr(self.process, "crawlers", None)
            for crawler in stats or ():
                crawler.stats.inc_value("ronda/blocked_address")
        receiver.resolutionComplete()
