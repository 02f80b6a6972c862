"""Neo4j's summaries in transactions (dhrkg.graph.neo4j.summaries.batched): a rule whose driving
node must be of one event type runs over the review's events of that type only, not over all
its events with the type tested inside each transaction; a type filter that does not hold for
every row of the rule (under an OR, or on another node) is left where it is. The values are
those of the one-transaction rules: tests/graph/test_neo4j_summaries.py."""

from __future__ import annotations

import pytest

from dhrkg.graph.neo4j.summaries import batched, driver_type
from dhrkg.graph.summaries import summary_statements


def outer(cypher: str) -> str:
    """What a batched rule runs over: the text before its CALL."""
    return batched(cypher, 10).split(" CALL ", 1)[0]


def test_the_assessment_and_incident_rules_run_over_those_events_only():
    drivers = [outer(st.cypher) for st in summary_statements("r", None, summarised_before=True)
               if "{review: $review}" in st.cypher and "WHERE ra.type = 'risk_assessment' " in st.cypher]
    assert len(drivers) >= 2
    assert all(d == "MATCH (ra:Event {review: $review}) WHERE ra.type = 'risk_assessment'" for d in drivers)
    incidents = [outer(st.cypher) for st in summary_statements("r", None) if "inc.type = 'incident'" in st.cypher]
    assert incidents == ["MATCH (inc:Event {review: $review}) WHERE inc.type = 'incident'"]


@pytest.mark.parametrize("cypher", [
    "MATCH (ra:Event {review: $review}) WHERE ra.type = 'x' OR ra.y SET ra.z = 1",
    "MATCH (ra:Event {review: $review}) WHERE ra.y XOR ra.type = 'x' SET ra.z = 1",
    "MATCH (ra:Event {review: $review})-[:A]->(b:Event) WHERE b.type = 'x' SET ra.z = 1",
    "MATCH (ra:Event {review: $review}) WITH ra, 1 AS one WHERE ra.type = 'x' SET ra.z = one",
    "MATCH (e:Event {review: $review}) WHERE e.type IS NULL OR e.type <> 'risk_assessment' SET e.shares = false",
])
def test_a_type_filter_that_does_not_hold_for_every_row_stays_inside(cypher):
    assert outer(cypher) == cypher.split(")", 1)[0] + ")"


def test_a_type_filter_among_and_conjuncts_is_found_beside_nested_ors():
    rest = " WHERE ra.y AND ra.type = 'x' AND (ra.a OR [v IN ra.l WHERE v OR ra.b]) WITH ra SET ra.z = 1"
    assert driver_type("ra", rest) == "x"
    rest = "<-[:INVOLVED]-(p:Person)-[:INVOLVED]->(f:Event) WHERE ra.type = 'x' AND f <> ra SET ra.z = 1"
    assert driver_type("ra", rest) == "x"
