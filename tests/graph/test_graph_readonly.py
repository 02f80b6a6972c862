"""check_read_only: write clauses are refused before a query is sent, names are not."""

from __future__ import annotations

import pytest

from dhrkg.graph.readonly import WriteNotAllowed, check_read_only

READS = [
    "MATCH (n) RETURN n",
    "MATCH (p:Person {key: $k}) RETURN p.name AS name",
    "RETURN 'CREATE (n)' AS text, \"DELETE\" AS t2",
    "MATCH (n) // DELETE n\nRETURN n",
    "MATCH (n) /* SET n.x = 1 */ RETURN n",
    "MATCH (n:Set)-[:DELETE]->(m:`CREATE`) RETURN n.remove, m.merge, {set: 1, drop: 2}",
    "MATCH (start:Person) WITH start.x AS stop RETURN stop",  # start/stop as names
    "MATCH (n) WHERE n.detach = $delete RETURN n",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.indexes()",
    "CALL dbms.procedures()",
    "CALL algo.BFS(null, 2, null) YIELD nodes RETURN nodes",
    "MATCH (n) CALL { WITH n MATCH (n)--(m) RETURN count(m) AS c } RETURN n, c",
    "UNWIND [1, 2] AS x RETURN [y IN range(1, x) | y * 2] AS l",
    "MATCH (e:Event) WHERE e.summary CONTAINS 'merge' RETURN e",
]

WRITES = [
    ("CREATE (n:Person)", "CREATE"),
    ("match (n) detach delete n", "DETACH"),
    ("MATCH (n) DELETE n", "DELETE"),
    ("MATCH (n) SET n.x = 1", "SET"),
    ("MATCH (n) SET n:Flagged", "SET"),
    ("MATCH (n) REMOVE n.x", "REMOVE"),
    ("MERGE (a:Area {key: 'x'})", "MERGE"),
    ("MATCH (n)\n  WITH n\n  MERGE (m)", "MERGE"),
    ("DROP INDEX foo", "DROP"),
    ("LOAD CSV FROM 'file:///x.csv' AS row RETURN row", "LOAD CSV"),
    ("UNWIND [1] AS x FOREACH (i IN [1] | CREATE ())", "FOREACH"),
    ("MATCH (n) CALL { WITH n RETURN 1 AS one } IN TRANSACTIONS RETURN 1", "IN TRANSACTIONS"),
    ("CALL apoc.create.node(['X'], {})", "CALL apoc.create.node"),
    ("CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})", "CALL apoc.periodic.iterate"),
    ("CALL db.idx.fulltext.drop('Person')", "CALL db.idx.fulltext.drop"),
    ("CALL db.createLabel('X')", "CALL db.createLabel"),
    ("STOP DATABASE neo4j", "STOP DATABASE"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE TRANSACTIONS"),
    ("GRANT ROLE admin TO bob", "GRANT"),
    ("ALTER USER bob SET PASSWORD 'x'", "ALTER"),
]


@pytest.mark.parametrize("cypher", READS)
def test_reads_pass(cypher):
    assert check_read_only(cypher) is None


@pytest.mark.parametrize("cypher,keyword", WRITES)
def test_writes_are_refused_with_the_clause_and_where(cypher, keyword):
    with pytest.raises(WriteNotAllowed) as info:
        check_read_only(cypher)
    assert keyword in str(info.value)
    assert info.value.line >= 1 and info.value.column >= 1
    assert "read-only" in str(info.value)


def test_position_points_at_the_clause():
    with pytest.raises(WriteNotAllowed) as info:
        check_read_only("MATCH (n)\nWITH n\n  SET n.x = 1")
    assert (info.value.line, info.value.column, info.value.keyword) == (3, 3, "SET")
