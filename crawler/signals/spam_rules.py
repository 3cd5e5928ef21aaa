"""The spam heuristics of data/spam.yaml, compiled, and how a text's spam terms are found and scored."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping, NamedTuple

import yaml

__all__ = ["Rules", "Phrases", "Brands", "Term", "Score", "load_rules", "find_terms", "classify", "score_terms",
           "is_spam", "top_terms", "TOKEN_RX"]

TOKEN_RX = re.compile(r"[a-z0-9]+")


class Term(NamedTuple):
    """A spam term's class (weak, topic, promo or brand) and weight."""

    cls: str
    weight: int


@dataclass(frozen=True)
class Rules:
    """Compiled heuristics of data/spam.yaml."""

    prefilter: tuple[str, ...]
    prefilter_inside: tuple[str, ...]
    prefilter_rx: tuple[re.Pattern, ...]
    terms: Phrases
    term_info: dict[str, Term]  # by normalised term
    brands: Brands
    brand_weight: int
    anti: Phrases
    anti_min: int
    anti_promo_min: int
    th: dict[str, Any]
    spam_domain_rx: re.Pattern
    trusted_suffixes: tuple[str, ...]
    injected_path_rx: re.Pattern
    hiding: tuple[tuple[re.Pattern, ...], ...]
    deface_strong: tuple[re.Pattern, ...]
    deface_weak: tuple[re.Pattern, ...]
    deface_claim: tuple[re.Pattern, ...]
    suspension: tuple[re.Pattern, ...]
    farm_gate: tuple[re.Pattern, ...]
    # the raw gates case-blind, to read the page without lowering it (None: a pattern that needs lowered text)
    prefilter_rx_i: tuple[re.Pattern, ...] | None
    farm_gate_i: tuple[re.Pattern, ...] | None
    farm_host_rx: re.Pattern
    farm_path_rx: re.Pattern
    file_ext_rx: re.Pattern


@dataclass(frozen=True)
class Brands:
    """Brand-like names: a word with gambling digits (<word>88, <word>4d) or glued to a gambling stem (<word>slots)."""

    digits_rx: re.Pattern
    compound_rx: re.Pattern
    stems: tuple[str, ...]
    exceptions: frozenset[str]

    def find(self, words: list[str], uniq: set[str], known: Mapping[str, Any]) -> dict[str, int]:
        """Brand-like words (not listed terms, not exceptions) -> hits."""
        found: dict[str, int] = {}
        for w in uniq:
            if w[-1] in "8d370" and w not in self.exceptions and w not in known and self.digits_rx.fullmatch(w):
                found[w] = words.count(w)
        # compounds: find the stems in one string of the distinct words (C speed), then judge only the words holding one
        joined = " ".join(uniq)
        for stem in self.stems:
            i = joined.find(stem)
            while i >= 0:
                start = joined.rfind(" ", 0, i) + 1
                end = joined.find(" ", i)
                end = len(joined) if end < 0 else end
                w = joined[start:end]
                if (w not in found and w not in known and w not in self.exceptions
                        and self.compound_rx.fullmatch(w)):
                    found[w] = words.count(w)
                i = joined.find(stem, end)
        return found


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> Rules:
    """Read and compile the heuristics (the packaged data/spam.yaml unless `path`)."""
    if path:
        with open(path, encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
    else:
        raw = yaml.safe_load(resources.files("crawler.signals").joinpath("data/spam.yaml").read_text("utf-8"))
    info: dict[str, Term] = {}
    for cls in ("weak", "topic", "promo"):  # later classes win for a word listed twice
        spec = raw["terms"][cls]
        for w in spec["words"]:
            info[" ".join(TOKEN_RX.findall(w.lower()))] = Term(cls, int(spec["weight"]))
    hiding = tuple(
        tuple(re.compile(p) for p in (h if isinstance(h, list) else [h])) for h in raw["hiding"]
    )
    anti = raw["anti_context"]
    brands = raw["brands"]
    farm = raw["link_farm"]
    return Rules(
        prefilter=tuple(k.lower() for k in raw["prefilter"]),
        prefilter_inside=tuple(k.lower() for k in raw.get("prefilter_inside") or ()),
        prefilter_rx=tuple(re.compile(p) for p in raw.get("prefilter_patterns") or ()),
        terms=Phrases(list(info)),
        term_info=info,
        brands=Brands(re.compile(brands["digits_pattern"]), re.compile(brands["compound_pattern"]),
                      tuple(brands["compound_stems"]), frozenset(w.lower() for w in brands.get("exceptions") or ())),
        brand_weight=int(brands.get("weight", 3)),
        anti=Phrases(anti["words"]),
        anti_min=int(anti["min_distinct"]),
        anti_promo_min=int(anti["promo_min_distinct"]),
        th=dict(raw["thresholds"]),
        spam_domain_rx=re.compile(raw["spam_domain_pattern"]),
        trusted_suffixes=tuple(s.lower().lstrip(".") for s in raw["trusted_host_suffixes"]),
        injected_path_rx=re.compile(raw["injected_path_pattern"], re.I),
        hiding=hiding,
        deface_strong=tuple(re.compile(p, re.I) for p in raw["defacement"]["strong"]),
        deface_weak=tuple(re.compile(p, re.I) for p in raw["defacement"]["weak"]),
        deface_claim=tuple(re.compile(p, re.I) for p in raw["defacement"].get("claim") or ()),
        suspension=tuple(re.compile(p) for p in raw["suspension"]),
        farm_gate=tuple(re.compile(p) for p in farm["gate"]),
        prefilter_rx_i=_case_blind(raw.get("prefilter_patterns") or ()),
        farm_gate_i=_case_blind(farm["gate"]),
        farm_host_rx=re.compile(farm["host_pattern"]),
        farm_path_rx=re.compile(farm["path_pattern"]),
        file_ext_rx=re.compile(raw["file_name_pattern"]),
    )


def _case_blind(patterns: Any) -> tuple[re.Pattern, ...] | None:
    """Patterns written for lower-cased text, compiled case-blind; None if one has an upper-case letter (\\D, [A-Z]).

    Without one, `p` case-blind on a text finds what `p` finds on text.lower(), as long as the text holds none of
    FOLDS_TO_ASCII (characters re's case-blindness folds into an ASCII letter otherwise than str.lower() does).
    """
    if any(p != p.lower() for p in patterns):
        return None
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


class Phrases:
    """Token-sequence matcher: one pass over the words, longest phrase first."""

    # a big regex alternation with word boundaries costs ~4x more on a 20 KB text

    def __init__(self, phrases: list[str]):
        self.first: dict[str, list[tuple[str, ...]]] = {}
        for ph in sorted(set(phrases), key=lambda x: -len(x.split())):
            toks = tuple(TOKEN_RX.findall(ph.lower()))
            if toks:
                self.first.setdefault(toks[0], []).append(toks)

    def scan(self, words: list[str], brands: Brands | None = None,
             known: Mapping[str, Any] | None = None) -> dict[str, int]:
        """Phrase (space-joined) -> hits; brand-like words too when `brands` is given (`known` words are no brands)."""
        uniq = set(words)
        found = brands.find(words, uniq, known or {}) if brands is not None and uniq else {}
        # set operations run in C: most texts share no word with the phrase list at all
        starts = uniq.intersection(self.first)
        if not starts:
            return found
        first = self.first
        end = 0  # phrases do not overlap: the longest one at a position wins
        positions = []
        for w in starts:  # list.index scans in C, far faster than a Python loop over every word
            i = words.index(w)
            while True:
                positions.append(i)
                try:
                    i = words.index(w, i + 1)
                except ValueError:
                    break
        for i in sorted(positions):
            if i < end:
                continue
            for toks in first[words[i]]:
                k = len(toks)
                if k == 1 or tuple(words[i:i + k]) == toks:
                    key = " ".join(toks)
                    found[key] = found.get(key, 0) + 1
                    end = i + k
                    break
        return found


def find_terms(text: str, r: Rules) -> dict[str, int]:
    """Distinct spam terms (and brand-like names) in lower-cased text, with hit counts."""
    if not text:
        return {}
    return r.terms.scan(TOKEN_RX.findall(text), r.brands, r.term_info)


def classify(term: str, r: Rules) -> Term:
    """A found term's class and weight (words the brand pattern found are brands)."""
    return r.term_info.get(term) or Term("brand", r.brand_weight)


class Score(NamedTuple):
    """The spam weight of a text's distinct terms, how many of them count, and how many are promo words or brands."""

    total: int
    distinct: int
    promo: int


def score_terms(terms: Mapping[str, int], r: Rules, anti: bool = False) -> Score:
    """The score of some terms; in anti-gambling context only promo words count."""
    total = distinct = promo = 0
    for t in terms:
        cls, weight = classify(t, r)
        # news and blocklists name brands ("rajaslot88 diblokir"): in that context only promo words count
        if anti and cls != "promo":
            continue
        total += weight
        distinct += 1
        promo += cls in ("promo", "brand")
    return Score(total, distinct, promo)


def is_spam(score: Score, r: Rules, anti: bool) -> bool:
    """The decision for a body of text (never a single word), from its score with the same `anti`."""
    th = r.th
    if anti:
        return score.promo >= r.anti_promo_min and score.total >= th["text_min_score"]
    if score.total < th["text_min_score"] or score.distinct < th["text_min_distinct"]:
        return False
    return score.promo > 0 or score.distinct >= th["topic_only_min_distinct"]


def top_terms(terms: Mapping[str, int], r: Rules, n: int = 10) -> list[str]:
    """The `n` heaviest terms, then the most frequent, for evidence."""
    return sorted(terms, key=lambda t: (-classify(t, r).weight, -terms[t], t))[:n]
