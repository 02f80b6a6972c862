"""Dates are texts ("2021-03-03"), and "before the death?" is a ``<`` or ``<=`` on them: on both
engines such a comparison finds exactly the earlier events. FalkorDB 4.16 answers ``<`` and ``<=``
on an INDEXED text property with every node (FalkorDB issue #2239), so a FalkorDB store keeps no
index on the dates it compares (``TEXT_RANGE_UNSAFE`` in graph/falkordb/store.py) and drops one an
earlier dhrkg made when it opens."""

from __future__ import annotations

import pytest

from dhrkg.graph.bulk import bulk_load, node_stream
from dhrkg.graph.falkordb.store import TEXT_RANGE_UNSAFE

DATES = ["2019-01-01", "2020-05-05", "2021-03-03", "2022-01-01"]
BOUND = "2021-03-03"
#: (WHERE, the dates it must find): a parameter, a literal, either side, with another indexed test
CASES = [
    ("e.date_from < $b", DATES[:2]),
    ("e.date_from <= $b", DATES[:3]),
    ("$b > e.date_from", DATES[:2]),
    ("e.date_from < '2021-03-03'", DATES[:2]),
    ("e.type = 'incident' AND e.date_from < $b", DATES[:2]),
    ("e.date_from >= $b", DATES[2:]),
    ("e.date_from > $b", DATES[3:]),
]


def load_events(store) -> None:
    rows = [{"key": f"t/e{i}", "review": "t", "type": "incident", "date_from": d} for i, d in enumerate(DATES)]
    bulk_load(store, [node_stream("Event", rows)])


def dates(store, where: str) -> list[str]:
    cypher = f"MATCH (e:Event) WHERE {where} RETURN e.date_from AS d ORDER BY d"
    return [row[0] for row in store.query(cypher, {"b": BOUND}).rows]


def test_a_date_comparison_finds_exactly_the_earlier_or_later_events(store):
    load_events(store)
    for where, expected in CASES:
        assert dates(store, where) == expected, where


def test_a_falkordb_graph_indexed_on_its_dates_by_an_earlier_dhrkg_loses_that_index(store_falkordb):
    store = store_falkordb
    load_events(store)
    for i in TEXT_RANGE_UNSAFE:  # what dhrkg made before it knew of the engine's fault
        store.run_schema(f"CREATE INDEX FOR (n:{i.label}) ON (n.{i.prop})")
    store.wait_for_indexes()
    store.ensure_schema()  # what opening the store does
    indexed = {(row[0], p) for row in store.query("CALL db.indexes()").rows for p in row[1]}
    assert not indexed & {(i.label, i.prop) for i in TEXT_RANGE_UNSAFE}
    assert ("Event", "type") in indexed
    for where, expected in CASES:
        assert dates(store, where) == expected, where


@pytest.mark.parametrize("where", ["e.date_from < $b", "e.date_from <= $b"])
def test_the_engine_fault_is_why(store_falkordb, where):
    """Documents the reason: with the index, FalkorDB answers with every event. When a FalkorDB
    release answers right, this fails: then TEXT_RANGE_UNSAFE can go (and this test with it)."""
    store = store_falkordb
    load_events(store)
    store.run_schema("CREATE INDEX FOR (n:Event) ON (n.date_from)")
    store.wait_for_indexes()
    assert dates(store, where) == DATES
