"""crawler.tls.probe against real TLS servers on 127.0.0.1 with certificates made at test time."""
from __future__ import annotations

import socket
import ssl
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from crawler.tls import probe

HOST = "dinkes.pematangsiantar.go.id"
NOW = datetime.now(timezone.utc)
TODAY = NOW.date()


def _key():
    return ec.generate_private_key(ec.SECP256R1())


def _name(cn: str, org: str = "Pemko Uji") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)])


def _cert(subject_key, subject, issuer_name, issuer_key, not_before, not_after, sans=(), ca=False):
    subject = _name(subject) if isinstance(subject, str) else subject
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name)
         .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(not_before).not_valid_after(not_after)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    if ca:
        b = b.add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                          content_commitment=False, key_encipherment=False, data_encipherment=False,
                                          key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), critical=False)
    else:
        b = b.add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return b.sign(issuer_key, hashes.SHA256())


def _write(path: Path, cert, key) -> tuple[str, str]:
    c, k = path.with_suffix(".crt"), path.with_suffix(".key")
    c.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    k.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return str(c), str(k)


class TLSServer:
    """Accepts connections on 127.0.0.1:0 and completes TLS handshakes with one certificate."""

    def __init__(self, certfile: str | None, keyfile: str | None, mode: str = "tls"):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.mode = mode
        self.ctx = None
        if certfile:
            self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ctx.load_cert_chain(certfile, keyfile)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        self.sock.settimeout(0.2)
        held = []
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            if self.mode == "silent":  # accept and never answer: the client must time out
                held.append(conn)
                continue
            if self.mode == "plain":  # speaks HTTP, not TLS
                conn.recv(1024)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                conn.close()
                continue
            conn.settimeout(3)
            try:
                with self.ctx.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1)
            except (ssl.SSLError, OSError):
                pass  # the client rejected our certificate: expected in these tests
        for c in held:
            c.close()

    def close(self):
        self.stop.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = tmp_path_factory.mktemp("pki")
    ca_key = _key()
    ca_name = _name("Uji Root CA", "Uji CA")
    ca = _cert(ca_key, ca_name, ca_name, ca_key, NOW - timedelta(days=400), NOW + timedelta(days=3650), ca=True)
    ca_file, _ = _write(d / "ca", ca, ca_key)

    def issued(name, days_from, days_to, sans=(HOST,), self_signed=False):
        k = _key()
        if self_signed:
            c = _cert(k, sans[0], _name(sans[0]), k, NOW + timedelta(days=days_from), NOW + timedelta(days=days_to), sans)
        else:
            c = _cert(k, sans[0], ca_name, ca_key, NOW + timedelta(days=days_from), NOW + timedelta(days=days_to), sans)
        return _write(d / name, c, k)

    other_ca_key = _key()
    other_name = _name("Lain Root CA", "Lain CA")
    k = _key()
    foreign = _write(d / "foreign", _cert(k, HOST, other_name, other_ca_key, NOW - timedelta(days=1),
                                          NOW + timedelta(days=90), (HOST,)), k)
    return {
        "ca": ca_file,
        "valid": issued("valid", -10, 200),
        "expired": issued("expired", -400, -5),
        "self_signed": issued("self", -10, 200, self_signed=True),
        "expiring": issued("expiring", -80, 10),
        "wrong_host": issued("wrong", -10, 200, sans=("lain.example.go.id",)),
        "foreign": foreign,
    }


@pytest.fixture
def serve():
    servers = []

    def start(pair=None, mode="tls"):
        s = TLSServer(*(pair or (None, None)), mode=mode)
        servers.append(s)
        return s.port

    yield start
    for s in servers:
        s.close()


def _probe(port, ca, **kw):
    return probe("127.0.0.1", port, server_hostname=HOST, ca_file=ca, timeout=5, **kw)


def test_valid_certificate(pki, serve):
    r = _probe(serve(pki["valid"]), pki["ca"], as_of=TODAY)
    assert r["https"] is True and r["valid"] is True and r["error"] is None
    assert r["subject"].startswith(HOST) and r["issuer"].startswith("Uji Root CA")
    assert r["not_after"] == (NOW + timedelta(days=200)).date().isoformat()
    assert r["days_left"] in (199, 200) and r["expiring_soon"] is False


def test_valid_certificate_is_untrusted_without_its_ca(pki, serve):
    r = _probe(serve(pki["valid"]), None)
    assert r["https"] is True and r["valid"] is False and r["error"] == "untrusted"
    assert r["issuer"].startswith("Uji Root CA")  # read through the second, unverified handshake


def test_foreign_ca(pki, serve):
    r = _probe(serve(pki["foreign"]), pki["ca"])
    assert (r["valid"], r["error"]) == (False, "untrusted") and r["issuer"].startswith("Lain Root CA")


def test_expired(pki, serve):
    r = _probe(serve(pki["expired"]), pki["ca"], as_of=TODAY)
    assert r["https"] is True and r["valid"] is False and r["error"] == "expired"
    assert r["days_left"] in (-6, -5) and r["expiring_soon"] is True
    assert r["not_after"] == (NOW - timedelta(days=5)).date().isoformat()


def test_self_signed(pki, serve):
    r = _probe(serve(pki["self_signed"]), pki["ca"])
    assert r["https"] is True and r["valid"] is False and r["error"] == "self_signed"
    assert r["issuer"] == r["subject"]


def test_expiring_soon(pki, serve):
    port = serve(pki["expiring"])
    r = _probe(port, pki["ca"], as_of=TODAY)
    assert r["valid"] is True and r["error"] is None and r["days_left"] in (9, 10) and r["expiring_soon"] is True
    assert _probe(port, pki["ca"], as_of=TODAY, tls_days=5)["expiring_soon"] is False


def test_as_of_moves_expiry(pki, serve):
    port = serve(pki["valid"])
    later = _probe(port, pki["ca"], as_of=TODAY + timedelta(days=195))
    assert later["valid"] is True and later["expiring_soon"] is True and later["days_left"] in (4, 5)
    past_expiry = _probe(port, pki["ca"], as_of=TODAY + timedelta(days=300))
    assert past_expiry["valid"] is False and past_expiry["error"] == "expired"


def test_hostname_mismatch(pki, serve):
    r = _probe(serve(pki["wrong_host"]), pki["ca"])
    assert r["https"] is True and r["valid"] is False and r["error"] == "hostname_mismatch"
    assert r["subject"].startswith("lain.example.go.id")


def test_plain_http_on_the_port(serve):
    r = _probe(serve(mode="plain"), None)
    assert r["https"] is False and r["valid"] is False and r["error"] == "handshake_failed"
    assert r["not_after"] is None


def test_connection_refused():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    r = _probe(port, None)
    assert r == {"https": False, "valid": False, "error": "connect", "issuer": None, "subject": None,
                 "not_after": None, "days_left": None, "expiring_soon": False}


def test_timeout(serve):
    r = probe("127.0.0.1", serve(mode="silent"), server_hostname=HOST, timeout=0.5)
    assert r["https"] is False and r["error"] == "timeout"
