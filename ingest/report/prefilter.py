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

#: non-ASCII characters that match an ASCII letter under re.IGNORECASE (checked over all code points)
FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")

#: escapes that match nothing (zero width): skipped like ``^`` and ``$``
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")
#: escapes of one fixed character
_CHAR_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_QUANTIFIER_START = frozenset("*+?{")
_LOOK_AROUNDS = ("?=", "?!", "?<=", "?<!")
_SCOPED_FLAGS = re.compile(r"\?[aiLmsux]*(?:-[imsx]+)?:")


class _Unknown(Exception):
    """The pattern uses syntax the reader does not follow: no literal start is known."""


class _Reader:
    """Reads the literal starts of a regular expression's text (a small subset of the syntax).

    Literal characters, escaped punctuation, ``\\b ^ $`` (zero width), groups ``( )``,
    ``(?: )`` and ``(?P<name> )`` and alternation ``|`` are followed; anything else (a class,
    ``.``, a repeat, a look-around, inline flags) ends what is known at that point. Every
    answer is a necessary condition for a match, so a search gives the same result with the
    prefilter as without it.
    """

    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def alternation(self) -> set[str] | None:
        """Starts of ``seq | seq | ...`` up to the end or a closing parenthesis."""
        out: set[str] = set()
        unknown = False
        while True:
            starts = self.sequence()
            if starts is None:
                unknown = True
            else:
                out |= starts
            if self.peek() != "|":
                break
            self.pos += 1
        return None if unknown else out

    def sequence(self) -> set[str] | None:
        prefix = ""
        while self.peek() not in ("", "|", ")"):
            char = self.atom_char()
            if char is None:  # a zero-width assertion
                continue
            if char == "(":
                inner = self.group()
                if self.peek() in _QUANTIFIER_START or inner is None:
                    self.skip_rest()
                    return {prefix} if prefix else None
                self.skip_rest()
                return {prefix + s for s in inner}
            if self.peek() in _QUANTIFIER_START or char == "":
                self.skip_rest()
                return {prefix} if prefix else None
            prefix += char
        return {prefix} if prefix else None

    def atom_char(self) -> str | None:
        """The next literal character; "(" for a group; "" for anything else; None: zero width."""
        char = self.peek()
        self.pos += 1
        if char in "^$":
            return None
        if char == "(":
            if self.text.startswith(_LOOK_AROUNDS, self.pos):
                self.pos -= 1
                return ""  # a look-around: what follows it is not followed
            return "("
        if char in "[.*+?{":
            self.pos -= 1
            return ""
        if char != "\\":
            return char
        escaped = self.peek()
        self.pos += 1
        if escaped in _ZERO_WIDTH_ESCAPES:
            return None
        if escaped in _CHAR_ESCAPES:
            return _CHAR_ESCAPES[escaped]
        if escaped and not escaped.isalnum():
            return escaped
        return ""  # a class (\\d), a back reference, a code (\\x41): not followed

    def group(self) -> set[str] | None:
        """Starts of a group whose "(" was read; the reader stands after its ")"."""
        flags = _SCOPED_FLAGS.match(self.text, self.pos)
        if flags:
            self.pos = flags.end()  # (?:...) and (?i:...): the flags only widen what matches
        elif self.text.startswith("?P<", self.pos):
            self.pos = self.text.index(">", self.pos) + 1
        elif self.peek() == "?":
            raise _Unknown  # global inline flags, conditionals, comments
        starts = self.alternation()
        if self.peek() != ")":
            raise _Unknown
        self.pos += 1
        return starts

    def skip_rest(self) -> None:
        """Skip to the end of the current alternative (the "|" or ")" that ends it)."""
        depth = 0
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char == "[":
                self.skip_class()
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    return
                depth -= 1
            elif char == "|" and depth == 0:
                return
            self.pos += 1

    def skip_class(self) -> None:
        """Skip a character class ``[...]`` (``]`` first inside it is a literal)."""
        self.pos += 1
        if self.peek() == "^":
            self.pos += 1
        if self.peek() == "]":
            self.pos += 1
        while self.pos < len(self.text) and self.text[self.pos] != "]":
            self.pos += 2 if self.text[self.pos] == "\\" else 1
        self.pos += 1


def _fewest(starts: set[str]) -> set[str]:
    """Drop strings that contain another of the set: finding the shorter one is needed anyway."""
    return {s for s in starts if not any(t != s and t in s for t in starts)}


def literal_starts(pattern: re.Pattern) -> frozenset[str] | None:
    """Lowercased literals one of which every match of pattern starts with; None when unknown."""
    if pattern.flags & re.VERBOSE or not isinstance(pattern.pattern, str):
        return None
    reader = _Reader(pattern.pattern)
    try:
        starts = reader.alternation()
    except (_Unknown, ValueError):
        return None
    if reader.pos != len(pattern.pattern) or not starts or "" in starts:
        return None
    return frozenset(_fewest({s.lower() for s in starts}))


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
