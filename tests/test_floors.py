"""The floors of the code (docs/architecture.md): each package imports only from the floors below it, and no
module or package import closes a cycle. Imports are read from the source (AST), function-level ones included."""
from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# package -> the packages it may import. Nothing may import `ronda` (the application floor).
ALLOWED = {
    "base": set(),
    "crawler": {"base"},
    "monitors": {"base"},
    "reports": {"base", "monitors"},
    "simweb": set(),
    "hostileweb": set(),
    "ronda": {"base", "crawler", "monitors", "reports", "simweb"},
}


def modules(root: Path, packages) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the packages (a package's __init__ is the package)."""
    out = {}
    for pkg in packages:
        for path in sorted((root / pkg).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ours that one module imports, anywhere in it (`from P import x`: P, and P.x if a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                up = package.split(".")[:len(package.split(".")) - node.level + 1]
                source = ".".join(up + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found.add(source)
            found.update(f"{source}.{a.name}" for a in node.names)
    edges = set()
    for target in found:
        while target and target not in known:   # `import a.b.c` of a name inside a module: the module
            target = target.rpartition(".")[0]
        if target and target != name:
            edges.add(target)
    return edges


def graph(root: Path = ROOT, packages=tuple(ALLOWED)) -> dict[str, set[str]]:
    mods = modules(root, packages)
    return {name: imports(name, path, set(mods)) for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def top(name: str) -> str:
    return name.partition(".")[0]


def test_every_packaged_package_has_a_floor():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packaged = {p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert packaged == set(ALLOWED)
    on_disk = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert on_disk - {"tests"} == set(ALLOWED)


def test_no_import_goes_up_a_floor():
    wrong = sorted(f"{m} imports {t}" for m, targets in graph().items() for t in targets
                   if top(t) != top(m) and top(t) not in ALLOWED[top(m)])
    assert not wrong, "imports across floors that the floors do not allow:\n" + "\n".join(wrong)


def test_no_import_cycle_between_modules():
    assert cycles(graph()) == []


def test_no_import_cycle_between_packages():
    packages: dict[str, set[str]] = {}
    for m, targets in graph().items():
        packages.setdefault(top(m), set()).update(top(t) for t in targets if top(t) != top(m))
    assert cycles(packages) == []


def test_the_reader_sees_function_level_relative_and_package_imports(tmp_path):
    # The checks above would pass vacuously if the reader missed edges: a made-up tree with each kind.
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "__init__.py").write_text("from .a import A\n")
    (tmp_path / "p" / "a.py").write_text("def f():\n    from . import b\nA = 1\n")
    (tmp_path / "p" / "b.py").write_text("import p.a\n")
    (tmp_path / "q.py").write_text("")
    edges = graph(tmp_path, ["p"])
    assert edges == {"p": {"p.a"}, "p.a": {"p", "p.b"}, "p.b": {"p.a"}}
    assert cycles(edges) == [["p", "p.a", "p.b"]]
    assert cycles({"x": {"y"}, "y": set()}) == []
