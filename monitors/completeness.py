"""Per-site completeness: which checklist items a run found, with evidence, and the weighted score."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

from base import checklist as _checklist

# evidence preference: a periodic document is best shown by the document itself (its year matters);
# anything else by the page that holds it
_ORDER_DOC = ("document", "page", "service")
_ORDER = ("page", "document", "service")


@dataclass
class Completeness:
    """The completeness verdict of one site for one run (`completeness` None: not judged, no item applies)."""

    completeness: int | None = 0
    found: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able data."""
        return {"completeness": self.completeness, "found": dict(self.found), "missing": list(self.missing),
                "documents": {k: dict(v) for k, v in self.documents.items()},
                "evidence": {k: dict(v) for k, v in self.evidence.items()}}


def _norm(url: str | None) -> str:
    """A URL key that ignores the fragment, the scheme/host case and a trailing slash."""
    if not url:
        return ""
    try:
        p = urlsplit(url.strip())
        port = p.port   # raises too, on a port that is not a number
    except ValueError:
        return url.strip()
    path = p.path.rstrip("/") or "/"
    return urlunsplit(("", (p.hostname or "").lower() + (f":{port}" if port else ""), path, p.query, ""))


def not_judged() -> Completeness:
    """The verdict of a site whose category no checklist item applies to (a puskesmas, a portal): not 0 %, none."""
    return Completeness(completeness=None)


def is_outdated(year: int | None, as_of: date) -> bool:
    """A document covering a year older than the previous fiscal year of as_of is outdated."""
    return year is not None and year < as_of.year - 1


def assess(resources: Iterable[Mapping[str, Any]], items: Any, as_of: date) -> Completeness:
    """Weigh the evidence of one site's crawl (the evidence rules of docs/checklist.md)."""
    items = _checklist.load() if not items else items
    by_id = {i.id: i for i in items}
    res = list(resources)
    index: dict[str, Mapping[str, Any]] = {}
    for r in res:  # a link may name a resource by the URL asked for or by where it ended up
        for u in (r.get("url"), r.get("final_url")):
            k = _norm(u)
            if k and k not in index:
                index[k] = r

    def ok_page(r: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if r is None or r.get("status") != 200 or r.get("kind", "html") != "html":
            return None
        sig = r.get("checklist")
        if not sig or sig.get("placeholder"):
            return None
        return sig

    # candidates[item][via] = first evidence of that kind, in crawl order
    cand: dict[str, dict[str, dict[str, Any]]] = {}
    docs: dict[str, dict[str, Any]] = {}

    def add(iid: str, via: str, url: str, text: str) -> None:
        if iid in by_id:
            cand.setdefault(iid, {}).setdefault(via, {"url": url, "via": via, "text": text})

    for r in res:
        sig = ok_page(r)
        if sig is None:
            continue
        page_url = r.get("final_url") or r.get("url")
        for iid, snippet in (sig.get("held") or {}).items():
            add(iid, "page", page_url, snippet)
    for r in res:
        if r.get("status") != 200 or r.get("kind", "html") != "html" or not r.get("checklist"):
            continue  # links on an error page are the site's menu, already seen on its real pages
        for link in r["checklist"].get("links") or ():
            iid, url = link.get("item"), link.get("url")
            if iid not in by_id or not url:
                continue
            if link.get("service"):
                add(iid, "service", url, link.get("text") or "")
                continue
            target = index.get(_norm(url))
            if target is None or target.get("status") != 200:
                continue  # not fetched, or a 404: a link alone is not evidence
            if link.get("doc") or target.get("kind") == "document":
                if target.get("kind") != "document":
                    continue
                doc_url = target.get("final_url") or target.get("url") or url
                add(iid, "document", doc_url, link.get("text") or "")
                year = link.get("year")
                prev = docs.get(iid)
                if prev is None or (year is not None and (prev["year"] is None or year > prev["year"])):
                    docs[iid] = {"doc_url": doc_url, "year": year, "text": link.get("text") or ""}
                continue
            tsig = ok_page(target)
            # a page reached by a link labelled with the item counts when its own content names it
            if tsig is not None and (iid in (tsig.get("held") or {}) or iid in (tsig.get("mentioned") or ())):
                add(iid, "page", target.get("final_url") or target.get("url") or url, link.get("text") or "")

    out = Completeness()
    total = sum(i.weight for i in items) or 1
    got = 0
    for it in items:
        kinds = cand.get(it.id)
        if not kinds:
            out.missing.append(it.id)
            continue
        ev = next(kinds[v] for v in (_ORDER_DOC if it.doc else _ORDER) if v in kinds)
        d = docs.get(it.id)
        if ev["via"] == "document" and d is not None:  # the newest document is the one to show
            ev = {"url": d["doc_url"], "via": "document", "text": d["text"]}
        out.found[it.id] = ev["url"]
        out.evidence[it.id] = ev
        got += it.weight
        if d is not None:
            out.documents[it.id] = {"doc_url": d["doc_url"], "year": d["year"],
                                    "outdated": bool(it.doc) and is_outdated(d["year"], as_of)}
    out.completeness = int(100 * got / total + 0.5)  # round half up: 84.5 shows as 85 as people expect
    return out
