"""Cypher statements that replace one review in the graph, batched with ``UNWIND $rows``.

:func:`replace_statements` turns :class:`~dhrkg.graph.schema.GraphRows` into an ordered list of
statements: delete the review's nodes (per label, with their relationships), create its nodes
(one ``UNWIND`` per label and batch), MERGE the shared Area nodes, then create its relationships
(one ``UNWIND`` per relationship type, end labels and batch). Both backends run the list as ONE
transaction (Neo4j) or ONE query (FalkorDB, see :mod:`dhrkg.graph.dialect`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Optional

from .schema import REVIEW_LABELS, GraphRows

#: Rows per UNWIND statement (FalkorDB's notes: ~100k node rows/s at 1,000-5,000 a batch).
BATCH_SIZE = 2000


@dataclass(frozen=True)
class Statement:
    cypher: str
    params: dict[str, Any]
    kind: str  # "delete" | "node" | "shared" | "area" | "edge" | "summary" | "restore" | "undo"
    rows: int = 0
    #: the label a "node", "shared" or "area" statement writes (the undo snapshot reads it)
    label: str = ""


def chunks(rows: list, size: int) -> Iterator[list]:
    """``rows`` in lists of ``size`` (the rows of one UNWIND statement)."""
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


@dataclass(frozen=True)
class Scope:
    """What a replacement takes away before it writes; the one scope type of every write.

    - ``labels`` and ``prop`` = ``value``: the nodes of those labels (in that order) whose
      ``prop`` is ``value`` (one review: :func:`review_scope`; the DHRD: ``dataset``), or one
      of ``value`` when it is a tuple (a key set: :func:`key_scope`);
    - ``prop`` None: every node of ``labels`` (:func:`label_scope`, all Identity nodes);
    - no labels: the whole graph (:data:`WHOLE_GRAPH`, a restore).

    The nodes are deleted with their relationships, unless ``relationships`` names types: then
    the nodes stay (the rows MERGE them by key and set them whole) and only their
    relationships of those types are deleted (a records batch: SAME_AS from linkage stays).
    ``review``: the one review the rows belong to (relationship ends are then matched within
    it, and its summaries recomputed); None for rows of many reviews, whose ends are matched by
    key alone.
    """

    labels: tuple[str, ...]
    prop: Optional[str] = None
    value: Any = None
    review: Optional[str] = None
    relationships: Optional[tuple[str, ...]] = None
    outgoing: bool = False

    @property
    def whole_graph(self) -> bool:
        return not self.labels

    @property
    def keeps_nodes(self) -> bool:
        return self.relationships is not None

    def match(self, label: str, var: str = "n") -> tuple[str, dict[str, Any]]:
        """``MATCH`` text of the scope's nodes of ``label`` (as ``var``) and its parameters."""
        if self.prop is None:
            return f"MATCH ({var}:{label})", {}
        if isinstance(self.value, tuple):
            return (f"UNWIND $scope_values AS scope_value MATCH ({var}:{label} {{{self.prop}: scope_value}})",
                    {"scope_values": list(self.value)})
        return f"MATCH ({var}:{label} {{{self.prop}: ${self.prop}}})", {self.prop: self.value}

    def holds(self, labels: Iterable[str], value: Any) -> bool:
        """Whether a node with ``labels`` and ``value`` of the scope's ``prop`` is in the scope."""
        if self.whole_graph:
            return True
        if not set(labels) & set(self.labels):
            return False
        if self.prop is None:
            return True
        return value in self.value if isinstance(self.value, tuple) else value == self.value

    def type_pattern(self) -> str:
        """``:A|B`` of the relationship types the scope replaces ("" when it deletes its nodes)."""
        return ":" + "|".join(self.relationships) if self.relationships else ""

    def delete_statements(self) -> list[Statement]:
        if self.whole_graph:
            return [Statement("MATCH (n) DETACH DELETE n", {}, "delete")]
        out = []
        for label in self.labels:
            match, params = self.match(label)
            if self.keeps_nodes:
                if self.relationships:
                    arrow = "->" if self.outgoing else "-"
                    out.append(Statement(f"{match}-[e{self.type_pattern()}]{arrow}() DELETE e", params, "delete"))
            else:
                out.append(Statement(f"{match} DETACH DELETE n", params, "delete"))
        return out


#: Everything in the graph (a restore from a backup).
WHOLE_GRAPH = Scope(())


def review_scope(review: str) -> Scope:
    """One review's own nodes (Area nodes are shared and stay)."""
    return Scope(tuple(reversed(REVIEW_LABELS)), "review", review, review=review)


def key_scope(label: str, keys: Iterable[str], relationships: tuple[str, ...] = (), outgoing: bool = False) -> Scope:
    """The ``label`` nodes with these keys, kept, and their relationships of ``relationships``
    (``outgoing``: those that start at them)."""
    return Scope((label,), "key", tuple(keys), relationships=tuple(relationships), outgoing=outgoing)


def label_scope(*labels: str) -> Scope:
    """Every node of ``labels``, with its relationships."""
    return Scope(tuple(labels))


def delete_statements(review: str) -> list[Statement]:
    """Delete every node of ``review`` (and so every relationship touching one). Areas stay."""
    return review_scope(review).delete_statements()


def replace_statements(rows: GraphRows, batch_size: int = BATCH_SIZE, scope: Optional[Scope] = None) -> list[Statement]:
    """Statements that make the graph hold exactly ``rows`` within ``scope`` (default: the
    review of ``rows``): delete, create nodes (MERGE them when the scope keeps its nodes),
    MERGE shared nodes and Areas, create relationships."""
    scope = scope or review_scope(rows.review)
    out = scope.delete_statements()
    make = "MERGE (n:{label} {{key: row.key}})" if scope.keeps_nodes else "CREATE (n:{label})"
    for label, node_rows in rows.nodes.items():
        for chunk in chunks(node_rows, batch_size):
            out.append(Statement(f"UNWIND $rows AS row {make.format(label=label)} SET n = row", {"rows": chunk},
                                 "node", len(chunk), label))
    for label, node_rows in rows.shared.items():
        for chunk in chunks(node_rows, batch_size):
            out.append(Statement(f"UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) SET n = row",
                                 {"rows": chunk}, "shared", len(chunk), label))
    areas = sorted(rows.areas.values(), key=lambda a: a["key"])
    for chunk in chunks(areas, batch_size):
        out.append(Statement(
            "UNWIND $rows AS row MERGE (a:Area {key: row.key}) SET a.kind = row.kind, a.name = row.name",
            {"rows": chunk}, "area", len(chunk), "Area"))
    for (rtype, from_label, to_label), edge_rows in rows.edges.items():
        for chunk in chunks(edge_rows, batch_size):
            out.append(_edge_statement(rtype, from_label, to_label, chunk, scope.review))
    return out


def _edge_statement(rtype: str, from_label: str, to_label: str, chunk: list, review: Optional[str]) -> Statement:
    params: dict[str, Any] = {"rows": chunk}
    if review is not None:
        params["review"] = review
    return Statement(
        f"UNWIND $rows AS row MATCH (a:{from_label} {{{_end('from', from_label, review)}}}) "
        f"MATCH (b:{to_label} {{{_end('to', to_label, review)}}}) "
        f"CREATE (a)-[e:{rtype}]->(b) SET e = row.props",
        params, "edge", len(chunk))


def _end(end: str, label: str, review: Optional[str]) -> str:
    """The map that finds a relationship's end: its key, and for a review's own nodes the review
    too, so a relationship never reaches into another review whatever its key says."""
    within = review is not None and label in REVIEW_LABELS
    return f"key: row.{end}, review: $review" if within else f"key: row.{end}"
