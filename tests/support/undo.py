"""Failed writes, injected, and what the graph held: for the tests of undoing a failed write
(tests/engine/test_engine_undo.py, tests/engine/test_engine_scoped_undo.py)."""

from __future__ import annotations

import contextlib
import json
import threading
from typing import Any, Callable, Iterator

from dhrkg.graph.load import Statement

#: A read that runs for a second or two on either engine.
LONG_READ = "UNWIND range(1, 3000000) AS x RETURN sum(x) AS s"
LONG_READ_ROWS = [[4500001500000]]


def failing_statement() -> Statement:
    """A part of a write that fails at run time (a string divided by a number), after every
    part before it ran."""
    return Statement("UNWIND $rows AS row WITH row WHERE row.x / 2 > 1 CREATE (:Area {key: 'never'})",
                     {"rows": [{"x": "not a number"}]}, "fail", 1)


def graph_content(store: Any) -> tuple[list[str], list[str]]:
    """Every node and relationship with labels and properties, ends named by key, not by id."""
    nodes, rels = store.read_everything()
    key_of = {i: props.get("key") for i, _, props in nodes}
    node_text = sorted(json.dumps([sorted(labels), props], sort_keys=True) for _, labels, props in nodes)
    rel_text = sorted(json.dumps([key_of.get(a, "(no such node)"), t, key_of.get(b, "(no such node)"), props],
                                 sort_keys=True) for a, t, b, props in rels)
    return node_text, rel_text


def fail_writes(monkeypatch: Any, store: Any, after: int = 0) -> None:
    """Every replacement ``store`` runs from now on, after the first ``after``, ends with a
    part that fails."""
    real = store._replace
    done = [0]

    def replace(statements: Any, scope: Any) -> Any:
        done[0] += 1
        return real(list(statements) + ([failing_statement()] if done[0] > after else []), scope)

    monkeypatch.setattr(store, "_replace", replace)


def other_connection(store: Any) -> Any:
    """Another client's store on the same graph (either engine)."""
    if store.backend == "falkordb":
        from dhrkg.graph.falkordb import FalkorDBStore

        return FalkorDBStore(store.data_dir, graph=store.graph_name)
    from dhrkg.graph.neo4j import Neo4jStore

    return Neo4jStore(store.settings)


def server_pid(store: Any) -> Any:
    """The FalkorDB server's pid (None on Neo4j, whose server dhrkg never restarts)."""
    if store.backend != "falkordb":
        return None
    from dhrkg.graph.falkordb import server

    return server.status(store.data_dir).pid


@contextlib.contextmanager
def long_read_alongside(reader: Any) -> Iterator[dict[str, Any]]:
    """``reader``'s long read runs while the body runs; its outcome ("rows" or "error")."""
    outcome: dict[str, Any] = {}

    def read() -> None:
        try:
            outcome["rows"] = reader.query(LONG_READ, timeout_ms=120_000).rows
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=read)
    thread.start()
    try:
        yield outcome
    finally:
        thread.join(180)
        reader.close()


def assert_undone_in_place(store: Any, failed_write: Callable[[], Any]) -> Exception:
    """``failed_write()`` raises; the graph is exactly as before, the FalkorDB server kept its
    pid (not reloaded) and another client's read, running meanwhile, completed. The error."""
    reader = other_connection(store)  # opened first: opening one may summarise stale reviews
    before = graph_content(store)
    pid = server_pid(store)
    with long_read_alongside(reader) as outcome:
        try:
            failed_write()
        except Exception as exc:
            error = exc
        else:
            raise AssertionError("the write did not fail")
    assert "reloaded" not in str(error), error
    assert outcome.get("rows") == LONG_READ_ROWS, outcome
    assert server_pid(store) == pid
    assert graph_content(store) == before
    return error
