"""YAML loading that keeps line numbers, so config errors can say `file:line: key: problem`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class Problem:
    """One configuration problem, located in its file."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class Located:
    """Plain Python values from a YAML document plus the line of every key path."""

    def __init__(self, file: str, text: str):
        self.file = file
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.value: Any = None
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line = mark.line + 1 if mark else None
            msg = getattr(e, "problem", None) or str(e).splitlines()[0]
            if "'\\t'" in msg:   # PyYAML's "found character '\t' that cannot start any token"
                msg = "a tab is used for indentation; YAML indents with spaces only"
            self.problems.append(Problem(file, line, "", f"YAML syntax error: {msg}"))
            return
        if node is not None:
            self.value = self._convert(node, "")

    def line(self, path: str) -> int | None:
        """The line of a key path like ``sites[2].url`` (or of its nearest parent)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.lines.get("", 1)

    def _convert(self, node: yaml.Node, path: str) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for knode, vnode in node.value:
                key = str(knode.value) if isinstance(knode, yaml.ScalarNode) else str(knode)
                sub = f"{path}.{key}" if path else key
                if key in out:
                    self.problems.append(Problem(self.file, knode.start_mark.line + 1, sub, "duplicate key"))
                self.lines[sub] = knode.start_mark.line + 1
                out[key] = self._convert(vnode, sub)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._convert(v, f"{path}[{i}]") for i, v in enumerate(node.value)]
        try:
            return yaml.SafeLoader(" ").construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as e:  # e.g. an impossible date such as 2026-13-01
            self.problems.append(Problem(self.file, node.start_mark.line + 1, path, f"cannot read {node.value!r}: {e}"))
            return None
