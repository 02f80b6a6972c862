"""Each canned query on small synthetic reviews built for it (tests/fixtures/queries/), with
answers known from how the fixture was built or computed from the case file, on both engines;
and every query's answers identical on FalkorDB and Neo4j."""

from __future__ import annotations

import datetime as dt

import pytest

from dhrkg.model.homicide import homicide_bound, is_before
from support.queries import (
    ANALYST_QUERIES, SYNTHETIC, CaseModel, distances, loaded_stores, records, run, shortest_paths,
)

R = "syn-partners"
K = lambda local: f"{R}/{local}"  # noqa: E731


syn_falkordb, syn_neo4j, syn = loaded_stores(SYNTHETIC, "syn")


@pytest.fixture(scope="module")
def model():
    return CaseModel(next(p for p in SYNTHETIC if p.stem == R))


def ids(events):
    return [e["id"] for e in events]


# --------------------------------------------------------------------------- missed links


def test_prior_partners(syn):
    rows = {r["partner"]: r for r in records(syn, "prior-partners", K("P"))}
    assert set(rows) == {K("X"), K("Y")}  # V is his current partner
    x, y = rows[K("X")], rows[K("Y")]
    assert (x["basis"], x["status"], x["shared_children"]) == ("partner", ["former married, separated 2015"], [K("C1")])
    assert ids(x["events"]) == ["e1", "e2"]  # e3 is about X alone
    assert x["agencies"] == ["Kent Police"] and x["force_areas"] == ["Kent"]
    assert x["review_force_area"] == "Sussex" and x["nothing_in_review_area"] is True
    assert x["events"][0] == {"id": "e1", "date": "2014-05-01", "type": "incident", "agency": "Kent Police",
                              "force_area": "Kent", "source": "5.1"}
    assert x["source"] == ["3.2"]
    assert (y["basis"], y["status"], y["shared_children"]) == ("co-parent", [], [K("C2")])
    assert ids(y["events"]) == ["e4"] and y["nothing_in_review_area"] is False
    with_current = {r["partner"] for r in records(syn, "prior-partners", K("P"), include_current="true")}
    assert with_current == {K("V"), K("X"), K("Y")}
    assert records(syn, "prior-partners", K("Z")) == []


def test_children_across_households(syn):
    rows = {r["child"]: r for r in records(syn, "children-across-households", K("P"))}
    assert set(rows) == {K("C1"), K("C2")}
    c1, c2 = rows[K("C1")], rows[K("C2")]
    assert c1["other_parents"] == [K("X")] and c2["other_parents"] == [K("Y")]
    assert [(h["id"], h["town"], h["force_area"]) for h in c1["households"]] == [("hh-kent", "Maidstone", "Kent")]
    assert [(h["id"], h["force_area"]) for h in c2["households"]] == [("hh-surrey", "Surrey")]
    assert c1["agencies"] == ["Kent Police"] and ids(c1["events"]) == ["e1"]
    assert c2["agencies"] == ["Surrey Children's Services"] and ids(c2["events"]) == ["e13"]
    assert c1["force_areas"] == ["Kent"] and c2["force_areas"] == ["Surrey"]
    assert c1["born"] == "2012-02-03" and c1["source"] == "3.3"


def test_cross_area_history(syn, model):
    rows = records(syn, "cross-area-history", R)
    assert [(r["role"], r["person"], r["event"], r["force_area"]) for r in rows] == [
        ("perpetrator", K("P"), "e1", "Kent"), ("perpetrator", K("P"), "e2", "Kent")]
    assert {r["homicide_force_area"] for r in rows} == {"Sussex"}
    assert [r["source"] for r in rows] == [model.events["e1"].source, model.events["e2"].source]
    assert records(syn, "cross-area-history", "syn-other") == []  # Q's events are all in Kent, his area


def test_risk_not_shared(syn):
    rows = records(syn, "risk-not-shared", review=R)
    assert [(r["event"], r["level"], r["persons"]) for r in rows] == [("e2", "high", [K("P"), K("X")])]
    assert rows[0]["next_sharing"] == {"id": "e3", "date": "2014-08-01", "type": "referral", "agency": "Kent Police",
                                       "source": "5.3"}
    assert rows[0]["force_area"] == "Kent" and rows[0]["tool"] == "DASH"
    # e3 came 91 days after e2: with 100 days it counts as shared
    assert records(syn, "risk-not-shared", review=R, days="100") == []
    # e6 (medium) was followed by the MARAC e7 nine days later: listed only with a shorter window
    assert [r["event"] for r in records(syn, "risk-not-shared", review=R, days="5")] == ["e2", "e6"]
    assert [r["event"] for r in records(syn, "risk-not-shared", review=R, min_level="high", days="5")] == ["e2"]
    # syn-other's high DASH was followed by information sharing: not listed; no review filter: all reviews
    assert [r["review"] for r in records(syn, "risk-not-shared")] == [R]


def test_referrals_not_actioned(syn):
    rows = records(syn, "referrals-not-actioned", review=R)
    assert [(r["referral"], r["from_agency"], r["to_agency"], r["persons"], r["next_action"]) for r in rows] == [
        ("e3", "Kent Police", "IDVA Service", [K("X")], None)]


def test_incidents_without_risk_assessment(syn):
    rows = records(syn, "incidents-without-risk-assessment", review=R)
    # e1 was followed by the DASH e2 next day and e5 by e6: the rest had none within 7 days
    assert [r["incident"] for r in rows] == ["e4", "e8", "e9", "e10"]
    assert {r["perpetrator"] for r in rows} == {K("P")}
    assert rows[0]["victims"] == [K("Y")] and rows[0]["force_area"] == "Sussex"
    # with no days at all, a risk assessment the next day is too late
    assert [r["incident"] for r in records(syn, "incidents-without-risk-assessment", review=R, days="0")] == \
        ["e1", "e4", "e5", "e8", "e9", "e10"]


def test_agencies_saw_both(syn):
    rows = records(syn, "agencies-saw-both", R)
    both = {r["agency"]: r for r in rows if r["finding"] == "saw both"}
    assert set(both) == {"Brighton GP", "Sussex Police"}
    assert ids(both["Brighton GP"]["victim_events"]) == ["e11"] and ids(both["Brighton GP"]["perpetrator_events"]) == ["e14"]
    # e12 is the homicide: not a contact before it
    assert ids(both["Sussex Police"]["victim_events"]) == ["e5", "e6", "e7", "e8", "e9", "e10"]
    pairs = [(r["person"], r["agency"], r["other_agency"]) for r in rows if r["finding"] == "no sharing"]
    # the MARAC e7 (Sussex Police, with the GP and the IDVA service) joins Sussex Police and the GP;
    # the GP's one appointment with P bears on no abuse, so that pair waits for all_pairs
    assert pairs == [(K("P"), "Kent Police", "Sussex Police")]
    pairs = [(r["person"], r["agency"], r["other_agency"])
             for r in records(syn, "agencies-saw-both", R, all_pairs="true") if r["finding"] == "no sharing"]
    assert pairs == [(K("P"), "Kent Police", "Sussex Police"), (K("P"), "Brighton GP", "Kent Police")]
    near = [(r["agency"], r["other_agency"]) for r in records(syn, "agencies-saw-both", R, within_days="365", all_pairs="true")
            if r["finding"] == "no sharing"]
    assert near == []  # Kent's contacts (2014) are years from the others


def test_serial_perpetrators(syn):
    rows = records(syn, "serial-perpetrators")
    assert [(r["perpetrator"], r["partners_abused"]) for r in rows] == [(K("P"), 2)]
    victims = {v["partner"]: v for v in rows[0]["victims"]}
    assert set(victims) == {K("V"), K("X")}  # Y is not a partner (no partner record)
    assert victims[K("X")]["events"] == ["e1"] and victims[K("X")]["kinds"] == ["physical", "threats"]
    assert victims[K("X")]["first"] == "2013-01-01" and victims[K("X")]["last"] == "2015-01-01"
    assert victims[K("V")]["events"] == ["e5", "e8", "e9", "e10", "e12"]
    assert rows[0]["force_areas"] == ["Kent", "Sussex"]
    assert rows[0]["first"] == "2013-01-01" and rows[0]["last"] == "2020-06-01"
    one = {r["perpetrator"] for r in records(syn, "serial-perpetrators", min_partners="1")}
    assert one == {K("P"), "syn-other/Q"}


# --------------------------------------------------------------------------- chronology


def test_escalation(syn, model):
    rows = records(syn, "escalation", R)
    incidents = sorted((e.date.earliest, e.id) for e in model.case.events
                       if e.type == "incident" and "P" in model.involved(e))
    gaps = {eid: (d - incidents[i - 1][0]).days if i else None for i, (d, eid) in enumerate(incidents)}
    quarters: dict[str, list] = {}
    for d, eid in incidents:
        quarters.setdefault(f"{d.year}-Q{(d.month - 1) // 3 + 1}", []).append(eid)
    assert [(r["quarter"], r["incidents"], ids(r["events"])) for r in rows] == [
        (q, len(v), v) for q, v in quarters.items()]
    means = []
    for r in rows:
        g = [gaps[e] for e in ids(r["events"]) if gaps[e] is not None]
        mean = round(sum(g) / len(g), 1) if g else None
        assert r["mean_gap_days"] == mean and r["shortest_gap_days"] == (min(g) if g else None)
        means.append(mean)
        assert [e["gap_days"] for e in r["events"]] == [gaps[e] for e in ids(r["events"])]
    assert [r["shorter_than_before"] for r in rows] == [None, None, False, False, True, True]
    assert means[-2:] == [91.0, 45.0]  # 1 Dec 2019 to 1 Mar 2020 (a leap year), then 45 days


def test_contacts_before_death(syn, model):
    for months, since in ((12, dt.date(2019, 6, 1)), (30, dt.date(2017, 12, 1))):
        rows = records(syn, "contacts-before-death", R, months=str(months))
        expected = {}
        for e in model.case.events:
            who = model.involved(e) & {"P", "V"}
            if not e.agency or not who or not (e.date.latest >= since and e.date.earliest < dt.date(2020, 6, 1)):
                continue
            name = model.agencies[e.agency].name
            v, p = expected.setdefault(name, ([], []))
            if "V" in who:
                v.append(e.date.earliest)
            if "P" in who:
                p.append(e.date.earliest)
        got = {r["agency"]: r for r in rows}
        assert set(got) == set(expected)
        for name, (v, p) in expected.items():
            r = got[name]
            assert (r["victim_contacts"], r["perpetrator_contacts"]) == (len(v), len(p))
            assert r["last_victim_contact"] == (max(v).isoformat() if v else None)
            assert r["last_perpetrator_contact"] == (max(p).isoformat() if p else None)
            assert r["since"] == since.isoformat()
    assert records(syn, "contacts-before-death", R, months="1")[0]["since"] == "2020-05-01"


def test_person_timeline(syn, model):
    rows = records(syn, "person-timeline", K("V"), **{"from": "2020"})
    expected = sorted((e.date.earliest, e.id) for e in model.case.events
                      if "V" in model.involved(e) and e.date.latest >= dt.date(2020, 1, 1))
    assert [r["event"] for r in rows] == [eid for _, eid in expected]
    e12 = rows[-1]
    assert (e12["role"], e12["agency"], e12["force_area"], e12["others"]) == ("victim", "Sussex Police", "Sussex", [K("P")])
    assert [r["event"] for r in records(syn, "person-timeline", K("V"), to="2018-01-10")] == ["e5"]


def test_review_chronology(syn, model):
    rows = records(syn, "review-chronology", R)
    assert [r["event"] for r in rows] == [e.id for e in sorted(model.case.events, key=lambda e: (e.date.earliest, e.date.latest, e.id))]
    assert [r["event"] for r in records(syn, "review-chronology", R, agency="gp")] == ["e11", "e14"]
    assert [r["event"] for r in records(syn, "review-chronology", R, **{"from": "2020-04", "to": "2020-05"})] == \
        ["e10", "e11", "e14"]


# --------------------------------------------------------------------------- network


def test_find_path(syn, model):
    rows = records(syn, "find-path", K("V"), K("X"))
    expected = shortest_paths(model.link_graph(), K("V"), K("X"))
    # V-P by partner or abuse record, then P-X the same way: 2 x 2 shortest paths of 2 hops
    assert len(rows) == len(expected) == 4 and {r["hops"] for r in rows} == {2}
    assert sorted(tuple(n["key"] for n in r["nodes"]) for r in rows) == sorted(
        tuple([K("V")] + [n for _, n in p]) for p in expected)
    assert sorted(tuple(link["type"] for link in r["links"]) for r in rows) == sorted(
        tuple(t for t, _ in p) for p in expected)
    partner_path = next(r for r in rows if [link["type"] for link in r["links"]] == ["PARTNER_OF", "PARTNER_OF"])
    assert partner_path["path"] == f"{K('V')} <-PARTNER_OF- {K('P')} -PARTNER_OF-> {K('X')}"
    assert [link["source"] for link in partner_path["links"]] == ["3.1", "3.2"]
    assert records(syn, "find-path", K("V"), K("Z")) == []  # Z is linked to no one
    assert records(syn, "find-path", K("V"), K("C2"), max_hops="1") == []


def test_connecting_network(syn, model):
    people = [K("V"), K("X"), K("C2")]
    rows = records(syn, "connecting-network", *people)
    adj = model.link_graph()
    expected = set()
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            for path in shortest_paths(adj, a, b):
                nodes = [a] + [n for _, n in path]
                for (t, _), u, w in zip(path, nodes, nodes[1:]):
                    expected.add((t, frozenset((u, w))))
    got = {(r["relationship"], frozenset((r["from"], r["to"]))) for r in rows}
    assert got == expected
    parent = next(r for r in rows if r["relationship"] == "PARENT_OF" and r["to"] == K("C2") and r["from"] == K("P"))
    assert sorted(parent["connects"]) == sorted([f"{K('C2')} ~ {K('V')}", f"{K('C2')} ~ {K('X')}"])


def test_linked(syn, model):
    adj = model.link_graph()
    for depth in (1, 2):
        rows = records(syn, "linked", K("X"), depth=str(depth))
        assert {r["key"]: r["distance"] for r in rows} == distances(adj, K("X"), depth)
    one = {r["key"]: r for r in records(syn, "linked", K("X"), depth="1")}
    assert one[K("P")]["paths"] == 2 and one[K("P")]["via"] == f"{K('X')} <-ABUSED- {K('P')}"
    assert one[K("hh-kent")]["label"] == "Household" and one[f"{R}/e1"]["name"] == "incident 2014-05-01"
    assert records(syn, "linked", K("Z")) == []


# --------------------------------------------------------------------------- people, children, agencies, review


def test_family(syn):
    rows = [(r["relation"], r["person"], r["detail"]) for r in records(syn, "family", K("P"))]
    assert rows == [
        ("abused", K("V"), "coercive_control"), ("abused", K("X"), "physical, threats"),
        ("child", K("C1"), ""), ("child", K("C2"), ""),
        ("partner", K("V"), "current cohabiting"), ("partner", K("X"), "former married, separated 2015"),
    ]
    assert [(r["relation"], r["person"]) for r in records(syn, "family", K("C1"))] == [("parent", K("P")), ("parent", K("X"))]


def test_person_households(syn):
    rows = records(syn, "person-households", K("P"))
    assert [(r["household"], r["from"], r["to"], r["town"], r["force_area"], r["members"]) for r in rows] == [
        ("hh-kent", "2011", "2015", "Maidstone", "Kent", [K("C1"), K("X")]),
        ("hh-sussex", "2017", None, "Brighton", "Sussex", [K("V")]),
    ]
    assert rows[0]["local_authority"] == "Maidstone"


def test_person_force_areas(syn, model):
    rows = records(syn, "person-force-areas", K("P"))
    expected: dict[str, list] = {}
    bound = homicide_bound(model.case)
    for e in model.case.events:  # before the homicide (e12 is the homicide itself)
        if "P" in model.involved(e) and model.event_force_area(e) and is_before(e, bound):
            expected.setdefault(model.event_force_area(e), []).append(e.id)
    assert {r["force_area"]: sorted(r["event_ids"]) for r in rows} == {k: sorted(v) for k, v in expected.items()}
    kent = next(r for r in rows if r["force_area"] == "Kent")
    assert (kent["first"], kent["last"], kent["agencies"], kent["households"]) == (
        "2014-05-01", "2014-05-02", ["Kent Police"], ["hh-kent"])


def test_children_at_incidents(syn):
    rows = records(syn, "children-at-incidents", R)
    # C1 was at the Kent incident and lived with P; C2 was at none and never lived with him
    assert [(r["child"], ids(r["incidents"]), r["households_with_perpetrator"], r["known_to_childrens_services"])
            for r in rows] == [(K("C1"), ["e1"], ["hh-kent"], False)]


def test_agency_events(syn):
    rows = records(syn, "agency-events", K("kent-police"))
    assert [(r["event"], r["persons"], r["referred_to"]) for r in rows] == [
        ("e1", ["C1", "P", "X"], []), ("e2", ["P", "X"], []), ("e3", ["X"], ["IDVA Service"])]


def test_multi_agency_meetings(syn):
    rows = records(syn, "multi-agency-meetings", R)
    assert [(r["event"], r["type"], r["persons"], r["agencies"]) for r in rows] == [
        ("e7", "marac", ["P", "V"], ["Brighton GP", "IDVA Service", "Sussex Police"])]


def test_abuse_relationships(syn):
    rows = records(syn, "abuse-relationships", R)
    assert [(r["abuser"], r["abused"], r["relationship"], r["kinds"], r["certainty"], r["incidents"]) for r in rows] == [
        (K("P"), K("V"), ["partner"], ["coercive_control"], None, ["e10", "e12", "e5", "e8", "e9"]),
        (K("P"), K("X"), ["partner"], ["physical", "threats"], "reported", ["e1"]),
    ]


def test_recommendations(syn):
    rows = records(syn, "recommendations", R)
    assert [(r["recommendation"], r["scope"], r["agencies"]) for r in rows] == [
        ("R1", "single_agency", ["Sussex Police"]), ("R2", "national", [])]


def test_review_summary(syn, model):
    rows = records(syn, "review-summary", R)
    by_section: dict[str, list] = {}
    for r in rows:
        by_section.setdefault(r["section"], []).append(r)
    assert [r["item"] for r in by_section["subject"]] == ["perpetrator: Pat (syn-partners/P)", "victim: Val (syn-partners/V)"]
    assert [r["item"] for r in by_section["child"]] == ["Cal (syn-partners/C1)", "Cleo (syn-partners/C2)"]
    assert by_section["child"][0]["detail"] == "born 2012-02-03, parents: Pat, Xena"
    n = len(model.case.events)
    assert by_section["chronology"][0]["detail"] == f"{n} events from 2014-05-01 to 2020-06-01: 6 incidents, 1 referrals, 1 MARACs"
    assert [r["item"] for r in by_section["risk"]] == ["e2", "e6"]
    assert by_section["agency"][0]["item"] == "Sussex Police"
    assert [r["item"] for r in by_section["force area"]] == ["Sussex", "Kent", "Surrey"]
    review = {r["item"]: r["detail"] for r in by_section["review"]}
    assert review["police force area"] == "Sussex" and review["homicide date"] == "2020-06-01"


def test_reviews_and_find_person(syn, model):
    rows = {r["review"]: r for r in records(syn, "reviews")}
    assert set(rows) == {"syn-partners", "syn-other"}
    assert (rows[R]["persons"], rows[R]["events"], rows[R]["agencies"]) == (
        len(model.case.persons), len(model.case.events), len(model.case.agencies))
    found = [r["person"] for r in records(syn, "find-person", "XENA")]
    assert found == ["syn-other/X", K("X")]
    assert [r["person"] for r in records(syn, "find-person", "former partner")] == [K("X")]  # an alias
    assert [r["person"] for r in records(syn, "find-person", "xena", review="syn-other")] == ["syn-other/X"]


# --------------------------------------------------------------------------- parity


SYNTHETIC_INVOCATIONS = [
    ("prior-partners", [K("P")], {}), ("prior-partners", [K("V")], {"include_current": "true"}),
    ("children-across-households", [K("P")], {}), ("cross-area-history", [R], {}),
    ("risk-not-shared", [], {"days": "5"}), ("agencies-saw-both", [R], {}), ("serial-perpetrators", [], {"min_partners": "1"}),
    ("escalation", [R], {}), ("contacts-before-death", [R], {"months": "30"}),
    ("find-path", [K("V"), K("X")], {}), ("connecting-network", [K("V"), K("X"), K("C2")], {}),
    ("linked", [K("X")], {"depth": "3"}), ("review-summary", [R], {}), ("reviews", [], {}),
    ("find-person", ["x"], {}), ("person-timeline", [K("P")], {}), ("review-chronology", [R], {}),
    ("person-households", [K("P")], {}), ("family", [K("P")], {}), ("referrals-not-actioned", [], {}),
    ("incidents-without-risk-assessment", [], {}), ("children-at-incidents", [R], {}),
    ("person-force-areas", [K("P")], {}), ("agency-events", [K("sussex-police")], {}),
    ("recommendations", [R], {}), ("abuse-relationships", [R], {}), ("multi-agency-meetings", [R], {}),
]


def test_synthetic_invocations_cover_every_query():
    assert {name for name, _, _ in SYNTHETIC_INVOCATIONS} == set(ANALYST_QUERIES)


@pytest.mark.neo4j
def test_parity_on_synthetic_reviews(syn_falkordb, syn_neo4j):
    different = []
    for name, args, named in SYNTHETIC_INVOCATIONS:
        f = run(syn_falkordb, name, *args, **named)
        n = run(syn_neo4j, name, *args, **named)
        if (f.columns, f.rows) != (n.columns, n.rows):
            different.append(name)
    assert different == []
