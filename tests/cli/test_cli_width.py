"""What a person at 80 columns gets from the installed `dhrkg` command, run as a real process:
every command's help within 80 columns with lines broken only at spaces (never inside a file
name, an option or a review id), and the tables of `dhrkg queries` and `dhrkg run` written to a
pipe laid out for COLUMNS, or 80 columns when it is not set."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import typer.main

from support.help_words import all_commands, joined_words, split_words

from dhrkg.cli import app

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "examples" / "001_24bc3f827734f2c4.yaml"  # north-worcs-dhr-7
#: the installed entry point, beside the interpreter the tests run in
DHRKG = Path(sys.executable).with_name("dhrkg")


def run_dhrkg(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """``dhrkg ARGS`` in a process of its own, its output to pipes (not a terminal)."""
    return subprocess.run([str(DHRKG), *args], env=env, capture_output=True, text=True, timeout=300)


def environment(columns: str | None, **more: str) -> dict[str, str]:
    """This environment with COLUMNS set to ``columns`` (or unset) and ``more``."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NEO4J_URI", "DHRKG_QUERIES_DIR")}
    return {**env, **({"COLUMNS": columns} if columns else {}), **more}


def widest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


# --------------------------------------------------------------------------- help


COMMANDS = dict(all_commands(typer.main.get_command(app)))


@pytest.fixture(scope="module")
def helps() -> dict[tuple[str, ...], subprocess.CompletedProcess]:
    """Every command's ``--help`` at COLUMNS=80, a few processes at a time."""
    assert DHRKG.exists(), f"{DHRKG}: the dhrkg entry point is not installed (scripts/setup.sh)"
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = pool.map(lambda path: run_dhrkg([*path, "--help"], environment("80")), COMMANDS)
        return dict(zip(COMMANDS, runs))


def test_the_sweep_covers_every_command_and_words_with_hyphens_dots_and_slashes():
    assert len(COMMANDS) > 30 and ("db", "status") in COMMANDS and ("bulk-load",) in COMMANDS
    assert {".dhrkg-bulk-load.json", "--batch-size", "neo4j-admin"} <= joined_words(COMMANDS[("bulk-load",)])


def test_split_words_finds_a_word_broken_at_a_hyphen_or_inside():
    words = {".dhrkg-bulk-load.json", "north-worcs-dhr-7/Victim"}
    assert split_words("default: .dhrkg-\nbulk-load.json in DIR", words) == [".dhrkg-bulk-load.json"]
    assert split_words("a person north-worcs-dhr-7/Vic\ntim", words) == ["north-worcs-dhr-7/Victim"]
    assert split_words("default:\n.dhrkg-bulk-load.json in DIR", words) == []


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "dhrkg")
def test_help_at_80_columns_breaks_lines_only_at_spaces(helps, path):
    result = helps[path]
    assert result.returncode == 0, result.stderr
    wide = [line for line in result.stdout.splitlines() if len(line) > 80]
    assert wide == [], "lines wider than 80 columns"
    assert split_words(result.stdout, joined_words(COMMANDS[path])) == [], result.stdout


# --------------------------------------------------------------------------- piped tables


def test_queries_to_a_pipe_fits_columns_or_80(tmp_path):
    config = str(tmp_path / "config")  # no personal query folders
    for columns, width in (("80", 80), (None, 80), ("120", 120)):
        result = run_dhrkg(["queries"], environment(columns, XDG_CONFIG_HOME=config))
        assert result.returncode == 0, result.stderr
        assert widest(result.stdout) <= width, (columns, widest(result.stdout))
        assert all(f"  {name}" in result.stdout for name in ("prior-partners", "risk-not-shared", "family"))
        assert not any(line.endswith(" ") for line in result.stdout.splitlines()), "padded"
    assert widest(result.stdout) > 80, "COLUMNS=120 is used"


@pytest.fixture
def gold_graph(store_falkordb) -> dict[str, str]:
    """The environment of a process that reads a graph holding north-worcs-dhr-7."""
    from support.cli_env import cli_env

    from dhrkg.model import load_case

    store_falkordb.load_case(load_case(GOLD))
    return {k: v for k, v in cli_env(store_falkordb).items() if v is not None}


FAMILY = ["run", "family", "north-worcs-dhr-7/Victim"]
#: the people the victim's family holds, each a row
RELATIVES = ("Perpetrator", "S3", "UBC", "F1", "F2", "M", "P1", "S4", "S5")


def test_a_query_result_to_a_pipe_fits_columns_or_80(gold_graph):
    """The family result is a table 128 columns wide: in 80 columns it is one block per row,
    each value whole; with COLUMNS=200 the table fits and is written as a table."""
    for columns in ("80", None):
        result = run_dhrkg(FAMILY, environment(columns, **gold_graph))
        assert result.returncode == 0, result.stderr
        assert widest(result.stdout) <= 80, result.stdout
        assert "-- row 11 --" in result.stdout
        for name in RELATIVES:
            assert f"person   : north-worcs-dhr-7/{name}\n" in result.stdout
    wide = run_dhrkg(FAMILY, environment("200", **gold_graph))
    header = next(line for line in wide.stdout.splitlines() if "relation" in line)
    assert header.split() == ["relation", "person", "name", "detail", "source"]
    assert 80 < widest(wide.stdout) <= 200 and "-- row" not in wide.stdout


def test_the_help_of_a_table_points_to_the_machine_formats():
    for path in (("run",), ("cypher",)):
        help_text = " ".join(run_dhrkg([*path, "--help"], environment("80")).stdout.split())
        assert "csv or json (for programs" in help_text, help_text
    help_text = " ".join(run_dhrkg(["queries", "--help"], environment("80")).stdout.split())
    assert "--json" in help_text and "for programs" in help_text, help_text


def test_stats_to_a_pipe_fits_80_without_padding(gold_graph):
    result = run_dhrkg(["stats"], environment(None, **gold_graph))
    assert result.returncode == 0, result.stderr
    assert "north-worcs-dhr-7" in result.stdout and widest(result.stdout) <= 80
    assert not any(line.endswith(" ") for line in result.stdout.splitlines()), "padded"


def test_a_long_value_in_one_block_per_row_goes_on_under_itself_on_a_terminal(monkeypatch):
    """On a terminal, an evidence list or a summary longer than the line is broken between
    words, each part two columns deeper than the value's start, so the block fits the
    terminal; every word is kept whole. In a file or a pipe each line of a value stays whole
    (grep finds an evidence item with its paragraphs: tests/graph/test_query_output.py)."""
    import io
    import re

    from dhrkg.renderers import render

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    summary = " ".join(f"contact{i:03d} with the GP about low mood" for i in range(12))
    key = "x" * 90  # one word longer than the line: kept whole
    monkeypatch.setenv("COLUMNS", "80")
    for out, wrapped in ((Terminal(), True), (io.StringIO(), False)):
        render(["person", "summary", "key"], [["north-worcs-dhr-7/Victim", summary, key]], "records", out)
        text = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())  # the terminal's bold and dim
        lines = text.splitlines()
        assert f"key     : {key}" in text
        summary_lines = lines[2:lines.index(f"key     : {key}")]
        assert summary_lines[0].startswith("summary : contact000")
        if not wrapped:
            assert summary_lines == [f"summary : {summary}"]
            continue
        assert all(len(line) <= 80 for line in lines if key not in line), text
        assert len(summary_lines) > 2
        assert all(line.startswith(" " * 12) and line[12] != " " for line in summary_lines[1:]), text
        assert " ".join(line.strip() for line in summary_lines)[len("summary : "):] == summary
