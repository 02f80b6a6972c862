"""Which rows of a query answer a user may see: only rows about the reviews granted to them.

A chair's canned query starts from a granted review, but a person-centred query can follow
links out of it (an identity that joins people of two reviews, linked police or agency
records, a path through another family). The rule: for a user whose reading is limited to
granted reviews, a row is left out when anything in it (any column, at any depth of a list or
map, or inside a text such as a path written in words) names

- a node of a review not granted to the user: a key ``"<review>/<id>"``, or a review id as a
  whole value;
- a node that belongs to no review: a linked record (``"<source>/<record id>"``), an incident
  or contact of the linked records (``incident/...``, ``contact/...``), or an identity
  (``ID-...``).

Canned queries name every node they report by its key, so the rule needs no knowledge of a
query. The queries shipped with dhrkg that return local ids or names without keys (a review's
chronology, a person's timeline) read one review, the one their parameters name. A query added
by a user is not known to: a row of its answer that names no review at all (names, not keys)
cannot be attributed, and the whole answer is refused (:class:`UnattributedRows`, a 403 that
says the query must return keys) rather than passed. The answer does not say that rows were left out (that alone would tell a chair that the
person appears in another review). Users who may read every review see every row.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from dhrkg.graph.records import IDENTITY as IDENTITY_PREFIX, OUTSIDE_REVIEWS
from dhrkg.model.model import KEY_SEPARATOR
# a key starts a value or follows a separator (space, quote, bracket, punctuation, an arrow)
_START = r"(?<![^\s\"'(\[{,;:>=|])"


class RowScope:
    """Rows naming only granted reviews (see the module's rule)."""

    def __init__(self, granted: Iterable[str], reviews: Iterable[str], record_sources: Iterable[str] = ()):
        self.granted = frozenset(granted)
        self.reviews = frozenset(reviews)
        prefixes = sorted({*self.granted, *self.reviews, *OUTSIDE_REVIEWS, *record_sources} - {""},
                          key=lambda p: (-len(p), p))  # longest first: "a-dhr-7/" is not "dhr-7/"
        self._keys = re.compile(_START + "(?:(" + "|".join(map(re.escape, prefixes)) + ")" + re.escape(KEY_SEPARATOR) + "|"
                                + re.escape(IDENTITY_PREFIX) + ")")

    def allows(self, value: Any) -> bool:
        """Whether ``value`` (a row, or any value in it) names only nodes of granted reviews."""
        if isinstance(value, str):
            return self._text_allowed(value)
        if isinstance(value, dict):
            return all(self.allows(v) for v in value.values())
        if isinstance(value, (list, tuple, set, frozenset)):
            return all(self.allows(v) for v in value)
        return True

    def _text_allowed(self, text: str) -> bool:
        if text in self.reviews and text not in self.granted:
            return False
        return all(m.group(1) in self.granted for m in self._keys.finditer(text))

    def names_granted(self, value: Any) -> bool:
        """Whether ``value`` (a row, or any value in it) names a node of a granted review."""
        if isinstance(value, str):
            return value in self.granted or any(m.group(1) in self.granted for m in self._keys.finditer(value))
        if isinstance(value, dict):
            return any(self.names_granted(v) for v in value.values())
        if isinstance(value, (list, tuple, set, frozenset)):
            return any(self.names_granted(v) for v in value)
        return False

    def rows(self, rows: list[list[Any]], vetted: bool = False) -> list[list[Any]]:
        """The rows that name only granted reviews. A row that names no review at all is of the
        review the query started from when the query is ``vetted`` (shipped with dhrkg: its
        rows without keys are one review's, as its tests show); otherwise nothing in it says it
        may be shown: :class:`UnattributedRows`."""
        kept = [row for row in rows if self.allows(row)]
        if not vetted and not all(self.names_granted(row) for row in kept):
            raise UnattributedRows()
        return kept


class UnattributedRows(Exception):
    """A row names no node of any review (a query returning names, not keys): whose it is
    cannot be told, so it is not shown to a user limited to granted reviews."""
