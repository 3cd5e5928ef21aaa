"""The completeness checklist as data: items and matching rules, loaded and validated from YAML."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

DEFAULT_PATH = Path(__file__).parent / "data" / "checklist.yaml"
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_TOKEN_RE = re.compile(r"[^\W_]+")
_LOADER = yaml.SafeLoader("")

class ChecklistError(ValueError):
    """A checklist file that cannot be used: `file:line: key: what is wrong`."""


@dataclass(frozen=True)
class Item:
    """One checklist item (see docs/checklist.md)."""

    id: str
    name: str
    name_en: str
    category: str
    weight: int
    words: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    url_hints: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    doc: bool = False
    content: str | None = None
    section: bool = False
    """A section name (news, agenda): a label or heading naming it must be short and carry no year."""


@dataclass(frozen=True)
class Rules:
    """Detection heuristics kept beside the items (the `rules:` block of checklist.yaml)."""

    placeholder: tuple[str, ...] = ()
    label_prefixes: tuple[str, ...] = ()
    generic_labels: tuple[str, ...] = ()
    doc_extensions: tuple[str, ...] = ("pdf", "doc", "docx", "xls", "xlsx")
    boilerplate: tuple[str, ...] = ()
    chrome: tuple[str, ...] = ()
    min_content_chars: int = 40
    placeholder_max_chars: int = 400
    exclude_window: int = 40
    section_max_words: int = 4
    content: tuple[tuple[str, tuple[str, ...]], ...] = ()


class Checklist(tuple):
    """The loaded items (a tuple of `Item`) carrying the file's `Rules`."""

    rules: Rules
    path: str
    site_categories: dict[str, tuple[str, ...]]
    """Site category (sites[].category) -> the item ids it is judged on; a category not listed: every item."""

    def __new__(cls, items: Iterable[Item], rules: Rules | None = None, path: str = "",
                site_categories: dict[str, tuple[str, ...]] | None = None) -> "Checklist":
        self = super().__new__(cls, items)
        self.rules = rules or Rules()
        self.path = path
        self.site_categories = dict(site_categories or {})
        return self

    def by_id(self) -> dict[str, Item]:
        """Items keyed by id."""
        return {i.id: i for i in self}

    def for_category(self, category: str | None) -> "Checklist":
        """The items a site of this category is judged on (empty: completeness does not apply to it)."""
        if category not in self.site_categories:
            return self
        wanted = set(self.site_categories[category])
        return Checklist((i for i in self if i.id in wanted), self.rules, self.path, self.site_categories)


def items_for(items: Iterable[Item], category: str | None) -> tuple[Item, ...]:
    """`Checklist.for_category` for any sequence of items (a plain tuple has no per-category scope)."""
    return items.for_category(category) if isinstance(items, Checklist) else tuple(items)


# ---------------------------------------------------------------------------------------- loading

_ITEM_KEYS = {"id", "name", "name_en", "category", "weight", "words", "exclude", "url_hints", "hosts", "doc", "content",
              "section"}
_RULE_KEYS = {f for f in Rules.__dataclass_fields__}


def load(path: str | Path | None = None) -> Checklist:
    """Load and validate a checklist file (None = the packaged default)."""
    if path is None:
        return _default()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default() -> Checklist:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> Checklist:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ChecklistError(f"{name}:0: cannot read: {e.strerror or e}") from None
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as e:
        line = e.problem_mark.line + 1 if getattr(e, "problem_mark", None) else 0
        raise ChecklistError(f"{name}:{line}: invalid YAML: {getattr(e, 'problem', None) or e}") from None
    # an operator's file may leave out `rules:` or some of its keys: the packaged values apply
    base = Rules() if path.resolve() == DEFAULT_PATH.resolve() else _default().rules
    return _Validator(name, base).checklist(root)


class _Validator:
    """Walks the YAML node tree so that every error carries its line."""

    def __init__(self, name: str, base: Rules):
        self.name = name
        self.base = base

    def fail(self, node: Any, key: str, msg: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 0
        raise ChecklistError(f"{self.name}:{line}: {key}: {msg}")

    def mapping(self, node: Any, key: str) -> dict[str, tuple[Any, Any]]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, key, "must be a mapping")
        out = {}
        for k, val in node.value:
            if not isinstance(k, yaml.ScalarNode):
                self.fail(k, key, "keys must be plain words")
            out[k.value] = (k, val)
        return out

    def scalar(self, node: Any, key: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, key, "must be a single value")
        return _LOADER.construct_object(node, deep=True)

    def string(self, node: Any, key: str) -> str:
        val = self.scalar(node, key)
        if isinstance(val, bool) or val is None or not str(val).strip():
            self.fail(node, key, "must be a non-empty text")
        return str(val).strip()

    def strings(self, node: Any, key: str, *, required: bool = False) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, key, "must be a list of texts")
        out = tuple(self.string(n, f"{key}[{i}]") for i, n in enumerate(node.value))
        if required and not out:
            self.fail(node, key, "must not be empty")
        return out

    def integer(self, node: Any, key: str, lo: int, hi: int) -> int:
        val = self.scalar(node, key)
        if isinstance(val, bool) or not isinstance(val, int) or not lo <= val <= hi:
            self.fail(node, key, f"must be an integer {lo}-{hi}")
        return val

    def checklist(self, root: Any) -> Checklist:
        if root is None:
            raise ChecklistError(f"{self.name}:1: items: the file is empty")
        top = self.mapping(root, "(top)")
        for k, (kn, _) in top.items():
            if k not in {"version", "rules", "site_categories", "items"}:
                self.fail(kn, k, "unknown key (expected version, rules, site_categories, items)")
        rules = self.rules(top["rules"][1]) if "rules" in top else self.base
        if "items" not in top:
            self.fail(root, "items", "missing")
        seq = top["items"][1]
        if not isinstance(seq, yaml.SequenceNode) or not seq.value:
            self.fail(seq, "items", "must be a non-empty list")
        items, seen, phrases = [], {}, {}
        for i, node in enumerate(seq.value):
            item = self.item(node, f"items[{i}]")
            if item.id in seen:
                self.fail(node, f"items[{i}].id", f"duplicate id {item.id!r} (first at items[{seen[item.id]}])")
            seen[item.id] = i
            for w in item.words:
                k = _key(w)
                if k in phrases and phrases[k] != item.id:
                    self.fail(node, f"items[{i}].words", f"{w!r} is already a word of {phrases[k]!r}")
                phrases[k] = item.id
            items.append(item)
        for k, content in ((it.id, it.content) for it in items):
            if content and content not in dict(rules.content):
                self.fail(seq, f"items.{k}.content", f"unknown content kind {content!r} (rules.content has none)")
        scope = self.site_categories(top["site_categories"][1], seen) if "site_categories" in top else {}
        return Checklist(items, rules, self.name, scope)

    def site_categories(self, node: Any, ids: dict[str, int]) -> dict[str, tuple[str, ...]]:
        """`site_categories:` a site category -> the item ids that apply to it (`[]`: none, completeness not judged)."""
        out = {}
        for cat, (kn, val) in self.mapping(node, "site_categories").items():
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", cat):
                self.fail(kn, f"site_categories.{cat}", "must be a site category in lower case (e.g. puskesmas)")
            wanted = self.strings(val, f"site_categories.{cat}")
            for j, iid in enumerate(wanted):
                if iid not in ids:
                    self.fail(val, f"site_categories.{cat}[{j}]", f"unknown item id {iid!r}")
            out[cat] = wanted
        return out

    def item(self, node: Any, key: str) -> Item:
        m = self.mapping(node, key)
        for k, (kn, _) in m.items():
            if k not in _ITEM_KEYS:
                self.fail(kn, f"{key}.{k}", "unknown key")
        for req in ("id", "name", "category", "weight", "words"):
            if req not in m:
                self.fail(node, f"{key}.{req}", "missing")
        iid = self.string(m["id"][1], f"{key}.id")
        if not _ID_RE.match(iid):
            self.fail(m["id"][1], f"{key}.id", "must be lower-case letters, digits and _ (e.g. visi_misi)")
        words = self.strings(m["words"][1], f"{key}.words", required=True)
        for j, w in enumerate(words):
            if not _TOKEN_RE.search(w):
                self.fail(m["words"][1], f"{key}.words[{j}]", "has no letters or digits")
        opt = {k: self.strings(m[k][1], f"{key}.{k}") if k in m else () for k in ("exclude", "url_hints", "hosts")}
        doc = False
        if "doc" in m:
            doc = self.scalar(m["doc"][1], f"{key}.doc")
            if not isinstance(doc, bool):
                self.fail(m["doc"][1], f"{key}.doc", "must be true or false")
        content = self.string(m["content"][1], f"{key}.content") if "content" in m else None
        section = False
        if "section" in m:
            section = self.scalar(m["section"][1], f"{key}.section")
            if not isinstance(section, bool):
                self.fail(m["section"][1], f"{key}.section", "must be true or false")
        name = self.string(m["name"][1], f"{key}.name")
        return Item(
            id=iid, name=name,
            name_en=self.string(m["name_en"][1], f"{key}.name_en") if "name_en" in m else name,
            category=self.string(m["category"][1], f"{key}.category"),
            weight=self.integer(m["weight"][1], f"{key}.weight", 1, 3),
            words=words, doc=doc, content=content, section=section,
            exclude=opt["exclude"], url_hints=tuple(h.lower().strip("/") for h in opt["url_hints"]),
            hosts=tuple(h.lower() for h in opt["hosts"]),
        )

    def rules(self, node: Any) -> Rules:
        m = self.mapping(node, "rules")
        kw: dict[str, Any] = {f: getattr(self.base, f) for f in _RULE_KEYS}
        for k, (kn, val) in m.items():
            if k not in _RULE_KEYS:
                self.fail(kn, f"rules.{k}", "unknown key")
            if k in ("min_content_chars", "placeholder_max_chars", "exclude_window", "section_max_words"):
                kw[k] = self.integer(val, f"rules.{k}", 0, 100000)
            elif k == "content":
                cm = self.mapping(val, "rules.content")
                pats = []
                for ck, (_, cv) in cm.items():
                    regs = self.strings(cv, f"rules.content.{ck}", required=True)
                    for j, r in enumerate(regs):
                        try:
                            re.compile(r)
                        except re.error as e:
                            self.fail(cv, f"rules.content.{ck}[{j}]", f"bad regular expression: {e}")
                    pats.append((ck, regs))
                kw[k] = tuple(pats)
            else:
                vals = self.strings(val, f"rules.{k}")
                kw[k] = tuple(v.lower() for v in vals)
        return Rules(**kw)


# ---------------------------------------------------------------------------------------- matching


def _key(phrase: str) -> str:
    """The canonical form of a phrase: its lower-case letter/digit runs joined by spaces."""
    return " ".join(_TOKEN_RE.findall(phrase.lower()))
