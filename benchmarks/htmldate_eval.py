"""ronda's page publication date vs htmldate on htmldate's public evaluation set (1,000 real news pages).

Run: python benchmarks/htmldate_eval.py --repo DIR [--set default|mediacloud|all] [--limit N] [--no-htmldate]
     [--per-signal]   (only the median CPU of the parse and of each signal alone, on the shared tree)
     [--floor]        (only item 6's budget beside the cost of walking the tree once from Python)
DIR is a local copy of the public repository adbar/htmldate: a work tree, or a bare git directory (its `tests/`
is then unpacked once into --work, default ~/.cache/ronda/htmldate-eval). The pages never enter ronda's repository.
Needs htmldate for the comparison (the bench extra: .venv/bin/pip install -e '.[bench]').

Scoring (the issue's contract): a true positive is a date within +/-1 day of the label; a true negative, no date
where the label has none; accuracy = (TP + TN) / pages, precision = TP / (TP + FP), recall = TP / (TP + FN).
ronda is scored on `published` of `ronda inspect` (all four signals run on one parse, as in the crawl); a page on which ronda raises
counts as crashed and dateless. Figures are given for all pages and without the pages ronda calls listings (its
contract gives a listing no publication date of its own). CPU is per page, one process, each tool on the same text.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import time
import traceback
from datetime import date, datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from crawler.signals import Context  # noqa: E402
from crawler.signals.barrier import ALL_SIGNALS, Signals  # noqa: E402
from ronda.inspect import decode  # noqa: E402

SETS = {"default": ["eval_default.json"], "mediacloud": ["eval_mediacloud_2020.json"],
        "all": ["eval_default.json", "eval_mediacloud_2020.json"]}
PAGE_DIRS = ("test_set", "cache", "eval")
_SIGNALS = Signals(ALL_SIGNALS, faults={})


def tests_dir(repo: Path, work: Path) -> Path:
    """The repository's tests/ folder: in the work tree, or unpacked from a bare git directory."""
    if (repo / "tests" / "eval_default.json").exists():
        return repo / "tests"
    target = work / "tests"
    if not (target / "eval_default.json").exists():
        archive = subprocess.run(["git", "--git-dir", str(repo), "archive", "HEAD", "tests"], capture_output=True,
                                 check=True).stdout
        work.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(work, filter="data")
    return target


def load(tests: Path, names: list[str], limit: int | None) -> list[dict]:
    """The labelled pages: url, file, expected date (or None), raw bytes."""
    pages = []
    for name in names:
        for url, spec in json.loads((tests / name).read_text(encoding="utf-8")).items():
            path = next((tests / d / spec["file"] for d in PAGE_DIRS if (tests / d / spec["file"]).is_file()), None)
            if path is not None:
                label = spec.get("date")   # NaN in the JSON: the page has no date to find
                pages.append({"set": name, "url": url, "file": spec["file"],
                              "expected": label if isinstance(label, str) else None, "raw": path.read_bytes()})
    return pages[:limit] if limit else pages


def outcome(found: str | None, expected: str | None) -> str:
    """tp, fp, tn or fn for one page, at +/-1 day."""
    if found is None:
        return "tn" if expected is None else "fn"
    if expected is not None and abs((date.fromisoformat(found[:10]) - date.fromisoformat(expected)).days) <= 1:
        return "tp"
    return "fp"


def scores(outcomes: list[str]) -> dict:
    """Accuracy, precision and recall; None where the denominator is 0."""
    n = {k: outcomes.count(k) for k in ("tp", "fp", "tn", "fn")}

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    return {"pages": len(outcomes), **n, "accuracy": ratio(n["tp"] + n["tn"], len(outcomes)),
            "precision": ratio(n["tp"], n["tp"] + n["fp"]), "recall": ratio(n["tp"], n["tp"] + n["fn"])}


def run_ronda(page: dict, as_of: date) -> dict:
    """ronda's published date for one page, the CPU time of all its signals, and whether it is a listing or crashed.

    The page goes through the crawl's own fault barrier with every signal (dates, checklist, spam, hygiene) on one
    shared parse; `published` is what `ronda inspect` reports, which reads the same dates result.
    """
    text = decode(page["raw"])
    ctx = Context(as_of=as_of, site_url=page["url"], fetched_at=datetime.now(timezone.utc))
    started = time.process_time()
    try:
        results, errors = _SIGNALS.extract(page["url"], text, {}, ctx)
    except Exception:  # a crash is the finding: counted, shown, and the next page goes on
        return {"date": None, "cpu": time.process_time() - started, "listing": False,
                "crash": traceback.format_exc(limit=-1).strip().splitlines()[-1]}
    cpu = time.process_time() - started
    # A signal that failed on the page is recorded there (the fault barrier), not raised: still a crash to count.
    failed = "; ".join(f"{e['signal']}: {e['error']}" for e in errors) or None
    d = results.get("dates") or {}
    return {"date": d.get("published"), "cpu": cpu, "listing": bool(d.get("is_listing")), "crash": failed}


def run_htmldate(page: dict, extensive: bool) -> dict:
    """htmldate's find_date (original date, as its own evaluation runs it) and its CPU time."""
    from htmldate import find_date

    text = decode(page["raw"])
    started = time.process_time()
    try:
        found = find_date(text, original_date=True, extensive_search=extensive, url=page["url"])
    except Exception:
        found = None
    return {"date": found, "cpu": time.process_time() - started}


def report(name: str, results: list[dict], pages: list[dict], keep=lambda i: True) -> dict:
    """One tool's scores over the pages that `keep` selects, with its median CPU per page."""
    chosen = [i for i in range(len(pages)) if keep(i)]
    out = scores([outcome(results[i]["date"], pages[i]["expected"]) for i in chosen])
    cpu = [results[i]["cpu"] * 1000 for i in chosen]
    out["cpu_ms_median"] = round(statistics.median(cpu), 2) if cpu else None
    out["tool"] = name
    return out


def cpu_budget(tools: dict[str, list[dict]]) -> dict | None:
    """Item 6's figure: the median CPU per page of ronda's signals and of htmldate's extensive search, and their ratio."""
    if "htmldate extensive" not in tools or not tools["ronda"]:
        return None
    ronda = statistics.median(r["cpu"] for r in tools["ronda"]) * 1000
    htmldate = statistics.median(r["cpu"] for r in tools["htmldate extensive"]) * 1000
    return {"ronda_ms": round(ronda, 2), "htmldate_ms": round(htmldate, 2), "ratio": round(ronda / htmldate, 2)}


def per_signal(pages: list[dict], as_of: date) -> dict[str, float]:
    """Median CPU per page (ms) of the shared parse and of each signal alone on it, in the crawl's order."""
    from crawler.signals.tree import parsed

    signals = Signals(ALL_SIGNALS)
    cpu: dict[str, list[float]] = {name: [] for name in ("parse", *ALL_SIGNALS)}
    for p in pages:
        text = decode(p["raw"])
        ctx = Context(as_of=as_of, site_url=p["url"])
        started = time.process_time()
        parsed(text)
        cpu["parse"].append(time.process_time() - started)
        for name in ALL_SIGNALS:
            started = time.process_time()
            signals.extract(p["url"], text, {}, ctx, (name,))
            cpu[name].append(time.process_time() - started)
    return {name: round(statistics.median(v) * 1000, 2) for name, v in cpu.items()}


def floor(pages: list[dict]) -> dict[str, float]:
    """Median CPU per page (ms) of item 6's budget and of the least any Python signal pays: one walk of the tree.

    The budget is htmldate's extensive search on the page's text (its own parse included); what it leaves for the
    signals is that minus ronda's shared parse. A signal that visits every element from Python, or every text
    node, pays at least the walks timed here, before doing anything with what it visits.
    """
    from htmldate import find_date
    from htmldate.utils import load_html

    from crawler.signals.tree import parsed

    cpu: dict[str, list[float]] = {k: [] for k in ("htmldate extensive", "htmldate extensive on a parsed tree",
                                                   "ronda parse", "walk: every element's tag and class",
                                                   "walk: every text node (itertext)")}

    def timed(name: str, fn) -> Any:
        started = time.process_time()
        try:
            return fn()
        except Exception:   # htmldate raises on a few pages; the time spent still counts
            return None
        finally:
            cpu[name].append(time.process_time() - started)

    def walk(root: Any) -> None:
        for el in root.iter():
            el.tag, el.get("class")

    for p in pages:   # page by page, interleaved: a change in the machine's load falls on every row alike
        text = decode(p["raw"])
        timed("htmldate extensive", lambda: find_date(text, original_date=True, extensive_search=True, url=p["url"]))
        tree = load_html(text)
        timed("htmldate extensive on a parsed tree",
              lambda: find_date(tree, original_date=True, extensive_search=True, url=p["url"]))
        root = timed("ronda parse", lambda: parsed(text).root)
        if root is not None:
            timed("walk: every element's tag and class", lambda: walk(root))
            timed("walk: every text node (itertext)", lambda: list(root.itertext()))
    out = {name: round(statistics.median(v) * 1000, 2) for name, v in cpu.items()}
    out["left for all signals after the parse"] = round(out["htmldate extensive"] - out["ronda parse"], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, required=True, help="local copy of adbar/htmldate (work tree or bare git dir)")
    ap.add_argument("--work", type=Path, default=Path.home() / ".cache" / "ronda" / "htmldate-eval",
                    help="where a bare repository's tests/ is unpacked")
    ap.add_argument("--set", choices=sorted(SETS), default="all", help="which labelled set (default: all)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages")
    ap.add_argument("--as-of", default="2026-11-30", help="ronda's 'today' (dates after it are rejected)")
    ap.add_argument("--no-htmldate", action="store_true", help="ronda only")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--misses", action="store_true", help="list ronda's wrong and missed pages")
    ap.add_argument("--per-signal", action="store_true",
                    help="only the median CPU per page of the parse and of each signal alone (ms)")
    ap.add_argument("--floor", action="store_true",
                    help="only item 6's budget (htmldate extensive) beside the CPU of one Python walk of the tree (ms)")
    args = ap.parse_args(argv)
    if args.floor:
        pages = load(tests_dir(args.repo, args.work), SETS[args.set], args.limit)
        print(json.dumps(floor(pages), indent=1))
        return 0
    if args.per_signal:
        pages = load(tests_dir(args.repo, args.work), SETS[args.set], args.limit)
        print(json.dumps(per_signal(pages, date.fromisoformat(args.as_of))))
        return 0

    pages = load(tests_dir(args.repo, args.work), SETS[args.set], args.limit)
    as_of = date.fromisoformat(args.as_of)
    names = ["ronda"] + ([] if args.no_htmldate else ["htmldate extensive", "htmldate fast"])
    tools: dict[str, list[dict]] = {name: [] for name in names}
    for p in pages:   # page by page, so that a change in the machine's load falls on every tool alike
        tools["ronda"].append(run_ronda(p, as_of))
        if not args.no_htmldate:
            tools["htmldate extensive"].append(run_htmldate(p, True))
            tools["htmldate fast"].append(run_htmldate(p, False))
    ronda = tools["ronda"]
    cpu = cpu_budget(tools)
    not_listing = lambda i: not ronda[i]["listing"]  # noqa: E731
    rows = []
    parts = [("", lambda i: True)] if len(SETS[args.set]) == 1 else \
        [("", lambda i: True)] + [(f"{n.split('.')[0]}, ", lambda i, n=n: pages[i]["set"] == n) for n in SETS[args.set]]
    for prefix, in_part in parts:   # with --set all: both parts too, from this same run
        for label, keep in (("all pages", lambda i: True), ("without ronda's listings", not_listing)):
            for name, results in tools.items():
                rows.append({"pages_kept": prefix + label,
                             **report(name, results, pages, lambda i, k=keep, p=in_part: p(i) and k(i))})
    crashes = [{"file": p["file"], "url": p["url"], "error": r["crash"]} for p, r in zip(pages, ronda) if r["crash"]]
    if args.json:
        print(json.dumps({"set": args.set, "rows": rows, "crashes": crashes, "cpu": cpu}, indent=1))
        return 0
    print(f"set: {args.set}, {len(pages)} pages; ronda listings: {sum(r['listing'] for r in ronda)}; "
          f"ronda crashes: {len(crashes)}")
    print(f"{'pages':<48}{'tool':<20}{'n':>5}{'acc':>7}{'prec':>7}{'rec':>7}{'tp':>5}{'fp':>5}{'tn':>5}{'fn':>5}"
          f"{'cpu ms':>8}")
    for r in rows:
        fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
        print(f"{r['pages_kept']:<48}{r['tool']:<20}{r['pages']:>5}{fmt(r['accuracy']):>7}{fmt(r['precision']):>7}"
              f"{fmt(r['recall']):>7}{r['tp']:>5}{r['fp']:>5}{r['tn']:>5}{r['fn']:>5}{r['cpu_ms_median'] or 0:>8.2f}")
    if cpu:
        print(f"CPU per page, median over all {len(pages)} pages, one process: ronda (all signals, one parse) "
              f"{cpu['ronda_ms']:.2f} ms, htmldate extensive {cpu['htmldate_ms']:.2f} ms, "
              f"ratio {cpu['ratio']:.2f}")
    for c in crashes:
        print(f"crash: {c['file']} {c['error']}")
    if args.misses:
        for p, r in zip(pages, ronda):
            kind = outcome(r["date"], p["expected"])
            if kind in ("fp", "fn"):
                print(f"{kind} {p['file']} expected {p['expected']} got {r['date']} {p['url'][:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
