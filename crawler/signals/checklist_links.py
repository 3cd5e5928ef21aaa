"""Completeness checklist: the evidence a page's links give (item links, documents, shared services, dead links)."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from base.checklist import _TOKEN_RE

from . import join_url, split_url
from .checklist_match import Compiled, doc_year, host_items, items_in, match_in
from .checklist_scan import hits
from .checklist_walk import clean, text_of

_LETTER_DIGIT_RE = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", re.I)
_DIGIT_RE = re.compile(r"\d")
# an absolute href urlsplit would read as scheme://host[/?#]...: plain ASCII host, no port, user, bracket or space
_PLAIN_URL_RE = re.compile(r"(?:https?:)?//([A-Za-z0-9.-]+)(?=[/?#]|$)[!-~]*")
_IMAGE_EXT = frozenset({"jpg", "jpeg", "png", "gif", "webp", "bmp", "svg"})


def evidence_anchors(c: Compiled, anchors: list[tuple[Any, Any, bool]], page_item: str | None) -> list[int]:
    """The indices of the anchors that may give evidence, in order; link_evidence provably finds nothing in the others.

    Most links name nothing. An anchor gives evidence only through its label (items it names, or a generic or
    blank label that borrows its row), its file name (a url hint, items it names) or its host (a shared service).
    The label's part needs a whole word that begins a phrase or is a generic label's (what may_match tests);
    the others need the href to hold a hint, a service host or a phrase's first word. One regex over all labels
    and one over all hrefs (joined by NUL, which no lxml string holds) find in C the few anchors where one of these
    may hold; only blank and overlong labels are made as link_evidence makes them, which then decides each candidate.
    A label left blank (no title nor alt either) gives evidence only through its table row or the page's item;
    outside a row on a page holding no item (most icons: share buttons, social links), only its href may.
    """
    els = [x[0] for x in anchors]
    texts = [(a.text or "") if not len(a) else " ".join(a.itertext()) for a in els]   # text_of, inline: 140 a page
    found = set(hits((c.label_gate,), texts, (c.fold_gate,)))
    found.update(hits((c.href_gate,), [a.get("href") or "" for a in els], (c.fold_gate,)))
    for i, t in enumerate(texts):
        if i not in found and (len(t) > 200 or not t.strip()):
            label = _label(els[i])   # the title or alt text a blank label borrows; what clean keeps of a long one
            if not label:
                if anchors[i][1] is not None or page_item is not None:
                    found.add(i)
            elif c.label_gate.search(low := "\x00" + label.lower()) or c.fold_gate.search(low):
                found.add(i)
    return sorted(found)


def _label(a: Any) -> str:
    """What a link says: its text, else its title, else its images' alt texts."""
    label = clean(text_of(a), 200)
    if not label:
        label = clean(a.get("title") or "", 200)
        if not label:
            label = clean(" ".join(im.get("alt") or "" for im in a.iter("img")), 200)
    return label


def link_evidence(c: Compiled, a: Any, row: Any, base: str, page_host: str, page_item: str | None, heads: list[str],
                  as_of: date, links: list[dict[str, Any]], dead: list[dict[str, str]],
                  seen: set[tuple[str, str]]) -> None:
    """What one link says of the items: added to `links` (item links, documents, services) or `dead` (no target)."""
    href = a.get("href")
    if href is None:
        return
    href = href.strip()
    label = _label(a)
    low = href[:11].lower()
    if not href or href in ("#", "#!", "#/") or low.startswith("javascript:"):
        if label and not _is_dropdown(a):
            for iid in items_in(c, label, True):
                if (iid, "#dead") not in seen:
                    seen.add((iid, "#dead"))
                    dead.append({"item": iid, "text": label, "href": href})
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
        context = clean(text_of(row), 300)
        items = [m[0] for m in match_in(c, context, False)]
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
    text = clean(context, 120)
    for iid in dict.fromkeys(items):
        if (iid, absolute) in seen:
            continue
        seen.add((iid, absolute))
        links.append({"item": iid, "url": absolute, "text": text, "doc": is_doc,
                          "year": year, "service": iid in service})


# What _target says of an href that cannot be parsed.
_UNPARSEABLE: tuple[Any, ...] = ()


def _target(c: Compiled, href: str, label: str, page_host: str) -> tuple[Any, ...]:
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
    # (may_match's own test, exact for ASCII text, where lower() and re.IGNORECASE agree)
    label_items: tuple[str, ...] = ()
    if not (label.isascii() and c.firsts.isdisjoint(label_words)
            and (words is None or (words.isascii() and c.firsts.isdisjoint(_TOKEN_RE.findall(words.lower()))))):
        label_items = items_in(c, label, True)
        if words is not None:
            name_items = items_in(c, words, not is_file)
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
