"""What ships in examples/ is what the README says, and calls itself what it is."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def test_every_file_the_readme_names_in_examples_exists():
    named = set(re.findall(r"examples/[\w./-]+\.(?:yaml|txt)", (ROOT / "README.md").read_text(encoding="utf-8")))
    assert named, "the README names no example file"
    assert sorted(n for n in named if not (ROOT / n).exists()) == []


def test_no_example_calls_itself_a_gold_annotation():
    for path in EXAMPLES.rglob("*"):
        if path.is_file():
            assert "gold" not in path.read_text(encoding="utf-8").lower().split("\n", 3)[0], path.name


def test_demo_output_is_ignored_by_git():
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "demo-output/" in lines or "/demo-output/" in lines
