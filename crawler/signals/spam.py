"""Integrity signals of one page: gambling/porn spam, hidden link blocks, injected pages, defacement, suspension."""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, NamedTuple
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from base.safe import one_line

from . import Context, header
from .spam_fast import read_parts, search
from .spam_links import Links, farm_gate, host, href_words, read_links, term_links
from .spam_rules import TOKEN_RX, Rules, classify, find_terms, is_spam, load_rules, score_terms, top_terms
from .tree import FOLDS_TO_ASCII, inside, parsed, shown_texts

__all__ = ["SpamSignals", "extract", "compare_cloaking", "load_rules", "sanitize"]

KINDS = ("hidden_links", "spam_text", "spam_page", "defacement")
EVIDENCE_MAX = 160
# a cloaking finding's titles: the monitors word them into its evidence, then cut that to EVIDENCE_MAX
TITLE_MAX = 2 * EVIDENCE_MAX
MAX_HIDING_SELECTORS = 200

_WS_RX = re.compile(r"\s+")
_SIMPLE_SEL_RX = re.compile(r"([.#])([A-Za-z0-9_-]+)")
# every strong defacement pattern contains one of these: a cheap gate before the regexes
_DEFACE_NEEDLES = ("hack", "h4ck", "defac", "owned", "here", "diretas", "touched", "pwned", "rooted")
# a page that writes itself from one long escaped string (\\u003C..., %3C...): obfuscation, read as what it writes
_WRITTEN_RX = re.compile(r"document\.write\(\s*(?:unescape\(\s*)?['\"]((?:\\u[0-9a-fA-F]{4}|%[0-9a-fA-F]{2}){200,})['\"]")
_ESCAPE_RX = re.compile(r"\\u([0-9a-fA-F]{4})|%([0-9a-fA-F]{2})")
_TITLE_RX = re.compile(r"<title[^>]*>(.*?)</title", re.S | re.I)
_NOT_HTML = ("json", "javascript", "css", "image/", "pdf", "octet-stream", "zip", "msword", "officedocument")


def sanitize(text: str, limit: int = EVIDENCE_MAX) -> str:
    """Plain one-line text without control characters, cut to `limit` characters."""
    return one_line(text, limit)


@dataclass
class SpamSignals:
    """Spam findings of one page and whether it is the registry's suspension page."""

    findings: list[dict[str, Any]] = field(default_factory=list)
    suspended: bool = False

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able data."""
        return {"findings": [dict(f) for f in self.findings], "suspended": self.suspended}


def _snippet(text: str, terms: Mapping[str, int], r: Rules) -> str:
    """Text around the heaviest term found, for evidence."""
    m = None
    if terms:
        best = top_terms(terms, r, 1)[0]
        m = re.search(r"[\W_]+".join(map(re.escape, best.split())), text)
    if m is None:
        return sanitize(text.strip()[:600])
    # 50 visible characters of context before the term, whatever whitespace the page had
    head = _WS_RX.sub(" ", text[max(0, m.start() - 300):m.start()])
    lead = head[-50:] if len(head) > 50 else head
    return sanitize(("…" if len(head) > 50 else "") + lead.lstrip() + text[m.start():m.start() + 600])


# --- hiding ------------------------------------------------------------------------------

def _hides(css: str, r: Rules) -> str | None:
    """The hiding rule a declaration block matches, or None."""
    css = _WS_RX.sub("", css.lower())
    for group in r.hiding:
        m = group[0].search(css)
        if m and all(p.search(css) for p in group[1:]):
            return m.group().rstrip(";!}")
    return None


def _drop_css_comments(css: str) -> str:
    """CSS without /* comments */, in one linear pass (hostile pages leave them unclosed)."""
    out, pos = [], 0
    while (i := css.find("/*", pos)) >= 0:
        out.append(css[pos:i])
        j = css.find("*/", i + 2)
        if j < 0:
            return "".join(out)
        pos = j + 2
    out.append(css[pos:])
    return "".join(out)


def _hiding_selectors(tree: Any, r: Rules) -> tuple[dict[str, str], dict[str, str]]:
    """Classes and ids that <style> rules hide (only the last simple selector matters)."""
    classes: dict[str, str] = {}
    ids: dict[str, str] = {}
    for st in tree.iter("style"):
        css = _drop_css_comments(st.text or "")
        # split on braces (linear) rather than a rule regex that backtracks on hostile CSS
        for chunk in css.split("}"):
            selectors, brace, decls = chunk.rpartition("{")
            if not brace or not selectors.strip():
                continue
            how = _hides(decls, r)
            if not how:
                continue
            for sel in selectors.rpartition("{")[2].split(","):
                parts = re.split(r"[\s>+~]+", sel.strip())
                last = parts[-1] if parts else ""
                if ":" in last:  # :hover, :not(...) - state rules of menus, not injection
                    continue
                for kind, name in _SIMPLE_SEL_RX.findall(last):
                    target = classes if kind == "." else ids
                    if len(target) < MAX_HIDING_SELECTORS:  # hostile CSS must not build a huge XPath
                        target[name] = how
    return classes, ids


def _hidden_blocks(body: Any, r: Rules, classes: Mapping[str, str], ids: Mapping[str, str]) -> list[tuple[Any, str]]:
    """Outermost elements hidden by style, class/id rule, `hidden` attribute or <noscript>."""
    # XPath picks the candidates in C (plain attribute tests: libxml2's contains() is slow);
    # the exact class/id test is done here
    expr = ".//*[@style or @hidden or @class or @id or self::noscript]" if classes or ids \
        else ".//*[@style or @hidden or self::noscript]"
    blocks: list[tuple[Any, str]] = []
    chosen: set[Any] = set()
    for el in body.xpath(expr):
        how = None
        if el.tag == "noscript":
            how = "noscript"
        elif el.get("hidden") is not None:
            how = "hidden attribute"
        else:
            style = el.get("style")
            if style:
                how = _hides(style, r)
            if not how:
                eid = el.get("id")
                if eid and eid in ids:
                    how = f"#{eid} {ids[eid]}"
                else:
                    for c in (el.get("class") or "").split():
                        if c in classes:
                            how = f".{c} {classes[c]}"
                            break
        if how and not any(anc in chosen for anc in el.iterancestors()):
            chosen.add(el)
            blocks.append((el, how))
    return blocks


# --- the analysis -----------------------------------------------------------------------

_META_NAMES = ("description", "keywords", "og:title", "og:description", "twitter:title")
# a link to a known spam domain weighs like a promo word
_SPAM_HOST_WEIGHT = 3


@dataclass
class _Analysis:
    """What one parse of a page yields: findings and suspension for extract, title and terms for cloaking."""

    findings: list[dict[str, Any]] = field(default_factory=list)
    suspended: bool = False
    title: str = ""
    text_terms: dict[str, int] = field(default_factory=dict)
    anti: bool = False


@dataclass
class _Page:
    """A page's shared tree (read, never changed) with what spam reads of it first."""

    url: str
    root: Any
    body: Any
    title: str
    metas: list[str]  # description, keywords and social titles: injected SEO text hides there
    own_hosts: set[str]  # the page's and the site's hosts: links there do not leave the site
    hiding_classes: dict[str, str]
    hiding_ids: dict[str, str]
    tail: Any  # what came after </html>, parsed on its own (None: nothing)
    hidden: set[Any] = field(default_factory=set)  # hidden blocks and templates: what visitors do not see


@dataclass
class _Text:
    """The visible text of a page once hidden blocks are gone, lower-cased, and the spam terms in it."""

    body: str
    whole: str  # title and metas, then body
    h1: str
    terms: dict[str, int]
    anti: bool  # anti-gambling context (news, blocklists): brand names alone are no spam there
    words: int  # words of the body, at least 1


class _Visible(NamedTuple):
    """The visible links that leave the site, and whether they read as spam or as a link farm."""

    links: Links
    terms: dict[str, int]
    score: int  # the terms' score plus the spam domains' weight
    spam: bool
    farm: bool


class _Defacement(NamedTuple):
    """Where a defacement marker was seen (title, h1 or text), the marker, and the evidence around it."""

    where: str
    marker: str
    evidence: str


def _finding(kind: str, evidence: str, url: str, **detail: Any) -> dict[str, Any]:
    return {"kind": kind, "evidence": sanitize(evidence), "url": url, "detail": detail}


def _is_html(html: str, headers: Mapping[str, Any] | None) -> bool:
    """Whether a body is worth judging: not empty and not declared as data, script, style or a document."""
    ctype = (header(headers, "content-type") or "").lower()
    return bool(html) and not any(t in ctype for t in _NOT_HTML)


def _prefiltered(text: str, r: Rules, low: str | None = None) -> bool:
    """Whether a prefilter stem starts a word ("defineSlot" does not), an inside stem or a pattern is anywhere."""
    low = text.lower() if low is None else low
    if any(k in low for k in r.prefilter_inside) or any(p.search(low) for p in r.prefilter_rx):
        return True
    for k in r.prefilter:
        i = low.find(k)
        while i >= 0:
            if i == 0 or not low[i - 1].isalpha():
                return True
            i = low.find(k, i + 1)
    return False


class _Raw:
    """The raw page's gates (_prefiltered, farm_gate), read without lowering the page where that gives the same answers.

    On a page outside ASCII str.lower() alone costs more than all the gates (1 ms per 100 KB): the words are found
    in the page's UTF-8 bytes lower-cased (ASCII only: the words are ASCII) and the patterns run case-blind.
    """

    def __init__(self, html: str, r: Rules):
        self.html, self.r = html, r
        self.low: str | None = None
        self.blind = html.isascii() or not any(ch in html for ch in FOLDS_TO_ASCII)

    def lowered(self) -> str:
        if self.low is None:
            self.low = self.html.lower()
        return self.low

    def prefiltered(self) -> bool:
        """_prefiltered(html)."""
        r = self.r
        words = all(k.isascii() for k in (*r.prefilter, *r.prefilter_inside))
        data = self.html.encode("utf-8", "surrogatepass").lower() if self.blind and words else None
        if data is None or (r.prefilter_rx and r.prefilter_rx_i is None):
            return _prefiltered(self.html, r, self.lowered())
        if any(k.encode() in data for k in r.prefilter_inside) or any(p.search(self.html) for p in r.prefilter_rx_i):
            return True
        for k in r.prefilter:
            key = k.encode()
            i = data.find(key)
            while i >= 0:
                if i == 0 or not _alpha_before(data, i):
                    return True
                i = data.find(key, i + 1)
        return False

    def farm(self) -> bool:
        """farm_gate(html.lower())."""
        if self.blind and self.r.farm_gate_i is not None:
            return farm_gate(self.html, self.r, self.r.farm_gate_i)
        return farm_gate(self.lowered(), self.r)


def _alpha_before(data: bytes, i: int) -> bool:
    """Whether the character before byte i of UTF-8 `data` is a letter once lower-cased (as _prefiltered asks)."""
    b = data[i - 1]
    if b < 0x80:
        return chr(b).isalpha()
    j = i - 1
    while j > 0 and i - j < 4 and data[j] & 0xC0 == 0x80:   # back to the first byte of the character
        j -= 1
    return data[j:i].decode("utf-8", "surrogatepass").lower().isalpha()


def _read_parts_prefiltered(root: Any, tail: str, r: Rules) -> bool:
    """The prefilter on what the analysis reads of a parsed page: its text, metas, links (text end, href, title), tail.

    The raw body's prefilter fires on half of real pages for words in scripts, styles and class names ("ad-slot",
    "slotId") that no finding can come from; this second gate spares those pages the analysis.
    """
    return _Raw(read_parts(root, tail), r).prefiltered()


def _quick_title(html: str) -> str:
    """The <title> of an unparsed page."""
    m = _TITLE_RX.search(html)
    return _WS_RX.sub(" ", htmllib.unescape(m.group(1))).strip() if m else ""


def _parse_tail(tail: str) -> Any:
    """The body of what came after </html>, without scripts, styles and comments (None: nothing there)."""
    if not tail.strip():
        return None
    try:
        root = lxml.html.fromstring(f"<html><body>{tail}</body></html>")
    except (etree.ParserError, ValueError):  # undecodable: nothing to judge
        return None
    etree.strip_elements(root, "script", "style", "template", etree.Comment, with_tail=False)
    body = root.find(".//body")
    return body if body is not None and (len(body) or (body.text or "").strip()) else None


def _parse(url: str, html: str, ctx: Context | None) -> _Page | None:
    """The page's shared tree, its title, metas and hiding rules (None: unreadable)."""
    shared = parsed(html)   # cut at its last </html>: kits append their links after it, read on their own here
    root = shared.root
    if root is None:
        return None
    r = load_rules()
    title_el = root.find(".//title")
    title = _WS_RX.sub(" ", title_el.text_content()).strip() if title_el is not None else ""
    metas = [m.get("content") or "" for m in root.iter("meta")
             if (m.get("name") or m.get("property") or "").lower() in _META_NAMES]
    classes, ids = _hiding_selectors(root, r)
    body = root.find(".//body")
    own_hosts = {host(url), host(ctx.site_url if ctx else None)} - {""}
    return _Page(url, root, root if body is None else body, title, metas, own_hosts, classes, ids,
                 _parse_tail(shared.tail), set(root.iter("template")))


def _farm_finding(kind: str, links: Links, anchors: int, page: _Page, **detail: Any) -> dict[str, Any]:
    """A finding naming the government/academic hosts and IPs that `anchors` links reach at their asset folders."""
    sample = list(links.farm.values())
    # detail.code: the monitors word the evidence from links, farm_hosts and farm_sample
    return _finding(kind, " | ".join(sample[:4]), page.url, code="link_farm", links=anchors,
                    farm_hosts=len(sample), farm_sample=", ".join(sample[:2]), hosts=sorted(links.farm)[:5], **detail)


def _link_evidence(links: Links, r: Rules) -> str:
    """The links that carry spam, in their words: texts, else titles and paths; else every text or host."""
    # a kit repeats its few brands over dozens of links: each text once
    texts = list(dict.fromkeys(t for t in links.texts if t and find_terms(t, r)))
    if texts or links.spam_hosts:
        return " | ".join((texts or [t for t in links.texts if t])[:8]) or ", ".join(sorted(links.spam_hosts))
    # gambling words only in a title attribute or the path: name the link by them
    named = [f"{links.titles[i]} → {links.labels[i]}" if links.titles[i] and find_terms(links.titles[i], r)
             else links.labels[i] for i in term_links(links, r)]
    return " | ".join(named[:4]) or " | ".join([t for t in links.texts if t][:8]) or ", ".join(sorted(links.other))


def _hidden_links(el: Any, how: str, page: _Page, r: Rules) -> dict[str, Any] | None:
    """A hidden_links finding when a hidden block's links promote spam, lead to spam domains or form a link farm."""
    anchors = [el] if el.tag == "a" else list(el.iter("a"))
    if not anchors:
        return None
    links = read_links(anchors, page.own_hosts, r)
    terms = find_terms(" | ".join(links.words), r)
    th = r.th
    # many other hosts alone could be a collapsed partner list: spam words in some of the links are needed too
    many = bool(terms) and len(links.other) >= th["hidden_min_external_hosts"] \
        and len(term_links(links, r)) >= th["hidden_min_term_links"]
    if score_terms(terms, r).promo or links.spam_hosts or many:
        hosts = sorted(links.spam_hosts or links.foreign or links.other)
        return _finding("hidden_links", _link_evidence(links, r), page.url,
                        hiding=how, links=len(anchors), hosts=hosts[:5], terms=top_terms(terms, r))
    # no spam word at all: hacked government and campus sites linked at their upload folders
    if len(links.farm) >= th["farm_min_hosts"]:
        return _farm_finding("hidden_links", links, len(anchors), page, hiding=how)
    return None


def _hidden_text(el: Any, how: str, url: str, r: Rules) -> dict[str, Any] | None:
    """A spam_text finding when a hidden block's text is spam."""
    text = _WS_RX.sub(" ", " ".join(shown_texts(el))).lower()
    terms = find_terms(text, r)
    score = score_terms(terms, r)
    if not is_spam(score, r, anti=False):
        return None
    return _finding("spam_text", _snippet(text, terms, r), url, channel="hidden", hiding=how,
                    terms=top_terms(terms, r), score=score.total)


def _hidden_findings(page: _Page, r: Rules) -> list[dict[str, Any]]:
    """Findings of the hidden blocks (style, class/id rules, `hidden`, <noscript>, after </html>); then they are hidden."""
    findings = []
    for el, how in _hidden_blocks(page.body, r, page.hiding_classes, page.hiding_ids):
        if inside(el, page.hidden):
            continue   # in a <template>: never shown at all
        finding = _hidden_links(el, how, page, r) or _hidden_text(el, how, page.url, r)
        if finding:
            findings.append(finding)
        page.hidden.add(el)
    if page.tail is not None:
        how = "after </html>"
        finding = _hidden_links(page.tail, how, page, r) or _hidden_text(page.tail, how, page.url, r)
        if finding:
            findings.append(finding)
    return findings


def _external_links(page: _Page, r: Rules) -> _Visible:
    """The visible links to other hosts, their spam terms and spam domains, and the verdicts on them."""
    anchors = page.body.iter("a")
    if page.hidden:
        out = {a for el in page.hidden for a in el.iter("a")}
        anchors = (a for a in anchors if a not in out)
    links = read_links(anchors, page.own_hosts, r, off_site_only=True)
    terms = find_terms(" | ".join(links.words), r) if links.words else {}
    s = score_terms(terms, r)
    score = s.total + _SPAM_HOST_WEIGHT * len(links.spam_hosts)
    distinct = s.distinct + len(links.spam_hosts)
    spam = score >= r.th["links_min_score"] and distinct >= r.th["links_min_distinct"]
    return _Visible(links, terms, score, spam, len(links.farm) >= r.th["farm_visible_min_hosts"])


def _visible_text(page: _Page, r: Rules) -> _Text:
    """The page's visible words (title and metas included) and their spam terms."""
    # whitespace is left as is: tokens and the \s+ patterns do not care, snippets collapse it
    body = " ".join(shown_texts(page.body, page.hidden)).lower()
    text = " ".join([page.title] + page.metas).lower() + " " + body
    tokens = TOKEN_RX.findall(text)
    terms = r.terms.scan(tokens, r.brands, r.term_info)
    anti = bool(terms) and len(r.anti.scan(tokens)) >= r.anti_min
    h1_el = next((h for h in page.root.iter("h1") if not inside(h, page.hidden)), None)
    h1 = _WS_RX.sub(" ", " ".join(shown_texts(h1_el))).strip().lower() if h1_el is not None else ""
    return _Text(body, text, h1, terms, anti, max(1, len(body.split())))


def _written(html: str) -> str | None:
    """What a page writes with document.write of one long escaped string, when that is how it hides its markup."""
    if "document.write" not in html:
        return None
    m = _WRITTEN_RX.search(html)
    if m is None:
        return None
    text = _ESCAPE_RX.sub(lambda e: chr(int(e.group(1) or e.group(2), 16)), m.group(1))
    # \\uD83D\\uDE00 pairs become one character; a lone surrogate becomes U+FFFD
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _defacement(title: str, h1: str, body: str, words: int, r: Rules) -> _Defacement | None:
    """The defacement marker when the page reads as defaced."""
    for where, text in (("title", title), ("h1", h1)):
        for p in r.deface_strong:
            m = p.search(text)
            if m:
                return _Defacement(where, m.group(), text)
    if not any(k in body for k in _DEFACE_NEEDLES):
        return None
    strong = [m for p in r.deface_strong if (m := search(p, body))]
    weak = [m for p in r.deface_weak if (m := search(p, body))]
    short = words <= r.th["short_page_words"]
    # a claim with a bare handle ("owned by <handle>") counts on a short page that also greets
    claim = [m for p in r.deface_claim if (m := search(p, body))] if short and weak else []
    if strong and (short or weak) or claim:
        m = (strong or claim)[0]
        start = max(0, m.start() - 40)
        return _Defacement("text", m.group(), body[start:start + EVIDENCE_MAX])
    return None


def _suspended(title: str, text: _Text, r: Rules) -> bool:
    """Whether a short page, or one titled so, is the registry's suspension notice."""
    if text.words <= r.th["short_page_words"] or any(p.search(title.lower()) for p in r.suspension):
        return any(p.search(text.whole) for p in r.suspension)
    return False


def _spam_page(page: _Page, text: _Text, r: Rules) -> dict[str, Any] | None:
    """A spam_page finding when the spam is the page itself: dense spam under a spam title or an injected path."""
    th = r.th
    hits = sum(n for t, n in text.terms.items() if not text.anti or classify(t, r).cls == "promo")
    title = score_terms(find_terms(page.title.lower() + " " + text.h1, r), r, text.anti)
    title_promo = title.promo > 0 or title.total >= 4
    path = urlsplit(page.url).path if page.url else ""
    slug = score_terms(find_terms(href_words(page.url, r), r), r)
    injected_path = bool(r.injected_path_rx.search(path)) or slug.promo > 0
    dense = hits >= th["page_min_hits"] and hits / text.words >= th["page_min_density"]
    if not ((title_promo and dense) or (injected_path and (dense or title_promo))):
        return None
    return _finding("spam_page", page.title or _snippet(text.whole, text.terms, r), page.url,
                    terms=top_terms(text.terms, r), hits=hits, words=text.words,
                    density=round(hits / text.words, 3), injected_path=injected_path)


def _visible_spam(page: _Page, text: _Text, visible: _Visible, r: Rules) -> dict[str, Any] | None:
    """The finding of the visible page: an injected spam page, spam in its text, or spam in its outbound links."""
    score = score_terms(text.terms, r, text.anti)
    if is_spam(score, r, text.anti):
        return _spam_page(page, text, r) or _finding(
            "spam_text", _snippet(text.whole, text.terms, r), page.url, channel="text",
            terms=top_terms(text.terms, r), score=score.total)
    links = visible.links
    if visible.spam:
        spammy = [links.texts[i] or links.labels[i] for i in term_links(links, r)]
        return _finding("spam_text", " | ".join(spammy[:8]) or ", ".join(sorted(links.spam_hosts)), page.url,
                        channel="links", terms=top_terms(visible.terms, r), hosts=sorted(links.spam_hosts)[:5],
                        score=visible.score)
    if visible.farm:  # a farm whose hiding this page does not show (a stylesheet elsewhere, a script)
        return _farm_finding("spam_text", links, links.farm_links, page, channel="links")
    return None


def _analyse(url: str, html: str, headers: Mapping[str, Any] | None, ctx: Context | None) -> _Analysis:
    """Everything spam.extract and compare_cloaking need from one parse."""
    r = load_rules()
    if not _is_html(html, headers):
        return _Analysis()
    html = _written(html) or html
    raw = _Raw(html, r)
    # most pages hold no spam word and no link farm: they are never read; nor are those whose words stand only where
    # no finding reads (scripts, class names: "ad-slot"). What the analysis reads is a third of the raw page, so
    # it is searched first (on the tree the other signals share); the raw page only when that finds a word.
    shared = parsed(html)
    read = (shared.root is None or _read_parts_prefiltered(shared.root, shared.tail, r)) and raw.prefiltered()
    if not read and not raw.farm():
        return _Analysis(title=_quick_title(html))  # cloaking compares titles even of clean copies
    page = _parse(url, html, ctx)
    if page is None:
        return _Analysis()
    findings = _hidden_findings(page, r)  # hidden blocks go first: the rest judges what visitors see
    links = _external_links(page, r)
    text = _visible_text(page, r)
    # defacement before spam: it is the louder finding
    deface = _defacement(page.title, text.h1, text.body, text.words, r)
    if deface:
        findings.insert(0, _finding("defacement", deface.evidence, url, where=deface.where, marker=deface.marker))
    visible = _visible_spam(page, text, links, r)
    if visible:
        findings.append(visible)
    return _Analysis(findings=findings, suspended=_suspended(page.title, text, r), title=page.title,
                     text_terms=text.terms, anti=text.anti)


def extract(url: str, html: str, headers: Mapping[str, Any] | None, ctx: Context | None) -> SpamSignals:
    """Spam, hidden-link, injected-page and defacement findings of one page, and the suspension flag."""
    a = _analyse(url, html, headers, ctx)
    return SpamSignals(findings=a.findings, suspended=a.suspended)


def compare_cloaking(url: str, normal_html: str, bot_html: str, ctx: Context | None) -> dict[str, Any] | None:
    """A cloaking finding when the search-engine copy of a page carries spam the normal copy lacks."""
    if not bot_html or bot_html == normal_html:
        return None
    bot = _analyse(url, bot_html, None, ctx)
    if not bot.findings and not bot.text_terms:
        return None
    normal = _analyse(url, normal_html or "", None, ctx)
    new_kinds = {f["kind"] for f in bot.findings if f["kind"] != "defacement"} - {f["kind"] for f in normal.findings}
    extra = {t: n for t, n in bot.text_terms.items() if t not in normal.text_terms}
    r = load_rules()
    if not new_kinds and not is_spam(score_terms(extra, r, bot.anti), r, bot.anti):
        return None
    terms = top_terms(extra, r) or top_terms(bot.text_terms, r)
    # detail.code says what the evidence is, for the monitors to word: the search engine's title (the visitors'
    # one, if any, is detail.normal_title), the search-engine copy's first finding, or the terms only it has
    if bot.title != normal.title:
        code, evidence = ("titles_differ" if normal.title else "bot_title"), bot.title
    elif bot.findings:
        code, evidence = "finding", bot.findings[0]["evidence"]
    else:
        code, evidence = "terms", ", ".join(terms)
    return {"kind": "cloaking", "evidence": sanitize(evidence), "url": url,
            "detail": {"code": code, "bot_title": sanitize(bot.title, TITLE_MAX),
                       "normal_title": sanitize(normal.title, TITLE_MAX), "terms": terms, "kinds": sorted(new_kinds)}}
