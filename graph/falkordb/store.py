"""The FalkorDB store: one graph (a Redis key, default ``dhrkg``) on the embedded server."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from dhrkg import config

from .. import dialect
from ..load import Scope, Statement
from ..summaries import SUMMARY_RELATIONSHIP_TYPES
from ..store import Capabilities, QueryResult, ReplaceOutcome, Store, StoreError, SummaryProgress
from ..schema import CASE_INDEXES, RECORD_INDEXES, Index
from . import replies, server, undo, watchdog
from .text_ranges import TextRangeGuard

#: Text properties compared with ``<`` and ``<=`` (dates: the homicide bound, date ranges) that a
#: FalkorDB graph must not index: FalkorDB 4.16 answers ``n.p < $x`` and ``n.p <= $x`` on an
#: indexed text property with every node, the comparison dropped (FalkorDB issue #2239, fixed
#: only in its Rust rewrite; tests/graph/test_text_ranges.py). Without the index the comparison
#: is a filter, and right. Neo4j keeps its index on them (graph/neo4j/store.py NEO4J_INDEXES).
TEXT_RANGE_UNSAFE = (Index("Event", "date_from"),)
#: Every read's range comparisons on the text properties FalkorDB indexes, made filters (the
#: same fault: dhrkg.graph.falkordb.text_ranges).
RANGE_GUARD = TextRangeGuard.of(CASE_INDEXES + RECORD_INDEXES, unindexed=TEXT_RANGE_UNSAFE)


def _first_nul(value: Any, where: str = "") -> Optional[str]:
    """Where the first string holding a NUL character is in ``value`` (None: nowhere)."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, Mapping):
        items = value.items()
        where = f"{where} {value['key']!r}" if isinstance(value.get("key"), str) else where
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return None
    for k, v in items:
        found = _first_nul(v, f"{where} {k}" if isinstance(k, str) else where)
        if found is not None:
            return found
    return None


def _refuse_nul(params: Mapping[str, Any]) -> None:
    """FalkorDB cannot take a NUL character in a value (the query is cut short): refuse it
    before sending, so the server is not troubled and the message says what is wrong."""
    where = _first_nul(params)
    if where is not None:
        shown = " ".join(w for w in where.split() if w not in ("rows", "props"))
        raise StoreError(f"a value holds a NUL character, which FalkorDB cannot store "
                         f"({shown.strip() or 'a parameter'}); nothing was changed")


def _failed_before_running(exc: Exception) -> bool:
    """A query FalkorDB could not parse: it never ran, so the graph in memory is untouched and
    the server need not be reloaded (parse errors carry "errCtx")."""
    return "errctx" in str(exc).lower()


#: How long a command refused with "BUSY preparing to fork" is tried again: the server forks for
#: a rewrite of its append-only file (which grows with every load) and refuses commands until
#: the fork is made; a refused command never ran, so running it again is safe.
BUSY_RETRY_S = 120.0


def _busy_retry(run: Any) -> Any:
    """``run()``, again (for up to BUSY_RETRY_S) while the server says it is busy forking."""
    import time

    import redis

    deadline = time.monotonic() + BUSY_RETRY_S
    while True:
        try:
            return run()
        except redis.exceptions.ResponseError as exc:
            if not str(exc).lower().startswith("busy preparing to fork") or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _is_missing_graph(exc: Exception) -> bool:
    return "invalid graph operation on empty key" in str(exc).lower()


#: a property no node has: the writes that merge a label's pending changes match nothing by it
_NEVER_SET = "`__dhrkg_merge_pending__`"
#: FalkorDB's setting that :meth:`FalkorDBStore._merge_pending_labels` sets to 1 for a moment,
#: and its default (FalkorDB 4.16), which dhrkg keeps (BENCHMARKS.md: larger gave no gain)
PENDING_CHANGES = "DELTA_MAX_PENDING_CHANGES"
PENDING_CHANGES_DEFAULT = 10000


class FalkorDBStore(Store):
    """A store on the embedded FalkorDB server for ``data_dir`` (started if needed)."""

    backend = "falkordb"
    dialect = dialect.FALKORDB
    capabilities = Capabilities(transactions=False, full_text_index=True, path_algorithms=True,
                                embedded=True, cypher_subset=True, offline_load="graph-bulk")

    def __init__(self, data_dir: Optional[Path | str] = None, graph: Optional[str] = None,
                 default_timeout_ms: Optional[int] = None, summarising: Optional[SummaryProgress] = None):
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
        self._no_telemetry()
        self._put_back_pending_changes()
        self.ensure_schema()
        self.ensure_summaries(progress=summarising)

    def _no_telemetry(self) -> None:
        """Telemetry off on a server started before dhrkg turned it off at start-up."""
        import redis

        with contextlib.suppress(redis.exceptions.ResponseError):
            self._redis.execute_command("GRAPH.CONFIG", "SET", "CMD_INFO", "no")

    def _put_back_pending_changes(self) -> None:
        """FalkorDB's default DELTA_MAX_PENDING_CHANGES again, when a dhrkg killed inside
        :meth:`_merge_pending_labels` left it at 1 (every write would then merge its label's
        changes at once: slower, never wrong). Seen under the write lock, which a merge holds,
        a 1 is such a leftover."""
        if self._pending_changes() != 1:
            return
        with server.writing(self.data_dir):
            if self._pending_changes() == 1:
                self._redis.execute_command("GRAPH.CONFIG", "SET", PENDING_CHANGES, PENDING_CHANGES_DEFAULT)

    def _pending_changes(self) -> Optional[int]:
        """The server's DELTA_MAX_PENDING_CHANGES; None for a FalkorDB without the setting."""
        import redis

        try:
            return int(self._redis.execute_command("GRAPH.CONFIG", "GET", PENDING_CHANGES)[1])
        except (redis.exceptions.ResponseError, IndexError, TypeError, ValueError):
            return None

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
        """Range indexes (no unique constraints: see dhrkg.graph.dialect), none of
        TEXT_RANGE_UNSAFE (one an earlier dhrkg made is dropped), and the summaries'
        relationship types."""
        with self._schema_lock:
            self._drop_indexes(TEXT_RANGE_UNSAFE)
            super().ensure_schema()
            missing = [t for t in SUMMARY_RELATIONSHIP_TYPES if t not in self._relationship_types()]
            if missing:
                self._graph.query(self.dialect.relationship_type_statement(missing))

    def ensure_indexes(self, indexes: Sequence[Any]) -> None:
        """Create the ``indexes`` not there yet, the pending changes of their labels merged first
        (:meth:`_merge_pending_labels`), and wait for them."""
        existing = self._existing_indexes()
        missing = sorted({i.label for i in indexes if (i.label, i.prop) not in existing})
        if missing:
            self._merge_pending_labels(missing)
        super().ensure_indexes(indexes)

    def _merge_pending_labels(self, labels: Sequence[str]) -> None:
        """Merge the pending changes of ``labels``' matrices into the matrices themselves.

        FalkorDB (4.16 and later; its tests/flow/test_index_populate_unsynced_delta.py) fills a new
        index from the label's matrix in batches and resumes each batch after the last id it
        read, while it reads the pending additions (kept apart until there are
        DELTA_MAX_PENDING_CHANGES of them) only after the whole matrix: a node whose label is
        still pending below where a batch resumes is never indexed, and lookups by that index
        never find it. That happens in a graph whose freed ids were reused (reviews replaced or
        deleted). A write that reads a label's matrix merges its pending changes when there are
        at least that many, so the threshold is 1 for the moment of these writes (a setting of
        the whole server, put back at once; they match no node and change nothing)."""
        # under the write lock: two processes that merge at once would each read the other's 1
        # as the setting to put back
        with server.writing(self.data_dir):
            before = self._pending_changes()
            if before is None:
                return  # a FalkorDB without the setting: nothing pending to merge
            if before == 1:  # left by a dhrkg killed in this moment: never dhrkg's setting
                before = PENDING_CHANGES_DEFAULT
            self._redis.execute_command("GRAPH.CONFIG", "SET", PENDING_CHANGES, 1)
            try:
                for label in labels:
                    self._graph.query(f"MATCH (n:`{label}`) WHERE n.{_NEVER_SET} = 1 SET n.{_NEVER_SET} = NULL")
            finally:
                self._redis.execute_command("GRAPH.CONFIG", "SET", PENDING_CHANGES, before)

    def _relationship_types(self) -> set[str]:
        return {row[0] for row in self._graph.ro_query("CALL db.relationshipTypes()").result_set}

    # ---- primitives
    def _replace(self, statements: Sequence[Statement], scope: Scope) -> ReplaceOutcome:
        from .params import header

        cypher, params = self.dialect.single_query(statements)
        text = header(params) + cypher  # the client's text, written faster (params module)
        if "\0" in text:
            for st in statements:
                _refuse_nul(st.params)
        with server.writing(self.data_dir):  # no dhrkg write between a failure and its undo
            if undo.engine_undoes(cypher):  # nothing deleted (a batch of records): no snapshot
                res = self._run_write(text, None, lambda: "")
            else:
                before = undo.take(self, scope, statements)  # what the write may change
                res = self._run_write(text, None, lambda: undo.recover(self, before))
        return ReplaceOutcome(nodes_deleted=int(res.nodes_deleted or 0))

    def _run_write(self, cypher: str, params: Optional[Mapping[str, Any]], recover: Any, run: Any = None) -> Any:
        """Run one write query (``run()``, default the client's ``query``); when it fails
        part-way, ``recover()`` (its note ends the message)."""
        import redis

        run = run or (lambda: self._graph.query(cypher, dict(params) if params else None))
        try:
            return _busy_retry(run)
        except redis.exceptions.ResponseError as exc:
            if dialect.KEY_GUARD_ERROR in str(exc).lower():
                raise StoreError("a key of this review already belongs to another review; "
                                 "nothing was changed") from exc
            if _failed_before_running(exc):
                raise StoreError(f"the graph engine refused the write ({exc}); nothing was changed") from exc
            # FalkorDB 4.16 may not have undone a failed delete-then-create in memory: put the
            # snapshot back (or, failing that, reload the server from its append-only file)
            note = recover()
            raise StoreError(f"the graph engine refused the write ({exc}); nothing was changed{note}") from exc

    def _write(self, cypher: str, params: Optional[Mapping[str, Any]] = None) -> QueryResult:
        _refuse_nul(params or {})
        with server.writing(self.data_dir):
            res = self._write_unsnapshotted(cypher, params)
        return self._result(res)

    def _write_unsnapshotted(self, cypher: str, params: Optional[Mapping[str, Any]]) -> Any:
        """One write with no snapshot (the write lock held by the caller): reload the server
        when the engine's own undo cannot be trusted (see _replace)."""
        recover = (lambda: "") if undo.engine_undoes(cypher) else (lambda: undo.recover(self, None))
        return self._run_write(cypher, params, recover)

    def _write_steps(self, statements: Sequence[Statement]) -> None:
        """One query per statement, its parameters written by dhrkg.graph.falkordb.params."""
        from .params import header

        with server.writing(self.data_dir):
            for st in statements:
                _refuse_nul(st.params)
                self._write_unsnapshotted(header(st.params) + st.cypher, None)

    def write_batch(self, cypher: str, params: Optional[Mapping[str, Any]] = None) -> QueryResult:
        """A bulk-load batch, its parameters written by dhrkg.graph.falkordb.params (the client's
        text, faster)."""
        from .params import header

        text = header(params or {}) + cypher
        if "\0" in text:
            _refuse_nul(params or {})
        recover = (lambda: "") if undo.engine_undoes(cypher) else (lambda: undo.recover(self, None))
        # the reply parsed by dhrkg (replies): a batch may return thousands of values (bulk_ends)
        run = lambda: replies.result(self._graph, self._graph.execute_command(  # noqa: E731
            "GRAPH.QUERY", self.graph_name, text, "--compact"))
        with server.writing(self.data_dir):
            return self._run_write(text, None, recover, run)

    def location(self) -> str:
        return f"{self.backend} {self.data_dir} {self.graph_name}"

    #: measured: a first load's rows go in faster without the secondary indexes, built after
    bulk_defers_indexes = True

    def _bulk_sender(self) -> Any:
        """Relationships find their ends by the internal ids the node batches return
        (dhrkg.graph.falkordb.bulk_ends)."""
        from .bulk_ends import EndIds

        return EndIds(self.write_batch).send

    def _build_indexes(self, indexes: Sequence[Any]) -> None:
        """FalkorDB builds new indexes in the background: wait until they serve."""
        self.ensure_indexes(indexes)
        self.wait_for_indexes()

    def _drop_indexes(self, indexes: Sequence[Any]) -> list[Any]:
        """Drop those of ``indexes`` the graph has; the ones dropped."""
        existing = self._existing_indexes()
        dropped = [i for i in indexes if (i.label, i.prop) in existing]
        for i in dropped:
            self.run_schema(f"DROP INDEX FOR (n:{i.label}) ON (n.{i.prop})")
        return dropped

    def wait_for_indexes(self, timeout_s: float = 3600.0) -> None:
        """Until FalkorDB has built every index (it builds new ones in the background; until
        then a lookup scans the label)."""
        import time

        deadline = time.monotonic() + timeout_s
        while any(row[7] != "OPERATIONAL" for row in self.query("CALL db.indexes()").rows):
            if time.monotonic() > deadline:
                raise StoreError("FalkorDB did not finish building the indexes; they are still being built")
            time.sleep(0.2)

    def delete_review(self, review: str) -> int:
        """Delete a review, then erase its traces: the graph's slow log (queries with their
        parameters) and the append-only file, rewritten so no file still holds the review."""
        deleted = super().delete_review(review)
        self.erase_traces()
        return deleted

    def erase_traces(self) -> None:
        """Drop copies of past queries (slow log, query telemetry of a server started before
        telemetry was turned off) and rewrite the append-only file from memory."""
        import redis

        with contextlib.suppress(redis.exceptions.ResponseError):
            self._redis.execute_command("GRAPH.SLOWLOG", self.graph_name, "RESET")
        self._redis.execute_command("SLOWLOG", "RESET")
        for key in self._redis.scan_iter(match="telemetry{*}", count=1000):
            self._redis.delete(key)
        try:
            server.rewrite_log(self.server.socket)
        except server.ServerError as exc:
            raise StoreError(f"deleted, but the data files still hold it: {exc}") from exc

    def _read(self, cypher: str, params: Mapping[str, Any], timeout_ms: Optional[int]) -> QueryResult:
        """``cypher`` with its range comparisons on indexed texts made filters (RANGE_GUARD)."""
        sent = RANGE_GUARD.rewrite(cypher)
        try:
            return self._read_as_sent(sent, params, timeout_ms)
        except Exception as exc:
            if sent is cypher or not _failed_before_running(exc):
                raise
            self._raise_own_error(cypher, params)
            raise

    def _read_as_sent(self, cypher: str, params: Mapping[str, Any], timeout_ms: Optional[int]) -> QueryResult:
        timeout = timeout_ms if timeout_ms is not None else self.default_timeout_ms
        if not timeout:  # the reply parsed by dhrkg (replies), not by the client
            return _busy_retry(lambda: replies.ro_query(self._graph, cypher, dict(params)))
        return _busy_retry(lambda: watchdog.run(self, cypher, dict(params), int(timeout)))

    def _raise_own_error(self, cypher: str, params: Mapping[str, Any]) -> None:
        """The engine's error for the query as written (the rewritten one refused to parse):
        its line and column are the user's. GRAPH.EXPLAIN parses without running."""
        self._graph.explain(cypher, dict(params))

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

    def run_schema(self, ddl: str) -> None:
        import redis

        try:
            self._graph.query(ddl)
        except redis.exceptions.ResponseError as exc:  # schema errors change nothing: no reload
            if not any(s in str(exc).lower() for s in ("already indexed", "unable to drop")):
                raise StoreError(f"cannot change FalkorDB's indexes ({ddl}): {exc}") from exc

    def read_everything(self) -> tuple[list[list[Any]], list[list[Any]]]:
        """Nodes, then relationships, read again if the append-only file grew in between (every
        write reaches it; reads do not), so no write falls between the two."""
        for _ in range(10):
            before = self._redis.info("persistence")["aof_current_size"]
            # internal ids only join a backup's relationships to its nodes
            nodes = self._read("MATCH (n) RETURN ID(n), labels(n), properties(n)", {}, 0).rows  # cypher-lint: allow internal-id
            rels = self._read("MATCH (a)-[e]->(b) RETURN ID(a), type(e), ID(b), properties(e)",  # cypher-lint: allow internal-id
                              {}, 0).rows
            if self._redis.info("persistence")["aof_current_size"] == before:
                return nodes, rels
        raise StoreError("the graph kept changing while it was read; try the backup again")

    # ---- the offline load (dhrkg.graph.offline)
    def drop_graph(self) -> None:
        """Delete the graph, its indexes included (nothing to do when there is none): GRAPH.BULK
        creates the graph itself."""
        try:
            self._graph.delete()
        except Exception as exc:
            if not _is_missing_graph(exc):
                raise

    def bulk_insert(self, streams: Any, progress: Any = None, max_bytes: Optional[int] = None) -> Any:
        """Send the rows of ``streams`` (:mod:`dhrkg.graph.bulk`) with GRAPH.BULK, which creates
        this store's graph (:meth:`drop_graph` first), with no automatic rewrite of the
        append-only file meanwhile (:meth:`no_log_rewrite`). The :class:`BulkInsertReport`."""
        from .bulk_insert import bulk_insert

        with self.no_log_rewrite():
            return bulk_insert(self._redis, self.graph_name, streams, progress=progress, max_bytes=max_bytes)

    @contextlib.contextmanager
    def no_log_rewrite(self) -> Any:
        """No automatic rewrite of the append-only file while the block runs (the setting put
        back after). The file grows by every GRAPH.BULK command, so the server rewrites it
        again and again during an offline load, forking each time; at 3M people FalkorDB 4.16
        stopped answering altogether (even PING) after such a rewrite in the middle of the
        GRAPH.BULK commands (BENCHMARKS.md, 2026-12-07). Every command still reaches the file."""
        setting = "auto-aof-rewrite-percentage"
        before = self._redis.config_get(setting)[setting]
        self._redis.config_set(setting, 0)
        try:
            yield
        finally:
            self._redis.config_set(setting, before)

    def __repr__(self) -> str:
        return f"FalkorDBStore(data_dir={str(self.data_dir)!r}, graph={self.graph_name!r})"
