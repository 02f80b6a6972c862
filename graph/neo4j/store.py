"""The Neo4j store: a Neo4j 5 server through the official driver.

Writes run in managed write transactions (``session.execute_write``): the driver retries them on
transient errors (deadlocks, leader changes), and a review's whole replacement is one
transaction. Reads run in sessions opened in READ access mode with ``execute_read`` and a
transaction timeout, so the server itself refuses a write even if one got past the check in
:mod:`dhrkg.graph.readonly`.

Isolation: Neo4j runs transactions at read-committed, and a query that runs while another
transaction commits can see part of that commit (its creates before its deletes, new nodes
before their properties: seen here, 5.26 community). So that a reader never sees a review half
replaced, the stores of one process share a readers-writer lock per server and database:
replacements wait for running reads and reads wait for a running replacement. Readers in
another process (another dhrkg, the Neo4j browser) are not covered; Neo4j offers readers no
lock of their own.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import warnings
from typing import Any, Iterator, Mapping, Optional, Sequence

from dhrkg.config import Neo4jSettings

from .. import dialect
from ..load import Scope, Statement
from ..schema import Index
from ..store import Capabilities, QueryResult, ReadWriteLock, ReplaceOutcome, Store, StoreError, SummaryProgress
from .summaries import BATCH_ROWS, batched

log = logging.getLogger(__name__)

_LOCKS: dict[tuple, ReadWriteLock] = {}

#: Indexes only Neo4j has (docs/graph-schema.md, "Indexes"): a review's incidents (or events of
#: any one type) found at once, so a scan that computes the homicide bound once per review then
#: reads only that review's incidents (incidents-without-risk-assessment.neo4j.cypher); people in
#: (review, key) order, so find-person stops at its limit for a common text (find-person.neo4j.cypher);
#: ``Event.date_from``, for date ranges and the homicide bound (not on FalkorDB:
#: ``TEXT_RANGE_UNSAFE`` in graph/falkordb/store.py)
NEO4J_INDEXES = (Index("Event", "review", more=("type",)), Index("Person", "review", more=("key",)),
                 Index("Event", "date_from"))


def _quiet_driver_log() -> None:
    """The driver logs a failed connection itself (to stderr, as well as raising): dhrkg says it once."""
    import logging

    driver_log = logging.getLogger("neo4j")
    if not driver_log.handlers:
        driver_log.addHandler(logging.NullHandler())


def unreachable_message(uri: str, exc: Exception) -> str:
    """Two short lines: what failed at which URI, and what to check."""
    import neo4j.exceptions as errors

    if isinstance(exc, errors.AuthError):
        return (f"Neo4j at {uri} refused the user name or password\n"
                "check NEO4J_USER and NEO4J_PASSWORD")
    if isinstance(exc, (errors.ConfigurationError, ValueError)):
        return (f"{uri!r} is not a Neo4j address\n"
                "NEO4J_URI looks like neo4j://HOST:7687 (or bolt://, neo4j+s://)")
    return (f"cannot reach Neo4j at {uri}\n"
            "check that it is running there and NEO4J_URI (host, port, scheme) is right")
_LOCKS_GUARD = threading.Lock()


def _lock_for(uri: str, database: Optional[str]) -> ReadWriteLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault((uri, database), ReadWriteLock())


class Neo4jStore(Store):
    backend = "neo4j"
    dialect = dialect.NEO4J
    capabilities = Capabilities(transactions=True, full_text_index=True, path_algorithms=True,
                                offline_load="admin-import")
    #: driving nodes a transaction of the summaries (dhrkg.graph.neo4j.summaries)
    summary_batch_rows = BATCH_ROWS
    #: bulk-load batches sent at once (dhrkg.graph.bulk). 1, 2 and 4 measured at 100k people on
    #: 2 cores: whichever ran first in a run won, by up to 2x; 2 stays (BENCHMARKS.md, "Neo4j
    #: online loader: indexes after the rows, batches in flight")
    bulk_in_flight = 2
    #: a first bulk load (into an empty database) builds the secondary indexes after its rows
    #: (bulk_session). Off: measured neutral paired at 100k (the writes 1.3-1.7x faster, the
    #: build after costing as much) and slower in whole loads; 1M not compared (same section)
    bulk_defers_indexes = False
    #: (uri, database) pairs whose constraints and indexes this process has already ensured.
    _schema_done: set = set()

    def __init__(self, settings: Neo4jSettings, default_timeout_ms: Optional[int] = None,
                 summarising: Optional[SummaryProgress] = None):
        import neo4j

        self.settings = settings
        self.database = settings.database
        self.default_timeout_ms = default_timeout_ms
        auth = (settings.user, settings.password) if settings.password is not None else None
        _quiet_driver_log()
        driver = None
        try:
            with warnings.catch_warnings():  # e.g. the preview warning for http:// addresses
                warnings.simplefilter("ignore")
                driver = neo4j.GraphDatabase.driver(settings.uri, auth=auth)
            driver.verify_connectivity()
        except Exception as exc:
            if driver is not None:
                driver.close()
            raise StoreError(unreachable_message(settings.uri, exc)) from None
        self._driver = driver
        self._lock = _lock_for(settings.uri, settings.database)
        self.ensure_schema()
        self.ensure_summaries(progress=summarising)

    def close(self) -> None:
        self._driver.close()

    def _session(self, read: bool = False):
        import neo4j

        return self._driver.session(
            database=self.database,
            default_access_mode=neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS,
        )

    def ensure_schema(self) -> None:
        """Unique constraints on ``key`` and indexes on ``review`` (IF NOT EXISTS: idempotent),
        and Neo4j's own indexes (NEO4J_INDEXES: schema_indexes)."""
        ident = (self.settings.uri, self.database)
        if ident in Neo4jStore._schema_done:
            return
        super().ensure_schema()
        Neo4jStore._schema_done.add(ident)

    # ---- primitives
    def _replace(self, statements: Sequence[Statement], scope: Scope) -> ReplaceOutcome:
        def work(tx: Any) -> int:
            deleted = 0
            for st in statements:
                summary = tx.run(self.dialect.loader_text(st.cypher), st.params).consume()
                deleted += summary.counters.nodes_deleted
            return deleted

        with self._gone("the write"), self._lock.writing(), self._session() as session:
            return ReplaceOutcome(nodes_deleted=session.execute_write(work))

    @contextlib.contextmanager
    def _gone(self, what: str) -> Iterator[None]:
        """A server that stopped answering (after the driver's retries, 30 s): StoreError."""
        import neo4j.exceptions as errors

        try:
            yield
        except (errors.ServiceUnavailable, errors.SessionExpired, errors.IncompleteCommit) as exc:
            raise StoreError(f"Neo4j at {self.settings.uri} stopped answering during {what} "
                             f"({type(exc).__name__}); a review is replaced whole or not at all: "
                             "check it with 'dhrkg stats' when Neo4j is back") from exc

    def _write(self, cypher: str, params: Optional[Mapping[str, Any]] = None) -> QueryResult:
        def work(tx: Any) -> QueryResult:
            result = tx.run(cypher, dict(params or {}))
            keys = list(result.keys())
            return QueryResult(columns=keys, rows=dialect.plain_rows(r.values() for r in result))

        with self._lock.writing(), self._session() as session:
            return session.execute_write(work)

    def _write_steps(self, statements: Sequence[Statement]) -> None:
        """One statement after the other, the process's writer lock held throughout. A rule that
        starts from a review's nodes of one label (the summaries) runs in transactions of a few
        thousand of them (:mod:`dhrkg.graph.neo4j.summaries`: a million-people review's rule does
        not fit one transaction's heap); any other statement in one transaction of its own."""
        def work(tx: Any, st: Statement) -> None:
            tx.run(self.dialect.loader_text(st.cypher), st.params).consume()

        import neo4j.exceptions as errors

        with self._gone("a write"), self._lock.writing(), self._session() as session:
            for st in statements:
                t0 = time.perf_counter()
                in_batches = batched(st.cypher, self.summary_batch_rows)
                try:
                    if in_batches:  # CALL { } IN TRANSACTIONS runs only in an auto-commit transaction
                        session.run(in_batches, st.params).consume()
                    else:
                        session.execute_write(work, st)
                except errors.Neo4jError as exc:
                    raise StoreError(f"Neo4j refused the write ({exc.code}: {exc.message})") from exc
                log.debug("step %.1f s: %.70s", time.perf_counter() - t0, st.cypher)

    def write_batch(self, cypher: str, params: Optional[Mapping[str, Any]] = None) -> QueryResult:
        """A bulk-load batch in its own transaction, side by side with others (no process-wide
        writer lock: a bulk load is many transactions, and readers see it grow)."""
        def work(tx: Any) -> QueryResult:
            tx.run(self.dialect.loader_text(cypher), dict(params or {})).consume()
            return QueryResult(columns=[], rows=[])

        with self._session() as session:
            return session.execute_write(work)

    def location(self) -> str:
        return f"{self.backend} {self.settings.uri} {self.database}"

    def schema_indexes(self) -> Sequence[Index]:
        return (*super().schema_indexes(), *NEO4J_INDEXES)

    def _drop_indexes(self, indexes: Sequence[Index]) -> list[Index]:
        """Drop those of ``indexes`` the database has (by name; constraints' own indexes are
        never among them); a store opened later checks the schema again."""
        existing = {row[0] for row in self.query("SHOW INDEXES YIELD name, owningConstraint "
                                                 "WHERE owningConstraint IS NULL RETURN name").rows}
        dropped = [i for i in indexes if self.dialect.index_name(i) in existing]
        Neo4jStore._schema_done.discard((self.settings.uri, self.database))
        for i in dropped:
            self.run_schema(f"DROP INDEX {self.dialect.index_name(i)} IF EXISTS")
        return dropped

    def _read(self, cypher: str, params: Mapping[str, Any], timeout_ms: Optional[int]) -> QueryResult:
        import neo4j

        timeout = timeout_ms if timeout_ms is not None else self.default_timeout_ms

        @neo4j.unit_of_work(timeout=(timeout / 1000.0) if timeout else None)
        def work(tx: Any) -> QueryResult:
            result = tx.run(cypher, dict(params))
            keys = list(result.keys())
            return QueryResult(columns=keys, rows=dialect.plain_rows(r.values() for r in result))

        with self._gone("a read"), self._lock.reading(), self._session(read=True) as session:
            return session.execute_read(work)

    def clear(self) -> None:
        """Delete every node and relationship in the database (constraints and indexes stay)."""
        # in transactions of 10,000 nodes: one transaction for a national graph runs out of
        # Neo4j's transaction memory (dbms.memory.transaction.total.max)
        with self._lock.writing(), self._session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()

    def run_schema(self, ddl: str) -> None:
        with self._session() as session:
            session.run(ddl).consume()

    def read_everything(self) -> tuple[list[list[Any]], list[list[Any]]]:
        """Two queries in one read transaction, holding the store's lock (see the module)."""
        def work(tx: Any) -> tuple[list, list]:
            nodes = [r.values() for r in tx.run(
                "MATCH (n) RETURN elementId(n), labels(n), properties(n)")]  # cypher-lint: allow internal-id
            rels = [r.values() for r in tx.run(
                "MATCH (a)-[e]->(b) RETURN elementId(a), type(e), elementId(b), properties(e)")]  # cypher-lint: allow internal-id
            return dialect.plain_rows(nodes), dialect.plain_rows(rels)

        with self._lock.reading(), self._session(read=True) as session:
            return session.execute_read(work)

    def __repr__(self) -> str:
        return f"Neo4jStore(uri={self.settings.uri!r}, database={self.database!r})"
