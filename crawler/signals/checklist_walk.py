"""Completeness checklist: one pass over a page's tree, sorting its text into headings, content and the rest."""
from __future__ import annotations

import re
from typing import Any

from .checklist_match import Compiled

_SPACE_RE = re.compile(r"\s+")
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "select", "head", "button"})
_HEADINGS = frozenset({"h1", "h2", "h3"})
_MINOR_HEADINGS = frozenset({"h4", "h5"})  # page titles on some CodeIgniter/Joomla themes; used when no h1-h3
_MEDIA = frozenset({"img", "iframe", "embed", "object", "video", "picture"})
_BOILER_TAGS = frozenset({"nav", "footer", "aside"})
_CHROME_TAGS = frozenset({"header"})


def text_of(el: Any) -> str:
    """An element's text with its parts kept apart ("<td>Renstra</td><td>2021</td>" -> "Renstra 2021")."""
    if not len(el):
        return el.text or ""
    return " ".join(el.itertext())


class PageTexts:
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


def _classify(c: Compiled, tag: str, cls: str | None, eid: str | None) -> int:
    """0 = content, 1 = chrome (not content; headings count), 2 = boilerplate (neither)."""
    if tag in _BOILER_TAGS:
        return 2
    if not cls and not eid:
        return 1 if tag in _CHROME_TAGS else 0
    f = name_kind(c, cls) if cls else 0
    if eid and f < 2:
        f = max(f, name_kind(c, eid))
    # "site-main"/"content-area" wrappers never are boilerplate even if a word like "main-navigation" is near
    return 2 if f == 2 else 1 if (f or tag in _CHROME_TAGS) else 0


def name_kind(c: Compiled, names: str) -> int:
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


def walk(c: Compiled, el: Any, p: PageTexts, mode: int, in_a: bool, row: Any) -> None:
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
                    walk(c, ch, p, m, True, row)
            elif tag in _HEADINGS:
                p.headings.append(text_of(ch))
                p.anchors.extend((a, row, m == 0) for a in ch.iter("a"))
            elif tag in _MINOR_HEADINGS and m == 0:
                p.minor.append(text_of(ch))
                if len(ch):
                    walk(c, ch, p, m, in_a, row)
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
                    walk(c, ch, p, m, in_a, ch if tag in _ROW_TAGS else row)
        t = ch.tail
        if t:
            if mode == 0 and not in_a:
                t = t.strip()
                if t:
                    content.append(t)
            else:
                other.append(t)


def clean(s: str, n: int = 120) -> str:
    """A text on one line, its runs of white space made one space, cut to n characters with an ellipsis."""
    if "  " in s or "\n" in s or "\t" in s or "\xa0" in s:
        s = _SPACE_RE.sub(" ", s)
    s = s.strip()
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"
