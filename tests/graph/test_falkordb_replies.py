"""FalkorDB replies parsed by dhrkg (graph/falkordb/replies.py) give exactly the rows the
client's parsing plus plain_rows gave, value for value and type for type (issue 17)."""

from __future__ import annotations

import math

import pytest

from dhrkg.graph import StoreError

SETUP = [
    "CREATE (:Person {key: 'p1', name: 'Zoë \"Q\" \\\\ 日本 🙂', n: 9007199254740993, f: 2.5,"
    " ok: true, tags: ['a', 'b'], nums: [1, 2.5, -3]})",
    "CREATE (:Person:Victim {key: 'p2', name: 'line\\nbreak\\ttab', gone: null})",
    "MATCH (a:Person {key: 'p1'}), (b:Person {key: 'p2'})"
    " CREATE (a)-[:PARTNER_OF {since: 2019, note: 'x', w: 0.5}]->(b)",
    "CREATE (:Agency)",  # no properties
]

QUERIES = [
    ("RETURN null AS nothing, 1 AS one, -9223372036854775808 AS smallest,"
     " 9223372036854775807 AS biggest, 0.1 AS tenth, -0.0 AS minus_zero, 1e300 AS huge", {}),
    ("RETURN true AS yes, false AS no, '' AS empty, 'O\"Brien \\\\ `tick`' AS escaped,"
     " 'Zoë – 日本 🙂' AS unicode, 'a\\nb' AS newline", {}),
    ("RETURN $s AS s, $i AS i, $f AS f, $l AS l, $m AS m, $n AS n",
     {"s": 'q"\\ é', "i": 2 ** 62, "f": 1.0 / 3, "l": [1, [2, ["x", None]], {"k": True}],
      "m": {"a": 1, "b": [1, 2], "c": {"d": 'q"\\'}, "with space": None}, "n": None}),
    ("RETURN [] AS empty_list, {} AS empty_map, [[1, [2, [3]]], {a: [{b: null}]}] AS nested,"
     " {z: 1, a: 2, m: 3} AS ordered", {}),
    ("RETURN 0.0 / 0.0 AS nan, 1.0 / 0.0 AS inf, -1.0 / 0.0 AS minus_inf", {}),
    ("MATCH (p:Person) RETURN p, p.name AS name, p.n AS n, p.f AS f, p.ok AS ok, p.tags AS tags,"
     " p.nums AS nums, p.gone AS gone, labels(p) AS labels, properties(p) AS props ORDER BY p.key", {}),
    ("MATCH (a)-[e]->(b) RETURN e, type(e) AS t, properties(e) AS props, a.key, b.key", {}),
    ("MATCH path = (:Person {key: 'p1'})-[*1..2]-(:Person) RETURN path, nodes(path) AS ns,"
     " relationships(path) AS rs, length(path) AS len", {}),
    ("MATCH (n:Agency) RETURN n, {node: n, list: [n]} AS wrapped", {}),
    ("RETURN point({latitude: 51.5, longitude: -0.12}) AS where,"
     " vecf32([1.5, 2, -3]) AS vector", {}),
    ("RETURN date('2024-02-29') AS d, localdatetime('2024-02-29T10:11:12') AS dt,"
     " localtime('10:11:12') AS t, duration('P1Y2M3DT4H') AS dur", {}),
    ("MATCH (n:Nobody) RETURN n.key AS key, n AS node", {}),  # no rows, header kept
    ("UNWIND range(1, 2500) AS i RETURN i, toString(i) AS s, i * 0.5 AS h,"
     " [i, toString(i)] AS pair, {i: i} AS m", {}),
    ("CALL db.labels()", {}),
]


@pytest.fixture
def store(store_falkordb):
    for cypher in SETUP:
        store_falkordb._write(cypher)
    return store_falkordb


def old_path(store, cypher, params):
    """The read path before replies.py: the client's parsing, then dialect.plain_rows."""
    return store._result(store._graph.ro_query(cypher, dict(params)))


def same(a, b) -> bool:
    """Equal values of the same types all the way down (NaN equal to NaN; -0.0 not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


@pytest.mark.parametrize("cypher,params", QUERIES, ids=[q[:40] for q, _ in QUERIES])
@pytest.mark.parametrize("timeout_ms", [None, 5000], ids=["direct", "watchdog"])
def test_the_same_rows_as_the_client(store, cypher, params, timeout_ms):
    before = old_path(store, cypher, params)
    now = store.query(cypher, params, timeout_ms=timeout_ms) if timeout_ms else store._read(cypher, params, 0)
    assert now.columns == before.columns
    assert same(now.rows, before.rows), (now.rows[:3], before.rows[:3])


def test_the_rows_hold_plain_values(store):
    rows = store.query(QUERIES[5][0]).rows
    node = rows[0][0]
    assert node == {"labels": ["Person"], "properties": {
        "key": "p1", "name": 'Zoë "Q" \\ 日本 🙂', "n": 9007199254740993, "f": 2.5, "ok": True,
        "tags": ["a", "b"], "nums": [1, 2.5, -3]}}
    assert type(rows[0][9]) is dict and rows[1][8] == ["Person", "Victim"]
    assert store.query("RETURN 0.0 / 0.0 AS nan").rows[0][0] != store.query("RETURN 1 AS x").rows[0][0]


def test_no_client_objects_for_scalars_arrays_and_maps(store, monkeypatch):
    """The hot path builds none of the client's values: its parser is never called."""
    import falkordb.query_result as client

    def refuse(*_):
        raise AssertionError("the client's parser was used")

    monkeypatch.setattr(client, "parse_scalar", refuse)
    rows = store.query("UNWIND range(1, 3) AS i RETURN i, [i, 'x'], {i: i, f: 0.5}, null, true").rows
    assert rows[0] == [1, [1, "x"], {"i": 1, "f": 0.5}, None, True]


def test_errors_are_raised_as_before(store):
    """A run-time error (the last element of the reply), a refused query and a write sent as
    a read fail as before: the same exception, the same words."""
    for cypher in ("RETURN toInteger({}) AS x", "RETURN 1 +", "MATCH (n) SET n.x = 1",
                   "UNWIND [1, 0] AS d RETURN 1 / d"):
        with pytest.raises(Exception) as before:
            old_path(store, cypher, {})
        with pytest.raises(type(before.value)) as now:
            store._read(cypher, {}, 0)
        assert str(now.value) == str(before.value)


def test_a_reply_of_statistics_only(store):
    """A reply with no header (a write's) parses to no columns and no rows, as the client's."""
    from falkordb.query_result import QueryResult as ClientResult

    from dhrkg.graph.falkordb import replies

    graph = store._graph
    reply = graph.execute_command("GRAPH.QUERY", graph.name, "MATCH (n:Nobody) DELETE n", "--compact")
    assert len(reply) == 1
    got = replies.result(graph, reply)
    client = store._result(ClientResult(graph, reply))
    assert (got.columns, got.rows) == (client.columns, client.rows) == ([], [])


# --------------------------------------------------------------------------- every canned query

from support.queries import GOLD, example_invocations, loaded_stores  # noqa: E402

gold_falkordb, gold_neo4j, gold = loaded_stores(GOLD, "gold")

MORE = [("risk-not-shared", [], {"min_level": "low", "days": "1"}),
        ("find-person", ["a"], {"limit": "0"}),
        ("find-path", ["north-worcs-dhr-7/M", "north-worcs-dhr-7/pfp_mother"], {"max_hops": "3"}),
        ("linked", ["stafford-dhr-s-2011/S"], {"depth": "3"})]


@pytest.mark.parametrize("name,args,named", example_invocations() + MORE,
                         ids=lambda x: x if isinstance(x, str) else None)
def test_every_canned_query_gives_the_same_rows(gold_falkordb, monkeypatch, name, args, named):
    """Each canned query on the gold reviews: the rows of the client's path and of dhrkg's,
    value for value, type for type."""
    from dhrkg.graph import canned

    store = gold_falkordb
    q = canned.load_library(include_user=False).get(name)
    params = canned.bind(q, dict(named), list(args))
    now = canned.run(store, q, params)
    monkeypatch.setattr(store, "_read", lambda cypher, p, _timeout: old_path(store, cypher, p))
    before = canned.run(store, q, params)
    assert now.columns == before.columns
    assert same(now.rows, before.rows)
