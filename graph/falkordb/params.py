"""Query parameters as FalkorDB's ``CYPHER name=value ...`` header, faster than the client.

The falkordb client turns parameters into Cypher text in Python, value by value through
``isinstance`` chains (30-35% of a bulk node batch: BENCHMARKS.md, "National scale"). This
writes exactly the same text (tests/test_falkordb_params.py compares it with the client's for
every kind of value), dispatching on the exact type first and packing each distinct map key
once; anything unusual (a ``str`` subclass, bytes) goes through the client's own function.
"""

from __future__ import annotations

from typing import Any, Mapping

from falkordb.helpers import stringify_param_value

_keys: dict[Any, str] = {}  # map key -> "`key`:" (rows repeat the same few keys)
_KEYS_MAX = 10_000


def _text(value: str) -> str:
    if "\\" in value or '"' in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{value}"'


def _key(key: Any) -> str:
    packed = _keys.get(key)
    if packed is None:
        name = key.decode() if isinstance(key, bytes) else str(key)
        if name == "":
            raise ValueError("Cypher map key cannot be empty")
        if "`" in name:
            raise ValueError(f"Cypher map key cannot contain a backtick: {name!r} (FalkorDB does not "
                             "support escaped backticks in identifiers)")
        packed = f"`{name}`:"
        if len(_keys) < _KEYS_MAX:
            _keys[key] = packed
    return packed


def encode(value: Any) -> str:
    """One parameter value as Cypher text (the client's ``stringify_param_value``)."""
    kind = type(value)
    if kind is str:
        return _text(value)
    if value is None:
        return "null"
    if kind is dict:
        return "{" + ",".join([_key(k) + _map_value(v) for k, v in value.items()]) + "}"
    if kind is list or kind is tuple:
        return _texts(value) or "[" + ",".join([encode(v) for v in value]) + "]"
    if kind is int or kind is float or kind is bool:
        return str(value)
    return stringify_param_value(value)


def _texts(values: list | tuple) -> str:
    """A list of plain texts (no quote or backslash: find_text's pieces) written at once; "" for
    any other list."""
    if not values or type(values[0]) is not str or set(map(type, values)) != {str}:
        return ""
    joined = '","'.join(values)
    if "\\" in joined or joined.count('"') != 2 * (len(values) - 1):
        return ""
    return '["' + joined + '"]'


def _map_value(value: Any) -> str:
    """A map's value: plain text without quotes or backslashes (most of a row) inline."""
    if type(value) is str and "\\" not in value and '"' not in value:
        return '"' + value + '"'
    return encode(value)


def header(params: Mapping[str, Any]) -> str:
    """``CYPHER `name`=value ...`` for ``params`` (the client's ``_build_params_header``)."""
    parts = ["CYPHER "]
    for key, value in params.items():
        name = key.decode() if isinstance(key, bytes) else str(key)
        if name == "" or "`" in name:
            raise ValueError(f"bad Cypher parameter name: {name!r}")
        parts.append(f"`{name}`={encode(value)} ")
    return "".join(parts)
