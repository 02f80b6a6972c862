"""FalkorDB backend: the embedded default (a redis-server with the FalkorDB module, started by dhrkg)."""

from typing import Any

from ..engines import Engine
from .store import FalkorDBStore

__all__ = ["ENGINE", "FalkorDBStore"]


def _open(data_dir: Any = None, graph: Any = None, timeout_ms: Any = None, summarising: Any = None,
          **_other: Any) -> FalkorDBStore:
    return FalkorDBStore(data_dir, graph=graph, default_timeout_ms=timeout_ms, summarising=summarising)


#: the ``falkordb`` entry of the ``dhrkg.stores`` entry-point group
ENGINE = Engine("falkordb", FalkorDBStore.capabilities, _open, "embedded FalkorDB server run by dhrkg", FalkorDBStore.dialect)
