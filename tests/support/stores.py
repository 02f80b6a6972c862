"""A graph store for a test on each engine: one place that opens it on a graph of its own and
cleans up after (the fixtures in tests/conftest.py and the module-wide stores use it)."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest

#: The params of a fixture on each engine in turn (Neo4j's marked, so ``-m "not neo4j"`` leaves it out).
ENGINES = ["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@contextlib.contextmanager
def falkordb_store(data_dir: Path, prefix: str = "test") -> Iterator[Any]:
    """A FalkorDB store on a new graph of its own in ``data_dir``; the graph is deleted after."""
    from dhrkg.graph.falkordb import FalkorDBStore

    store = FalkorDBStore(data_dir, graph=f"{prefix}-{uuid.uuid4().hex[:10]}")
    try:
        yield store
    finally:
        with contextlib.suppress(Exception):
            store.drop_graph()
        store.close()


@contextlib.contextmanager
def neo4j_store(connection: Any) -> Iterator[Any]:
    """A store on the session's Neo4j (``connection``: the neo4j_server fixture), emptied first."""
    from dhrkg.config import Neo4jSettings
    from dhrkg.graph.neo4j import Neo4jStore

    store = Neo4jStore(Neo4jSettings(connection.uri, connection.user, connection.password, connection.database))
    try:
        store.clear()
        yield store
    finally:
        store.close()
