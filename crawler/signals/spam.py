"""Integrity signals of one page: gambling/porn spam, hidden link blocks, injected pages, defacement, suspension."""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping
from urllib.parse import urlsplit

import lxml.html
import yaml
from lxml import etree

from base.safe import one_line

from . import Context, header

__all__ = ["SpamSignals", "extract", "compare_cloaking", "load_rules", "sanitize"]

KINDS = ("hidden_links", "spam_text", "spam_page", "defacement")
EVIDENCE_MAX = 160
MAX_HIDING_SELECTORS = 200

# Control characters, bidi overrides and zero-width characters: evidence is shown in
# reports and terminals, where these could hide or reorder text.
_WS_RX = re.compile(r"\s+")
_SIMPLE_SEL_RX = re.compile(r"([.#])([A-Za-z0-9_-]+)")
_PATH_WORDS_RX = re.compile(r"[-_/+.%]+")
# every strong defacement pattern contains one of these: a cheap gate before the regexes
_DEFACE_NEEDLES = ("hack", "h4ck", "defac", "owned", "here", "diretas")
_TITLE_RX = re.compile(r"<title[^>]*>(.*?)</title", re.S | re.I)
_XML_DECL_RX = re.compile(r"^\s*<\?xml[^>]*\?>")
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


@dataclass(frozen=True)
class Rules:
    """Compiled heuristics of data/spam.yaml."""

    prefilter: tuple[str, ...]
    terms: _Phrases
    term_info: dict[str, tuple[str, int]]  # normalised term -> (class, weight)
    brand_rx: re.Pattern
    brand_weight: int
    brand_exceptions: frozenset[str]
    anti: _Phrases
    anti_min: int
    anti_promo_min: int
    th: dict[str, Any]
    spam_domain_rx: re.Pattern
    trusted_suffixes: tuple[str, ...]
    injected_path_rx: re.Pattern
    hiding: tuple[tuple[re.Pattern, ...], ...]
    deface_strong: tuple[re.Pattern, ...]
    deface_weak: tuple[re.Pattern, ...]
    suspension: tuple[re.Pattern, ...]


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> Rules:
    """Read and compile the heuristics (the packaged data/spam.yaml unless `path`)."""
    if path:
        with open(path, encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
    else:
        raw = yaml.safe_load(resources.files("crawler.signals").joinpath("data/spam.yaml").read_text("utf-8"))
    info: dict[str, tuple[str, int]] = {}
    for cls in ("weak", "topic", "promo"):  # later classes win for a word listed twice
        spec = raw["terms"][cls]
        for w in spec["words"]:
            info[" ".join(_TOKEN_RX.findall(w.lower()))] = (cls, int(spec["weight"]))
    hiding = tuple(
        tuple(re.compile(p) for p in (h if isinstance(h, list) else [h])) for h in raw["hiding"]
    )
    anti = raw["anti_context"]
    return Rules(
        prefilter=tuple(k.lower() for k in raw["prefilter"]),
        terms=_Phrases(list(info)),
        term_info=info,
        brand_rx=re.compile(raw["brand_pattern"]),
        brand_weight=int(raw.get("brand_weight", 3)),
        brand_exceptions=frozenset(w.lower() for w in raw.get("brand_exceptions") or ()),
        anti=_Phrases(anti["words"]),
        anti_min=int(anti["min_distinct"]),
        anti_promo_min=int(anti["promo_min_distinct"]),
        th=dict(raw["thresholds"]),
        spam_domain_rx=re.compile(raw["spam_domain_pattern"]),
        trusted_suffixes=tuple(s.lower().lstrip(".") for s in raw["trusted_host_suffixes"]),
        injected_path_rx=re.compile(raw["injected_path_pattern"], re.I),
        hiding=hiding,
        deface_strong=tuple(re.compile(p, re.I) for p in raw["defacement"]["strong"]),
        deface_weak=tuple(re.compile(p, re.I) for p in raw["defacement"]["weak"]),
        suspension=tuple(re.compile(p) for p in raw["suspension"]),
    )


# --- vocabulary -------------------------------------------------------------------------

_TOKEN_RX = re.compile(r"[a-z0-9]+")


class _Phrases:
    """Token-sequence matcher: one pass over the words, longest phrase first (a big regex
    alternation with word boundaries costs ~4x more on a 20 KB text)."""

    def __init__(self, phrases: list[str]):
        self.first: dict[str, list[tuple[str, ...]]] = {}
        for ph in sorted(set(phrases), key=lambda x: -len(x.split())):
            toks = tuple(_TOKEN_RX.findall(ph.lower()))
            if toks:
                self.first.setdefault(toks[0], []).append(toks)

    def scan(self, words: list[str], brand: re.Pattern | None = None, skip: frozenset[str] = frozenset(),
             known: Mapping[str, Any] | None = None) -> dict[str, int]:
        """Phrase (space-joined) -> hits; brand-like words too when `brand` is given."""
        found: dict[str, int] = {}
        uniq = set(words)
        # set operations run in C: most texts share no word with the phrase list at all
        starts = uniq.intersection(self.first)
        if brand is not None:
            for w in uniq:
                if w[-1] in "8d370" and w not in skip and (known is None or w not in known) and brand.fullmatch(w):
                    found[w] = words.count(w)
        if not starts:
            return found
        first = self.first
        end = 0  # phrases do not overlap: the longest one at a position wins
        positions = []
        for w in starts:  # list.index scans in C, far faster than a Python loop over every word
            i = words.index(w)
            while True:
                positions.append(i)
                try:
                    i = words.index(w, i + 1)
                except ValueError:
                    break
        for i in sorted(positions):
            if i < end:
                continue
            for toks in first[words[i]]:
                k = len(toks)
                if k == 1 or tuple(words[i:i + k]) == toks:
                    key = " ".join(toks)
                    found[key] = found.get(key, 0) + 1
                    end = i + k
                    break
        return found


def _terms(text: str, r: Rules) -> dict[str, int]:
    """Distinct spam terms (and brand-like names) in lower-cased text, with hit counts."""
    if not text:
        return {}
    return r.terms.scan(_TOKEN_RX.findall(text), r.brand_rx, r.brand_exceptions, r.term_info)


def _info(term: str, r: Rules) -> tuple[str, int]:
    return r.term_info.get(term) or ("brand", r.brand_weight)


def _score(terms: Mapping[str, int], r: Rules, anti: bool = False) -> tuple[int, int, int]:
    """(score, distinct terms counted, distinct promo terms); in anti-gambling context only promo counts."""
    score = distinct = promo = 0
    for t in terms:
        cls, w = _info(t, r)
        # news and blocklists name brands ("rajaslot88 diblokir"): in that context only promo words count
        if anti and cls != "promo":
            continue
        score += w
        distinct += 1
        promo += cls in ("promo", "brand")
    return score, distinct, promo


def _is_spam(terms: Mapping[str, int], r: Rules, anti: bool) -> bool:
    """The scored decision for a body of text (never a single word)."""
    th = r.th
    score, distinct, promo = _score(terms, r, anti)
    if anti:
        return promo >= r.anti_promo_min and score >= th["text_min_score"]
    if score < th["text_min_score"] or distinct < th["text_min_distinct"]:
        return False
    return promo > 0 or distinct >= th["topic_only_min_distinct"]


def _top_terms(terms: Mapping[str, int], r: Rules, n: int = 10) -> list[str]:
    return sorted(terms, key=lambda t: (-_info(t, r)[1], -terms[t], t))[:n]


def _snippet(text: str, terms: Mapping[str, int], r: Rules) -> str:
    """Text around the heaviest term found, for evidence."""
    m = None
    if terms:
        best = _top_terms(terms, r, 1)[0]
        m = re.search(r"[\W_]+".join(map(re.escape, best.split())), text)
    if m is None:
        return sanitize(text.strip()[:600])
    # 50 visible characters of context before the term, whatever whitespace the page had
    head = _WS_RX.sub(" ", text[max(0, m.start() - 300):m.start()])
    lead = head[-50:] if len(head) > 50 else head
    return sanitize(("…" if len(head) > 50 else "") + lead.lstrip() + text[m.start():m.start() + 600])


# --- hosts and hiding -------------------------------------------------------------------

def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        h = urlsplit(url).hostname or ""
    except ValueError:  # malformed URL in hostile HTML: no host
        return ""
    return h[4:] if h.startswith("www.") else h


def _trusted(host: str, r: Rules) -> bool:
    return any(host == s or host.endswith("." + s) for s in r.trusted_suffixes)


def _spam_domain(host: str, r: Rules) -> bool:
    if not host or _trusted(host, r):
        return False
    labels = host.split(".")
    # the public suffix is not evidence ("bet" TLDs aside, judge the names)
    return any(r.spam_domain_rx.search(lab) for lab in labels[:-1] if lab)


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


def _anchor_words(a: Any) -> tuple[str, str]:
    """(anchor text, href) of a link, lower-cased."""
    text = _WS_RX.sub(" ", " ".join(a.itertext())).strip().lower()
    return text, (a.get("href") or "").strip()


def _href_words(href: str) -> str:
    """Words of a link's host and path (slugs like /slot-gacor-hari-ini/ carry spam too)."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return ""
    return _PATH_WORDS_RX.sub(" ", f"{parts.hostname or ''} {parts.path}").lower()


# --- the analysis -----------------------------------------------------------------------

@dataclass
class _Analysis:
    findings: list[dict[str, Any]] = field(default_factory=list)
    suspended: bool = False
    title: str = ""
    text_terms: dict[str, int] = field(default_factory=dict)
    anti: bool = False


def _finding(kind: str, evidence: str, url: str, **detail: Any) -> dict[str, Any]:
    return {"kind": kind, "evidence": sanitize(evidence), "url": url, "detail": detail}


def _prefiltered(text: str, r: Rules) -> bool:
    """Whether any prefilter stem starts a word somewhere ("defineSlot" in an ad script does not)."""
    low = text.lower()
    for k in r.prefilter:
        i = low.find(k)
        while i >= 0:
            if i == 0 or not low[i - 1].isalpha():
                return True
            i = low.find(k, i + 1)
    return False


def _analyse(url: str, html: str, headers: Mapping[str, Any] | None, ctx: Context | None) -> _Analysis:
    """Everything spam.extract and compare_cloaking need from one parse."""
    r = load_rules()
    out = _Analysis()
    ctype = (header(headers, "content-type") or "").lower()
    if not html or any(t in ctype for t in _NOT_HTML):
        return out
    if not _prefiltered(html, r):
        m = _TITLE_RX.search(html)  # cloaking compares titles even of clean copies
        out.title = _WS_RX.sub(" ", htmllib.unescape(m.group(1))).strip() if m else ""
        return out
    # lxml refuses str input that still declares an encoding
    html = _XML_DECL_RX.sub("", html, count=1)
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):  # empty or undecodable document: nothing to judge
        return out
    th = r.th
    page_host = _host(url)
    own_hosts = {page_host, _host(ctx.site_url if ctx else None)} - {""}

    title_el = root.find(".//title")
    out.title = _WS_RX.sub(" ", title_el.text_content()).strip() if title_el is not None else ""
    metas = []
    for m in root.iter("meta"):
        name = (m.get("name") or m.get("property") or "").lower()
        if name in ("description", "keywords", "og:title", "og:description", "twitter:title"):
            metas.append(m.get("content") or "")
    classes, ids = _hiding_selectors(root, r)
    etree.strip_elements(root, "script", "style", "template", etree.Comment, with_tail=False)
    body = root.find(".//body")
    if body is None:
        body = root

    # hidden blocks: judged on their links, then removed from the visible text
    for el, how in _hidden_blocks(body, r, classes, ids):
        anchors = [el] if el.tag == "a" else list(el.iter("a"))
        ext_hosts: set[str] = set()
        spam_hosts: set[str] = set()
        texts = []
        words = []
        for a in anchors:
            text, href = _anchor_words(a)
            host = _host(href)
            words.append(text)
            words.append(_href_words(href))
            if host and host not in own_hosts:
                if not _trusted(host, r):
                    ext_hosts.add(host)
                if _spam_domain(host, r):
                    spam_hosts.add(host)
            if text:
                texts.append(text)
        a_terms = _terms(" | ".join(words), r)
        promo = _score(a_terms, r)[2]
        block_text = _WS_RX.sub(" ", " ".join(el.itertext())).lower()
        # many foreign links alone could be a collapsed partner list: they need a spam word too
        many = len(ext_hosts) >= th["hidden_min_external_hosts"] and bool(a_terms)
        if anchors and (promo or spam_hosts or many):
            texts = [t for t in texts if _terms(t, r)] or texts
            out.findings.append(_finding(
                "hidden_links", " | ".join(texts[:8]) or ", ".join(sorted(spam_hosts or ext_hosts)), url,
                hiding=how, links=len(anchors), hosts=sorted(spam_hosts or ext_hosts)[:5],
                terms=_top_terms(a_terms, r)))
        else:
            b_terms = _terms(block_text, r)
            if _is_spam(b_terms, r, anti=False):
                out.findings.append(_finding("spam_text", _snippet(block_text, b_terms, r), url,
                                             channel="hidden", hiding=how, terms=_top_terms(b_terms, r),
                                             score=_score(b_terms, r)[0]))
        if el.getparent() is not None:
            el.drop_tree()

    # visible links that leave the site
    link_spam_hosts: set[str] = set()
    ext_links: list[str] = []
    ext_texts: list[str] = []
    for a in body.iter("a"):
        href = (a.get("href") or "").strip()
        if not href.lower().startswith(("http:", "https:", "//")):
            continue  # relative links stay on the site
        host = _host(href)
        if not host or host in own_hosts:
            continue
        text = _anchor_words(a)[0]
        if _spam_domain(host, r):
            link_spam_hosts.add(host)
        ext_links.append(text + " " + _href_words(href))
        ext_texts.append(text)
    link_terms = _terms(" | ".join(ext_links), r) if ext_links else {}

    # whitespace is left as is: tokens and the \s+ patterns do not care, snippets collapse it
    body_text = " ".join(body.itertext()).lower()
    head_text = " ".join([out.title] + metas).lower()
    text = head_text + " " + body_text
    tokens = _TOKEN_RX.findall(text)
    terms = r.terms.scan(tokens, r.brand_rx, r.brand_exceptions, r.term_info)
    out.text_terms = terms
    out.anti = bool(terms) and len(r.anti.scan(tokens)) >= r.anti_min
    words = max(1, len(body_text.split()))

    # defacement before spam: it is the louder finding
    h1 = root.find(".//h1")
    h1_text = _WS_RX.sub(" ", h1.text_content()).strip().lower() if h1 is not None else ""
    deface = _defacement(out.title, h1_text, body_text, words, r)
    if deface:
        where, marker, ev = deface
        out.findings.insert(0, _finding("defacement", ev, url, where=where, marker=marker))

    if words <= th["short_page_words"] or any(p.search(out.title.lower()) for p in r.suspension):
        out.suspended = any(p.search(text) for p in r.suspension)

    spam_here = _is_spam(terms, r, out.anti)
    ls_score, ls_distinct, _ = _score(link_terms, r)
    ls_score += 3 * len(link_spam_hosts)
    ls_distinct += len(link_spam_hosts)
    links_spam = ls_score >= th["links_min_score"] and ls_distinct >= th["links_min_distinct"]
    if spam_here or links_spam:
        hits = sum(n for t, n in terms.items() if not out.anti or _info(t, r)[0] == "promo")
        title_terms = _terms(out.title.lower() + " " + h1_text, r)
        title_promo = _score(title_terms, r, out.anti)[2] > 0 or _score(title_terms, r, out.anti)[0] >= 4
        path = urlsplit(url).path if url else ""
        injected_path = bool(r.injected_path_rx.search(path)) or _score(_terms(_href_words(url), r), r)[2] > 0
        dense = hits >= th["page_min_hits"] and hits / words >= th["page_min_density"]
        if spam_here and ((title_promo and dense) or (injected_path and (dense or title_promo))):
            out.findings.append(_finding(
                "spam_page", out.title or _snippet(text, terms, r), url, terms=_top_terms(terms, r),
                hits=hits, words=words, density=round(hits / words, 3), injected_path=injected_path))
        elif spam_here:
            out.findings.append(_finding("spam_text", _snippet(text, terms, r), url, channel="text",
                                         terms=_top_terms(terms, r), score=_score(terms, r, out.anti)[0]))
        else:
            out.findings.append(_finding(
                "spam_text", " | ".join([t for t, s in zip(ext_texts, ext_links) if _terms(s, r)][:8]) or ", ".join(sorted(link_spam_hosts)), url,
                channel="links", terms=_top_terms(link_terms, r), hosts=sorted(link_spam_hosts)[:5],
                score=ls_score))
    return out


def _defacement(title: str, h1: str, body: str, words: int, r: Rules) -> tuple[str, str, str] | None:
    """(where, marker, evidence) when the page reads as defaced."""
    for where, text in (("title", title), ("h1", h1)):
        for p in r.deface_strong:
            m = p.search(text)
            if m:
                return where, m.group(), text
    if not any(k in body for k in _DEFACE_NEEDLES):
        return None
    strong = [m for p in r.deface_strong if (m := p.search(body))]
    if not strong:
        return None
    weak = [m for p in r.deface_weak if (m := p.search(body))]
    if words <= r.th["short_page_words"] or weak:
        m = strong[0]
        start = max(0, m.start() - 40)
        return "text", m.group(), body[start:start + EVIDENCE_MAX]
    return None


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
    if not new_kinds and not _is_spam(extra, r, bot.anti):
        return None
    terms = _top_terms(extra, r) or _top_terms(bot.text_terms, r)
    if bot.title != normal.title:
        evidence = f"{bot.title} (pengunjung biasa: {normal.title})" if normal.title else bot.title
    else:
        evidence = next((f["evidence"] for f in bot.findings), ", ".join(terms))
    return {"kind": "cloaking", "evidence": sanitize(evidence), "url": url,
            "detail": {"bot_title": sanitize(bot.title), "normal_title": sanitize(normal.title),
                       "terms": terms, "kinds": sorted(new_kinds)}}
