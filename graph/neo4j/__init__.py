"""Neo4j backend: a Neo4j 5 server through the official driver (selected by --backend neo4j or NEO4J_URI)."""

from typing import Any

from ..engines import Engine
from .store import Neo4jStore

__all__ = ["ENGINE", "Neo4jStore"]


def _open(timeout_ms: Any = None, neo4j_uri: Any = None, neo4j_user: Any = None, neo4j_password: Any = None,
          neo4j_database: Any = None, summarising: Any = None, **_other: Any) -> Neo4jStore:
    from dhrkg import config

    settings = config.neo4j_settings(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)
    return Neo4jStore(settings, default_timeout_ms=timeout_ms, summarising=summarising)


#: the ``neo4j`` entry of the ``dhrkg.stores`` entry-point group
ENGINE = Engine("neo4j", Neo4jStore.capabilities, _open, "a Neo4j 5 server (NEO4J_URI)", Neo4jStore.dialect)
