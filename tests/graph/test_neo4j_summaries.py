"""Neo4j computes a review's summaries in transactions of a few thousand nodes
(dhrkg.graph.neo4j.summaries): the values are those of the one-transaction rules, on a
generated national set and on the query fixtures (sharing, referrals, abuse)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dhrkg.graph.load import review_scope
from dhrkg.graph.summaries import SUMMARY_PROPERTIES, summary_statements
from dhrkg.model import load_case

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "queries"
sys.path.insert(0, str(REPO / "bench"))

import queries as qbench  # noqa: E402

pytestmark = pytest.mark.neo4j


def summary_values(store) -> list:
    """Every node's summary properties, by key."""
    props = sorted(SUMMARY_PROPERTIES)
    rows = store.query("MATCH (n) WHERE n.key IS NOT NULL RETURN n.key AS k, [p IN $props | n[p]] AS v ORDER BY k",
                       {"props": props}).rows
    return [r for r in rows if any(v is not None for v in r[1])]


def wipe(store) -> None:
    props = ", ".join(f"n.{p} = NULL" for p in sorted(SUMMARY_PROPERTIES))
    store._write(f"MATCH (n) SET {props}")


def test_batched_summaries_equal_the_one_transaction_rules(store_neo4j, tmp_path):
    store = store_neo4j
    qbench.load_graph(store, qbench.synth_graph(3000, 7, tmp_path / "synth"))
    for f in sorted(FIXTURES.glob("*.yaml")):
        store.load_case(load_case(f))
    reviews = store.reviews()
    wipe(store)
    for review in reviews:
        # the rules in one transaction, as a replacement runs them
        store._replace(summary_statements(review, store.dialect), review_scope(review))
    expected = summary_values(store)
    assert any(v[0] is not None for _, v in expected), "the set has serial abusers"
    wipe(store)
    store.summary_batch_rows = 7  # many transactions even on this small set
    for review in reviews:
        store.summarise(review)
    assert summary_values(store) == expected
    assert store.stale_reviews() == []
