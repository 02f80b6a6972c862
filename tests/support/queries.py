"""Helpers for the canned-query tests: module-wide stores loaded once, running a query by name,
and small models of a case file to compute expected answers from the input."""

from __future__ import annotations

import contextlib
from collections import defaultdict, deque
from pathlib import Path
from typing import Any, Iterable, Iterator

import pytest

from support.stores import ENGINES, falkordb_store, neo4j_store

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))
SYNTHETIC = sorted((REPO / "tests" / "fixtures" / "queries").glob("*.yaml"))

#: The queries of issue 5 (graph/queries/ also holds other helpers' DHRD and linkage queries,
#: which need their own data and are tested with it).
ANALYST_QUERIES = (
    "prior-partners", "children-across-households", "cross-area-history", "risk-not-shared", "agencies-saw-both",
    "serial-perpetrators", "escalation", "contacts-before-death", "find-path", "connecting-network", "linked",
    "review-summary", "reviews", "find-person", "person-timeline", "review-chronology", "person-households",
    "family", "referrals-not-actioned", "incidents-without-risk-assessment", "children-at-incidents",
    "person-force-areas", "agency-events", "recommendations", "abuse-relationships", "multi-agency-meetings",
)

#: The relationships find-path, connecting-network and linked walk (see those queries).
LINK_TYPES = ("PARENT_OF", "SIBLING_OF", "PARTNER_OF", "RELATIVE_OF", "FRIEND_OF", "CARES_FOR",
              "ASSOCIATE_OF", "ABUSED", "MEMBER_OF", "INVOLVED")
REL_TYPES = {"parent": "PARENT_OF", "sibling": "SIBLING_OF", "partner": "PARTNER_OF", "relative": "RELATIVE_OF",
             "friend": "FRIEND_OF", "carer": "CARES_FOR", "associate": "ASSOCIATE_OF", "abuse": "ABUSED"}


@contextlib.contextmanager
def falkordb_loaded(data_dir: Path, files: Iterable[Path]) -> Iterator[Any]:
    """A FalkorDB store on a graph of its own holding ``files``; the graph is deleted after."""
    with falkordb_store(data_dir, "queries") as store:
        yield _loaded(store, files)


@contextlib.contextmanager
def neo4j_loaded(connection: Any, files: Iterable[Path]) -> Iterator[Any]:
    """The session's Neo4j, emptied and holding ``files``."""
    with neo4j_store(connection) as store:
        yield _loaded(store, files)


def loaded_stores(files: Iterable[Path], name: str, each: str | None = None) -> tuple[Any, Any, Any]:
    """Module-wide fixtures holding ``files``: ``{name}_falkordb``, ``{name}_neo4j`` (both at once,
    for parity) and ``each`` (default ``name``: each engine in turn). A test module assigns all
    three: ``gold_falkordb, gold_neo4j, gold = loaded_stores(GOLD, "gold")``."""
    @pytest.fixture(scope="module", name=f"{name}_falkordb")
    def on_falkordb(falkordb_data_dir):
        with falkordb_loaded(falkordb_data_dir, files) as store:
            yield store

    @pytest.fixture(scope="module", name=f"{name}_neo4j")
    def on_neo4j(neo4j_server):
        with neo4j_loaded(neo4j_server, files) as store:
            yield store

    @pytest.fixture(scope="module", name=each or name, params=ENGINES)
    def on_each(request):
        return request.getfixturevalue(f"{name}_{request.param}")

    return on_falkordb, on_neo4j, on_each


def _loaded(store: Any, files: Iterable[Path]) -> Any:
    from dhrkg.model import load_case

    for f in files:
        store.load_case(load_case(f))
    return store


_LIBRARY = None


def library() -> Any:
    """The packaged queries (read once: parsing every file for each run would dominate the tests)."""
    global _LIBRARY
    if _LIBRARY is None:
        from dhrkg.graph import canned

        _LIBRARY = canned.load_library(include_user=False)
    return _LIBRARY


def run(store: Any, name: str, *args: Any, **named: Any) -> Any:
    """Run a packaged query as ``dhrkg run`` does (typed parameters, read-only path)."""
    from dhrkg.graph import canned

    q = library().get(name)
    params = canned.bind(q, {k: v for k, v in named.items()}, list(args))
    return canned.run(store, q, params, check_exists=True)


def records(store: Any, name: str, *args: Any, **named: Any) -> list[dict[str, Any]]:
    return run(store, name, *args, **named).records()


def example_invocations() -> list[tuple[str, list[str], dict[str, Any]]]:
    """(query, positional args, named params) from each packaged query's example line."""
    import shlex

    from dhrkg.graph import canned

    out = []
    for q in library():
        if q.name not in ANALYST_QUERIES:
            continue
        words = shlex.split(q.example)[3:]
        args: list[str] = []
        named: dict[str, Any] = {}
        i = 0
        while i < len(words):
            if words[i] in ("--param", "-p"):
                k, _, v = words[i + 1].partition("=")
                named[k] = v
                i += 2
            else:
                args.append(words[i])
                i += 1
        out.append((q.name, args, named))
    return out


# --------------------------------------------------------------------------- models of a case file


class CaseModel:
    """A case file as plain Python, with the same derived notions the queries use."""

    def __init__(self, path: Path):
        from dhrkg.model import load_case

        self.case = load_case(path)
        self.review = self.case.review.id
        self.agencies = {a.id: a for a in self.case.agencies}
        self.events = {e.id: e for e in self.case.events}

    def key(self, local: str) -> str:
        return f"{self.review}/{local}"

    def event_force_area(self, e: Any) -> str | None:
        """The place's force area, else the recording agency's (canonical names)."""
        from dhrkg.places import canonical_force_area

        name = None
        if e.place and e.place.police_force_area:
            name = e.place.police_force_area
        elif e.agency and self.agencies[e.agency].police_force_area:
            name = self.agencies[e.agency].police_force_area
        return (canonical_force_area(name) or name) if name else None

    def involved(self, e: Any) -> set[str]:
        ids = set(e.persons)
        if e.abuse:
            ids |= {x for x in [e.abuse.perpetrator, e.abuse.victim] + list(e.abuse.victims or []) if x}
        return ids

    def subjects(self, role: str) -> list[str]:
        return [p.id for p in self.case.persons if role in p.roles]

    def link_graph(self) -> dict[str, list[tuple[str, str]]]:
        """Undirected multigraph of the links find-path/linked use: node key -> [(type, other)]."""
        adj: dict[str, list[tuple[str, str]]] = defaultdict(list)

        def add(t: str, a: str, b: str) -> None:
            adj[a].append((t, b))
            adj[b].append((t, a))

        for r in self.case.relationships:
            add(REL_TYPES[r.type], self.key(r.from_), self.key(r.to))
        for h in self.case.households:
            for m in h.members:
                add("MEMBER_OF", self.key(m.person), self.key(h.id))
        for e in self.case.events:
            for pid in self.involved(e):
                add("INVOLVED", self.key(pid), self.key(e.id))
        return adj


def shortest_paths(adj: dict[str, list[tuple[str, str]]], a: str, b: str, max_hops: int = 8) -> list[list[tuple[str, str]]]:
    """Every shortest path from a to b as [(type, node), ...] (parallel edges give separate paths),
    never using one edge twice (trail semantics, as both engines)."""
    dist = {a: 0}
    queue = deque([a])
    while queue:
        n = queue.popleft()
        for _, m in adj[n]:
            if m not in dist:
                dist[m] = dist[n] + 1
                queue.append(m)
    if b not in dist or dist[b] > max_hops:
        return []
    paths: list[list[tuple[str, str]]] = []

    def walk(n: str, acc: list[tuple[str, str]]) -> None:
        if n == b:
            paths.append(list(acc))
            return
        for t, m in adj[n]:
            if dist.get(m) == dist[n] + 1 and dist[m] <= dist[b]:
                acc.append((t, m))
                walk(m, acc)
                acc.pop()

    walk(a, [])
    return paths


def distances(adj: dict[str, list[tuple[str, str]]], a: str, depth: int) -> dict[str, int]:
    dist = {a: 0}
    queue = deque([a])
    while queue:
        n = queue.popleft()
        if dist[n] == depth:
            continue
        for _, m in adj[n]:
            if m not in dist:
                dist[m] = dist[n] + 1
                queue.append(m)
    dist.pop(a)
    return dist
