"""YAML loading that remembers where every value came from.

Validation errors must name the file, the path inside it and the line, so we
compose the node tree ourselves and keep a ``path -> line`` map beside the
plain Python data.  Duplicate mapping keys (which PyYAML silently accepts)
are reported as errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple  # a path inside a document: keys and list indexes


@dataclass
class Source:
    file: str
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    problems: list[tuple[tuple, int, str]] = field(default_factory=list)

    def line(self, path: tuple) -> int | None:
        # Fall back to the nearest enclosing node that has a line.
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def format_path(path: tuple) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(document)"


def _build(node: yaml.Node, path: tuple, src: Source) -> Any:
    src.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            key = yaml.SafeLoader.construct_scalar(_LOADER, key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                src.problems.append((path, key_node.start_mark.line + 1, "mapping keys must be plain strings"))
                continue
            if key in out:
                src.problems.append((path + (key,), key_node.start_mark.line + 1, f"duplicate key {key!r}"))
                continue
            out[key] = _build(value_node, path + (key,), src)
            src.lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), src) for i, child in enumerate(node.value)]
    return _LOADER.construct_object(node, deep=True)


_LOADER = yaml.SafeLoader("")


def load_source(file: str | Path) -> Source:
    """Parse one YAML (or JSON) file into a :class:`Source`.

    Raises ``OSError`` for unreadable files and ``yaml.YAMLError`` for syntax
    errors; the caller turns both into validation messages.
    """
    text = Path(file).read_text(encoding="utf-8")
    return load_text(text, str(file))


def load_text(text: str, name: str) -> Source:
    src = Source(file=name, data=None)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    src.data = None if node is None else _build(node, (), src)
    return src
