"""Characters refused in text and in ids: every code point, against the rule of dhrkg/model/textcheck.py."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from dhrkg.model.textcheck import bad_character


def _refused(ch: str, identifier: bool) -> bool:
    """The rule, one character at a time: text refuses control characters (but tab and line
    breaks) and lone surrogates; an id refuses every character of category C or Z but the space."""
    category = unicodedata.category(ch)
    if identifier:
        return (category[0] in "CZ" and ch != " ") or ch == "\ufeff"
    return category in ("Cc", "Cs") and ch not in "\t\n\r"


BLOCK = 64


@pytest.mark.parametrize("identifier", [False, True], ids=["text", "id"])
def test_every_code_point_is_judged_by_the_rule(identifier):
    """Each block of 64 code points, and each of its code points between two letters: the first
    refused character and its position, as the rule finds them."""
    wrong = []
    for start in range(0, sys.maxunicode + 1, BLOCK):
        block = "".join(map(chr, range(start, min(start + BLOCK, sys.maxunicode + 1))))
        first = next((i for i, ch in enumerate(block) if _refused(ch, identifier)), None)
        found = bad_character(block, identifier=identifier)
        if (found is None) != (first is None) or (first is not None and not found.endswith(f"at character {first + 1}")):
            wrong.append((hex(start), found, first))
        for ch in block if first is not None or not block.isprintable() else ():
            judged = bad_character(f"a{ch}b", identifier=identifier)
            if (judged is not None) != _refused(ch, identifier):
                wrong.append((hex(ord(ch)), judged))
    assert wrong[:10] == []


@pytest.mark.parametrize(("text", "identifier", "message"), [
    ("Adult A\x00", False, "a control character (U+0000) at character 8"),
    ("line one\nline two\ttab\r\n", False, None),
    ("Adult\u200bA", False, None),
    ("Adult\u200bA", True, "an invisible character (U+200B) at character 6"),
    ("p1\n", True, "a line break (U+000A) at character 3"),
    ("caf\u00e9 \u00e0 Gda\u0144sk", True, None),
    ("x\ud800", False, "a lone surrogate (U+D800) at character 2"),
    ("\x85", False, "a control character (U+0085) at character 1"),
])
def test_messages_name_the_character_and_its_place(text, identifier, message):
    assert bad_character(text, identifier=identifier) == message
