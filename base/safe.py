"""Making crawled text inert before it reaches a terminal, a log line or a mail header."""
from __future__ import annotations

import re

# C0/C1 control characters (ESC starts ANSI sequences; CR/LF inject lines and headers), DEL,
# zero-width characters and BOM (they hide words from filters), and the bidi overrides that can
# reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")


def terminal(text: object, limit: int | None = None) -> str:
    """One line of printable text: control characters replaced by a space, optionally shortened."""
    s = _CONTROL.sub(" ", str(text))
    if limit is not None and len(s) > limit:
        s = s[: limit - 1] + "…"
    return s


def one_line(text: object, limit: int) -> str:
    """Evidence text: control characters out, white space folded, cut to `limit` characters."""
    s = _SPACES.sub(" ", _CONTROL.sub(" ", str(text or ""))).strip()
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"
