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
