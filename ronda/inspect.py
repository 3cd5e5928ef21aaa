"""`ronda inspect`: the signals of one page (fetched live or read from a file), without a crawl or a store."""
from __future__ import annotations

import json
import urllib.request
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

from base import __version__
from crawler.signals import Context
from crawler.signals.barrier import Signals

MAX_BYTES = 10_000_000


class InspectError(Exception):
    """The page could not be had; one line saying why."""


def fetch(url: str, timeout: float = 20) -> tuple[str, str, dict[str, str]]:
    """GET a page like the crawler would: (final_url, decoded body, lower-case headers)."""
    req = urllib.request.Request(url, headers={"User-Agent": f"ronda/{__version__} (inspect)"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read(MAX_BYTES + 1)
            headers = {k.lower(): v for k, v in resp.headers.items()}
            charset = resp.headers.get_content_charset() or "utf-8"
            final = resp.geturl()
    except OSError as e:  # URLError, HTTPError, timeouts, resets
        raise InspectError(f"cannot fetch {url}: {e}") from None
    if len(raw) > MAX_BYTES:
        raise InspectError(f"{url} is larger than {MAX_BYTES} bytes")
    return final, decode(raw, charset), headers


def decode(raw: bytes, charset: str = "utf-8") -> str:
    """Bytes to text, tolerant of pages that lie about their encoding."""
    try:
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("windows-1252", errors="replace")


# The signals `ronda inspect` shows; the crawl's own pipeline runs them the same way, under the same barrier.
INSPECTED = ("dates", "checklist", "spam")


def inspect_page(url: str, body: str, headers: dict[str, str], as_of: date, tz: str = "Asia/Jakarta",
                 items: tuple = ()) -> dict:
    """The contract object of `ronda inspect`: published, modified, dates, checklist, spam, errors.

    A signal that failed on the page is null (unknown) and named in `errors`; the others stand.
    """
    ctx = Context(as_of=as_of, timezone=tz, checklist=items, site_url=url, fetched_at=datetime.now(timezone.utc))
    results, errors = Signals(INSPECTED).extract(url, body, headers, ctx)
    d, c, s = (results.get(name) for name in INSPECTED)
    found = None
    if c is not None:
        found = {item: url for item in c.get("held", {})} if not c.get("placeholder") else {}
        for link in c.get("links", []):
            if link.get("doc") or link.get("service"):
                found.setdefault(link["item"], link["url"])
    return {"url": url, "published": d["published"] if d else None, "modified": d["modified"] if d else None,
            "is_listing": d.get("is_listing") if d else None, "dates": d["dates"] if d else None,
            "checklist": found,
            "spam": [{"kind": f["kind"], "evidence": f["evidence"]} for f in s["findings"]] if s is not None else None,
            "errors": errors}


def inspect_file(path: Path, url: str, as_of: date, tz: str, items: tuple) -> dict:
    try:
        body = decode(path.read_bytes())
    except OSError as e:
        raise InspectError(f"cannot read {path}: {e.strerror or e}") from None
    return inspect_page(url, body, {}, as_of, tz, items)


def inspect_batch(list_path: Path, as_of: date, tz: str, items: tuple) -> Iterator[tuple[dict, bool]]:
    """One result per line of a JSONL list of {file, url}; (object, ok): not ok if unreadable or a signal failed."""
    try:
        lines = list_path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InspectError(f"cannot read {list_path}: {e.strerror or e}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            spec = json.loads(line)
            file, url = spec["file"], spec["url"]
        except (ValueError, KeyError, TypeError):
            yield {"file": None, "url": None, "error": f"line {n}: expected a JSON object with file and url"}, False
            continue
        try:
            out = inspect_file(list_path.parent / file, url, as_of, tz, items)
        except InspectError as e:
            yield {"file": file, "url": url, "error": str(e)}, False
            continue
        yield {"file": file, **out}, not out["errors"]
