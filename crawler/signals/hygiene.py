"""Page hygiene: mixed content on HTTPS pages and the CMS generator the page announces."""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from . import Context, join_url
from .tree import FOLDS_TO_ASCII

__all__ = ["Hygiene", "extract"]

MAX_URLS = 50

_TAGS = ("script", "img", "iframe", "frame", "link", "form", "source", "video", "audio", "embed", "object", "input",
         "meta", "base")


def _trie(words: tuple[str, ...]) -> str:
    """An alternation of `words` grouped by first letter ("i(?:frame|mg|nput)"), twice as fast as a flat one.

    The matches are the same: words that can match at one place share a first letter, and keep their order.
    """
    first: dict[str, list[str]] = {}
    for w in words:
        first.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(f"{ch}(?:{'|'.join(rest)})" for ch, rest in sorted(first.items()))


# A regex scan instead of a second lxml parse: the spam signal already parses, and
# these few tags and attributes are all hygiene needs (~0.2 ms on a 30 KB page).
_TAG_RX = re.compile(rf"<((?:{_trie(_TAGS)}))\b([^>]*)>", re.I)
_ATTR_RX = re.compile(r"""([a-zA-Z_:][-\w:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
# attribute that loads a subresource, per tag
_LOADS = {"script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "frame": ("src",),
          "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",), "embed": ("src",),
          "object": ("data",), "input": ("src",), "form": ("action",), "link": ("href",)}
# <link rel> values that fetch something the page renders with
_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "apple-touch-icon", "shortcut"}


@dataclass
class Hygiene:
    """Mixed-content URLs and the announced generator of one page."""

    mixed_content: list[str] = field(default_factory=list)
    generator: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able data."""
        return {"mixed_content": list(self.mixed_content), "generator": self.generator}


def _strip_between(html: str, start: str, end: str, keep_open: bool) -> str:
    """Drop comments or script bodies in one linear pass (a lazy regex rescans on hostile pages)."""
    # the markers are found case-blind; lowering a 100 KB page outside ASCII costs 1 ms, and "<!--" has no case
    low = html if (start + end).lower() == (start + end).upper() else _Lowered(html)
    out, pos = [], 0
    while True:
        i = low.find(start, pos)
        if i < 0:
            break
        j = low.find(end, i + len(start))
        if keep_open:  # keep the <script ...> tag itself: its src matters
            gt = low.find(">", i)
            out.append(html[pos:(gt + 1 if gt >= 0 else len(html))])
            if gt < 0:
                return "".join(out)
            if j < 0:
                return "".join(out)
            pos = j
        else:
            out.append(html[pos:i])
            if j < 0:
                return "".join(out)
            pos = j + len(end)
    out.append(html[pos:])
    return "".join(out)


class _Lowered:
    """`find` over a text as over text.lower(), without lowering it (a text holding a character whose lower case
    is another length or that re folds otherwise than str.lower() is lowered: FOLDS_TO_ASCII)."""

    def __init__(self, text: str):
        self.text = text
        self.low = text.lower() if not text.isascii() and any(ch in text for ch in FOLDS_TO_ASCII) else None
        self.patterns: dict[str, re.Pattern[str]] = {}

    def find(self, sub: str, start: int = 0) -> int:
        if self.low is not None:
            return self.low.find(sub, start)
        if sub.lower() == sub.upper():
            return self.text.find(sub, start)
        rx = self.patterns.get(sub)
        if rx is None:
            rx = self.patterns[sub] = re.compile(re.escape(sub), re.IGNORECASE)
        m = rx.search(self.text, start)
        return m.start() if m else -1


def _attrs(raw: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in _ATTR_RX.findall(raw):
        name = name.lower()
        if name not in out:  # the first of duplicate attributes wins, as in browsers
            if value[:1] in "\"'":
                value = value[1:-1]
            out[name] = htmllib.unescape(value).strip()
    return out


def _stays_https(raw: str, base: str) -> bool:
    """Whether no URL in a tag's raw attributes can load over http, so that reading them can be skipped.

    A URL loads over http only with a scheme, i.e. a ":" (or an entity, "&#58;"): with an https base, a tag whose
    every ":" ends an "https:" and that has no entity but "&amp;" holds only https and relative URLs, and those
    joined stay https. ("&amp;" reads as "&", never a ":"; it is blanked, so that it joins no letters into "https".)
    """
    raw = raw.replace("&amp;", " ")
    return "&" not in raw and raw.count(":") == raw.lower().count("https:") and base[:6].lower() == "https:"


def _may_name_generator(raw: str, generator: str | None) -> bool:
    """Whether a <meta> tag's raw attributes can be the first generator meta, so that reading them can be skipped.

    Only the first one counts; its name attribute, unescaped and lower-cased, reads "generator": without an
    entity ("&") the raw text holds that word in some case (no other character lower-cases to its letters).
    """
    return generator is None and ("&" in raw or "generator" in raw.lower())


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def extract(url: str, html: str, headers: Mapping[str, Any] | None, ctx: Context | None) -> Hygiene:
    """http:// subresources of an https page (scripts, styles, images, frames, forms) and meta generator."""
    out = Hygiene()
    if not html:
        return out
    text = _strip_between(_strip_between(html, "<!--", "-->", keep_open=False), "<script", "</script", keep_open=True)
    https = (url or "").lower().startswith("https://")
    base = url or ""
    seen: set[str] = set()
    for m in _TAG_RX.finditer(text):
        tag = m.group(1).lower()
        if tag not in _LOADS and tag not in ("meta", "base"):
            continue   # "<ſcript": re's case-blindness reads ſ as s, lower() keeps it: no tag a browser knows
        if not https and tag != "meta":
            continue   # a page over http has no mixed content: only its generator is read (the base serves https)
        if https and tag not in ("meta", "base") and _stays_https(m.group(2), base):
            continue
        if tag == "meta" and not _may_name_generator(m.group(2), out.generator):
            continue
        a = _attrs(m.group(2))
        if tag == "meta":
            if out.generator is None and a.get("name", "").lower() == "generator" and a.get("content"):
                out.generator = a["content"][:120]
            continue
        if tag == "base":
            if a.get("href"):
                base = join_url(base, a["href"]) or base   # an unparseable <base> is ignored, as browsers do
            continue
        if not https:
            continue
        if tag == "link" and not (_LINK_RELS & set(a.get("rel", "").lower().split())):
            continue
        if tag == "input" and a.get("type", "").lower() != "image":
            continue
        for attr in _LOADS[tag]:
            value = a.get(attr)
            if not value:
                continue
            for u in _srcset_urls(value) if attr == "srcset" else [value]:
                if u[:6].lower() == "https:":
                    continue   # joined, it stays https (or is kept as is): never mixed content
                full = join_url(base, u) if base else u
                if full is None:
                    continue   # an unparseable URL (`http://[x]/`) loads nothing
                if full.lower().startswith("http://") and full not in seen and len(out.mixed_content) < MAX_URLS:
                    seen.add(full)
                    out.mixed_content.append(full)
    return out
