"""The index list of docs/graph-schema.md, written from the indexes the code declares.

Every index a store creates is declared as data: :data:`dhrkg.graph.schema.CASE_INDEXES` (made
when a store opens), :data:`~dhrkg.graph.schema.RECORD_INDEXES` (made by the first records
import), Neo4j's own ``NEO4J_INDEXES`` (graph/neo4j/store.py) and the temporary indexes of a
restore (:data:`TEMPORARY`). :data:`REASONS` says why each exists; :func:`markdown_table` stops
on an index without a reason, so a new index cannot reach the docs (or the code's tests, see
tests/project/test_index_doc.py) without one. ``python -m dhrkg.graph.indexdoc --write``
rewrites the list between its markers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from .docgen import main, update_generated
from .schema import CASE_INDEXES, RECORD_INDEXES, Index

BEGIN_MARK = "<!-- BEGIN GENERATED INDEX LIST (python -m dhrkg.graph.indexdoc --write) -->"
END_MARK = "<!-- END GENERATED INDEX LIST -->"


@dataclass(frozen=True)
class Declared:
    """Indexes the code declares, where, and when the store makes them."""

    source: str
    made: str
    engines: str
    indexes: tuple[Index, ...]


#: Why each index exists, by (label, property) or ("*", property) for every label that has it.
REASONS: dict[tuple[str, str], str] = {
    ("*", "key"): "a load finds a relationship's two ends by key; every person-, agency- and "
                  "review-centred query starts from one",
    ("*", "review"): "replacing or deleting a review touches only its nodes; `stats --review`; the "
                     "summaries are computed per review",
    ("Event", "type"): "the national scans start from incidents, risk assessments or referrals, not "
                       "from every event",
    ("Event", "date_from"): "date ranges and the homicide bound (\"before the death?\"); not on "
                            "FalkorDB, whose index answers ranges on a text wrong (`<` and `<=` on a "
                            "date with every node: FalkorDB issue #2239): a FalkorDB store drops one "
                            "an earlier dhrkg made",
    ("Person", "abused_partners"): "`serial-perpetrators` starts from the few people with two or more "
                                   "abused partners (a summary)",
    ("Event", "shares"): "`referrals-not-actioned` starts from the few events that refer or share "
                         "(`shares: true`, a summary), not from every event",
    ("Event", "risk_level"): "`risk-not-shared` starts from the assessments at the levels asked for "
                             "(FalkorDB: one index lookup per level), not from every assessment",
    ("Person", "find_text"): "`find-person` finds the people whose name, id or an alias holds the "
                             "text from this index, not from every person (below)",
    ("Event", "review,type"): "`incidents-without-risk-assessment` reads each review's incidents from "
                              "it (`.neo4j.cypher`); without it Neo4j plans a scan of all incidents "
                              "per review",
    ("Person", "review,key"): "`find-person` reads a common text's people in the order it shows them "
                              "(`.neo4j.cypher`) and stops at its limit, instead of reading and "
                              "sorting every match",
    ("*", "_dhrkg_restore_id"): "a restore (`dhrkg restore`, FalkorDB's undo of a failed load) finds "
                                "each relationship's two ends by their id in the backup; dropped "
                                "after the restore",
}

#: The labels a restore indexes while it runs (graph/backup.py, graph/falkordb/undo.py: every
#: label of the backup; "*" in the list).
TEMPORARY = Declared("`restore_index_statements` in `graph/dialect.py`", "during a restore, then dropped",
                     "both", (Index("*", "_dhrkg_restore_id"),))


def declared() -> tuple[Declared, ...]:
    """Every declaration of indexes in the code, the engines' own included."""
    from .neo4j.store import NEO4J_INDEXES

    return (Declared("`CASE_INDEXES` in `graph/schema.py`", "when a store opens", "both", CASE_INDEXES),
            Declared("`RECORD_INDEXES` in `graph/schema.py`", "by the first records import", "both", RECORD_INDEXES),
            Declared("`NEO4J_INDEXES` in `graph/neo4j/store.py`", "when a Neo4j store opens", "Neo4j only",
                     tuple(NEO4J_INDEXES)),
            TEMPORARY)


def properties(index: Index) -> str:
    return ",".join((index.prop, *index.more))


def reason(index: Index) -> str:
    """Why ``index`` exists (ValueError naming it when :data:`REASONS` does not say)."""
    for key in ((index.label, properties(index)), ("*", properties(index))):
        if key in REASONS:
            return REASONS[key]
    raise ValueError(f"index {index.label}({properties(index)}) has no reason in REASONS "
                     "(graph/indexdoc.py): say why it exists")


#: Said of an index FalkorDB keeps on a text: its range comparisons are read as filters.
FALKORDB_TEXT_RANGES = ("; FalkorDB: `<`, `<=`, `>`, `>=` on it read without the index, which "
                        "answers them wrong (issue #2239)")


def kind(index: Index, engines: str = "both") -> str:
    return _kind(index) + (FALKORDB_TEXT_RANGES if engines != "Neo4j only" and _guarded(index) else "")


def _kind(index: Index) -> str:
    if index.unique:
        return "Neo4j: unique constraint; FalkorDB: range index"
    if index.kind == "text":
        return "Neo4j: TEXT index; FalkorDB: range index on a list of pieces of 2 to 6 letters"
    return "composite range index" if index.more else "range index"


def _guarded(index: Index) -> bool:
    """A FalkorDB store rewrites range comparisons on it (dhrkg.graph.falkordb.text_ranges)."""
    from .falkordb.store import RANGE_GUARD

    return index.prop in RANGE_GUARD.properties


def markdown_table(declarations: Optional[Iterable[Declared]] = None) -> str:
    """One row per property and kind of index, with every label that has it."""
    rows: dict[tuple, list[str]] = {}
    for d in declarations if declarations is not None else declared():
        for i in d.indexes:
            rows.setdefault((f"`{properties(i)}`", kind(i, d.engines), d.engines, d.made, d.source, reason(i)), []).append(i.label)
    lines = ["| index | labels | kind | engines | made | declared in | why |", "|---|---|---|---|---|---|---|"]
    for (prop, what, engines, made, source, why), labels in rows.items():
        shown = "every label of the backup" if labels == ["*"] else ", ".join(labels)
        lines.append(f"| {prop} | {shown} | {what} | {engines} | {made} | {source} | {why} |")
    return "\n".join(lines) + "\n"


def update_doc(path: str) -> bool:
    return update_generated(path, BEGIN_MARK, END_MARK, markdown_table())


def _main(argv: Optional[Iterable[str]] = None) -> int:
    return main(argv, what="the index list", default="docs/graph-schema.md", generate=markdown_table,
                update=update_doc)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
