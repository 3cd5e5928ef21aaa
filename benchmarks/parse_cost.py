"""Parse cost per HTML page: lxml (what ronda does) vs BeautifulSoup on lxml and on html.parser, side by side."""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import urllib.error
import urllib.request
from collections import deque
from datetime import date
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EPILOG = """\
Pages: every tests/pages/**/*.html, pages of the simulated web (served on 127.0.0.1 by simweb, fetched
breadth-first from each site's home page, same site only), and the .html files of each --dir.
Every parser gets the same text (a str, as scrapy's response.text gives ronda). The time of a page is
the best of --repeat runs in thread CPU time (other processes on shared cores do not inflate it);
each row gives the median and p90 over the pages, and the median of the per-page ratios to
lxml.etree. Parsers run interleaved page by page, so they see the same pages in the same state.
Needs beautifulsoup4 (the bench extra): .venv/bin/pip install -e '.[bench]'
"""
AS_OF = date(2026, 11, 28)
XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"'#]+)""", re.I)


def parsers() -> dict[str, Callable[[str], Any]]:
    """The parsers compared, by row name; the first is the baseline of the ratios."""
    import lxml.html
    from bs4 import BeautifulSoup
    from lxml import etree

    # The same parser settings as crawler/signals/dates_html.py (etree) and crawler/signals/spam.py (lxml.html).
    html_parser = etree.HTMLParser(no_network=True)
    return {
        "lxml.etree.fromstring (ronda: dates)": lambda t: etree.fromstring(t, html_parser),
        "lxml.html.fromstring (ronda: spam)": lxml.html.fromstring,
        'BeautifulSoup(html, "lxml")': lambda t: BeautifulSoup(t, "lxml"),
        'BeautifulSoup(html, "html.parser")': lambda t: BeautifulSoup(t, "html.parser"),
    }


def folder_pages(folder: Path) -> list[tuple[str, str]]:
    """(name, text) of every .html file under a folder, in name order."""
    return [(str(p.relative_to(folder)), p.read_text(encoding="utf-8", errors="replace"))
            for p in sorted(folder.rglob("*.html"))]


def _get(url: str) -> str | None:
    """The text of an HTML page of the local simulated web, or None."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - the simulated web on 127.0.0.1 only
            if r.status != 200 or "html" not in (r.headers.get("Content-Type") or ""):
                return None
            return r.read().decode(r.headers.get_content_charset() or "utf-8", errors="replace")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def simweb_pages(n: int, seed: int, sites: int) -> list[tuple[str, str]]:
    """Up to n HTML pages of the simulated web, an even share per site, fetched breadth-first from each home."""
    from simweb.server import SimWeb

    out: list[tuple[str, str]] = []
    with SimWeb(as_of=AS_OF, seed=seed, n_sites=sites) as web:
        per_site = max(1, -(-n // len(web.sites)))
        for site in web.sites:
            assert urlsplit(site.url).hostname == "127.0.0.1", site.url  # loopback only, whatever SimWeb becomes
            queue, seen, got = deque([site.url]), {site.url}, 0
            while queue and got < per_site and len(out) < n:
                url = queue.popleft()
                text = _get(url)
                if text is None:
                    continue
                out.append((url, text))
                got += 1
                for href in HREF.findall(text):
                    nxt = urljoin(url, href.strip())
                    if urlsplit(nxt).netloc == urlsplit(site.url).netloc and nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
    return out


def measure(pages: list[tuple[str, str]], repeat: int) -> tuple[dict[str, list[float]], list[str]]:
    """Per-page best-of-repeat milliseconds per parser, and the pages some parser refused (left out of every row)."""
    ps = parsers()
    for _, text in pages[:20]:  # warm-up: imports, parser objects, allocator
        for fn in ps.values():
            fn(text)
    ms: dict[str, list[float]] = {name: [] for name in ps}
    refused = []
    for name, text in pages:
        row = {}
        try:
            for pname, fn in ps.items():
                best = float("inf")
                for _ in range(repeat):
                    t0 = time.thread_time()
                    fn(text)
                    best = min(best, time.thread_time() - t0)
                row[pname] = best * 1000
        except Exception as e:  # noqa: BLE001 - one odd page must not end the comparison; it is named
            refused.append(f"{name}: {type(e).__name__}: {e}"[:200])
            continue
        for pname, v in row.items():
            ms[pname].append(v)
    return ms, refused


def p90(xs: list[float]) -> float:
    """The 90th percentile (nearest rank)."""
    s = sorted(xs)
    return s[min(len(s) - 1, int(0.9 * len(s)))]


def summary(ms: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """Median, p90 and the median per-page ratio to the first parser, per parser."""
    base = next(iter(ms.values()))
    out = {}
    for name, xs in ms.items():
        ratios = [x / b for x, b in zip(xs, base) if b > 0]
        out[name] = {"median_ms": round(statistics.median(xs), 3), "p90_ms": round(p90(xs), 3),
                     "ratio": round(statistics.median(ratios), 1) if ratios else None}
    return out


def main(argv: list[str] | None = None) -> int:
    """Collect the pages, time every parser on each, print one table per page group and one for all."""
    ap = argparse.ArgumentParser(description=__doc__, epilog=EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per page and parser (the best is kept)")
    ap.add_argument("--simweb-pages", type=int, default=300, help="pages fetched from the simulated web (0: none)")
    ap.add_argument("--seed", type=int, default=0, help="simulated web seed")
    ap.add_argument("--sites", type=int, default=35, help="simulated web sites")
    ap.add_argument("--dir", type=Path, action="append", default=[], help="also every .html file under DIR")
    ap.add_argument("--no-labelled", action="store_true", help="leave out tests/pages")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    try:
        import bs4
    except ImportError:
        print("parse_cost needs beautifulsoup4: .venv/bin/pip install -e '.[bench]'", file=sys.stderr)
        return 2
    groups: dict[str, list[tuple[str, str]]] = {}
    if not a.no_labelled:
        groups["tests/pages"] = folder_pages(ROOT / "tests" / "pages")
    if a.simweb_pages > 0:
        groups[f"simulated web (seed {a.seed})"] = simweb_pages(a.simweb_pages, a.seed, a.sites)
    for d in a.dir:
        groups[str(d)] = folder_pages(d)
    for g in groups.values():
        # lxml refuses a str that starts with an encoding declaration; ronda strips it the same way.
        g[:] = [(n, XML_DECL.sub("", t, count=1)) for n, t in g if t.strip()]
    import lxml

    res: dict[str, Any] = {"repeat": a.repeat, "python": sys.version.split()[0], "lxml": lxml.__version__,
                           "beautifulsoup4": bs4.__version__, "groups": {}}
    every: dict[str, list[float]] = {}
    for gname, pages in groups.items():
        ms, refused = measure(pages, a.repeat)
        if not next(iter(ms.values())):
            continue
        for k, v in ms.items():
            every.setdefault(k, []).extend(v)
        kb = statistics.median(len(t.encode()) for _, t in pages) / 1024
        res["groups"][gname] = {"pages": len(next(iter(ms.values()))), "median_kb": round(kb, 1),
                                "refused": refused, "parsers": summary(ms)}
    if len(res["groups"]) > 1:
        res["groups"]["all pages"] = {"pages": len(next(iter(every.values()))), "median_kb": None, "refused": [],
                                      "parsers": summary(every)}
    if a.json:
        print(json.dumps(res, indent=1))
        return 0
    print(f"parse cost per page — python {res['python']}, lxml {res['lxml']}, beautifulsoup4 {res['beautifulsoup4']}; "
          f"best of {a.repeat} runs per page, thread CPU time")
    for gname, g in res["groups"].items():
        size = f", median {g['median_kb']} KB" if g["median_kb"] is not None else ""
        print(f"\n## {gname}: {g['pages']} pages{size}")
        print(f"{'parser':<40}{'median ms':>11}{'p90 ms':>10}{'x lxml':>9}")
        for name, s in g["parsers"].items():
            print(f"{name:<40}{s['median_ms']:>11.3f}{s['p90_ms']:>10.3f}{s['ratio']:>9.1f}")
        for r in g["refused"]:
            print(f"  left out (a parser refused it): {r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
