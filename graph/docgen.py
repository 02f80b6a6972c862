"""Generated parts of the Markdown docs (docs/graph-schema.md, docs/queries.md), written from a checkout.

The text between a pair of markers is what a generator returns; ``python -m dhrkg.graph.schema
--write`` (and ``dhrkg.graph.canned``) rewrite it in the docs/ of the checkout they run in, so an
installed dhrkg never looks for a docs/ folder of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Optional


def update_generated(path: Path | str, begin: str, end: str, text: str) -> bool:
    """Put ``text`` between the ``begin`` and ``end`` markers of ``path``; True if it changed."""
    p = Path(path)
    old = p.read_text(encoding="utf-8")
    head, sep, rest = old.partition(begin)
    if not sep:
        raise ValueError(f"{p}: no '{begin}' marker")
    _, _, tail = rest.partition(end)
    new = f"{head}{begin}\n{text}{end}{tail}"
    if new != old:
        p.write_text(new, encoding="utf-8")
        return True
    return False


def main(argv: Optional[Iterable[str]], *, what: str, default: str, generate: Callable[[], str],
         update: Callable[[str], bool]) -> int:
    """Print ``generate()``, or with ``--write [FILE]`` update FILE (default ``default``)."""
    import argparse

    ap = argparse.ArgumentParser(description=f"Print (or --write into {default}) {what}.")
    ap.add_argument("--write", nargs="?", const=default, metavar="FILE",
                    help="update the generated section of this Markdown file "
                         f"(default: {default} of the checkout you run it in)")
    args = ap.parse_args(list(argv) if argv is not None else None)
    if args.write:
        print(f"{args.write}: {'updated' if update(args.write) else 'up to date'}")
    else:
        print(generate(), end="")
    return 0
