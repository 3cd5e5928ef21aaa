"""The spam signal's fast paths: the same answers as its plain reading, in C where Python walked or re scanned.

tests/test_signal_fast_paths.py checks each against the plain way over generated pages.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lxml import etree

from .tree import FOLDS_TO_ASCII

try:   # re's own parser, to read a pattern's first word; private, so a Python without it gets the plain search
    from re import _constants as _re_constants, _parser as _re_parser
except ImportError:  # pragma: no cover
    _re_parser = None

__all__ = ["read_parts", "search"]


def read_parts(root: Any, tail: str) -> str:
    """What the analysis reads of a page, joined by spaces: shown text, tail, link hrefs and titles, metas, link ends.

    Shown text is shown_texts(root); a metas' content is "" when missing; a link's end is "…{text}</a", which keeps
    the raw patterns' view of it (a brand with digits: "naga88</a"), its text being a.text when it has no child
    node ("None" when it has none at all) and all its text otherwise. Two XSLT passes build this in C with a
    quarter less CPU than a walk in Python; tests/test_signal_fast_paths.py checks them against that walk.
    """
    texts = str(_SHOWN_TEXT_XSLT(root))   # each shown text node after a space
    return f"{texts[1:]} {tail}{_LINK_PARTS_XSLT(root)}"


_XSLT_HEAD = ('<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
              '<xsl:output method="text" encoding="utf-8"/>')
# shown_texts(root): the text nodes of the root element, but for those inside script, style and template elements
# (tree.shown_texts defines it; tree.shown_text_nodes, the dates signal's reading, keeps template text and nodes)
_SHOWN_TEXT_XSLT = etree.XSLT(etree.XML(_XSLT_HEAD + """
<xsl:template match="/"><xsl:apply-templates select="*[1]"/></xsl:template>
<xsl:template match="script|style|template"/>
<xsl:template match="text()"><xsl:text> </xsl:text><xsl:value-of select="."/></xsl:template>
</xsl:stylesheet>"""))
# the links' hrefs and titles over the whole document, then the root's metas and links, each after a space
_LINK_PARTS_XSLT = etree.XSLT(etree.XML(_XSLT_HEAD + """
<xsl:template match="/">
<xsl:for-each select="//a/@href | //a/@title"><xsl:text> </xsl:text><xsl:value-of select="."/></xsl:for-each>
<xsl:for-each select="/*[1]//meta"><xsl:text> </xsl:text><xsl:value-of select="@content"/></xsl:for-each>
<xsl:for-each select="/*[1]//a"><xsl:text> </xsl:text>
  <xsl:choose><xsl:when test="node()"><xsl:value-of select="."/></xsl:when><xsl:otherwise>None</xsl:otherwise></xsl:choose>
  <xsl:text>&lt;/a</xsl:text></xsl:for-each>
</xsl:template>
</xsl:stylesheet>"""))


def search(p: re.Pattern, low: str) -> re.Match | None:
    """p.search(low) on a lower-cased text, tried only where the literal that starts every match of p stands.

    A pattern that opens with "\\b" and a word makes re try every position of the text (10 ms per pattern on a
    200 KB page); its matches can only start where that word does, and str.find finds those in C. The word is
    looked for as written lower-cased, which is what p case-blind reads on lowered text without "ſ" or "ı".
    """
    word = _leading_word(p)
    if not word or any(ch in low for ch in FOLDS_TO_ASCII):
        return p.search(low)
    i = low.find(word)
    while i >= 0:
        m = p.match(low, i)   # \b and lookbehinds still see the text before i
        if m is not None:
            return m
        i = low.find(word, i + 1)
    return None


@lru_cache(maxsize=None)
def _leading_word(p: re.Pattern) -> str:
    """The literal text every match of p starts with, after zero-width tests such as \\b ("" when none)."""
    if _re_parser is None:
        return ""
    word = []
    for op, arg in _re_parser.parse(p.pattern, p.flags):
        if op is _re_constants.AT and not word:
            continue
        if op is not _re_constants.LITERAL:
            break
        word.append(chr(arg))
    text = "".join(word)
    # outside ASCII, case-blindness has more equivalents than lower() ("σ" also reads "ς"): no word then
    return "" if not text.isascii() else text.lower() if p.flags & re.IGNORECASE else text
