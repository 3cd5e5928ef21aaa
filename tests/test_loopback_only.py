"""Tests, benchmarks and the test beds name no address outside 127.0.0.0/8 or ::1 as a target."""
from __future__ import annotations

import ast
import io
import ipaddress
import re
import socket
import tokenize
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
# Every file of these trees is read (fixture pages and data included): a regression of the SSRF guard, or a
# careless fixture, must never send a request off this machine.
TREES = ("tests", "benchmarks", "simweb", "hostileweb")
# The test beds' own code is where site URLs, redirects and robots/sitemap entries are made: there even a
# host *name* is a target. Elsewhere names are page content (the spider requests same-site URLs only, see
# crawler/spider.py _same_site) or config that no test crawls; checking every name there would flag
# hundreds of extractor inputs and prove nothing.
SERVERS = ("simweb", "hostileweb")
# Names that never lead off this machine: loopback, and the TLDs RFC 2606 / RFC 6761 keep out of public DNS.
SAFE_NAME = re.compile(r"(?i)^(localhost|.+\.(localhost|invalid|test|example))$")
# Identifiers the test beds print into pages (XML namespaces, a JSON-LD context, WordPress's API link
# relation): strings compared by value, never requested.
IDENTIFIERS = {"www.sitemaps.org", "www.w3.org", "schema.org", "api.w.org"}

# (file, function) -> why the non-loopback addresses in it are no target. Findings inside these functions
# only; each function must still name one (no stale entry) and call nothing that opens a connection.
ALLOW = {
    ("tests/test_ssrf.py", "test_forbidden_addresses"):
        "strings given to forbidden_ip(), the guard's pure function",
    ("tests/test_ssrf.py", "test_public_addresses_are_allowed"):
        "strings given to forbidden_ip(), the guard's pure function",
    ("tests/test_ssrf.py", "test_only_a_configured_sites_own_address_and_port_are_allowed"):
        "strings given to AddressGuard.allows() and check_url(), which decide without connecting",
    ("tests/test_chat.py", "test_apprise_reads_telegram_and_whatsapp_cloud_urls"):
        "Telegram and WhatsApp Cloud URLs given to chat.url_problem(), Apprise's parser, which sends nothing",
    ("tests/test_distributed.py", "test_frontier_must_be_a_redis_url"):
        "a frontier URL that config.load() only validates; nothing connects to it",
    ("tests/test_loopback_only.py", "test_the_scanner_catches_a_target_added_to_hostileweb"):
        "mutations of hostileweb/server.py's text given to this file's scanner only",
    ("tests/test_loopback_only.py", "test_the_scanner_catches_a_site_host_and_a_bind_address"):
        "mutations of hostileweb/server.py's text given to this file's scanner only",
}
# Calls that open connections or start servers: an allowed function must make none of them.
NETWORK_CALLS = {"run_cli", "run", "Popen", "check_output", "call", "HostileWeb", "SimWeb", "urlopen",
                 "create_connection", "connect", "socket", "crawl", "crawl_seed", "crawl_seeds", "enqueue",
                 "Controller", "probe", "SMTP", "SMTP_SSL", "Redis", "StrictRedis", "from_url", "getaddrinfo"}
HARMLESS_FIXTURES = {"tmp_path", "monkeypatch", "capsys"}

# The host must end where a URL's host ends: "http://127\.0\.0\.1" in a regular expression is no URL.
URL = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://(?:[^/?#\s\"'<>@]*@)?"
                 r"(\[[^\]\s]*\]|[^/?#:\s\"'<>\\{}]*)(?=[/?#:\s\"'<>)]|$)")
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\w)")
IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]*(?:%\w+)?(?![\w:])")
# What inet_aton (so getaddrinfo) reads as an IPv4 address: 2130706433, 0x7f000001, 0177.1, 0251.0376.0251.0376.
NUMERIC_HOST = re.compile(r"(?i)^(?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){0,3}$")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}: {self.why}"


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a literal stands for (inet_aton's forms included), or None if it is no address."""
    text = text.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if NUMERIC_HOST.match(text):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def _loopback(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _check_address(path: str, line: int, literal: str, out: list[Finding]) -> None:
    ip = _address(literal)
    if ip is not None and not _loopback(ip):
        out.append(Finding(path, line, literal, f"address {ip} is outside 127.0.0.0/8 and ::1"))


def _check_name(path: str, line: int, host: str, out: list[Finding]) -> None:
    if host and not SAFE_NAME.match(host) and host.lower() not in IDENTIFIERS:
        out.append(Finding(path, line, host, "a host name a test bed could send the crawler to"))


def _scan_chunk(path: str, first_line: int, text: str, names: bool, out: list[Finding]) -> None:
    """Addresses (and, in the test beds' code, host names) in one piece of text that starts at first_line."""
    def line_of(pos: int) -> int:
        return first_line + text.count("\n", 0, pos)

    hosts: list[tuple[int, int]] = []
    for m in URL.finditer(text):
        host = m.group(1)
        if not host or host.startswith("{"):
            continue  # no host (file:///...), or one filled in at run time (checked by the live test below)
        hosts.append(m.span(1))
        if host.startswith("[") or NUMERIC_HOST.match(host) or _address(host) is not None:
            _check_address(path, line_of(m.start(1)), host, out)
        elif names:
            _check_name(path, line_of(m.start(1)), host, out)
    for rx in (IPV4, IPV6):
        for m in rx.finditer(text):
            if any(a <= m.start() < b for a, b in hosts):
                continue  # already judged as a URL's host
            # A bare "::" is a bind-to-everything address only when it is the whole string, not "a::b" text.
            if not m.group(0).strip(":") and not re.fullmatch(r"(?i)[rbuf]*(['\"]):{2}\1|:{2}", text.strip()):
                continue
            _check_address(path, line_of(m.start()), m.group(0), out)


def _host_keywords(path: str, tree: ast.AST, out: list[Finding]) -> None:
    """`host="..."` arguments and parameter defaults in the test beds' code: where a server binds, a site lives."""
    for node in ast.walk(tree):
        pairs = []
        if isinstance(node, ast.Call):
            pairs = [(k.arg, k.value) for k in node.keywords]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args.args[len(node.args.args) - len(node.args.defaults):]
            pairs = [(a.arg, d) for a, d in zip(args, node.args.defaults)]
            pairs += [(a.arg, d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults) if d is not None]
        for name, value in pairs:
            if name in ("host", "hostname") and isinstance(value, ast.Constant) and isinstance(value.value, str):
                if _address(value.value) is not None:
                    _check_address(path, value.lineno, value.value, out)
                else:
                    _check_name(path, value.lineno, value.value, out)


def scan_text(path: str, text: str) -> list[Finding]:
    """Every non-loopback target named in one file (path relative to the repository, '/'-separated)."""
    out: list[Finding] = []
    names = path.split("/", 1)[0] in SERVERS and path.endswith(".py")
    if not path.endswith(".py"):
        _scan_chunk(path, 1, text, names, out)
        return out
    # Python: string literals only (comments are no target); f-strings keep their {fields}.
    kinds = {tokenize.STRING} | {getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type in kinds:
            _scan_chunk(path, tok.start[0], tok.string, names, out)
    if names:
        _host_keywords(path, ast.parse(text, path), out)
    return out


def source_files() -> list[tuple[str, Path]]:
    """(relative path, file) of every text file of the scanned trees."""
    out = []
    for tree in TREES:
        for p in sorted((ROOT / tree).rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".png", ".db", ".pickle"):
                out.append((p.relative_to(ROOT).as_posix(), p))
    return out


def _functions(tree: ast.AST) -> list[tuple[int, int, ast.FunctionDef]]:
    """(first line including decorators, last line, node) of every function."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            out.append((first, node.end_lineno or node.lineno, node))
    return out


def enclosing_function(tree: ast.AST, line: int) -> str | None:
    """The innermost function (its decorators included) around a line, or None at module level."""
    around = [(first, node) for first, last, node in _functions(tree) if first <= line <= last]
    return max(around, key=lambda x: x[0])[1].name if around else None


@lru_cache(maxsize=1)  # two tests read it; scanning every file takes seconds
def all_findings() -> tuple[list[Finding], dict[tuple[str, str], list[Finding]]]:
    """(findings no allow-list entry covers, allowed findings per entry)."""
    bad: list[Finding] = []
    allowed: dict[tuple[str, str], list[Finding]] = {k: [] for k in ALLOW}
    for rel, p in source_files():
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            text = p.read_bytes().decode("latin-1")  # a deliberately mis-encoded fixture: bytes still count
        found = scan_text(rel, text)
        tree = ast.parse(text, rel) if found and rel.endswith(".py") else None
        for f in found:
            key = (rel, enclosing_function(tree, f.line)) if tree is not None else None
            (allowed[key] if key in allowed else bad).append(f)
    return bad, allowed


def test_no_address_outside_loopback_is_named_as_a_target():
    bad, _ = all_findings()
    assert not bad, "non-loopback targets (make them the canary, or add a reasoned ALLOW entry):\n" + \
        "\n".join(map(str, bad))


def test_the_allow_list_is_current_and_makes_no_connection():
    _, allowed = all_findings()
    for (rel, fn), found in allowed.items():
        assert ALLOW[rel, fn].strip(), (rel, fn)
        assert found, f"{rel}::{fn} names no non-loopback address any more: drop it from ALLOW"
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"), rel)
        node = next(n for _, _, n in _functions(tree) if n.name == fn)
        calls = {c.func.id if isinstance(c.func, ast.Name) else c.func.attr for c in ast.walk(node)
                 if isinstance(c, ast.Call) and isinstance(c.func, (ast.Name, ast.Attribute))}
        assert not calls & NETWORK_CALLS, f"{rel}::{fn} calls {sorted(calls & NETWORK_CALLS)}"
        params = {p.strip() for d in node.decorator_list if isinstance(d, ast.Call) and d.args
                  and isinstance(d.args[0], ast.Constant) and isinstance(d.args[0].value, str)
                  for p in d.args[0].value.split(",")}
        fixtures = {a.arg for a in node.args.args} - params
        assert fixtures <= HARMLESS_FIXTURES, f"{rel}::{fn} uses fixtures {sorted(fixtures - HARMLESS_FIXTURES)}"


@pytest.mark.parametrize("target", [
    '"http://169.254.169.254/latest/meta-data/"',           # the cloud metadata address
    '"http://2852039166/latest/meta-data/"',                 # the same, as one decimal number
    '"http://0251.0376.0251.0376/latest/meta-data/"',        # the same, in octal
    '"http://[::ffff:169.254.169.254]/latest/meta-data/"',   # the same, IPv4-mapped
    '"http://[fd00:ec2::254]/latest/meta-data/"',            # a private IPv6 metadata address
    '"http://metadata.google.internal/computeMetadata/v1/"',  # a name that resolves to it
    'f"http://10.0.0.5:{self.server.web.canary_port}/"',     # a private address, in an f-string
])
def test_the_scanner_catches_a_target_added_to_hostileweb(target):
    rel = "hostileweb/server.py"
    text = (ROOT / rel).read_text(encoding="utf-8")
    assert not scan_text(rel, text)
    old = 'return self._redirect(self.server.web.canary_url("/latest/meta-data/"))'
    assert old in text, "the ssrf-meta redirect moved: update this test"
    line = text[:text.index(old)].count("\n") + 1
    found = scan_text(rel, text.replace(old, f"return self._redirect({target})"))
    assert [f.line for f in found] == [line], found


def test_the_scanner_catches_a_site_host_and_a_bind_address():
    rel = "hostileweb/server.py"
    text = (ROOT / rel).read_text(encoding="utf-8")
    found = scan_text(rel, text.replace('host="situs-tidak-ada.invalid"', 'host="metadata.google.internal"'))
    assert [f.text for f in found] == ["metadata.google.internal"], found
    for everywhere in ("0.0.0.0", ":" * 2):
        found = scan_text(rel, text.replace('super().__init__(("127.0.0.1", 0), _Handler)',
                                            f'super().__init__(("{everywhere}", 0), _Handler)'))
        assert [f.text for f in found] == [everywhere], found


def _hosts(config_yaml: str) -> list[tuple[str, int | None]]:
    return [(urlsplit(s["url"]).hostname, urlsplit(s["url"]).port) for s in yaml.safe_load(config_yaml)["sites"]]


def test_the_test_beds_configure_loopback_sites_and_an_unlisted_loopback_canary():
    # Binds ports only: no request is made.
    from hostileweb.server import SCENARIOS, HostileWeb
    from simweb.server import SimWeb

    with HostileWeb(only=[s.id for s in SCENARIOS]) as web:
        sites = _hosts(web.config_yaml())
        canary = urlsplit(web.canary_url())
    assert len(sites) == len(SCENARIOS)
    for host, _ in sites:
        assert host.endswith(".invalid") or _loopback(ipaddress.ip_address(host)), host
    assert _loopback(ipaddress.ip_address(canary.hostname))
    assert (canary.hostname, canary.port) not in sites
    with SimWeb(as_of=date(2026, 11, 28)) as sim:
        sites = _hosts(sim.config_yaml())
    assert sites and all(_loopback(ipaddress.ip_address(h)) for h, _ in sites), sites
