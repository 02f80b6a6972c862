"""Cypher statements that replace one review in the graph, batched with ``UNWIND $rows``.

:func:`replace_statements` turns :class:`~dhrkg.graph.schema.GraphRows` into an ordered list of
statements: delete the review's nodes (per label, with their relationships), create its nodes
(one ``UNWIND`` per label and batch), MERGE the shared Area nodes, then create its relationships
(one ``UNWIND`` per relationship type, end labels and batch). Both backends run the list as ONE
transaction (Neo4j) or ONE query (FalkorDB, see :mod:`dhrkg.graph.dialect`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

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


def delete_statements(review: str) -> list[Statement]:
    """Delete every node of ``review`` (and so every relationship touching one). Areas stay."""
    return [
        Statement(f"MATCH (n:{label} {{review: $review}}) DETACH DELETE n", {"review": review}, "delete")
        for label in reversed(REVIEW_LABELS)
    ]


def replace_statements(rows: GraphRows, batch_size: int = BATCH_SIZE) -> list[Statement]:
    """Statements that make the graph hold exactly ``rows`` for its review."""
    out = delete_statements(rows.review)
    for label, node_rows in rows.nodes.items():
        for chunk in _chunks(node_rows, batch_size):
            out.append(Statement(f"UNWIND $rows AS row CREATE (n:{label}) SET n = row", {"rows": chunk}, "node", len(chunk)))
    areas = sorted(rows.areas.values(), key=lambda a: a["key"])
    for chunk in _chunks(areas, batch_size):
        out.append(Statement(
            "UNWIND $rows AS row MERGE (a:Area {key: row.key}) SET a.kind = row.kind, a.name = row.name",
            {"rows": chunk}, "area", len(chunk)))
    for (rtype, from_label, to_label), edge_rows in rows.edges.items():
        for chunk in _chunks(edge_rows, batch_size):
            out.append(Statement(
                f"UNWIND $rows AS row MATCH (a:{from_label} {{{_end('from', from_label)}}}) "
                f"MATCH (b:{to_label} {{{_end('to', to_label)}}}) "
                f"CREATE (a)-[e:{rtype}]->(b) SET e = row.props",
                {"rows": chunk, "review": rows.review}, "edge", len(chunk)))
    return out


def _end(end: str, label: str) -> str:
    """The map that finds a relationship's end: its key, and for a review's own nodes the review
    too, so a relationship never reaches into another review whatever its key says."""
    return f"key: row.{end}, review: $review" if label in REVIEW_LABELS else f"key: row.{end}"
