"""The pre-computed summaries of the national scans (dhrkg.graph.summaries), on both engines:
set by the load itself, recomputed by a replacement, brought up to date when a store opens on a
graph loaded without them, and the scans' answers the same with or without them."""

from __future__ import annotations

import copy
from pathlib import Path

from dhrkg.graph import canned
from dhrkg.graph.summaries import SUMMARY_VERSION
from dhrkg.model import load_case

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "queries"
R = "syn-partners"
SCANS = {"serial-perpetrators": {"min_partners": "1"}, "incidents-without-risk-assessment": {},
         "risk-not-shared": {"min_level": "low"}, "referrals-not-actioned": {}}


def summaries(store) -> dict:
    people = store.query("MATCH (p:Person) WHERE p.abused_partners IS NOT NULL "
                         "RETURN p.key AS k, p.abused_partners AS n ORDER BY k").rows
    events = store.query("MATCH (e:Event) RETURN e.key AS k, e.first_assessment_from AS a, e.first_sharing_from AS s, "
                         "e.shares AS sh ORDER BY k").rows
    return {"people": people, "events": events}


def scans(store) -> dict:
    lib = {q.name: q for q in canned.load_library(include_user=False)}
    return {name: canned.run(store, lib[name], canned.bind(lib[name], params)).rows for name, params in SCANS.items()}


def test_load_sets_summaries(store):
    store.load_case(load_case(FIXTURES / f"{R}.yaml"))
    s = summaries(store)
    assert s["people"] == [[f"{R}/P", 2]]  # P abused V and X (see test_queries_synthetic)
    events = {k: (a, sh) for k, a, _, sh in s["events"]}
    assert events[f"{R}/e1"][0] == "2014-05-02"  # the assessment the day after the first incident
    assert all(sh in (True, False) for _, sh in events.values())
    assert store.query("MATCH (r:Review {key: $r}) RETURN r.summary_version", {"r": R}).rows == [[SUMMARY_VERSION]]
    assert store.stale_reviews() == []


def test_replacement_recomputes_summaries(store):
    case = load_case(FIXTURES / f"{R}.yaml")
    store.load_case(case)
    changed = copy.deepcopy(case)
    # P no longer abuses X: drop the abuse relationship and every event naming X as victim
    changed.relationships = [r for r in changed.relationships if not (r.type == "abuse" and r.to == "X")]
    for e in changed.events:
        if e.abuse is not None and "X" in (getattr(e.abuse, "victims", None) or [getattr(e.abuse, "victim", None)]):
            e.abuse = None
    store.load_case(changed)
    assert summaries(store)["people"] == [[f"{R}/P", 1]]


def test_store_brings_stale_reviews_up_to_date(store):
    for f in sorted(FIXTURES.glob("*.yaml")):
        store.load_case(load_case(f))
    before_summaries, before_scans = summaries(store), scans(store)
    # a graph as an older dhrkg left it: no summaries at all
    store._write("MATCH (p:Person) SET p.abused_partners = NULL")
    store._write("MATCH (e:Event) SET e.first_assessment_from = NULL, e.first_sharing_from = NULL, e.shares = NULL")
    store._write("MATCH (r:Review) SET r.summary_version = NULL")
    assert sorted(store.stale_reviews()) == sorted(f.stem for f in FIXTURES.glob("*.yaml"))
    assert sorted(store.ensure_summaries()) == sorted(f.stem for f in FIXTURES.glob("*.yaml"))
    assert summaries(store) == before_summaries
    assert scans(store) == before_scans
    assert store.stale_reviews() == []
