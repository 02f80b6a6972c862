"""Reading a case file's text into plain data while remembering where each value stood.

YAML (and JSON, read as YAML) is composed into nodes so that every value
keeps its line and column; the validator uses them to point at problems.
Dates and times are kept as written (no YAML timestamp or sexagesimal
resolution), so ``2011-10-05`` and ``12:30`` stay strings.

A hostile file is refused before it can use unbounded memory or recursion:
:data:`LIMITS` caps the file's size, the nesting depth, the aliases and the
values an alias may expand to, and the digits of a number. The events are
scanned first (libyaml's C parser where installed, iteratively), so nothing
deeper than the limit is ever composed.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Limits:
    """What a case file may hold (a real one is well under 1 MB, 20 deep, no aliases)."""

    max_bytes: int = 5 * 1024 * 1024
    max_depth: int = 100
    max_aliases: int = 1_000
    max_values: int = 500_000
    max_number_chars: int = 40


LIMITS = Limits()

PathKey = tuple[str | int, ...]


class UnreadableCaseFile(Exception):
    """The file cannot be read or parsed at all (exit status 2)."""

    def __init__(self, file: str, message: str, line: int | None = None, column: int | None = None):
        self.file, self.message, self.line, self.column = file, message, line, column
        where = f"{file}:{line}:{column}" if line else file
        super().__init__(f"{where}: {message}")


class _CaseLoader(_BaseLoader):
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


def _bounded_number(kind: str):
    """The SafeLoader constructor for ``kind`` (int or float), refusing over-long numbers."""
    construct = yaml.SafeLoader.yaml_constructors[f"tag:yaml.org,2002:{kind}"]

    def construct_bounded(loader: _CaseLoader, node: yaml.ScalarNode) -> Any:
        text = str(node.value)
        if len(text) > LIMITS.max_number_chars:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of {len(text)} characters (at most {LIMITS.max_number_chars})",
                node.start_mark)
        return construct(loader, node)

    return construct_bounded


for _kind in ("int", "float"):
    _CaseLoader.add_constructor(f"tag:yaml.org,2002:{_kind}", _bounded_number(_kind))


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


def _construct(loader: _CaseLoader, node: yaml.Node, path: PathKey, src: SourceText, limits: Limits) -> Any:
    src.value_pos[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if len(src.value_pos) > limits.max_values:
        raise UnreadableCaseFile(src.file, f"more than {limits.max_values:,} values (aliases expand too far?)",
                                 node.start_mark.line + 1, node.start_mark.column + 1)
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
            result[key] = _construct(loader, value_node, path + (key,), src, limits)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, path + (i,), src, limits) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def _check_size(file: str, size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise UnreadableCaseFile(
            file, f"{size / 1048576:.1f} MB is too large for a case file (at most {limits.max_bytes / 1048576:.0f} MB)")


def _check_shape(text: str, file: str, limits: Limits) -> None:
    """Scan the YAML events (no recursion) and refuse nesting or aliases beyond ``limits``."""
    loader = _CaseLoader(text)
    depth = aliases = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limits.max_depth:
                    raise _too_much(file, event, f"nested more than {limits.max_depth} levels deep")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > limits.max_aliases:
                    raise _too_much(file, event, f"more than {limits.max_aliases:,} aliases (*name)")
    finally:
        loader.dispose()


def _too_much(file: str, event: yaml.Event, message: str) -> UnreadableCaseFile:
    return UnreadableCaseFile(file, message, event.start_mark.line + 1, event.start_mark.column + 1)


def parse_text(text: str, file: str = "<text>", limits: Limits = LIMITS) -> SourceText:
    """Parse YAML or JSON text, keeping positions. Raises :class:`UnreadableCaseFile`."""
    src = SourceText(file=file, data=None)
    _check_size(file, len(text), limits)
    try:
        _check_shape(text, file, limits)
        loader = _CaseLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise UnreadableCaseFile(file, "the file is empty")
            src.data = _construct(loader, node, (), src, limits)
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
        raw = _read_bounded(Path(path), name, LIMITS)
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
        _check_json(text, name)
    return parse_text(text, name)


def _read_bounded(path: Path, name: str, limits: Limits) -> bytes:
    """The file's bytes; refuses (without reading it all) one larger than the limit."""
    with path.open("rb") as f:
        raw = f.read(limits.max_bytes + 1)
        if len(raw) > limits.max_bytes:
            size = os.fstat(f.fileno()).st_size
            _check_size(name, max(size, len(raw)), limits)
    return raw


def _check_json(text: str, name: str) -> None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableCaseFile(name, f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise UnreadableCaseFile(name, "not valid JSON: nested too deeply") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise UnreadableCaseFile(name, "not valid JSON: a number is too long") from None
