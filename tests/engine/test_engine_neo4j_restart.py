"""A Neo4j that dies in the middle of a load: the load fails clearly (a StoreError after the
driver's retries), it does not hang or leak a driver exception; and when Neo4j comes back on the
same data and port within the driver's retry window, the load finishes (or fails clearly) and
every review is whole: all old or all new (issue 13, the kill -9 loops)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from dhrkg.graph import StoreError
from dhrkg.graph.schema import case_rows
from dhrkg.model import load_case

from support.reviews import load_in_background, with_extra_events

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))

pytestmark = pytest.mark.neo4j


@pytest.fixture
def own_neo4j():
    """A Neo4j of this test's own (it gets killed), from the repo's launcher."""
    from support.neo4j_server import LaunchedNeo4j, Neo4jUnavailable, require_neo4j

    try:
        launched = LaunchedNeo4j()
    except Neo4jUnavailable as exc:
        if require_neo4j():
            pytest.fail(f"DHRKG_REQUIRE_NEO4J=1 but {exc}", pytrace=False)
        pytest.skip(str(exc))
    yield launched
    launched.stop()


def test_a_load_into_a_neo4j_that_dies_fails_clearly(own_neo4j):
    from dhrkg.config import Neo4jSettings
    from dhrkg.graph.neo4j import Neo4jStore

    c = own_neo4j.connection
    store = Neo4jStore(Neo4jSettings(c.uri, c.user, c.password, c.database))
    big = with_extra_events(load_case(GOLD[1]), 20000, "new")
    thread, outcome = load_in_background(store, big)
    time.sleep(1.0)
    os.killpg(own_neo4j.process.pid, signal.SIGKILL)  # the JVM, mid-load
    thread.join(120)
    assert not thread.is_alive(), "the load hangs after Neo4j died"
    if "ok" not in outcome:
        assert isinstance(outcome["error"], StoreError), repr(outcome["error"])
        assert "stopped answering during" in str(outcome["error"])
    store.close()


def test_a_load_survives_a_neo4j_killed_and_restarted_on_its_data(tmp_path):
    from dhrkg.config import Neo4jSettings
    from dhrkg.graph.neo4j import Neo4jStore
    from support.neo4j_server import LaunchedNeo4j, Neo4jUnavailable, require_neo4j

    from support.reviews import review_signature

    data = tmp_path / "neo4j-data"
    try:
        first = LaunchedNeo4j(data_dir=data)
    except Neo4jUnavailable as exc:
        if require_neo4j():
            pytest.fail(f"DHRKG_REQUIRE_NEO4J=1 but {exc}", pytrace=False)
        pytest.skip(str(exc))
    second = None
    try:
        c = first.connection
        port = int(c.uri.rsplit(":", 1)[1])
        store = Neo4jStore(Neo4jSettings(c.uri, c.user, c.password, c.database))
        other, base = load_case(GOLD[0]), load_case(GOLD[1])
        store.load_case(other)
        store.load_case(with_extra_events(base, 200, "old"))
        other_sig, old_sig = review_signature(store, other.review.id), review_signature(store, base.review.id)
        new = with_extra_events(base, 5000, "new")
        thread, outcome = load_in_background(store, new)
        time.sleep(1.0)
        os.killpg(first.process.pid, signal.SIGKILL)  # the JVM, mid-load
        first.process.wait()
        killed = time.monotonic()
        second = LaunchedNeo4j(data_dir=data, port=port, password=first.password)  # same data and port
        thread.join(180)
        print(f"Neo4j back after {second.ready_after_s:.1f} s; the load "
              f"{'finished' if 'ok' in outcome else 'failed'} {time.monotonic() - killed:.1f} s after the kill")
        assert not thread.is_alive(), "the load hangs after Neo4j came back"
        if "ok" not in outcome:
            assert isinstance(outcome["error"], StoreError), repr(outcome["error"])
            assert "stopped answering during" in str(outcome["error"])
        store.close()
        store = Neo4jStore(Neo4jSettings(c.uri, c.user, c.password, c.database))
        after = review_signature(store, base.review.id)
        assert after[2] in (["old"], ["new"]), f"a mix of versions: {after[2]}"
        if after[2] == ["old"]:
            assert after == old_sig and "ok" not in outcome
        else:  # counts check: every node and relationship of the new version, no more
            rows = case_rows(new)
            nodes = [[label, n] for label, n in sorted(rows.node_counts().items()) if label != "Area" and n]
            rels = [[rtype, n] for rtype, n in sorted(rows.edge_counts().items()) if n]
            assert after[:2] == (repr(nodes), repr(rels))
        assert review_signature(store, other.review.id) == other_sig
        store.close()
    finally:
        first.stop()
        if second is not None:
            second.stop()
