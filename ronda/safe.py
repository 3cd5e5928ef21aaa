"""Making crawled text inert before it reaches a terminal, a log line or a mail header."""
from __future__ import annotations

import re

# C0/C1 control characters (ESC starts ANSI sequences; CR/LF inject lines and headers), DEL,
# and the bidi overrides that can reorder what a reader sees.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal(text: object, limit: int | None = None) -> str:
    """One line of printable text: control characters replaced by a space, optionally shortened."""
    s = _CONTROL.sub(" ", str(text))
    if limit is not None and len(s) > limit:
        s = s[: limit - 1] + "…"
    return s
