"""Crawl the simulated OPD web for benchmarks and the evaluation gate: verdicts, truth, stored pages and bodies.

Usage (library): ``ev = crawl_seed(0)`` crawls the 35-site simulated web of seed 0 with the real job
(``ronda.jobs.crawl``: crawl subprocess, signals, verdicts), then, while the web still runs, refetches the
text resources the crawl stored (the crawl keeps no bodies) so extractors and htmldate can be timed and
compared on exactly those pages. Run directly for a one-line summary per seed:
``python benchmarks/simweb_eval.py --seeds 0 1``.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import pickle
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from base import config, store  # noqa: E402
from ronda import jobs  # noqa: E402
from simweb import model  # noqa: E402
from simweb.server import SimWeb  # noqa: E402

AS_OF = date(2026, 11, 28)
UNTUNED_CMS = "blog"
"""The simulated web's CMS style the extractors are not tuned on: its date formats are in no page of
tests/pages/dates (tests/test_simweb.py checks it), and it is always reported on its own."""
TEXT_KINDS = ("html", "feed", "wp-api", "sitemap")
"""Resource kinds the crawl runs signals on (crawler.pipelines.SIGNALS_BY_KIND)."""
JSON_COLUMNS = ("headers", "dates", "checklist", "spam", "hygiene", "cloaking")


@dataclass
class SeedEval:
    """One crawled seed: per-site verdicts and truth, per-site CMS and post URLs, stored pages (with bodies)."""

    seed: int
    as_of: date
    verdicts: dict[str, dict[str, Any]]
    truth: dict[str, dict[str, Any]]
    posts: dict[str, dict[str, date]]
    """site id -> {absolute post URL: real posting day} (genuine posts visible on as_of)."""
    pages: list[dict[str, Any]] = field(default_factory=list)
    """Stored `pages` rows of the run (JSON columns decoded), each with `body` (str or None) refetched."""
    crawl_s: float = 0.0
    refetch_failures: int = 0

    def sites(self) -> list[str]:
        """Site ids in config order."""
        return list(self.truth)

    def cms(self, site_id: str) -> str:
        """The site's CMS style in truth."""
        return self.truth[site_id]["cms"]


def _decode(raw: bytes, content_type: str | None) -> str:
    """Bytes to text with the declared charset (UTF-8 otherwise), never failing."""
    charset = "utf-8"
    for part in (content_type or "").split(";"):
        k, _, v = part.strip().partition("=")
        if k.lower() == "charset" and v:
            charset = v.strip("\"' ")
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name: the crawl falls back to UTF-8 too
        return raw.decode("utf-8", errors="replace")


def fetch(url: str, user_agent: str, timeout: float = 15.0) -> str | None:
    """GET one URL from the local simulated web; None unless it answers 200."""
    req = urllib.request.Request(url, headers={"User-Agent": user_agent})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 - 127.0.0.1 only
            if r.status != 200:
                return None
            return _decode(r.read(), r.headers.get("Content-Type"))
    except (urllib.error.URLError, OSError, ValueError):
        return None


@contextlib.contextmanager
def _stderr_to_devnull(enabled: bool) -> Iterator[None]:
    """Silence file descriptor 2 (the crawl child's scrapy log inherits it) while the block runs."""
    if not enabled:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _rows(db_path: Path, run_id: int) -> list[dict[str, Any]]:
    """The run's stored page rows, JSON columns decoded."""
    db = store.open_db(db_path, create=False)
    try:
        rows = list(db.query("SELECT * FROM pages WHERE run_id = ? ORDER BY id", [run_id]))
    finally:
        db.conn.close()
    for r in rows:
        for k in JSON_COLUMNS:
            r[k] = store.loads(r.get(k))
    return rows


def _posts(web: SimWeb) -> dict[str, dict[str, date]]:
    """Each site's genuine visible post URLs with their real days (the oracle of which pages are posts)."""
    out: dict[str, dict[str, date]] = {}
    for s in web.sites:
        out[s.id] = {model.absolute(s, p.path): p.day for p in s.visible_posts(web.today) if p.genuine}
    return out


def crawl_seed(seed: int, as_of: date = AS_OF, n_sites: int = 35, bodies: bool = True,
               workdir: Path | None = None, workers: int = 8, quiet: bool = False) -> SeedEval:
    """Crawl one seed of the simulated web with the real job and collect what the benchmarks need."""
    with tempfile.TemporaryDirectory(prefix=f"ronda-eval-{seed}-") as tmp:
        work = workdir or Path(tmp)
        with SimWeb(as_of=as_of, seed=seed, n_sites=n_sites) as web:
            cfg_path = work / "sites.yaml"
            cfg_path.write_text(web.config_yaml(delay_s=0), encoding="utf-8")
            cfg = config.load(cfg_path)
            db_path = work / "ronda.db"
            t0 = time.perf_counter()
            with _stderr_to_devnull(quiet):
                res = jobs.crawl(cfg, db_path, as_of)
            crawl_s = time.perf_counter() - t0
            truth = web.truth()
            ev = SeedEval(seed, as_of, {v["site"]: v for v in res.verdicts}, truth, _posts(web), crawl_s=crawl_s)
            ev.pages = [r for r in _rows(db_path, res.run_id) if r["kind"] in TEXT_KINDS]
            for r in ev.pages:
                r["body"] = None
            if bodies:
                from crawler.settings import user_agent

                ua = user_agent(cfg.crawl, cfg.organization)
                wanted = [r for r in ev.pages if r["status"] == 200]
                with ThreadPoolExecutor(max_workers=workers) as pool:
                    got = list(pool.map(lambda r: fetch(r["final_url"] or r["url"], ua), wanted))
                for r, body in zip(wanted, got):
                    r["body"] = body
                ev.refetch_failures = sum(b is None for b in got)
    return ev


def cache_name(seed: int, as_of: date = AS_OF, n_sites: int = 35, bodies: bool = True,
               workdir: Path | None = None, **_: Any) -> str:
    """The cache file of a crawled seed, named after everything its SeedEval depends on."""
    from crawler.pipelines import signals_fingerprint

    # The extractors' fingerprint exactly as the crawl computes it (the config written in crawl_seed names no
    # checklist, so the one beside it, else the packaged one), so a changed extractor never reads a stale pickle.
    beside = workdir / "checklist.yaml" if workdir else None
    signals = signals_fingerprint(str(beside) if beside and beside.exists() else None)
    # Verdicts and truth also come from scoring, the job and the simulated web itself, and SeedEval from this file.
    h = hashlib.sha1(Path(__file__).read_bytes())
    for tree in ("base", "monitors", "ronda", "simweb"):
        for p in sorted((ROOT / tree).rglob("*")):
            if p.suffix in (".py", ".yaml", ".json", ".j2", ".html") and p.is_file():
                h.update(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes())
    return f"seed{seed}-{as_of}-{n_sites}-{'bodies' if bodies else 'nobodies'}-{signals}-{h.hexdigest()[:12]}.pickle"


def crawl_seeds(seeds: Iterable[int], cache: Path | None = None, **kw: Any) -> list[SeedEval]:
    """crawl_seed for each seed, in order; with `cache`, seeds crawled there by the same code are reused."""
    out = []
    for s in seeds:
        path = cache / cache_name(s, **kw) if cache else None
        if path is not None and path.exists():
            out.append(pickle.loads(path.read_bytes()))
            continue
        ev = crawl_seed(s, **kw)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps(ev))
        out.append(ev)
    return out


def day_ok(got: str | date | None, want: str | date | None, tolerance: int = 1) -> bool:
    """Dates within ±tolerance days, or both absent."""
    if got is None or want is None:
        return got is None and want is None
    g = got if isinstance(got, date) else date.fromisoformat(got)
    w = want if isinstance(want, date) else date.fromisoformat(want)
    return abs((g - w).days) <= tolerance


def scored_sites(evals: Iterable[SeedEval], untuned: bool | None = None) -> Iterator[tuple[SeedEval, str]]:
    """(seed, site id) of the sites that answer in truth (down ones are availability's matter, and hold
    nothing to find); untuned: True only the untuned (blog) style, False the tuned styles, None all."""
    for ev in evals:
        for sid in ev.sites():
            if ev.truth[sid]["status"] == "down":
                continue
            if untuned is None or (ev.cms(sid) == UNTUNED_CMS) == untuned:
                yield ev, sid


def freshness_hits(evals: Iterable[SeedEval], untuned: bool | None = None) -> tuple[int, int]:
    """(answering sites whose verdict last_update is within ±1 day of truth, answering sites)."""
    ok = n = 0
    for ev, sid in scored_sites(evals, untuned):
        n += 1
        ok += day_ok((ev.verdicts.get(sid) or {}).get("last_update"), ev.truth[sid]["last_update"])
    return ok, n


def checklist_counts(evals: Iterable[SeedEval], untuned: bool | None = None
                     ) -> tuple[int, int, int, dict[str, dict[str, int]]]:
    """(tp, fp, fn, per item {support, fp, fn}) of answering sites' found items vs truth `checklist`."""
    tp = fp = fn = 0
    per: dict[str, dict[str, int]] = {}
    for ev, sid in scored_sites(evals, untuned):
        got = set((ev.verdicts.get(sid) or {}).get("found") or {})
        want = set(ev.truth[sid]["checklist"])
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        for iid in got | want:
            c = per.setdefault(iid, {"support": 0, "fp": 0, "fn": 0})
            c["support"] += iid in want
            c["fp"] += iid not in want
            c["fn"] += iid not in got
    return tp, fp, fn, per


def prf(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    """Precision, recall, F1 in percent; None where the ratio is 0/0 (nothing measured is no score, not 100)."""
    p = 100.0 * tp / (tp + fp) if tp + fp else None
    r = 100.0 * tp / (tp + fn) if tp + fn else None
    # 2tp / (2tp + fp + fn) is the harmonic mean of P and R, and stays defined when only one of them is.
    f = 200.0 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return p, r, f


def pct(x: float | None, digits: int = 1) -> str:
    """A percentage for a table, "n/a" when it was 0/0."""
    return "n/a" if x is None else f"{x:.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    """Crawl the given seeds and print one summary line each."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--json", action="store_true", help="print per-site verdict vs truth as JSON lines")
    a = ap.parse_args(argv)
    for seed in a.seeds:
        ev = crawl_seed(seed, quiet=True)
        ok, n = freshness_hits([ev])
        tp, fp, fn, _ = checklist_counts([ev])
        print(f"seed {seed}: crawl {ev.crawl_s:.1f} s, {len(ev.pages)} text resources "
              f"({ev.refetch_failures} not refetched); last_update ±1 d {ok}/{n}; "
              f"checklist F1 {pct(prf(tp, fp, fn)[2])}")
        if a.json:
            for sid in ev.sites():
                v, t = ev.verdicts.get(sid) or {}, ev.truth[sid]
                print(json.dumps({"seed": seed, "site": sid, "cms": t["cms"], "got": v.get("last_update"),
                                  "want": t["last_update"], "status": v.get("status"), "want_status": t["status"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
