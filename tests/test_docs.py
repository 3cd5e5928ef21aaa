"""The docs hold what the code does: every command and option, every config key, every down reason, and
links that lead somewhere (in the spirit of sqlite-utils' test that every command is documented)."""
from __future__ import annotations

import ast
import dataclasses
import re
import subprocess
import types
import typing
from pathlib import Path

import click
import pytest
import yaml

from base import config as ronda_config
from ronda.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HEADING = re.compile(r"^(#{1,6}) +(.+?) *#*$")


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def prose(text: str) -> str:
    """Markdown without its fenced code blocks (examples are not documentation of a key or a link)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


def section(text: str, title: str) -> str:
    """The body of the heading whose text is `title`, up to the next heading of the same or a higher level."""
    lines = prose(text).splitlines()
    for i, line in enumerate(lines):
        m = HEADING.match(line)
        if m and m.group(2) == title:
            level = len(m.group(1))
            body = []
            for nxt in lines[i + 1:]:
                h = HEADING.match(nxt)
                if h and len(h.group(1)) <= level:
                    break
                body.append(nxt)
            return "\n".join(body)
    raise AssertionError(f"no heading {title!r}")


def headings(text: str) -> list[str]:
    return [m.group(2) for line in prose(text).splitlines() if (m := HEADING.match(line))]


def table_rows(text: str) -> list[list[str]]:
    """The cells of every table row in `text` (header and separator rows included)."""
    return [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.lstrip().startswith("|")]


def mentioned(word: str, text: str) -> bool:
    """`word` appears as a whole token (so `--report` is not found inside `--reporting`)."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


# ----------------------------------------------------------------------------------- docs/cli.md

def commands(group: click.Group = cli, prefix: str = "ronda") -> dict[str, click.Command]:
    """Every command of the click tree by its full name (`ronda crawl`), sub-groups walked too."""
    out = {}
    for name, cmd in group.commands.items():
        out[f"{prefix} {name}"] = cmd
        if isinstance(cmd, click.Group):
            out.update(commands(cmd, f"{prefix} {name}"))
    return out


def documented_words(cmd: click.Command, ctx: click.Context | None = None) -> set[str]:
    """What a command's section must name: each option's spellings and env variable, each argument."""
    words = set()
    params = list(cmd.params)
    if ctx is not None:
        params.append(cmd.get_help_option(ctx))
    for p in params:
        if isinstance(p, click.Option):
            words.update(p.opts + p.secondary_opts)
            envvars = [p.envvar] if isinstance(p.envvar, str) else list(p.envvar or ())
            words.update(envvars)
        else:
            words.add(p.human_readable_name)
    return words


def option_spellings(cmd: click.Command, ctx: click.Context | None = None) -> set[str]:
    return {w for w in documented_words(cmd, ctx) if w.startswith("-")}


def test_every_command_has_a_section_in_cli_md():
    text = read("cli.md")
    documented = {h.strip("`") for h in headings(text) if re.fullmatch(r"`ronda [a-z-]+( [a-z-]+)*`", h)}
    assert documented == set(commands()), "sections of docs/cli.md vs the commands of ronda.cli"


def test_the_global_options_are_documented():
    text = section(read("cli.md"), "Global options")
    with click.Context(cli, **cli.context_settings) as ctx:
        words = documented_words(cli, ctx)
        spellings = option_spellings(cli, ctx)
    assert {"--config", "--db", "--as-of", "--version", "-h", "--help", "RONDA_DB"} <= words  # the walk sees them
    missing = sorted(w for w in words if not mentioned(w, text))
    assert not missing, f"docs/cli.md, Global options, does not name: {missing}"
    stale = sorted(o for row in table_rows(text) for o in re.findall(r"`(-{1,2}[a-z][a-z-]*)", row[0])
                   if o not in spellings)
    assert not stale, f"docs/cli.md, Global options, lists options ronda does not have: {stale}"


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_option_of_every_command_is_in_its_section(name):
    cmd = commands()[name]
    text = section(read("cli.md"), f"`{name}`")
    missing = sorted(w for w in documented_words(cmd) if not mentioned(w, text))
    assert not missing, f"docs/cli.md, section `{name}`, does not name: {missing}"
    # and the other way: an option the section's tables list is one the command has
    stale = sorted(o for row in table_rows(text) for o in re.findall(r"`(-{1,2}[a-z][a-z-]*)", row[0])
                   if o not in option_spellings(cmd))
    assert not stale, f"docs/cli.md, section `{name}`, lists options the command does not have: {stale}"


def test_the_command_walk_sees_options_and_arguments():
    # The checks above would pass vacuously on an empty walk.
    found = commands()
    assert {"ronda crawl", "ronda status", "ronda ingest"} <= set(found)
    assert {"--site", "--quiet", "-q", "--workers"} <= documented_words(found["ronda crawl"])
    assert {"--report", "--no-report"} <= documented_words(found["ronda run"])
    assert "RUN_ID" in documented_words(found["ronda ingest"])


# ------------------------------------------------------------------------- docs/configuration.md

def config_keys(cls: type = ronda_config.Config, prefix: str = "") -> dict[str, dataclasses.Field | None]:
    """Every key of sites.yaml as the docs write it (`crawl.max_pages`, `sites[].head.email`).

    Sections (a nested mapping, or a list of mappings written `key[]`) map to None; leaves to their field.
    """
    out: dict[str, dataclasses.Field | None] = {}
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.metadata.get("internal"):
            continue
        path = f"{prefix}.{f.name.rstrip('_')}" if prefix else f.name.rstrip("_")
        hint = hints[f.name]
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        args = typing.get_args(hint)
        if dataclasses.is_dataclass(hint):
            out[path] = None
            out.update(config_keys(hint, path))
        elif typing.get_origin(hint) is tuple and args and dataclasses.is_dataclass(args[0]):
            out[path + "[]"] = None
            out.update(config_keys(args[0], path + "[]"))
        else:
            out[path] = f
    return out


def config_rows() -> dict[str, list[str]]:
    """Key -> cells of the rows of docs/configuration.md's tables whose first cell is a key."""
    rows = {}
    for cells in table_rows(prose(read("configuration.md"))):
        m = re.fullmatch(r"`([a-z_\[\].]+)`", cells[0])
        if m and len(cells) == 4:
            assert m.group(1) not in rows, f"{m.group(1)} has two rows"
            rows[m.group(1)] = cells
    return rows


def test_the_config_walk_sees_nested_and_listed_keys():
    keys = config_keys()
    assert {"crawl.max_pages", "mail.from", "mail.smtp.host", "sites[].head.email",
            "alerts.maintenance[].start", "sites[]", "mail.smtp"} <= set(keys)
    assert "path" not in keys  # internal: set by the loader, not a key


def test_every_config_key_is_documented():
    text = prose(read("configuration.md"))
    keys = config_keys()
    missing = sorted(k for k in keys if f"`{k}`" not in text)
    assert not missing, f"docs/configuration.md does not name: {missing}"
    rows = config_rows()
    no_row = sorted(k for k, f in keys.items() if f is not None and k not in rows)
    assert not no_row, f"docs/configuration.md has no table row for: {no_row}"
    stale = sorted(k for k in rows if k not in keys or keys[k] is None)
    assert not stale, f"docs/configuration.md documents keys the code does not have: {stale}"


def test_documented_defaults_are_the_code_defaults():
    wrong = []
    for key, cells in config_rows().items():
        f = config_keys()[key]
        cell = cells[1]
        if f.default is not dataclasses.MISSING:
            expected = list(f.default) if isinstance(f.default, tuple) else f.default
        elif f.default_factory is not dataclasses.MISSING:
            expected = f.default_factory()
        else:
            expected = "required"
        if cell == "—":
            shown = None
        elif cell == "required":
            shown = "required"
        else:
            m = re.match(r"`([^`]*)`", cell)
            shown = yaml.safe_load(m.group(1)) if m else cell
        if shown != expected:
            wrong.append(f"{key}: documented {cell!r}, code {expected!r}")
    assert not wrong, "docs/configuration.md defaults differ from base/config.py:\n" + "\n".join(wrong)


# ------------------------------------------------------------------------------ docs/statuses.md

def _returned(expr: ast.AST | None, constants: dict[str, str]) -> set[str]:
    """The strings an expression can evaluate to, as far as literals and module constants tell."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.Name) and expr.id in constants:
        return {constants[expr.id]}
    if isinstance(expr, ast.IfExp):
        return _returned(expr.body, constants) | _returned(expr.orelse, constants)
    return set()


def down_reasons() -> set[str]:
    """Every down reason the code can produce, read from the source.

    - crawler/failures.py: what its functions return (literals and module constants);
    - crawler/spider.py: what `_reason` returns, and the `"reason": "..."` literals of its home-page records;
    - monitors/verdicts.py: the literals assigned to `down` (a suspended domain).
    """
    found: set[str] = set()

    def tree(rel: str) -> ast.Module:
        return ast.parse((ROOT / rel).read_text(encoding="utf-8"))

    failures = tree("crawler/failures.py")
    constants = {t.id: n.value.value for n in failures.body if isinstance(n, ast.Assign)
                 and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
                 for t in n.targets if isinstance(t, ast.Name)}
    for fn in (n for n in ast.walk(failures) if isinstance(n, ast.FunctionDef)):
        for r in (n for n in ast.walk(fn) if isinstance(n, ast.Return)):
            found |= _returned(r.value, constants)
    spider = tree("crawler/spider.py")
    for node in ast.walk(spider):
        if isinstance(node, ast.FunctionDef) and node.name == "_reason":
            for r in (n for n in ast.walk(node) if isinstance(n, ast.Return)):
                found |= _returned(r.value, {})
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values):
                if isinstance(k, ast.Constant) and k.value == "reason":
                    found |= _returned(v, {})
    for node in ast.walk(tree("monitors/verdicts.py")):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "down" for t in node.targets):
            found |= _returned(node.value, {})
    return found


def test_the_reason_reader_finds_the_reasons():
    # Vacuous if it found nothing: a few from each place it reads.
    assert {"dns", "connect", "http_4xx", "too_large", "blocked_address", "error",   # failures.py
            "redirect_invalid", "timeout",                                            # spider.py
            "suspended"} <= down_reasons()                                            # verdicts.py


def test_every_down_reason_is_documented():
    text = section(read("statuses.md"), "Down reasons")
    table = {cells[0].strip("`") for cells in table_rows(text) if cells[0].startswith("`")}
    code = down_reasons()
    assert not code - table, f"docs/statuses.md, Down reasons, lacks: {sorted(code - table)}"
    assert not table - code, f"docs/statuses.md, Down reasons, lists reasons never given: {sorted(table - code)}"


# ------------------------------------------------------------------------------------ links

def test_every_down_reason_has_words_in_the_report_and_the_e_mails():
    for path in (ROOT / "reports" / "data" / "strings.yaml", ROOT / "monitors" / "templates" / "messages.yaml"):
        strings = yaml.safe_load(path.read_text(encoding="utf-8"))
        for language in ("id", "en"):
            missing = down_reasons() - set(strings[language]["reasons"])
            assert not missing, f"{path.name} {language}: no words for {sorted(missing)}"


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def slug(title: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    out, seen = set(), {}
    for h in headings(path.read_text(encoding="utf-8")):
        s = slug(h)
        out.add(s if s not in seen else f"{s}-{seen[s]}")
        seen[s] = seen.get(s, 0) + 1
    return out


def links(path: Path) -> list[str]:
    """Targets of the Markdown links and images of a file (code spans and blocks left out)."""
    text = re.sub(r"`[^`\n]*`", "", prose(path.read_text(encoding="utf-8")))
    return re.findall(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", text)


def test_anchor_slugs_follow_github():
    assert slug("`status --json`") == "status---json"
    assert slug("`ronda check-config`") == "ronda-check-config"
    assert slug("The flow of a night") == "the-flow-of-a-night"


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_links_lead_to_files_and_headings_in_the_repository(path):
    bad = []
    targets = links(path)
    for target in targets:
        if re.match(r"^[a-z]+:", target):   # https:, mailto:: outside the repository by intent
            continue
        file, _, fragment = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        if file.startswith("/") or not dest.is_relative_to(ROOT) or not dest.exists():
            bad.append(f"{target}: no such file in the repository")
        elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
            bad.append(f"{target}: no heading #{fragment} in {dest.relative_to(ROOT)}")
    assert not bad, f"{path.relative_to(ROOT)}: " + "; ".join(bad)


def test_every_docs_page_is_in_the_index():
    linked = {(DOCS / t.partition("#")[0]).resolve() for t in links(DOCS / "README.md")}
    pages = {p.resolve() for p in DOCS.glob("*.md")} - {(DOCS / "README.md").resolve()}
    assert not pages - linked, f"docs/README.md does not link to: {sorted(p.name for p in pages - linked)}"


# -------------------------------------------------------------------- no pointers out of the tree

# Built in pieces, so that this file does not mention them itself.
OUTSIDE = ("DESIGN" + ".md", "CHECK" + "LIST.md", "/work/" + "shared", "../" + "shared/")


def repository_files() -> list[Path]:
    """Files tracked by git, and new ones not ignored; without git, the tree minus the usual litter."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, check=True).stdout
        return [ROOT / name for name in out.decode().split("\0") if name and (ROOT / name).is_file()]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "__pycache__", ".ruff_cache", ".pytest_cache", "build"}
        return [p for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
                and not any(part.endswith(".egg-info") for part in p.parts)]


def test_no_file_points_outside_the_repository():
    files = repository_files()
    assert ROOT / "README.md" in files and ROOT / "base" / "config.py" in files
    hits = [f"{p.relative_to(ROOT)}: {needle}" for p in files for needle in OUTSIDE
            if needle.encode() in p.read_bytes()]
    assert not hits, "the design lives in docs/ now; these point elsewhere:\n" + "\n".join(hits)


def test_docs_pages_named_in_the_code_exist():
    # Comments point to docs/*.md for the reason behind the code: a renamed page must not leave them dangling.
    code = [p for p in repository_files() if p.suffix in (".py", ".yaml", ".j2", ".toml", ".txt")]
    named = {(p.relative_to(ROOT), m) for p in code
             for m in re.findall(r"docs/[\w-]+\.md", p.read_text(encoding="utf-8", errors="replace"))}
    assert any(str(p) == "crawler/failures.py" for p, _ in named)   # the search sees them
    missing = sorted(f"{p}: {m}" for p, m in named if not (ROOT / m).exists())
    assert not missing, "pointers to docs pages that do not exist:\n" + "\n".join(missing)
