"""Checklist detection accuracy and speed on the labelled pages in tests/pages/checklist/.

Prints precision / recall / F1 of per-page held items, item links, dead links, placeholders and
per-site found items, a per-item table of misses, and milliseconds per page (median, p95), on three
labelled sets that are all tuning sets: the detector was written against the first, and faults found on
the two blind-labelled ones (folders holdout/ and holdout2/, named before they were used) were fixed.
A second section crawls the simulated web (seeds 0-4 by default, the real job) and scores each site's
`found` items against the simulated web's truth `checklist`, the untuned blog style on its own.
Run: .venv/bin/python benchmarks/checklist_accuracy.py [--repeat N] [--json] [--seeds 0 1 2 3 4] [--cache DIR]
     [--no-simweb]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "pages" / "checklist"
AS_OF = date(2026, 11, 28)

sys.path[:0] = [p for p in (str(ROOT), str(ROOT / "benchmarks")) if p not in sys.path]
from crawler.signals import Context, checklist  # noqa: E402
from monitors import completeness  # noqa: E402


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Precision, recall and F1 in percent; None where the ratio is 0/0 (nothing measured is no score, not 100)."""
    p = 100.0 * tp / (tp + fp) if tp + fp else None
    r = 100.0 * tp / (tp + fn) if tp + fn else None
    # 2tp / (2tp + fp + fn) is the harmonic mean of P and R, and stays defined when only one of them is.
    f = 200.0 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return {"precision": _round(p), "recall": _round(r), "f1": _round(f), "tp": tp, "fp": fp, "fn": fn}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def cell(x: float | None) -> str:
    """A percentage for a table, "n/a" when it was 0/0."""
    return "n/a" if x is None else str(x)


# Labelled blind, then used to fix the detector: tuning sets now (the folder names are from before).
TUNING_BLIND1 = PAGES / "holdout"
TUNING_BLIND2 = PAGES / "holdout2"


def labels(folder: Path = PAGES) -> list[dict[str, Any]]:
    """The labelled pages of a folder."""
    return [json.loads(line) for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line]


def evaluate(items: Any = None, folder: Path = PAGES) -> dict[str, Any]:
    """Score the detector against a folder's labels (items: a checklist, default the packaged one)."""
    items = items or checklist.load()
    ctx = Context(as_of=AS_OF, checklist=items)
    c = Counter()
    misses: dict[str, Counter] = {}
    for lab in labels(folder):
        sig = checklist.extract(lab["url"], (folder / lab["file"]).read_text(encoding="utf-8"), {}, ctx).to_json()
        for kind, got, exp in (
            ("held", set(sig["held"]), set(lab["held"])),
            ("links", {(x["item"], x["url"]) for x in sig["links"]}, {(x["item"], x["url"]) for x in lab["links"]}),
            ("dead", {x["item"] for x in sig["dead"]}, set(lab.get("dead", []))),
        ):
            c[kind, "tp"] += len(got & exp)
            c[kind, "fp"] += len(got - exp)
            c[kind, "fn"] += len(exp - got)
            for x in got ^ exp:
                iid = x[0] if isinstance(x, tuple) else x
                misses.setdefault(iid, Counter())[f"{kind} {'fp' if x in got else 'fn'}"] += 1
        ph, eph = sig["placeholder"], lab["placeholder"]
        c["placeholder", "tp"] += ph and eph
        c["placeholder", "fp"] += ph and not eph
        c["placeholder", "fn"] += eph and not ph
    sites_file = folder / "sites.json"
    sites = json.loads(sites_file.read_text(encoding="utf-8")) if sites_file.exists() else {}
    for name, s in sites.items():
        got, exp = site_found(s, items, folder)
        c["sites", "tp"] += len(got & exp)
        c["sites", "fp"] += len(got - exp)
        c["sites", "fn"] += len(exp - got)
        for x in got ^ exp:
            misses.setdefault(x, Counter())[f"site {'fp' if x in got else 'fn'}"] += 1
    res = {k: prf(c[k, "tp"], c[k, "fp"], c[k, "fn"]) for k in ("held", "links", "dead", "placeholder", "sites")}
    res["misses"] = {k: dict(v) for k, v in sorted(misses.items())}
    res["pages"] = len(labels(folder))
    res["sites_count"] = len(sites)
    return res


def site_found(site: dict[str, Any], items: Any, folder: Path = PAGES) -> tuple[set[str], set[str]]:
    """Found items of one labelled site, and the expected ones."""
    as_of = date.fromisoformat(site["as_of"])
    ctx = Context(as_of=as_of, checklist=items)
    res = []
    for r in site["resources"]:
        r = dict(r)
        f = r.pop("file", None)
        html = (folder / f).read_text(encoding="utf-8") if f else None
        r["checklist"] = checklist.extract(r.get("final_url") or r["url"], html, {}, ctx).to_json() if f else None
        res.append(r)
    return set(completeness.assess(res, items, as_of).found), set(site["found"])


def speed(repeat: int) -> dict[str, float]:
    """CPU milliseconds per page (thread time: other processes on the 2 cores do not inflate it), cold and warm."""
    ctx = Context(as_of=AS_OF)
    pages = [(lab["url"], (f / lab["file"]).read_text(encoding="utf-8")) for f in (PAGES, TUNING_BLIND1, TUNING_BLIND2) for lab in labels(f)]
    checklist.compiled(None)  # loading and compiling the checklist is a once-per-run cost, not per page
    cold, warm = [], []
    for n in range(repeat + 1):
        for url, html in pages:
            t = time.thread_time()
            checklist.extract(url, html, {}, ctx)
            (cold if n == 0 else warm).append((time.thread_time() - t) * 1000)
    sizes = sorted(len(h.encode()) for _, h in pages)

    def p95(xs: list[float]) -> float:
        return sorted(xs)[int(0.95 * (len(xs) - 1))]

    # a news-heavy home page of about 35 KB: the dinkes home page with its news section repeated
    home = (PAGES / "dinkes_home.html").read_text(encoding="utf-8")
    i = home.index('<section class="home-news">')
    j = home.index("</section>", i) + len("</section>")
    big = home[:j] + home[i:j] * 8 + home[j:]
    heavy = []
    for _ in range(repeat * 3):
        t = time.thread_time()
        checklist.extract("https://dinkes.pematangsiantar.go.id/", big, {}, ctx)
        heavy.append((time.thread_time() - t) * 1000)
    return {"heavy_kb": round(len(big.encode()) / 1024, 1), "heavy_median_ms": round(statistics.median(heavy), 3),
            "pages": len(pages), "kb_median": round(statistics.median(sizes) / 1024, 1),
            "cold_median_ms": round(statistics.median(cold), 3), "cold_p95_ms": round(p95(cold), 3),
            "warm_median_ms": round(statistics.median(warm), 3), "warm_p95_ms": round(p95(warm), 3)}


def simweb(seeds: list[int], cache: Path | None) -> dict[str, Any]:
    """Site-level found items vs the simulated web's truth: P/R/F1 per group and the per-item misses."""
    from simweb_eval import checklist_counts, crawl_seeds, scored_sites

    evals = crawl_seeds(seeds, cache=cache, quiet=True)
    out: dict[str, Any] = {"seeds": seeds}
    for name, untuned in (("all", None), ("tuned", False), ("untuned_blog", True)):
        tp, fp, fn, per = checklist_counts(evals, untuned)
        out[name] = {**prf(tp, fp, fn), "sites": sum(1 for _ in scored_sites(evals, untuned)),
                     "misses": {k: v for k, v in sorted(per.items()) if v["fp"] or v["fn"]},
                     "support": {k: v["support"] for k, v in sorted(per.items())}}
    return out


def print_simweb(r: dict[str, Any]) -> None:
    """The simulated-web tables."""
    print(f"== simulated web, seeds {r['seeds']}: per-site found items vs truth (sites that answer)")
    print(f"{'group':<16} {'sites':>5} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn")
    for name in ("all", "tuned", "untuned_blog"):
        v = r[name]
        print(f"{name:<16} {v['sites']:>5} {cell(v['precision']):>6} {cell(v['recall']):>6} {cell(v['f1']):>6}   "
              f"{v['tp']}/{v['fp']}/{v['fn']}")
    for name in ("all", "untuned_blog"):
        m = r[name]["misses"]
        print(f"per-item misses ({name}):" if m else f"per-item misses ({name}): none")
        for iid, c in m.items():
            print(f"  {iid:<26} truth {c['support']:>3}  fp {c['fp']:>3}  fn {c['fn']:>3}")


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4], help="simulated web seeds to crawl")
    ap.add_argument("--cache", type=Path, default=None, help="keep/reuse crawled seeds in this folder (pickles)")
    ap.add_argument("--no-simweb", action="store_true", help="labelled pages only (no crawl)")
    a = ap.parse_args()
    res = {"tuning": evaluate(), "tuning_blind1": evaluate(folder=TUNING_BLIND1),
           "tuning_blind2": evaluate(folder=TUNING_BLIND2),
           "speed": speed(a.repeat)}
    if not a.no_simweb:
        res["simweb"] = simweb(a.seeds, a.cache)
    if a.json:
        print(json.dumps(res, indent=1))
        return
    for name, what in (("tuning", "pages written with the detector"),
                       ("tuning_blind1", "labelled blind, then used to fix four faults: a tuning set now"),
                       ("tuning_blind2", "labelled blind; first run links F1 99.2, then one prefix fix: a tuning set now")):
        r = res[name]
        print(f"== {name}: {r['pages']} pages, {r['sites_count']} sites ({what})")
        print(f"{'measure':<12} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn")
        for k in ("held", "links", "dead", "placeholder", "sites"):
            v = r[k]
            print(f"{k:<12} {cell(v['precision']):>6} {cell(v['recall']):>6} {cell(v['f1']):>6}   "
                  f"{v['tp']}/{v['fp']}/{v['fn']}")
        print("per-item misses:" if r["misses"] else "per-item misses: none")
        for iid, m in r["misses"].items():
            print(f"  {iid:<26} " + ", ".join(f"{k}: {n}" for k, n in sorted(m.items())))
        print()
    s = res["speed"]
    print(f"\nspeed: {s['pages']} pages (median {s['kb_median']} KB); first pass median {s['cold_median_ms']} ms, "
          f"p95 {s['cold_p95_ms']} ms; warm median {s['warm_median_ms']} ms, p95 {s['warm_p95_ms']} ms; "
          f"a {s['heavy_kb']} KB news-heavy page: median {s['heavy_median_ms']} ms")
    if "simweb" in res:
        print()
        print_simweb(res["simweb"])


if __name__ == "__main__":
    main()
