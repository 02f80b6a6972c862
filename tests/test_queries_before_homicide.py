"""Missed chances are contacts before the homicide: each canned query that asks about them is
bounded by the homicide (ingest/casefile/homicide.py), checked on a review whose record runs on
past the death (tests/fixtures/after-homicide/: the trial, the inquest, the review's steps), on
both engines; and every canned query says which period it covers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.ingest.casefile import load_case
from dhrkg.ingest.casefile.homicide import BOUND_CYPHER, homicide_bound, is_before
from support.queries import falkordb_loaded, library, neo4j_loaded, records

FILE = Path(__file__).resolve().parent / "fixtures" / "after-homicide" / "syn-after.yaml"
R = "syn-after"
K = lambda local: f"{R}/{local}"  # noqa: E731
AFTER = {"h1", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11", "a12", "a13"}


@pytest.fixture(scope="module")
def after_falkordb(falkordb_data_dir):
    with falkordb_loaded(falkordb_data_dir, [FILE]) as store:
        yield store


@pytest.fixture(scope="module")
def after_neo4j(neo4j_server):
    with neo4j_loaded(neo4j_server, [FILE]) as store:
        yield store


@pytest.fixture(scope="module", params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def g(request):
    return request.getfixturevalue(f"after_{request.param}")


def ids(events):
    return [e["id"] for e in events]


def test_the_rule_on_the_case_file():
    case = load_case(FILE)
    bound = homicide_bound(case)
    assert str(bound) == "2021-03-01"  # the attack, a day before the review's date (the death)
    assert {e.id for e in case.events if not is_before(e, bound)} == AFTER
    assert str(homicide_bound(case, "2022")) == "2022-01-01"


def test_the_cypher_bound_agrees_with_the_rule(g):
    rows = g.query(f"MATCH (r:Review {{key: $r}}) RETURN {BOUND_CYPHER} AS bound", {"r": R, "before_from": None}).rows
    assert rows == [[str(homicide_bound(load_case(FILE)))]]


def test_agencies_saw_both(g):
    rows = records(g, "agencies-saw-both", R)
    both = {r["agency"]: r for r in rows if r["finding"] == "saw both"}
    # not the Crown Court (the trial), not Essex Police through the homicide, charge or notice
    assert set(both) == {"Chelmsford GP", "Essex Police"}
    assert ids(both["Essex Police"]["victim_events"]) == ["b2", "b5", "b7"]
    assert ids(both["Essex Police"]["perpetrator_events"]) == ["b2", "b7"]
    pairs = [(r["person"], r["agency"], r["other_agency"]) for r in rows if r["finding"] == "no sharing"]
    # no pair with the court, the coroner or the partnership running the review; and only pairs
    # where both agencies recorded something bearing on domestic abuse
    assert pairs == [(K("P"), "Essex Police", "Metropolitan Police Service"), (K("V"), "Essex Police", "Chelmsford GP")]
    later = {r["agency"] for r in records(g, "agencies-saw-both", R, before="2022") if r["finding"] == "saw both"}
    assert later == {"Chelmsford GP", "Chelmsford Crown Court", "Essex Police"}


def test_no_sharing_pairs_ranked_with_reasons(g):
    rows = [r for r in records(g, "agencies-saw-both", R, all_pairs="true") if r["finding"] == "no sharing"]
    assert [(r["person"], r["agency"], r["other_agency"]) for r in rows] == [
        (K("P"), "Essex Police", "Metropolitan Police Service"), (K("V"), "Essex Police", "Chelmsford GP"),
        (K("P"), "Chelmsford GP", "Metropolitan Police Service"), (K("P"), "Essex Police", "Chelmsford GP")]
    assert rows[1]["reason"] == ("both recorded domestic abuse: Essex Police (incident, risk_assessment); "
                                 "Chelmsford GP (injury)")
    assert rows[2]["reason"] == "not both: Chelmsford GP (nothing); Metropolitan Police Service (incident)"
