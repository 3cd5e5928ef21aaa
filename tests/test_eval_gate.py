"""Evaluation gate: one crawl of the simulated web; freshness and completeness must not fall below their floors.

The floors are the figures measured by benchmarks/dates_accuracy.py and benchmarks/checklist_accuracy.py on
the same seed, less 2 points. Raise them when the figures rise; never lower one without saying why in the
commit. The blog CMS style is the untuned style (its date formats are in no tuning page, and the extractors
are not tuned on it) and has its own floors.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [p for p in (str(ROOT), str(ROOT / "benchmarks")) if p not in sys.path]

from simweb_eval import UNTUNED_CMS, checklist_counts, crawl_seed, freshness_hits, prf  # noqa: E402

GATE_SEED = 0
# Measured on seed 0 (2026-11-28, 35 sites, 32 answering, 7 of them blog): freshness 100.0 % all and blog;
# checklist F1 93.0 all (tp 434, fp 2, fn 63) and 93.9 blog. Floor = measured - 2 points. The checklist floors
# were 98 while the simulated web's labels were the checklist's own words (74 of 81 verbatim); since its labels
# come from the field notes (21 % verbatim) the figure is lower and honest. Raising it by adding the simulated
# web's labels to the word lists would make it circular again: improve matching, and measure on real pages.
FLOORS = {
    "freshness_all": 98.0,
    "freshness_untuned": 98.0,
    "checklist_f1_all": 91.0,
    "checklist_f1_untuned": 91.0,
}


@pytest.fixture(scope="module")
def crawled():
    """Seed 0 of the simulated web, crawled once by the real job (no bodies refetched: verdicts suffice)."""
    return crawl_seed(GATE_SEED, bodies=False)


def _misses(ev, untuned):
    """Readable freshness misses, for the failure message."""
    out = []
    for sid in ev.sites():
        t, v = ev.truth[sid], ev.verdicts.get(sid) or {}
        if t["status"] != "down" and (untuned is None or (t["cms"] == UNTUNED_CMS) == untuned) \
                and v.get("last_update") != t["last_update"]:
            out.append(f"{sid} ({t['cms']}): got {v.get('last_update')}, truth {t['last_update']}")
    return out


def test_every_site_got_a_verdict(crawled):
    assert set(crawled.verdicts) == set(crawled.truth)


@pytest.mark.parametrize("untuned, floor", [(None, "freshness_all"), (True, "freshness_untuned")])
def test_last_update_accuracy_floor(crawled, untuned, floor):
    ok, n = freshness_hits([crawled], untuned)
    assert n >= 5, "too few answering sites to measure: the simulated web changed shape"
    acc = 100.0 * ok / n
    assert acc >= FLOORS[floor], f"last_update ±1 d {acc:.1f} % < {FLOORS[floor]} %: {_misses(crawled, untuned)}"


@pytest.mark.parametrize("untuned, floor", [(None, "checklist_f1_all"), (True, "checklist_f1_untuned")])
def test_checklist_f1_floor(crawled, untuned, floor):
    tp, fp, fn, per = checklist_counts([crawled], untuned)
    assert tp + fn >= 20, "too few checklist items in truth to measure: the simulated web changed shape"
    f1 = prf(tp, fp, fn)[2]
    misses = {k: v for k, v in per.items() if v["fp"] or v["fn"]}
    assert f1 is not None, "checklist F1 is 0/0: nothing to find and nothing found is no pass"
    assert f1 >= FLOORS[floor], f"checklist F1 {f1:.1f} < {FLOORS[floor]}: {misses}"
