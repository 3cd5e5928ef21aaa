"""Declared dependencies match use: each is imported by the code it is declared for, and each import is declared."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import lru_cache
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
OURS = {"base", "crawler", "monitors", "reports", "ronda", "simweb", "hostileweb"}
# Who may use what: the product gets `dependencies` only; tests also the test extra (scripts/test installs
# no other); benchmarks also the bench extra.
CODE = {
    "dependencies": sorted(OURS),
    "test": ["tests"],
    "bench": ["benchmarks"],
}
# Declared but never imported by name, with the reason; each reason's file must still show it.
INDIRECT = {
    "sqlalchemy": ("ronda/schedule.py", "SQLAlchemyJobStore", "APScheduler's persistent job store imports it"),
}
# Imported but not declared, with the reason; each reason's file must still show it.
UNDECLARED = {
    "OpenSSL": ("crawler/failures.py", "except ImportError", "optional: imported inside try/except ImportError"),
}
# Import name -> distribution, for packages that may not be installed here (an extra not installed).
KNOWN = {"bs4": "beautifulsoup4", "yaml": "pyyaml", "zope": "zope-interface", "OpenSSL": "pyopenssl"}


def norm(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(group: str) -> set[str]:
    """Normalised distribution names declared in `dependencies` or in an extra."""
    reqs = PYPROJECT["project"]["dependencies"] if group == "dependencies" \
        else PYPROJECT["project"]["optional-dependencies"][group]
    return {norm(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for r in reqs}


def local_modules(folder: Path) -> set[str]:
    """Modules a folder's scripts import from beside themselves (conftest, simweb_eval, wordpress...)."""
    return {p.stem for p in folder.rglob("*.py")} | {p.parent.name for p in folder.rglob("__init__.py")}


@lru_cache(maxsize=None)
def third_party_imports(group: str) -> dict[str, str]:
    """Top-level third-party module -> the first file importing it, over the group's code."""
    out: dict[str, str] = {}
    # Tests load benchmark modules too (the evaluation gates put benchmarks/ on sys.path).
    local = set() if group == "dependencies" else \
        set().union(*(local_modules(ROOT / f) for f in ("tests", "benchmarks")))
    for folder in CODE[group]:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names | OURS | local | {"__future__"}:
                        out.setdefault(top, path.relative_to(ROOT).as_posix())
    return out


@lru_cache(maxsize=1)
def _installed() -> dict[str, list[str]]:
    return packages_distributions()


def distributions(module: str) -> set[str]:
    """The normalised distributions that may provide a top-level module."""
    found = {norm(d) for d in _installed().get(module, [])}
    return found or {norm(KNOWN.get(module, module))}


def test_every_declared_dependency_is_used_by_its_code():
    for group in CODE:
        used = set().union(*(distributions(m) for m in third_party_imports(group)))
        for dist in sorted(declared(group) - used):
            assert dist in INDIRECT, f"{dist} is declared in {group} but {', '.join(CODE[group])} never import it"
            file, evidence, why = INDIRECT[dist]
            assert evidence in (ROOT / file).read_text(encoding="utf-8"), f"{dist}: {why}; {file} no longer shows it"


def test_every_import_is_declared_where_that_code_may_use_it():
    available = {"dependencies": declared("dependencies"),
                 "test": declared("dependencies") | declared("test"),
                 "bench": declared("dependencies") | declared("bench")}
    for group in CODE:
        for module, where in sorted(third_party_imports(group).items()):
            if distributions(module) & available[group]:
                continue
            assert module in UNDECLARED, f"{where} imports {module}, which {group} does not declare"
            file, evidence, why = UNDECLARED[module]
            assert evidence in (ROOT / file).read_text(encoding="utf-8"), f"{module}: {why}; {file} no longer shows it"


def test_the_product_does_not_declare_what_only_benchmarks_use():
    assert not {"beautifulsoup4", "extruct", "trafilatura"} & declared("dependencies")
    assert not declared("bench") & declared("test")  # scripts/test must not need the bench extra
