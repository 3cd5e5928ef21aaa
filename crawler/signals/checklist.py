"""Completeness checklist signal: the items one page holds, names and links to (the items as data: base.checklist)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from base.checklist import DEFAULT_PATH, Checklist, ChecklistError, Item, _key, load  # noqa: F401 (this module's API)

from . import Context, join_url, split_url
from .checklist_links import evidence_anchors, link_evidence
from .checklist_match import Compiled, compiled, items_in, match_in  # noqa: F401 (compiled is this module's API too)
from .checklist_walk import PageTexts, clean, walk
from .tree import parsed

_BASE_TAG_RE = re.compile(r"<[bB][aA][sS][eE]")
_SCAN = 8000  # characters of content scanned for mentions: long articles say nothing more about the checklist


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
    p = PageTexts()
    start = body if body is not None else root
    walk(c, start, p, 0, False, None)
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
    heads = ([h for h in (clean(h, 200) for h in p.headings) if h] or [h for h in (clean(h, 200) for h in p.minor) if h]
             or ([clean(title, 200)] if title.strip() else []))
    named: dict[str, str] = {}
    for h in heads:
        for iid in items_in(c, h, True):
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
            out.held[iid] = clean(h, 80)
    mentioned = {iid for iid, _, _ in match_in(c, content_text[:_SCAN], False)}
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
    for i in evidence_anchors(c, p.anchors, page_item):
        a, row, _in_content = p.anchors[i]
        link_evidence(c, a, row, base, page_host, page_item, heads, as_of, out.links, out.dead, seen)
    return out


def _is_placeholder(c: Compiled, p: PageTexts, content_text: str, head_text: str) -> bool:
    """Whether a page is a placeholder: a placeholder text on a short page, or no content at all."""
    r = c.rules
    if c.placeholder is not None and p.content_chars <= r.placeholder_max_chars:
        if c.placeholder.search(content_text) or c.placeholder.search(head_text):
            return True
    content_links = sum(1 for _, _, inside in p.anchors if inside)
    has_content = (p.content_chars >= r.min_content_chars or p.media > 0 or p.rows >= 2 or content_links >= 2)
    return not has_content
