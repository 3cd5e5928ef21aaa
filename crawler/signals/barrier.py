"""The fault barrier: every signal extractor runs under it, so a hostile page can break a signal, never a crawl.

The crawl pipeline (local and distributed workers) and `ronda inspect` run the signals through `Signals`
only. A signal that raises on a page gives that page no result for it (null: *unknown*, never a clean
result) and an entry `{"signal": name, "error": "<ExceptionType>: <one inert line>"}` in its `errors`.
"""
from __future__ import annotations

import importlib
import os
import re
from typing import Any, Callable, Mapping

from base.safe import one_line

from . import Context

__all__ = ["ALL_SIGNALS", "FAULT_ENV", "InjectedFault", "Signals", "defuse", "describe", "guarded"]

ALL_SIGNALS = ("dates", "checklist", "spam", "hygiene")
ERROR_MAX = 200
# libxml2 compares each attribute of a tag with those before it, so a tag of n attributes costs n² to parse:
# 100,000 attributes took 30 s per parse, and each signal parses, with the crawl's reactor blocked. No real
# page puts a thousand attributes on one tag: a tag is cut to its first MAX_ATTRIBUTES before any signal runs.
MAX_ATTRIBUTES = 1000
# A tag that runs 20,000 characters or more without a "<": the only place a thousand attributes can be. Each
# candidate starts right after a "<", so every character is scanned once at most (linear); on real pages such
# runs are rare (long text, inline data URIs) and end after a few attributes, so nothing else is touched.
_LONG_RUN = re.compile(r"(?<=<)([A-Za-z][A-Za-z0-9:-]*)\s[^<]{20000,}")
# One attribute, quote-aware: a quoted ">" does not end the tag (as in libxml2).
_NEXT_ATTRIBUTE = re.compile(r"""\s*([^\s"'>/=][^\s"'>=]*)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?""")
# Test-only fault injection, off unless set: whitespace-separated `SIGNAL=URL` entries (URL `*`: every page)
# make that signal raise InjectedFault on that page. The crawl runs in a child process that no test can
# monkeypatch; this lets a real crawl prove that a failing signal is recorded and the night goes on.
FAULT_ENV = "RONDA_TEST_SIGNAL_FAULT"


class InjectedFault(RuntimeError):
    """Raised by a signal that FAULT_ENV told to fail on a page (tests only)."""


def describe(exc: BaseException) -> str:
    """`<ExceptionType>: <message>` as one inert line: the message may quote the page."""
    return one_line(f"{type(exc).__name__}: {exc}", ERROR_MAX)


def guarded(name: str, fn: Callable[..., Any], *args: Any, errors: list[dict[str, str]]) -> Any:
    """`fn(*args)`, or None with `{signal, error}` appended to `errors` when it raises."""
    try:
        return fn(*args)
    # The fault barrier. Crawled pages are hostile input, and the extractors are large parsers of it: a
    # bug they hit on one page (an unparseable href, digits of another script in a date) must cost that
    # page that signal, not the crawl of every site after it. So any Exception is caught here, and only
    # here, and recorded where people see it; it is never used for control flow. BaseException (Ctrl-C,
    # SystemExit) still goes through.
    except Exception as e:  # noqa: BLE001
        errors.append({"signal": name, "error": describe(e)})
        return None


def defuse(body: Any) -> Any:
    """The text with every tag cut to its first MAX_ATTRIBUTES attributes (anything else is returned as is)."""
    if not isinstance(body, str) or len(body) < 20000:
        return body
    # a run of 20,000 characters without "<" fills at least one aligned 10,000-character window: pages without
    # such a window (nearly all) are returned after a few short searches instead of a regex pass over them
    empty = [k for k in range(0, len(body) - 9999, 10000) if body.find("<", k, k + 10000) < 0]
    if not empty:
        return body
    parts, last = [], 0
    for m in _long_runs(body, empty):
        start = m.start() - 1   # the "<"
        cut = _cut(body, start, m.group(1)) if start >= last else None
        if cut is not None:
            end, tag = cut
            parts += [body[last:start], tag]
            last = end
    return body if not parts else "".join(parts) + body[last:]


def _long_runs(body: str, empty: list[int]) -> list[re.Match[str]]:
    """_LONG_RUN's matches, found from the windows without "<" instead of by a regex pass over the whole body.

    A match runs from just after a "<" up to the next "<" (none is inside it), so matches never overlap and each
    fills one of the `empty` windows: it starts after the last "<" before that window, where it is tried.
    """
    starts = dict.fromkeys(body.rfind("<", 0, k) + 1 for k in empty)   # in order, each run once
    return [m for i in starts if i > 0 and (m := _LONG_RUN.match(body, i)) is not None]


def _cut(body: str, start: int, name: str) -> tuple[int, str] | None:
    """(end of the tag, the tag with its first MAX_ATTRIBUTES attributes), or None for a tag with fewer."""
    pos, kept, count = start + 1 + len(name), [], 0
    while (a := _NEXT_ATTRIBUTE.match(body, pos)) is not None and a.end() > pos:
        count += 1
        if count <= MAX_ATTRIBUTES:
            kept.append(a.group(0).strip())
        pos = a.end()
    close = body.find(">", pos)
    if count <= MAX_ATTRIBUTES or close < 0:
        return None
    return close + 1, f"<{name} {' '.join(kept)}>"


def parse_faults(spec: str | None) -> dict[str, set[str]]:
    """FAULT_ENV's value as {signal: {url or '*'}}."""
    out: dict[str, set[str]] = {}
    for entry in (spec or "").split():
        name, sep, url = entry.partition("=")
        if sep and name and url:
            out.setdefault(name, set()).add(url)
    return out


class Signals:
    """The signal extractors of one crawl or one `ronda inspect`, each run under the fault barrier."""

    def __init__(self, names: tuple[str, ...] = ALL_SIGNALS, faults: Mapping[str, set[str]] | None = None):
        self.modules = {name: importlib.import_module(f"crawler.signals.{name}") for name in names}
        self.faults = dict(faults) if faults is not None else parse_faults(os.environ.get(FAULT_ENV))

    def extract(self, url: str, body: str, headers: Mapping[str, Any], ctx: Context,
                names: tuple[str, ...] | None = None) -> tuple[dict[str, Any], list[dict[str, str]]]:
        """({signal: its JSON result, or None when it failed}, the errors) for one resource."""
        results: dict[str, Any] = {}
        errors: list[dict[str, str]] = []
        defused = guarded("defuse", defuse, body, errors=errors)   # cannot fail; if it did, they read the page as is
        body = body if defused is None else defused
        for name in self.modules if names is None else names:
            mod = self.modules.get(name)
            if mod is not None:
                results[name] = guarded(name, self._extract, name, mod, url, body, headers, ctx, errors=errors)
        return results, errors

    def cloaking(self, url: str, normal: str, bot: str, ctx: Context, errors: list[dict[str, str]]) -> Any:
        """The spam signal's cloaking comparison of the home page as served to people and to a search engine."""
        if "spam" not in self.modules:
            return None
        return guarded("cloaking", self._cloaking, url, normal, bot, ctx, errors=errors)

    def _extract(self, name: str, mod: Any, url: str, body: str, headers: Mapping[str, Any], ctx: Context) -> Any:
        self._inject(name, url)
        return mod.extract(url, body, headers, ctx).to_json()   # to_json inside the barrier too

    def _cloaking(self, url: str, normal: str, bot: str, ctx: Context) -> Any:
        self._inject("cloaking", url)
        return self.modules["spam"].compare_cloaking(url, defuse(normal), defuse(bot), ctx)

    def _inject(self, name: str, url: str) -> None:
        urls = self.faults.get(name)
        if urls and ("*" in urls or url in urls):
            raise InjectedFault(f"{FAULT_ENV} breaks {name} on this page")
