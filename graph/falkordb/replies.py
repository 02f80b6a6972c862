"""FalkorDB's compact replies read straight into plain rows, without the client's objects.

The falkordb client parses a ``--compact`` reply value by value (a function call per cell,
``OrderedDict`` maps, Node/Edge objects) and :func:`dhrkg.graph.dialect.plain_rows` then
turns that into plain Python values: at 100k people ~60% of risk-not-shared's time
(BENCHMARKS.md, issue 17). This sends the same command as the client's ``ro_query`` and
turns each cell (``[type, value]``) into what ``plain_rows`` gives, in one pass: scalars,
arrays and maps here; nodes, edges, paths, points, vectors and temporal values (which need
the client's schema cache of label and property names, or are rare) through the client's
own ``parse_scalar`` and then ``plain_value``, so every value is the same as before
(tests/graph/test_falkordb_replies.py compares both paths).

The reply's layout (docs.falkordb.com, "Result structure", compact): ``[header, rows,
statistics]`` (only ``[statistics]`` for a query returning nothing); the header is a list of
``[column type, name]``; each row a list of cells ``[value type, value]``. Value types: 1
null, 2 string, 3 integer, 4 boolean (``"true"``/``"false"``), 5 double (as text), 6 array
(of cells), 7 edge, 8 node, 9 path, 10 map (key, cell, key, cell, ...), 11 point, 12 vector,
13-16 datetime, date, time, duration.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from redis.exceptions import ResponseError

from .. import dialect
from ..store import QueryResult
from .params import header

NULL, STRING, INTEGER, BOOLEAN, DOUBLE, ARRAY, MAP = 1, 2, 3, 4, 5, 6, 10


def ro_query(graph: Any, cypher: str, params: Optional[Mapping[str, Any]] = None,
             timeout_ms: Optional[int] = None) -> QueryResult:
    """``graph.ro_query(cypher, params, timeout_ms)`` (a falkordb ``Graph``) as dhrkg's
    :class:`QueryResult`, its reply parsed here."""
    command: list[Any] = ["GRAPH.RO_QUERY", graph.name,
                          (header(params) if params is not None else "") + cypher, "--compact"]
    if timeout_ms is not None:
        command += ["timeout", int(timeout_ms)]
    return result(graph, graph.execute_command(*command))


def result(graph: Any, response: list) -> QueryResult:
    """A compact reply (``response``) as a :class:`QueryResult`; a server error raised, as the
    client raises it."""
    _raise_errors(response)
    if len(response) == 1:  # statistics only
        return QueryResult(columns=[], rows=[])
    columns = [_column(h) for h in response[0]]
    return QueryResult(columns=columns, rows=rows(graph, response[1]) if columns else [])


def _raise_errors(response: list) -> None:
    """The client's checks (falkordb's ``QueryResult``): an error first, or last (at run time)."""
    if isinstance(response[0], ResponseError):
        if str(response[0]) == "version mismatch":
            from falkordb.exceptions import SchemaVersionMismatchException

            raise SchemaVersionMismatchException(response[1])
        raise response[0]
    if isinstance(response[-1], ResponseError):
        raise response[-1]


def rows(graph: Any, raw_rows: list) -> list[list[Any]]:
    """The reply's rows (lists of ``[type, value]`` cells) as plain rows."""
    return [_cells(row, graph) for row in raw_rows]


def _cells(cells: list, graph: Any) -> list[Any]:
    """A row's or an array's cells: strings, integers and nulls inline (most cells; a function
    call per cell costs as much again), the others through :func:`_value`."""
    return [v if (t == STRING and type(v) is str) or (t == INTEGER and type(v) is int)
            else None if t == NULL else _value(t, v, graph) for t, v in cells]


def _value(kind: int, value: Any, graph: Any) -> Any:
    """One cell as ``plain_value`` of the client's parse of it (the common types first)."""
    if kind == STRING:
        return value if type(value) is str else _text_value(value)
    if kind == INTEGER:
        return int(value)
    if kind == NULL:
        return None
    if kind == DOUBLE:
        return float(value)
    if kind == BOOLEAN:
        return (value.decode() if isinstance(value, bytes) else value) == "true"
    if kind == ARRAY:
        return _cells(value, graph)
    if kind == MAP:
        return {_text_value(value[i]): _value(*value[i + 1], graph) for i in range(0, len(value), 2)}
    return _by_the_client(kind, value, graph)


def _by_the_client(kind: int, value: Any, graph: Any) -> Any:
    """Nodes, edges, paths, points, vectors, temporal values: the client's parse, made plain."""
    from falkordb.query_result import parse_scalar

    return dialect.plain_value(parse_scalar([kind, value], graph))


def _text_value(value: Any) -> str:
    """A string cell as the client reads it (bytes decoded strictly; anything else ``str``)."""
    return value.decode() if isinstance(value, bytes) else str(value)


def _column(entry: Any) -> str:
    """A header entry (``[column type, name]``) as the column's name."""
    name = entry[1] if isinstance(entry, (list, tuple)) and len(entry) > 1 else entry
    return name.decode() if isinstance(name, bytes) else str(name)
