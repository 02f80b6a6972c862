"""Graph engines by name: the ``dhrkg.stores`` entry-point group (a plug-in adds a third).

Each entry point names an :class:`Engine`: its name, its :class:`~dhrkg.graph.store.Capabilities`
and how to open a store on it. :func:`engine` finds one by name (``falkordb`` and ``neo4j`` come
with dhrkg, declared in pyproject.toml); :func:`register` adds one from code (tests, embedding).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import Any, Callable, Optional

from .dialect import Dialect
from .store import Capabilities, Store, StoreError

GROUP = "dhrkg.stores"


class UnknownEngine(StoreError):
    """No engine registered under that name."""


@dataclass(frozen=True)
class Engine:
    """A graph engine: ``open(**options)`` returns a store on it (options: those of
    dhrkg.graph.open_store, each engine taking what it needs)."""

    name: str
    capabilities: Capabilities
    open: Callable[..., Store]
    description: str = ""
    #: its Cypher differences (dhrkg.graph.dialect); None: plain Cypher
    dialect: Optional[Dialect] = None


_REGISTERED: dict[str, Engine] = {}


def register(engine: Engine) -> None:
    """Make ``engine`` findable by its name (replacing one of that name registered from code)."""
    _REGISTERED[engine.name] = engine


@lru_cache(maxsize=1)
def _entry_points() -> dict[str, Any]:
    return {ep.name: ep for ep in metadata.entry_points(group=GROUP)}


def names() -> list[str]:
    """Every engine's name, sorted."""
    return sorted(set(_entry_points()) | set(_REGISTERED))


def engine(name: str) -> Engine:
    """The engine registered as ``name``; UnknownEngine (listing the known ones) if none is."""
    key = name.strip().lower()
    if key in _REGISTERED:
        return _REGISTERED[key]
    found = _entry_points().get(key)
    if found is None:
        raise UnknownEngine(f"unknown graph backend {name!r}: use one of {', '.join(names())}")
    loaded = found.load()
    if not isinstance(loaded, Engine):
        raise UnknownEngine(f"the graph engine {name!r} ({found.value}) is not a dhrkg.graph.engines.Engine")
    return loaded


def error_hint(name: str, error: str) -> str:
    """The engine's hint for an error it gave (dhrkg.graph.dialect.Dialect.error_hint), or ""."""
    try:
        dialect = engine(name).dialect
    except UnknownEngine:
        return ""
    return dialect.error_hint(error.lower()) if dialect is not None else ""


def capabilities(name: str) -> Capabilities:
    """What the engine called ``name`` can do (without opening it)."""
    return engine(name).capabilities
