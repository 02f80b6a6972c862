"""Folders of case files made from the examples, for bulk loads (tests/cli/test_bulk_load_user.py,
bench/halfload.py)."""

from __future__ import annotations

import re
from pathlib import Path

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


def case_folder(folder: Path, copies: int) -> Path:
    """``copies`` case files made from the examples, each with a review id of its own."""
    folder.mkdir()
    for i in range(copies):
        text = EXAMPLES[i % len(EXAMPLES)].read_text(encoding="utf-8")
        text = re.sub(r"(?m)^  id: (\S+)", lambda m: f"  id: {m[1]}-{i:03d}", text, count=1)
        (folder / f"case-{i:03d}.yaml").write_text(text, encoding="utf-8")
    return folder
