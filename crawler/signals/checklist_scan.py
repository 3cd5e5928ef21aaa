"""The checklist's phrase tries and the regexes that let it skip, in C, the links that name nothing (issue 16)."""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from base.checklist import _TOKEN_RE


def phrase_trie(keys: Iterable[str]) -> str | None:
    """One regex alternation for many phrases (lowered keys, words joined by spaces), as a trie: fast on long texts,
    and the longest phrase wins; None when there is none."""
    trie = _trie(keys)
    return _trie_pattern(trie) if trie else None


def _trie(keys: Iterable[str]) -> dict[str, Any]:
    trie: dict[str, Any] = {}
    for k in set(keys):
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def _trie_pattern(node: dict[str, Any]) -> str:
    alts = []
    for ch in sorted(c for c in node if c):
        sub = node[ch]
        head = r"[\W_]+" if ch == " " else re.escape(ch)
        alts.append(head + (_trie_pattern(sub) if any(sub) or len(sub) > 1 else ""))
    if "" in node:
        alts.append("")  # ending here is tried last: a longer phrase wins
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


def anchor_gates(phrase_item: Mapping[str, Any], hints: Iterable[str], host_first: Iterable[str],
                 host_exact: list[tuple[str, str]], generic: Iterable[str]) -> dict[str, re.Pattern[str]]:
    """The regexes of checklist_links.evidence_anchors (over lowered text), from the words of the matchers behind them.

    Each begins with a character class or literals that few positions hold (a non-word character before a label's
    word; NUL, '/', '.', '@', '[' in an href), so re skips the other positions in C; that is also why they run on
    lowered text: re.IGNORECASE would defeat that skip.
    """
    def alternation(words: Iterable[str]) -> str:
        return phrase_trie(words) or "(?!)"

    firsts = {k.split(" ")[0] for k in phrase_item}
    # the characters re.IGNORECASE matches with an ASCII letter and lower() does not turn into one (İ -> i + U+0307)
    folds = "[\u0307\u0131\u017f]"
    # a label: a whole word that begins a phrase or is a generic label's word (checklist_match.may_match's test)
    label_words = firsts | {w for g in generic for w in _TOKEN_RE.findall(g.lower())}
    label_gate = rf"[\W_](?:{alternation(label_words)})(?![^\W_])"
    # an href: its last path segment (after the last '/' that a segment with more than spaces follows, before '?',
    # '#' or the end: the href is stripped) named by a url hint (before an extension), or holding a phrase's first
    # word where its letters start and end (the name's words are split at digits, '%20' and '+'); a shared-service
    # host name after '/', '@', '[' or '.'; what urlsplit removes (tab, CR, LF). Each href is entered once, at its
    # NUL; the atomic group reaches its last segment without trying the others.
    alpha = {f for f in firsts if f.isascii() and f.isalpha()}
    # a word mixing ASCII letters and digits ("sp4n") is never one of a name's words: they are split there
    odd = {f for f in firsts - alpha if not (f.isascii() and f.isalnum() and not f.isdigit())}
    hosts = alternation({*host_first, *(h for h, _ in host_exact)})
    # a word starts the segment or follows a non-letter (tried only there: greedy, then backwards)
    last = (rf"\x00\s*(?>[^\x00?#]*/(?=[^/?#\x00]*[^/?#\x00\s]))?(?:{alternation(hints)}(?=[./?#\s\x00])"
            rf"|(?:[^/?#\x00]*[^a-z/?#\x00])?(?:{alternation(alpha)})(?![^\W\d_])"
            + (rf"|[^/?#\x00]*?(?:{alternation(odd)})" if odd else "") + ")")
    href_gate = rf"{last}|/{hosts}|\.{hosts}|@{hosts}|\[{hosts}|\t|\n|\r"
    return {"label_gate": re.compile(label_gate), "href_gate": re.compile(href_gate), "fold_gate": re.compile(folds)}


def name_word_gate(words: Iterable[str]) -> re.Pattern[str]:
    """A regex that finds one of these words among the names of a class or id value, lowered, after a space.

    The names are the value's whitespace-separated tokens, their parts the runs between whitespace, '-' and '_'
    (checklist_walk.name_kind's words). A word without '-' or '_' is a part wherever it is a token, so the part test
    covers it; a word with one is never a part, so only the token test applies. str.split() and re's \\s mean the
    same whitespace (both Py_UNICODE_ISSPACE). The leading space stands for the value's start, and a separator
    begins the pattern so that re skips in C to the few places where a word may begin.
    """
    plain = sorted(re.escape(w) for w in words if w and "-" not in w and "_" not in w)
    joined = sorted(re.escape(w) for w in words if "-" in w or "_" in w)
    alts = ([rf"(?:{'|'.join(plain)})(?![^\s_-])"] if plain else []) + \
        ([rf"(?<=\s)(?:{'|'.join(joined)})(?!\S)"] if joined else [])
    return re.compile(rf"[\s_-](?:{'|'.join(alts)})" if alts else "(?!)")


def hits(gates: tuple[re.Pattern[str], ...], texts: list[str],
         non_ascii: tuple[re.Pattern[str], ...] = ()) -> Iterable[int]:
    """The indices of the texts where a gate matches (searched once over all of them, lowered, joined by NULs);
    the non_ascii gates match only characters outside ASCII, so an ASCII text (most pages) is spared their scan."""
    if not texts:
        return
    # lower() keeps every NUL, so counting them still numbers the texts
    joined = ("\x00" + "\x00".join(texts) + "\x00").lower()
    for gate in gates if joined.isascii() else gates + non_ascii:
        i = pos = 0
        for m in gate.finditer(joined):
            # NULs up to and including the match's first character: the leading one and one per text before it
            i += joined.count("\x00", pos, m.start() + 1)
            pos = m.start() + 1
            yield i - 1
