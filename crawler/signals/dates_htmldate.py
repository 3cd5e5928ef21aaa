"""htmldate as one candidate source of a page's publication date, checked against ronda's own sightings and traps."""
from __future__ import annotations

import logging
from datetime import date
from typing import Any

from htmldate import find_date

from . import Context
from .dates_core import CONF, DateEntry, DateSignals

# htmldate logs its parser's complaints about broken pages at ERROR; they are the page's problem, not ours.
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

_EARLIEST = "1995-01-01"
# A comment on the day of publication is common: a comment's date does not make that day a trap.
_NOT_VETOES = ("comment",)


def candidate(url: str, root: Any, ctx: Context) -> date | None:
    """htmldate's fast-mode original date of a page's shared tree (None when it finds none or fails on the markup)."""
    try:
        found = find_date(root, extensive_search=False, original_date=True, url=url,
                          min_date=_EARLIEST, max_date=ctx.as_of.isoformat())
    except (ValueError, TypeError):  # markup htmldate cannot load: no candidate, never a crash
        return None
    try:
        return date.fromisoformat(found) if found else None
    except ValueError:
        return None


def judge(day: date, sig: DateSignals, own_url: str, ctx: Context) -> str | None:
    """The trap htmldate's date falls into, by what ronda saw of that day on the page (None: none).

    htmldate knows no Indonesian traps, so a day that ronda saw only as a trap (a counter, an agenda, a
    clock...) keeps that trap, the page's own sightings first, and the crawl day that ronda never saw at all
    is a clock. A day that ronda saw beside another item's link still counts: measured on htmldate's
    evaluation set, ronda's item links (an author's page, a category) are the less reliable of the two.
    """
    same = [e for e in sig.dates if e.date == day and e.rejected not in _NOT_VETOES]
    own = [e for e in same if e.item_url in (own_url, None)]  # the page's own sightings speak first
    for seen in (own, same):
        if seen:
            traps = [e.rejected for e in seen if e.rejected is not None]
            return traps[0] if len(traps) == len(seen) else None
    return "today-clock" if day == ctx.as_of else None


def fill(sig: DateSignals, url: str, root: Any, ctx: Context, title: str | None, fresh: bool) -> None:
    """Give a post page that ronda's own rules left undated htmldate's date, when nothing says it is a trap."""
    day = candidate(url, root, ctx)
    if day is None:
        return
    # "Last modified on …" in a wiki footer is tied to its About link, yet it is this page's update all the same.
    kinds = {e.kind for e in sig.dates if e.date == day and e.rejected is None and e.kind != "unknown"}
    if kinds == {"modified"}:
        return   # the page stamps that day as its update only: htmldate took the update for the publication
    rejected = judge(day, sig, url, ctx)
    if rejected is None and fresh:
        rejected = "fresh-install"
    sig.dates.append(DateEntry(day, "htmldate", f"htmldate={day.isoformat()}", rejected, url, title, "published",
                               CONF["htmldate"]))
    if rejected is None:
        sig.published = day
