"""docs/graph-schema.md lists every index the code creates, with why it exists (issue 17): the
list is generated from the declarations (graph/indexdoc.py), an index without a reason stops
the generator, and the indexes a real store has on each engine are those the list names."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.graph import indexdoc
from dhrkg.graph.backup import RESTORE_ID
from dhrkg.graph.schema import Index
from dhrkg.ingest.records import ensure_indexes

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "graph-schema.md"


def test_the_index_list_in_the_doc_is_the_generated_one():
    text = DOC.read_text(encoding="utf-8")
    generated = text.split(indexdoc.BEGIN_MARK, 1)[1].split(indexdoc.END_MARK, 1)[0].strip()
    assert generated == indexdoc.markdown_table().strip(), "run: python -m dhrkg.graph.indexdoc --write"


def test_every_declared_index_has_a_row():
    table = indexdoc.markdown_table()
    for d in indexdoc.declared():
        for i in d.indexes:
            row = next(line for line in table.splitlines() if line.startswith(f"| `{indexdoc.properties(i)}` |")
                       and d.source in line)
            assert i.label in row or i.label == "*", (i, row)


def test_an_index_without_a_reason_stops_the_list():
    new = indexdoc.Declared("a test", "never", "both", (Index("Person", "shoe_size"),))
    with pytest.raises(ValueError, match=r"index Person\(shoe_size\) has no reason in REASONS"):
        indexdoc.markdown_table([*indexdoc.declared(), new])


def test_the_restore_index_is_the_one_a_restore_makes():
    assert indexdoc.TEMPORARY.indexes[0].prop == RESTORE_ID


def engine_indexes(store) -> set[tuple[str, tuple[str, ...]]]:
    """(label, properties) of every index the engine has (Neo4j: its constraints' too)."""
    if store.backend == "neo4j":
        rows = store.query("SHOW INDEXES YIELD labelsOrTypes, properties, type, entityType "
                           "WHERE type <> 'LOOKUP' AND entityType = 'NODE' "
                           "RETURN labelsOrTypes, properties").rows
        return {(labels[0], tuple(props)) for labels, props in rows}
    rows = store.query("CALL db.indexes() YIELD label, properties RETURN label, properties").rows
    return {(label, (prop,)) for label, props in rows for prop in props}  # FalkorDB: a row per label


def test_a_store_has_the_indexes_the_list_names(store):
    """Every index a store has after opening and a records import is in the list, and every
    index in the list (but the restore's temporary one, and Neo4j's own on FalkorDB) exists."""
    ensure_indexes(store)  # what the first records import makes
    listed = {(i.label, (i.prop, *i.more)) for d in indexdoc.declared() if d is not indexdoc.TEMPORARY
              and (d.engines == "both" or store.backend == "neo4j") for i in d.indexes}
    assert engine_indexes(store) == listed
