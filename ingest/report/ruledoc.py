"""Write the extractor's rule tables into docs/extract.md (or print them).

    .venv/bin/python -m dhrkg.ingest.report.ruledoc [--write [FILE]]

A test (tests/extract/test_extract_sections.py) fails when the tables in the docs are out of date.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .rules import RuleFileError, rule_tables

DOC_BEGIN = "<!-- BEGIN GENERATED RULE TABLES (python -m dhrkg.ingest.report.ruledoc --write) -->"
DOC_END = "<!-- END GENERATED RULE TABLES -->"
DOC = Path(__file__).resolve().parents[2] / "docs" / "extract.md"


def with_tables(text: str, source: str = "docs/extract.md") -> str:
    """The text with the rule tables between its markers."""
    head, found, rest = text.partition(DOC_BEGIN)
    if not found or DOC_END not in rest:
        raise RuleFileError(f"{source}: no rule-table markers ({DOC_BEGIN} ... {DOC_END})")
    tail = rest.split(DOC_END, 1)[1]
    return f"{head}{DOC_BEGIN}\n{rule_tables()}{DOC_END}{tail}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Print (or --write into docs/extract.md) the extractor's rule tables.")
    ap.add_argument("--write", nargs="?", const=str(DOC), metavar="FILE", help="the Markdown file to update")
    args = ap.parse_args(argv)
    if not args.write:
        print(rule_tables(), end="")
        return 0
    path = Path(args.write)
    text = path.read_text(encoding="utf-8")
    new = with_tables(text, str(path))
    if new != text:
        path.write_text(new, encoding="utf-8")
    print(f"{path}: {'updated' if new != text else 'up to date'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
