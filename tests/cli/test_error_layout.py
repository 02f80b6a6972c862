"""Every error a user sees fits 80 columns, whatever it is about (a data directory, a backend, a
parameter, a query, a file): a line wider than 80 columns is broken between words, and only a
single word wider than 80 columns alone (a long path, kept whole so it can be copied) passes.
Swept over the error paths the CLI reaches without a graph engine, from a deep folder."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.terminal import fitted, wrapped

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "examples" / "001_24bc3f827734f2c4.yaml"
#: folders whose absolute path alone is wider than 80 columns
DEEP = tuple(f"a-rather-long-folder-name-{i}" for i in range(4))
runner = CliRunner()


@pytest.fixture
def deep(tmp_path, monkeypatch) -> Iterator[Path]:
    folder = tmp_path.joinpath(*DEEP)
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    (folder / "write.cypher").write_text("CREATE (n:Person {name: 'x'}) RETURN n\n", encoding="utf-8")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("DHRKG_BACKEND", "falkordb")
    monkeypatch.setenv("DHRKG_DATA_DIR", str(folder / "data"))
    yield folder
    if (folder / "data" / "falkordb.pid").exists():  # an error path that started the engine first
        runner.invoke(app, ["db", "stop"])


#: (command, words the error must hold); {deep} is the deep folder
ERRORS = {
    "data dir is a file": (["stats", "--data-dir", "{deep}/notes.txt"], "is a file, not a folder"),
    "bad backend": (["stats", "--backend", "nosuch"], "unknown graph backend 'nosuch'"),
    "bad param": (["cypher", "RETURN 1", "-p", "x"], "--param 'x': expected name=value"),
    "missing param": (["run", "prior-partners"], "needs parameter person"),
    "unknown query": (["run", "nonesuch"], "no query named 'nonesuch'"),
    "missing cypher file": (["cypher", "--file", "{deep}/missing.cypher"], "cannot read"),
    "refused cypher": (["cypher", "--file", "{deep}/write.cypher"], "CREATE is not allowed here"),
    "missing case file": (["validate", "{deep}/missing.yaml"], "no such file"),
    "missing backup": (["restore", "{deep}/no-backup"], "a dhrkg backup?"),
    "missing output folder": (["genogram", CASE, "-o", "{deep}/no-folder/x.svg"], "(create it first)"),
    "missing DHRD": (["import-dhrd", "{deep}/missing.csv"], "not a folder"),
}


def run(args: list, deep: Path):
    args = [str(a).replace("{deep}", str(deep)) for a in args]
    return runner.invoke(app, args, env={"COLUMNS": "80"}, catch_exceptions=False)


def fits(line: str) -> bool:
    """At most 80 columns, or a single word (a path) that alone is wider."""
    return len(line) <= 80 or len(line.split()) == 1


@pytest.mark.parametrize("name", list(ERRORS))
def test_every_error_fits_80_columns(name, deep):
    args, words = ERRORS[name]
    result = run(args, deep)
    assert result.exit_code != 0, result.output
    assert words in " ".join(result.stderr.split()), result.stderr
    assert all(fits(line) for line in result.stderr.splitlines()), result.stderr
    assert "Traceback" not in result.output


def test_the_sweep_reaches_errors_wider_than_80_columns(deep):
    """The sweep is a test of the layout: most of its errors would not fit unbroken."""
    wide = [name for name, (args, _) in ERRORS.items()
            if any(len(line) > 80 for line in " ".join(run(args, deep).stderr.split()).splitlines())]
    assert len(wide) >= len(ERRORS) // 2, wide


def test_a_long_word_is_never_broken():
    path = "/" + "/".join(DEEP * 2)
    text = wrapped(f"error: data directory {path}: is a file, not a folder")
    assert text.splitlines() == ["error: data directory", f"  {path}:", "  is a file, not a folder"]


def test_a_line_that_fits_is_left_as_it_is():
    assert fitted("error:   two  spaces kept") == "error:   two  spaces kept"


def test_continuation_lines_are_indented_under_their_own_line():
    text = fitted("problems:\n  " + "word " * 30)
    assert [line[:5] for line in text.splitlines()[1:]] == ["  wor", "    w"]
    assert all(len(line) <= 80 for line in text.splitlines())


def test_json_output_is_not_wrapped_and_is_documented_so(deep):
    """``db status --json`` is one JSON line however long its paths; docs/cli.md says --json is
    never wrapped."""
    import json

    result = runner.invoke(app, ["db", "status", "--json"], env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and len(lines[0]) > 80, result.stdout
    assert json.loads(lines[0])["data_dir"] == str(deep / "data")
    rules = " ".join((ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split())
    assert "`--json` output" in rules and "is **not wrapped" in rules
