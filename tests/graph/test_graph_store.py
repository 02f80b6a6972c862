"""The graph store on both engines: counts computed from the case files, idempotent loads,
replace-on-reload, delete, concurrent loads, read-only queries."""

from __future__ import annotations

import copy
import threading
from collections import Counter
from pathlib import Path

import pytest

from dhrkg.graph import WriteNotAllowed
from dhrkg.graph.schema import RELATIONSHIP_TYPES, area_key
from dhrkg.model import load_case
from dhrkg.model.model import CaseFile

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))


def expected_counts(case: CaseFile) -> tuple[Counter, Counter]:
    """Node counts per label and relationship counts per type, read off the case file."""
    nodes: Counter = Counter(Review=1, Source=1)
    for section, label in (("persons", "Person"), ("households", "Household"), ("agencies", "Agency"),
                           ("events", "Event"), ("recommendations", "Recommendation")):
        if getattr(case, section):
            nodes[label] = len(getattr(case, section))
    rels: Counter = Counter()
    areas: set = set()

    def located(kind_values, rel="LOCATED_IN"):
        keys = {area_key(kind, value)[0] for kind, value in kind_values if value}
        areas.update(keys)
        rels[rel] += len(keys)

    r = case.review
    located([("local_authority", r.local_authority), ("police_force_area", r.police_force_area)])
    located([("csp", r.commissioned_by)], "COMMISSIONED_BY")
    for rel in case.relationships:
        rels[RELATIONSHIP_TYPES[rel.type]] += 1
    for p in case.persons:
        rels["SUBJECT_OF"] += len({"victim", "perpetrator"} & set(p.roles))
    for h in case.households:
        rels["MEMBER_OF"] += len(h.members)
        if h.location:
            loc = h.location
            located([("town", loc.town), ("local_authority", loc.local_authority),
                     ("police_force_area", loc.police_force_area), ("country", loc.country)])
    for a in case.agencies:
        located([("police_force_area", a.police_force_area)], "SERVES")
    for e in case.events:
        people = set(e.persons)
        if e.abuse:
            people |= {e.abuse.perpetrator, e.abuse.victim, *(e.abuse.victims or [])} - {None}
        rels["INVOLVED"] += len(people)
        rels["RECORDED_BY"] += e.agency is not None
        rels["REFERRED_TO"] += e.referral_to is not None
        rels["SHARED_WITH"] += len(set(e.shared_with))
        rels["TOOK_PART"] += len(set(e.other_agencies))
        if e.place:
            pl = e.place
            located([("town", pl.town), ("local_authority", pl.local_authority),
                     ("police_force_area", pl.police_force_area), ("country", pl.country)])
    for rec in case.recommendations:
        rels["ADDRESSED_TO"] += len({rec.agency, *rec.agencies} - {None})
    records = case.persons + case.households + case.agencies + case.events + case.recommendations
    rels["PART_OF"] = len(records) + 1  # + the Source
    rels["SUPPORTED_BY"] = sum(1 for x in records if getattr(x, "source", None))
    if areas:
        nodes["Area"] = len(areas)
    return +nodes, +rels


def graph_counts(store, review: str) -> tuple[Counter, Counter]:
    """Counts straight from the graph (not from the store's own stats)."""
    nodes = Counter({row[0]: row[1] for row in store.query(
        "MATCH (n) WHERE n.review = $r RETURN labels(n)[0] AS label, count(n) AS n", {"r": review}).rows})
    areas = store.query("MATCH (n)-[e]->(a:Area) WHERE n.review = $r RETURN count(DISTINCT a) AS n", {"r": review}).rows
    if areas and areas[0][0]:
        nodes["Area"] = areas[0][0]
    rels = Counter({row[0]: row[1] for row in store.query(
        "MATCH (a)-[e]->(b) WHERE a.review = $r RETURN type(e) AS t, count(e) AS n", {"r": review}).rows})
    return +nodes, +rels


def snapshot(store) -> list:
    """Every node and relationship with its properties, as comparable data."""
    nodes = store.query("MATCH (n) RETURN labels(n) AS l, properties(n) AS p").rows
    rels = store.query(
        "MATCH (a)-[e]->(b) RETURN a.key AS a, type(e) AS t, b.key AS b, properties(e) AS p").rows
    norm = lambda rows: sorted(repr(sorted(r[-1].items())) + repr(r[:-1]) for r in rows)  # noqa: E731
    return [norm(nodes), norm(rels)]


@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_counts_per_label_and_type_match_the_case_file(store, path):
    case = load_case(path)
    report = store.load_case(case)
    want_nodes, want_rels = expected_counts(case)
    assert graph_counts(store, case.review.id) == (want_nodes, want_rels)
    assert Counter(report.nodes) == want_nodes and Counter(report.relationships) == want_rels
    stats = store.stats(case.review.id)
    assert Counter(stats["nodes"]) == want_nodes and Counter(stats["relationships"]) == want_rels
    assert not report.replaced


def test_all_gold_files_together_keep_their_own_counts(store):
    cases = [load_case(p) for p in GOLD]
    for c in cases:
        store.load_case(c)
    for c in cases:
        assert graph_counts(store, c.review.id) == expected_counts(c)
    total = store.stats()
    assert total["nodes"]["Review"] == len(cases)
    assert set(total["reviews"]) == {c.review.id for c in cases}
    assert sum(v["nodes"] for v in total["reviews"].values()) + total["nodes"].get("Area", 0) == sum(total["nodes"].values())


def test_loading_twice_changes_nothing(store):
    case = load_case(GOLD[1])
    store.load_case(case)
    before = snapshot(store)
    report = store.load_case(case)
    assert report.replaced and report.nodes_deleted == sum(v for k, v in report.nodes.items() if k != "Area")
    assert snapshot(store) == before


def _revised(case: CaseFile) -> tuple[CaseFile, str, str]:
    """The same review with a person dropped (and every reference to them) and an event changed."""
    data = case.to_data()
    drop = next(p["id"] for p in data["persons"] if "victim" not in p.get("roles", []) and "perpetrator" not in p.get("roles", []))
    data["persons"] = [p for p in data["persons"] if p["id"] != drop]
    data["relationships"] = [r for r in data.get("relationships", []) if drop not in (r["from"], r["to"])]
    for h in data.get("households", []):
        h["members"] = [m for m in h.get("members", []) if (m if isinstance(m, str) else m["person"]) != drop]
    kept_events = []
    for e in data.get("events", []):
        e["persons"] = [p for p in e.get("persons", []) if p != drop]
        ab = e.get("abuse")
        if ab and (ab.get("perpetrator") == drop or ab.get("victim") == drop or drop in ab.get("victims", [])):
            continue
        kept_events.append(e)
    data["events"] = kept_events
    changed = data["events"][0]
    changed["date"] = "1999-02"
    changed["summary"] = "revised summary"
    changed.pop("agency", None)
    return CaseFile.model_validate(data), drop, changed["id"]


def test_reloading_a_revised_file_replaces_the_review_completely(store):
    original = load_case(GOLD[1])
    other = load_case(GOLD[0])
    store.load_case(other)
    other_before = snapshot(store)
    store.load_case(original)
    revised, dropped, event_id = _revised(original)
    store.load_case(revised)
    rid = revised.review.id
    assert graph_counts(store, rid) == expected_counts(revised)
    assert store.query("MATCH (p:Person {key: $k}) RETURN count(p) AS n", {"k": f"{rid}/{dropped}"}).rows == [[0]]
    assert store.query("MATCH ()-[e]->() WHERE e.review = $r AND (startNode(e).key = $k OR endNode(e).key = $k) "
                       "RETURN count(e) AS n", {"r": rid, "k": f"{rid}/{dropped}"}).rows == [[0]]
    ev = store.query("MATCH (e:Event {key: $k}) RETURN e.date AS d, e.date_from AS f, e.summary AS s, "
                     "size([(e)-[:RECORDED_BY]->(a) | a]) AS agencies", {"k": f"{rid}/{event_id}"}).records()
    assert ev == [{"d": "1999-02", "f": "1999-02-01", "s": "revised summary", "agencies": 0}]
    # the fresh load of the revised file gives the same graph as the replacement did
    after_replace = snapshot(store)
    store.delete_review(rid)
    store.load_case(revised)
    assert snapshot(store) == after_replace
    # and the other review is as it was
    store.delete_review(rid)
    assert snapshot(store)[1] == other_before[1]
    assert graph_counts(store, other.review.id) == expected_counts(other)


def test_delete_removes_one_review_and_keeps_shared_areas(store):
    a, b = load_case(GOLD[0]), load_case(GOLD[1])
    store.load_case(a)
    only_a = snapshot(store)
    store.load_case(b)
    deleted = store.delete_review(b.review.id)
    assert deleted == sum(v for k, v in expected_counts(b)[0].items() if k != "Area")
    assert store.query("MATCH (n) WHERE n.review = $r RETURN count(n) AS n", {"r": b.review.id}).rows == [[0]]
    assert store.query("MATCH ()-[e]->() WHERE e.review = $r RETURN count(e) AS n", {"r": b.review.id}).rows == [[0]]
    nodes, rels = snapshot(store)
    # review A is exactly as it was; B's areas stay (shared), without relationships
    assert rels == only_a[1]
    assert set(only_a[0]) <= set(nodes)
    extra = [n for n in nodes if n not in only_a[0]]
    assert extra and all("'Area'" in n for n in extra)
    assert store.delete_review(b.review.id) == 0


def test_concurrent_loads_of_different_reviews(store, request):
    cases = [load_case(p) for p in GOLD]
    errors = []
    # each thread its own store on the same graph/database
    if store.backend == "falkordb":
        from dhrkg.graph.falkordb import FalkorDBStore

        make = lambda: FalkorDBStore(store.data_dir, graph=store.graph_name)  # noqa: E731
    else:
        from dhrkg.graph.neo4j import Neo4jStore

        make = lambda: Neo4jStore(store.settings)  # noqa: E731

    def work(case):
        try:
            with make() as s:
                for _ in range(3):
                    s.load_case(case)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    for c in cases:
        assert graph_counts(store, c.review.id) == expected_counts(c)
    # no Area twice
    dupes = store.query("MATCH (a:Area) WITH a.key AS k, count(a) AS n WHERE n > 1 RETURN k").rows
    assert dupes == []


def test_query_is_read_only_on_both_levels(store):
    store.load_case(load_case(GOLD[0]))
    with pytest.raises(WriteNotAllowed, match="CREATE"):
        store.query("CREATE (n:Person {key: 'x'}) RETURN n")
    # past the check (calling the engine directly), the engine itself refuses in read-only mode
    with pytest.raises(Exception):
        store._read("CREATE (n:Person {key: 'x'}) RETURN n", {}, None)
    assert store.query("MATCH (n:Person {key: 'x'}) RETURN count(n) AS n").rows == [[0]]


def test_parameters_are_bound_not_pasted(store):
    store.load_case(load_case(GOLD[0]))
    tricky = "x'}) MATCH (n) DETACH DELETE n //\"\\"
    res = store.query("RETURN $v AS v, size($v) AS n", {"v": tricky})
    assert res.rows == [[tricky, len(tricky)]]
    res = store.query("MATCH (r:Review) WHERE r.id = $id RETURN r.id AS id", {"id": "' OR 1=1 //"})
    assert res.rows == []


def test_result_values_are_plain(store):
    case = load_case(GOLD[1])
    store.load_case(case)
    res = store.query(
        "MATCH p = (a:Person {key: $k})-[e:SUBJECT_OF]->(r:Review) RETURN a, e, p, a.aliases AS aliases, "
        "{id: a.id, n: 1} AS m, 1.5 AS f, true AS b, null AS z", {"k": f"{case.review.id}/Victim"})
    row = res.records()[0]
    assert row["a"]["labels"] == ["Person"] and row["a"]["properties"]["key"] == f"{case.review.id}/Victim"
    assert row["e"] == {"type": "SUBJECT_OF", "properties": {"review": case.review.id, "role": "victim"}}
    assert [n["labels"] for n in row["p"]["nodes"]] == [["Person"], ["Review"]]
    assert [r["type"] for r in row["p"]["relationships"]] == ["SUBJECT_OF"]
    assert row["aliases"] == case.person("Victim").aliases
    assert (row["m"], row["f"], row["b"], row["z"]) == ({"id": "Victim", "n": 1}, 1.5, True, None)


def test_partial_dates_answer_range_questions(store):
    case = load_case(GOLD[0])
    store.load_case(case)
    month_events = [e for e in case.events if e.date.precision == "month"]
    assert month_events
    e = month_events[0]
    mid = f"{e.date.year:04d}-{e.date.month:02d}-15"
    prev_end = (e.date.earliest.replace(day=1) - __import__("datetime").timedelta(days=1)).isoformat()
    rows = store.query("MATCH (e:Event {key: $k}) RETURN e.date_from < $mid AS before_mid, e.date_to > $prev AS after_prev, "
                       "e.date_precision AS p, e.date AS d",
                       {"k": f"{case.review.id}/{e.id}", "mid": mid, "prev": prev_end}).rows
    assert rows == [[True, True, "month", str(e.date)]]


def test_timeout_is_applied(store):
    # a cross product that runs for far longer than 1 ms, and far longer than the ~2 s between
    # Neo4j's checks for transactions past their timeout (9M rows could finish before a check)
    with pytest.raises(Exception):
        store.query("UNWIND range(1, 20000) AS a UNWIND range(1, 20000) AS b WITH a, b WHERE a * b % 7 = 3 "
                    "RETURN count(*) AS n", timeout_ms=1)
