"""Every canned query on the three gold reviews, on FalkorDB and on Neo4j, with identical answers;
and the two findings issue 5 names for gold 001 (north-worcs-dhr-7)."""

from __future__ import annotations

import pytest

from dhrkg.model.homicide import homicide_bound, is_before
from support.queries import GOLD, CaseModel, example_invocations, loaded_stores, records, run

GOLD_001 = next(p for p in GOLD if p.name.startswith("001_"))
REVIEW = "north-worcs-dhr-7"
PERP = f"{REVIEW}/Perpetrator"


gold_falkordb, gold_neo4j, gold = loaded_stores(GOLD, "gold")


@pytest.fixture(scope="module")
def case001():
    return CaseModel(GOLD_001)


# --------------------------------------------------------------------------- every query


INVOCATIONS = example_invocations() + [
    # more parameter sets, so the parity check covers other reviews, people and options
    ("prior-partners", [f"{REVIEW}/Victim"], {"include_current": "true"}),
    ("prior-partners", ["birmingham-bdhr-2012-13-04/perpetrator"], {}),
    ("cross-area-history", ["birmingham-bdhr-2012-13-04"], {}),
    ("cross-area-history", ["stafford-dhr-s-2011"], {}),
    ("risk-not-shared", [], {"min_level": "standard", "days": "1"}),
    ("risk-not-shared", [], {"min_level": "low", "days": "0", "review": REVIEW}),
    ("agencies-saw-both", ["stafford-dhr-s-2011"], {}),
    ("serial-perpetrators", [], {"min_partners": "1"}),
    ("escalation", ["birmingham-bdhr-2012-13-04"], {"types": "incident,call,arrest"}),
    ("contacts-before-death", ["stafford-dhr-s-2011"], {"months": "24"}),
    ("contacts-before-death", [REVIEW], {"months": "1"}),
    ("find-path", [f"{REVIEW}/S3", f"{REVIEW}/S1"], {}),
    ("find-path", [f"{REVIEW}/M", f"{REVIEW}/pfp_mother"], {"max_hops": "3"}),
    ("connecting-network", [f"{REVIEW}/S1", f"{REVIEW}/S3", f"{REVIEW}/pfp_brother"], {}),
    ("linked", [f"{REVIEW}/Victim"], {"depth": "1"}),
    ("linked", ["stafford-dhr-s-2011/S"], {"depth": "3"}),
    ("review-summary", ["birmingham-bdhr-2012-13-04"], {}),
    ("review-summary", ["stafford-dhr-s-2011"], {}),
    ("children-across-households", [f"{REVIEW}/M"], {}),
    ("person-timeline", [PERP], {"from": "2012-06", "to": "2013"}),
    ("review-chronology", ["stafford-dhr-s-2011"], {}),
    ("family", ["stafford-dhr-s-2011/S"], {}),
    ("children-at-incidents", ["birmingham-bdhr-2012-13-04"], {}),
    ("incidents-without-risk-assessment", [], {"days": "28"}),
    ("referrals-not-actioned", [], {"days": "7", "review": "birmingham-bdhr-2012-13-04"}),
]


def _id(inv):
    name, args, named = inv
    return "-".join([name] + [a.split("/")[-1] for a in args] + [f"{k}={v}" for k, v in named.items()])


_RESULTS: dict[str, list] = {}


def _run_all(store) -> list:
    if store.backend not in _RESULTS:
        _RESULTS[store.backend] = [run(store, name, *args, **named) for name, args, named in INVOCATIONS]
    return _RESULTS[store.backend]


def test_every_query_runs_on_gold_with_its_declared_columns(gold):
    from support.queries import library

    results = _run_all(gold)
    for (name, args, named), res in zip(INVOCATIONS, results):
        assert res.columns == list(library().get(name).columns), f"{_id((name, args, named))}: {res.columns}"
    assert sum(bool(r.rows) for r in results) >= 20  # answers that say something, not empty tables


@pytest.mark.neo4j
def test_parity_of_every_query_on_gold(gold_falkordb, gold_neo4j):
    """Issue 3 and 5: the same answers, row for row, on FalkorDB and Neo4j."""
    f, n = _run_all(gold_falkordb), _run_all(gold_neo4j)
    different = [_id(inv) for inv, a, b in zip(INVOCATIONS, f, n) if (a.columns, a.rows) != (b.columns, b.rows)]
    assert different == []
    assert len({name for name, _, _ in INVOCATIONS}) >= 20


# --------------------------------------------------------------------------- issue 5's two findings


def test_prior_partners_finds_pfp_with_west_midlands_police_incidents(gold, case001):
    """Gold 001: the perpetrator's former partner PFP, with the West Midlands Police incidents
    involving both of them, and the flag that none of it was recorded in West Mercia."""
    rows = records(gold, "prior-partners", PERP)
    by_partner = {r["partner"]: r for r in rows}
    pfp = by_partner[f"{REVIEW}/PFP"]
    assert pfp["basis"] == "partner"
    assert pfp["review_force_area"] == "West Mercia"
    assert pfp["nothing_in_review_area"] is True
    expected = sorted(
        e.id for e in case001.case.events
        if {"Perpetrator", "PFP"} <= case001.involved(e) and e.type not in ("life_event", "review_process")
    )
    assert sorted(e["id"] for e in pfp["events"]) == expected
    wmp_incidents = sorted(
        e.id for e in case001.case.events
        if e.type == "incident" and e.agency == "wmp" and {"Perpetrator", "PFP"} <= case001.involved(e)
    )
    assert len(wmp_incidents) >= 3
    found = {e["id"]: e for e in pfp["events"]}
    for eid in wmp_incidents:
        assert found[eid]["agency"] == "West Midlands Police"
        assert found[eid]["force_area"] == "West Midlands"
        assert found[eid]["source"] == case001.events[eid].source  # the evidence: report paragraphs
    assert "West Midlands Police" in pfp["agencies"] and "West Midlands" in pfp["force_areas"]
    assert "West Mercia" not in pfp["force_areas"]
    assert set(pfp["shared_children"]) == {f"{REVIEW}/S1", f"{REVIEW}/S2"}
    # the victim is his current partner: not a prior partner unless asked
    assert f"{REVIEW}/Victim" not in by_partner
    with_current = {r["partner"] for r in records(gold, "prior-partners", PERP, include_current="true")}
    assert f"{REVIEW}/Victim" in with_current


def test_cross_area_history_finds_west_midlands_history_for_a_west_mercia_homicide(gold, case001):
    rows = records(gold, "cross-area-history", REVIEW)
    # before the attack on 2014-03-15 (the review dates the homicide by the death, on the 16th)
    bound = homicide_bound(case001.case)
    expected = set()
    for e in case001.case.events:
        area = case001.event_force_area(e)
        if area is None or area == "West Mercia" or not is_before(e, bound):
            continue
        if not (e.agency or e.type == "incident"):
            continue
        for role in ("victim", "perpetrator"):
            for pid in case001.subjects(role):
                if pid in case001.involved(e):
                    expected.add((role, case001.key(pid), e.id))
    got = {(r["role"], r["person"], r["event"]) for r in rows}
    assert got == expected
    perp_wm = [r for r in rows if r["person"] == PERP and r["force_area"] == "West Midlands"]
    assert len(perp_wm) >= 20
    assert {r["agency"] for r in perp_wm} >= {"West Midlands Police"}
    assert all(r["homicide_force_area"] == "West Mercia" for r in rows)
    assert all(r["source"] for r in perp_wm)
    dates = [case001.events[r["event"]].date.earliest for r in rows]
    assert dates == sorted(dates)


def test_unknown_person_is_reported_with_the_ids_that_exist(gold):
    from dhrkg.graph.canned import ParameterError

    with pytest.raises(ParameterError) as exc:
        run(gold, "prior-partners", f"{REVIEW}/Perpetraitor")
    assert "no person 'north-worcs-dhr-7/Perpetraitor'" in str(exc.value) and "Perpetrator" in str(exc.value)
    with pytest.raises(ParameterError, match="Loaded reviews: birmingham"):
        run(gold, "review-summary", "no-such-review")
