"""Right answers for ``<``, ``<=``, ``>`` and ``>=`` on the text properties FalkorDB indexes.

FalkorDB 4.16 answers a range comparison on an INDEXED text property from the index alone, and
the index gets it wrong (FalkorDB issue #2239; tests/graph/test_text_range_forms.py shows each
wrong form): ``n.key < $x`` and ``n.key <= $x`` with every node when the bound holds a ``/`` or
``-`` (every dhrkg key and date), ``n.key > 'abd'`` with ``'abc'`` too, ``n.key < 'a'`` without
``'Z9'``; literal or parameter, either side, alone or beside another indexed test, and after
``NOT``. Equality, ``IN``, ``STARTS WITH`` and ``CONTAINS`` answer right (FalkorDB 4.16 reads
the last two without the index; equality with the empty text is wrong, FalkorDB issue #647, but
dhrkg stores no empty text: ids and types are never empty).

So every read on a FalkorDB store is rewritten before it is sent (:meth:`TextRangeGuard.rewrite`,
called by the store's ``_read``): in a ``WHERE`` (of a clause, of a pattern, of a list or
pattern comprehension), the property access on either side of a range operator, ``x.key``,
becomes ``coalesce(x.key)``: the same value (any type, null included), which the planner does
not serve from an index, so the comparison is a filter and right. Only the properties FalkorDB
keeps a text index on are touched (:meth:`TextRangeGuard.of`, from the schema's index records),
so an equality lookup (``{key: $k}``, ``n.key = $k``, ``n.key IN $ks``) keeps its index, and
numbers (``abused_partners >= 2``) keep their right range lookups. String literals, comments
and `backquoted` names are read as tokens (dhrkg.graph.readonly) and never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from ..readonly import CLAUSE_WORDS, read_text, token_list
from ..schema import Index

#: The range operators the index answers wrong (``<>`` is not one: it is never served by it).
RANGE_OPERATORS = ("<", ">")
#: What a guarded property access becomes: the same value, not served by an index.
WRAP = "coalesce({})"
_OPEN, _CLOSE = "([{", ")]}"
#: Operators that make a property access a part of an operand, not the whole of it.
_ARITHMETIC = ("+", "-", "*", "/", "%", "^")


@dataclass(frozen=True)
class TextRangeGuard:
    """Rewrites range comparisons on ``properties`` (names of indexed text properties)."""

    properties: frozenset[str]

    @classmethod
    def of(cls, indexes: Iterable[Index], unindexed: Iterable[Index] = ()) -> "TextRangeGuard":
        """The guard for the text ``indexes`` a FalkorDB store keeps (less ``unindexed``: the
        ones it declares but drops)."""
        dropped = {(i.label, i.prop) for i in unindexed}
        return cls(frozenset(i.prop for i in indexes if i.holds_text and (i.label, i.prop) not in dropped))

    @property
    def _hint(self) -> re.Pattern:
        return _hint_pattern(self.properties)

    def rewrite(self, cypher: str) -> str:
        """``cypher`` with each guarded property access beside a range operator in a WHERE
        wrapped (the same text when there is none: most queries, found without tokenizing).
        Kept with the text's tokens for the last texts (dhrkg.graph.readonly.read_text)."""
        derived = read_text(cypher).derived
        if self not in derived:
            derived[self] = self._rewrite(cypher)
        return derived[self]

    def _rewrite(self, cypher: str) -> str:
        if not self._may_need(cypher):
            return cypher
        spans = self.spans(cypher)
        for start, end in reversed(spans):
            cypher = cypher[:start] + WRAP.format(cypher[start:end]) + cypher[end:]
        return cypher

    def _may_need(self, cypher: str) -> bool:
        """False only when no guarded name stands next to ``<`` or ``>`` (a comment might hide
        one: then True)."""
        return bool(self._hint.search(cypher)) or "/*" in cypher or "//" in cypher

    def spans(self, cypher: str) -> list[tuple[int, int]]:
        """(start, end) offsets of each property access to wrap, in order, without overlaps."""
        toks = token_list(cypher)
        found: set[tuple[int, int]] = set()
        for i, (kind, text, _) in enumerate(toks):
            if kind != "other" or text not in RANGE_OPERATORS or _not_a_comparison(toks, i):
                continue
            operands = [s for s in (self._left_operand(toks, i), self._right_operand(toks, i)) if s]
            if operands and _clause_of(toks, i) == "WHERE":
                found.update(operands)
        return sorted(found)

    def _left_operand(self, toks: tuple, i: int) -> Optional[tuple[int, int]]:
        """The access just before operator ``i`` (brackets between them skipped), when it is
        the whole operand (not ``a.x + b.key``)."""
        last = i - 1
        while last >= 0 and toks[last][1] == ")":
            last -= 1
        first = self._access_ending_at(toks, last)
        if first is None or (first and toks[first - 1][1] in _ARITHMETIC):
            return None
        return _span(toks, first, last)

    def _right_operand(self, toks: tuple, i: int) -> Optional[tuple[int, int]]:
        """The access just after operator ``i`` (``=`` and brackets skipped), when it is the
        whole operand (not ``b.key + 'x'``, not a function ``f.key(x)``)."""
        first = i + 1
        if first < len(toks) and toks[first][1] == "=":
            first += 1
        while first < len(toks) and toks[first][1] == "(":
            first += 1
        if first >= len(toks):
            return None
        last = first + 2 if first + 2 < len(toks) and toks[first + 1][1] == "." else first
        if self._access_ending_at(toks, last) != first:
            return None
        if last + 1 < len(toks) and toks[last + 1][1] in _ARITHMETIC + ("(", "["):
            return None
        return _span(toks, first, last)

    def _access_ending_at(self, toks: tuple, j: int) -> Optional[int]:
        """The first token of the guarded property access whose last token is ``toks[j]``:
        ``x.prop`` (one word token) or ``x.`prop``` / ```x`.prop`` (three tokens)."""
        if j < 0:
            return None
        kind, text, _ = toks[j]
        if kind == "word" and "." in text and self._guarded(text.rsplit(".", 1)[1]):
            return j
        if kind in ("word", "quoted") and j >= 2 and toks[j - 1][1] == "." and self._guarded(text) \
                and toks[j - 2][0] in ("word", "quoted"):
            return j - 2
        return None

    def _guarded(self, name: str) -> bool:
        name = name.strip()
        if name.startswith("`"):
            name = name[1:-1].replace("``", "`")
        return name in self.properties


def _span(toks: tuple, first: int, last: int) -> tuple[int, int]:
    return toks[first][2], toks[last][2] + len(toks[last][1])


def _not_a_comparison(toks: tuple, i: int) -> bool:
    """``<>`` (not equal), ``<-`` and ``->`` (a pattern's arrows)."""
    nxt = toks[i + 1][1] if i + 1 < len(toks) else ""
    prev = toks[i - 1][1] if i else ""
    if toks[i][1] == "<":
        return nxt in (">", "-")
    return prev in ("<", "-")


def _clause_of(toks: tuple, i: int) -> str:
    """The clause ``toks[i]`` stands in (upper case; "" before any): the clause word last seen
    at its bracket level, or, inside a bracket, at the level the bracket opened in (so a
    comparison in ``WHERE (a OR b)`` or ``WHERE any(x IN l WHERE ...)`` is in a WHERE, and one
    in ``RETURN a.key < 'm'`` is not)."""
    depth = 0
    for k in range(i - 1, -1, -1):
        kind, text, _ = toks[k]
        if kind == "other":
            if text in _CLOSE:
                depth += 1
            elif text in _OPEN:
                depth = max(depth - 1, 0)
        elif kind == "word" and depth == 0 and _is_clause_word(toks, k):
            return text.upper()
    return ""


def _is_clause_word(toks: tuple, i: int) -> bool:
    """A clause keyword, not a name that spells one (``n.where``, ``(:Where)``, ``{where: 1}``,
    ``$where``)."""
    if toks[i][1].upper() not in CLAUSE_WORDS:
        return False
    prev = toks[i - 1][1] if i else ""
    nxt = toks[i + 1][1] if i + 1 < len(toks) else ""
    return prev not in (".", ":", "$") and nxt != ":"


_HINTS: dict[frozenset, re.Pattern] = {}


def _hint_pattern(properties: frozenset[str]) -> re.Pattern:
    """Text that may be a guarded property beside a range operator: ``prop`` then closing
    brackets and ``<``/``>``, or ``<``/``>`` then opening brackets and ``x.prop``."""
    if properties not in _HINTS:
        names = "|".join(sorted(map(re.escape, properties))) or r"(?!)"
        _HINTS[properties] = re.compile(
            rf"(?:{names})`?[\s)]*[<>]|[<>]=?[\s(]*(?:(?:\w+|`(?:[^`]|``)*`)\s*\.\s*)+`?(?:{names})\b")
    return _HINTS[properties]
