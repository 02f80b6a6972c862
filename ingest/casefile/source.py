"""Reading a case file's text into plain data while remembering where each value stood.

YAML (and JSON, read as YAML) is composed into nodes so that every value
keeps its line and column; the validator uses them to point at problems.
Dates and times are kept as written (no YAML timestamp or sexagesimal
resolution), so ``2011-10-05`` and ``12:30`` stay strings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PathKey = tuple[str | int, ...]


class UnreadableCaseFile(Exception):
    """The file cannot be read or parsed at all (exit status 2)."""

    def __init__(self, file: str, message: str, line: int | None = None, column: int | None = None):
        self.file, self.message, self.line, self.column = file, message, line, column
        where = f"{file}:{line}:{column}" if line else file
        super().__init__(f"{where}: {message}")


class _CaseLoader(yaml.SafeLoader):
    """SafeLoader without timestamp and base-60 resolution (dates stay text)."""


_CaseLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_CaseLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_CaseLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


@dataclass
class SourceText:
    """A case file's data with the position (1-based line, column) of every value and key."""

    file: str
    data: Any
    value_pos: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    # keys given twice in one mapping: (path of the repeated key, line, column); the first value is kept
    duplicate_keys: list[tuple[PathKey, int, int]] = field(default_factory=list)

    def position(self, path: PathKey, *, key: bool = False) -> tuple[int, int] | None:
        """Where ``path`` stands; for a missing path, the nearest enclosing value."""
        if key and path in self.key_pos:
            return self.key_pos[path]
        p = tuple(path)
        while p:
            if p in self.value_pos:
                return self.value_pos[p]
            p = p[:-1]
        return self.value_pos.get((), (1, 1))


def _construct(loader: _CaseLoader, node: yaml.Node, path: PathKey, src: SourceText) -> Any:
    src.value_pos[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                src.duplicate_keys.append((path + (key,), key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                continue
            src.key_pos[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _construct(loader, value_node, path + (key,), src)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, path + (i,), src) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse_text(text: str, file: str = "<text>") -> SourceText:
    """Parse YAML or JSON text, keeping positions. Raises :class:`UnreadableCaseFile`."""
    src = SourceText(file=file, data=None)
    try:
        loader = _CaseLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise UnreadableCaseFile(file, "the file is empty")
            src.data = _construct(loader, node, (), src)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise UnreadableCaseFile(file, f"not valid YAML/JSON: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise UnreadableCaseFile(file, f"not valid YAML/JSON: {exc}") from None
    return src


def read_source(path: str | Path) -> SourceText:
    """Read a ``.yaml``/``.yml``/``.json`` case file from disk."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise UnreadableCaseFile(name, "no such file") from None
    except IsADirectoryError:
        raise UnreadableCaseFile(name, "is a directory, not a case file") from None
    except OSError as exc:
        raise UnreadableCaseFile(name, f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableCaseFile(name, f"not UTF-8 text (byte {exc.start})") from None
    if name.lower().endswith(".json"):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise UnreadableCaseFile(name, f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    return parse_text(text, name)
