"""The extractor's modules import each other at module level only (no import cycles hidden in functions)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "ingest" / "report"
MODULES = sorted(PACKAGE.glob("*.py"))


def _function_level_imports(path: Path) -> list[str]:
    """``from .x import y`` statements inside a function of the module, as "line: module"."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.level > 0:
                    out.append(f"{inner.lineno}: .{inner.module or ''}")
    return out


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_function_level_import_of_a_sibling_module(path):
    assert _function_level_imports(path) == [], path.name


def test_the_check_sees_a_function_level_import(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from .persons import kin_of\n    return kin_of\n")
    assert _function_level_imports(sample) == ["2: .persons"]


def test_kin_facts_have_one_owner():
    from dhrkg.ingest.report import kinfacts, labels, persons, rolepersons

    assert labels.kin_of is kinfacts.kin_of and rolepersons.kin_of is kinfacts.kin_of
    assert persons.add_kin_fact is kinfacts.add_kin_fact and labels.add_kin_fact is kinfacts.add_kin_fact
