"""Make a read's timeout hold while FalkorDB parses it, too.

FalkorDB's query timeout covers execution only: a query whose parsing takes minutes (deep
nesting: ``RETURN ((((…1…))))``) holds one of the server's worker threads past any timeout, and
two such queries hold both, so every other command waits. :mod:`dhrkg.graph.readonly` refuses
such queries before they are sent; this watchdog is the second lock, for whatever still gets
through.

The read runs in a helper thread while the caller watches. Past its timeout plus
:data:`GRACE_S`, the watchdog asks the server what it is running (``GRAPH.INFO``): if the query
is still running (not waiting behind a write), the server can no longer stop it, so the server
is restarted from its append-only file (reads are never in it; every acknowledged write is) and
the caller gets a :class:`~dhrkg.graph.store.StoreError`. Other clients reconnect to the new
server; a write that was running at that moment fails whole, as after any crash.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any, Mapping

GRACE_S = float(os.environ.get("DHRKG_WATCHDOG_GRACE_S", "2"))
POLL_S = 0.1


class _Call:
    """One query in a helper thread: its result or its exception, once done."""

    def __init__(self, target) -> None:
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.started = time.monotonic()
        threading.Thread(target=self._run, args=(target,), daemon=True, name="dhrkg-read").start()

    def _run(self, target) -> None:
        try:
            self.result = target()
        except BaseException as exc:  # handed to the caller
            self.error = exc
        finally:
            self.done.set()

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


def running_ms(redis_client: Any, graph: str, cypher: str) -> float | None:
    """How long the server has been running ``cypher`` on ``graph`` (ms), None when it is not
    running it (finished, or waiting for a worker or the graph's lock)."""
    info = redis_client.execute_command("GRAPH.INFO", "RunningQueries")
    for entry in info[1] if len(info) > 1 else []:
        fields = {_text(k): v for k, v in zip(entry[::2], entry[1::2])}
        if _text(fields.get("Graph name")) == graph and _text(fields.get("Query", "")).endswith(cypher):
            return float(fields.get("Execution duration", 0))
    return None


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def run(store: Any, cypher: str, params: Mapping[str, Any], timeout_ms: int) -> Any:
    """``store``'s read of ``cypher`` with a timeout that holds; its QueryResult."""
    from ..store import StoreError
    from . import replies, server

    call = _Call(lambda: replies.ro_query(store._graph, cypher, dict(params), timeout_ms))
    limit_ms = timeout_ms + GRACE_S * 1000
    while not call.done.wait(POLL_S):
        if _elapsed_ms(call) < limit_ms:
            continue
        ran = running_ms(store._redis, store.graph_name, cypher)
        if ran is not None and ran > limit_ms and not call.done.is_set():
            store._redis.connection_pool.disconnect()
            server.reload_from_log(store.data_dir)
            raise StoreError(
                f"the query ran past its timeout ({timeout_ms / 1000:g} s) where FalkorDB cannot "
                "stop it (while parsing it); the FalkorDB server was restarted, nothing stored "
                "was lost. Simplify the query (less nesting).")
    return call.outcome()


def _elapsed_ms(call: _Call) -> float:
    return (time.monotonic() - call.started) * 1000
