"""Where dhrkg keeps its data and which graph engine it talks to.

Settings come from, in order: an explicit argument (a command-line option), the environment,
then the default.

- Data directory: ``--data-dir`` > ``DHRKG_DATA_DIR`` > ``platformdirs.user_data_dir("dhrkg")``.
  The embedded FalkorDB server keeps its files (append-only log, socket, pid file, log) here.
- Backend: ``--backend`` > ``DHRKG_BACKEND`` > ``neo4j`` when ``NEO4J_URI`` is set > ``falkordb``.
- Neo4j: ``NEO4J_URI``, ``NEO4J_USER`` (default ``neo4j``), ``NEO4J_PASSWORD`` (no
  authentication when unset), ``NEO4J_DATABASE`` (the server's default database when unset).
- FalkorDB graph name: ``DHRKG_GRAPH`` (default ``dhrkg``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

BACKENDS = ("falkordb", "neo4j")
DEFAULT_GRAPH = "dhrkg"


class ConfigError(ValueError):
    """A setting that cannot be used (unknown backend, Neo4j without a URI ...)."""


def data_dir(explicit: Optional[os.PathLike | str] = None) -> Path:
    """The data directory (not created here). Raises :class:`ConfigError` when it is a file
    or cannot be created (the nearest existing folder above it is not a writable folder)."""
    if explicit:
        return usable_data_dir(Path(explicit).expanduser().resolve())
    env = os.environ.get("DHRKG_DATA_DIR")
    if env:
        return usable_data_dir(Path(env).expanduser().resolve())
    import platformdirs

    return usable_data_dir(Path(platformdirs.user_data_dir("dhrkg")).resolve())


def usable_data_dir(path: Path) -> Path:
    """``path`` if it is a folder, or a folder can be created there."""
    if path.exists():
        if not path.is_dir():
            raise ConfigError(f"data directory {path}: is a file, not a folder")
        return path
    above = next(p for p in path.parents if p.exists())
    if not above.is_dir():
        raise ConfigError(f"data directory {path}: {above} is a file")
    if not os.access(above, os.W_OK | os.X_OK):
        raise ConfigError(f"data directory {path}: {above} is not writable")
    return path


def backend(explicit: Optional[str] = None) -> str:
    """The graph engine to use: ``falkordb`` or ``neo4j``."""
    name = explicit or os.environ.get("DHRKG_BACKEND") or ("neo4j" if os.environ.get("NEO4J_URI") else "falkordb")
    name = name.strip().lower()
    known = backend_names()
    if name not in known:
        raise ConfigError(f"unknown graph backend {name!r}: use one of {', '.join(known)}")
    return name


def backend_names() -> tuple[str, ...]:
    """The engines installed in the ``dhrkg.stores`` entry-point group (dhrkg.graph.engines)."""
    from importlib.metadata import entry_points

    return tuple(sorted({ep.name for ep in entry_points(group="dhrkg.stores")} | set(BACKENDS)))


def graph_name(explicit: Optional[str] = None) -> str:
    """The FalkorDB graph (key) holding dhrkg's data."""
    return explicit or os.environ.get("DHRKG_GRAPH") or DEFAULT_GRAPH


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str
    password: Optional[str]
    database: Optional[str]

    def __repr__(self) -> str:  # never show the password
        return f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def neo4j_settings(
    uri: Optional[str] = None,
    user: Optional[str] = None,
    password: Optional[str] = None,
    database: Optional[str] = None,
) -> Neo4jSettings:
    """Neo4j connection settings from the arguments, else ``NEO4J_*`` environment variables."""
    uri = uri or os.environ.get("NEO4J_URI")
    if not uri:
        raise ConfigError(
            "the neo4j backend needs a server: set NEO4J_URI (e.g. neo4j://localhost:7687), "
            "and NEO4J_USER/NEO4J_PASSWORD if it needs authentication"
        )
    return Neo4jSettings(
        uri=uri,
        user=user or os.environ.get("NEO4J_USER") or "neo4j",
        password=password if password is not None else os.environ.get("NEO4J_PASSWORD"),
        database=database or os.environ.get("NEO4J_DATABASE") or None,
    )


def query_timeout_ms(explicit: Optional[int] = None) -> Optional[int]:
    """Default timeout for read queries in milliseconds: ``DHRKG_QUERY_TIMEOUT_MS``, else 60,000.
    0 means no timeout."""
    if explicit is not None:
        return explicit or None
    env = os.environ.get("DHRKG_QUERY_TIMEOUT_MS")
    if env:
        try:
            value = int(env)
        except ValueError:
            raise ConfigError(f"DHRKG_QUERY_TIMEOUT_MS={env!r} is not a whole number of milliseconds") from None
        return value or None
    return 60_000
