"""Names for the ways a fetch fails: the `reason` vocabulary of DESIGN.md (dns, connect, timeout, ...)."""
from __future__ import annotations

from twisted.internet import error as terr
from twisted.python.failure import Failure

try:  # only present when pyOpenSSL is installed, which scrapy requires
    from OpenSSL.SSL import Error as SSLError
except ImportError:  # pragma: no cover
    SSLError = ()  # type: ignore[assignment]


def classify_status(status: int) -> str | None:
    """The down-reason of a home page that answered `status` (None when it is up)."""
    if status < 400 or status == 304:
        return None
    if status in (404, 410):
        return "http_404"
    if status in (401, 403, 407, 429, 451):
        return "blocked"
    if status >= 500:
        return "http_5xx"
    return "http_4xx"


def classify_failure(failure: Failure) -> str:
    """The reason of a request that got no response at all."""
    exc = failure.value
    name = type(exc).__name__
    text = str(exc).lower()
    if isinstance(exc, terr.DNSLookupError):
        return "dns"
    if isinstance(exc, (terr.TimeoutError, terr.TCPTimedOutError)) or "timeout" in name.lower() or "took longer than" in text:
        return "timeout"
    if SSLError and isinstance(exc, SSLError) or "ssl" in name.lower() or "tls" in text or "certificate" in text:
        return "tls_handshake"
    if "max redirections" in text:
        return "redirect_loop"
    if "larger than download max size" in text or "maxsize" in text:
        return "too_large"
    if isinstance(exc, (terr.ConnectionRefusedError, terr.ConnectError, terr.ConnectionLost, terr.ConnectionDone)):
        return "connect"
    if "responsenevereceived" in name.lower() or "connection" in text:
        return "connect"
    return "error"
