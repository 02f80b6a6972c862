"""A review is replaced atomically: a crash (kill -9 of the FalkorDB server) or a concurrent
reader sees the old version or the new one, never a mix; other reviews stay intact."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from dhrkg.graph.falkordb import FalkorDBStore, server
from dhrkg.graph.schema import case_rows
from dhrkg.model import load_case

from support.reviews import review_fingerprint, review_signature, with_extra_events

pytestmark = pytest.mark.processes  # processes, signals, engines killed: on one Python in CI (.ci/run)

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))


# --------------------------------------------------------------------------- crash (FalkorDB)



def _kill_server(data_dir: Path) -> None:
    pid = server.status(data_dir).pid
    assert pid
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while server._is_redis_process(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def test_kill_9_during_load_leaves_old_or_new_and_other_reviews_intact(own_server):
    data_dir = own_server
    other, base = load_case(GOLD[0]), load_case(GOLD[1])
    rid = base.review.id
    old = with_extra_events(base, 0, "old")
    new = with_extra_events(base, 3000, "new")  # big enough that the load takes a while
    old_rows, new_rows = case_rows(old), case_rows(new)

    s = FalkorDBStore(data_dir)
    s.load_case(other)
    other_fp = review_fingerprint(s, other.review.id)
    s.load_rows(old_rows)
    t0 = time.perf_counter()  # a replacing load, as in the loop below (it reads the old one first)
    s.load_rows(new_rows)
    load_seconds = time.perf_counter() - t0
    new_fp = review_signature(s, rid)
    s.load_rows(old_rows)
    old_fp = review_signature(s, rid)
    s.close()
    assert old_fp != new_fp

    outcomes = []
    for fraction in (0.0, 0.3, 0.6, 0.9, None):  # None: the load is left to finish, then the kill
        s = FalkorDBStore(data_dir)
        before = review_signature(s, rid)
        target_rows, target_fp = (new_rows, new_fp) if before == old_fp else (old_rows, old_fp)
        done = {}

        def load(store=s, rows=target_rows):
            try:
                store.load_rows(rows)
                done["ok"] = True
            except Exception as exc:  # the server died under it
                done["error"] = exc

        t = threading.Thread(target=load)
        t.start()
        if fraction is None:
            t.join(120)  # a timed wait would race the load on a busy machine
        else:
            time.sleep(fraction * load_seconds)
        _kill_server(data_dir)
        t.join(60)
        s.close()
        # restart over the stale pid file and socket the kill left behind
        assert "stale" in server.status(data_dir).detail
        s = FalkorDBStore(data_dir)
        after = review_signature(s, rid)
        assert after in (before, target_fp), f"a mix after kill -9 at {fraction or 1:.0%} of the load"
        if done.get("ok"):
            assert after == target_fp, "the load returned, so its data must have survived kill -9"
        assert review_fingerprint(s, other.review.id) == other_fp
        outcomes.append("new" if after == target_fp else "old")
        s.close()
    # the load that was left to finish survived
    assert outcomes[-1] == "new"


def test_a_torn_write_at_the_end_of_the_log_is_dropped_at_restart(own_server):
    data_dir = own_server
    case = load_case(GOLD[2])
    s = FalkorDBStore(data_dir)
    s.load_case(case)
    fp = review_fingerprint(s, case.review.id)
    s.close()
    _kill_server(data_dir)
    # a crash in the middle of appending a command: half of it reached the file
    incr = sorted((data_dir / "appendonlydir").glob("*.incr.aof"))[-1]
    query = "MATCH (n:Person) DETACH DELETE n"
    with open(incr, "ab") as fh:
        fh.write(f"*3\r\n$11\r\nGRAPH.QUERY\r\n$5\r\ndhrkg\r\n${len(query)}\r\n{query[:10]}".encode())
    s = FalkorDBStore(data_dir)
    assert review_fingerprint(s, case.review.id) == fp
    s.close()
    assert "truncat" in (data_dir / "falkordb.log").read_text().lower()


def test_a_stale_pid_file_and_socket_do_not_stop_a_start(tmp_path):
    data_dir = tmp_path / "db"
    data_dir.mkdir()
    paths = server.ServerPaths(data_dir)
    paths.pid_file.write_text("999999\n")  # no such process
    paths.socket.write_text("")  # a dead socket file
    st = server.status(data_dir)
    assert not st.running and "stale" in st.detail
    try:
        st = server.ensure_running(data_dir)
        assert st.running and st.pid != 999999
        again = server.ensure_running(data_dir)  # reuses the running one
        assert again.pid == st.pid
    finally:
        server.stop(data_dir)
    assert not server.status(data_dir).running
    assert not paths.pid_file.exists() and not paths.socket.exists()


# --------------------------------------------------------------------------- concurrent reader (both)


def test_a_concurrent_reader_never_sees_a_mix(store):
    base = load_case(GOLD[1])
    rid = base.review.id
    versions = {"v1": with_extra_events(base, 20, "v1"), "v2": with_extra_events(base, 150, "v2")}
    expected = {}
    for tag, case in versions.items():
        store.load_case(case)
        expected[tag] = (len(case.events), len(case_rows(case).edges[("INVOLVED", "Person", "Event")]))
    q = ("MATCH (e:Event {review: $r}) WITH collect(DISTINCT split(e.summary, ':')[0]) AS tags, count(e) AS events "
         "MATCH (:Person)-[i:INVOLVED]->(:Event {review: $r}) RETURN tags, events, count(i) AS involved")
    seen, problems = [], []
    stop = threading.Event()
    # the reader has a store of its own (another connection), as another user would
    if store.backend == "falkordb":
        reader_store = FalkorDBStore(store.data_dir, graph=store.graph_name)
    else:
        from dhrkg.graph.neo4j import Neo4jStore

        reader_store = Neo4jStore(store.settings)

    def read():
        while not stop.is_set():
            rows = reader_store.query(q, {"r": rid}).rows
            if len(rows) != 1:
                problems.append(rows)
                continue
            tags, events, involved = rows[0]
            if len(tags) != 1 or (events, involved) != expected.get(tags[0]):
                problems.append((tags, events, involved))
            seen.append(tags[0] if len(tags) == 1 else "mix")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(8):
            store.load_case(versions["v1" if i % 2 else "v2"])
    finally:
        stop.set()
        reader.join(60)
        reader_store.close()
    assert not problems, problems[:3]
    assert len(set(seen)) == 2, "the reader should have seen both versions"


def test_a_replacement_that_fails_part_way_leaves_the_old_version(store):
    """The delete and the creates ran, then a later statement failed: all of it is undone."""
    from dhrkg.graph.load import Statement, replace_statements, review_scope

    case = load_case(GOLD[0])
    store.load_case(case)
    before = review_fingerprint(store, case.review.id)
    revised = with_extra_events(case, 5, "revised")
    statements = replace_statements(case_rows(revised))
    failing = Statement("UNWIND $rows AS row WITH row WHERE row.x / 2 > 1 CREATE (:Person {key: 'never'})",
                        {"rows": [{"x": "not a number"}]}, "node", 1)
    with pytest.raises(Exception):
        store._replace(statements + [failing], review_scope(case.review.id))
    assert review_fingerprint(store, case.review.id) == before
    assert store.query("MATCH (p:Person {key: 'never'}) RETURN count(p) AS n").rows == [[0]]
