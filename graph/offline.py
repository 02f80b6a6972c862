"""The offline path for first loads of very large data, with each engine's own import tool.

- FalkorDB: GRAPH.BULK (:mod:`dhrkg.graph.falkordb.bulk_insert`), straight into the embedded
  server: :func:`falkordb_load`. Only into an empty graph; indexes and summaries after it.
- Neo4j: ``neo4j-admin database import full`` reads CSV files into a stopped, empty database.
  :func:`write_neo4j_import` writes them (one file per label or relationship type and set of
  typed properties, so every column has one type and no row has an unset property) and returns
  the command to run. Opening the imported graph with dhrkg then creates its indexes and
  constraints and computes the summaries (a store does both when it opens a graph).
"""

from __future__ import annotations

import csv
import shlex
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from .bulk import substring_streams
from .store import StoreError

#: Between the elements of a list in Neo4j's CSV (a character no text value holds: refused if one does).
ARRAY_DELIMITER = "\x1f"


class OfflineError(StoreError):
    """The offline path cannot load this data or into this graph."""


def refuse_non_empty(store: Any, mark: Any = None) -> None:
    """OfflineError when the graph holds anything, but the part of this very offline load
    (``mark``: its dhrkg.graph.unfinished.UnfinishedLoad) a run cut short left."""
    if store.query("MATCH (n) RETURN count(n) AS n").rows[0][0] and not is_restart(store, mark):
        raise OfflineError(f"the {store.backend} graph is not empty: the offline load only fills an empty "
                           "graph (use bulk-load without --offline, or a new graph)")


def is_restart(store: Any, mark: Any) -> bool:
    """Whether the graph holds an unfinished offline load from ``mark``'s folder (cut short by
    kill -9 or a lost server): this load then replaces it whole."""
    found = store.unfinished_load() if mark is not None else None
    return found is not None and found.offline and found.source == mark.source


def falkordb_load(store: Any, streams: Iterable[Any], progress: Optional[Callable[[int], None]] = None,
                  max_bytes: Optional[int] = None, mark: Any = None) -> Any:
    """Load ``streams`` into the store's empty FalkorDB graph with GRAPH.BULK, then create its
    indexes and compute every review's summaries. The :class:`BulkInsertReport`. ``mark``
    (dhrkg.graph.unfinished.UnfinishedLoad): written by the first GRAPH.BULK command, removed
    when the summaries are made; until then the graph says its load is unfinished."""
    from . import unfinished
    from .bulk import node_stream
    from .falkordb.bulk_insert import BulkInsertError

    refuse_non_empty(store, mark)
    store.drop_graph()  # GRAPH.BULK creates the graph: drop the empty one and its indexes
    marked = [node_stream(unfinished.LABEL, [mark.row()])] if mark is not None else []
    try:
        report = store.bulk_insert(chain(marked, substring_streams(streams, store.dialect)), progress=progress,
                                   max_bytes=max_bytes)
    except BulkInsertError as exc:
        store.clear()  # nothing half-written stays: the empty graph again
        raise OfflineError(str(exc)) from exc
    except KeyboardInterrupt:  # Ctrl-C: the empty graph again too
        store.clear()
        raise
    report.nodes -= len(marked)
    store.ensure_schema()
    store.wait_for_indexes()  # built in the background; the summaries need them
    for review in store.stale_reviews():  # those of this load too: ensure_summaries leaves a marked load's
        store.summarise(review, substrings_in_rows=True)
    if marked:
        unfinished.remove(store)
    return report


# --------------------------------------------------------------------------- Neo4j CSV files

NEO4J_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _neo4j_type(value: Any, where: str) -> str:
    if isinstance(value, (list, tuple)):
        if not value:  # an empty CSV field is "no value": the import would leave it unset (tried)
            raise OfflineError(f"{where}: an empty list cannot be written for neo4j-admin import "
                               "(it would be left unset); load online (without --offline)")
        kinds = {_neo4j_type(v, where) for v in value}
        if len(kinds) == 1 and "[]" not in next(iter(kinds)):
            return next(iter(kinds)) + "[]"
        if kinds == {"long", "double"}:
            return "double[]"
        raise OfflineError(f"{where}: a list mixing {', '.join(sorted(kinds))} cannot be a Neo4j property")
    for cls in (bool, int, float, str):  # bool before int
        if isinstance(value, cls):
            return NEO4J_TYPES[cls]
    raise OfflineError(f"{where}: a {type(value).__name__} cannot be a property value")


def _cell(value: Any, where: str) -> str:
    if type(value) is str:  # most values: at once
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        cells = [_cell(v, where) for v in value]
        if any(ARRAY_DELIMITER in c for c in cells):
            raise OfflineError(f"{where}: a list element holds the character U+001F")
        return ARRAY_DELIMITER.join(cells)
    if isinstance(value, float):
        return repr(value)
    return str(value)


@dataclass
class _CsvFile:
    path: Path
    handle: Any
    writer: Any
    rows: int = 0


@dataclass
class Neo4jImport:
    """The files written and the command that imports them."""

    directory: Path
    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    node_rows: int = 0
    relationship_rows: int = 0
    #: relationships with an end not in the data: left out, as the online loader's MATCH does
    skipped_relationships: int = 0

    def arguments(self, database: str = "neo4j") -> list[str]:
        # the database first: --nodes and --relationships take every word after them as a file
        args = ["database", "import", "full", database, "--id-type=string", "--multiline-fields=true",
                f"--array-delimiter={ARRAY_DELIMITER}", f"--report-file={self.directory / 'import.report'}"]
        args += [f"--nodes={label}={path}" for label, path in self.nodes]
        return args + [f"--relationships={rtype}={path}" for rtype, path in self.relationships]

    def command(self, database: str = "neo4j") -> str:
        """The shell command, one argument a line (the array delimiter written as $'\\x1f')."""
        words = [shlex.quote(a) if ARRAY_DELIMITER not in a else a.replace(ARRAY_DELIMITER, "") + "$'\\x1f'"
                 for a in self.arguments(database)]
        return "neo4j-admin " + " ".join(words[:4]) + "".join(f" \\\n  {w}" for w in words[4:])


class _Files:
    """One CSV file per (label or type, typed keys), opened as rows arrive."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.files: dict[tuple, _CsvFile] = {}
        self.keys: dict[str, set] = {}  # label -> node keys written

    def get(self, kind: str, name: str, header: Callable[[], list[str]], signature: tuple) -> _CsvFile:
        """The file of these rows; ``header()`` makes its first line when it is new."""
        key = (kind, name, signature)
        if key not in self.files:
            path = self.directory / f"{kind}-{name}-{len(self.files) + 1}.csv"
            handle = path.open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(header())
            self.files[key] = _CsvFile(path, handle, writer)
        return self.files[key]

    def close(self) -> None:
        for f in self.files.values():
            f.handle.close()


def _typed(props: dict, where: str) -> tuple:
    """((key, Neo4j type), ...) of the set properties; a scalar's type by a lookup (most values)."""
    return tuple((k, NEO4J_TYPES.get(type(v)) or _neo4j_type(v, f"{where}, {k}"))
                 for k, v in props.items() if v is not None)


def _cells(values: dict, typed: tuple, where: str) -> list[str]:
    return [_cell(values[k], f"{where}, {k}") if type(values[k]) is not str else values[k] for k, _ in typed]


def write_neo4j_import(streams: Iterable[Any], directory: Path) -> Neo4jImport:
    """Write ``streams`` as the CSV files of ``neo4j-admin database import full`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    files = _Files(directory)
    out = Neo4jImport(directory)
    try:
        for stream in streams:
            if stream.kind == "edge":
                written, skipped = _write_edges(stream, files)
                out.relationship_rows += written
                out.skipped_relationships += skipped
            else:
                rows = list({r["key"]: r for r in stream.rows}.values()) if stream.kind == "area" else stream.rows
                out.node_rows += _write_nodes(stream, rows, files)
    finally:
        files.close()
    for (kind, name, _), f in files.files.items():
        (out.nodes if kind == "nodes" else out.relationships).append((name, f.path))
    return out


#: Value types whose CSV cell is the value as csv.writer writes it (str() of it): no conversion.
_AS_WRITTEN = frozenset({str, int, float})


class _Shapes:
    """The CSV file and cell maker of each shape of row (its keys and their Python types) met
    before: most rows of a stream share a few shapes, so a row's types are looked up, not worked
    out. A row holding a list or no value is worked out each time (its elements set its type)."""

    def __init__(self, files: _Files, kind: str, name: str, header: Callable[[tuple], list[str]],
                 signature: Callable[[tuple], tuple]):
        self.files, self.kind, self.name, self.header, self.signature = files, kind, name, header, signature
        self.known: dict[tuple, tuple[Any, bool]] = {}

    def of(self, values: dict, where: Callable[[], str]) -> tuple[Any, Optional[tuple]]:
        """(the writer, None when the values are written as they are, else the typed keys)."""
        shape = (tuple(values), tuple(map(type, values.values())))
        known = self.known.get(shape)
        if known is not None:
            return known
        typed = _typed(values, where())
        f = self.files.get(self.kind, self.name, lambda: self.header(typed), self.signature(typed))
        found = (f.writer, None if _AS_WRITTEN.issuperset(shape[1]) else typed)
        if not (set(shape[1]) & {list, tuple, type(None)}):
            self.known[shape] = found
        return found


def _write_nodes(stream: Any, rows: Iterable[dict], files: _Files) -> int:
    n = 0
    keys = files.keys.setdefault(stream.label, set())
    label = stream.label
    shapes = _Shapes(files, "nodes", label,
                     lambda typed: [f"key:ID({label})" if k == "key" else f"{k}:{t}" for k, t in typed], lambda typed: typed)
    for n, row in enumerate(rows, 1):
        key = row.get("key")
        if key in keys:
            raise OfflineError(f"{stream.name}, row {n}: key {key!r} appears twice for {label}")
        keys.add(key)
        writer, typed = shapes.of(row, lambda: f"{stream.name}, row {n}")
        writer.writerow(row.values() if typed is None else _cells(row, typed, f"{stream.name}, row {n}"))
    return n


def _write_edges(stream: Any, files: _Files) -> tuple[int, int]:
    """(rows written, rows left out because an end is not in the data)."""
    n = skipped = 0
    starts, ends = files.keys.get(stream.from_label, set()), files.keys.get(stream.to_label, set())
    shapes = _Shapes(files, "relationships", stream.label,
                     lambda typed: [f":START_ID({stream.from_label})", f":END_ID({stream.to_label})"]
                     + [f"{k}:{t}" for k, t in typed], lambda typed: (stream.from_label, stream.to_label, typed))
    for n, row in enumerate(stream.rows, 1):
        start, end = row["from"], row["to"]
        if start not in starts or end not in ends:
            skipped += 1
            continue
        props = row.get("props") or {}
        writer, typed = shapes.of(props, lambda: f"{stream.name}, row {n}")
        writer.writerow((start, end, *(props.values() if typed is None else _cells(props, typed, f"{stream.name}, row {n}"))))
    return n - skipped, skipped
