"""The package as it is installed, for the layering check: the source folders copied into one
``dhrkg`` tree as pyproject.toml's package-dir maps them (the checkout keeps ``graph/``,
``ingest/``, ... beside ``dhrkg/``, where import-linter, which reads a package's own folder,
would not find them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def package_folders(pyproject: Path = REPO / "pyproject.toml") -> dict[str, Path]:
    """Each package of the distribution and the folder of the checkout it comes from."""
    setuptools = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"]
    mapping = setuptools["package-dir"]
    folders = {}
    for package in setuptools["packages"]:
        base = max((p for p in mapping if package == p or package.startswith(p + ".")), key=len)
        rest = package[len(base):].lstrip(".").replace(".", "/")
        folders[package] = REPO / mapping[base] / rest
    return folders


def installed_tree(target: Path) -> Path:
    """Copy every package's Python files to ``target`` as they are installed; return ``target``."""
    for package, folder in package_folders().items():
        dest = target.joinpath(*package.split("."))
        dest.mkdir(parents=True, exist_ok=True)
        for source in folder.glob("*.py"):
            shutil.copy2(source, dest / source.name)
    return target


def lint_imports(tree: Path, *contracts: str) -> subprocess.CompletedProcess:
    """Run import-linter (``lint-imports``) with pyproject.toml's contracts on ``tree``, a copy
    made by :func:`installed_tree` (only ``contracts``, by id, when given)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "100", "NO_COLOR": "1"}
    chosen = [arg for c in contracts for arg in ("--contract", c)]
    command = [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
               "--no-cache", "--no-logo", *chosen, str(REPO / "pyproject.toml")]
    return subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=300)


if __name__ == "__main__":  # the check by hand: python tests/support/layering.py
    with tempfile.TemporaryDirectory() as folder:
        result = lint_imports(installed_tree(Path(folder)))
    print(result.stdout + result.stderr, end="")
    sys.exit(result.returncode)
