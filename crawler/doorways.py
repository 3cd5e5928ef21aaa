"""Doorway paths: URLs whose path names gambling, judged alike by the crawl and by `ronda sites verify`."""
from __future__ import annotations

from typing import Iterable

from crawler.signals.spam_links import href_words
from crawler.signals.spam_rules import find_terms, load_rules, score_terms

__all__ = ["is_doorway", "doorways"]


def is_doorway(url: str) -> bool:
    """Does this URL's path name gambling (promo words or brand-like names in its slug), as a doorway's does?"""
    r = load_rules()
    # the host is left out: a Pemda's own name says nothing; a relative robots.txt path gets a neutral one
    return score_terms(find_terms(href_words("http://x.invalid" + _path(url), r), r), r).promo > 0


def doorways(urls: Iterable[str]) -> list[str]:
    """The URLs that are doorway paths, in order."""
    return [u for u in urls if is_doorway(u)]


def _path(u: str) -> str:
    """The path and query of an absolute URL, or the text itself (a robots.txt rule)."""
    # Plain string work, not urlsplit: the crawl judges every entry of sitemaps of up to 50,000, and a
    # malformed entry (`http://[x]/`) must not raise.
    _, sep, rest = u.partition("://")
    if not sep:
        return u if u.startswith("/") else "/" + u
    cut = [i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0]
    path = rest[min(cut):].partition("#")[0] if cut else "/"
    return path if path.startswith("/") else "/" + path
