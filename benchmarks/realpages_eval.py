"""ronda on the held-out real government pages (benchmarks/realpages/): dates and integrity against the labels.

Run: python benchmarks/realpages_eval.py [--pages DIR] [--list]
The pages are rebuilt outside the repository by benchmarks/realpages_fetch.py (default ~/.cache/ronda/realpages).
Dates: a post is scored on ronda's `published`, a home or listing page on the newest genuine date ronda finds on it
(monitors.freshness over the page's dates), every other page on `published`; a true positive is within +/-1 day of
the label, a true negative no date where the label has none. Integrity: a page is flagged when the spam signal has
a finding. Stored text excerpts are wrapped in a bare HTML page. Labels marked uncertain are counted, and shown apart.
"""
from __future__ import annotations

import argparse
import html
import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [p for p in (str(ROOT), str(ROOT / "benchmarks")) if p not in sys.path]

from crawler.signals import Context, dates, spam  # noqa: E402
from htmldate_eval import outcome, scores  # noqa: E402
from monitors import freshness  # noqa: E402
from ronda.inspect import decode  # noqa: E402

LABELS = ROOT / "benchmarks" / "realpages" / "labels.jsonl"
DEFAULT_AS_OF = date(2026, 11, 30)   # pages saved on an unknown day: read as of this session


def body_of(folder: Path, label: dict) -> str | None:
    """The page's text as the crawler would see it (a stored text excerpt becomes a bare HTML page)."""
    page = folder / f"{label['id']}.html"
    if page.exists():
        return decode(page.read_bytes())
    text = folder / f"{label['id']}.txt"
    if text.exists():
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.read_text(encoding="utf-8").split("\n") if p.strip())
        return f"<html><body><main>{paragraphs}</main></body></html>"
    return None


def judge(label: dict, body: str) -> dict:
    """ronda's date for the page (by its kind) and whether it flags the page as compromised."""
    as_of = date.fromisoformat(label["as_of"]) if label.get("as_of") else DEFAULT_AS_OF
    ctx = Context(as_of=as_of, site_url=label["url"])
    headers = {"content-type": "text/html; charset=utf-8"}
    sig = dates.extract(label["url"], body, headers, ctx).to_json()
    if label["kind"] in ("home", "listing"):
        res = {"url": label["url"], "final_url": label["url"], "kind": "html", "status": 200, "dates": sig}
        newest = freshness.assess([res], as_of).last_update
        found = newest.isoformat() if newest else None
    else:
        found = sig["published"]
    findings = spam.extract(label["url"], body, headers, ctx).to_json()["findings"]
    return {"date": found, "flagged": bool(findings), "kinds": sorted({f["kind"] for f in findings})}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=Path.home() / ".cache" / "ronda" / "realpages",
                    help="folder rebuilt by realpages_fetch.py")
    ap.add_argument("--list", action="store_true", help="one line per page")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    for label in labels:
        body = body_of(args.pages, label)
        if body is None:
            continue
        expected = label["published"] if label["kind"] not in ("home", "listing") else label["newest"]
        got = judge(label, body)
        rows.append({"id": label["id"], "kind": label["kind"], "uncertain": bool(label.get("uncertain")),
                     "expected": expected, **got, "outcome": outcome(got["date"], expected),
                     "compromised": bool(label["compromised"])})
    if not rows:
        print(f"no pages in {args.pages}: run benchmarks/realpages_fetch.py first", file=sys.stderr)
        return 2
    sure = [r for r in rows if not r["uncertain"]]
    flagged = {k: sum(1 for r in rows if r["flagged"] == f and r["compromised"] == c)
               for k, (f, c) in {"tp": (True, True), "fp": (True, False), "fn": (False, True), "tn": (False, False)}.items()}
    out = {"pages": len(rows), "hosts": len({r["id"] for r in rows}),
           "dates_all": scores([r["outcome"] for r in rows]), "dates_certain_labels": scores([r["outcome"] for r in sure]),
           "integrity": {**flagged, "pages": len(rows)}}
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        for name in ("dates_all", "dates_certain_labels"):
            s = out[name]
            print(f"{name:<22} pages {s['pages']:>3}  accuracy {s['accuracy']}  precision {s['precision']}  "
                  f"recall {s['recall']}  tp {s['tp']} fp {s['fp']} tn {s['tn']} fn {s['fn']}")
        f = out["integrity"]
        print(f"integrity              pages {f['pages']:>3}  flagged correctly {f['tp']}, missed {f['fn']}, "
              f"false alarms {f['fp']}, clean and unflagged {f['tn']}")
    if args.list:
        for r in rows:
            print(f"{r['id']} {r['kind']:<8} {r['outcome']} expected {r['expected']} got {r['date']} "
                  f"compromised {r['compromised']} flagged {r['kinds']}{' (uncertain label)' if r['uncertain'] else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
