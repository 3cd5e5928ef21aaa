"""The links of a page or block for the spam signal: where they go, what their text, title and path say, link farms."""
from __future__ import annotations

import ipaddress
import re
from typing import Any, Iterable, NamedTuple
from urllib.parse import urlsplit

from .spam_rules import Rules, find_terms

__all__ = ["Links", "host", "trusted", "spam_domain", "anchor_text", "href_words", "read_links", "farm_gate",
           "term_links", "LABEL_MAX"]

_WS_RX = re.compile(r"\s+")
_PATH_WORDS_RX = re.compile(r"[-_/+.%]+")
# one link named in evidence: host and path, cut so that a few fit in one line
LABEL_MAX = 60


class Links(NamedTuple):
    """What a set of anchors says and where it goes: per link (text, title, words, label) and per host."""

    texts: list[str]  # anchor texts, lower-cased ("" for none)
    titles: list[str]  # title attributes, lower-cased ("" for none)
    words: list[str]  # per link: its text, title, host and path words
    labels: list[str]  # per link: host and path, for evidence
    other: set[str]  # hosts other than the site's own
    foreign: set[str]  # untrusted hosts other than the site's own
    spam_hosts: set[str]
    farm: dict[str, str]  # government/academic host or IP -> label of its first link at an asset folder
    farm_links: int  # links to such hosts at asset folders


def host(url: str | None) -> str:
    """A URL's host without `www.` ("" when it has none or is malformed)."""
    if not url:
        return ""
    try:
        h = urlsplit(url).hostname or ""
    except ValueError:  # malformed URL in hostile HTML: no host
        return ""
    return h[4:] if h.startswith("www.") else h


def trusted(h: str, r: Rules) -> bool:
    """Whether a host is under a government, academic or other trusted suffix."""
    return any(h == s or h.endswith("." + s) for s in r.trusted_suffixes)


def spam_domain(h: str, r: Rules) -> bool:
    """Whether an untrusted host's name reads as a spam domain."""
    if not h or trusted(h, r):
        return False
    labels = h.split(".")
    # the public suffix is not evidence ("bet" TLDs aside, judge the names)
    return any(r.spam_domain_rx.search(lab) for lab in labels[:-1] if lab)


def _is_ip(h: str) -> bool:
    try:
        ipaddress.ip_address(h)
    except ValueError:
        return False
    return True


def anchor_text(a: Any) -> str:
    """A link's text, whitespace-collapsed and lower-cased."""
    return _WS_RX.sub(" ", " ".join(a.itertext())).strip().lower()


class _Target(NamedTuple):
    """Where a link goes: host, lower-cased path without a document or media file's name, and whether it named one."""

    host: str
    path: str
    file: bool


def _target(href: str, r: Rules) -> _Target | None:
    """A link's target (None: malformed)."""
    try:
        parts = urlsplit(href)
        h = parts.hostname or ""
    except ValueError:  # malformed URL in hostile HTML
        return None
    path = parts.path.lower()
    # a file's name says nothing about spam: sites name their own uploads "kegiatan88.jpg"
    file = bool(r.file_ext_rx.search(path))
    return _Target(h, path.rpartition("/")[0] + "/" if file else path, file)


def _words(t: _Target | None) -> str:
    return _PATH_WORDS_RX.sub(" ", f"{t.host} {t.path}") if t else ""


def href_words(href: str, r: Rules) -> str:
    """Words of a link's host and path (slugs like /slot-gacor-hari-ini/ carry spam too)."""
    return _words(_target(href, r)).lower()


def _label(h: str, path: str) -> str:
    text = (h.removeprefix("www.") + path) or "/"
    return text if len(text) <= LABEL_MAX else text[:LABEL_MAX - 1] + "…"


def read_links(anchors: Iterable[Any], own_hosts: set[str], r: Rules, off_site_only: bool = False) -> Links:
    """What the anchors say and where they go; `off_site_only` keeps absolute links to other hosts only."""
    out = Links([], [], [], [], set(), set(), set(), {}, 0)
    farm_links = 0
    for a in anchors:
        href = (a.get("href") or "").strip()
        if off_site_only and not href.lower().startswith(("http:", "https:", "//")):
            continue  # relative links stay on the site
        t = _target(href, r)
        h = t.host.removeprefix("www.") if t else ""
        if off_site_only and (not h or h in own_hosts):
            continue
        text, title = anchor_text(a), _WS_RX.sub(" ", a.get("title") or "").strip().lower()
        out.texts.append(text)
        out.titles.append(title)
        out.words.append(f"{text} {title} {_words(t)}")
        out.labels.append(_label(t.host, t.path) if t else "")
        if not h or h in own_hosts:
            continue
        out.other.add(h)
        if not trusted(h, r):
            out.foreign.add(h)
        if spam_domain(h, r):
            out.spam_hosts.add(h)
        if t and not t.file and r.farm_path_rx.search(t.path) and (r.farm_host_rx.search(h) or _is_ip(h)):
            farm_links += 1
            out.farm.setdefault(h, _label(t.host, t.path))
    return out._replace(farm_links=farm_links)


def term_links(links: Links, r: Rules) -> list[int]:
    """Indexes of the links whose own text, title or path carries a spam term."""
    return [i for i, w in enumerate(links.words) if find_terms(w, r)]


def farm_gate(low: str, r: Rules, patterns: Any = None) -> bool:
    """Whether a lower-cased raw page links other government/academic hosts or IPs at asset folders often enough.

    `patterns`: the gate's patterns to use instead of r.farm_gate (its case-blind ones on a text not lowered).
    """
    need = r.th["farm_min_hosts"]
    n = 0
    for rx in r.farm_gate if patterns is None else patterns:
        for _ in rx.finditer(low):
            n += 1
            if n >= need:
                return True
    return False
