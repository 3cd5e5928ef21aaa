"""Completeness checklist compiled: the matchers of its items, and the items, years and hosts a text names."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from base.checklist import _TOKEN_RE, Checklist, Item, Rules, _default, _key

from .checklist_scan import anchor_gates, name_word_gate, phrase_trie
from .tree import FOLDS_TO_ASCII

_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# a label prefix stops at these separators: "Kategori: Berita", "PPID › LKjIP", "Publik / SKM", "(RKA)"
_SEP_CHARS = "|/›»:–—(["


def _phrase_pattern(key: str) -> str:
    # separators between words may be spaces, nbsp, '-', '_', '&', '/'...: "VISI-MISI", "Visi & Misi"
    return r"[\W_]+".join(re.escape(t) for t in key.split(" "))


def _alternation(keys: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for many phrases, as a trie: fast on long texts, and the longest phrase wins."""
    trie = phrase_trie(keys)
    if trie is None:
        return None
    return re.compile(rf"(?<![^\W_])(?:{trie})(?![^\W_])", re.IGNORECASE)


@dataclass
class Compiled:
    """A checklist compiled into matchers, with the caches the pages read with it share."""

    items: Checklist
    by_id: dict[str, Item]
    regex: re.Pattern[str] | None
    fast_regex: re.Pattern[str] | None          # the same trie for lowered text (see match_in)
    phrase_item: dict[str, str | None]          # phrase key -> item id (None = an exclude that consumes)
    firsts: frozenset[str]                      # the first word of every phrase key
    near_regex: re.Pattern[str] | None
    near_item: dict[str, tuple[str, ...]]       # exclude key -> items it cancels nearby
    hints: dict[str, tuple[str, ...]]           # url slug -> items
    host_exact: list[tuple[str, str]]           # (host suffix, item)
    host_first: dict[str, tuple[str, ...]]      # first label ("lpse") -> items
    host_ends: tuple[str, ...]                  # every suffix of host_exact
    prefixes: frozenset[str]
    generic: frozenset[str]
    doc_ext: frozenset[str]
    boiler: re.Pattern[str]                     # finds a boilerplate word among a class value's words
    chrome: re.Pattern[str]
    placeholder: re.Pattern[str] | None
    content: dict[str, re.Pattern[str]]
    rules: Rules
    label_gate: re.Pattern[str]                 # see evidence_anchors and checklist_scan
    fold_gate: re.Pattern[str]
    href_gate: re.Pattern[str]
    class_cache: dict[Any, int] = field(default_factory=dict)
    label_cache: dict[tuple[str, bool], tuple[str, ...]] = field(default_factory=dict)
    target_cache: dict[tuple[str, str, str], tuple[Any, ...]] = field(default_factory=dict)


_COMPILED: dict[int, tuple[Any, Compiled]] = {}


def compiled(items: Any = None) -> Compiled:
    """The compiled matcher of a checklist (cached per checklist object)."""
    if not items:
        items = _default()
    hit = _COMPILED.get(id(items))
    if hit is not None and hit[0] is items:
        return hit[1]
    c = _compile(items if isinstance(items, Checklist) else Checklist(items, _default().rules))
    if len(_COMPILED) > 32:  # a long-running scheduler reloading its config must not grow this forever
        _COMPILED.clear()
    _COMPILED[id(items)] = (items, c)
    return c


def _compile(items: Checklist) -> Compiled:
    r = items.rules
    phrase_item: dict[str, str | None] = {}
    near_item: dict[str, list[str]] = {}
    hints: dict[str, list[str]] = {}
    host_exact: list[tuple[str, str]] = []
    host_first: dict[str, list[str]] = {}
    for it in items:
        keys = {_key(w) for w in it.words}
        for k in keys:
            phrase_item[k] = it.id
        for ex in it.exclude:
            k = _key(ex)
            # an exclude that contains one of the item's words consumes it ("tahun anggaran");
            # one that does not cancels the item's words nearby ("industri kecil" near "IKM")
            if any(re.search(rf"(?<![^\W_]){_phrase_pattern(w)}(?![^\W_])", k) for w in keys):
                phrase_item.setdefault(k, None)
            else:
                near_item.setdefault(k, []).append(it.id)
        for h in it.url_hints:
            hints.setdefault(h, []).append(it.id)
        for h in it.hosts:
            if h.endswith(".*"):
                host_first.setdefault(h[:-2], []).append(it.id)
            else:
                host_exact.append((h, it.id))
    content = {k: re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE) for k, pats in r.content}
    return Compiled(
        items=items, by_id=items.by_id(), regex=_alternation(phrase_item), phrase_item=phrase_item,
        fast_regex=(re.compile(rf"[\W_]({phrase_trie(phrase_item)})(?![^\W_])")
                    if phrase_item and all(k.isascii() for k in phrase_item) else None),
        firsts=frozenset(k.split(" ")[0] for k in phrase_item),
        near_regex=_alternation(near_item), near_item={k: tuple(v) for k, v in near_item.items()},
        hints={k: tuple(v) for k, v in hints.items()}, host_exact=host_exact,
        host_first={k: tuple(v) for k, v in host_first.items()}, host_ends=tuple(h for h, _ in host_exact),
        prefixes=frozenset(_key(p) for p in r.label_prefixes), generic=frozenset(_key(g) for g in r.generic_labels),
        doc_ext=frozenset(r.doc_extensions), boiler=name_word_gate(r.boilerplate), chrome=name_word_gate(r.chrome),
        placeholder=_alternation(_key(p) for p in r.placeholder), content=content, rules=r,
        **anchor_gates(phrase_item, hints, host_first, host_exact, r.generic_labels),
    )


def match(text: str, items: Any = None, *, at_start: bool = False) -> list[tuple[str, int, int]]:
    """Items named in a text as (item id, start, end); at_start = only where a label or heading begins."""
    return match_in(compiled(items), text, at_start)


def match_in(c: Compiled, text: str, at_start: bool) -> list[tuple[str, int, int]]:
    if c.regex is None or not text:
        return []
    if c.fast_regex is not None and (text.isascii() or not any(ch in text for ch in FOLDS_TO_ASCII)):
        # ASCII phrases match such a text case-blind exactly where they match it lowered, at the same offsets (only
        # U+0130 changes length when lowered); and "a non-word character (a NUL before the text), then a phrase"
        # lets re try the phrases only there, skipping the rest in C: 3x faster, and than may_match's own test
        found = [(m.group(1), m.start(1) - 1, m.end(1) - 1) for m in c.fast_regex.finditer("\x00" + text.lower())]
    elif not may_match(c, text):
        return []
    else:
        found = [(m.group(), m.start(), m.end()) for m in c.regex.finditer(text)]
    out = []
    for phrase, start, end in found:
        iid = c.phrase_item.get(_key(phrase))
        if iid is None:
            continue
        if at_start and not _starts(c, text, start):
            continue
        out.append((iid, start, end))
    if out and c.near_regex is not None:
        w = c.rules.exclude_window
        for m in c.near_regex.finditer(text):
            cancels = c.near_item.get(_key(m.group()), ())
            out = [o for o in out if not (o[0] in cancels and o[1] - w <= m.end() and m.start() <= o[2] + w)]
    return out


def may_match(c: Compiled, text: str) -> bool:
    """False when no phrase can match: no word of the text is a phrase's first word (a set test, 3x cheaper).

    A match starts at a whole word equal to a phrase's first word, case aside; the few characters that
    re.IGNORECASE folds into an ASCII letter otherwise than str.lower() does send the text to the regex.
    """
    if not text.isascii() and any(ch in text for ch in FOLDS_TO_ASCII):
        return True
    return not c.firsts.isdisjoint(_TOKEN_RE.findall(text.lower()))


def items_in(c: Compiled, text: str, at_start: bool) -> tuple[str, ...]:
    """Distinct items named in a short label (cached: menus repeat on every page of a site)."""
    key = (text, at_start)
    hit = c.label_cache.get(key)
    if hit is None:
        hit = tuple(dict.fromkeys(m[0] for m in match_in(c, text, at_start)))
        if at_start and any(c.by_id[i].section for i in hit):
            # "Berita Terkini" names the news section; "Pengumuman PPDB 2026" is one post in it
            toks = _TOKEN_RE.findall(text)
            if len(toks) > c.rules.section_max_words or _YEAR_RE.search(text):
                hit = tuple(i for i in hit if not c.by_id[i].section)
        if len(c.label_cache) > 20000:
            c.label_cache.clear()
        c.label_cache[key] = hit
    return hit


def _starts(c: Compiled, text: str, pos: int) -> bool:
    """True when only separators or label prefixes ("Dokumen", "Hasil") precede pos in its part."""
    head = text[:pos]
    cut = max(head.rfind(ch) for ch in _SEP_CHARS)
    words = _TOKEN_RE.findall(head[cut + 1:].lower())
    return all(w in c.prefixes or w.isdigit() for w in words) and len(words) <= 3


def doc_year(text: str, as_of: date | None = None) -> int | None:
    """The latest year a document label or file name covers ("Renstra 2021-2026" -> 2026), or None."""
    hi = (as_of.year if as_of else date.today().year) + 10
    years = [int(y) for y in _YEAR_RE.findall(text) if 1990 <= int(y) <= hi]
    return max(years) if years else None


def host_items(c: Compiled, host: str) -> tuple[str, ...]:
    """Items whose shared-service hosts include this host name."""
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    out = list(c.host_first.get(host.split(".", 1)[0], ()))
    if host.endswith(c.host_ends):   # one C-level test spares most hosts the loop
        for suffix, iid in c.host_exact:
            if host == suffix or host.endswith("." + suffix):
                out.append(iid)
    return tuple(out)
