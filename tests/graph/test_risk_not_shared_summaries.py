"""risk-not-shared from the index on Event.risk_level and its summaries (any_sharing_after,
summary_agency, summary_persons, summary_force_area: dhrkg.graph.summaries) gives the rows of
the query it replaced, on both engines: generated reviews with assessments at every level,
referrals, sharing, post-homicide steps that share, partial dates, events with and without a
place or an agency; for several levels, windows and bounds. The summaries stay right after a
review is replaced and after one is deleted."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
import yaml

from dhrkg.model import load_case
from support.queries import library, run

#: risk-not-shared with none of its summaries (the portable text as it was, less its prefilter on
#: first_sharing_from): the full logic, the reference.
BEFORE = """
WITH ['none', 'low', 'standard', 'medium', 'high'] AS scale
WITH [i IN range(0, size(scale) - 1) WHERE i >= [j IN range(0, size(scale) - 1) WHERE scale[j] = $min_level][0] | scale[i]] AS levels
MATCH (ra:Event {type: 'risk_assessment'})
WHERE ra.risk_level IN levels
  AND ($review IS NULL OR ra.review = $review)
  AND NOT coalesce(ra.shares, false)
MATCH (r:Review {key: ra.review})
WITH ra, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
WHERE (ra.date_to < bound OR (ra.date_from < bound AND NOT ra.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
WITH ra, bound, toString(date(ra.date_to) + duration({days: $days})) AS until,
     ['referral', 'marac', 'mappa', 'child_protection', 'information_sharing', 'disclosure'] AS sharing
WITH ra, until,
     [(ra)<-[:INVOLVED]-(:Person)-[:INVOLVED]->(f:Event)
        WHERE f <> ra AND f.review = ra.review AND f.date_to >= ra.date_from AND (f.date_to < bound OR (f.date_from < bound AND NOT f.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
          AND (f.type IN sharing OR f.shares) | f] AS later
WHERE NONE(f IN later WHERE f.date_from <= until)
WITH ra, reduce(acc = [], f IN later |
       [g IN acc WHERE g.date_from + g.key < f.date_from + f.key] + [f] + [g IN acc WHERE g.date_from + g.key >= f.date_from + f.key]) AS sorted_later
WITH ra, head(sorted_later) AS nxt
RETURN ra.review AS review,
       ra.id AS event,
       ra.date AS date,
       head([(ra)-[:RECORDED_BY]->(ag:Agency) | ag.name]) AS agency,
       ra.risk_tool AS tool,
       ra.risk_level AS level,
       reduce(acc = [], k IN [(ra)<-[:INVOLVED]-(p:Person) | p.key] |
              [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS persons,
       coalesce(head([(ra)-[:LOCATED_IN]->(epfa:Area) WHERE epfa.kind = 'police_force_area' | epfa.name]),
                head([(ra)-[:RECORDED_BY]->(:Agency)-[:SERVES]->(apfa:Area) WHERE apfa.kind = 'police_force_area' | apfa.name])) AS force_area,
       CASE WHEN nxt IS NULL THEN NULL ELSE
         {id: nxt.id, date: nxt.date, type: nxt.type, agency: head([(nxt)-[:RECORDED_BY]->(na:Agency) | na.name]), source: nxt.source} END AS next_sharing,
       ra.source AS source
ORDER BY review, ra.date_from, event
"""

FORCES = ["Kent", "Sussex", "Surrey", "Essex", None]
LEVELS = ["none", "low", "standard", "medium", "high", None]
FOLLOW_UPS = ["referral", "marac", "mappa", "child_protection", "information_sharing", "disclosure"]
OTHERS = ["incident", "call", "appointment", "court", "arrest", "conviction", "home_visit"]
PARAMS = [{"min_level": "low"}, {"min_level": "medium"}, {"min_level": "high", "days": "7"},
          {"min_level": "standard", "days": "90"}, {"min_level": "low", "before": "2017-06-01"}, {"min_level": "low", "days": "0"}]


def date(rng: random.Random) -> str:
    d = f"{rng.randint(2014, 2019)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return rng.choice([d, d, d, d[:7], d[:4]])


def review(rng: random.Random, rid: str) -> dict:
    persons = [{"id": f"p{i}", "name": f"Person {i}", "roles": ["family"]} for i in range(rng.randint(3, 7))]
    agencies = [{"id": f"a{i}", "name": f"Agency {i} of {rid}", "type": "police",
                 **({"police_force_area": f} if (f := rng.choice(FORCES)) else {})} for i in range(rng.randint(1, 4))]
    events = []
    for i in range(rng.randint(20, 40)):
        kind = rng.choice(["risk_assessment"] * 8 + FOLLOW_UPS + OTHERS)
        e = {"id": f"e{i}", "date": date(rng), "type": kind, "source": f"{i}.1",
             "persons": rng.sample([p["id"] for p in persons], rng.randint(0, 2))}
        if rng.random() < 0.85:
            e["agency"] = rng.choice(agencies)["id"]
        if kind == "risk_assessment":
            level = rng.choice(LEVELS)
            e["risk"] = {"tool": "DASH", **({"level": level} if level else {})}
        if rng.random() < 0.2:
            e["shared_with"] = [rng.choice(agencies)["id"]]
        if kind == "referral" and rng.random() < 0.7:
            e["referral_to"] = rng.choice(agencies)["id"]
        if rng.random() < 0.3 and (f := rng.choice(FORCES)):
            e["place"] = {"police_force_area": f}
        events.append(e)
    if rng.random() < 0.5:
        events.append({"id": "hx", "date": date(rng), "type": "homicide", "persons": [persons[0]["id"]]})
    r = {"id": rid, "title": f"Generated {rid}", "police_force_area": "Kent"}
    if rng.random() < 0.7:
        r["homicide_date"] = date(rng)
    return {"format": "dhr-case/1", "review": r, "persons": persons, "agencies": agencies, "events": events}


@pytest.fixture(scope="module")
def risk_files(tmp_path_factory):
    rng = random.Random(2026)
    d = tmp_path_factory.mktemp("risk")
    files = []
    for n in range(10):
        f = d / f"risk-{n}.yaml"
        f.write_text(yaml.safe_dump(review(rng, f"risk-{n}")), encoding="utf-8")
        files.append(f)
    return files


@pytest.fixture
def risky(store, risk_files):
    for f in risk_files:
        store.load_case(load_case(f))
    return store


def same_as_before(store) -> int:
    """Assert the query's rows equal the reference's for every parameter set; rows compared."""
    from dhrkg.graph import canned

    q = library().get("risk-not-shared")
    compared = 0
    for given in PARAMS:
        params = canned.bind(q, given)
        now = [list(r) for r in run(store, "risk-not-shared", **given).rows]
        before = [list(r) for r in store.query(BEFORE, params).rows]
        assert now == before, (store.backend, given)
        compared += len(now)
    return compared


def test_rows_are_those_of_the_query_before_its_summaries(risky):
    assert same_as_before(risky) > 100
    followed = [r for r in run(risky, "risk-not-shared", min_level="low").rows if r[8] is not None]
    assert followed  # some rows walked to a later referral or sharing


def test_summaries_stay_right_after_a_replacement_and_a_delete(risky, risk_files):
    case = load_case(risk_files[0])
    changed = copy.deepcopy(case)
    for e in changed.events:
        if e.type == "risk_assessment":
            e.agency = changed.agencies[-1].id  # another agency (and force area)
            e.persons = [p.id for p in changed.persons[:2]]
    changed.events.append(copy.deepcopy(next(e for e in changed.events if e.type == "risk_assessment")))
    changed.events[-1].id = "e-new"
    risky.load_case(changed)
    assert same_as_before(risky) > 100
    risky.delete_review("risk-1")
    assert same_as_before(risky) > 100
    assert risky.query("MATCH (ra:Event {type: 'risk_assessment'}) WHERE ra.any_sharing_after IS NULL "
                       "RETURN count(ra)").rows == [[0]]
    risky.load_case(case)  # back as it was
    assert same_as_before(risky) > 100


def test_the_falkordb_variant_starts_from_the_levels_index(store_falkordb):
    from dhrkg.graph import canned

    q = library().get("risk-not-shared")
    plan = str(store_falkordb._graph.explain(q.text_for("falkordb"), canned.bind(q, {"min_level": "high"})))
    assert "Node By Index Scan | (ra:Event)" in plan and "Unwind" in plan, plan
