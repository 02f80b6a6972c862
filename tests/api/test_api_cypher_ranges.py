"""The API's read-only Cypher answers a range comparison on an indexed text (a key, an event's
type) with the rows a scan finds, on both engines (FalkorDB 4.16's index answers it wrong:
dhrkg.graph.falkordb.text_ranges rewrites the read)."""

from __future__ import annotations

import operator

import pytest

R001 = "north-worcs-dhr-7"
OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _values(client, cypher: str) -> list:
    r = client.post("/api/v1/cypher", json={"query": cypher})
    assert r.status_code == 200, r.text
    return [row["v"] for row in r.json()["rows"]]


@pytest.mark.parametrize("label,prop,bound", [("Person", "key", f"{R001}/P"), ("Event", "type", "incident")])
@pytest.mark.parametrize("op", list(OPS))
def test_cypher_range_on_an_indexed_text_finds_what_a_scan_finds(as_, label, prop, bound, op):
    analyst = as_("analyst")
    every = _values(analyst, f"MATCH (n:{label}) WHERE n.{prop} IS NOT NULL RETURN n.{prop} AS v")
    got = _values(analyst, f"MATCH (n:{label}) WHERE n.{prop} {op} '{bound}' RETURN n.{prop} AS v ORDER BY v")
    assert every and got == sorted(v for v in every if OPS[op](v, bound))
