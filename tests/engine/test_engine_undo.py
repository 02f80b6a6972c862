"""13.6: a write that fails after it started changing the graph is undone without restarting the
FalkorDB server (dhrkg.graph.falkordb.undo): another client's running query completes, the server
keeps its pid, and the graph (in memory and in the append-only file) is as it was."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dhrkg.graph import StoreError
from dhrkg.graph.falkordb import FalkorDBStore, server, undo
from dhrkg.graph.load import Statement, replace_statements, review_scope
from dhrkg.graph.schema import case_rows
from dhrkg.graph.summaries import summary_statements
from dhrkg.model import load_case

from support.reviews import with_extra_events
from support.undo import LONG_READ, graph_content, long_read_alongside, other_connection

pytestmark = pytest.mark.processes  # processes, signals, engines killed: on one Python in CI (.ci/run)

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))


def failing(review: str) -> Statement:
    """A last part of a review's write that fails at run time (a string divided by a number),
    after every part before it ran."""
    return Statement("UNWIND $rows AS row WITH row WHERE row.x / 2 > 1 CREATE (:Person {key: 'never'})",
                     {"rows": [{"x": "not a number"}], "review": review}, "summary", 1)


def failing_replacement(case, tag: str = "revised") -> list[Statement]:
    """A replacement of ``case``'s review that deletes it, creates a revised version, moves an
    area's name, then fails."""
    rows = case_rows(with_extra_events(case, 40, tag))
    for area in rows.areas.values():
        area["name"] = area["name"] + " (renamed)"
    return replace_statements(rows) + summary_statements(rows.review) + [failing(rows.review)]


@pytest.fixture
def loaded(store_falkordb):
    """The session's server with two reviews loaded."""
    for path in GOLD[:2]:
        store_falkordb.load_case(load_case(path))
    return store_falkordb


def test_the_engine_alone_leaves_a_failed_replacement_half_undone(loaded):
    """Why the snapshot exists: FalkorDB's own undo of a delete-then-create joins relationships
    to the wrong nodes. If this starts failing, the engine was fixed (see undo's module)."""
    case = load_case(GOLD[1])
    statements = failing_replacement(case)
    snap = undo.take(loaded, review_scope(case.review.id), statements)
    before = graph_content(loaded)
    from dhrkg.graph import dialect

    cypher, params = dialect.FALKORDB.single_query(statements)
    with pytest.raises(Exception, match="Type mismatch"):
        loaded._graph.query(cypher, params)
    assert graph_content(loaded) != before, "FalkorDB undid the failed replacement by itself"
    undo.restore(loaded, snap)
    assert graph_content(loaded) == before


def test_a_failed_replacement_is_undone_in_place_while_another_client_reads(own_server):
    data_dir = own_server
    store = FalkorDBStore(data_dir)
    other, case = load_case(GOLD[0]), load_case(GOLD[1])
    store.load_case(other)
    store.load_case(with_extra_events(case, 500, "old"))
    before = graph_content(store)
    pid = server.status(data_dir).pid
    reader = FalkorDBStore(data_dir)  # another user's connection
    long_read, errors, stop = {}, [], threading.Event()

    def read_long():
        try:
            long_read["rows"] = reader.query(LONG_READ, timeout_ms=60_000).rows
        except Exception as exc:
            long_read["error"] = exc

    def read_other_review():
        while not stop.is_set():
            try:
                reader.query("MATCH (p:Person {review: $r}) RETURN count(p)", {"r": other.review.id})
            except Exception as exc:
                errors.append(exc)

    threads = [threading.Thread(target=read_long), threading.Thread(target=read_other_review)]
    for t in threads:
        t.start()
    try:
        with pytest.raises(StoreError) as failed:
            store._replace(failing_replacement(case), review_scope(case.review.id))
    finally:
        threads[0].join(120)
        stop.set()
        threads[1].join(60)
        reader.close()
    message = str(failed.value)
    assert "nothing was changed" in message and "reloaded" not in message, message
    assert long_read.get("rows") == [[4500001500000]], long_read
    assert not errors, errors[:3]
    assert server.status(data_dir).pid == pid
    assert graph_content(store) == before
    # memory and the append-only file agree, also for writes after the undo (ids reused alike)
    store.load_case(with_extra_events(case, 30, "later"))
    after = graph_content(store)
    store.close()
    server.reload_from_log(data_dir)
    store = FalkorDBStore(data_dir)
    assert graph_content(store) == after
    store.close()


def test_a_failed_first_load_leaves_no_trace(loaded):
    case = load_case(GOLD[2])  # not loaded yet: the snapshot reads no relationships
    statements = failing_replacement(case)
    assert undo.take(loaded, review_scope(case.review.id), statements).nodes == []
    before = graph_content(loaded)
    pid = server.status(loaded.data_dir).pid
    with pytest.raises(StoreError, match="nothing was changed$"):
        loaded._replace(statements, review_scope(case.review.id))
    assert graph_content(loaded) == before
    assert server.status(loaded.data_dir).pid == pid


def test_a_failed_delete_and_summaries_are_undone(loaded):
    case = load_case(GOLD[0])
    before = graph_content(loaded)
    from dhrkg.graph.load import delete_statements

    for statements in (delete_statements(case.review.id) + [failing(case.review.id)],
                       summary_statements(case.review.id) + [failing(case.review.id)]):
        with pytest.raises(StoreError, match="nothing was changed$"):
            loaded._replace(statements, review_scope(case.review.id))
        assert graph_content(loaded) == before


def test_the_server_is_reloaded_when_another_write_came_in_between(own_server):
    """The snapshot would undo the other write too: reload from the log instead, and say so."""
    store = FalkorDBStore(own_server)
    case = load_case(GOLD[1])
    store.load_case(case)
    statements = failing_replacement(case)
    snap = undo.take(store, review_scope(case.review.id), statements)
    store._write("CREATE (:Area {key: 'written/meanwhile'})")
    from dhrkg.graph import dialect

    cypher, params = dialect.FALKORDB.single_query(statements)
    with pytest.raises(Exception, match="Type mismatch"):
        store._graph.query(cypher, params)
    pid = server.status(own_server).pid
    note = undo.recover(store, snap)
    assert "another write" in note and "reloaded" in note
    assert server.status(own_server).pid != pid
    store.close()
    store = FalkorDBStore(own_server)
    assert store.query("MATCH (a:Area {key: 'written/meanwhile'}) RETURN count(a)").rows == [[1]]
    store.close()


def test_a_review_that_cannot_be_put_back_falls_back_to_a_reload(own_server):
    store = FalkorDBStore(own_server)
    case = load_case(GOLD[1])
    store.load_case(case)
    store._write("MATCH (r:Review {review: $r}) CREATE (:Person {review: $r, id: 'keyless'})-[:PART_OF]->(r)",
                {"r": case.review.id})
    before = graph_content(store)
    pid = server.status(own_server).pid
    with pytest.raises(StoreError, match="no key; the FalkorDB server was reloaded"):
        store._replace(failing_replacement(case), review_scope(case.review.id))
    assert server.status(own_server).pid != pid
    store.close()
    store = FalkorDBStore(own_server)
    assert graph_content(store) == before
    store.close()


@pytest.mark.parametrize("cypher, undone_by_engine", [
    ("UNWIND range(1, 500) AS i CREATE (:Area {key: 'made/' + toString(i)})", True),
    ("MATCH (p:Person) SET p.notes = 'changed'", True),
    ("MATCH (p:Person) DETACH DELETE p", True),
    ("MATCH (p:Person) DETACH DELETE p WITH count(*) AS c UNWIND range(1, 50) AS i CREATE (:Person {key: toString(i)})",
     False),
])
def test_a_failed_write_restarts_the_server_only_when_the_engine_cannot_undo_it(own_server, cypher, undone_by_engine):
    store = FalkorDBStore(own_server)
    store.load_case(load_case(GOLD[0]))
    before = graph_content(store)
    pid = server.status(own_server).pid
    with pytest.raises(StoreError, match="nothing was changed"):
        store._write(cypher + " WITH count(*) AS c UNWIND $rows AS row WITH row WHERE row.x / 2 > 1 RETURN row",
                    {"rows": [{"x": "text"}]})
    assert (server.status(own_server).pid == pid) == undone_by_engine
    store.close()
    store = FalkorDBStore(own_server)
    assert graph_content(store) == before
    store.close()


def test_a_failed_replacement_leaves_the_graph_and_a_running_read_alone(store):
    """Both engines: another connection's long read, started before, completes; the graph is as
    it was (Neo4j: the transaction rolls back; FalkorDB: the snapshot is put back)."""
    for path in GOLD[:2]:
        store.load_case(load_case(path))
    before = graph_content(store)
    reader = other_connection(store)
    try:
        with long_read_alongside(reader) as outcome:
            with pytest.raises(StoreError if store.backend == "falkordb" else Exception):
                store._replace(failing_replacement(load_case(GOLD[1])), review_scope(load_case(GOLD[1]).review.id))
    finally:
        reader.close()
    assert outcome.get("rows") == [[4500001500000]], outcome
    assert graph_content(store) == before
