"""Typed configuration: `config/sites.yaml` loaded once, validated, and passed down."""
from __future__ import annotations

import calendar
import dataclasses
import difflib
import ipaddress
import json
import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from base.cron import cron_trigger
from base.yamlnodes import Located, Problem

EMAIL_RE = re.compile(r"^[^@\s<>\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ConfigError(Exception):
    """The configuration has problems; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _rule(check, message: str) -> dict:
    """Field metadata: a value check and the message shown when it fails."""
    return {"check": check, "message": message}


def _range(lo, hi):
    return _rule(lambda v: lo <= v <= hi, f"must be between {lo} and {hi}")


@dataclass(frozen=True)
class Thresholds:
    stale_days: int = field(default=14, metadata=_range(1, 3650))
    idle_days: int = field(default=30, metadata=_range(1, 3650))


@dataclass(frozen=True)
class Crawl:
    max_pages: int = field(default=200, metadata=_range(1, 100_000))
    max_depth: int = field(default=4, metadata=_range(0, 50))
    delay_s: float = field(default=1.0, metadata=_range(0, 600))
    per_site_concurrency: int = field(default=2, metadata=_range(1, 16))
    concurrency: int = field(default=32, metadata=_range(1, 1024))
    max_minutes: float = field(default=60, metadata=_range(0.1, 24 * 60))
    timeout_s: float = field(default=20, metadata=_range(1, 600))
    retries: int = field(default=2, metadata=_range(0, 10))
    max_bytes: int = field(default=10_000_000, metadata=_range(10_000, 1_000_000_000))
    max_documents: int = field(default=60, metadata=_range(0, 10_000))
    obey_robots: bool = True
    autothrottle: bool = True
    contact: str | None = field(default=None, metadata=_rule(lambda v: EMAIL_RE.match(v) or v.startswith("http"), "must be an e-mail address or a URL"))
    user_agent: str | None = None
    # Distributed mode (ronda/coordinator.py, docs/distributed.md): the Redis server whose queue of site jobs workers share.
    frontier: str | None = field(default=None, metadata=_rule(lambda v: bool(re.fullmatch(r"rediss?://[^\s/]*(/\d{0,2})?", v)), "must be a Redis URL such as redis://127.0.0.1:6379/0"))
    # false: every night fetches every page in full (no If-None-Match / If-Modified-Since).
    incremental: bool = True
    # A worker silent this long is taken for dead: the sites it held go back to the queue.
    worker_timeout_s: float = field(default=60, metadata=_range(2, 3600))


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = field(default=587, metadata=_range(1, 65535))
    security: str = field(default="starttls", metadata=_rule(lambda v: v in ("none", "starttls", "ssl"), "must be one of none, starttls, ssl"))
    user: str | None = None
    ca_file: str | None = None
    timeout_s: float = field(default=30, metadata=_range(1, 600))


@dataclass(frozen=True)
class Mail:
    from_: str = "ronda <ronda@localhost>"
    smtp: Smtp | None = None
    outbox: str = "outbox"
    diskominfo: tuple[str, ...] = field(default=(), metadata=_rule(lambda v: all(EMAIL_RE.match(x) for x in v), "must be a list of e-mail addresses"))
    digest: bool = True


# --- chat notifications (docs/notifications.md): Apprise URLs, secrets as ${ENV_NAME} expanded at load ---------
DIGEST_CADENCES = ("daily", "weekly", "off")
ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Notify:
    """Chat channels (Apprise URLs) by name, Diskominfo's channels, and each Diskominfo channel's digest cadence."""

    channels: dict[str, str] = field(default_factory=dict, repr=False, metadata=_rule(lambda v: all(ID_RE.match(k) for k in v), "names must be lower-case letters, digits, '-' or '_'"))
    diskominfo: tuple[str, ...] = field(default=(), repr=False)   # URLs with secrets filled in: never in a repr
    digest: dict[str, str] = field(default_factory=dict, metadata=_rule(lambda v: all(x in DIGEST_CADENCES for x in v.values()), "each cadence must be daily, weekly or off"))


def unset_message(name: str) -> str:
    """The one wording of a ${NAME} that the environment does not set."""
    return f"environment variable {name} is not set (the URL reads it as ${{{name}}})"


def _expand_secrets(raw: Any, b: "_Builder", env: typing.Mapping[str, str], strict: bool) -> list[tuple[str, str]]:
    """Replace ${NAME} in every channel URL by the environment's value; an unset one stays `${NAME}`.

    Strict (check-config), an unset one is a problem at its line. Otherwise the night goes on: a missing chat token
    must not cost every site its verdict; the channel's deliveries fail, say why, and go out once it is set.
    """
    used: dict[str, str] = {}

    def expand(container, key, path: str) -> None:
        v = container[key]
        if not isinstance(v, str):
            return
        for name in ENV_REF.findall(v):
            if env.get(name):
                used[name] = env[name]
            elif strict:
                b.fail(path, unset_message(name))
        container[key] = ENV_REF.sub(lambda m: env.get(m.group(1)) or m.group(0), v)

    notify = raw.get("notify") if isinstance(raw, dict) else None
    if isinstance(notify, dict):
        if isinstance(notify.get("channels"), dict):
            for k in notify["channels"]:
                expand(notify["channels"], k, f"notify.channels.{k}")
        if isinstance(notify.get("diskominfo"), list):
            for i in range(len(notify["diskominfo"])):
                expand(notify["diskominfo"], i, f"notify.diskominfo[{i}]")
    for i, s in enumerate(raw.get("sites") or () if isinstance(raw, dict) else ()):
        head = s.get("head") if isinstance(s, dict) else None
        if isinstance(head, dict) and isinstance(head.get("channels"), list):
            for j in range(len(head["channels"])):
                expand(head["channels"], j, f"sites[{i}].head.channels[{j}]")
    return sorted(used.items())


def _check_channels(cfg: "Config", b: "_Builder", check_url) -> None:
    """Every channel reference names a defined channel or is a URL; with `check_url`, each URL is read by it."""
    names = cfg.notify.channels
    refs = [(f"notify.diskominfo[{i}]", c) for i, c in enumerate(cfg.notify.diskominfo)]
    refs += [(f"sites[{i}].head.channels[{j}]", c) for i, s in enumerate(cfg.sites) if s.head
             for j, c in enumerate(s.head.channels)]
    for path, ref in refs:
        if "://" not in ref and ref not in names:
            b.fail(path, f"unknown channel {ref!r}: name one of notify.channels ({', '.join(names) or 'none defined'}) "
                         "or write an Apprise URL")
    for k in cfg.notify.digest:
        if k not in cfg.notify.diskominfo:
            b.fail(f"notify.digest.{k}", "is not one of notify.diskominfo")
    if check_url:
        urls = [(f"notify.channels.{k}", u) for k, u in names.items()] + [(p, r) for p, r in refs if "://" in r]
        for path, url in urls:
            problem = check_url(url)
            if problem:
                b.fail(path, problem)


def _is_day(v: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)) and _parses_as_day(v)


def _parses_as_day(v: str) -> bool:
    y, m, d = (int(x) for x in v.split("-"))
    return 1 <= y and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


@dataclass(frozen=True)
class Maintenance:
    """A maintenance window (as-of days, inclusive): alerts of these sites (all when empty) are suppressed."""

    start: str = field(metadata=_rule(_is_day, "must be a date YYYY-MM-DD"))
    end: str = field(metadata=_rule(_is_day, "must be a date YYYY-MM-DD"))
    sites: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Alerts:
    down_after: int = field(default=2, metadata=_range(1, 365))
    reminder_days: int = field(default=7, metadata=_range(1, 365))
    escalate_after: int = field(default=3, metadata=_range(1, 100))
    completeness_drop: int = field(default=10, metadata=_range(1, 100))
    tls_days: int = field(default=14, metadata=_range(1, 365))
    maintenance: tuple[Maintenance, ...] = ()


def _words(v: tuple[str, ...]) -> bool:
    return all(ID_RE.match(x) for x in v)


@dataclass(frozen=True)
class Categories:
    """The values `sites[].category` may take: OPD categories are ranked, the others are shown apart."""

    opd: tuple[str, ...] = field(default=("sekretariat", "inspektorat", "dinas", "badan", "kantor", "satpol", "satuan",
                                          "rsud", "kecamatan", "kelurahan"),
                                 metadata=_rule(_words, "must be a list of lower-case words"))
    other: tuple[str, ...] = field(default=("puskesmas", "portal"), metadata=_rule(_words, "must be a list of lower-case words"))


@dataclass(frozen=True)
class Report:
    out: str = "laporan"
    weekday: str = field(default="mon", metadata=_rule(lambda v: v in WEEKDAYS, "must be one of " + ", ".join(WEEKDAYS)))


def _valid_cron(expr: str) -> bool:
    """Five crontab fields (or six, seconds first); weekdays by name, as APScheduler reads them."""
    try:
        cron_trigger(expr, "UTC")
    except ValueError:
        return False
    return True


_CRON = _rule(_valid_cron, "must be a crontab expression such as \"0 1 * * *\" with weekdays by name (mon..sun)")


@dataclass(frozen=True)
class Schedule:
    crawl: str = field(default="0 1 * * *", metadata=_CRON)
    report: str = field(default="0 6 * * mon", metadata=_CRON)


@dataclass(frozen=True)
class Retention:
    pages_days: int = field(default=30, metadata=_range(1, 36500))
    """Per-page facts older than this are pruned (verdicts and alerts are kept)."""
    vacuum: bool = True


@dataclass(frozen=True)
class Log:
    file: str | None = None
    level: str = field(default="info", metadata=_rule(lambda v: v in ("debug", "info", "warning", "error"), "must be debug, info, warning or error"))


@dataclass(frozen=True)
class Head:
    name: str | None = None
    email: str | None = field(default=None, metadata=_rule(lambda v: EMAIL_RE.match(v), "is not an e-mail address"))
    placeholder: bool = False
    channels: tuple[str, ...] = field(default=(), repr=False)


def _valid_url(v: str) -> bool:
    parts = urlsplit(v)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in v


@dataclass(frozen=True)
class Site:
    id: str = field(metadata=_rule(ID_RE.match, "must be lower-case letters, digits, '-' or '_' (at most 64)"))
    name: str = field(metadata=_rule(lambda v: v.strip(), "must not be empty"))
    url: str = field(metadata=_rule(_valid_url, "must be an http:// or https:// URL with a host name"))
    aliases: tuple[str, ...] = ()
    head: Head | None = None
    category: str | None = None
    enabled: bool = True
    verified: bool = True
    muted: bool = False
    source: str | None = field(default=None, metadata=_rule(lambda v: v.strip(), "must not be empty"))
    notes: str | None = None


# --- sites discovery (`ronda sites verify|discover`, docs/configuration.md#discovery) ---------------------
HOST_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")
_ADDRESS_RE = re.compile(r"^(?:(?P<v4>\d{1,3}(?:\.\d{1,3}){3})|\[(?P<v6>[0-9A-Fa-f:.]+)\])(?::(?P<port>\d{1,5}))?$")


def resolve_entry(value: str) -> tuple[str, int | None] | None:
    """An `address[:port]` of the resolve map as (address, port or None); None when it is not one."""
    m = _ADDRESS_RE.match(value.strip()) if isinstance(value, str) else None
    if m is None:
        return None
    try:
        address = str(ipaddress.ip_address(m.group("v4") or m.group("v6")))
    except ValueError:
        return None
    port = int(m.group("port")) if m.group("port") else None
    return None if port is not None and not 1 <= port <= 65535 else (address, port)


def _valid_resolve(v: Any) -> bool:
    return isinstance(v, dict) and all(isinstance(k, str) and HOST_RE.match(k) and resolve_entry(str(x))
                                       for k, x in v.items())


@dataclass(frozen=True)
class Config:
    sites: tuple[Site, ...]
    organization: str = "Pemerintah Daerah"
    timezone: str = field(default="Asia/Jakarta", metadata=_rule(lambda v: _is_zone(v), "is not a known time zone (e.g. Asia/Jakarta)"))
    language: str = field(default="id", metadata=_rule(lambda v: v in ("id", "en"), "must be id or en"))
    thresholds: Thresholds = Thresholds()
    crawl: Crawl = Crawl()
    mail: Mail = Mail()
    alerts: Alerts = Alerts()
    checklist: str | None = None
    categories: Categories = Categories()
    report: Report = Report()
    schedule: Schedule = Schedule()
    retention: Retention = Retention()
    log: Log = Log()
    notify: Notify = Notify()
    # discovery: the Pemda's domain, its portal's directory page, and names resolved by ronda itself (curl --resolve)
    domain: str | None = field(default=None, metadata=_rule(lambda v: bool(HOST_RE.match(v)), "must be a domain name such as pematangsiantar.go.id"))
    portal: str | None = field(default=None, metadata=_rule(_valid_url, "must be an http:// or https:// URL with a host name"))
    resolve: dict[str, str] = field(default_factory=dict, metadata=_rule(_valid_resolve, "must map lower-case host names to address[:port], such as 127.0.0.1:8080 or [::1]:8080"))
    path: Path | None = field(default=None, metadata={"internal": True})
    secrets: tuple[tuple[str, str], ...] = field(default=(), repr=False, metadata={"internal": True})
    """(NAME, value) of each ${NAME} expanded in a channel URL: masked wherever a URL is shown"""

    @property
    def enabled_sites(self) -> tuple[Site, ...]:
        return tuple(s for s in self.sites if s.enabled)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_opd(self, site: Site) -> bool:
        """A site without a category, or with one of `categories.opd`, is an OPD (ranked in the report)."""
        return site.category not in self.categories.other

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)

    def checklist_path(self) -> Path | None:
        """The checklist file: as configured, else beside sites.yaml, else None (the packaged copy)."""
        base = self.path.parent if self.path else Path.cwd()
        if self.checklist:
            return base / self.checklist
        beside = base / "checklist.yaml"
        return beside if self.path and beside.exists() else None


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


def _yaml_key(f: dataclasses.Field) -> str:
    return f.name.rstrip("_")


class _Builder:
    """Turns located YAML values into the dataclasses above, collecting every problem."""

    def __init__(self, doc: Located):
        self.doc = doc
        self.problems: list[Problem] = list(doc.problems)

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.doc.file, self.doc.line(path), path, message))

    def build(self, cls: type, data: Any, path: str) -> Any:
        if not isinstance(data, dict):
            self.fail(path, f"must be a mapping, not {_kind(data)}")
            return None
        hints = typing.get_type_hints(cls)
        fields = {_yaml_key(f): f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
        for key in data:
            if key not in fields:
                close = difflib.get_close_matches(str(key), fields, n=1, cutoff=0.6) or [
                    k for k in fields if k[:3] == str(key)[:3]]   # a typo ("nmae"), or a shortened key
                hint = f" (did you mean {close[0]}?)" if close else ""
                self.fail(_join(path, key), f"unknown key{hint}")
        kwargs: dict[str, Any] = {}
        ok = True
        for key, f in fields.items():
            sub = _join(path, key)
            if key not in data:
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    self.fail(sub if path else key, "is required")
                    ok = False
                continue
            value = self.coerce(hints[f.name], data[key], sub)
            if value is _BAD:
                ok = False
                continue
            rule = f.metadata.get("check")
            if rule and value is not None and not rule(value):
                self.fail(sub, f"{f.metadata['message']} (got {_show(value)})")
                ok = False
                continue
            kwargs[f.name] = value
        return cls(**kwargs) if ok else None

    def coerce(self, hint: Any, value: Any, path: str) -> Any:
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            if value is None and type(None) in args:
                return None
            hint = next(a for a in args if a is not type(None))
            origin, args = typing.get_origin(hint), typing.get_args(hint)
        if dataclasses.is_dataclass(hint):
            if value is None:
                return hint() if _all_defaulted(hint) else self._bad(path, "must be a mapping")
            built = self.build(hint, value, path)
            return _BAD if built is None else built
        if origin is dict:
            if not isinstance(value, dict):
                return self._bad(path, f"must be a mapping, not {_kind(value)}")
            items = {str(k): self.coerce(args[1], v, f"{path}.{k}") for k, v in value.items()}
            return _BAD if _BAD in items.values() else items
        if origin is tuple:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list):
                return self._bad(path, f"must be a list, not {_kind(value)}")
            items = [self.coerce(args[0], v, f"{path}[{i}]") for i, v in enumerate(value)]
            return _BAD if _BAD in items else tuple(items)
        if hint is bool:
            return value if isinstance(value, bool) else self._bad(path, f"must be true or false, not {_show(value)}")
        if hint is int:
            if isinstance(value, bool) or not isinstance(value, int):
                return self._bad(path, f"must be a whole number, not {_show(value)}")
            return value
        if hint is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return self._bad(path, f"must be a number, not {_show(value)}")
            return float(value)
        if hint is str:
            if isinstance(value, (dict, list)) or value is None:
                return self._bad(path, f"must be text, not {_kind(value)}")
            return str(value)
        return value

    def _bad(self, path: str, message: str) -> Any:
        self.fail(path, message)
        return _BAD


_BAD = object()


def _all_defaulted(cls: type) -> bool:
    return all(f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING for f in dataclasses.fields(cls))


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _kind(v: Any) -> str:
    return {dict: "a mapping", list: "a list", type(None): "empty"}.get(type(v), type(v).__name__)


def _show(v: Any) -> str:
    """A value as the operator wrote it in YAML (a list in brackets, text in quotes), cut to 60 characters."""
    if isinstance(v, (tuple, list)):
        s = "[" + ", ".join(_show(x) for x in v) + "]"
    else:
        s = json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, str) else repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


def parse(text: str, file: str = "sites.yaml", path: Path | None = None, env: typing.Mapping[str, str] | None = None,
          check_url: typing.Callable[[str], str | None] | None = None) -> Config:
    """Validate YAML text into a Config, or raise ConfigError listing every problem.

    `env` (default: the process environment, read now) fills ${NAME} in channel URLs; `check_url`, when given,
    returns the problem of one expanded channel URL or None (check-config passes Apprise's parser).
    """
    doc = Located(file, text)
    b = _Builder(doc)
    cfg = None
    secrets: list[tuple[str, str]] = []
    if not doc.problems:
        if doc.value is None:
            b.fail("", "the file is empty: it needs at least a `sites:` list")
        else:
            secrets = _expand_secrets(doc.value, b, os.environ if env is None else env, strict=check_url is not None)
            cfg = b.build(Config, doc.value, "")
            _cross_checks(doc.value, b)
            if cfg is not None:
                _check_channels(cfg, b, check_url)
    if b.problems:
        raise ConfigError(sorted(set(b.problems), key=lambda p: (p.line or 0, p.key)))
    return dataclasses.replace(cfg, path=path, secrets=tuple(secrets))


def _cross_checks(raw: Any, b: _Builder) -> None:
    """Checks across fields, on the raw values so they run even when a field is bad."""
    if not isinstance(raw, dict):
        return
    sites = raw.get("sites")
    if isinstance(sites, list):
        if not sites:
            b.fail("sites", "must list at least one site")
        seen: dict[tuple[str, str], int] = {}
        for i, s in enumerate(sites):
            if not isinstance(s, dict):
                continue
            for key, norm in (("id", str), ("url", _norm_url)):
                v = s.get(key)
                if not isinstance(v, str):
                    continue
                k = (key, norm(v))
                if k in seen:
                    b.fail(f"sites[{i}].{key}", f"duplicate {key} {v!r} (also sites[{seen[k]}])")
                seen.setdefault(k, i)
    _check_categories(raw, b)
    t = raw.get("thresholds")
    if isinstance(t, dict):
        stale, idle = t.get("stale_days", 14), t.get("idle_days", 30)
        if isinstance(stale, int) and isinstance(idle, int) and stale >= idle:
            b.fail("thresholds.stale_days", f"must be smaller than idle_days ({idle})")


def _check_categories(raw: dict, b: _Builder) -> None:
    """Every site's category is a known one, so that a misspelt category never silently ranks a puskesmas as an OPD."""
    cats = raw.get("categories") if isinstance(raw.get("categories"), dict) else {}
    opd, other = (cats.get(k, getattr(Categories, k)) for k in ("opd", "other"))
    opd = [opd] if isinstance(opd, str) else opd
    other = [other] if isinstance(other, str) else other
    if not isinstance(opd, (list, tuple)) or not isinstance(other, (list, tuple)):
        return  # the type problem is reported by the builder
    both = sorted(set(map(str, opd)) & set(map(str, other)))
    if both:
        b.fail("categories.other", f"{', '.join(both)} cannot be both an OPD category and another one")
    known = [str(c) for c in (*opd, *other)]
    sites = raw.get("sites")
    for i, s in enumerate(sites if isinstance(sites, list) else ()):
        c = s.get("category") if isinstance(s, dict) else None
        if isinstance(c, str) and c not in known:
            b.fail(f"sites[{i}].category", f"unknown category {c!r}: must be one of {', '.join(known)} "
                                           "(or add it to categories.opd or categories.other)")


def _norm_url(url: str) -> str:
    p = urlsplit(url.strip())
    host = (p.hostname or "").lower()
    port = f":{p.port}" if p.port else ""
    return f"{host}{port}{p.path.rstrip('/') or '/'}"


def load(path: str | Path, env: typing.Mapping[str, str] | None = None,
         check_url: typing.Callable[[str], str | None] | None = None) -> Config:
    """Read and validate a sites.yaml file (see `parse` for env and check_url)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError([Problem(str(path), None, "", f"cannot read: {e}")]) from None
    return parse(text, file=str(path), path=path.resolve(), env=env, check_url=check_url)
