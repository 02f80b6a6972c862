"""Refuse Cypher that writes, before it is sent to an engine.

This is the first of two locks: the engines are asked for read-only execution as well (Neo4j
sessions in READ access mode, FalkorDB ``GRAPH.RO_QUERY``), so a query that slips past this
check still cannot write. The check reads the query as tokens, with string literals, comments
and `backticked` names blanked out, so ``RETURN 'CREATE'`` or ``n.set`` or ``(:Set)`` pass and
``CREATE (n)`` does not.

``check_read_only(cypher)`` returns None or raises :class:`WriteNotAllowed` naming the clause and
its line and column.

It also bounds a query's size before it reaches an engine (:func:`check_bounds`, raising
:class:`QueryTooComplex`): FalkorDB's parser takes time that doubles with each level of nesting
(``RETURN ((((1))))``, ``- - - 1``, ``NOT NOT NOT x``: 14 s at 22 levels, crashing the server at
100,000) and its query timeout does not cover parsing. The limits (:data:`LIMITS`) are far above
what the query library needs (length 4,600, nesting 5, 44 clauses) and keep parsing to
milliseconds.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

#: Keywords that start a clause that writes or administers. Each alone is enough.
WRITE_KEYWORDS = {
    "CREATE": "CREATE creates nodes, relationships, indexes or other objects",
    "MERGE": "MERGE may create nodes and relationships",
    "SET": "SET changes properties or labels",
    "DELETE": "DELETE removes nodes and relationships",
    "DETACH": "DETACH DELETE removes nodes and relationships",
    "REMOVE": "REMOVE deletes properties or labels",
    "DROP": "DROP removes indexes, constraints or databases",
    "FOREACH": "FOREACH runs update clauses",
    "ALTER": "ALTER changes users, databases or other server objects",
    "GRANT": "GRANT changes privileges",
    "DENY": "DENY changes privileges",
    "REVOKE": "REVOKE changes privileges",
}

#: Administration commands that are two words (the first alone is a fine variable name).
WRITE_PAIRS = {
    ("START", "DATABASE"): "START DATABASE changes the server",
    ("STOP", "DATABASE"): "STOP DATABASE changes the server",
    ("ENABLE", "SERVER"): "ENABLE SERVER changes the server",
    ("RENAME", "ROLE"): "RENAME ROLE changes the server",
    ("RENAME", "USER"): "RENAME USER changes the server",
    ("RENAME", "SERVER"): "RENAME SERVER changes the server",
    ("TERMINATE", "TRANSACTION"): "TERMINATE TRANSACTIONS stops other transactions",
    ("TERMINATE", "TRANSACTIONS"): "TERMINATE TRANSACTIONS stops other transactions",
    ("DEALLOCATE", "DATABASE"): "DEALLOCATE changes the server",
    ("DEALLOCATE", "DATABASES"): "DEALLOCATE changes the server",
    ("REALLOCATE", "DATABASE"): "REALLOCATE changes the server",
    ("REALLOCATE", "DATABASES"): "REALLOCATE changes the server",
}

#: Procedures a read-only query may CALL (exact names, or prefixes ending in ".").
READ_PROCEDURES = (
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.indexes", "db.constraints",
    "db.schema.", "db.info", "db.ping",
    "db.idx.fulltext.querynodes", "db.idx.fulltext.queryrelationships",
    "db.idx.vector.querynodes", "db.idx.vector.queryrelationships",
    "db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships",
    "db.index.vector.querynodes", "db.index.vector.queryrelationships",
    "dbms.procedures", "dbms.functions", "dbms.components",
    "algo.",  # FalkorDB's graph algorithms (read-only: they return results, they do not write)
)


class WriteNotAllowed(ValueError):
    """A query that would (or could) change the graph; the message names the clause."""

    def __init__(self, message: str, keyword: str = "", line: int = 0, column: int = 0):
        self.keyword, self.line, self.column = keyword, line, column
        super().__init__(message)


class QueryTooComplex(WriteNotAllowed):
    """A query refused, before it is sent, for its size: too long, too deeply nested or with too
    many clauses (the engines could spend minutes parsing it). A kind of WriteNotAllowed so that
    every caller that reports a refused query reports this one too."""


@dataclass(frozen=True)
class Limits:
    length: int = 20_000  # characters
    nesting: int = 8  # brackets, and prefix operators (NOT, -, +) in a row
    clauses: int = 100


LIMITS = Limits()

#: Words that start a clause (OPTIONAL MATCH counts once, as MATCH).
CLAUSE_WORDS = frozenset({"MATCH", "WITH", "RETURN", "UNWIND", "CALL", "UNION", "WHERE", "ORDER",
                          "SKIP", "LIMIT", "USE", "FINISH"})
#: Words after which ``-`` or ``+`` is a sign, not a subtraction or addition.
_OPERATOR_WORDS = frozenset({"RETURN", "WITH", "WHERE", "AND", "OR", "XOR", "NOT", "IN", "WHEN",
                             "THEN", "ELSE", "CASE", "UNWIND", "IS", "CONTAINS", "STARTS", "ENDS",
                             "SKIP", "LIMIT", "BY", "DISTINCT"})
_OPEN, _CLOSE = "([{", ")]}"


def _too_complex(cypher: str, offset: int, what: str) -> QueryTooComplex:
    line, column = _position(cypher, offset)
    return QueryTooComplex(f"line {line}, column {column}: the query is too complex to send: {what}",
                           "", line, column)


def _is_prefix_operator(kind: str, text: str, prev: Optional[tuple]) -> bool:
    if kind == "word":
        return text.upper() == "NOT"
    if text not in "-+":
        return False
    return prev is None or (prev[0] == "other" and prev[1] not in _CLOSE) or (
        prev[0] == "word" and prev[1].upper() in _OPERATOR_WORDS)


def _nesting(tokens: list) -> tuple[int, int]:
    """(deepest nesting, offset where it is reached): each open bracket and each prefix
    operator opens a level; an operand closes the prefix operators waiting for it."""
    stack: list[str] = []
    deepest, where = 0, 0
    for i, (kind, text, offset) in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        if _is_prefix_operator(kind, text, prev):
            stack.append("op")
        elif kind == "other" and text in _OPEN:
            stack.append(text)
        else:
            if kind == "other" and text in _CLOSE:
                while stack and stack[-1] == "op":
                    stack.pop()
                if stack:
                    stack.pop()
            while stack and stack[-1] == "op":
                stack.pop()
        if len(stack) > deepest:
            deepest, where = len(stack), offset
    return deepest, where


def check_bounds(cypher: str, limits: Limits = LIMITS) -> None:
    """Raise :class:`QueryTooComplex` if ``cypher`` is longer, deeper or has more clauses than
    ``limits`` allow."""
    if len(cypher) > limits.length:
        raise _too_complex(cypher, limits.length, f"longer than {limits.length:,} characters")
    toks = token_list(cypher)
    deepest, where = _nesting(toks)
    if deepest > limits.nesting:
        raise _too_complex(cypher, where, f"nested {deepest} deep (brackets, NOT, signs), more "
                           f"than {limits.nesting}; split it with WITH")
    clauses = [offset for kind, text, offset in toks if kind == "word" and text.upper() in CLAUSE_WORDS]
    if len(clauses) > limits.clauses:
        raise _too_complex(cypher, clauses[limits.clauses], f"more than {limits.clauses} clauses")


_TOKEN = re.compile(
    r"""
    (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(cypher: str):
    """(kind, text, offset) for each token; comments dropped, strings and quoted names kept as kinds."""
    for m in _TOKEN.finditer(cypher):
        kind = m.lastgroup
        if kind == "comment":
            continue
        yield kind, m.group(), m.start()


class ReadText:
    """What the read path works out from one query text, kept together (:func:`read_text`): its
    tokens, made when first asked for, and what a reader derives from them (``derived``, by the
    reader's own key: FalkorDB's rewrite of ranges, dhrkg.graph.falkordb.text_ranges)."""

    __slots__ = ("text", "_tokens", "derived")

    def __init__(self, text: str):
        self.text, self._tokens, self.derived = text, None, {}

    @property
    def tokens(self) -> tuple:
        if self._tokens is None:
            self._tokens = tuple(_tokens(self.text))
        return self._tokens


@functools.lru_cache(maxsize=64)
def read_text(cypher: str) -> ReadText:
    """The :class:`ReadText` of ``cypher``, kept for the last 64 texts (in memory only: a text
    may hold personal data): the bounds check, the read-only check and FalkorDB's rewrite of
    ranges read the same query one after the other, and a canned query is read again and again."""
    return ReadText(cypher)


def token_list(cypher: str) -> tuple:
    """The tokens of ``cypher`` (:func:`_tokens`), kept with its :func:`read_text`."""
    return read_text(cypher).tokens


def _position(cypher: str, offset: int) -> tuple[int, int]:
    line = cypher.count("\n", 0, offset) + 1
    column = offset - (cypher.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _refuse(cypher: str, offset: int, keyword: str, why: str) -> WriteNotAllowed:
    line, column = _position(cypher, offset)
    return WriteNotAllowed(
        f"line {line}, column {column}: {keyword} is not allowed here: {why}. "
        "Queries run read-only; load data with 'dhrkg load'.",
        keyword, line, column,
    )


def check_read_only(cypher: str) -> None:
    """Raise :class:`WriteNotAllowed` if ``cypher`` has a clause that writes (or administers),
    :class:`QueryTooComplex` if it is too big to send (:func:`check_bounds`)."""
    check_bounds(cypher)
    toks = token_list(cypher)
    for i, (kind, text, offset) in enumerate(toks):
        if kind != "word":
            continue
        prev: Optional[tuple] = toks[i - 1] if i > 0 else None
        nxt: Optional[tuple] = toks[i + 1] if i + 1 < len(toks) else None
        # A name, not a keyword: property access (n.set), label/type (:Set), parameter ($set), map key ({set: 1}).
        if prev is not None and prev[0] == "other" and prev[1] in (".", ":", "$"):
            continue
        if nxt is not None and nxt[0] == "other" and nxt[1] == ":" and not (prev and prev[1] in ("(", "[")):
            continue
        word = text.upper()
        if word in WRITE_KEYWORDS:
            raise _refuse(cypher, offset, word, WRITE_KEYWORDS[word])
        if nxt is not None and (word, nxt[1].upper()) in WRITE_PAIRS:
            raise _refuse(cypher, offset, f"{word} {nxt[1].upper()}", WRITE_PAIRS[(word, nxt[1].upper())])
        if word == "LOAD" and nxt is not None and nxt[1].upper() == "CSV":
            raise _refuse(cypher, offset, "LOAD CSV", "LOAD CSV is an import (it is used to write)")
        if word == "IN" and nxt is not None and nxt[1].upper() in ("TRANSACTIONS", "CONCURRENT"):
            raise _refuse(cypher, offset, "CALL { } IN TRANSACTIONS", "batched transactions are for writes")
        if word == "CALL" and nxt is not None and nxt[0] == "word":
            shown = re.sub(r"\s+", "", nxt[1])
            name = shown.lower()
            allowed = any(name == p or (p.endswith(".") and name.startswith(p)) for p in READ_PROCEDURES)
            if not allowed:
                raise _refuse(cypher, nxt[2], f"CALL {shown}",
                              "only read-only procedures may be called (db.labels, db.indexes, "
                              "dbms.procedures, algo.* ...)")
    return None
