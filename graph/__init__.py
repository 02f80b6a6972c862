"""dhrkg.graph: the property graph of Domestic Homicide Reviews, on FalkorDB or Neo4j.

::

    from dhrkg.graph import open_store
    with open_store() as store:              # backend: "falkordb" (default) | "neo4j"
        store.load_case(case)                # replace that review atomically
        store.query("MATCH (p:Person {review: $r}) RETURN p.id AS id", {"r": "..."})

The schema is in ``docs/graph-schema.md`` (generated tables from :mod:`dhrkg.graph.schema`);
engine differences live in :mod:`dhrkg.graph.dialect`.
"""

if __name__ != "dhrkg.graph":  # pragma: no cover - import guard
    raise ImportError(
        "this folder is the dhrkg.graph package; import it as 'dhrkg.graph', not 'graph'"
    )

from pathlib import Path
from typing import Optional

from .readonly import WriteNotAllowed, check_read_only
from .store import LoadReport, QueryResult, Store, StoreError, SummaryProgress

__all__ = [
    "LoadReport", "QueryResult", "Store", "StoreError", "WriteNotAllowed", "check_read_only", "open_store",
]


def open_store(
    backend: Optional[str] = None,
    data_dir: Optional[Path | str] = None,
    *,
    graph: Optional[str] = None,
    timeout_ms: Optional[int] = None,
    neo4j_uri: Optional[str] = None,
    neo4j_user: Optional[str] = None,
    neo4j_password: Optional[str] = None,
    neo4j_database: Optional[str] = None,
    summarising: Optional[SummaryProgress] = None,
) -> Store:
    """Open the graph store.

    ``backend`` names an engine of the ``dhrkg.stores`` entry-point group (dhrkg.graph.engines:
    ``"falkordb"`` or ``"neo4j"``, or a plug-in's; an unknown name: UnknownEngine); unset: ``DHRKG_BACKEND``, else ``neo4j`` when
    ``NEO4J_URI`` is set, else ``falkordb``. FalkorDB: the embedded server for ``data_dir``
    (``DHRKG_DATA_DIR``, default the user data dir) is started if it is not running; ``graph``
    names the graph (``DHRKG_GRAPH``, default ``dhrkg``). Neo4j: ``neo4j_*`` arguments, else the
    ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE`` environment variables.
    ``timeout_ms``: the default timeout for read queries (``DHRKG_QUERY_TIMEOUT_MS``).
    ``summarising``: how the store shows that it summarises stale reviews as it opens
    (:data:`dhrkg.graph.store.SummaryProgress`; the CLI shows a line and a bar).
    """
    from dhrkg import config

    from . import engines

    name = backend.strip().lower() if backend else config.backend()
    timeout = timeout_ms if timeout_ms is not None else config.query_timeout_ms()
    return engines.engine(name).open(
        data_dir=data_dir, graph=graph, timeout_ms=timeout, neo4j_uri=neo4j_uri, neo4j_user=neo4j_user,
        neo4j_password=neo4j_password, neo4j_database=neo4j_database, summarising=summarising)
