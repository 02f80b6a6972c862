"""A Neo4j that dies in the middle of a load: the load fails clearly (a StoreError after the
driver's retries), it does not hang or leak a driver exception. (That the review is then whole
or absent is Neo4j's transaction guarantee; the launcher deletes its data on exit, so it is not
checked here against a restarted server.)"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from dhrkg.graph import StoreError
from dhrkg.model import load_case

from support.reviews import with_extra_events

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
    outcome = {}

    def load():
        try:
            store.load_case(big)
            outcome["ok"] = True
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=load)
    thread.start()
    time.sleep(1.0)
    os.killpg(own_neo4j.process.pid, signal.SIGKILL)  # the JVM, mid-load
    thread.join(120)
    assert not thread.is_alive(), "the load hangs after Neo4j died"
    if "ok" not in outcome:
        assert isinstance(outcome["error"], StoreError), repr(outcome["error"])
        assert "stopped answering during" in str(outcome["error"])
    store.close()
