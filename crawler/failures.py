"""Names for the ways a fetch fails: the down `reason` vocabulary of docs/statuses.md (dns, connect, timeout, ...).

Scrapy 2.19 wraps twisted's errors in its own (CannotResolveHostError, DownloadTimeoutError, ...) and keeps
the original as `__cause__`; twisted's ResponseNeverReceived/ResponseFailed carry their causes in `reasons`.
Both chains are walked, so a TLS error inside a "response never received" is still a TLS error.
"""
from __future__ import annotations

from scrapy import exceptions as sx
from twisted.internet import error as terr
from twisted.python.failure import Failure
from twisted.web import _newclient

try:  # only present when pyOpenSSL is installed, which scrapy requires
    from OpenSSL.SSL import Error as SSLError
except ImportError:  # pragma: no cover
    SSLError = ()  # type: ignore[assignment]

# Reasons that other modules name too: a guard refusal and a body over the size limit.
BLOCKED_ADDRESS = "blocked_address"
TOO_LARGE = "too_large"

_DNS = (sx.CannotResolveHostError, terr.DNSLookupError)
_TIMEOUT = (sx.DownloadTimeoutError, terr.TimeoutError, terr.TCPTimedOutError)
_CONNECT = (sx.DownloadConnectionRefusedError, sx.ResponseDataLossError, terr.ConnectionRefusedError,
            terr.ConnectError, terr.ConnectionLost, terr.ConnectionDone, _newclient._DataLoss)


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


def classify_failure(failure: Failure, refused: bool = False) -> str:
    """The reason of a request that got no response; `refused`: the SSRF guard refused its address."""
    reason = _classify(failure.value, 0)
    if refused and reason in ("dns", "error"):
        return BLOCKED_ADDRESS
    return reason


def _classify(exc: BaseException, depth: int) -> str:
    from crawler.middlewares import BlockedAddress

    text = str(exc).lower()
    if isinstance(exc, BlockedAddress):
        return BLOCKED_ADDRESS
    if SSLError and isinstance(exc, SSLError):
        return "tls_handshake"
    if isinstance(exc, _DNS):
        return "dns"
    if isinstance(exc, _TIMEOUT) or "took longer than" in text:
        return "timeout"
    if isinstance(exc, sx.IgnoreRequest):
        if "max redirections" in text:
            return "redirect_loop"
        if "max_size" in text or "maxsize" in text or "max size" in text:
            return TOO_LARGE
    if "larger than download max size" in text or "download_maxsize" in text:
        return TOO_LARGE
    if isinstance(exc, sx.DownloadCancelledError):
        # The spider cancels nothing and timeouts have their own error: scrapy cancels a download
        # itself when the body grows past DOWNLOAD_MAXSIZE (the size is only in its log line).
        return TOO_LARGE
    # Walk to the causes: scrapy's wrapper -> twisted's -> the reasons twisted collected.
    if depth < 5:
        causes = [r.value for r in getattr(exc, "reasons", None) or () if isinstance(r, Failure)]
        if exc.__cause__ is not None:
            causes.insert(0, exc.__cause__)
        found = [_classify(c, depth + 1) for c in causes]
        for preferred in ("tls_handshake", "timeout", TOO_LARGE, "dns", "connect"):
            if preferred in found:
                return preferred
    if isinstance(exc, _CONNECT) or isinstance(exc, (_newclient.ResponseNeverReceived, _newclient.ResponseFailed)):
        return "connect"
    if "ssl" in text and "routines" in text:
        return "tls_handshake"
    if "connection" in text:
        return "connect"
    return "error"
