"""The import layering (docs/architecture.md, pyproject.toml's [tool.importlinter]): import-linter
finds every contract kept on the package as installed, and finds an import against a layer when
there is one (so a kept contract means something)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.layering import installed_tree, lint_imports, package_folders


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    return installed_tree(tmp_path_factory.mktemp("installed"))


def test_every_package_is_copied_from_a_folder_of_the_checkout():
    folders = package_folders()
    assert folders["dhrkg.graph.falkordb"].parts[-2:] == ("graph", "falkordb")
    assert folders["dhrkg.model"].parts[-2:] == ("dhrkg", "model")
    missing = [p for p, folder in folders.items() if not (folder / "__init__.py").is_file() and any(folder.glob("*.py"))]
    assert not missing, f"packages without __init__.py: {missing}"


def test_every_contract_is_kept(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _with_import(tree: Path, module: str, line: str, tmp_path: Path) -> Path:
    """A copy of ``tree`` where ``module`` (a dotted name) also runs ``line``."""
    import shutil

    copy = tmp_path / "tree"
    shutil.copytree(tree, copy)
    path = copy.joinpath(*module.split(".")).with_suffix(".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return copy


@pytest.mark.parametrize("module, line, contract, said", [
    ("dhrkg.model.dates", "import dhrkg.graph.schema", "layers", "dhrkg.model is not allowed to import dhrkg.graph"),
    ("dhrkg.graph.schema", "from dhrkg.cli import app", "layers", "dhrkg.graph is not allowed to import dhrkg.cli"),
    ("dhrkg.visualisation.family", "import dhrkg.ontology.export", "layers",
     "dhrkg.visualisation is not allowed to import dhrkg.ontology"),
    ("dhrkg.model.dates", "import dhrkg.config", "model", "dhrkg.model is not allowed to import dhrkg.config"),
    ("dhrkg.model.textcheck", "import dhrkg.model.validate", "acyclic", "No cycles are allowed in dhrkg.model"),
])
def test_an_import_against_a_contract_breaks_it(tree, tmp_path, module, line, contract, said):
    result = lint_imports(_with_import(tree, module, line, tmp_path), contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert said in result.stdout, result.stdout
