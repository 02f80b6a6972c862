"""What a person at 80 columns gets from the installed `dhrkg` command, run as a real process:
every command's help within 80 columns with lines broken only at spaces (never inside a file
name, an option or a review id)."""

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
