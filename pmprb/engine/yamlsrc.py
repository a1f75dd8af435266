"""YAML loading that remembers where every value came from.

Validation errors must name the file, the path inside it and the line, so we
compose the node tree ourselves and keep a ``path -> line`` map beside the
plain Python data.  Duplicate mapping keys (which PyYAML silently accepts)
are reported as errors, and so are values a scalar's type cannot hold (a
date 2024-02-30, an integer of thousands of digits).

Loading is bounded (see :mod:`pmprb.engine.safe_input`): the file's size and
encoding, the nesting depth and number of values while composing, and the
extra values that aliases expand to while building, so a "billion laughs"
or a ``[[[[...`` ends in an ``InputRefused`` naming the line, not in
gigabytes or a ``RecursionError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pmprb import i18n
from pmprb.engine.safe_input import InputRefused, Limits, limits, read_text

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
    return out or i18n.t("yaml.document")


class _Limited(Exception):
    """Raised inside composing/building; :func:`load_text` turns it into :class:`InputRefused`."""

    def __init__(self, key: str, line: int, **fields):
        super().__init__(key)
        self.key, self.line, self.fields = key, line, fields


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with the composer bounded in depth and node count.

    Composing shares aliased nodes (cheap); it is building plain data from
    them that multiplies ("billion laughs"), which :class:`_Builder` bounds."""

    def __init__(self, stream, lim: Limits):
        super().__init__(stream)
        self.lim = lim
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent, index):
        self.depth += 1
        self.nodes += 1
        if self.depth > self.lim.max_depth or self.nodes > self.lim.max_nodes:
            line = self.peek_event().start_mark.line + 1
            if self.depth > self.lim.max_depth:
                raise _Limited("input.yaml_depth", line, limit=self.lim.max_depth)
            raise _Limited("input.yaml_nodes", line, limit=self.lim.max_nodes)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Builder:
    """Plain data from the node tree, recording every value's line.

    Without aliases every node is built once; each alias use builds its
    target again, so the nodes built beyond the composed ones are what alias
    expansion costs: at most ``max_alias_nodes``. A node that contains
    itself (``&a [*a]``) is refused."""

    def __init__(self, loader: _BoundedLoader, src: Source):
        self.loader, self.src = loader, src
        self.budget = loader.nodes + loader.lim.max_alias_nodes
        self.built = 0
        self.active: set[int] = set()     # collections being built (a cycle re-enters one)
        self.seen: set[int] = set()       # collections built once: entering one again is an alias use
        self.alias_line: int | None = None  # where the alias being expanded is used

    def build(self, node: yaml.Node, path: tuple) -> Any:
        src = self.src
        line = node.start_mark.line + 1
        self.built += 1
        if self.built > self.budget:
            raise _Limited("input.yaml_aliases", self.alias_line or line, limit=self.loader.lim.max_alias_nodes)
        if len(path) >= self.loader.lim.max_depth:  # aliases nested in aliases can go deeper than composing did
            raise _Limited("input.yaml_depth", self.alias_line or line, limit=self.loader.lim.max_depth)
        parent_line = src.line(path[:-1]) if path else line
        src.lines[path] = line
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.loader.construct_object(node, deep=True)
            except (ValueError, OverflowError, TypeError) as exc:  # e.g. 2024-02-30, an int of 5,000 digits
                value = node.value if len(node.value) <= 40 else node.value[:40] + "…"
                reason = str(exc).split(";")[0]  # drop Python's advice on sys.set_int_max_str_digits
                src.problems.append((path, line, i18n.t("input.yaml_value", value=value, reason=reason)))
                return None
        if id(node) in self.active:
            raise _Limited("input.yaml_recursive", parent_line, path=format_path(path))
        outermost_alias = id(node) in self.seen and self.alias_line is None
        if outermost_alias:
            self.alias_line = parent_line
        self.seen.add(id(node))
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                out: dict = {}
                for key_node, value_node in node.value:
                    key = (self.loader.construct_scalar(key_node) if isinstance(key_node, yaml.ScalarNode)
                           else None)
                    if not isinstance(key, str):
                        src.problems.append((path, key_node.start_mark.line + 1, i18n.t("yaml.key_not_string")))
                        continue
                    if key in out:
                        src.problems.append((path + (key,), key_node.start_mark.line + 1, i18n.t("yaml.duplicate_key", field=key)))
                        continue
                    out[key] = self.build(value_node, path + (key,))
                    src.lines[path + (key,)] = key_node.start_mark.line + 1
                return out
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        finally:
            self.active.discard(id(node))
            if outermost_alias:
                self.alias_line = None


def load_source(file: str | Path, *, limits_: Limits | None = None) -> Source:
    """Parse one YAML (or JSON) file into a :class:`Source`.

    Raises ``OSError`` for unreadable files and ``yaml.YAMLError`` for syntax
    errors; the caller turns both into validation messages. A file over a
    limit (size, encoding, nesting, values, aliases) raises
    :class:`~pmprb.engine.safe_input.InputRefused` naming file and line.
    """
    lim = limits_ or limits()
    text = read_text(file, limits_=lim)
    return load_text(text, str(file), limits_=lim)


def load_text(text: str, name: str, *, limits_: Limits | None = None) -> Source:
    lim = limits_ or limits()
    src = Source(file=name, data=None)
    loader = _BoundedLoader(text, lim)
    try:
        node = loader.get_single_node()
        src.data = None if node is None else _Builder(loader, src).build(node, ())
    except _Limited as exc:
        reason = exc.key.rsplit("_", 1)[-1]
        raise InputRefused(i18n.t(exc.key, file=name, line=exc.line, **exc.fields), reason=reason) from None
    finally:
        loader.dispose()
    return src
