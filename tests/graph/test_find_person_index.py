"""find-person from its text index (dhrkg.graph.schema PERSON_NAMES, Person.find_text) gives the
rows of the scan it replaced, on both engines: generated people whose names, ids and aliases
have accents, apostrophes, hyphens, spaces and full-text syntax characters, searched for with
random parts of them in any case, and with texts made of syntax characters (which reach the
engines as a bound value, never as query syntax). The index is what the query starts from; a
replacement and a delete keep Person.find_text right."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from dhrkg.model import load_case
from support.queries import run

#: find-person before its index: a scan of every Person (the reference the index must match).
SCAN = """
MATCH (p:Person)
WHERE ($review IS NULL OR p.review = $review)
  AND (toLower(coalesce(p.name, '')) CONTAINS toLower($text)
       OR toLower(p.id) CONTAINS toLower($text)
       OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS toLower($text)))
RETURN p.key AS person, p.name AS name, p.aliases AS aliases, p.roles AS roles, p.review AS review
ORDER BY review, person
"""

FORENAMES = ["Éloïse", "Zoë", "Seán", "Jean-Luc", "Ñuño", "Łukasz", "Ana María", "Björn", "Chloé", "D'Arcy",
             "John", "Ann", "Al*", "Q|uinn", "Mo@", '"Ted"', "-Rex", "Åsa"]
SURNAMES = ["O'Brien", "Smith-Jones", "Müller", "Ferreira", "Kaur", "MacDonald", "Ó Súilleabháin", "Nguyễn",
            "Straße", "van der Berg", "Ali (Khan)", "Pérez+Gil", "Lee", "Jo", "Ng", "A~B", "Star*", "De'Ath-Smyth"]
ALIASES = ["former partner", "the ex", "Mr O'Neil-Smith", "AB", "J.", "Ms Ö", "'Big' Al", "a|b|c", "x@y.org",
           "-", "*", "\"quoted\"", "100% (real)", "back\\slash"]
#: Texts made of full-text syntax characters (RediSearch, Lucene): each is a plain part of a name.
SYNTAX_TEXTS = ["*", '"', "-", "|", "@", "a*", '"ted', "o'b", "'", "\\", "%", "(", "(khan)", "a|b", "+gil",
                "~", "*:*", "star*", "x@y", "-rex", ")", "al* ", "ALL"]


def people(rng: random.Random, review: str, n: int) -> list[dict]:
    out = []
    for i in range(n):
        p = {"id": f"{rng.choice(['p', 'P-', 'pers_', 'x'])}{i}", "roles": ["family"]}
        if rng.random() > 0.1:  # some people have no name
            p["name"] = f"{rng.choice(FORENAMES)} {rng.choice(SURNAMES)}"
        if rng.random() < 0.4:
            p["aliases"] = rng.sample(ALIASES, rng.randint(1, 3))
        out.append(p)
    return out


def case_file(path: Path, review: str, persons: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({
        "format": "dhr-case/1",
        "review": {"id": review, "title": f"Names {review}", "police_force_area": "Kent", "homicide_date": "2020"},
        "persons": persons,
    }, allow_unicode=True), encoding="utf-8")
    return path


def random_texts(rng: random.Random, persons: list[dict], n: int) -> list[str]:
    """Parts of names, ids and aliases (any length, any case), and a few that match nothing."""
    values = [v for p in persons for v in [p.get("name"), p["id"], *p.get("aliases", [])] if v]
    texts = []
    for _ in range(n):
        v = rng.choice(values)
        a = rng.randrange(len(v))
        part = v[a:a + rng.randint(1, 9)]
        texts.append(rng.choice([part, part.upper(), part.lower(), part.swapcase()]))
    return texts + ["", "zzzq", "éloïse o'brien", "ÉLOÏSE", "smith-jones", "ó sú", "nguyễn", "STRASSE", "straße"]


@pytest.fixture(scope="module")
def names_files(tmp_path_factory):
    rng = random.Random(17)
    d = tmp_path_factory.mktemp("names")
    reviews = {"names-a": people(rng, "names-a", 70), "names-b": people(rng, "names-b", 50)}
    files = [case_file(d / f"{r}.yaml", r, ps) for r, ps in reviews.items()]
    texts = random_texts(rng, [p for ps in reviews.values() for p in ps], 120) + SYNTAX_TEXTS
    return files, texts


@pytest.fixture
def named(store, names_files):
    files, texts = names_files
    for f in files:
        store.load_case(load_case(f))
    return store, texts


def rows(result) -> list[list]:
    return [list(r) for r in result.rows]


def test_indexed_find_person_gives_the_scans_rows(named):
    """All of them with the limit off; the first of them up to a limit, saying when rows were
    left out (100 by default; 5 here too, so that many texts are cut)."""
    store, texts = named
    found = cut = 0
    for text in texts:
        for review in (None, "names-b"):
            scope = {"review": review} if review else {}
            scanned = rows(store.query(SCAN, {"text": text, "review": review}))
            everyone = run(store, "find-person", text, limit=0, **scope)
            assert (rows(everyone), everyone.more) == (scanned, False), (store.backend, text, review)
            for limit in (None, 5):
                shown = run(store, "find-person", text, **scope, **({"limit": limit} if limit else {}))
                n = limit or 100
                assert (rows(shown), shown.more) == (scanned[:n], len(scanned) > n), (store.backend, text, review, n)
                cut += shown.more
            found += bool(scanned)
    assert found > len(texts)  # most texts find someone: the comparison is not of empty answers
    assert cut > len(texts) // 4  # and many are cut by a limit


def test_the_limit_leaves_rows_out_only_when_there_are_more(named):
    """A limit equal to the number of people found leaves nothing out; one less leaves one out."""
    store, _ = named
    n = len(store.query(SCAN, {"text": "smith", "review": None}).rows)
    assert n > 3
    assert not run(store, "find-person", "smith", limit=n).more
    assert len(run(store, "find-person", "smith", limit=n).rows) == n
    fewer = run(store, "find-person", "smith", limit=n - 1)
    assert fewer.more and len(fewer.rows) == n - 1


def test_syntax_characters_are_plain_text(named, names_files):
    """Each syntax text finds exactly the people with it in a field (worked out here in Python):
    "*" is a star, not "everyone"; "a|b" is those three characters, not "a" or "b"."""
    store, _ = named
    files, _ = names_files
    everyone = [(yaml.safe_load(f.read_text(encoding="utf-8"))["review"]["id"], p)
                for f in files for p in yaml.safe_load(f.read_text(encoding="utf-8"))["persons"]]
    for text in SYNTAX_TEXTS:
        expected = sorted(f"{r}/{p['id']}" for r, p in everyone
                          if any(text.lower() in v.lower() for v in [p.get("name") or "", p["id"], *p.get("aliases", [])]))
        assert [r[0] for r in run(store, "find-person", text).rows] == expected, text
    assert run(store, "find-person", "*:*").rows == []


def test_find_person_starts_from_the_index(named):
    store, _ = named
    from support.queries import library

    text = library().get("find-person").text_for(store.backend)
    plan = explain(store, text, {"text": "o'brien", "review": None, "limit": 101})
    assert ("Node By Index Scan" in plan) if store.backend == "falkordb" else ("NodeIndexContainsScan" in plan), plan


def test_falkordb_text_cuts_the_text_as_find_text_holds_it():
    """find-person's FalkorDB text looks up what find_text holds (dhrkg.graph.dialect): a word
    cut to PIECE_MAX letters, '<*>' below PIECE_MIN, no test of the fields only in between."""
    from dhrkg.graph.dialect import EVERY_PIECE, PIECE_MAX, PIECE_MIN
    from support.queries import library

    text = library().get("find-person").text_for("falkordb")
    for part in (f"substring(word, 0, {PIECE_MAX})", f"size(word) < {PIECE_MIN} THEN '{EVERY_PIECE}'",
                 f"size(t) >= {PIECE_MIN} AND size(t) <= {PIECE_MAX} AS proven"):
        assert part in text, part


def explain(store, cypher: str, params: dict) -> str:
    """The engine's plan of ``cypher`` as text."""
    if store.backend == "falkordb":
        return str(store._graph.explain(cypher, params))
    with store._session(read=True) as session:
        summary = session.run("EXPLAIN " + cypher, params).consume()

    def walk(op: dict) -> list[str]:
        return [op["operatorType"]] + [x for c in op.get("children", []) for x in walk(c)]
    return "\n".join(walk(summary.plan))


def test_replacement_and_delete_keep_find_text_right(named, names_files):
    store, _ = named
    files, _ = names_files
    case = load_case(files[1])
    before = [r[0] for r in run(store, "find-person", "quintessa").rows]
    assert before == []
    case.persons[0].name = "Quintessa Ó'Hara-Ng"
    case.persons[1].aliases = ["the quintessential one"]
    store.load_case(case)
    found = [r[0] for r in run(store, "find-person", "QUINTESS").rows]
    assert found == sorted([f"names-b/{case.persons[0].id}", f"names-b/{case.persons[1].id}"])
    assert [r[0] for r in run(store, "find-person", "ó'hara-n").rows] == [f"names-b/{case.persons[0].id}"]
    assert rows(run(store, "find-person", "quintess")) == rows(store.query(SCAN, {"text": "quintess", "review": None}))
    store.delete_review("names-b")
    assert run(store, "find-person", "quintess").rows == []
    assert store.query("MATCH (p:Person) WHERE p.find_text IS NULL RETURN count(p)").rows == [[0]]


#: The cap of find-person's probe on Neo4j (find-person.neo4j.cypher): below it the TEXT index's
#: matches are sorted, from it the people are read in (review, key) order until the limit.
NEO4J_PROBE_CAP = "10000"


def probe_capped(cap: int):
    """find-person with its Neo4j probe's cap at ``cap`` (the same text otherwise), so that a
    small graph has texts on both sides of it."""
    import dataclasses

    from support.queries import library

    q = library().get("find-person")
    text = q.variants["neo4j"]
    assert text.count(NEO4J_PROBE_CAP) == 4, "the cap is the probe's LIMIT and the three ways' conditions"
    return dataclasses.replace(q, variants={**q.variants, "neo4j": text.replace(NEO4J_PROBE_CAP, str(cap))})


@pytest.mark.neo4j
def test_every_way_of_the_probe_gives_the_scans_rows(store_neo4j, names_files):
    """Texts found fewer times than the probe's cap (the probe's people, sorted) and as many or
    more (people read in (review, key) order, stopping at the limit; with a limit over the
    default's, or none, every match sorted): the scan's rows, cut at the limit or not, in one
    review or all of them."""
    from dhrkg.graph import canned

    files, texts = names_files
    for f in files:
        store_neo4j.load_case(load_case(f))
    cap = 6
    q = probe_capped(cap)
    sides = set()
    for text in texts + ["", "a", "smith", "o'brien", "former partner", "p1"]:
        indexed = store_neo4j.query("MATCH (p:Person) WHERE p.find_text CONTAINS toLower($t) RETURN count(p)",
                                    {"t": text}).rows[0][0]
        sides.add(indexed >= cap)
        for review in (None, "names-b"):
            scanned = rows(store_neo4j.query(SCAN, {"text": text, "review": review}))
            for limit in (0, 3, 100, 102):
                got = canned.run(store_neo4j, q, canned.bind(q, {"limit": str(limit), "review": review}, [text]))
                n = limit or len(scanned)
                assert (rows(got), got.more) == (scanned[:n], len(scanned) > n), (text, review, limit)
    assert sides == {True, False}


@pytest.mark.neo4j
def test_a_common_text_is_read_in_order_and_stops_at_the_limit(store_neo4j, names_files):
    """Neo4j's plan for a text at or over the probe's cap: the composite index on
    Person(review, key) in order, no sort of the people it reads, and it reads fewer people than
    the graph has (it stops at the limit); under the cap, or with a limit over the default's,
    the ordered read reads nobody."""
    files, _ = names_files
    for f in files:
        store_neo4j.load_case(load_case(f))
    text = probe_capped(3).text_for("neo4j")
    everyone = store_neo4j.query("MATCH (p:Person) RETURN count(p)").rows[0][0]
    common = profile_neo4j(store_neo4j, text, {"text": "a", "review": None, "limit": 3})
    seek = [op for op in common if op["operatorType"].startswith("NodeIndexSeek")
            and "Person(review, key)" in op["args"].get("Details", "")]
    assert len(seek) == 1 and 0 < seek[0]["rows"] < everyone, seek
    sorted_rows = [op["rows"] for op in common if op["operatorType"].split("@")[0] in {"Sort", "Top"}
                   and "p.key" in op["args"].get("Details", "")]
    assert set(sorted_rows) == {0}, sorted_rows  # the sorts of the other ways only, which get nobody
    rare = profile_neo4j(store_neo4j, text, {"text": "zzzq", "review": None, "limit": 3})
    assert [op["rows"] for op in rare if "Person(review, key)" in op["args"].get("Details", "")] == [0]
    every = profile_neo4j(store_neo4j, text, {"text": "a", "review": None, "limit": 102})  # over the default's 101
    assert [op["rows"] for op in every if "Person(review, key)" in op["args"].get("Details", "")] == [0]


def profile_neo4j(store, cypher: str, params: dict) -> list[dict]:
    """Every operator of Neo4j's PROFILE of ``cypher`` (type, rows, args)."""
    with store._session(read=True) as session:
        summary = session.run("PROFILE " + cypher, params).consume()

    def walk(op: dict) -> list[dict]:
        return [op] + [x for c in op.get("children", []) for x in walk(c)]
    return walk(summary.profile)
