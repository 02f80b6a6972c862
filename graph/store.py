"""The store contract every engine implements (docs/graph-schema.md, docs/architecture.md).

A store loads case files (replacing a review atomically), deletes reviews, answers read-only
Cypher, reads a review back as a case file and counts what it holds. :class:`Store` is an
abstract base class: an engine implements the primitives marked ``abstractmethod`` (``_replace``
runs the statements of one replacement within a :class:`~dhrkg.graph.load.Scope` atomically,
``_write`` one statement of a bulk load or a benchmark's naive baseline (no importer uses it:
every import writes through ``replace``), ``_read`` read-only Cypher with a timeout, ``run_schema``, ``clear``, ``read_everything``, ``close``) and
names its :class:`~dhrkg.graph.dialect.Dialect` and :class:`Capabilities`; the template methods
here (``replace``, ``load_case``, ``read_review``, ``ensure_schema``, ``stats`` ...) are shared.
Engines are found by name through :mod:`dhrkg.graph.engines`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, ContextManager, Iterator, Mapping, Optional, Sequence

from .dialect import Dialect
from .load import BATCH_SIZE, Scope, Statement, delete_statements, replace_statements, review_scope
from .readonly import check_read_only
from .schema import CASE_INDEXES, REVIEW_LABELS, GraphRows, Index, case_rows
from .summaries import (NEVER_SUMMARISED, STALE_REVIEWS, SUMMARY_VERSION, summary_statements, summary_steps,
                        with_substrings)
from .unfinished import LABEL as UNFINISHED_LABEL


#: How a store that opens a graph shows its summarising of stale reviews: ``progress(n)``, for
#: ``n`` reviews, is a context that yields ``tick(done)`` (dhrkg.cli._common gives one).
SummaryProgress = Callable[[int], ContextManager[Callable[[int], None]]]


class StoreError(RuntimeError):
    """The graph store cannot do what was asked (server not reachable, engine error ...)."""


@dataclass
class QueryResult:
    """Rows of plain Python values (see dhrkg.graph.dialect.plain_value)."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class LoadReport:
    """What loading one review did."""

    review: str
    nodes: dict[str, int]  # per label, as loaded (Area: distinct areas the review refers to)
    relationships: dict[str, int]  # per type
    replaced: bool  # the review was in the graph before
    nodes_deleted: int = 0
    seconds: float = 0.0
    statements: int = 0

    @property
    def rows(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())

    def summary(self) -> str:
        """"213 nodes of its own (+ 11 shared areas), 540 relationships": as ``stats -r`` counts."""
        return f"{review_nodes_text(self.nodes)}, {_plural(sum(self.relationships.values()), 'relationship')}"


def review_nodes_text(nodes: dict[str, int]) -> str:
    """One review's nodes, said one way everywhere (load, import-chronology, stats -r): the
    nodes that belong to it (they carry its id, and go when it is deleted), and apart from them
    the shared Area nodes it refers to (other reviews use them too; they stay)."""
    own = sum(n for label, n in nodes.items() if label != "Area")
    areas = nodes.get("Area", 0)
    text = f"{_plural(own, 'node')} of its own"
    return text + (f" (+ {_plural(areas, 'shared area')})" if areas else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Capabilities:
    """What an engine can do; callers ask these instead of comparing engine names."""

    #: multi-statement transactions that roll back (else: one query per atomic write)
    transactions: bool = False
    #: full-text indexes (``db.index.fulltext.*``)
    full_text_index: bool = False
    #: path algorithms in Cypher (``shortestPath``, ``allShortestPaths``)
    path_algorithms: bool = False
    #: dhrkg runs the engine itself (``dhrkg db start/stop/status``); else it is the user's server
    embedded: bool = False
    #: runs a subset of Cypher: queries are linted for it before they are sent (dhrkg.graph.lint)
    cypher_subset: bool = False
    #: how a first load of a very large graph goes (dhrkg.graph.offline): "graph-bulk" (dhrkg
    #: sends GRAPH.BULK itself), "admin-import" (dhrkg writes the files neo4j-admin imports), or None
    offline_load: Optional[str] = None


@dataclass
class ReplaceOutcome:
    nodes_deleted: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class Store(ABC):
    """The contract: primitives each engine implements, and the template methods over them."""

    #: the engine's registered name (dhrkg.graph.engines)
    backend: str = ""
    dialect: Dialect
    capabilities: Capabilities = Capabilities()

    # ---- lifecycle
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None:
        """Let go of the connection (the engine keeps running)."""

    # ---- primitives (engines)
    @abstractmethod
    def _replace(self, statements: Sequence[Statement], scope: Scope) -> ReplaceOutcome:
        """Run ``statements``, a replacement within ``scope``, atomically: all of them or none
        (an engine that cannot roll back puts back what ``scope`` held before)."""

    @abstractmethod
    def _read(self, cypher: str, params: Mapping[str, Any], timeout_ms: Optional[int]) -> QueryResult:
        """Run read-only Cypher (already checked) with a timeout."""

    @abstractmethod
    def _write(self, cypher: str, params: Optional[Mapping[str, Any]] = None) -> QueryResult:
        """Run a write statement in its own transaction: the bulk loader's batches
        (``write_batch``), tests and benchmarks; never user Cypher, and no importer (they all
        write through :meth:`replace`, undone whole if it fails)."""

    @abstractmethod
    def _write_steps(self, statements: Sequence[Statement]) -> None:
        """Run ``statements`` one after the other, each in its own transaction (no snapshot:
        the engine undoes a failed one itself), holding the write lock throughout; when one
        fails, StoreError, and those before it stay done. Only for writes that delete nothing
        (the summaries: :meth:`summarise`)."""

    def write_batch(self, cypher: str, params: Optional[Mapping[str, Any]] = None) -> QueryResult:
        """One batch of a bulk load (dhrkg.graph.bulk), safe to call from several threads at once."""
        return self._write(cypher, params)

    @abstractmethod
    def clear(self) -> None:
        """Delete everything in this store's graph/database (tests and `dhrkg db` tools)."""

    @abstractmethod
    def run_schema(self, ddl: str) -> None:
        """Create or drop an index; one that is already there (or gone) is not an error."""

    @abstractmethod
    def read_everything(self) -> tuple[list[list[Any]], list[list[Any]]]:
        """Every node ``[id, labels, properties]`` and relationship ``[from id, type, to id,
        properties]``, read at one moment (no write in between); for dhrkg.graph.backup."""

    def _existing_indexes(self) -> set[tuple[str, str]]:
        """(label, property) pairs already indexed (empty: the dialect's DDL is idempotent)."""
        return set()

    # ---- schema
    def ensure_schema(self) -> None:
        """The indexes and constraints this store makes (:meth:`schema_indexes`)."""
        self.ensure_indexes(self.schema_indexes())

    def ensure_indexes(self, indexes: Sequence[Index]) -> None:
        """Create the ``indexes`` not there yet (declared in dhrkg.graph.schema), and wait for them."""
        statements = self.dialect.index_statements(indexes, self._existing_indexes())
        for ddl in statements:
            self.run_schema(ddl)
        wait = self.dialect.await_indexes()
        if statements and wait:
            self.run_schema(wait)

    def location(self) -> str:
        """Which graph this store is, in one line (a bulk load's checkpoint names it): its
        engine and where (an engine adds its own address)."""
        return self.backend

    # ---- online bulk loads (dhrkg.graph.bulk)
    #: a first bulk load (into an empty graph) drops the indexes other than the unique ``key``
    #: ones (kept: relationship batches and a resumed load's MERGEs find nodes by them) and
    #: builds them after its rows, whole (an engine says whether that pays: BENCHMARKS.md)
    bulk_defers_indexes = False

    @contextlib.contextmanager
    def bulk_session(self, defer_indexes: Optional[bool] = None) -> Iterator[Callable[..., Any]]:
        """One online bulk load: yields how its batches are written (:meth:`_bulk_sender`).
        With ``defer_indexes`` (default ``bulk_defers_indexes``), into an empty graph, the
        secondary indexes are dropped for the load and built again after it, before this
        returns, also when the load fails (a store opening the graph later builds any still
        missing: ensure_schema)."""
        defer = self.bulk_defers_indexes if defer_indexes is None else defer_indexes
        deferred = self._drop_secondary_indexes() if defer else []
        try:
            yield self._bulk_sender()
        finally:
            if deferred:
                self._build_indexes(deferred)

    def _bulk_sender(self) -> Callable[..., Any]:
        """How a bulk load's batch is written: ``send(stream, cypher, rows)``."""
        return lambda stream, cypher, rows: self.write_batch(cypher, {"rows": rows})

    def _drop_secondary_indexes(self) -> list[Index]:
        """In an empty graph (but for the mark of the load: dhrkg.graph.unfinished): drop the
        indexes other than the unique ``key`` ones; those dropped (none when the graph holds
        another node)."""
        from .unfinished import LABEL

        nodes = self.query("MATCH (n) RETURN count(n) AS n").rows[0][0]
        if nodes and nodes > self.query(f"MATCH (m:{LABEL}) RETURN count(m) AS n").rows[0][0]:
            return []
        return self._drop_indexes([i for i in self.schema_indexes() if not i.unique])

    def schema_indexes(self) -> Sequence[Index]:
        """Every index this store makes (dhrkg.graph.schema.CASE_INDEXES, and an engine's own)."""
        return CASE_INDEXES

    def _drop_indexes(self, indexes: Sequence[Index]) -> list[Index]:
        """Drop those of ``indexes`` the graph has; those dropped."""
        raise NotImplementedError(f"{type(self).__name__} cannot drop indexes")

    def _build_indexes(self, indexes: Sequence[Index]) -> None:
        """Build ``indexes`` (dropped for a bulk load) and wait until they serve."""
        self.ensure_indexes(indexes)

    # ---- loading
    def replace(self, rows: GraphRows, scope: Optional[Scope] = None, batch_size: int = BATCH_SIZE) -> LoadReport:
        """THE write: make the graph hold exactly ``rows`` within ``scope`` (default: the review
        of ``rows``), atomically; a review's summaries are recomputed in the same write."""
        t0 = time.perf_counter()
        scope = scope or review_scope(rows.review)
        self._refuse_key_clashes(rows)
        rows = dataclasses.replace(rows, nodes={label: with_substrings(label, node_rows, self.dialect)
                                                for label, node_rows in rows.nodes.items()})
        statements = replace_statements(rows, batch_size, scope=scope)
        if scope.review is not None:
            statements += summary_statements(scope.review, self.dialect, substrings_in_rows=True)
        outcome = self._replace(statements, scope)
        return LoadReport(
            review=rows.review,
            nodes=rows.node_counts(),
            relationships=rows.edge_counts(),
            replaced=outcome.nodes_deleted > 0,
            nodes_deleted=outcome.nodes_deleted,
            seconds=time.perf_counter() - t0,
            statements=len(statements),
        )

    def load_rows(self, rows: GraphRows) -> LoadReport:
        """Replace ``rows.review`` by ``rows`` atomically."""
        return self.replace(rows)

    def _refuse_key_clashes(self, rows: GraphRows) -> None:
        """StoreError when a node of ``rows`` has the key of another review's node (a graph
        written before ids were forbidden the key separator). Both engines also refuse it inside
        the write itself (Neo4j: unique constraints; FalkorDB: the key guard in dialect)."""
        for label, node_rows in rows.nodes.items():
            if label not in REVIEW_LABELS or not node_rows:
                continue
            clash = self._read(
                f"UNWIND $keys AS k MATCH (n:{label} {{key: k.key}}) WHERE n.review <> k.review "
                "RETURN n.key AS key, n.review AS review, k.review AS loading LIMIT 1",
                {"keys": [{"key": r["key"], "review": r.get("review")} for r in node_rows]}, None).rows
            if clash:
                raise StoreError(f"review {clash[0][2]!r} not loaded: the {label} key {clash[0][0]!r} "
                                 f"belongs to review {clash[0][1]!r}; nothing was changed")

    def load_case(self, case: Any) -> LoadReport:
        """Replace the review of ``case`` (a CaseFile) atomically; other reviews untouched."""
        return self.replace(case_rows(case))

    def summarise(self, review: str, substrings_in_rows: bool = False) -> None:
        """(Re)compute the pre-computed summaries of ``review`` (dhrkg.graph.summaries);
        ``substrings_in_rows``: its rows were loaded through ``summaries.with_substrings``.

        Derived data only, so no undo snapshot and no one transaction over the review: the
        steps of :func:`~dhrkg.graph.summaries.summary_steps` one by one, under the write lock.
        One that fails leaves the review marked stale; :meth:`ensure_summaries` redoes it."""
        try:
            self._write_steps(self.summary_plan(review, substrings_in_rows))
        except StoreError as exc:
            raise StoreError(f"the summaries of review {review!r} were not finished ({exc}); "
                             "it stays marked stale and is summarised again when a store opens") from exc

    def summary_plan(self, review: str, substrings_in_rows: bool = False) -> list[Statement]:
        """The steps :meth:`summarise` runs for ``review``, in order: without the clear steps
        when the review was never summarised (a first bulk or offline load)."""
        never = self._read(NEVER_SUMMARISED, {"review": review}, None).rows
        return summary_steps(review, self.dialect, substrings_in_rows,
                             summarised_before=not (never and never[0][0]))

    def stale_reviews(self, among: Optional[Sequence[str]] = None) -> list[str]:
        """Reviews whose summaries are missing or older than this version of dhrkg's rules
        (``among``: of those reviews only)."""
        rows = self._read(STALE_REVIEWS, {"summary_version": SUMMARY_VERSION}, None).rows
        return [r[0] for r in rows if among is None or r[0] in among]

    def unfinished_load(self) -> Any:
        """The mark of a bulk load into this graph that has not finished
        (:class:`dhrkg.graph.unfinished.UnfinishedLoad`), or None."""
        from . import unfinished

        return unfinished.read(self)

    def ensure_summaries(self, substrings_in_rows: bool = False,
                         progress: Optional[SummaryProgress] = None) -> list[str]:
        """Summarise every stale review (a graph loaded by an older dhrkg, or in bulk) but those
        of an unfinished bulk load (their rows may be incomplete: the load summarises them when
        it finishes); the reviews done. ``substrings_in_rows``: see :meth:`summarise` (a bulk
        load's own call). ``progress(n)``, when there are ``n`` to do: a context yielding
        ``tick(done)`` (the CLI shows a line and a bar)."""
        stale = self.stale_reviews()
        if stale:
            loading = self.unfinished_load()
            stale = [r for r in stale if loading is None or r not in loading.reviews]
        with progress(len(stale)) if progress and stale else contextlib.nullcontext(lambda n: None) as tick:
            for review in stale:
                self.summarise(review, substrings_in_rows)
                tick(1)
        return stale

    def delete_review(self, review: str) -> int:
        """Delete a review's nodes and relationships (shared Area nodes stay); nodes deleted."""
        return self._replace(delete_statements(review), review_scope(review)).nodes_deleted

    # ---- reading
    def read_review(self, review_id: str) -> Any:
        """The review as a CaseFile (dhrkg.graph.readback); ReviewNotFound when it is not here."""
        from .readback import ReviewReader

        return ReviewReader(self).case(review_id)

    def review_reader(self, page_size: Optional[int] = None) -> Any:
        """A reader of this store's reviews section by section, page by page (dhrkg.graph.readback)."""
        from .readback import PAGE_SIZE, ReviewReader

        return ReviewReader(self, page_size or PAGE_SIZE)

    def query(self, cypher: str, params: Optional[Mapping[str, Any]] = None, timeout_ms: Optional[int] = None) -> QueryResult:
        """Run read-only Cypher with bound parameters. Raises WriteNotAllowed for writes."""
        check_read_only(cypher)
        return self._read(cypher, dict(params or {}), timeout_ms)

    def reviews(self) -> list[str]:
        return [r[0] for r in self._read("MATCH (r:Review) RETURN r.id AS id ORDER BY id", {}, None).rows]

    def review_list(self) -> list[dict[str, Any]]:
        """Every review's ``id``, ``title``, ``area`` (police force area), ``local_authority`` and
        ``homicide_date``, by id."""
        return self._read(
            "MATCH (r:Review) RETURN r.id AS id, r.title AS title, r.police_force_area AS area, "
            "r.local_authority AS local_authority, r.homicide_date AS homicide_date ORDER BY id", {}, None).records()

    def stats(self, review: Optional[str] = None) -> dict[str, Any]:
        """Counts per label and relationship type, for one review or the whole graph.

        ``{"review": R|None, "nodes": {label: n}, "relationships": {type: n},
        "reviews": {id: {"nodes": n, "relationships": m}}}``. For one review, Area counts the
        distinct areas its records refer to, and relationships are those carrying its id.
        """
        if review is None:
            nodes = [row for row in self._read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n", {}, None).rows
                     if row[0] != UNFINISHED_LABEL]  # the mark of an unfinished bulk load is not data
            rels = self._read("MATCH ()-[e]->() RETURN type(e) AS type, count(e) AS n", {}, None).rows
        else:
            # per label, so each count uses the label's index on `review`
            nodes, rel_counts, area_keys = [], {}, set()
            for label in REVIEW_LABELS:
                n = self._read(f"MATCH (n:{label} {{review: $review}}) RETURN count(n) AS n", {"review": review}, None).rows
                if n and n[0][0]:
                    nodes.append([label, n[0][0]])
                    for rtype, m in self._read(
                            f"MATCH (n:{label} {{review: $review}})-[e]->() RETURN type(e) AS type, count(e) AS n",
                            {"review": review}, None).rows:
                        rel_counts[rtype] = rel_counts.get(rtype, 0) + m
                    for (keys,) in self._read(
                            f"MATCH (n:{label} {{review: $review}})-[]->(a:Area) RETURN collect(DISTINCT a.key) AS keys",
                            {"review": review}, None).rows:
                        area_keys.update(keys)
            if area_keys:
                nodes.append(["Area", len(area_keys)])
            rels = list(rel_counts.items())
        per_review = {}
        for rid, n in self._read(
                "MATCH (n) WHERE n.review IS NOT NULL RETURN n.review AS review, count(n) AS n", {}, None).rows:
            if review is None or rid == review:
                per_review[rid] = {"nodes": n, "relationships": 0}
        for rid, n in self._read(
                "MATCH ()-[e]->() WHERE e.review IS NOT NULL RETURN e.review AS review, count(e) AS n", {}, None).rows:
            if rid in per_review:
                per_review[rid]["relationships"] = n
        return {
            "review": review,
            "nodes": dict(sorted((str(k), int(v)) for k, v in nodes)),
            "relationships": dict(sorted((str(k), int(v)) for k, v in rels)),
            "reviews": dict(sorted(per_review.items())),
        }


class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers (no starvation)."""

    def __init__(self) -> None:
        import threading

        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    def acquire_read(self) -> None:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1

    def release_read(self) -> None:
        with self._cond:
            self._readers -= 1
            if not self._readers:
                self._cond.notify_all()

    def acquire_write(self) -> None:
        with self._cond:
            self._writers_waiting += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writer = True

    def release_write(self) -> None:
        with self._cond:
            self._writer = False
            self._cond.notify_all()

    class _Guard:
        def __init__(self, acquire, release):
            self._acquire, self._release = acquire, release

        def __enter__(self):
            self._acquire()

        def __exit__(self, *exc):
            self._release()

    def reading(self) -> "ReadWriteLock._Guard":
        return self._Guard(self.acquire_read, self.release_read)

    def writing(self) -> "ReadWriteLock._Guard":
        return self._Guard(self.acquire_write, self.release_write)
