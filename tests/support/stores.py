"""A graph store for a test on each engine: one place that opens it on a graph of its own and
cleans up after (the fixtures in tests/conftest.py and the module-wide stores use it).

Neo4j (community) has one database for the session: every Neo4j test's store empties it first,
so a module-wide store on it (:class:`ModuleStore`) is filled again before a test when another
test emptied it since, and the module's tests pass in any order."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

#: The params of a fixture on each engine in turn (Neo4j's marked, so ``-m "not neo4j"`` leaves it out).
ENGINES = ["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)]

#: How many times the session's one Neo4j database was emptied (:func:`neo4j_store`,
#: :class:`ModuleStore`): a module-wide store filled at another count holds what another test left.
_neo4j_emptied = [0]


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
        _empty_neo4j(store)
        yield store
    finally:
        store.close()


def _empty_neo4j(store: Any) -> None:
    store.clear()
    _neo4j_emptied[0] += 1


class ModuleStore:
    """A store filled once by ``fill(store)`` for a module's tests, which each take it with
    :meth:`for_test`. On Neo4j it is filled again (emptied first) when another test emptied the
    session's one database since; a FalkorDB store is a graph of its own, never emptied by another."""

    def __init__(self, store: Any, fill: Callable[[Any], Any]):
        self.store, self.fill = store, fill
        self.filled_at = _neo4j_emptied[0]
        fill(store)

    def for_test(self) -> Any:
        if self.store.backend == "neo4j" and self.filled_at != _neo4j_emptied[0]:
            _empty_neo4j(self.store)
            self.filled_at = _neo4j_emptied[0]
            self.fill(self.store)
        return self.store
