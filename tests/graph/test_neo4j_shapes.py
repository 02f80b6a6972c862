"""Every Neo4j-only query text (NAME.neo4j.cypher) returns the rows of the portable text it
stands in for, on a generated national set with the query fixtures and the gold reviews
(homicides, sharing, referrals), under several parameter sets; and the Neo4j store keeps the
indexes those texts name (graph/neo4j/store.py NEO4J_INDEXES)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dhrkg.graph import canned
from dhrkg.model import load_case

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import queries as qbench  # noqa: E402

pytestmark = pytest.mark.neo4j

#: parameter sets tried on each query (those it does not take are left out)
PARAMS = ({}, {"days": "400"}, {"days": "30", "before": "2019-06-01"}, {"review": "syn-partners"},
          {"review": "synth"}, {"min_level": "medium"}, {"text": "a"}, {"text": "a", "review": "synth"},
          {"text": "former partner"}, {"text": "zzqx"})
#: find-person's text where a set does not give one
TEXT = {"text": "smith"}


def variants() -> list[canned.CannedQuery]:
    return [q for q in canned.load_library(include_user=False) if "neo4j" in q.variants and q.cypher]


@pytest.fixture(scope="module")
def graph(neo4j_server, tmp_path_factory):
    from support.stores import neo4j_store

    with neo4j_store(neo4j_server) as store:
        qbench.load_graph(store, qbench.synth_graph(3000, 7, tmp_path_factory.mktemp("synth")))
        for f in [*sorted((REPO / "tests" / "fixtures" / "queries").glob("*.yaml")),
                  *sorted((REPO / "examples").glob("*.yaml"))]:
            store.load_case(load_case(f))
        store.ensure_summaries()
        yield store


def test_there_are_neo4j_texts():
    assert {"incidents-without-risk-assessment", "risk-not-shared", "find-person"} <= {q.name for q in variants()}


@pytest.mark.parametrize("query", variants(), ids=lambda q: q.name)
def test_neo4j_text_returns_the_portable_rows(graph, query):
    names = {p.name for p in query.parameters}
    found = 0
    for values in PARAMS:
        params = canned.bind(query, {k: v for k, v in {**TEXT, **values}.items() if k in names})
        ours = graph.query(query.variants["neo4j"], params).rows
        assert ours == graph.query(query.cypher, params).rows, values
        found += len(ours)
    assert found, "some parameter set gives rows (else the comparison shows nothing)"
