"""The Neo4j online bulk loader into an empty database builds its secondary indexes after the
rows (Neo4jStore.bulk_session): the ``key`` constraints stay throughout, every other index of
dhrkg's is back (and online) when the load returns, also when it fails; a load into a database
that holds nodes keeps every index. (FalkorDB's: tests/graph/test_bulk_ends.py.) Deferring is off by
default (Neo4jStore.bulk_defers_indexes): the tests turn it on. And it sends as many batches at
once as the store says unless told otherwise (Neo4jStore.bulk_in_flight)."""

from __future__ import annotations

import threading
import time

import pytest

from dhrkg.graph.bulk import bulk_load, edge_stream, node_stream
from support.batches import watch_batches

pytestmark = pytest.mark.neo4j

PEOPLE = [{"key": f"t/p{i}", "review": "t", "name": f"P{i}", "find_text": f"p{i}\n"} for i in range(30)]
EVENTS = [{"key": f"t/e{i}", "review": "t", "type": "incident"} for i in range(30)]
INVOLVED = [{"from": f"t/p{i}", "to": f"t/e{(i * 7) % 30}", "props": {"review": "t", "role": f"r{i}"}}
            for i in range(30)]


def streams():
    return [node_stream("Person", iter(PEOPLE)), node_stream("Event", iter(EVENTS)),
            edge_stream("INVOLVED", "Person", "Event", iter(INVOLVED))]


def indexes(store) -> set:
    """(name, state) of every index but Neo4j's own label and type lookups."""
    return {tuple(r) for r in store.query("SHOW INDEXES YIELD name, state, type WHERE type <> 'LOOKUP' "
                                          "RETURN name, state").rows}


def names(store) -> set:
    return {name for name, _ in indexes(store)}



KEYS = {"dhrkg_person_key", "dhrkg_event_key"}
SECONDARY = {"dhrkg_event_type", "dhrkg_person_find_text", "dhrkg_person_review", "dhrkg_event_review_type"}


def test_a_first_load_builds_secondary_indexes_after_the_rows(store_neo4j):
    everything = indexes(store_neo4j)
    assert KEYS | SECONDARY <= {name for name, _ in everything}
    seen = watch_batches(store_neo4j, names)
    report = bulk_load(store_neo4j, streams(), batch_size=10, in_flight=2)
    assert len(seen) == 9
    assert all(KEYS <= s and not SECONDARY & s for s in seen)
    assert indexes(store_neo4j) == everything and all(state == "ONLINE" for _, state in everything)
    assert report.index_seconds > 0
    assert store_neo4j.query("MATCH (a:Person)-[e:INVOLVED]->(b:Event {type: 'incident'}) "
                             "RETURN count(e)").rows == [[30]]


def test_a_store_opened_during_a_first_load_builds_the_indexes_again(store_neo4j):
    """(As one would after a load whose own rebuild never ran: the process lost the server.)"""
    from dhrkg.graph.neo4j.store import Neo4jStore

    seen = watch_batches(store_neo4j, names)
    opened: list[set] = []
    real = store_neo4j.write_batch

    def open_another(cypher, params=None):
        if len(seen) == 3:
            other = Neo4jStore(store_neo4j.settings)
            opened.append(names(other))
            other.close()
        return real(cypher, params)

    store_neo4j.write_batch = open_another
    bulk_load(store_neo4j, streams(), batch_size=10, in_flight=1)
    assert not SECONDARY & seen[2] and SECONDARY <= opened[0]


def test_a_load_into_a_database_with_nodes_keeps_every_index(store_neo4j):
    store_neo4j._write("CREATE (:Person {key: 'old/p', review: 'old'})")
    everything = names(store_neo4j)
    seen = watch_batches(store_neo4j, names)
    bulk_load(store_neo4j, streams(), batch_size=10, in_flight=2)
    assert seen and all(s == everything for s in seen)


def test_a_failed_first_load_still_gets_its_indexes_back(store_neo4j):
    everything = indexes(store_neo4j)
    watch_batches(store_neo4j, names, fail_at=4)
    with pytest.raises(RuntimeError, match="power cut"):
        bulk_load(store_neo4j, streams(), batch_size=10, in_flight=1)
    assert indexes(store_neo4j) == everything


def most_at_once(store, expect: int) -> list[int]:
    """store.write_batch noting the most batches it was running at once (each held 50 ms). Until
    ``expect`` batches have run at once, a batch waits for the others (at most 5 s): a hold of
    50 ms alone missed them when a loaded machine was slow to start the threads."""
    running, most, change = [0], [0], threading.Condition()
    real = store.write_batch

    def count(cypher, params=None):
        with change:
            running[0] += 1
            most[0] = max(most[0], running[0])
            change.notify_all()
            change.wait_for(lambda: most[0] >= expect, timeout=5)
        try:
            time.sleep(0.05)
            return real(cypher, params)
        finally:
            with change:
                running[0] -= 1

    store.write_batch = count
    return most


@pytest.fixture
def store_neo4j(store_neo4j):
    store_neo4j.bulk_defers_indexes = True
    return store_neo4j


def test_batches_in_flight_are_the_stores_unless_told_otherwise(store_neo4j):
    store_neo4j.bulk_in_flight = 1
    most = most_at_once(store_neo4j, expect=1)
    bulk_load(store_neo4j, streams(), batch_size=5)
    assert most == [1]
    del store_neo4j.write_batch
    store_neo4j.clear()
    most = most_at_once(store_neo4j, expect=3)
    bulk_load(store_neo4j, streams(), batch_size=5, in_flight=3)
    assert most == [3]
