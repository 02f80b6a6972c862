"""The offline path (issue 17, point 3): a small synthetic national set loaded with the engine's
own import tool answers exactly as the online bulk loader's load of the same data: the same
nodes and relationships with the same properties, and the same rows from the national scans."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dhrkg.graph.bulk import bulk_load, node_stream, edge_stream
from dhrkg.graph.offline import OfflineError, falkordb_load

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402
from test_scale_small import answers  # noqa: E402


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    return qbench.synth_graph(3000, 7, tmp_path_factory.mktemp("synth"))


def contents(store) -> tuple[list, list]:
    """Every node (labels, properties) and relationship (end keys, type, properties), sorted."""
    nodes = store.query("MATCH (n) RETURN labels(n), properties(n)").rows
    rels = store.query("MATCH (a)-[e]->(b) RETURN a.key, type(e), b.key, properties(e)").rows
    key = lambda r: repr(r)  # noqa: E731
    return sorted(nodes, key=key), sorted(rels, key=key)


def test_falkordb_offline_load_answers_as_the_online_load(store_falkordb, national):
    store = store_falkordb
    bulk_load(store, scale.streams(national), batch_size=700)
    store.ensure_summaries()
    online, online_answers = contents(store), answers(store)
    assert online_answers["serial-perpetrators"], "the set has planted serial perpetrators"
    store.clear()
    report = falkordb_load(store, scale.streams(national))
    assert report.nodes == len(online[0]) and report.relationships == len(online[1])
    assert contents(store) == online
    assert answers(store) == online_answers
    indexed = {(row[0], p) for row in store.query("CALL db.indexes()").rows for p in row[1]}
    assert {("Person", "key"), ("Event", "type")} <= indexed


def test_values_keep_their_types(store_falkordb):
    """The reason for writing GRAPH.BULK payloads: "5.1" stays text, lists stay lists of text,
    quotes, backslashes and non-ASCII text arrive as given, unset properties stay unset."""
    store = store_falkordb
    rows = [{"key": "p1", "name": 'O"Brien \\ Zoë', "aliases": ["5.1", "true"], "n": 3, "f": 5.0, "b": False,
             "code": "007", "empty": ""},
            {"key": "p2", "name": "B", "nickname": None, "aliases": []}]
    falkordb_load(store, [node_stream("Person", rows),
                          edge_stream("PARTNER_OF", "Person", "Person", [{"from": "p1", "to": "p2",
                                                                           "props": {"since": "2019", "x": None}}])])
    got = dict(store.query("MATCH (n:Person) RETURN n.key, properties(n)").rows)
    assert got == {"p1": rows[0], "p2": {"key": "p2", "name": "B", "aliases": []}}
    assert store.query("MATCH (:Person {key: 'p1'})-[e:PARTNER_OF]->(:Person {key: 'p2'}) "
                       "RETURN properties(e)").rows == [[{"since": "2019"}]]


def test_refuses_a_non_empty_graph(store_falkordb):
    store = store_falkordb
    store.write("CREATE (:Person {key: 'x'})")
    with pytest.raises(OfflineError, match="not empty"):
        falkordb_load(store, [node_stream("Person", [{"key": "y"}])])
    assert store.query("MATCH (n) RETURN n.key").rows == [["x"]]


@pytest.mark.parametrize("rows, message", [
    ([{"key": "a", "m": {"x": 1}}], "Person, row 1, m: a dict cannot be a property value"),
    ([{"key": "a"}, {"key": "a"}], "Person, row 2: key 'a' appears twice"),
    ([{"key": "a", "t": "a\0b"}], "row 1, t: a text value holds a NUL"),
])
def test_bad_rows_are_named_and_leave_the_graph_empty(store_falkordb, rows, message):
    store = store_falkordb
    with pytest.raises(OfflineError, match=message):
        falkordb_load(store, [node_stream("Person", rows)])
    assert store.query("MATCH (n) RETURN count(n)").rows == [[0]]


def test_a_relationship_to_a_missing_node_is_named(store_falkordb):
    with pytest.raises(OfflineError, match="row 1: no Person node with key 'zz'"):
        falkordb_load(store_falkordb, [node_stream("Person", [{"key": "a"}]),
                                       edge_stream("KNOWS", "Person", "Person", [{"from": "a", "to": "zz"}])])
