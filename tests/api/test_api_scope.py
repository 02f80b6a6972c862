"""A chair sees only rows of the reviews granted to her, over real HTTP, on both engines: two
reviews joined through an identity (the perpetrator of one is a person of the other), and the
person-centred queries that follow the link answer the chair without the other review."""

from __future__ import annotations

import httpx
import pytest

from dhrkg.api.scope import RowScope
from support.live_server import engine_store, live_server, upload_examples  # noqa: F401 (a fixture)

GRANTED = "north-worcs-dhr-7"
OTHER = "stafford-dhr-s-2011"
PERSON = f"{GRANTED}/Perpetrator"
IDENTITY = "ID-scope-test"
#: a query a user added that answers with names, not keys: nothing in its rows says whose they are
NAMES_ONLY = """// name: linked-names
// title: Names of the people linked to a person
// question: Who else is this person, under another name or in another review?
// parameters:
//   person: {type: person, positional: true, description: 'the person, as "<review>/<id>"'}
// columns:
//   name: a linked person's name
MATCH (:Person {key: $person})-[:SAME_AS]->(:Identity)<-[:SAME_AS]-(o:Person) RETURN o.name AS name
"""
#: a query a user added with a row limit, whose first row (in its order) is of the other review
SAME_AS_LIMITED = """// name: same-as-limited
// title: A person and the people they are
// question: Who is this person, in every review?
// parameters:
//   person: {type: person, positional: true, description: 'the person, as "<review>/<id>"'}
//   limit: {type: integer, default: 1, description: at most this many}
// columns:
//   key: a person key
MATCH (a:Person {key: $person})-[:SAME_AS]->(:Identity)<-[:SAME_AS]-(o:Person) WHERE o <> a
UNWIND [a.key, o.key] AS key
RETURN key ORDER BY key DESC LIMIT $limit
"""


@pytest.fixture(scope="module")
def site(engine_store, tmp_path_factory):
    from dhrkg.api.accounts import Accounts

    data_dir = tmp_path_factory.mktemp("api-scope")
    queries = data_dir / "user-queries"
    queries.mkdir()
    (queries / "linked-names.cypher").write_text(NAMES_ONLY, encoding="utf-8")
    (queries / "same-as-limited.cypher").write_text(SAME_AS_LIMITED, encoding="utf-8")
    accounts = Accounts(data_dir)
    tokens = {name: accounts.add(name, role, reviews)[1] for name, role, reviews in (
        ("admin", "admin", []), ("chair", "chair", [GRANTED]), ("analyst", "analyst", []))}
    with live_server(data_dir, engine_store, queries_dirs=[queries]) as url:
        upload_examples(url, tokens["admin"])
        # the identity linkage would write: one person, held in two reviews
        engine_store._write("CREATE (:Identity {key: $key})", {"key": IDENTITY})
        engine_store._write("MATCH (i:Identity {key: $key}) MATCH (p:Person) WHERE p.key IN $people "
                           "CREATE (p)-[:SAME_AS]->(i)", {"key": IDENTITY, "people": [PERSON, f"{OTHER}/J"]})
        yield {"url": url, "tokens": tokens}


def client(site, name: str) -> httpx.Client:
    return httpx.Client(base_url=site["url"], timeout=120,
                        headers={"Authorization": f"Bearer {site['tokens'][name]}"})


def linked_rows(site, name: str) -> tuple[list[dict], str]:
    with client(site, name) as http:
        r = http.get("/api/v1/queries/linked/run", params={"person": PERSON, "depth": 3})
    assert r.status_code == 200, r.text
    return r.json()["rows"], r.text


def test_the_link_reaches_the_other_review_for_an_analyst(site):
    rows, _ = linked_rows(site, "analyst")
    assert any(row["key"].startswith(f"{OTHER}/") for row in rows)
    assert any(row["key"] == IDENTITY for row in rows)


def test_a_chair_granted_one_review_sees_nothing_of_the_other(site):
    rows, text = linked_rows(site, "chair")
    assert rows and all(row["key"].startswith(f"{GRANTED}/") for row in rows)
    assert OTHER not in text and IDENTITY not in text
    with client(site, "chair") as http:
        csv = http.get("/api/v1/queries/linked/run", params={"person": PERSON, "depth": 3, "format": "csv"})
        post = http.post("/api/v1/queries/linked/run", json={"person": PERSON, "depth": 3})
        path = http.get("/api/v1/queries/find-path/run", params={"from": PERSON, "to": f"{GRANTED}/Victim"})
    for r in (csv, post, path):
        assert r.status_code == 200, r.text
        assert OTHER not in r.text and IDENTITY not in r.text


def test_the_query_page_and_its_json_twin_show_a_chair_nothing_of_the_other_review(site):
    with client(site, "chair") as http:
        for path in ("/queries/linked", "/queries/linked.json"):
            r = http.get(path, params={"person": PERSON, "depth": 3, "run": 1})
            assert r.status_code == 200, r.text
            assert f"{GRANTED}/" in r.text and OTHER not in r.text and IDENTITY not in r.text


def test_a_chair_still_cannot_start_a_query_from_the_other_review(site):
    with client(site, "chair") as http:
        r = http.get("/api/v1/queries/linked/run", params={"person": f"{OTHER}/J"})
    assert r.status_code == 403 and OTHER in r.json()["detail"]


def test_a_query_whose_rows_name_no_review_is_refused_to_a_chair(site):
    with client(site, "analyst") as http:
        r = http.get("/api/v1/queries/linked-names/run", params={"person": PERSON})
    assert r.status_code == 200 and r.json()["rows"], r.text  # a name of the other review
    with client(site, "chair") as http:
        r = http.get("/api/v1/queries/linked-names/run", params={"person": PERSON})
    assert r.status_code == 403, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["status"] == 403 and "linked-names" in problem["detail"] and "key" in problem["detail"]
    assert "rows" not in problem and OTHER not in r.text


def find_person(site, name: str, **params) -> dict:
    with client(site, name) as http:
        r = http.get("/api/v1/queries/find-person/run", params={"text": "a", **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_row_limit_gives_the_first_rows_and_says_when_it_left_rows_out(site):
    """find-person's limit over HTTP, in the JSON and on the query page (a chair: in her review)."""
    for user, scope in (("analyst", {}), ("chair", {"review": GRANTED})):
        everyone = find_person(site, user, limit=0, **scope)
        assert len(everyone["rows"]) > 2 and (everyone["limit"], everyone["more"]) == (None, False)
        first = find_person(site, user, limit=2, **scope)
        assert first["rows"] == everyone["rows"][:2]
        assert (first["limit"], first["more"], first["total"]) == (2, True, 2)
    with client(site, "analyst") as http:
        page = http.get("/queries/find-person", params={"text": "a", "limit": 2, "run": 1})
        whole = http.get("/queries/find-person", params={"text": "a", "limit": 0, "run": 1})
    assert "The first 2 rows only: more match." in page.text and "more match" not in whole.text


def test_a_row_limit_counts_the_rows_a_chair_may_see(site):
    """The limit applies after a chair's scope: the first row in the query's order is of the
    other review, so a limit applied before it would leave her nothing."""
    with client(site, "analyst") as http:
        assert http.get("/api/v1/queries/same-as-limited/run", params={"person": PERSON}).json()["rows"] == [
            {"key": f"{OTHER}/J"}]
    with client(site, "chair") as http:
        r = http.get("/api/v1/queries/same-as-limited/run", params={"person": PERSON})
    assert r.status_code == 200, r.text
    assert (r.json()["rows"], r.json()["more"]) == ([{"key": PERSON}], False)


@pytest.mark.parametrize("query, params", [("review-chronology", {"review": GRANTED}),
                                           ("person-timeline", {"person": PERSON}),
                                           ("review-summary", {"review": GRANTED})])
def test_a_shipped_query_of_the_granted_review_answers_a_chair_with_local_ids(site, query, params):
    """Its rows hold local ids, not keys: they are the review's its parameters name."""
    with client(site, "chair") as http:
        r = http.get(f"/api/v1/queries/{query}/run", params=params)
    assert r.status_code == 200 and r.json()["rows"], r.text
    assert OTHER not in r.text


@pytest.mark.parametrize("value, allowed", [
    ("north-worcs-dhr-7/Perpetrator", True),
    ("dhr-7/Perpetrator", False),                       # a review whose id ends another's
    ("north-worcs-dhr-7/A -PARENT_OF-> dhr-7/B", False),  # inside a path written in words
    ({"partner": ["north-worcs-dhr-7/A", {"key": "dhr-7/B"}]}, False),
    ("dhr-7", False),                                   # a review id as a whole value
    ("WMP/WMID-POL-1", False),                          # a linked record
    ("incident/42", False),
    ("a -SAME_AS-> ID-WMID-POL-1", False),              # an identity
    ("COVID-19, and/or 12/03", True),                   # ordinary text
    (3, True), (None, True),
])
def test_row_scope_rule(value, allowed):
    scope = RowScope(["north-worcs-dhr-7"], ["north-worcs-dhr-7", "dhr-7"], ["WMP"])
    assert scope.allows(value) is allowed
