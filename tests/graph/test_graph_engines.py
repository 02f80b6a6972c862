"""Graph engines by name (dhrkg.graph.engines): the entry-point group, a third engine, capabilities."""

from __future__ import annotations

from typing import Any

import pytest

from dhrkg.graph import open_store
from dhrkg.graph import engines
from dhrkg.graph.dialect import FALKORDB, NEO4J, Dialect
from dhrkg.graph.schema import CASE_INDEXES, RECORD_INDEXES
from dhrkg.graph.store import Capabilities, QueryResult, ReplaceOutcome, Store


class TinyStore(Store):
    """An engine that keeps nothing: only enough to be opened and asked."""

    backend = "tiny"
    dialect = FALKORDB
    capabilities = Capabilities(transactions=True, path_algorithms=False)

    def __init__(self, **options: Any):
        self.options = options
        self.ran: list[str] = []

    def close(self) -> None:
        pass

    def _replace(self, statements, scope):
        return ReplaceOutcome()

    def _read(self, cypher, params, timeout_ms):
        return QueryResult([], [])

    def _write(self, cypher, params=None):
        return QueryResult([], [])

    def _write_steps(self, statements):
        pass

    def clear(self) -> None:
        pass

    def run_schema(self, ddl: str) -> None:
        self.ran.append(ddl)

    def read_everything(self):
        return [], []


@pytest.fixture
def tiny():
    engine = engines.Engine("tiny", TinyStore.capabilities, lambda **options: TinyStore(**options))
    engines.register(engine)
    yield engine
    engines._REGISTERED.pop("tiny", None)


def test_the_two_engines_come_from_the_entry_point_group():
    assert {"falkordb", "neo4j"} <= set(engines.names())
    assert engines.engine("neo4j").capabilities.transactions
    assert not engines.engine("falkordb").capabilities.transactions
    assert engines.engine("falkordb").capabilities.embedded and not engines.capabilities("neo4j").embedded


def test_a_third_engine_is_found_by_name_and_opened(tiny):
    assert "tiny" in engines.names()
    assert engines.engine("Tiny") is tiny
    with open_store("tiny", timeout_ms=5) as store:
        assert isinstance(store, TinyStore) and store.options["timeout_ms"] == 5
        assert store.capabilities.transactions and not store.capabilities.path_algorithms


def test_an_unknown_engine_is_refused_with_the_known_ones(tiny):
    with pytest.raises(engines.UnknownEngine) as err:
        open_store("orientdb")
    message = str(err.value)
    assert "'orientdb'" in message and "falkordb, neo4j, tiny" in message
    assert all(len(line) <= 80 for line in message.splitlines())


def test_a_store_missing_a_primitive_cannot_be_made():
    class Half(Store):
        def close(self) -> None:
            pass

    with pytest.raises(TypeError, match="abstract"):
        Half()


def test_indexes_are_data_written_by_each_dialect(tiny):
    """The same declared indexes, each engine's syntax; the store applies them."""
    neo4j = NEO4J.index_statements(CASE_INDEXES, set())
    assert "CREATE CONSTRAINT dhrkg_person_key IF NOT EXISTS FOR (n:Person) REQUIRE n.key IS UNIQUE" in neo4j
    assert "CREATE INDEX dhrkg_event_type IF NOT EXISTS FOR (n:Event) ON (n.type)" in neo4j
    falkordb = FALKORDB.index_statements(CASE_INDEXES, {("Person", "key")})
    assert "CREATE INDEX FOR (n:Event) ON (n.type)" in falkordb
    assert not any("(n:Person) ON (n.key)" in s for s in falkordb)
    store = open_store("tiny")
    store.ensure_indexes(RECORD_INDEXES)
    assert store.ran == [f"CREATE INDEX FOR (n:{i.label}) ON (n.key)" for i in RECORD_INDEXES]
    assert isinstance(store.dialect, Dialect)
