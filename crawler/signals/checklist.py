"""Completeness checklist: the items as data, and per-page evidence of them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping

from base.checklist import _TOKEN_RE, DEFAULT_PATH, Checklist, ChecklistError, Item, Rules, _default, _key, load  # noqa: F401 (load, Item, ChecklistError... are this module's API too)

from . import Context, join_url, split_url
from .checklist_scan import anchor_gates, hits, name_word_gate, phrase_trie
from .tree import FOLDS_TO_ASCII, parsed

_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_SPACE_RE = re.compile(r"\s+")
_BASE_TAG_RE = re.compile(r"<[bB][aA][sS][eE]")
# a label prefix stops at these separators: "Kategori: Berita", "PPID › LKjIP", "Publik / SKM", "(RKA)"
_SEP_CHARS = "|/›»:–—(["
_LETTER_DIGIT_RE = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", re.I)
_DIGIT_RE = re.compile(r"\d")
# an absolute href urlsplit would read as scheme://host[/?#]...: plain ASCII host, no port, user, bracket or space
_PLAIN_URL_RE = re.compile(r"(?:https?:)?//([A-Za-z0-9.-]+)(?=[/?#]|$)[!-~]*")
_IMAGE_EXT = frozenset({"jpg", "jpeg", "png", "gif", "webp", "bmp", "svg"})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "select", "head", "button"})
_HEADINGS = frozenset({"h1", "h2", "h3"})
_SCAN = 8000  # characters of content scanned for mentions: long articles say nothing more about the checklist
_MINOR_HEADINGS = frozenset({"h4", "h5"})  # page titles on some CodeIgniter/Joomla themes; used when no h1-h3
_MEDIA = frozenset({"img", "iframe", "embed", "object", "video", "picture"})
_BOILER_TAGS = frozenset({"nav", "footer", "aside"})
_CHROME_TAGS = frozenset({"header"})



def _string(el: Any) -> str:
    """An element's text with its parts kept apart ("<td>Renstra</td><td>2021</td>" -> "Renstra 2021")."""
    if not len(el):
        return el.text or ""
    return " ".join(el.itertext())


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
class _Compiled:
    items: Checklist
    by_id: dict[str, Item]
    regex: re.Pattern[str] | None
    fast_regex: re.Pattern[str] | None          # the same trie for lowered text (see _match)
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
    label_gate: re.Pattern[str]                 # see _evidence_anchors and checklist_scan
    fold_gate: re.Pattern[str]
    href_gate: re.Pattern[str]
    class_cache: dict[Any, int] = field(default_factory=dict)
    label_cache: dict[tuple[str, bool], tuple[str, ...]] = field(default_factory=dict)
    target_cache: dict[tuple[str, str, str], tuple[Any, ...]] = field(default_factory=dict)


_COMPILED: dict[int, tuple[Any, _Compiled]] = {}


def compiled(items: Any = None) -> _Compiled:
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


def _compile(items: Checklist) -> _Compiled:
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
    return _Compiled(
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
    return _match(compiled(items), text, at_start)


def _match(c: _Compiled, text: str, at_start: bool) -> list[tuple[str, int, int]]:
    if c.regex is None or not text:
        return []
    if c.fast_regex is not None and (text.isascii() or not any(ch in text for ch in FOLDS_TO_ASCII)):
        # ASCII phrases match such a text case-blind exactly where they match it lowered, at the same offsets (only
        # U+0130 changes length when lowered); and "a non-word character (a NUL before the text), then a phrase"
        # lets re try the phrases only there, skipping the rest in C: 3x faster, and than _may_match's own test
        found = [(m.group(1), m.start(1) - 1, m.end(1) - 1) for m in c.fast_regex.finditer("\x00" + text.lower())]
    elif not _may_match(c, text):
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


def _may_match(c: _Compiled, text: str) -> bool:
    """False when no phrase can match: no word of the text is a phrase's first word (a set test, 3x cheaper).

    A match starts at a whole word equal to a phrase's first word, case aside; the few characters that
    re.IGNORECASE folds into an ASCII letter otherwise than str.lower() does send the text to the regex.
    """
    if not text.isascii() and any(ch in text for ch in FOLDS_TO_ASCII):
        return True
    return not c.firsts.isdisjoint(_TOKEN_RE.findall(text.lower()))


def _items_in(c: _Compiled, text: str, at_start: bool) -> tuple[str, ...]:
    """Distinct items named in a short label (cached: menus repeat on every page of a site)."""
    key = (text, at_start)
    hit = c.label_cache.get(key)
    if hit is None:
        hit = tuple(dict.fromkeys(m[0] for m in _match(c, text, at_start)))
        if at_start and any(c.by_id[i].section for i in hit):
            # "Berita Terkini" names the news section; "Pengumuman PPDB 2026" is one post in it
            toks = _TOKEN_RE.findall(text)
            if len(toks) > c.rules.section_max_words or _YEAR_RE.search(text):
                hit = tuple(i for i in hit if not c.by_id[i].section)
        if len(c.label_cache) > 20000:
            c.label_cache.clear()
        c.label_cache[key] = hit
    return hit


def _starts(c: _Compiled, text: str, pos: int) -> bool:
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


def host_items(c: _Compiled, host: str) -> tuple[str, ...]:
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


# ---------------------------------------------------------------------------------------- the page

@dataclass
class PageChecklist:
    """Checklist evidence found on one page."""

    held: dict[str, str] = field(default_factory=dict)
    placeholder: bool = False
    links: list[dict[str, Any]] = field(default_factory=list)
    dead: list[dict[str, str]] = field(default_factory=list)
    mentioned: list[str] = field(default_factory=list)
    """Items the page's own content names without holding them (for pages reached by a labelled link)."""

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able data."""
        return {"held": dict(self.held), "placeholder": self.placeholder, "links": [dict(x) for x in self.links],
                "dead": [dict(x) for x in self.dead], "mentioned": list(self.mentioned)}


class _Page:
    """What one pass over the document collects."""

    __slots__ = ("headings", "minor", "content", "content_chars", "other", "media", "rows", "anchors")

    def __init__(self) -> None:
        self.headings: list[str] = []
        self.minor: list[str] = []
        self.content: list[str] = []
        self.content_chars = 0
        self.other: list[Any] = []   # texts, and boilerplate blocks whose text is joined only if asked (rarely)
        self.media = 0
        self.rows = 0
        self.anchors: list[tuple[Any, Any, bool]] = []   # (a element, row element, in content)


def _classify(c: _Compiled, tag: str, cls: str | None, eid: str | None) -> int:
    """0 = content, 1 = chrome (not content; headings count), 2 = boilerplate (neither)."""
    if tag in _BOILER_TAGS:
        return 2
    if not cls and not eid:
        return 1 if tag in _CHROME_TAGS else 0
    f = _name_kind(c, cls) if cls else 0
    if eid and f < 2:
        f = max(f, _name_kind(c, eid))
    # "site-main"/"content-area" wrappers never are boilerplate even if a word like "main-navigation" is near
    return 2 if f == 2 else 1 if (f or tag in _CHROME_TAGS) else 0


def _name_kind(c: _Compiled, names: str) -> int:
    """2 when a class or id value has a boilerplate word, 1 a chrome word, else 0 (cached per value, not per
    element: ids are unique, classes repeat)."""
    hit = c.class_cache.get(names)
    if hit is None:
        # a word is each class name and each of its parts between '-' and '_': one regex finds them in C, on
        # the lowered value, instead of splitting it twice into a set
        low = " " + names.lower()
        hit = 2 if c.boiler.search(low) else 1 if c.chrome.search(low) else 0
        if len(c.class_cache) > 5000:   # emptied, not frozen: each site brings its own theme's classes
            c.class_cache.clear()
        c.class_cache[names] = hit
    return hit


_MARKED_TAGS = _BOILER_TAGS | _CHROME_TAGS
_ROW_TAGS = frozenset({"tr", "li"})


def _walk(c: _Compiled, el: Any, p: _Page, mode: int, in_a: bool, row: Any) -> None:
    """One pass: headings, content text (outside links), other text, media, table rows, anchors."""
    content, other = p.content, p.other
    for ch in el:
        tag = ch.tag
        if isinstance(tag, str) and tag not in _SKIP_TAGS:
            cls, eid = ch.get("class"), ch.get("id")
            # an element without class, id nor a marked tag is content (0): _classify is not asked
            m = mode
            if cls or eid or tag in _MARKED_TAGS:
                k = _classify(c, tag, cls, eid)
                if k > mode:
                    m = k
            if m == 2:
                # boilerplate (menus, sidebars, footers): only its links and its text matter, in bulk
                p.anchors.extend((a, None, False) for a in ch.iter("a"))
                other.append(ch)
            elif tag == "a":
                p.anchors.append((ch, row, m == 0))
                if ch.text:
                    other.append(ch.text)
                if len(ch):
                    _walk(c, ch, p, m, True, row)
            elif tag in _HEADINGS:
                p.headings.append(_string(ch))
                p.anchors.extend((a, row, m == 0) for a in ch.iter("a"))
            elif tag in _MINOR_HEADINGS and m == 0:
                p.minor.append(_string(ch))
                if len(ch):
                    _walk(c, ch, p, m, in_a, row)
            else:
                if m == 0:
                    if tag in _MEDIA:
                        p.media += 1
                    elif tag == "tr":
                        p.rows += 1
                t = ch.text
                if t:
                    if m == 0 and not in_a:
                        t = t.strip()
                        if t:
                            content.append(t)
                    else:
                        other.append(t)
                if len(ch):
                    _walk(c, ch, p, m, in_a, ch if tag in _ROW_TAGS else row)
        t = ch.tail
        if t:
            if mode == 0 and not in_a:
                t = t.strip()
                if t:
                    content.append(t)
            else:
                other.append(t)


def _clean(s: str, n: int = 120) -> str:
    if "  " in s or "\n" in s or "\t" in s or "\xa0" in s:
        s = _SPACE_RE.sub(" ", s)
    s = s.strip()
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def extract(url: str, html: str | bytes, headers: Mapping[str, str] | None, ctx: Context) -> PageChecklist:
    """Checklist evidence of one HTML page: items it holds, item links, dead item links, placeholder."""
    c = compiled(ctx.checklist)
    text = html if isinstance(html, str) else html.decode("utf-8", "replace")
    root = parsed(text).root
    out = PageChecklist()
    if root is None:
        out.placeholder = True
        return out
    body = root.find("body")
    p = _Page()
    start = body if body is not None else root
    _walk(c, start, p, 0, False, None)
    p.content_chars = sum(map(len, p.content))
    title_el = base_el = None
    # one C-level walk finds both; it stops at the <title> when the source has no "<base" (libxml2 makes a base
    # element only from that tag, its name in any case), instead of walking the whole base-less tree
    seek_base = _BASE_TAG_RE.search(text) is not None
    for el in root.iter("title", "base") if seek_base else root.iter("title"):
        if el is root:
            continue
        if el.tag == "title":
            if title_el is None:
                title_el = el
        elif base_el is None and el.get("href") is not None:
            base_el = el
        if title_el is not None and (base_el is not None or not seek_base):
            break
    title = (title_el.text if title_el is not None else None) or ""

    content_text = " ".join(p.content)
    head_text = " ".join(p.headings)
    out.placeholder = _is_placeholder(c, p, content_text, head_text)

    # the page's own headings; the <title> only when the page has no heading of its own
    heads = ([h for h in (_clean(h, 200) for h in p.headings) if h] or [h for h in (_clean(h, 200) for h in p.minor) if h]
             or ([_clean(title, 200)] if title.strip() else []))
    named: dict[str, str] = {}
    for h in heads:
        for iid in _items_in(c, h, True):
            named.setdefault(iid, h)
    if named and c.near_regex is not None:
        # "Data IKM" over a text about "industri kecil menengah" is not the satisfaction survey
        for m in c.near_regex.finditer(content_text[:_SCAN]):
            for iid in c.near_item.get(_key(m.group()), ()):
                named.pop(iid, None)
    if named and not out.placeholder:
        all_text = None
        for iid, h in named.items():
            kind = c.by_id[iid].content
            if kind:
                if all_text is None:
                    all_text = content_text + " " + " ".join(
                        t if isinstance(t, str) else " ".join(t.itertext()) for t in p.other)
                pat = c.content.get(kind)
                if pat is None or not pat.search(all_text):
                    continue
            out.held[iid] = _clean(h, 80)
    mentioned = {iid for iid, _, _ in _match(c, content_text[:_SCAN], False)}
    mentioned.update(named)
    out.mentioned = [i.id for i in c.items if i.id in mentioned and i.id not in out.held]

    base = url
    if base_el is not None:
        base = join_url(url, base_el.get("href").strip()) or url   # an unparseable <base> is ignored, as browsers do
    page = split_url(base)
    page_host = ((page.hostname if page is not None else None) or "").lower()
    page_item = next(iter(out.held)) if len(out.held) == 1 else None
    as_of = ctx.as_of
    seen: set[tuple[str, str]] = set()
    for i in _evidence_anchors(c, p.anchors, page_item):
        a, row, _in_content = p.anchors[i]
        _anchor(c, a, row, base, page_host, page_item, heads, as_of, out, seen)
    return out


def _evidence_anchors(c: _Compiled, anchors: list[tuple[Any, Any, bool]], page_item: str | None) -> list[int]:
    """The indices of the anchors that may give evidence, in order; _anchor provably finds nothing in the others.

    Most links name nothing. An anchor gives evidence only through its label (items it names, or a generic or
    blank label that borrows its row), its file name (a url hint, items it names) or its host (a shared service).
    The label's part needs a whole word that begins a phrase or is a generic label's (what _may_match tests);
    the others need the href to hold a hint, a service host or a phrase's first word. One regex over all labels
    and one over all hrefs (joined by NUL, which no lxml string holds) find in C the few anchors where one of these
    may hold; only blank and overlong labels are made as _anchor makes them, which then decides each candidate.
    A label left blank (no title nor alt either) gives evidence only through its table row or the page's item;
    outside a row on a page holding no item (most icons: share buttons, social links), only its href may.
    """
    els = [x[0] for x in anchors]
    texts = [(a.text or "") if not len(a) else " ".join(a.itertext()) for a in els]   # _string, inline: 140 a page
    found = set(hits((c.label_gate,), texts, (c.fold_gate,)))
    found.update(hits((c.href_gate,), [a.get("href") or "" for a in els], (c.fold_gate,)))
    for i, t in enumerate(texts):
        if i not in found and (len(t) > 200 or not t.strip()):
            label = _label(els[i])   # the title or alt text a blank label borrows; what _clean keeps of a long one
            if not label:
                if anchors[i][1] is not None or page_item is not None:
                    found.add(i)
            elif c.label_gate.search(low := "\x00" + label.lower()) or c.fold_gate.search(low):
                found.add(i)
    return sorted(found)


def _label(a: Any) -> str:
    """What a link says: its text, else its title, else its images' alt texts."""
    label = _clean(_string(a), 200)
    if not label:
        label = _clean(a.get("title") or "", 200)
        if not label:
            label = _clean(" ".join(im.get("alt") or "" for im in a.iter("img")), 200)
    return label


def _anchor(c: _Compiled, a: Any, row: Any, base: str, page_host: str, page_item: str | None,
            heads: list[str], as_of: date, out: PageChecklist, seen: set[tuple[str, str]]) -> None:
    href = a.get("href")
    if href is None:
        return
    href = href.strip()
    label = _label(a)
    low = href[:11].lower()
    if not href or href in ("#", "#!", "#/") or low.startswith("javascript:"):
        if label and not _is_dropdown(a):
            for iid in _items_in(c, label, True):
                if (iid, "#dead") not in seen:
                    seen.add((iid, "#dead"))
                    out.dead.append({"item": iid, "text": label, "href": href})
        return
    if href[0] == "#" or low.startswith(("mailto:", "tel:", "data:", "whatsapp:")):
        return
    key = (href, label, page_host)
    t = c.target_cache.get(key)
    if t is None:
        t = _target(c, href, label, page_host)
        if len(c.target_cache) > 20000:
            c.target_cache.clear()
        c.target_cache[key] = t
    if t is _UNPARSEABLE:
        return   # an href Python cannot parse (`http://[ccpa-preferences]/`) leads nowhere: no evidence
    label_items, generic, stem, is_doc, name_items, service = t
    # items from the label; a generic label ("Download") borrows its table row's text
    context = label
    items = list(label_items)
    if not items and generic and row is not None:
        context = _clean(_string(row), 300)
        items = [m[0] for m in _match(c, context, False)]
    if not items:
        items = list(name_items)
    if not items and is_doc and generic and page_item is not None:
        items = [page_item]  # an unlabelled document on the page that holds the item ("Renstra" page, "Unduh")
    items.extend(i for i in service if i not in items)
    if not items:
        return
    absolute = href if low.startswith(("http://", "https://")) and "#" not in href else join_url(base, href)
    if absolute is None:
        return
    year = doc_year(f"{context} {stem}", as_of) if is_doc else None
    if is_doc and year is None and page_item is not None:
        year = doc_year(" ".join(heads), as_of)
    text = _clean(context, 120)
    for iid in dict.fromkeys(items):
        if (iid, absolute) in seen:
            continue
        seen.add((iid, absolute))
        out.links.append({"item": iid, "url": absolute, "text": text, "doc": is_doc,
                          "year": year, "service": iid in service})


# What _target says of an href that cannot be parsed.
_UNPARSEABLE: tuple[Any, ...] = ()


def _target(c: _Compiled, href: str, label: str, page_host: str) -> tuple[Any, ...]:
    """What a link's label, file name and host say, independent of the page (cached); _UNPARSEABLE if nothing."""
    absolute = href.lower().startswith(("http://", "https://", "//"))
    host = None
    if absolute:
        plain = _PLAIN_URL_RE.fullmatch(href)
        if plain is not None:   # what urlsplit would say, 5x cheaper: most links
            host = plain.group(1).lower()
            path = href[plain.end(1):].split("#", 1)[0].split("?", 1)[0]
        else:
            parts = split_url(href if not href.startswith("//") else "http:" + href)
            if parts is None:
                return _UNPARSEABLE
            host, path = (parts.hostname or "").lower(), parts.path
    else:
        path = href.split("?", 1)[0].split("#", 1)[0]
    label_words = _TOKEN_RE.findall(label.lower())
    generic = not label or " ".join(label_words) in c.generic   # _key(label), whose words serve below too
    seg = path.rstrip("/").rsplit("/", 1)[-1]
    stem, dot, ext = seg.rpartition(".")
    ext = ext.lower() if dot else ""
    if not dot:
        stem = seg
    is_doc = ext in c.doc_ext
    is_file = is_doc or ext in _IMAGE_EXT
    # the target's own name: a file name anywhere, a page slug only as a known hint or where it begins
    name_items: tuple[str, ...] = ()
    words = None
    if stem and not stem.isdigit():
        name_items = c.hints.get(stem.lower(), ())
        if not name_items:
            words = stem.replace("%20", " ").replace("+", " ")
            words = _LETTER_DIGIT_RE.sub(" ", words) if _DIGIT_RE.search(words) else words
    # most links name nothing: one set test of the label's and the name's words spares both matchers
    # (_may_match's own test, exact for ASCII text, where lower() and re.IGNORECASE agree)
    label_items: tuple[str, ...] = ()
    if not (label.isascii() and c.firsts.isdisjoint(label_words)
            and (words is None or (words.isascii() and c.firsts.isdisjoint(_TOKEN_RE.findall(words.lower()))))):
        label_items = _items_in(c, label, True)
        if words is not None:
            name_items = _items_in(c, words, not is_file)
    service: tuple[str, ...] = ()
    if host and host != page_host:
        service = host_items(c, host)
    return label_items, generic, stem, is_doc, name_items, service


def _is_dropdown(a: Any) -> bool:
    """A menu parent that only opens its submenu ("Profil ▾" with href="#") is not a dead link."""
    if a.get("data-toggle") or a.get("data-bs-toggle") or "dropdown" in (a.get("class") or ""):
        return True
    parent = a.getparent()
    return parent is not None and any(ch.tag in ("ul", "ol") for ch in parent)


def _is_placeholder(c: _Compiled, p: _Page, content_text: str, head_text: str) -> bool:
    r = c.rules
    if c.placeholder is not None and p.content_chars <= r.placeholder_max_chars:
        if c.placeholder.search(content_text) or c.placeholder.search(head_text):
            return True
    content_links = sum(1 for _, _, inside in p.anchors if inside)
    has_content = (p.content_chars >= r.min_content_chars or p.media > 0 or p.rows >= 2 or content_links >= 2)
    return not has_content
