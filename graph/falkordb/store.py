"""The FalkorDB store: one graph (a Redis key, default ``dhrkg``) on the embedded server."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from dhrkg import config

from .. import dialect
from ..load import Statement
from ..summaries import SUMMARY_RELATIONSHIP_TYPES
from ..store import QueryResult, ReplaceOutcome, Store, StoreError
from . import server


def _is_missing_graph(exc: Exception) -> bool:
    return "invalid graph operation on empty key" in str(exc).lower()


class FalkorDBStore(Store):
    """A store on the embedded FalkorDB server for ``data_dir`` (started if needed)."""

    backend = "falkordb"

    def __init__(self, data_dir: Optional[Path | str] = None, graph: Optional[str] = None,
                 default_timeout_ms: Optional[int] = None):
        from falkordb import FalkorDB

        self.data_dir = config.data_dir(data_dir)
        self.graph_name = config.graph_name(graph)
        self.default_timeout_ms = default_timeout_ms
        try:
            self.server = server.ensure_running(self.data_dir)
        except server.ServerError as exc:
            raise StoreError(str(exc)) from exc
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # one immediate retry: a pooled connection may be to a server since restarted
        self._db = FalkorDB(unix_socket_path=str(self.server.socket), retry=Retry(NoBackoff(), 1))
        self._redis = self._db.connection
        self._graph = self._db.select_graph(self.graph_name)
        self._schema_lock = threading.Lock()
        self.ensure_schema()
        self.ensure_summaries()

    def close(self) -> None:
        try:
            self._redis.close()
            self._redis.connection_pool.disconnect()
        except Exception:
            pass

    # ---- schema
    def _existing_indexes(self) -> set[tuple[str, str]]:
        """(label, property) pairs with an index (``CALL db.indexes()``: label, properties, ...)."""
        try:
            rows = self._graph.ro_query("CALL db.indexes()").result_set
        except Exception as exc:
            if _is_missing_graph(exc):
                return set()
            raise
        return {(row[0], p) for row in rows for p in row[1]}

    def ensure_schema(self) -> None:
        """Range indexes on ``key`` and ``review`` (no unique constraints: see dhrkg.graph.dialect)."""
        with self._schema_lock:
            for stmt in dialect.falkordb_index_statements(self._existing_indexes()):
                try:
                    self._graph.query(stmt)
                except Exception as exc:
                    if "already indexed" not in str(exc).lower():
                        raise StoreError(f"cannot create a FalkorDB index ({stmt}): {exc}") from exc
            missing = [t for t in SUMMARY_RELATIONSHIP_TYPES if t not in self._relationship_types()]
            if missing:
                self._graph.query(dialect.falkordb_relationship_type_statement(missing))

    def _relationship_types(self) -> set[str]:
        return {row[0] for row in self._graph.ro_query("CALL db.relationshipTypes()").result_set}

    # ---- primitives
    def _replace(self, statements: Sequence[Statement]) -> ReplaceOutcome:
        import redis

        cypher, params = dialect.falkordb_single_query(statements)
        try:
            res = self._graph.query(cypher, params)
        except redis.exceptions.ResponseError as exc:
            # The query failed and FalkorDB may not have undone all of it in memory (4.16: a
            # failed delete-then-create can keep part of the delete); the append-only file
            # never saw it. Reload the server from the file so the graph is as it was.
            self._redis.connection_pool.disconnect()
            server.reload_from_log(self.data_dir)
            raise StoreError(f"the graph engine refused the write ({exc}); nothing was changed "
                             "(the FalkorDB server was reloaded from its log)") from exc
        return ReplaceOutcome(nodes_deleted=int(res.nodes_deleted or 0))

    def write(self, cypher: str, params: Optional[Mapping[str, Any]] = None) -> QueryResult:
        import redis

        try:
            res = self._graph.query(cypher, dict(params or {}))
        except redis.exceptions.ResponseError as exc:
            self._redis.connection_pool.disconnect()
            server.reload_from_log(self.data_dir)  # see _replace
            raise StoreError(f"the graph engine refused the write ({exc}); nothing was changed") from exc
        return self._result(res)

    def _read(self, cypher: str, params: Mapping[str, Any], timeout_ms: Optional[int]) -> QueryResult:
        timeout = timeout_ms if timeout_ms is not None else self.default_timeout_ms
        res = self._graph.ro_query(cypher, dict(params), timeout=int(timeout) if timeout else None)
        return self._result(res)

    @staticmethod
    def _result(res: Any) -> QueryResult:
        columns = []
        for h in res.header or []:
            name = h[1] if isinstance(h, (list, tuple)) and len(h) > 1 else h
            columns.append(name.decode() if isinstance(name, bytes) else str(name))
        return QueryResult(columns=columns, rows=dialect.plain_rows(res.result_set or []))

    def clear(self) -> None:
        """Delete the whole graph (every review and area) and recreate its indexes."""
        try:
            self._graph.delete()
        except Exception as exc:
            if not _is_missing_graph(exc):
                raise
        self.ensure_schema()

    def __repr__(self) -> str:
        return f"FalkorDBStore(data_dir={str(self.data_dir)!r}, graph={self.graph_name!r})"
