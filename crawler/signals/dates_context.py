"""What the markup and words around a date say: the word regexes of dates.yaml, quotes, captions, clocks."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple
from urllib.parse import unquote

from .dates_core import clean_text
from .dates_parse import Found, Rules


@dataclass
class Zone:
    """What the ancestors of a text node say about it."""

    trap: str | None  # today-clock | agenda-event | counter
    header: bool  # a top bar / site header: a date of today there is the clock
    footer: bool
    post_meta: bool  # a post's date line (class date/tanggal/meta...)
    in_article: bool
    widget: bool  # a sidebar widget: a date of today there, tied to no item link, is a clock


class Marks(NamedTuple):
    """What one element's own tag, id and class say about the text inside it."""

    trap: str | None  # a trap zone (today-clock, agenda-event, counter)
    header: bool
    footer: bool
    post_meta: bool
    content: bool  # an <article> or <main>
    post: bool  # an <article> or a repeated post box: a <header> inside is the post's own
    widget: bool


@dataclass(slots=True)
class Sighting:
    """One date seen on the page, with the text and the element it stands in."""

    found: Found
    text: str
    container: Any
    source: str  # text (visible text) or time (a <time datetime>)
    label: str = ""  # the short text node just before ("Diposting:", "Login terakhir"), which speaks for it
    kind: str | None = None  # known from the markup (<time class="updated">); None: judged from the words
    conf: float = 0.0  # the trust going with a known kind


class Cues(NamedTuple):
    """What the words right before and after a date say about it."""

    trap: str | None  # a trap reason (a last-login label, a range's end...)
    posted: bool
    modified: bool


def tc(el: Any) -> str:
    """An element's whole text, whitespace-collapsed."""
    return clean_text("".join(el.itertext()))


class ZoneMarkers(NamedTuple):
    """The markers of one zone in id/class names, where a CMS's taxonomy class never counts."""

    markers: re.Pattern[str]
    taxonomy: re.Pattern[str]

    def search(self, attrs: str) -> re.Match[str] | None:
        """A marker in `attrs` outside taxonomy classes ("category-event", "tag-agenda" name a post's category)."""
        m = self.markers.search(attrs)
        if m is None or self.taxonomy.search(attrs) is None:   # the common case: one search
            return m
        return self.markers.search(self.taxonomy.sub(" ", attrs))


class Words:
    """Regexes built once from the word lists of dates.yaml."""

    def __init__(self, r: Rules):
        d = r.data

        def rx(words: list[str]) -> re.Pattern[str]:
            alt = "|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True))
            return re.compile(rf"(?<!\w)(?:{alt})(?!\w)")

        self.posted = rx(d["posted_words"])
        self.modified = rx(d["modified_words"])
        b = d["byline"]
        self.byline_seps, self.byline_max = tuple(b["separators"]), b["max_length"]
        views = "|".join(re.escape(w) for w in b["view_words"])
        # an author word, or a count beside a views word on either side ("157 kali", "Dibaca: 88")
        self.byline_field = re.compile(rf"{rx(b['author_words']).pattern}|\d[\d.,]*\s*(?:{views})(?!\w)"
                                       rf"|(?<!\w)(?:{views})\s*:?\s*\d")
        self.prefix = [(reason, rx(ws)) for reason, ws in d["prefix_traps"].items()]
        self.suffix = [(reason, rx(ws)) for reason, ws in d["suffix_traps"].items()]
        taxonomy = re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(x) for x in d['taxonomy_class_prefixes'])})[\w-]*")
        self.zones = [(reason, ZoneMarkers(re.compile("|".join(re.escape(x) for x in ws)), taxonomy))
                      for reason, ws in d["zone_markers"].items()]
        self.header_tags = set(d["header_tags"])
        self.post_meta = re.compile("|".join(re.escape(x) for x in d["post_meta_markers"]))
        # one search in C instead of a substring test per word: any word in the link is a match of the alternation
        self.non_item = re.compile("|".join(re.escape(x) for x in d["non_item_links"]))
        self.read_more = set(d["read_more_words"])
        self.doc_exts = tuple(d["document_exts"])
        self.listing_paths = tuple(d["listing_paths"])
        self.archive_slugs = set(d["archive_slugs"])
        self.inline_tags = set(d["inline_tags"])
        self.said_tags = set(d["said_tags"])
        self.said_markers = re.compile("|".join(re.escape(x) for x in d["said_markers"]))
        self.said_prefixes = tuple(d["said_token_prefixes"])
        self.quote_pairs = [tuple(p) for p in d["quote_pairs"]]
        self.header_tokens = tuple(d["header_token_prefixes"])
        self.widget_tokens = tuple(d["widget_token_prefixes"])
        self.widget_tags = set(d["widget_tags"])
        self.clock = next(rx for reason, rx in self.zones if reason == "today-clock")
        self.listing_path_parts = tuple(d["listing_path_parts"])
        self.item_query_keys = set(d["item_query_keys"])
        self.listing_query_keys = set(d["listing_query_keys"])
        self.post_item_markers = set(d["post_item_markers"])
        self.meta = {k.lower(): v for k, v in d["meta_dates"].items()}
        self.ld_article = set(d["jsonld_article_types"])
        self.ld_event = set(d["jsonld_event_types"])
        self.marks_seen: dict[Any, Any] = {}
        """dates_html's element marks by (tag, id, class), shared by all pages read with these words."""


class Zones:
    """What the tags, ids and classes of a page's elements and their ancestors say about the dates in them."""

    def __init__(self, w: Words, post_item_box: Callable[[Any], bool]):
        self.w, self.post_item_box = w, post_item_box
        self.zone_cache: dict[Any, Zone] = {}
        self.chain_cache: dict[Any, tuple[str | None, bool, bool, bool, bool, bool]] = {}
        self.mark_cache: dict[Any, Marks] = {}

    def marks(self, node: Any) -> Marks:
        """One element's own markers (cached per element, and by tag, id and class: real pages repeat them)."""
        m = self.mark_cache.get(node)
        if m is not None:
            return m
        key = (node.tag, node.get("id"), node.get("class")) if isinstance(node.tag, str) else None
        m = self.w.marks_seen.get(key)
        if m is None:
            m = self._read(node)
            if len(self.w.marks_seen) < 50_000:
                self.w.marks_seen[key] = m
        self.mark_cache[node] = m
        return m

    def _read(self, node: Any) -> Marks:
        """What an element's tag, id and class say (nothing else of it is read: marks() keys its cache on them)."""
        tag = node.tag if isinstance(node.tag, str) else ""
        trap, header, footer, post_meta = None, tag in self.w.header_tags, tag == "footer", False
        attrs = f"{node.get('id') or ''} {node.get('class') or ''}".lower() if tag else " "
        widget = tag in self.w.widget_tags
        if not attrs.isspace():
            tokens = attrs.split()
            header = header or any(t.startswith(self.w.header_tokens) for t in tokens)
            widget = widget or any(t.startswith(self.w.widget_tokens) for t in tokens)
            for reason, rx in self.w.zones:
                if rx.search(attrs):
                    if reason == "header":
                        header = True
                    elif reason == "footer":
                        footer = True
                    else:
                        trap = trap or reason
            post_meta = bool(self.w.post_meta.search(attrs))
        post = tag == "article" or (tag not in ("li", "") and self.post_item_box(node))
        return Marks(trap, header, footer, post_meta, tag in ("article", "main"), post, widget)

    def zone(self, el: Any) -> Zone:
        """The trap zone of an element, from the id/class names and tags of its ancestors."""
        z = self.zone_cache.get(el)
        if z is not None:
            return z
        trap, header, footer, in_article, in_post, widget = self._chain(el)
        post_meta, node = False, el
        for _ in range(4):   # a post's date line is the date's own element or one of its three nearest ancestors
            if node is None:
                break
            post_meta = post_meta or self.marks(node).post_meta
            node = node.getparent()
        # A <header>/<nav> inside an article is the post's own header, not the site's top bar (a <main> can wrap
        # the whole page, site header included).
        z = self.zone_cache[el] = Zone(trap, header and not in_post, footer, post_meta, in_article, widget)
        return z

    def _chain(self, el: Any) -> tuple[str | None, bool, bool, bool, bool, bool]:
        """Trap (the nearest), header, footer, content, post and widget marks of an element and all its ancestors."""
        path, node, acc = [], el, None
        while node is not None:   # up to the first ancestor already summed (dates stand in few places)
            acc = self.chain_cache.get(node)
            if acc is not None:
                break
            path.append(node)
            node = node.getparent()
        acc = acc or (None, False, False, False, False, False)
        for node in reversed(path):
            m = self.marks(node)
            acc = self.chain_cache[node] = (m.trap or acc[0], m.header or acc[1], m.footer or acc[2],
                                            m.content or acc[3], m.post or acc[4], m.widget or acc[5])
        return acc


_WORDS: dict[int, Words] = {}


def words(r: Rules) -> Words:
    """The compiled word regexes of these rules (built on first use)."""
    w = _WORDS.get(id(r))
    if w is None:
        w = _WORDS[id(r)] = Words(r)
    return w


def _tc(el: Any) -> str:
    """An element's whole text, whitespace-collapsed."""
    return clean_text("".join(el.itertext()))


def said(w: Words, container: Any, text: str, found: Found, post_meta: bool) -> bool:
    """Whether a relative date is said, not dated: in a quote, a caption or running prose ("kemarin" in a story)."""
    node = container
    while node.tag in w.inline_tags and node.getparent() is not None:
        node = node.getparent()  # "Ternyata <b>kemarin</b> karena...": the sentence is the paragraph's
    up, depth = node, 0
    while up is not None and depth < 5:
        attrs = f"{up.get('id') or ''} {up.get('class') or ''}".lower() if isinstance(up.tag, str) else ""
        if up.tag in w.said_tags or (attrs.strip() and w.said_markers.search(attrs)):
            return True
        if any(token.startswith(w.said_prefixes) for token in attrs.split()):
            return True
        up, depth = up.getparent(), depth + 1
    whole = tc(node) if node is not container else clean_text(text)
    word = clean_text(text[found.start:found.end])
    at = whole.find(word)
    before = whole[:at] if at >= 0 else ""
    if any(before.rfind(a) > before.rfind(b) for a, b in w.quote_pairs) or before.count('"') % 2:
        return True
    return not post_meta and len(whole) > len(word) + 30


def _filled_by_script(w: Words, el: Any, scripts: str) -> bool:
    """Whether an element is empty in the HTML and named by an inline script or a clock class (a JS clock)."""
    if not isinstance(el.tag, str) or el.tag in ("script", "style", "img", "br") or tc(el):
        return False
    ident, cls = el.get("id") or "", el.get("class") or ""
    if not (ident or cls):
        return False
    if w.clock.search(f"{ident} {cls}".lower()):
        return True
    names = [f"'{ident}'", f'"{ident}"', f"#{ident}"] if ident else []
    names += [n for c in cls.split() for n in (f"'{c}'", f'"{c}"', f".{c}")]
    return any(n in scripts for n in names)


def beside_clock(w: Words, el: Any, scripts: str) -> bool:
    """Whether a date's element holds, or stands next to, an empty element that a script fills with a clock."""
    parent = el.getparent()
    near = list(el) + (list(parent) if parent is not None else [])
    return any(_filled_by_script(w, x, scripts) for x in near if x is not el)


_WORD = re.compile(r"[a-z]{3,}")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _fold(text: str) -> str:
    """Lower-case ASCII letters of a text or URL path ("Unterstützen" and "unterstuetzen" agree; %xx undone)."""
    low = unquote(text).lower().translate(_FOLD)
    return unicodedata.normalize("NFKD", low).encode("ascii", "ignore").decode()


def slug_heading(root: Any, path: str, need: int) -> bool:
    """Whether an <h1> or <h2> (no link, in no link) says `need` words of the URL's slug: a single article's title."""
    segments = [set(_WORD.findall(_fold(seg.rsplit(".", 1)[0]))) for seg in path.split("/")]
    slug = max(segments, key=len)   # /newsroom/23-01-2022-wierer-darf-jubeln/17-378.html: the wordiest part
    if len(slug) < need:
        return False
    for h in root.iter("h1", "h2"):   # templates with the logo in <h1> title posts in <h2>
        if h.find(".//a") is not None or any(p.tag == "a" for p in h.iterancestors()):
            continue
        hits = slug & set(_WORD.findall(_fold(_tc(h))))
        # Half the slug at least: a long title's slug may carry words the heading drops.
        if len(hits) >= need and 2 * len(hits) >= len(slug):
            return True
    return False
