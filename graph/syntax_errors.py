"""Cypher syntax errors from either engine, said the same way in two short lines.

FalkorDB says ``errMsg: Invalid input ' ': expected RETURN line: 1, column: 16, offset: 15
errCtx: ...``; Neo4j says ``Invalid input 'RETUR': expected ... (line 1, column 11 (offset:
10))`` followed by the query line and a caret. Both become::

    Cypher syntax error at line 1, column 11: unexpected 'RETUR'
    expected a graph pattern, 'FOREACH', ',', 'ORDER BY', 'CALL', ...

The token is read from the query at the position the engine gives (FalkorDB points at the
space after a misspelt word; the word before it is the one meant).
"""

from __future__ import annotations

import re
from typing import Optional

WIDTH = 80
_SYNTAX = re.compile(r"\bInvalid input\b")  # both engines; other errors (unknown function ...) are not syntax
_POSITION = re.compile(r"line:?\s*(\d+),\s*column:?\s*(\d+)", re.I)
_EXPECTED = re.compile(r"expected (.+?)(?:\s*\(line\b|\s+line:|$)", re.I | re.S)
_MESSAGE = re.compile(r"(?:errMsg: )?(.*?)(?:\s*\(line\b|\s+line:|$)", re.S)
_WORD = re.compile(r"'[^']*'|\"[^\"]*\"|\w+|\S")


def token_at(query: str, line: int, column: int) -> Optional[str]:
    """The word (or symbol) at a 1-based line and column; at a space, the word before it."""
    lines = query.splitlines() or [""]
    if not 1 <= line <= len(lines):
        return None
    text = lines[line - 1]
    col = min(max(column - 1, 0), len(text))
    if col == len(text) or text[col].isspace():
        before = text[:col].rstrip()
        words = _WORD.findall(before)
        return words[-1] if words else None
    match = _WORD.match(text, col)
    return match.group(0) if match else None


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text.rfind(", ", 0, width - 5)
    return text[:cut if cut > 0 else width - 5] + ", ..."


def explain_syntax_error(message: str, query: str) -> Optional[str]:
    """Two lines for a syntax error of either engine; None when ``message`` is not one."""
    if "{message: " in message:  # Neo4j: the message proper, without its code and GQL status
        message = message.split("{message: ", 1)[1].split("} {gql_status", 1)[0]
    if not _SYNTAX.search(message):
        return None
    where = _POSITION.search(message)
    head = "Cypher syntax error"
    if where:
        line, column = int(where.group(1)), int(where.group(2))
        head += f" at line {line}, column {column}"
        token = token_at(query, line, column)
        if token:
            head += f": unexpected {token!r}"
    expected = _EXPECTED.search(message)
    if expected:
        detail = "expected " + expected.group(1)
    else:
        detail = _MESSAGE.match(message).group(1).removeprefix("Invalid input.").strip()
    return head + "\n" + _shorten(detail, WIDTH - 7)  # 7: room for the "error: " the CLI adds
