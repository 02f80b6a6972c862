"""Neo4j backend: a Neo4j 5 server through the official driver (selected by --backend neo4j or NEO4J_URI)."""

from .store import Neo4jStore

__all__ = ["Neo4jStore"]
