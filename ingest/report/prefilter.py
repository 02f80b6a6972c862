"""A cheap, exact test that a regular expression cannot match a text, to skip most ``search`` calls.

``literal_starts(pattern)`` reads a compiled pattern and returns the lowercased
literal strings one of which every match must start with (``\\b(arrested|arrest)\\b``:
``{"arrest"}``), or ``None`` when it cannot tell (a match may start with a class
or a repeat). ``Prefilter.may_match(lowered)`` is then a few ``in`` tests on the
lowercased text: when none of the strings is in it, ``pattern.search`` would
have found nothing. Never a false "no": the result of a search is the same with
or without the prefilter, only faster.

Case: under ``re.IGNORECASE`` four non-ASCII characters match ASCII letters
(``İ``, ``ı``, ``ſ`` and the Kelvin sign ``K``) though ``str.lower`` does not
turn them into those letters; a text with any of them is always searched.
"""

from __future__ import annotations

import re
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

#: non-ASCII characters that match an ASCII letter under re.IGNORECASE (checked over all code points)
FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


def _starts(ops) -> set[str] | None:
    """Literal strings one of which every match of the op sequence starts with ("" : nothing known)."""
    prefix = ""
    for op, av in ops:
        if op is _c.LITERAL:
            prefix += chr(av)
            continue
        if op is _c.AT:
            continue  # \b, ^, $: zero width
        if op is _c.SUBPATTERN:
            inner = _starts(av[-1])
            if inner is None:
                return {prefix} if prefix else None
            return {prefix + s for s in inner}
        if op is _c.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                inner = _starts(branch)
                if inner is None:
                    return {prefix} if prefix else None
                out |= {prefix + s for s in inner}
            return out
        break
    return {prefix} if prefix else None


def literal_starts(pattern: re.Pattern) -> frozenset[str] | None:
    """Lowercased literals one of which every match of pattern starts with; None when unknown."""
    starts = _starts(_parser.parse(pattern.pattern, pattern.flags))
    if not starts or "" in starts:
        return None
    return frozenset(s.lower() for s in starts)


class Prefilter:
    """A pattern with its literal starts: ``search(text, lowered)`` is ``pattern.search(text)``."""

    __slots__ = ("pattern", "starts")

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.starts = literal_starts(pattern)

    def may_match(self, lowered: str, exotic: bool) -> bool:
        """False only when the pattern cannot match the text whose ``.lower()`` is lowered;
        ``exotic``: the text has characters of FOLDS_TO_ASCII (always True then)."""
        if self.starts is None or exotic:
            return True
        for s in self.starts:  # a plain loop: faster than any() over a generator
            if s in lowered:
                return True
        return False


def exotic(text: str) -> bool:
    """Whether lowercasing the text may hide a case-insensitive match (see FOLDS_TO_ASCII)."""
    return not text.isascii() and not FOLDS_TO_ASCII.isdisjoint(text)
