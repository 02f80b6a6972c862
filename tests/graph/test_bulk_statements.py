"""The bulk loader's statements per engine (Dialect.bulk_statement): Neo4j creates nodes and
relationships with literal property maps (BENCHMARKS.md, "Neo4j online bulk loading"), and on
both engines a batch whose rows have different property names (one with ``born``, one without,
a name that needs quoting) gives each node and relationship exactly its row's properties."""

from __future__ import annotations

from dhrkg.graph import dialect
from dhrkg.graph.bulk import Stream, bulk_load, edge_stream, node_stream

PEOPLE = [
    {"key": "t/p1", "review": "t", "name": "Ann", "born": "1980-01-02"},
    {"key": "t/p2", "review": "t", "name": "Bo", "odd name": "yes"},
    {"key": "t/p3", "review": "t", "name": "Cy", "aliases": ["C", "Cee"]},
]
PARTNERS = [
    {"from": "t/p1", "to": "t/p2", "props": {"review": "t", "status": "current"}},
    {"from": "t/p2", "to": "t/p3", "props": {"review": "t", "source": "records"}},
    {"from": "t/p1", "to": "t/p3", "props": {}},
]


def streams() -> list[Stream]:
    return [node_stream("Thing", PEOPLE), edge_stream("PARTNER_OF", "Thing", "Thing", PARTNERS)]


def test_neo4j_creates_with_literal_maps_of_the_batch_names():
    people, partners = streams()
    nodes = dialect.NEO4J.bulk_statement(people, PEOPLE)
    assert "SET n = row" not in nodes
    assert "CREATE (n:Thing {`aliases`: row.`aliases`, `born`: row.`born`, `key`: row.`key`, " in nodes
    assert "`odd name`: row.`odd name`" in nodes
    assert "`a``b`: row.`a``b`" in dialect.NEO4J.bulk_statement(people, [{"a`b": 1}])
    edges = dialect.NEO4J.bulk_statement(partners, PARTNERS)
    assert "SET e" not in edges
    assert ("CREATE (a)-[e:PARTNER_OF {`review`: row.props.`review`, `source`: row.props.`source`, "
            "`status`: row.props.`status`}]->(b)") in edges
    area = Stream("Area", "area", "Area", [])
    assert dialect.NEO4J.bulk_statement(area, [{"key": "pfa:x"}]) == area.merge()


def test_rows_with_different_names_keep_exactly_their_properties(store):
    bulk_load(store, streams(), batch_size=10)
    people = {r[0]: r[1] for r in store.query("MATCH (n:Thing) RETURN n.key, properties(n)").rows}
    assert people == {p["key"]: p for p in PEOPLE}
    rels = store.query("MATCH (a:Thing)-[e:PARTNER_OF]->(b:Thing) RETURN a.key, b.key, properties(e)").rows
    assert sorted((a, b, props) for a, b, props in rels) == sorted((r["from"], r["to"], r["props"]) for r in PARTNERS)
