"""Every difference between FalkorDB's and Neo4j's Cypher that dhrkg relies on, in one place.

Each store has one dialect object (:class:`Neo4jDialect`, :class:`FalkorDBDialect`) and asks it for
engine-specific text; nothing else in dhrkg writes engine-specific Cypher. Indexes are declared
as data in :mod:`dhrkg.graph.schema` (``CASE_INDEXES``, ``RECORD_INDEXES``). What differs:

- **Schema DDL.** Neo4j: ``CREATE CONSTRAINT name IF NOT EXISTS FOR (n:L) REQUIRE n.key IS UNIQUE``
  and ``CREATE INDEX name IF NOT EXISTS FOR (n:L) ON (n.p)``. FalkorDB has no ``IF NOT EXISTS``
  and no Cypher constraints: ``CREATE INDEX FOR (n:L) ON (n.p)`` (an "already indexed" error means
  done). FalkorDB's unique constraints (``GRAPH.CONSTRAINT CREATE``) are not used: each creation
  reaches the append-only file twice, so every restart replays it into "Constraint already
  exists" errors (logged as CRITICAL), and keys are unique by construction anyway (a review's
  nodes are deleted before they are created, ids are unique within a validated case file, Areas
  are MERGEd and FalkorDB runs writes one at a time). On Neo4j the constraints also make
  concurrent MERGEs of one Area safe.
- **Replacing a review atomically.** Neo4j runs the statements of
  :func:`dhrkg.graph.load.replace_statements` in one write transaction. FalkorDB has no
  multi-statement transactions. A Redis ``MULTI/EXEC`` of the statements would keep other
  clients out while it runs, but it does not roll back: when a command inside EXEC fails, the
  ones before it stay done (tried: a delete followed by a failing query left the review
  deleted). So :meth:`FalkorDBDialect.single_query` joins the statements into ONE query (each part
  ended by ``WITH count(*) AS _cN``, which always yields one row, so the next part runs once even
  when a part matched nothing). One FalkorDB query holds the graph's write lock while it runs
  (readers see before or after) and reaches the append-only file as one command, only if it
  succeeds (written whole, or dropped whole at restart). FalkorDB 4.16 does not reliably undo
  a failed query that deleted and then created in memory (tried: edges of deleted nodes stayed
  lost, or reads failed with "Attempted to access undefined attribute"), so after a failed
  write the store reloads the server from its append-only file
  (:func:`dhrkg.graph.falkordb.server.reload_from_log`), which never saw the failed query.
- **Read-only execution.** Neo4j: a session in READ access mode, ``execute_read``, a
  transaction timeout. FalkorDB: ``GRAPH.RO_QUERY`` with a ``timeout`` argument.
- **Result values.** Node/relationship/path objects and temporal values differ per driver;
  :func:`plain_value` turns both into plain Python (nodes as ``{"labels", "properties"}``,
  relationships as ``{"type", "properties"}``, paths as ``{"nodes", "relationships"}``, dates as
  ISO strings).

The lint (``dhrkg.graph.lint``) lists the constructs FalkorDB cannot run or runs differently;
none is rewritten here, so ``REWRITTEN_RULES`` is empty.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Any, Iterable, Mapping, Optional, Sequence

from .load import Statement
from .schema import Index

#: Lint rules (dhrkg.graph.lint) this module rewrites before a query reaches FalkorDB. None yet.
REWRITTEN_RULES: frozenset[str] = frozenset()

#: What the key guard's failure says (FalkorDB: integer division by zero stops the query).
KEY_GUARD_ERROR = "division by zero"


def _index_name(prefix: str, label: str, prop: str = "") -> str:
    """``dhrkg_event_type``: the name of an index (Neo4j names its indexes and constraints)."""
    name = f"{prefix}_" + "".join(c if c.isalnum() else "_" for c in label.lower())
    return f"{name}_{prop}" if prop else name


class Dialect:
    """What one engine writes its own way; the store asks its dialect, never an engine name."""

    name: str = ""

    def index_statements(self, indexes: Sequence[Index], existing: set[tuple[str, str]]) -> list[str]:
        """Statements creating ``indexes`` (those in ``existing``, (label, property) pairs, may be skipped)."""
        raise NotImplementedError

    def await_indexes(self) -> Optional[str]:
        """A statement that waits until new indexes are online (None: they are at once)."""
        return None

    def substring_value(self, texts: str) -> str:
        """Cypher: what a SubstringIndex's property holds (dhrkg.graph.schema), from ``texts``,
        a Cypher list of lower-cased strings."""
        raise NotImplementedError

    def substring_python(self, texts: list[str]) -> Any:
        """What :meth:`substring_value` gives for ``texts`` (lower-cased strings), computed in
        Python where rows are built (None: nothing, the property unset)."""
        raise NotImplementedError

    def restore_index_statements(self, labels: Iterable[str], prop: str, drop: bool = False) -> list[str]:
        """Temporary indexes on ``prop`` for a restore (created before, dropped after)."""
        raise NotImplementedError

    def loader_text(self, cypher: str) -> str:
        """A loader statement as this engine runs it best."""
        return cypher

    def bulk_statement(self, stream: Any, batch: Sequence[Mapping[str, Any]]) -> str:
        """The statement that creates one batch of a bulk-load stream (dhrkg.graph.bulk.Stream)."""
        return stream.create()

    def error_hint(self, error: str) -> str:
        """A sentence that helps with an error this engine gave (lower-cased text), or ""."""
        return ""


class Neo4jDialect(Dialect):
    """Neo4j 5: ``IF NOT EXISTS`` DDL, unique constraints, cached loader plans."""

    name = "neo4j"

    def index_statements(self, indexes: Sequence[Index], existing: set[tuple[str, str]]) -> list[str]:
        """Idempotent constraints (unique) and indexes; ``existing`` is not needed."""
        out = [f"CREATE CONSTRAINT {self.index_name(i)} IF NOT EXISTS "
               f"FOR (n:{i.label}) REQUIRE n.{i.prop} IS UNIQUE" for i in indexes if i.unique]
        out += [f"CREATE {'TEXT ' if i.kind == 'text' else ''}INDEX {self.index_name(i)} "
                f"IF NOT EXISTS FOR (n:{i.label}) ON ({', '.join(f'n.{p}' for p in (i.prop, *i.more))})"
                for i in indexes if not i.unique]
        return out

    def index_name(self, index: Index) -> str:
        """The name Neo4j knows ``index`` by (a constraint's, for a unique one)."""
        return _index_name('dhrkg', index.label, index.prop if index.unique else '_'.join((index.prop, *index.more)))

    def await_indexes(self) -> Optional[str]:
        return "CALL db.awaitIndexes(300)"

    def substring_value(self, texts: str) -> str:
        """The texts on one line each: ``CONTAINS`` on it is served by the TEXT index (a match
        across two lines is dropped by the query's own test of the fields)."""
        return f"reduce(s = '', t IN {texts} | s + t + '\\n')"

    def substring_python(self, texts: list[str]) -> Any:
        return "".join(t + "\n" for t in texts) or None

    def restore_index_statements(self, labels: Iterable[str], prop: str, drop: bool = False) -> list[str]:
        return [f"DROP INDEX {_index_name('dhrkg_restore', label)} IF EXISTS" if drop else
                f"CREATE INDEX {_index_name('dhrkg_restore', label)} IF NOT EXISTS "  # cypher-lint: allow create-index-if-not-exists
                f"FOR (n:`{label}`) ON (n.{prop})" for label in labels]

    def loader_text(self, cypher: str) -> str:
        """The loader's statements on Neo4j, planned once and kept: ``CYPHER replan=skip``.

        Replacing a review changes the counts Neo4j plans with (from nothing to thousands of nodes
        of a label); past a threshold Neo4j throws its cached plans away and plans every statement
        again, which on a cold server costs seconds per load. The loader's statements are index
        seeks on unique keys (and label-index deletes by review), whatever the counts, so a cached
        plan is always right for them.
        """
        return "CYPHER replan=skip " + cypher

    def bulk_statement(self, stream: Any, batch: Sequence[Mapping[str, Any]]) -> str:
        """Nodes and relationships created with a literal map of the batch's property names
        (``CREATE (n:L {a: row.a, ...})``): Neo4j then writes each property once, where ``SET n =
        row`` creates the node bare and sets its properties after (12x the db hits): 1.45x the
        rows/s on Person nodes, 1.0-1.1x on the others, paired batch by batch (BENCHMARKS.md,
        "Neo4j online bulk loading"). A name missing from a row gives null, which CREATE leaves
        unset, as ``SET n = row`` does."""
        if stream.kind == "node":
            names = sorted({k for row in batch for k in row})
            return f"UNWIND $rows AS row CREATE (n:{stream.label} {_row_map('row', names)})"
        if stream.kind == "edge":
            names = sorted({k for row in batch for k in (row.get("props") or {})})
            return (f"UNWIND $rows AS row MATCH (a:{stream.from_label} {{key: row.from}}) "
                    f"MATCH (b:{stream.to_label} {{key: row.to}}) "
                    f"CREATE (a)-[e:{stream.label} {_row_map('row.props', names)}]->(b)")
        return stream.create()


def _row_map(source: str, names: Iterable[str]) -> str:
    """A Cypher map literal taking each of ``names`` from the map ``source``: {`a`: row.`a`}."""
    quoted = ["`" + n.replace("`", "``") + "`" for n in names]
    return "{" + ", ".join(f"{q}: {source}.{q}" for q in quoted) + "}"


#: FalkorDB's find_text: the shortest and longest pieces of a word it holds (see
#: FalkorDBDialect.substring_value; graph/queries/find-person.falkordb.cypher cuts a text to
#: PIECE_MAX letters).
PIECE_MIN, PIECE_MAX = 2, 6
#: The piece every person's find_text ends with.
EVERY_PIECE = "<*>"


class FalkorDBDialect(Dialect):
    """FalkorDB 4: plain range indexes, one query per atomic replacement, a key guard."""

    name = "falkordb"

    def index_statements(self, indexes: Sequence[Index], existing: set[tuple[str, str]]) -> list[str]:
        """Range indexes not yet in ``existing`` (unique ones too: no constraints, see above)."""
        return [f"CREATE INDEX FOR (n:{i.label}) ON (n.{i.prop})"
                for i in indexes if (i.label, i.prop) not in existing]

    def restore_index_statements(self, labels: Iterable[str], prop: str, drop: bool = False) -> list[str]:
        return [f"DROP INDEX ON :`{label}`({prop})" if drop else f"CREATE INDEX FOR (n:`{label}`) ON (n.{prop})"
                for label in labels]

    def substring_value(self, texts: str) -> str:
        """Every piece of ``PIECE_MIN`` to ``PIECE_MAX`` letters of every word (the texts split at spaces),
        each between ``<`` and ``>`` (a range index on a list finds ``'<' + piece + '>' IN
        n.prop``; it drops the spaces, tabs and line ends at either end of a value), then
        ``<*>`` (every person: what a text with no word of 2 letters starts from). A text of
        ``PIECE_MIN`` to ``PIECE_MAX`` letters without a space is in a field exactly when it is one of these
        pieces, so find-person needs no test of the fields for it. FalkorDB's full-text index
        matches words and word prefixes, not any part of a word."""
        return (f"reduce(g = [], t IN {texts} | reduce(h = g, w IN split(t, ' ') | "
                f"reduce(j = h, k IN range({PIECE_MIN}, {PIECE_MAX}) | "
                f"j + [i IN range(0, size(w) - k) | '<' + substring(w, i, k) + '>']))) + ['{EVERY_PIECE}']")

    def substring_python(self, texts: list[str]) -> Any:
        """The pieces of each word in turn (:func:`word_pieces`), then ``<*>``: a new list."""
        out: list[str] = []
        for t in texts:
            for w in t.split(" "):
                out += word_pieces(w)
        out.append(EVERY_PIECE)
        return out

    def error_hint(self, error: str) -> str:
        if "unknown function" in error:
            if "apoc." in error:
                return " APOC is a Neo4j plug-in; FalkorDB does not have it."
            return " 'CALL dbms.functions()' lists the functions FalkorDB has."
        if "procedure" in error and ("not registered" in error or "unknown" in error):
            return " 'CALL dbms.procedures()' lists the procedures FalkorDB has."
        if "missing parameters" in error:
            return " Give each $name with --param name=value."
        return ""

    def relationship_type_statement(self, missing: Sequence[str]) -> str:
        """A write that makes relationship types exist in a FalkorDB graph and leaves nothing else.

        FalkorDB plans a query before running it: a pattern naming a relationship type the graph
        has never had matches nothing, even if an earlier part of the same query creates
        relationships of that type (a review's first load followed by its summaries,
        dhrkg.graph.summaries). A type, once created, stays in the graph's schema after its
        relationships are deleted.
        """
        creates = " ".join(f"CREATE (a)-[:{t}]->(a)" for t in missing)
        return f"CREATE (a:Area {{key: '__dhrkg_schema__'}}) {creates} WITH a DETACH DELETE a"

    def key_guards(self, statements: Sequence[Statement]) -> list[Statement]:
        """Statements that stop the query, before it changes anything, when a node it would
        create has a key that a node of another review already has (FalkorDB has no unique
        constraint dhrkg can use, see above): ``1 / 0`` fails the query with "Division by zero"."""
        keys: dict[str, list[dict[str, str]]] = {}
        for st in statements:
            rows = st.params.get("rows") if st.kind == "node" else None
            if not rows or not all(isinstance(r, dict) and "key" in r and "review" in r for r in rows):
                continue  # not nodes that belong to reviews
            label = st.label or st.cypher.split("(n:", 1)[1].split(")", 1)[0]
            keys.setdefault(label, []).extend({"key": r["key"], "review": r["review"]} for r in rows)
        return [
            Statement(f"UNWIND $keys AS k OPTIONAL MATCH (n:{label} {{key: k.key}}) WITH n, k "
                      "WHERE n IS NOT NULL AND n.review <> k.review WITH count(n) AS clashes "
                      "WITH 1 / CASE clashes WHEN 0 THEN 1 ELSE 0 END AS ok",
                      {"keys": label_keys}, "guard")
            for label, label_keys in keys.items()
        ]

    def single_query(self, statements: Sequence[Statement]) -> tuple[str, dict[str, Any]]:
        """Join statements into one FalkorDB query (the key guards first); parameters renamed
        ``$name`` -> ``$name_i``."""
        statements = self.key_guards(statements) + list(statements)
        parts, params = [], {}
        for i, st in enumerate(statements):
            text = st.cypher
            for name, value in st.params.items():
                text = re.sub(rf"\${name}\b", f"${name}_{i}", text)
                params[f"{name}_{i}"] = value
            parts.append(f"{text} WITH count(*) AS _c{i}")
        n = len(statements)
        return "\n".join(parts) + f"\nRETURN _c{n - 1} AS done", params


NEO4J = Neo4jDialect()
FALKORDB = FalkorDBDialect()


# --------------------------------------------------------------------------- results


_UNKNOWN = object()


def plain_value(value: Any) -> Any:
    """A result value from either driver as plain Python data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    # driver objects (Neo4j builds a Relationship subclass per type, in no module of its own)
    if "neo4j" in sys.modules:
        converted = _neo4j_value(value)
        if converted is not _UNKNOWN:
            return converted
    if "falkordb" in sys.modules:
        converted = _falkordb_value(value)
        if converted is not _UNKNOWN:
            return converted
    return str(value)


def _neo4j_value(value: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": plain_value(dict(value.items()))}
    if isinstance(value, Relationship):
        return {"type": value.type, "properties": plain_value(dict(value.items()))}
    if isinstance(value, Path):
        return {"nodes": [plain_value(n) for n in value.nodes],
                "relationships": [plain_value(r) for r in value.relationships]}
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return _UNKNOWN


def _falkordb_value(value: Any) -> Any:
    from falkordb.edge import Edge
    from falkordb.node import Node
    from falkordb.path import Path

    if isinstance(value, Node):
        return {"labels": sorted(value.labels or []), "properties": plain_value(dict(value.properties))}
    if isinstance(value, Edge):
        return {"type": value.relation, "properties": plain_value(dict(value.properties))}
    if isinstance(value, Path):
        return {"nodes": [plain_value(n) for n in value.nodes()],
                "relationships": [plain_value(e) for e in value.edges()]}
    return _UNKNOWN


def plain_rows(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    return [[plain_value(v) for v in row] for row in rows]


#: word -> its pieces (names repeat: 6,162 distinct among the 313,218 name words of the synthetic
#: 100k set; ids do not, and are half the pieces); bounded
_PIECES: dict[str, list[str]] = {}
_PIECES_MAX = 200_000


def word_pieces(word: str) -> list[str]:
    """The pieces of one word in FalkorDBDialect.substring_value's order (by length, then by
    place); kept for the next person of that name (never change the list returned)."""
    pieces = _PIECES.get(word)
    if pieces is None:
        pieces = [f"<{word[i:i + k]}>" for k in range(PIECE_MIN, PIECE_MAX + 1) for i in range(len(word) - k + 1)]
        if len(_PIECES) < _PIECES_MAX:
            _PIECES[word] = pieces
    return pieces
