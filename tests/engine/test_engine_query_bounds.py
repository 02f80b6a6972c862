"""13.2: a read-only query cannot take the engine down: user Cypher is bounded before it is sent
(length, nesting, clauses), and on FalkorDB a watchdog makes the timeout hold while parsing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.graph import StoreError
from dhrkg.graph.readonly import LIMITS, QueryTooComplex, check_bounds, check_read_only

REPO = Path(__file__).resolve().parents[2]


def nested(n: int, open_: str = "(", close: str = ")") -> str:
    return "RETURN " + open_ * n + "1" + close * n + " AS x"


@pytest.mark.parametrize("query", [
    nested(LIMITS.nesting + 1),
    nested(100_000),
    nested(LIMITS.nesting + 1, "[", "]"),
    nested(LIMITS.nesting + 1, "{a: ", "}"),
    "RETURN " + "-" * (LIMITS.nesting + 1) + "1",
    "RETURN " + "NOT " * (LIMITS.nesting + 1) + "true",
    "RETURN " + "-(" * 5 + "1" + ")" * 5,
    "RETURN 1 AS x" + " // padding" * 3000,
    "MATCH (n) " + "WITH n " * LIMITS.clauses + "RETURN n",
])
def test_too_complex_queries_are_refused_before_they_are_sent(query):
    t0 = time.perf_counter()
    with pytest.raises(QueryTooComplex, match="too complex to send"):
        check_read_only(query)
    assert time.perf_counter() - t0 < 2


@pytest.mark.parametrize("query", [
    nested(LIMITS.nesting),
    "RETURN 1 - -1 - 2 AS x",
    "MATCH (a)-[:ABUSED]->(b)<-[:PARENT_OF]-(c) WHERE NOT a.id = '-' RETURN -a.x, [1, -2] AS y",
])
def test_ordinary_queries_pass(query):
    check_bounds(query)


def test_every_library_query_is_within_the_bounds():
    for path in sorted((REPO / "graph" / "queries").glob("*.cypher")):
        check_bounds(path.read_text(encoding="utf-8"))


def test_the_store_refuses_a_deep_query_on_both_engines(store):
    t0 = time.perf_counter()
    with pytest.raises(QueryTooComplex):
        store.query(nested(1000))
    assert time.perf_counter() - t0 < 2
    assert store.query("RETURN 1 AS x").rows == [[1]]


def test_dhrkg_cypher_says_why_in_one_line(tmp_path):
    res = CliRunner().invoke(app, ["cypher", nested(1000), "--data-dir", str(tmp_path / "db")])
    assert res.exit_code == 1
    assert "too complex to send: nested" in res.output and "Traceback" not in res.output


def test_the_watchdog_holds_the_timeout_while_falkordb_parses(store_falkordb, monkeypatch):
    """A query past the bounds (sent through the store's primitive) that FalkorDB parses for
    many seconds: the caller gets an error soon after its timeout, and the server works again
    for everyone, with every stored review."""
    from dhrkg.graph.falkordb import FalkorDBStore, server, watchdog

    monkeypatch.setattr(watchdog, "GRACE_S", 0.5)
    store = store_falkordb
    store._write("CREATE (:Review {id: 'kept', key: 'kept', review: 'kept'})")
    other = FalkorDBStore(store.data_dir, graph=store.graph_name)
    pid = server.status(store.data_dir).pid
    t0 = time.perf_counter()
    with pytest.raises(StoreError, match="ran past its timeout"):
        store._read(nested(24), {}, 500)  # about a minute of parsing
    assert time.perf_counter() - t0 < 15
    assert server.status(store.data_dir).pid != pid
    assert other.reviews() == ["kept"]  # another client, connected before: works
    assert store.query("RETURN 1 AS x").rows == [[1]]
    other.close()


def test_the_watchdog_leaves_a_query_that_finishes_alone(store_falkordb, monkeypatch):
    from dhrkg.graph.falkordb import server, watchdog

    monkeypatch.setattr(watchdog, "GRACE_S", 0.2)
    store = store_falkordb
    pid = server.status(store.data_dir).pid
    result = store._read("UNWIND range(1, 3) AS x RETURN sum(x) AS s", {}, 200)
    assert result.rows == [[6]]
    assert server.status(store.data_dir).pid == pid
