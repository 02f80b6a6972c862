"""Reading a CSV file someone else wrote: UTF-8 (with or without a byte-order mark), every row
the header's width, no field longer than :data:`MAX_FIELD`, no control characters.

Every problem is raised as the caller's exception class with ``file:line: what``, so a
latin-1, UTF-16 or binary file, a ragged row or a NUL byte is a clear error, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
from pathlib import Path
from typing import Iterator

from dhrkg.model.textcheck import bad_character

MAX_FIELD = 131_072  # the csv module's own limit, kept: a longer field is not a record


def not_utf8(path: Path) -> str:
    """``file:line: not UTF-8 text ...`` for the first line that is not, naming UTF-16."""
    with path.open("rb") as f:
        if f.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return f"{path}: UTF-16 text; save it as UTF-8 (CSV UTF-8 in Excel)"
        f.seek(0)
        for line, raw in enumerate(f, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
    return f"{path}: not UTF-8 text; save it as UTF-8"


def read_header(path: Path, error: type[Exception]) -> list[str]:
    """The first row of ``path`` (empty for an empty file), checked like every row."""
    for _, row in csv_records(path, error):
        return row
    return []


def read_rows(path: Path, columns: tuple[str, ...], error: type[Exception]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {column: value}) for each data row; raises ``error`` for any problem."""
    rows = csv_records(path, error)
    header = next((row for _, row in rows), [])
    missing = [c for c in columns if c not in header]
    if missing:
        raise error(f"{path}:1: missing column(s) {', '.join(missing)}")
    for line, row in rows:
        if len(row) != len(header):
            raise error(f"{path}:{line}: {len(row)} fields where the header has {len(header)}")
        yield line, dict(zip(header, row))


def csv_records(path: Path, error: type[Exception]) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) for each non-blank row, the header included, every one checked."""
    line = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            for row in reader:
                line = reader.line_num
                if not row:
                    continue  # a blank line
                _check_fields(path, line, row, error)
                yield line, row
                line = reader.line_num + 1
    except UnicodeDecodeError:
        raise error(not_utf8(path)) from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise error(f"{path}:{line}: a field longer than {MAX_FIELD:,} characters") from None
        raise error(f"{path}:{line}: not a readable CSV row ({exc})") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None


def _check_fields(path: Path, line: int, row: list[str], error: type[Exception]) -> None:
    for i, value in enumerate(row):
        bad = bad_character(value)
        if bad:
            raise error(f"{path}:{line}: field {i + 1} contains {bad}")
