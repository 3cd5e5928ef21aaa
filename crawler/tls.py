"""TLS probe of a site: a real handshake, certificate facts even when it does not verify."""
from __future__ import annotations

import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.x509.oid import NameOID

from base import store

__all__ = ["probe", "probe_sites"]

# OpenSSL verify codes (X509_V_ERR_*) -> ronda's short reasons
_VERIFY_REASONS = {
    9: "untrusted",  # not yet valid
    10: "expired",
    18: "self_signed",
    19: "self_signed",
    20: "untrusted",
    21: "untrusted",
    62: "hostname_mismatch",
}


def _empty() -> dict[str, Any]:
    return {"https": False, "valid": False, "error": None, "issuer": None, "subject": None,
            "not_after": None, "days_left": None, "expiring_soon": False}


def _name(name: x509.Name) -> str:
    """The CN (and O) of a name, else its RFC 4514 form."""
    cn = [a.value for a in name.get_attributes_for_oid(NameOID.COMMON_NAME)]
    org = [a.value for a in name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    parts = [str(x) for x in (cn[:1] + org[:1])]
    return ", ".join(parts) if parts else name.rfc4514_string()


def _handshake(host: str, port: int, sni: str | None, ctx: ssl.SSLContext, timeout: float) -> bytes | None:
    """One TLS handshake; the peer's DER certificate. Raises OSError/ssl errors for the caller to classify."""
    with socket.create_connection((host, port), timeout=timeout) as raw:
        with ctx.wrap_socket(raw, server_hostname=sni) as tls:
            return tls.getpeercert(binary_form=True)


def _classify(exc: BaseException) -> str:
    """Short reason of a failed connection or handshake."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _VERIFY_REASONS.get(exc.verify_code, "untrusted")
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(exc, ssl.SSLError):
        return "handshake_failed"
    if isinstance(exc, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        # the server accepted TCP and then hung up on the ClientHello
        return "handshake_failed"
    return "connect"


def _relaxed_context() -> ssl.SSLContext:
    """No verification and old protocols allowed: only to read the certificate of a broken server."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):  # a build without legacy support: keep the defaults
        pass
    return ctx


def probe(host: str, port: int = 443, server_hostname: str | None = None, as_of: date | None = None,
          timeout: float = 10, tls_days: int = 14, ca_file: str | None = None) -> dict[str, Any]:
    """Handshake with `host:port` (SNI `server_hostname` or `host`) and report validity and certificate dates."""
    out = _empty()
    sni = server_hostname or host
    verify = ssl.create_default_context()
    if ca_file:
        verify.load_verify_locations(cafile=ca_file)
    der: bytes | None = None
    try:
        der = _handshake(host, port, sni, verify, timeout)
        out["https"] = out["valid"] = True
    except (OSError, ssl.SSLError) as exc:  # every failure is a finding, never a crash
        out["error"] = _classify(exc)
        if out["error"] in ("connect", "timeout"):
            return out
        try:
            der = _handshake(host, port, sni, _relaxed_context(), timeout)
            # a handshake that only works unverified still is HTTPS (browsers warn);
            # one that needs legacy protocols is not
            out["https"] = out["error"] != "handshake_failed"
        except (OSError, ssl.SSLError):
            der = None
    if der:
        _read_cert(der, out, as_of, tls_days)
    return out


def _read_cert(der: bytes, out: dict[str, Any], as_of: date | None, tls_days: int) -> None:
    """Fill issuer, subject, expiry facts from a DER certificate."""
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:  # a certificate cryptography cannot read: facts stay unknown
        return
    out["issuer"] = _name(cert.issuer)
    out["subject"] = _name(cert.subject)
    not_after = cert.not_valid_after_utc.date()
    today = as_of or datetime.now(timezone.utc).date()
    out["not_after"] = not_after.isoformat()
    out["days_left"] = (not_after - today).days
    out["expiring_soon"] = out["days_left"] <= tls_days
    if out["days_left"] < 0 and out["error"] in (None, "untrusted"):
        # judged against the run's as-of: a certificate expired by then is expired
        out["valid"] = False
        out["error"] = "expired"


def probe_sites(db_path: str, run_id: int, as_of: date, tls_days: int, timeout: float, resolve=None) -> None:
    """A real TLS handshake with every site served over HTTPS (after redirects); stored per site.

    `resolve(host, port)` gives the (address, port) of a name in the `resolve:` map, else None.
    """
    db = store.open_db(db_path)
    rows = list(db.query("SELECT site_id, url, home_final_url FROM site_runs WHERE run_id = ?", [run_id]))
    targets = {}
    for r in rows:
        parts = urlsplit(r["home_final_url"] or r["url"])
        if parts.scheme == "https" and parts.hostname:
            targets[r["site_id"]] = (parts.hostname, parts.port or 443)
        elif parts.hostname and parts.port is None:
            # Served over plain HTTP: is HTTPS there at all (just not redirected to)?
            targets[r["site_id"]] = (parts.hostname, 443)
    if targets:
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = {sid: pool.submit(probe, *((resolve and resolve(host, port)) or (host, port)), host, as_of,
                                        timeout, tls_days)
                       for sid, (host, port) in targets.items()}
            results = {sid: f.result() for sid, f in futures.items()}
        for sid, result in results.items():
            final = next(r["home_final_url"] or r["url"] for r in rows if r["site_id"] == sid)
            result["served_over_https"] = final.startswith("https://")
        with store.transaction(db):
            for sid, result in results.items():
                db["site_runs"].update((run_id, sid), {"tls": store.dumps(result)})
    db.conn.close()
