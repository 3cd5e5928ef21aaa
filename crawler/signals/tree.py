"""One parse of a page's HTML, shared by every signal that reads it (the tree is read-only for all of them)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Collection

import lxml.html
from lxml import etree

__all__ = ["FOLDS_TO_ASCII", "Parsed", "inside", "parsed", "shown_text_nodes", "shown_texts"]

# İ (its lower case is two characters), ı and ſ (re matches them with i and s), the Kelvin sign: the only
# characters outside ASCII that re.IGNORECASE matches with an ASCII letter or that str.lower() turns into one
# (tests/test_spam.py checks the list over all of Unicode). A text without them reads case-blind as lowered.
FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_HTML_END = re.compile(r"</html\s*>", re.I)
# lxml.html's own parser picks each element's class in Python (2x the cost of walking the tree); a default
# lookup does it in C and still gives lxml.html elements, which htmldate requires of a tree handed to it.
# collect_ids=False: no table of the id attributes, which no signal looks elements up by (6 % of the parse). Parsing
# UTF-8 bytes instead of the text saves 5 % more but reads lone surrogates otherwise; remove_comments would
# change what signals count (an <a> holding only a comment has a child), so neither is used.
_PARSER = etree.HTMLParser(no_network=True, remove_pis=True, collect_ids=False)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity))


@dataclass(frozen=True)
class Parsed:
    """A page parsed once: the tree up to its last </html> (None: nothing to read), and what came after it."""

    root: Any
    tail: str


def parsed(body: str) -> Parsed:
    """The page's tree, parsed on the first call for this very `body` object and shared by the next callers.

    Every signal of a page gets the same text object from the barrier, so one parse serves them all and the
    signals keep their plain (url, body, headers, ctx) signature. No caller may change the tree.
    """
    global _last
    last = _last
    if last is not None and last[0] is body:  # identity, not equality: comparing 100 KB per call would cost
        return last[1]
    result = _parse(body)
    _last = (body, result)   # holding `body` keeps its id from being reused by another text
    return result


_last: tuple[str, Parsed] | None = None


def _parse(body: str) -> Parsed:
    text = _XML_DECL.sub("", body, count=1) if body[:256].lstrip().startswith("<?xml") else body  # lxml refuses it
    text, tail = _split_tail(text)
    if not text or text.isspace():
        return Parsed(None, tail)
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError):  # a body lxml cannot read as HTML (binary, NUL-only): nothing on it
        root = None
    return Parsed(root, tail)


def _split_tail(html: str) -> tuple[str, str]:
    """The document up to its last </html>, and what kits append after it (libxml2 drops or moves that part)."""
    i = len(html)
    # backwards over the last closing tags (on real pages </html> is among them), then one pass over the rest
    for _ in range(200):
        i = html.rfind("</", 0, i)
        if i < 0:
            return html, ""
        m = _HTML_END.match(html, i) if html[i + 2:i + 6].lower() == "html" else None
        if m is not None:
            return html[:m.end()], html[m.end():]
    last = None
    for last in _HTML_END.finditer(html, 0, i):
        pass
    return (html[:last.end()], html[last.end():]) if last is not None else (html, "")


_NEVER_SHOWN = ("script", "style", "template")
_ALL_TEXT = etree.XPath("descendant::text()")
# scripts and styles hold only text; a template holds elements, so only a tree with one pays for ancestor:: (2.5x)
_SHOWN = "descendant::text()[not(parent::script or parent::style{})]"
_SHOWN_TEXT = {t: etree.XPath(_SHOWN.format(t)) for t in ("", " or ancestor::template")}
# plain strings, without the element proxy behind each one: 2x faster where no caller asks a string for its node
_SHOWN_PLAIN = {t: etree.XPath(_SHOWN.format(t), smart_strings=False) for t in ("", " or ancestor::template")}


def shown_texts(el: Any, hidden: Collection[Any] = ()) -> list[str]:
    """An element's text nodes as a browser would show them: no script, style, template, comment, nor `hidden` block."""
    # spam_fast's XSLT builds " ".join(shown_texts(root)) in C; shown_text_nodes (dates) reads more, as nodes
    gone = {(t.getparent(), t.is_tail) for h in hidden for t in _ALL_TEXT(h)}   # what the hidden blocks hold
    if not gone and next(el.iter(*_NEVER_SHOWN), None) is None:
        return list(el.itertext())   # most elements: itertext already leaves comments out
    templates = " or ancestor::template" if next(el.iter("template"), None) is not None else ""
    if not gone:
        return _SHOWN_PLAIN[templates](el)
    # a text node is its element's text or its tail: (element, is_tail) names it, whichever string proxy is at hand
    return [t for t in _SHOWN_TEXT[templates](el) if (t.getparent(), t.is_tail) not in gone]


_RAW_TEXT = ("script", "style")
# From the document node: text after an early </html> parses into a second top-level <html> (test_dates_fastpaths).
# One descendant axis, not "//" (descendant-or-self::node()/child::text(), a node-set per element merged): 1 ms less.
_DOC_TEXT = etree.XPath("/descendant::text()")
_DOC_SHOWN = etree.XPath("/descendant::text()[not(parent::script or parent::style)]")


def shown_text_nodes(root: Any) -> list[Any]:
    """A document's text nodes as nodes (parent, is_tail), but those in scripts and styles: what dates reads."""
    # unlike shown_texts: the whole document, template text kept, and nodes (dates reads their neighbours and parents)
    if any(len(el) for el in root.iter(_RAW_TEXT)):
        return _DOC_SHOWN(root)   # never from libxml2's parser (their content is raw text), but exact all the same
    # Without children in scripts and styles, a tail's parent is none of them: only a text's own element is looked at.
    # The XPath's predicate costs more in libxml2 than the same test in Python (0.65 ms vs 0.45 a page).
    return [t for t in _DOC_TEXT(root) if t.is_tail or getattr(t.getparent(), "tag", None) not in _RAW_TEXT]


def inside(el: Any, blocks: Collection[Any]) -> bool:
    """Whether `el` is one of `blocks` or stands inside one."""
    return any(x in blocks for x in el.iterancestors()) or el in blocks
