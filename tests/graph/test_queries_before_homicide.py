"""Missed chances are contacts before the homicide: each canned query that asks about them is
bounded by the homicide (dhrkg/model/homicide.py), checked on a review whose record runs on
past the death (tests/fixtures/after-homicide/: the trial, the inquest, the review's steps), on
both engines; and every canned query says which period it covers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.model import load_case
from dhrkg.model.homicide import AFTER_HOMICIDE_TYPES, BOUND_CYPHER, HOMICIDE_DAY_CYPHER, homicide_bound, is_before
from support.queries import library, loaded_stores, records

FILE = Path(__file__).resolve().parents[1] / "fixtures" / "after-homicide" / "syn-after.yaml"
R = "syn-after"
K = lambda local: f"{R}/{local}"  # noqa: E731
AFTER = {"h1", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11", "a12", "a13"}


after_falkordb, after_neo4j, g = loaded_stores([FILE], "after", each="g")


def ids(events):
    return [e["id"] for e in events]


def test_the_rule_on_the_case_file():
    case = load_case(FILE)
    bound = homicide_bound(case)
    assert str(bound) == "2021-03-01"  # the attack, a day before the review's date (the death)
    assert {e.id for e in case.events if not is_before(e, bound)} == AFTER
    assert str(homicide_bound(case, "2022")) == "2022-01-01"
    # "2021" spans the bound: the disclosure b8 may be before it, the charge a3 follows a homicide
    assert is_before(next(e for e in case.events if e.id == "b8"), bound)


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
    assert ids(both["Chelmsford GP"]["victim_events"]) == ["b3", "b8"]
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
                                 "Chelmsford GP (injury, disclosure)")
    assert rows[2]["reason"] == "not both: Chelmsford GP (nothing); Metropolitan Police Service (incident)"


def test_contacts_before_death(g):
    rows = {r["agency"]: r for r in records(g, "contacts-before-death", R, months="24")}
    assert set(rows) == {"Essex Police", "Chelmsford GP"}  # not the court, coroner or partnership
    police = rows["Essex Police"]
    assert ids(police["events"]) == ["b2", "b5", "b7"]  # not the homicide, arrest or charge ("2021")
    assert (police["victim_contacts"], police["perpetrator_contacts"]) == (3, 2)
    assert police["last_victim_contact"] == "2020-06-01" and police["since"] == "2019-03-01"
    assert records(g, "contacts-before-death", R, months="24", before="2020-01")[0]["since"] == "2018-01-01"


def test_cross_area_history(g):
    # b1 (the Met, 2012) but not the Met's interview of the former partner after the homicide (a9)
    assert [r["event"] for r in records(g, "cross-area-history", R)] == ["b1"]
    assert [r["event"] for r in records(g, "cross-area-history", R, before="2022")] == ["b1", "a9"]


def test_escalation(g):
    events = [e["id"] for r in records(g, "escalation", R) for e in r["events"]]
    assert events == ["b1", "b2", "b7"]  # not the threats from custody (a11) nor the charge
    assert "a11" in [e["id"] for r in records(g, "escalation", R, before="2022") for e in r["events"]]


def test_risk_not_shared(g):
    rows = records(g, "risk-not-shared", review=R)
    assert [r["event"] for r in rows] == ["b5"]  # not the assessment of P in custody (a5)
    # the next sharing is the disclosure to the GP ("2021", may be before), not the CSP notification
    assert rows[0]["next_sharing"]["id"] == "b8"
    assert [r["event"] for r in records(g, "risk-not-shared", review=R, before="2022")] == ["b5", "a5"]


def test_referrals_not_actioned(g):
    rows = records(g, "referrals-not-actioned", review=R)
    assert [r["referral"] for r in rows] == ["b6"]  # not the referral about the mother after the death (a6)
    assert rows[0]["next_action"] is None  # children's services acted only after the death (a7)


def test_incidents_without_risk_assessment(g):
    rows = records(g, "incidents-without-risk-assessment", review=R)
    assert [r["incident"] for r in rows] == ["b1", "b2", "b7"]  # not the threats from custody (a11)
    assert all(r["next_assessment"] is None or r["next_assessment"]["id"] == "b5" for r in rows)
    assert rows[2]["next_assessment"] is None  # the assessment of P after the homicide (a5) is not one


def test_children_at_incidents(g):
    (row,) = records(g, "children-at-incidents", R)
    assert ids(row["incidents"]) == ["b7", "h1"]  # the homicide he was present at is kept
    assert ids(row["childrens_services"]) == ["b6"]  # not the child protection step after the death (a7)


def test_prior_partners(g):
    (row,) = records(g, "prior-partners", K("P"))
    assert row["partner"] == K("X") and ids(row["events"]) == ["b1"]  # not the Met's interview (a9)


def test_children_across_households(g):
    (row,) = records(g, "children-across-households", K("P"))
    assert ids(row["events"]) == ["b6", "b7"] and row["agencies"] == ["Essex Police"]


def test_person_force_areas(g):
    rows = {r["force_area"]: r for r in records(g, "person-force-areas", K("P"))}
    met = rows["Metropolitan Police"]
    assert (met["events"], met["last"], met["event_ids"]) == (1, "2012-06-01", ["b1"])  # not a9
    assert "a11" not in rows["Essex"]["event_ids"] and "h1" not in rows["Essex"]["event_ids"]


# --------------------------------------------------------------------------- every query says its period


def test_every_query_says_which_period_it_covers():
    missing = [q.name for q in library() if not (q.period or "").strip()]
    assert missing == []


BOUNDED = ("agencies-saw-both", "contacts-before-death", "cross-area-history", "escalation", "risk-not-shared",
           "referrals-not-actioned", "incidents-without-risk-assessment", "children-at-incidents", "prior-partners",
           "children-across-households", "person-force-areas")


@pytest.mark.parametrize("name", BOUNDED)
def test_bounded_queries_say_so_and_take_before(name):
    q = library().get(name)
    assert q.period.lower().startswith(("before the homicide", "the n months before", "agency contacts before"))
    assert q.parameter("before").type == "date" and not q.parameter("before").required
    for backend in ("falkordb", "neo4j"):
        text = q.text_for(backend)
        assert HOMICIDE_DAY_CYPHER in text and "', '".join(AFTER_HOMICIDE_TYPES) in text
