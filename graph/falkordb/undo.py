"""Undoing a failed write on FalkorDB in place, so the shared server is not restarted for it.

FalkorDB 4.16 undoes a failed query itself (its undo log) except in one case: a query that
deleted and then created (node ids are reused) can come back with relationships joined to the
wrong nodes (tested: ``tests/engine/test_engine_undo.py``). Every dhrkg write is such a query: a
replacement within a :class:`~dhrkg.graph.load.Scope` (delete what the scope holds, write it
again). The failed query never reaches the append-only file, so reloading the server from that
file would undo it, but that kills the server under every other client's running query.

So before a write the store takes a :class:`Snapshot` of what it may change (:func:`take`):

- the nodes the scope deletes (labels, properties) and every relationship touching them (for
  a scope that keeps its nodes, a records batch: the nodes' properties, or their absence, and
  their relationships of the scope's types);
- the shared nodes the statements MERGE by key (Areas, the DHRD's Source): their properties,
  or their absence;
- for the whole graph (a restore, :data:`~dhrkg.graph.load.WHOLE_GRAPH`): everything, as
  :mod:`dhrkg.graph.backup` reads it. A restore is rare, and its snapshot takes memory in
  proportion to the graph.

When the write fails, :func:`restore` puts the snapshot back in ONE query (ends found by their
``key``; the whole graph through the backup's own restore statements), reads the scope again
and checks it equals the snapshot. Only when that is impossible or fails does the store fall
back to reloading the server.

The snapshot is safe to put back only if nothing else was written in between. Every dhrkg
write holds the data directory's write lock (:func:`dhrkg.graph.falkordb.server.writing`) from
its snapshot to its put-back, so no dhrkg write comes in between. A foreign client (redis-cli)
does not take the lock: every write that succeeds reaches the append-only file (a failed one
does not), so the file's size is read before the snapshot and again after the failure; if it
grew, the store reloads the server instead.

The window: a reader (readers never take the lock) that runs between the failed query and the
restore (milliseconds for a small review, about as long as the write for a large one) can see
the partial state the failed query left (docs/graph-schema.md, SECURITY.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from ..load import BATCH_SIZE, Scope, Statement, chunks

#: Statement kinds that MERGE shared nodes by key (their rows hold the keys).
MERGED_KINDS = frozenset({"shared", "area"})


class UndoImpossible(RuntimeError):
    """The failed write cannot be undone in place (the caller reloads the server instead)."""


@dataclass
class Snapshot:
    scope: Scope
    log_size: int  # of the append-only file before the snapshot was read
    #: the scope's nodes {"labels", "props"}; a scope that keeps its nodes: (label, key) -> props
    nodes: list[dict[str, Any]] = field(default_factory=list)
    kept: dict[tuple[str, str], Optional[dict[str, Any]]] = field(default_factory=dict)
    relationships: list[dict[str, Any]] = field(default_factory=list)  # {"type", "from", "to", ...}
    #: shared nodes MERGEd by key: (label, key) -> props (None: absent)
    merged: dict[tuple[str, str], Optional[dict[str, Any]]] = field(default_factory=dict)
    #: the whole graph (dhrkg.graph.backup's snapshot text), for a whole-graph scope
    everything: Optional[bytes] = None

    def canonical(self) -> Any:
        """Order-free text of the content, for comparing two snapshots of one scope."""
        def text(items: Any) -> list[str]:
            return sorted(json.dumps(item, sort_keys=True, default=str) for item in items)
        if self.everything is not None:
            return _graph_text(self.everything)
        return (text(self.nodes), text(self.relationships), text(self.kept.items()), text(self.merged.items()))


def _graph_text(data: bytes) -> tuple[list[str], list[str]]:
    """A backup snapshot's content with relationship ends named by their content, not by id."""
    nodes, rels, of = [], [], {}
    for line in data.decode("utf-8").splitlines():
        item = json.loads(line)
        if "node" in item:
            of[item["node"]] = json.dumps([item["labels"], item["props"]], sort_keys=True)
            nodes.append(of[item["node"]])
        else:
            rels.append(json.dumps([of[item["from"]], item["rel"], of[item["to"]], item["props"]], sort_keys=True))
    return sorted(nodes), sorted(rels)


def merged_keys(statements: Sequence[Statement]) -> list[tuple[str, str]]:
    """(label, key) of every shared node ``statements`` MERGE."""
    out: dict[tuple[str, str], None] = {}
    for st in statements:
        if st.kind in MERGED_KINDS:
            for row in st.params.get("rows") or []:
                out[(st.label, row["key"])] = None
    return list(out)


def log_size(store: Any) -> int:
    return int(store._redis.info("persistence")["aof_current_size"])


def _rows(store: Any, cypher: str, params: dict[str, Any]) -> list[list[Any]]:
    return store._read(cypher, params, 0).rows


def _read(store: Any, scope: Scope, merged: Sequence[tuple[str, str]], size: int) -> Snapshot:
    """One row per query (a collected list): FalkorDB's client parses one big row faster."""
    from ..backup import snapshot_bytes

    snap = Snapshot(scope, size)
    if scope.whole_graph:
        snap.everything = snapshot_bytes(store)
        return snap
    for label in scope.labels:
        match, params = scope.match(label)
        found = _rows(store, f"{match} RETURN collect([labels(n), properties(n)])", params)[0][0]
        if scope.keeps_nodes:
            snap.kept.update({(label, key): None for key in scope.value})
            snap.kept.update({(label, props.get("key")): props for _, props in found})
        else:
            snap.nodes += [{"labels": sorted(labels), "props": props} for labels, props in found]
        if found and (scope.relationships is None or scope.relationships):
            snap.relationships += _read_relationships(store, scope, label)
    snap.merged = _read_merged(store, merged)
    return snap


def _read_merged(store: Any, merged: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Optional[dict]]:
    out: dict[tuple[str, str], Optional[dict]] = {}
    for label in dict.fromkeys(label for label, _ in merged):
        keys = [key for l, key in merged if l == label]
        found = dict(_rows(store, f"UNWIND $keys AS k MATCH (a:{label} {{key: k}}) RETURN a.key, properties(a)",
                           {"keys": keys}))
        out.update({(label, key): found.get(key) for key in keys})
    return out


def _read_relationships(store: Any, scope: Scope, label: str) -> list[dict[str, Any]]:
    """Every relationship (of the scope's types) with an end among the scope's ``label`` nodes:
    from them, and into them from nodes outside the scope (told apart here: a list parameter
    in the query's filter is compared row by row, slow for a key set)."""
    match, params = scope.match(label)
    types = scope.type_pattern()
    value = f"a.{scope.prop}" if scope.prop else "null"
    out = []
    for outgoing in (True,) if scope.outgoing else (True, False):
        pattern = (f"{match} MATCH (n)-[e{types}]->(b) WITH n AS a, e, b" if outgoing else
                   f"{match} MATCH (a)-[e{types}]->(n) WITH a, e, n AS b")
        found = _rows(store, f"{pattern} RETURN collect([labels(a), {value}, a.key, type(e), labels(b)[0], b.key, "
                             "properties(e)])", params)
        out += [{"from_label": fl[0], "from": fk, "type": t, "to_label": tl, "to": tk, "props": props}
                for fl, fv, fk, t, tl, tk, props in found[0][0] if outgoing or not scope.holds(fl, fv)]
    return out


def take(store: Any, scope: Scope, statements: Sequence[Statement]) -> Snapshot:
    """A snapshot of what ``statements``, a replacement within ``scope``, may change."""
    size = log_size(store)
    return _read(store, scope, merged_keys(statements), size)


def restore_statements(snap: Snapshot) -> list[Statement]:
    """The statements that put ``snap`` back (joined into one query by the caller)."""
    if snap.everything is not None:
        return _whole_graph_statements(snap.everything)
    if any(r["from"] is None or r["to"] is None for r in snap.relationships):
        raise UndoImpossible("a node in the scope has no key")
    out = snap.scope.delete_statements()
    out += _put_back_by_key(snap.kept)
    out += _put_back_by_key(snap.merged)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for n in snap.nodes:
        groups.setdefault(tuple(n["labels"]), []).append(n["props"])
    for labels, props in groups.items():
        text = "".join(f":`{label}`" for label in labels)
        out += [Statement(f"UNWIND $rows AS row CREATE (n{text}) SET n = row", {"rows": chunk}, "undo", len(chunk))
                for chunk in chunks(props, BATCH_SIZE)]
    return out + _relationship_statements(snap.relationships)


def _put_back_by_key(nodes: dict[tuple[str, str], Optional[dict[str, Any]]]) -> list[Statement]:
    """Nodes found by key: those absent before are deleted, the others get their properties back."""
    out = []
    for label in dict.fromkeys(label for label, _ in nodes):
        absent = [key for (l, key), props in nodes.items() if l == label and props is None]
        present = [{"key": key, "props": props} for (l, key), props in nodes.items() if l == label and props is not None]
        if absent:
            out.append(Statement(f"UNWIND $keys AS k MATCH (a:`{label}` {{key: k}}) DETACH DELETE a",
                                 {"keys": absent}, "undo"))
        out += [Statement(f"UNWIND $rows AS row MATCH (a:`{label}` {{key: row.key}}) SET a = row.props",
                          {"rows": chunk}, "undo", len(chunk)) for chunk in chunks(present, BATCH_SIZE)]
    return out


def _relationship_statements(relationships: list[dict[str, Any]]) -> list[Statement]:
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in relationships:
        groups.setdefault((r["type"], r["from_label"], r["to_label"]), []).append(r)
    out = []
    for (rtype, a, b), rels in groups.items():
        for chunk in chunks([{"from": r["from"], "to": r["to"], "props": r["props"]} for r in rels], BATCH_SIZE):
            out.append(Statement(f"UNWIND $rows AS row MATCH (a:`{a}` {{key: row.from}}) "
                                 f"MATCH (b:`{b}` {{key: row.to}}) CREATE (a)-[e:`{rtype}`]->(b) SET e = row.props",
                                 {"rows": chunk}, "undo", len(chunk)))
    return out


def _whole_graph_statements(data: bytes) -> list[Statement]:
    from ..backup import BackupError, restore_statements as backup_statements

    try:
        return backup_statements(data)[0]
    except BackupError as exc:
        raise UndoImpossible(str(exc)) from exc


def _whole_graph_labels(data: bytes) -> list[str]:
    return sorted({json.loads(line)["labels"][0] for line in data.decode("utf-8").splitlines()
                   if '"node"' in line and json.loads(line).get("labels")})


def restore(store: Any, snap: Snapshot) -> None:
    """Put ``snap`` back in one query and check it; UndoImpossible when it cannot be done."""
    from .. import dialect

    if log_size(store) != snap.log_size:
        raise UndoImpossible("another write reached the graph since the snapshot")
    statements = restore_statements(snap)
    with _restore_indexes(store, snap):
        if statements:
            cypher, params = dialect.FALKORDB.single_query(statements)
            try:
                store._graph.query(cypher, params)
            except Exception as exc:
                raise UndoImpossible(f"putting the graph back failed ({exc})") from exc
    try:
        again = _read(store, snap.scope, list(snap.merged), snap.log_size)
    except Exception as exc:
        raise UndoImpossible(f"the graph cannot be read back ({exc})") from exc
    if again.canonical() != snap.canonical():
        raise UndoImpossible("the graph put back differs from the snapshot")


def _restore_indexes(store: Any, snap: Snapshot) -> Any:
    """The backup restore's temporary indexes while a whole graph is put back (none otherwise)."""
    import contextlib

    from ..backup import RESTORE_ID

    @contextlib.contextmanager
    def indexes():
        labels = _whole_graph_labels(snap.everything) if snap.everything is not None else []
        for ddl in store.dialect.restore_index_statements(labels, RESTORE_ID):
            store.run_schema(ddl)
        try:
            yield
        finally:
            for ddl in store.dialect.restore_index_statements(labels, RESTORE_ID, drop=True):
                store.run_schema(ddl)
    return indexes()


def engine_undoes(cypher: str) -> bool:
    """Whether FalkorDB's own undo log restores the graph when ``cypher`` fails part-way: yes
    unless the query both deletes and creates (see the module; tests/engine/test_engine_undo.py)."""
    import re

    words = set(re.findall(r"[A-Za-z]+", cypher.upper()))
    return not ("DELETE" in words and words & {"CREATE", "MERGE"})


def recover(store: Any, snap: Optional[Snapshot]) -> str:
    """After a write failed part-way: put ``snap`` back in place, else reload the server from its
    append-only file. "" when undone in place, else a note on the reload for the message."""
    from . import server

    if snap is not None:
        try:
            restore(store, snap)
            return ""
        except UndoImpossible as exc:
            reason = str(exc)
    else:
        reason = "no snapshot of what it may have changed"
    store._redis.connection_pool.disconnect()
    server.reload_from_log(store.data_dir)
    return f" (it could not be undone in place: {reason}; the FalkorDB server was reloaded from its log)"
