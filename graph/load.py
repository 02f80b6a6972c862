"""Cypher statements that replace one review in the graph, batched with ``UNWIND $rows``.

:func:`replace_statements` turns :class:`~dhrkg.graph.schema.GraphRows` into an ordered list of
statements: delete the review's nodes (per label, with their relationships), create its nodes
(one ``UNWIND`` per label and batch), MERGE the shared Area nodes, then create its relationships
(one ``UNWIND`` per relationship type, end labels and batch). Both backends run the list as ONE
transaction (Neo4j) or ONE query (FalkorDB, see :mod:`dhrkg.graph.dialect`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

from .schema import REVIEW_LABELS, GraphRows

#: Rows per UNWIND statement (FalkorDB's notes: ~100k node rows/s at 1,000-5,000 a batch).
BATCH_SIZE = 2000


@dataclass(frozen=True)
class Statement:
    cypher: str
    params: dict[str, Any]
    kind: str  # "delete" | "node" | "area" | "edge"
    rows: int = 0


def _chunks(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


@dataclass(frozen=True)
class Scope:
    """What a replacement deletes before it writes: every node of ``labels`` (in that order, with
    its relationships) whose ``prop`` is ``value``. ``review``: the one review the rows belong to
    (relationship ends are then matched within it, and its summaries recomputed); None for rows
    of many reviews (the DHRD import), whose ends are matched by key alone."""

    labels: tuple[str, ...]
    prop: str
    value: str
    review: Optional[str] = None


def review_scope(review: str) -> Scope:
    """One review's own nodes (Area nodes are shared and stay)."""
    return Scope(tuple(reversed(REVIEW_LABELS)), "review", review, review=review)


def delete_statements(review: str) -> list[Statement]:
    """Delete every node of ``review`` (and so every relationship touching one). Areas stay."""
    return scope_delete_statements(review_scope(review))


def scope_delete_statements(scope: Scope) -> list[Statement]:
    return [
        Statement(f"MATCH (n:{label} {{{scope.prop}: ${scope.prop}}}) DETACH DELETE n", {scope.prop: scope.value}, "delete")
        for label in scope.labels
    ]


def replace_statements(rows: GraphRows, batch_size: int = BATCH_SIZE, scope: Optional[Scope] = None) -> list[Statement]:
    """Statements that make the graph hold exactly ``rows`` within ``scope`` (default: the
    review of ``rows``): delete, create nodes, MERGE shared nodes and Areas, create relationships."""
    scope = scope or review_scope(rows.review)
    out = scope_delete_statements(scope)
    for label, node_rows in rows.nodes.items():
        for chunk in _chunks(node_rows, batch_size):
            out.append(Statement(f"UNWIND $rows AS row CREATE (n:{label}) SET n = row", {"rows": chunk}, "node", len(chunk)))
    for label, node_rows in rows.shared.items():
        for chunk in _chunks(node_rows, batch_size):
            out.append(Statement(f"UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) SET n = row",
                                 {"rows": chunk}, "shared", len(chunk)))
    areas = sorted(rows.areas.values(), key=lambda a: a["key"])
    for chunk in _chunks(areas, batch_size):
        out.append(Statement(
            "UNWIND $rows AS row MERGE (a:Area {key: row.key}) SET a.kind = row.kind, a.name = row.name",
            {"rows": chunk}, "area", len(chunk)))
    for (rtype, from_label, to_label), edge_rows in rows.edges.items():
        for chunk in _chunks(edge_rows, batch_size):
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
