"""Characters no imported text may hold, and showing text safely in a message.

Free text (names, notes, summaries, CSV fields) may hold any printable character, tab and line
breaks, but no other control character: a NUL or an escape sequence is refused where it is read,
with the file, line and field, before it can reach the engine or a terminal. An identifier
(a review, person or record id) may hold neither a control character nor an invisible one
(zero-width space, a direction mark, ...), nor a line break, so that two ids that look the same
are the same.
"""

from __future__ import annotations

import re
import unicodedata

TEXT_ALLOWED = frozenset("\t\n\r")
#: what free text may not hold, found in one search: control characters (category Cc, a fixed set:
#: U+0000-001F and U+007F-009F) but tab and line breaks, and lone surrogates (Cs: U+D800-DFFF)
_TEXT_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CATEGORY_NAMES = {
    "Cc": "a control character", "Cf": "an invisible character", "Co": "a private-use character",
    "Cs": "a lone surrogate", "Cn": "an unassigned character", "Zl": "a line separator",
    "Zp": "a paragraph separator", "Zs": "an unusual space",
}


def _describe(ch: str) -> str:
    name = _CATEGORY_NAMES.get(unicodedata.category(ch), "a character not allowed here")
    if ch in "\n\r":
        name = "a line break"
    elif ch == "\t":
        name = "a tab"
    return f"{name} (U+{ord(ch):04X})"


def bad_character(text: str, *, identifier: bool = False) -> str | None:
    """What is wrong with ``text`` ("a control character (U+0000) at character 4"), or None."""
    if text.isprintable():   # no character of category C or Z but the space: nothing refused
        return None
    if not identifier:
        found = _TEXT_REFUSED.search(text)
        return f"{_describe(found.group())} at character {found.start() + 1}" if found else None
    for i, ch in enumerate(text):
        if (unicodedata.category(ch)[0] in "CZ" and ch != " ") or ch == "\ufeff":
            return f"{_describe(ch)} at character {i + 1}"
    return None


def visible(text: str, limit: int = 60) -> str:
    """``text`` with every character that is not plainly visible written as \\uXXXX, cut to ``limit``."""
    out = "".join(ch if ch == " " or ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)
    return out if len(out) <= limit else out[: limit - 3] + "..."
