"""FalkorDB backend: the embedded default (a redis-server with the FalkorDB module, started by dhrkg)."""

from .store import FalkorDBStore

__all__ = ["FalkorDBStore"]
