"""Undoing a failed write on FalkorDB in place, so the shared server is not restarted for it.

FalkorDB 4.16 undoes a failed query itself (its undo log) except in one case: a query that
deleted nodes and then created nodes (their ids are reused) can come back with relationships
joined to the wrong nodes (tested: ``tests/engine/test_engine_undo.py``). A review's replacement is
exactly such a query (:mod:`dhrkg.graph.load`: delete the review, create it again). The failed
query never reaches the append-only file, so reloading the server from that file would undo it,
but that kills the server under every other client's running query.

So before a replacing write the store takes a :class:`Snapshot` of what the write may change
(:func:`take`): the nodes of the reviews it replaces, with labels and properties, every
relationship touching them, and the properties of the shared Area nodes it MERGEs (Areas are
never deleted by a load, only created or updated). When the write fails, :func:`restore` puts
the snapshot back in ONE query (delete what the failed query left of the reviews, drop Areas it
created, put back the Areas' properties, create the nodes and relationships again, ends found
by their unique ``key``), then reads the scope again and checks it equals the snapshot. Only
when that is impossible or fails does the store fall back to reloading the server.

The snapshot is safe to put back only if nothing else was written in between: a write by
another client (another load of the same review, say) would be undone with it. Every write that
succeeds reaches the append-only file (a failed one does not), so the file's size is read before
the snapshot and again after the failure: if it grew, the store reloads the server instead.

The window: a reader that runs between the failed query and the restore (milliseconds for a
small review, about as long as the load for a large one) can see the partial state the failed
query left (docs/graph-schema.md, SECURITY.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from ..load import BATCH_SIZE, Statement, _chunks, delete_statements
from ..schema import REVIEW_LABELS

#: Statement kinds a review's replacement is made of (dhrkg.graph.load, dhrkg.graph.summaries),
#: and so the kinds whose effects a snapshot of the reviews and Areas covers.
SCOPED_KINDS = frozenset({"delete", "node", "area", "edge", "summary"})


class UndoImpossible(RuntimeError):
    """The failed write cannot be undone in place (the caller reloads the server instead)."""


@dataclass(frozen=True)
class Scope:
    """What a write may change: the nodes of these reviews (and relationships touching them)
    and these shared Area nodes (created or updated, never deleted)."""

    reviews: tuple[str, ...]
    area_keys: tuple[str, ...]


@dataclass
class Snapshot:
    scope: Scope
    log_size: int  # of the append-only file before the snapshot was read
    nodes: list[dict[str, Any]] = field(default_factory=list)  # {"label", "props"}
    relationships: list[dict[str, Any]] = field(default_factory=list)  # {"type", "from", "to", ...}
    areas: dict[str, Optional[dict[str, Any]]] = field(default_factory=dict)  # key -> props (None: absent)

    def canonical(self) -> tuple[list[str], list[str], list[str]]:
        """Order-free text of the content, for comparing two snapshots of one scope."""
        def text(items: Any) -> list[str]:
            return sorted(json.dumps(item, sort_keys=True, default=str) for item in items)
        return text(self.nodes), text(self.relationships), text(self.areas.items())


def scope_of(statements: Sequence[Statement]) -> Optional[Scope]:
    """The scope of a replacement, or None when a statement reaches beyond reviews and Areas
    (a whole-graph restore, the DHRD import): such a write cannot be undone from a snapshot."""
    reviews: list[str] = []
    areas: list[str] = []
    for st in statements:
        if st.kind not in SCOPED_KINDS:
            return None
        rows = st.params.get("rows") or []
        if st.kind == "area":
            areas += [row["key"] for row in rows]
            continue
        review = st.params.get("review")
        if st.kind == "node":
            if not all(isinstance(row, dict) and isinstance(row.get("review"), str) for row in rows):
                return None
            reviews += [row["review"] for row in rows]
        elif isinstance(review, str):
            reviews.append(review)
        else:
            return None
    return Scope(tuple(dict.fromkeys(reviews)), tuple(dict.fromkeys(areas)))


def log_size(store: Any) -> int:
    return int(store._redis.info("persistence")["aof_current_size"])


def _rows(store: Any, cypher: str, params: dict[str, Any]) -> list[list[Any]]:
    return store._read(cypher, params, 0).rows


def _read_scope(store: Any, scope: Scope, size: int) -> Snapshot:
    """One row per query (a collected list): FalkorDB's client parses one big row faster."""
    snap = Snapshot(scope, size)
    for review in scope.reviews:
        for label in REVIEW_LABELS:
            found = _rows(store, f"MATCH (n:{label} {{review: $r}}) RETURN collect(properties(n))", {"r": review})
            snap.nodes += [{"label": label, "props": props} for props in found[0][0]]
        if any(n["props"].get("review") == review for n in snap.nodes):  # a new review: no edges
            snap.relationships += _read_relationships(store, review)
    if scope.area_keys:
        found = dict(_rows(store, "UNWIND $keys AS k MATCH (a:Area {key: k}) RETURN a.key, properties(a)",
                           {"keys": list(scope.area_keys)}))
        snap.areas = {key: found.get(key) for key in scope.area_keys}
    return snap


def _read_relationships(store: Any, review: str) -> list[dict[str, Any]]:
    """Every relationship with an end in ``review``: from its nodes, and into them from others."""
    out = []
    for label in REVIEW_LABELS:
        for outgoing in (True, False):
            pattern = (f"(a:{label} {{review: $r}})-[e]->(b)" if outgoing else
                       f"(a)-[e]->(b:{label} {{review: $r}}) WHERE a.review IS NULL OR a.review <> $r")
            found = _rows(store, f"MATCH {pattern} RETURN collect([labels(a)[0], a.key, type(e), labels(b)[0], "
                                 "b.key, properties(e)])", {"r": review})
            out += [{"from_label": fl, "from": fk, "type": t, "to_label": tl, "to": tk, "props": props}
                    for fl, fk, t, tl, tk, props in found[0][0]]
    return out


def take(store: Any, statements: Sequence[Statement]) -> Optional[Snapshot]:
    """A snapshot of what ``statements`` may change (None: they reach beyond a scope)."""
    scope = scope_of(statements)
    if scope is None:
        return None
    size = log_size(store)
    return _read_scope(store, scope, size)


def restore_statements(snap: Snapshot) -> list[Statement]:
    """The statements that put ``snap`` back (joined into one query by the caller)."""
    if any(not isinstance(n["props"].get("key"), str) for n in snap.nodes) or any(
            r["from"] is None or r["to"] is None for r in snap.relationships):
        raise UndoImpossible("a node in the review has no key")
    out = [st for review in snap.scope.reviews for st in delete_statements(review)]
    absent = [key for key, props in snap.areas.items() if props is None]
    if absent:
        out.append(Statement("UNWIND $keys AS k MATCH (a:Area {key: k}) OPTIONAL MATCH (a)-[e]-() "
                             "WITH a, count(e) AS edges WHERE edges = 0 DELETE a", {"keys": absent}, "undo"))
    present = [{"key": key, "props": props} for key, props in snap.areas.items() if props is not None]
    for chunk in _chunks(present, BATCH_SIZE):
        out.append(Statement("UNWIND $rows AS row MATCH (a:Area {key: row.key}) SET a = row.props",
                             {"rows": chunk}, "undo", len(chunk)))
    for label in REVIEW_LABELS:
        props = [n["props"] for n in snap.nodes if n["label"] == label]
        for chunk in _chunks(props, BATCH_SIZE):
            out.append(Statement(f"UNWIND $rows AS row CREATE (n:{label}) SET n = row", {"rows": chunk}, "undo",
                                 len(chunk)))
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in snap.relationships:
        groups.setdefault((r["type"], r["from_label"], r["to_label"]), []).append(r)
    for (rtype, a, b), rels in groups.items():
        for chunk in _chunks([{"from": r["from"], "to": r["to"], "props": r["props"]} for r in rels], BATCH_SIZE):
            out.append(Statement(f"UNWIND $rows AS row MATCH (a:`{a}` {{key: row.from}}) "
                                 f"MATCH (b:`{b}` {{key: row.to}}) CREATE (a)-[e:`{rtype}`]->(b) SET e = row.props",
                                 {"rows": chunk}, "undo", len(chunk)))
    return out


def restore(store: Any, snap: Snapshot) -> None:
    """Put ``snap`` back in one query and check it; UndoImpossible when it cannot be done."""
    from .. import dialect

    if log_size(store) != snap.log_size:
        raise UndoImpossible("another write reached the graph since the snapshot")
    statements = restore_statements(snap)
    if statements:
        cypher, params = dialect.FALKORDB.single_query(statements)
        try:
            store._graph.query(cypher, params)
        except Exception as exc:
            raise UndoImpossible(f"putting the review back failed ({exc})") from exc
    try:
        again = _read_scope(store, snap.scope, snap.log_size)
    except Exception as exc:
        raise UndoImpossible(f"the graph cannot be read back ({exc})") from exc
    if again.canonical() != snap.canonical():
        raise UndoImpossible("the graph put back differs from the snapshot")


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
