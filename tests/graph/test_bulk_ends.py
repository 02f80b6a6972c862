"""The FalkorDB online bulk loader's relationships find their ends by internal id
(dhrkg.graph.falkordb.bulk_ends): used when every end came from the load's own node batches,
by key otherwise, and never linking a node whose id no longer belongs to the key it had.
(The same graph as ``dhrkg load`` on both engines: tests/graph/test_bulk_load.py.)"""

from __future__ import annotations

import json

import pytest

from dhrkg.graph.bulk import bulk_load, edge_stream, node_stream
from dhrkg.graph.falkordb.bulk_ends import EndIds, by_id_statement
from dhrkg.graph.store import StoreError
from support.batches import watch_batches

PEOPLE = [{"key": f"t/p{i}", "review": "t", "name": f"P{i}"} for i in range(30)]
EVENTS = [{"key": f"t/e{i}", "review": "t", "type": "incident"} for i in range(30)]
INVOLVED = [{"from": f"t/p{i}", "to": f"t/e{(i * 7) % 30}", "props": {"review": "t", "role": f"r{i}"}}
            for i in range(30)]


def streams(edges=INVOLVED):
    return [node_stream("Person", iter(PEOPLE)), node_stream("Event", iter(EVENTS)),
            edge_stream("INVOLVED", "Person", "Event", iter(edges))]


def links(store) -> list:
    return sorted(store.query("MATCH (a:Person)-[e:INVOLVED]->(b:Event) RETURN a.key, b.key, e.role, e.review").rows)


def expected(edges=INVOLVED) -> list:
    return sorted([x["from"], x["to"], x["props"]["role"], x["props"]["review"]] for x in edges)


def recording(store) -> list[str]:
    sent: list[str] = []
    real = store.write_batch

    def record(cypher, params=None):
        sent.append(cypher)
        return real(cypher, params)

    store.write_batch = record
    return sent


def test_relationships_of_a_load_find_their_ends_by_id(store_falkordb):
    sent = recording(store_falkordb)
    bulk_load(store_falkordb, streams(), batch_size=7, in_flight=3)
    assert links(store_falkordb) == expected()
    by_id = [c for c in sent if c == by_id_statement("INVOLVED", ["review", "role"])]
    assert len(by_id) == 5  # every relationship batch (30 rows, 7 a batch)
    assert "SET e" not in by_id[0] and "{`review`: row[4], `role`: row[5]}" in by_id[0]
    assert not any("MATCH (a:Person {key: row.from})" in c for c in sent)


def test_ends_from_before_the_load_are_found_by_key(store_falkordb):
    store_falkordb._write("CREATE (:Person {key: 'old/p', review: 'old'})")
    edges = [*INVOLVED, {"from": "old/p", "to": "t/e3", "props": {"review": "t", "role": "old"}}]
    sent = recording(store_falkordb)
    bulk_load(store_falkordb, streams(edges), batch_size=31, in_flight=2)
    assert links(store_falkordb) == expected(edges)
    assert not any("id(a)" in c for c in sent)  # the one batch has an end by key


def test_an_id_no_longer_of_its_key_is_never_linked(store_falkordb):
    """Another writer deleted a node during the load and its id went to a new node: the
    relationship is not made to the new node, and the load stops with a clear error."""
    ends = EndIds(store_falkordb.write_batch)
    stream = streams()[0]
    ends.send(stream, stream.create(), PEOPLE[:2])
    events = streams()[1]
    ends.send(events, events.create(), EVENTS[:1])
    store_falkordb._write("MATCH (n:Event {key: 't/e0'}) DELETE n")
    store_falkordb._write("CREATE (:Event {key: 'intruder', review: 'x'})")  # may take t/e0's id
    edge = streams()[2]
    with pytest.raises(StoreError, match="found no end"):
        ends.send(edge, edge.create(), [{"from": "t/p0", "to": "t/e0", "props": {"review": "t"}}])
    assert store_falkordb.query("MATCH (n:Event {key: 'intruder'}) RETURN id(n)").rows == [[ends.ids["Event"]["t/e0"]]]
    assert store_falkordb.query("MATCH ()-[e:INVOLVED]->() RETURN count(e)").rows == [[0]]


# --------------------------------------------------------------------------- indexes after the rows


def indexed(store) -> set:
    return {(row[0], p) for row in store.query("CALL db.indexes()").rows for p in row[1]}


def all_operational(store) -> bool:
    return all(row[7] == "OPERATIONAL" for row in store.query("CALL db.indexes()").rows)



def test_a_first_load_builds_secondary_indexes_after_the_rows(store_falkordb):
    everything = indexed(store_falkordb)
    assert ("Event", "type") in everything and ("Person", "find_text") in everything
    seen = watch_batches(store_falkordb, indexed)
    report = bulk_load(store_falkordb, streams(), batch_size=10, in_flight=2)
    assert all(("Event", "type") not in s and ("Person", "key") in s and ("Event", "key") in s for s in seen)
    assert indexed(store_falkordb) == everything and all_operational(store_falkordb)
    assert report.index_seconds > 0
    assert links(store_falkordb) == expected()
    # the same graph as a load with every index kept
    assert store_falkordb.query("MATCH (e:Event {type: 'incident'}) RETURN count(e)").rows == [[30]]


def test_a_load_into_a_graph_with_nodes_keeps_every_index(store_falkordb):
    store_falkordb._write("CREATE (:Person {key: 'old/p', review: 'old'})")
    everything = indexed(store_falkordb)
    seen = watch_batches(store_falkordb, indexed)
    bulk_load(store_falkordb, streams(), batch_size=10, in_flight=2)
    assert all(s == everything for s in seen)


def test_a_failed_first_load_still_gets_its_indexes_back(store_falkordb):
    everything = indexed(store_falkordb)
    watch_batches(store_falkordb, indexed, fail_at=4)
    with pytest.raises(RuntimeError, match="power cut"):
        bulk_load(store_falkordb, streams(), batch_size=10, in_flight=1)
    assert indexed(store_falkordb) == everything and all_operational(store_falkordb)


# --------------------------------------------------------------------------- node batches


def sending(store) -> list[tuple[str, dict]]:
    sent: list[tuple[str, dict]] = []
    real = store.write_batch

    def record(cypher, params=None):
        sent.append((cypher, params))
        return real(cypher, params)

    store.write_batch = record
    return sent


def everything(store) -> tuple[list, list]:
    """Every node and relationship, by key (not by internal id)."""
    nodes = store.query("MATCH (n) RETURN labels(n)[0], n.key, properties(n)").rows
    rels = store.query("MATCH (a)-[e]->(b) RETURN a.key, type(e), b.key, properties(e)").rows
    # sorted whole: two people can have two relationships with no role between them, and
    # an ORDER BY of some columns leaves such ties in the engine's order (flaky)
    whole = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
    return sorted(nodes, key=whole), sorted(rels, key=whole)


def test_node_batches_return_only_ids(store_falkordb):
    """``SET n = row`` of maps (positional rows, POSITIONAL_NODES, measured slower in a whole
    load); the reply holds one id a node, not the key again."""
    sent = sending(store_falkordb)
    bulk_load(store_falkordb, streams(), batch_size=7, in_flight=2)
    person = [(c, p) for c, p in sent if c.startswith("UNWIND $rows AS row CREATE (n:Person) SET n = row")]
    assert len(person) == 5
    assert all(type(r) is dict for _, p in person for r in p["rows"])
    assert person[0][0].endswith("RETURN collect(id(n)) AS ids") and "n.key" not in person[0][0]
    reply = store_falkordb.write_batch(person[0][0].replace("Person", "Probe"), person[0][1]).rows[0][0]
    assert len(reply) == 7 and all(type(i) is int for i in reply)
    assert links(store_falkordb) == expected()


def test_a_property_missing_from_a_row_stays_unset(store_falkordb):
    rows = [{"key": "t/a", "review": "t", "name": "A", "aliases": ["x"]}, {"key": "t/b", "review": "t"},
            {"key": "t/c", "review": "t", "name": None, "born": "1970"}]
    edges = [{"from": "t/a", "to": "t/b", "props": {"review": "t", "status": "x"}}, {"from": "t/b", "to": "t/c"},
             {"from": "t/c", "to": "t/a", "props": {"review": "t", "status": None, "source": "y"}}]
    sent = sending(store_falkordb)
    bulk_load(store_falkordb, [node_stream("Person", iter(rows)), edge_stream("PARTNER_OF", "Person", "Person",
                                                                               iter(edges))], batch_size=10)
    assert any("id(a)" in c for c, _ in sent)  # the relationships by id, positional
    assert store_falkordb.query("MATCH (a)-[e:PARTNER_OF]->(b) RETURN a.key, properties(e) ORDER BY a.key").rows == [
        ["t/a", {"review": "t", "status": "x"}], ["t/b", {}], ["t/c", {"review": "t", "source": "y"}]]
    got = store_falkordb.query("MATCH (n:Person) RETURN n.key, properties(n) ORDER BY n.key").rows
    drop = {"find_text"}
    assert [[k, {n: v for n, v in p.items() if n not in drop}] for k, p in got] == [
        ["t/a", rows[0]], ["t/b", rows[1]], ["t/c", {"key": "t/c", "review": "t", "born": "1970"}]]


def test_ids_come_back_in_the_order_of_the_rows(store_falkordb):
    """A batch of 5,000: each key's id is the id the graph gives that key (so relationships by
    id, whose key check would refuse a wrong pairing, are made)."""
    from dhrkg.graph.falkordb.bulk_ends import EndIds

    ends = EndIds(store_falkordb.write_batch)
    stream = node_stream("Event", [])
    rows = [{"key": f"t/e{(i * 7919) % 5000}", "review": "t", **({"type": "x"} if i % 3 else {})} for i in range(5000)]
    ends.send(stream, stream.create(), rows)
    truth = dict(store_falkordb.query("MATCH (n:Event) RETURN n.key, id(n)").rows)  # cypher-lint: allow internal-id
    assert ends.ids["Event"] == truth and len(truth) == 5000


@pytest.mark.parametrize("positional_nodes", [False, True])
def test_a_bulk_load_of_the_examples_is_the_graph_of_set_n_row(store_falkordb, tmp_path, monkeypatch,
                                                               positional_nodes):
    """Every node's and relationship's properties, the same through the session (ends by id,
    positional relationship rows; node rows as maps, or positional with POSITIONAL_NODES) as
    through plain ``SET n = row`` batches with ends by key."""
    from pathlib import Path

    from dhrkg.graph.falkordb import bulk_ends

    monkeypatch.setattr(bulk_ends, "POSITIONAL_NODES", positional_nodes)

    from dhrkg.graph.bulk import Spool
    from dhrkg.graph.schema import case_rows
    from dhrkg.model import load_case

    def spool(name: str) -> list:
        s = Spool(tmp_path / name)
        s.directory.mkdir()
        for f in sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml")):
            s.add(case_rows(load_case(f)))
        return s.streams()

    store_falkordb.bulk_session = None  # the plain way: store.write_batch of stream.create()
    bulk_load(store_falkordb, spool("plain"), batch_size=9)
    del store_falkordb.bulk_session
    plain = everything(store_falkordb)
    store_falkordb.clear()
    sent = sending(store_falkordb)
    bulk_load(store_falkordb, spool("session"), batch_size=9)
    person = "UNWIND $rows AS r CREATE (n:Person {" if positional_nodes else "UNWIND $rows AS row CREATE (n:Person) SET n"
    assert any(c.startswith(person) for c, _ in sent) and any("id(a) = ia" in c for c, _ in sent)
    assert everything(store_falkordb) == plain and len(plain[0]) > 50


def test_a_merged_batch_pairs_ids_with_keys_whatever_order_merge_gives(store_falkordb):
    """MERGE gives the nodes it found before those it made: its batches return [key, id] pairs
    (areas; a resumed load's first batches)."""
    from dhrkg.graph.bulk import Stream
    from dhrkg.graph.falkordb.bulk_ends import EndIds

    store_falkordb._write("CREATE (:Area {key: 'a3', kind: 'x', name: 'three'})")
    ends = EndIds(store_falkordb.write_batch)
    rows = [{"key": f"a{i}", "kind": "x", "name": str(i)} for i in range(6)]
    stream = Stream("Area", "area", "Area", [])
    ends.send(stream, stream.create(), rows)
    truth = dict(store_falkordb.query("MATCH (n:Area) RETURN n.key, id(n)").rows)  # cypher-lint: allow internal-id
    assert ends.ids["Area"] == truth and ends.size == 6


@pytest.mark.parametrize("name", ["", "a`b" + "x" * 200])
def test_a_property_name_that_cannot_be_written_is_refused_in_80_columns(name):
    from dhrkg.graph.falkordb.bulk_ends import positional

    with pytest.raises(StoreError, match="empty or has a backtick") as caught:
        positional("Person" * 20, [{"key": "k", name: 1}])
    assert max(len(line) for line in str(caught.value).splitlines()) <= 80


def test_positional_nodes_keep_their_properties_in_the_rows_order(store_falkordb):
    """As ``SET n = row`` stores them (``key`` first): readers that list a node's properties
    see the same order whichever way it was loaded."""
    rows = [{"key": "t/z", "review": "t", "name": "Z", "born": "1970"}]
    bulk_load(store_falkordb, [node_stream("Agency", iter(rows))], batch_size=10)
    assert store_falkordb.query("MATCH (n:Agency) RETURN keys(n)").rows == [[list(rows[0])]]
