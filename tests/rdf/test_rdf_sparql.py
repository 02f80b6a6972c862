"""SPARQL versions of three canned queries, on the RDF export loaded into pyoxigraph, give the
same answers as the Cypher queries on the graph store (FalkorDB; Neo4j too when available)."""

from __future__ import annotations

import itertools

import io
from collections import Counter

import pytest

from dhrkg.model.dates import PartialDate
from dhrkg.ontology import sparql
from dhrkg.ontology.export import ExportOptions, export_cases

from support.rdf_cases import gold_cases

pytest.importorskip("pyoxigraph")


@pytest.fixture(scope="module")
def golds():
    return gold_cases()


@pytest.fixture(scope="module")
def oxstore(golds, tmp_path_factory):
    path = tmp_path_factory.mktemp("sparql") / "gold.nq"
    with open(path, "w", encoding="utf-8") as out:
        export_cases(golds, out, "nq", ExportOptions())
    return sparql.load_store(str(path))


@pytest.fixture
def graph(store, golds):
    for case in golds:
        store.load_case(case)
    return store


#: Both bounds are compared: the default (before the homicide of the person's review) and one
#: moved past every date (--param before=9999-12-31).
ALL_TIME = "9999-12-31"
BOUNDS = (None, ALL_TIME)


def cypher(store, name: str, **values):
    from dhrkg.graph.canned import bind, load_library, run

    q = load_library(include_user=False).get(name)
    return run(store, q, bind(q, values)).records()


def _date_key(d):
    return PartialDate.parse(d).earliest if d else None


def partners_of_interest(golds) -> list[str]:
    """Everyone in a partner relationship, and everyone with a child by two parents (co-parents)."""
    keys = set()
    for case in golds:
        parents: dict[str, list[str]] = {}
        for r in case.relationships:
            if r.type == "partner":
                keys.update({f"{case.review.id}/{r.from_}", f"{case.review.id}/{r.to}"})
            elif r.type == "parent":
                parents.setdefault(r.to, []).append(r.from_)
        for ps in parents.values():
            if len(ps) > 1:
                keys.update(f"{case.review.id}/{p}" for p in ps)
    return sorted(keys)


def parents_of_interest(golds) -> list[str]:
    return sorted({f"{c.review.id}/{r.from_}" for c in golds for r in c.relationships if r.type == "parent"})


def _events(events, columns=("id", "date", "type", "agency", "force_area", "source")):
    return [{k: e.get(k) for k in columns} for e in events if e]


def test_prior_partners_sparql_equals_cypher(graph, oxstore, golds):
    people = partners_of_interest(golds)
    assert len(people) > 10
    compared = 0
    for (i, key), before in itertools.product(enumerate(people), BOUNDS):
        for include_current in ((False, True) if i % 2 == 0 else (False,)):
            theirs = cypher(graph, "prior-partners", person=key, include_current=include_current,
                            **({"before": before} if before else {}))
            ours = sparql.prior_partners(oxstore, key, include_current=include_current, before=before)
            assert [r["partner"] for r in ours] == [r["partner"] for r in theirs], key
            for a, b in zip(ours, theirs):
                assert a["name"] == b["name"]
                assert a["basis"] == b["basis"], (key, a["partner"])
                assert a["shared_children"] == b["shared_children"], (key, a["partner"])
                assert _events(a["events"]) == _events(b["events"]), (key, a["partner"])
                assert a["agencies"] == b["agencies"], (key, a["partner"])
                assert a["force_areas"] == b["force_areas"], (key, a["partner"])
                assert a["review_force_area"] == b["review_force_area"]
                assert a["nothing_in_review_area"] == bool(b["nothing_in_review_area"]), (key, a["partner"])
                compared += 1
    assert compared > 10


def test_children_across_households_sparql_equals_cypher(graph, oxstore, golds):
    parents = parents_of_interest(golds)
    assert len(parents) > 5
    compared = 0
    for key, before in itertools.product(parents, BOUNDS):
        theirs = cypher(graph, "children-across-households", person=key, **({"before": before} if before else {}))
        ours = sparql.children_across_households(oxstore, key, before=before)
        assert [r["child"] for r in ours] == [r["child"] for r in theirs], key
        for a, b in zip(ours, theirs):
            assert a["name"] == b["name"] and a["born"] == b["born"]
            assert a["other_parents"] == b["other_parents"], (key, a["child"])
            assert Counter(h["id"] for h in a["households"]) == Counter(h["id"] for h in b["households"] if h)
            assert {(h["id"], h["force_area"]) for h in a["households"]} == \
                {(h["id"], h["force_area"]) for h in b["households"] if h}
            columns = sorted({k for e in b["events"] if e for k in e}) or ["id"]
            assert _events(a["events"], columns) == _events(b["events"], columns), (key, a["child"])
            assert set(a["agencies"]) == set(b["agencies"])
            assert set(a["force_areas"]) == set(b["force_areas"])
            compared += 1
    assert compared > 5


def test_review_chronology_sparql_equals_cypher(graph, oxstore, golds):
    for case in golds:
        theirs = cypher(graph, "review-chronology", review=case.review.id)
        theirs = sorted(theirs, key=lambda r: (_date_key(r["date"]), r["event"]))
        ours = sparql.review_chronology(oxstore, case.review.id)
        assert len(ours) == len(theirs) == len(case.events)
        for a, b in zip(ours, theirs):
            for col in ("date", "event", "type", "agency", "persons", "summary", "source"):
                assert a[col] == b[col], (case.review.id, a["event"], col)


def test_review_chronology_sparql_equals_the_case_file(oxstore, golds):
    """The same answers computed straight from the case file (no graph needed)."""
    for case in golds:
        agencies = {a.id: a.name for a in case.agencies}
        expected = []
        for e in case.events:
            persons = set(e.persons)
            if e.abuse:
                persons |= {x for x in [e.abuse.perpetrator, e.abuse.victim, *(e.abuse.victims or [])] if x}
            expected.append({"date": str(e.date), "event": e.id, "type": e.type,
                             "agency": agencies.get(e.agency), "persons": sorted(persons),
                             "summary": e.summary, "source": e.source})
        expected.sort(key=lambda r: (_date_key(r["date"]), r["event"]))
        assert sparql.review_chronology(oxstore, case.review.id) == expected


def test_query_parameters_cannot_inject():
    with pytest.raises(ValueError):
        sparql.bind("SELECT * WHERE { $person ?p ?o }", person=sparql.IRI("x> } ; DROP ALL ; <y"))
    text = sparql.bind("SELECT * WHERE { ?s ?p $name }", name='a" } DROP ALL {"')
    assert 'DROP ALL {\\"' in text
    with pytest.raises(KeyError):
        sparql.bind("SELECT * WHERE { $missing ?p ?o }")


def test_export_is_loadable_as_a_string_too(golds):
    buf = io.StringIO()
    export_cases(golds[:1], buf, "nt", ExportOptions())
    import pyoxigraph as ox

    store = ox.Store()
    store.load(buf.getvalue(), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) > 1000


def test_sparql_default_bound_drops_events_after_the_homicide(oxstore, golds):
    """The default bound is not vacuous: some pair or child has events after the homicide that
    only the moved bound lists, and none of the bounded events is a post-homicide step dated after it."""
    dropped = 0
    for key in partners_of_interest(golds):
        bounded = sum(len(p["events"]) for p in sparql.prior_partners(oxstore, key, include_current=True))
        every = sum(len(p["events"]) for p in sparql.prior_partners(oxstore, key, include_current=True, before=ALL_TIME))
        assert bounded <= every
        dropped += every - bounded
    for key in parents_of_interest(golds):
        bounded = sum(len(c["events"]) for c in sparql.children_across_households(oxstore, key))
        every = sum(len(c["events"]) for c in sparql.children_across_households(oxstore, key, before=ALL_TIME))
        dropped += every - bounded
    assert dropped > 0


def test_the_sparql_bound_is_the_case_file_s_also_without_a_homicide_date(tmp_path):
    """A review with no homicide date (a suicide) is bounded by its victim's death, in SPARQL as
    in the Cypher queries and the case file (dhrkg.model.homicide)."""
    from pathlib import Path

    from dhrkg.model import load_case
    from dhrkg.model.homicide import homicide_bound

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "after-homicide"
    cases = [load_case(fixtures / "syn-no-homicide-date.yaml"), *gold_cases()]
    path = tmp_path / "cases.nq"
    with open(path, "w", encoding="utf-8") as out:
        export_cases(cases, out, "nq", ExportOptions())
    store = sparql.load_store(str(path))
    for case in cases:
        victim = next(p for p in case.persons if "victim" in (p.roles or []))
        assert sparql.homicide_bound(store, f"{case.review.id}/{victim.id}") == homicide_bound(case), case.review.id
    assert str(homicide_bound(cases[0])) == "2021-03-01"
