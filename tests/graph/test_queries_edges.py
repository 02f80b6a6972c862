"""Edges of "before the homicide" in the canned queries, on both engines: a review with two
victims (tests/fixtures/after-homicide/syn-two-victims.yaml) and a review with no homicide date
whose victim's date of death bounds it (syn-no-homicide-date.yaml, a review into a suicide)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.model import load_case
from dhrkg.model.homicide import BOUND_CYPHER, homicide_bound
from support.queries import loaded_stores, records, run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "after-homicide"
TWO = "syn-two-victims"
NO_DATE = "syn-no-homicide-date"

edges_falkordb, edges_neo4j, g = loaded_stores(
    [FIXTURES / f"{TWO}.yaml", FIXTURES / f"{NO_DATE}.yaml"], "edges", each="g")


def ids(events):
    return [e["id"] for e in events]


def saw_both(store, review):
    return [r for r in records(store, "agencies-saw-both", review) if r["finding"] == "saw both"]


# --------------------------------------------------------------------------- two victims


def test_saw_both_is_one_row_an_agency_with_two_victims(g):
    (row,) = saw_both(g, TWO)  # was one row per victim, neither saying which victim it was
    assert row["agency"] == "Essex Police"
    assert ids(row["victim_events"]) == ["e1", "e2", "e4"]  # both victims; not "2021-03" (e5-e7)
    assert ids(row["perpetrator_events"]) == ["e1", "e2"]


# --------------------------------------------------------------------------- no homicide date


def test_the_victims_death_bounds_a_review_with_no_homicide_date():
    case = load_case(FIXTURES / f"{NO_DATE}.yaml")
    assert str(homicide_bound(case)) == "2021-03-01"
    assert str(homicide_bound(load_case(FIXTURES / f"{TWO}.yaml"))) == "2021-03-01"


def test_the_cypher_bound_agrees_with_the_rule(g):
    for review in (NO_DATE, TWO):
        rows = g.query(f"MATCH (r:Review {{key: $r}}) RETURN {BOUND_CYPHER} AS bound",
                       {"r": review, "before_from": None}).rows
        assert rows == [[str(homicide_bound(load_case(FIXTURES / f"{review}.yaml")))]], review


def test_saw_both_not_through_a_contact_after_the_death(g):
    # the GP saw Paul only after Vera's death (a2)
    assert [(r["agency"], ids(r["perpetrator_events"])) for r in saw_both(g, NO_DATE)] == [("Essex Police", ["e1"])]


def test_referral_after_the_death_is_not_unactioned(g):
    assert records(g, "referrals-not-actioned", review=NO_DATE) == []  # a1, after the death
    assert [r["referral"] for r in records(g, "referrals-not-actioned", review=NO_DATE, before="2022")] == ["a1"]


def test_incident_after_the_death_is_not_unassessed(g):
    assert [r["incident"] for r in records(g, "incidents-without-risk-assessment", review=NO_DATE)] == ["e1"]


def test_contacts_before_the_death(g):
    rows = {r["agency"]: r for r in records(g, "contacts-before-death", NO_DATE)}  # was no rows
    assert {a: ids(r["events"]) for a, r in rows.items()} == {"Essex Police": ["e1"], "Chelmsford GP": ["e2"]}
    assert rows["Essex Police"]["since"] == "2020-03-01"


def test_serial_perpetrators_before_the_death(g):
    # Paul abused Vera (e1) and, after her death, a new partner (a3): two partners on the whole
    # record, one that agencies could have known of before the death
    whole = {r["perpetrator"]: [v["partner"] for v in r["victims"]] for r in records(g, "serial-perpetrators")}
    assert whole[f"{NO_DATE}/P"] == [f"{NO_DATE}/N", f"{NO_DATE}/V"]
    before = {r["perpetrator"] for r in records(g, "serial-perpetrators", before_homicide="true")}
    assert f"{NO_DATE}/P" not in before
    (row,) = [r for r in records(g, "serial-perpetrators", min_partners="1", before_homicide="true")
              if r["perpetrator"] == f"{NO_DATE}/P"]
    assert [(v["partner"], v["events"]) for v in row["victims"]] == [(f"{NO_DATE}/V", ["e1"])]
    assert (row["first"], row["last"]) == ("2020-05-01", "2020-05-01")


# --------------------------------------------------------------------------- parity


def edge_invocations():
    for review in (TWO, NO_DATE):
        yield from [
            ("agencies-saw-both", [review], {"all_pairs": "true"}), ("contacts-before-death", [review], {"months": "30"}),
            ("cross-area-history", [review], {}), ("escalation", [review], {}),
            ("children-at-incidents", [review], {}), ("prior-partners", [f"{review}/P"], {"include_current": "true"}),
            ("children-across-households", [f"{review}/P"], {}), ("person-force-areas", [f"{review}/P"], {}),
            ("risk-not-shared", [], {"review": review, "min_level": "low"}),
            ("referrals-not-actioned", [], {"review": review}),
            ("incidents-without-risk-assessment", [], {"review": review})]
    yield ("serial-perpetrators", [], {"min_partners": "1"})
    yield ("serial-perpetrators", [], {"min_partners": "1", "before_homicide": "true"})


@pytest.mark.neo4j
def test_parity_on_the_edge_reviews(edges_falkordb, edges_neo4j):
    different = []
    for name, args, named in edge_invocations():
        f = run(edges_falkordb, name, *args, **named)
        n = run(edges_neo4j, name, *args, **named)
        if (f.columns, f.rows) != (n.columns, n.rows):
            different.append((name, args))
    assert different == []
