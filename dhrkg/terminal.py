"""The one layout of text that dhrkg shows on a terminal: lines of at most :data:`WIDTH`
columns, a longer line broken between words with its continuation lines indented, a word
never broken (a path or a URL stays whole so it can be copied: only a word that alone is
wider than the width passes it). Error messages, usage errors, file errors and the doctor's
lines are all laid out here. ``--json`` output is never laid out (one line for a machine)."""

from __future__ import annotations

import os
import textwrap

#: the columns every message a user sees must fit
WIDTH = 80
#: how much deeper than its line a continuation line is indented, unless told otherwise
CONTINUED = "  "


def file_width() -> int:
    """The columns that text for a person (a table) is laid out for in a file or a pipe: COLUMNS
    when it is set to a number, else :data:`WIDTH`, as Python's ``shutil.get_terminal_size``,
    click's help and rich choose when they have no terminal to measure."""
    columns = os.environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else WIDTH


def between_words(width: int, first: str = "", rest: str = "") -> textwrap.TextWrapper:
    """A wrapper into lines of at most ``width`` columns that breaks a line only at spaces: never
    at a hyphen (``.dhrkg-bulk-load.json``, ``--batch-size``) nor inside a word; the first line
    starts with ``first``, the others with ``rest``."""
    return textwrap.TextWrapper(width=width, initial_indent=first, subsequent_indent=rest,
                                break_long_words=False, break_on_hyphens=False)


def wrapped(line: str, width: int = WIDTH, indent: str = CONTINUED) -> str:
    """``line`` as it is when it fits ``width``, else broken between words into lines of at
    most ``width`` columns, every line after the first starting with ``indent``."""
    if len(line) <= width:
        return line
    return between_words(width, rest=indent).fill(line)


def fitted(text: str, width: int = WIDTH, deeper: str = CONTINUED) -> str:
    """Every line of ``text`` :func:`wrapped`, its continuation lines indented ``deeper``
    than the line itself (a listed problem's continuation stays under its problem)."""
    return "\n".join(wrapped(line, width, leading_space(line) + deeper) for line in text.splitlines())


def leading_space(line: str) -> str:
    """The indentation ``line`` starts with."""
    return line[: len(line) - len(line.lstrip())]
