"""The offline first load on FalkorDB: GRAPH.BULK payloads written here, with explicit types.

FalkorDB's own ``falkordb-bulk-loader`` reads CSV files and guesses each value's type ("5.1" is
stored as a number), so dhrkg writes the command's binary payload itself from the rows of
:mod:`dhrkg.graph.bulk` streams, each value typed from its Python type. The format (the
loader's ``entity_file.py``/``query_buffer.py``):

    GRAPH.BULK graph [BEGIN] node_count relation_count label_tokens reltype_tokens token...

A token is one label (or relationship type) with a header ``name\\0 uint32(count) key\\0...``
then its entities: for a node its values, for a relationship ``uint64 src, uint64 dst`` and
its values. A value is a type byte and the value: 0 null, 1 bool, 2 double, 3 string (NUL
terminated), 4 int64, 5 array (int64 length, then values). Nodes get ids in the order they are
sent (0, 1, 2 ... in an empty graph), so relationships name their ends by those ids.

Rows with different keys go into different tokens (a row's unset properties are left out of
its token, not sent as nulls), so every node holds exactly the properties ``SET n = row``
gives it online. GRAPH.BULK only creates a graph: the caller checks the graph is empty and
deletes its key (indexes included) first, then creates the indexes after the load.
"""

from __future__ import annotations

import math
import struct
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

NULL, BOOL, DOUBLE, STRING, LONG, ARRAY = 0, 1, 2, 3, 4, 5
#: Bytes per GRAPH.BULK command (the loader's default is 64 MB; Redis takes up to 512 MB a token).
MAX_COMMAND_BYTES = 32 * 1024 * 1024
INT64 = (-(2 ** 63), 2 ** 63 - 1)


class BulkInsertError(ValueError):
    """A row that GRAPH.BULK cannot store as given (says which stream and row)."""


_LONG = struct.Struct("=Bq").pack
_DOUBLE = struct.Struct("=Bd").pack
_NULL = bytes([NULL])
_ENDS = struct.Struct("=QQ").pack
_TRUE, _FALSE = bytes([BOOL, 1]), bytes([BOOL, 0])
_STRING = bytes([STRING])
#: Short text values seen before (roles, types, review keys repeat on every row), packed once.
_short_text: dict[str, bytes] = {}
SHORT_TEXT, SHORT_TEXT_ENTRIES = 40, 100_000


def _pack_text(value: str, where: str) -> bytes:
    packed = _short_text.get(value)
    if packed is None:
        data = value.encode("utf-8")
        if b"\0" in data:
            raise BulkInsertError(f"{where}: a text value holds a NUL character")
        packed = _STRING + data + b"\0"
        if len(value) <= SHORT_TEXT and len(_short_text) < SHORT_TEXT_ENTRIES:
            _short_text[value] = packed
    return packed


def pack_value(value: Any, where: str) -> bytes:
    """One property value in GRAPH.BULK's binary form, typed from its Python type."""
    kind = type(value)
    if kind is str:
        return _pack_text(value, where)
    if value is None:
        return _NULL
    if kind is bool:
        return _TRUE if value else _FALSE
    if kind is int:
        if not INT64[0] <= value <= INT64[1]:
            raise BulkInsertError(f"{where}: {value} does not fit a 64-bit integer")
        return _LONG(LONG, value)
    if kind is float:
        if math.isnan(value) or math.isinf(value):
            raise BulkInsertError(f"{where}: {value} is not a finite number")
        return _DOUBLE(DOUBLE, value)
    if kind is list or kind is tuple:
        try:
            return _pack_texts(value, where)
        except TypeError:  # not only texts (str.join refuses the others)
            return _LONG(ARRAY, len(value)) + b"".join([pack_value(v, where) for v in value])
    raise BulkInsertError(f"{where}: a {kind.__name__} cannot be a property value")


def _pack_texts(values: Any, where: str) -> bytes:
    """A list of texts in one go (find_text's pieces: dozens a person): each is the STRING byte,
    its UTF-8 and a NUL, so the list is the texts joined by NUL + STRING, encoded once."""
    text = "\0\3".join(values)  # a TypeError if one is not a text
    if not values:
        return _LONG(ARRAY, 0)
    if text.count("\0") != len(values) - 1:
        raise BulkInsertError(f"{where}: a text value holds a NUL character")
    return _LONG(ARRAY, len(values)) + _STRING + text.encode("utf-8") + b"\0"


def _pack_props(props: dict, where: str) -> bytes:
    """A row's values in order. Most rows hold only texts: each is the STRING byte, its UTF-8 and
    a NUL, so the row is its texts joined by NUL + STRING, encoded once (``str.join`` refuses a
    non-text value: such a row goes value by value)."""
    try:
        text = "\0\3".join(props.values())
    except TypeError:
        return _pack_mixed(props, where)
    if not props:
        return b""
    if text.count("\0") != len(props) - 1:
        _name_bad_value(props, where)
    return _STRING + text.encode("utf-8") + b"\0"


def _pack_mixed(props: dict, where: str) -> bytes:
    """A row holding other values than texts (a list, a number): its runs of texts joined as in
    :func:`_pack_props`, the other values one by one."""
    parts: list[bytes] = []
    texts: list[str] = []
    for value in props.values():
        if type(value) is str:
            texts.append(value)
            continue
        if texts:
            parts.append(_joined_texts(texts, props, where))
            texts = []
        try:
            parts.append(pack_value(value, where))
        except BulkInsertError:
            _name_bad_value(props, where)
            raise
    if texts:
        parts.append(_joined_texts(texts, props, where))
    return b"".join(parts)


def _joined_texts(texts: list[str], props: dict, where: str) -> bytes:
    text = "\0\3".join(texts)
    if text.count("\0") != len(texts) - 1:
        _name_bad_value(props, where)
    return _STRING + text.encode("utf-8") + b"\0"


def _name_bad_value(props: dict, where: str) -> None:
    """Raise the error of the first value GRAPH.BULK cannot store, naming its property."""
    for k, v in props.items():
        pack_value(v, f"{where}, {k}")


def pack_header(name: str, keys: tuple[str, ...]) -> bytes:
    parts = [name.encode("utf-8") + b"\0", struct.pack("=I", len(keys))]
    parts += [k.encode("utf-8") + b"\0" for k in keys]
    return b"".join(parts)


@dataclass
class _Token:
    """The rows of one label (or type) with one set of keys, in one command."""

    name: str
    keys: tuple[str, ...]
    header: bytes
    entities: list[bytes] = field(default_factory=list)
    node_keys: list[str] = field(default_factory=list)  # nodes: their ``key``, for the id map


@dataclass
class BulkInsertReport:
    nodes: int = 0
    relationships: int = 0
    commands: int = 0
    #: relationships with an end not in the data: left out, as the online loader's MATCH does
    skipped_relationships: int = 0
    node_seconds: float = 0.0
    seconds: float = 0.0
    #: GRAPH.BULK commands from sending to their reply (the engine's share, overlapping the packing)
    engine_seconds: float = 0.0
    #: the packing waiting for the command before to finish (the engine the slower of the two)
    waiting_seconds: float = 0.0


class BulkInsert:
    """Writes streams into an empty FalkorDB graph with GRAPH.BULK, command by command. A command
    is sent by a thread while the rows of the next are packed (the engine's share of the time
    then overlaps Python's); one command at a time, in order."""

    def __init__(self, redis: Any, graph: str, max_bytes: int = MAX_COMMAND_BYTES,
                 progress: Optional[Callable[[int], None]] = None):
        self.redis = redis
        self.graph = graph
        self.max_bytes = max_bytes
        self.progress = progress or (lambda n: None)
        self.ids: dict[str, dict[str, int]] = {}  # label -> key -> node id
        self.next_id = 0
        self._seen: dict[str, set[str]] = {}  # label -> keys added
        self.report = BulkInsertReport()
        self._tokens: dict[tuple[str, tuple[str, ...]], _Token] = {}
        self._size = 0
        self._kind = "node"
        self._begun = False
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dhrkg-graph-bulk")
        self._sending: Optional[Future] = None

    # ---- rows
    def add_nodes(self, label: str, name: str, rows: Iterable[dict]) -> None:
        """``rows`` of ``label`` (``name``: the stream's, for errors)."""
        seen = self._seen.setdefault(label, set())
        for n, row in enumerate(rows, 1):
            key = row.get("key")
            if type(key) is not str or not key or key in seen:
                self._refuse_key(label, key, seen, f"{name}, row {n}")
            seen.add(key)
            props = {k: v for k, v in row.items() if v is not None} if None in row.values() else row
            token = self._token(label, props)
            token.node_keys.append(key)  # before _append: it may send the command (and number the keys)
            self._append(token, _packed(props, name, n))

    def add_node(self, label: str, row: dict, where: str) -> None:
        self.add_nodes(label, where, [row])

    @staticmethod
    def _refuse_key(label: str, key: Any, seen: set, where: str) -> None:
        if not isinstance(key, str) or not key:
            raise BulkInsertError(f"{where}: a node without a text 'key'")
        raise BulkInsertError(f"{where}: key {key!r} appears twice for {label}")

    def add_edges(self, stream: Any) -> None:
        """The rows of a relationship stream; rows with an end not sent are left out (counted)."""
        starts, ends = self.ids.get(stream.from_label, {}), self.ids.get(stream.to_label, {})
        for n, row in enumerate(stream.rows, 1):
            src, dst = starts.get(row.get("from")), ends.get(row.get("to"))
            if src is None or dst is None:
                self.report.skipped_relationships += 1
                continue
            props = row.get("props") or {}
            if None in props.values():
                props = {k: v for k, v in props.items() if v is not None}
            self._append(self._token(stream.label, props), _ENDS(src, dst) + _packed(props, stream.name, n))

    def _token(self, name: str, props: dict) -> _Token:
        keys = tuple(props)
        token = self._tokens.get((name, keys))
        if token is None:
            token = self._tokens[(name, keys)] = _Token(name, keys, pack_header(name, keys))
            self._size += len(token.header)
        return token

    def _append(self, token: _Token, entity: bytes) -> None:
        token.entities.append(entity)
        self._size += len(entity)
        if self._size >= self.max_bytes:
            self.flush()

    # ---- commands
    def start_relationships(self) -> None:
        """Every node is sent before the first relationship (they name nodes by id)."""
        self.flush()
        self._kind = "edge"

    def flush(self) -> None:
        tokens = [t for t in self._tokens.values() if t.entities]
        self._tokens.clear()
        self._size = 0
        if not tokens:
            return
        count = sum(len(t.entities) for t in tokens)
        nodes = self._kind == "node"
        args: list[Any] = ["BEGIN"] if not self._begun else []
        args += [count if nodes else 0, 0 if nodes else count, len(tokens) if nodes else 0, 0 if nodes else len(tokens)]
        args += [t.header + b"".join(t.entities) for t in tokens]
        self.wait()  # the previous command first (BEGIN before the rest; an error stops here)
        self._sending = self._sender.submit(self._send, args)
        self._begun = True
        if nodes:  # ids in the order the engine creates them: token by token, row by row
            for t in tokens:
                ids = self.ids.setdefault(t.name, {})
                first = self.next_id
                ids.update(zip(t.node_keys, range(first, first + len(t.node_keys))))
                self.next_id = first + len(t.node_keys)
            self.report.nodes += count
        else:
            self.report.relationships += count
        self.report.commands += 1
        self.progress(count)

    def _send(self, args: list) -> None:
        t0 = time.perf_counter()
        self.redis.execute_command("GRAPH.BULK", self.graph, *args)
        self.report.engine_seconds += time.perf_counter() - t0

    def wait(self) -> None:
        """Until the command sent last is done (its error raised here)."""
        sending, self._sending = self._sending, None
        if sending is not None:
            t0 = time.perf_counter()
            sending.result()
            self.report.waiting_seconds += time.perf_counter() - t0

    def close(self) -> None:
        """Wait for the last command, then end the sending thread."""
        try:
            self.wait()
        finally:
            self._sender.shutdown(wait=True)


def _packed(props: dict, name: str, n: int) -> bytes:
    """:func:`_pack_props`, with the stream and row named only in an error (most rows have none)."""
    try:
        return _pack_props(props, "")
    except BulkInsertError:
        return _pack_props(props, f"{name}, row {n}")


def bulk_insert(redis: Any, graph: str, streams: Iterable[Any], *, max_bytes: Optional[int] = None,
                progress: Optional[Callable[[int], None]] = None) -> BulkInsertReport:
    """Write :class:`dhrkg.graph.bulk.Stream` s (nodes and areas before relationships) into
    ``graph``, which must not exist. Areas shared by reviews are written once (the last row)."""
    t0 = time.perf_counter()
    writer = BulkInsert(redis, graph, max_bytes or MAX_COMMAND_BYTES, progress)
    streams = list(streams)
    try:
        for stream in (s for s in streams if s.kind != "edge"):
            writer.add_nodes(stream.label, stream.name,
                             _unique_areas(stream.rows) if stream.kind == "area" else stream.rows)
        writer.start_relationships()
        writer.wait()
        writer.report.node_seconds = time.perf_counter() - t0
        for stream in (s for s in streams if s.kind == "edge"):
            writer.add_edges(stream)
        writer.flush()
    finally:
        writer.close()
    writer.report.seconds = time.perf_counter() - t0
    return writer.report


def _unique_areas(rows: Iterable[dict]) -> list[dict]:
    return list({row["key"]: row for row in rows}.values())
