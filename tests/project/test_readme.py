"""The README's quoted outputs are what its commands print.

Every ```console block of README.md is a session: lines starting with `$ ` are commands,
run with bash in a folder that links to the checkout's files (the installed `dhrkg` first on PATH, 80 columns, a
throw-away data directory); the lines after a command are what it must print (standard
output and error together), exactly.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```console\n(.*?)^```", re.M | re.S)


def sessions(text: str) -> list[tuple[str, str]]:
    """(command, expected output) for every `$ ` line of every console block."""
    found = []
    for block in BLOCK.findall(text):
        command, expected = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, "\n".join(expected)))
                command, expected = line[2:], []
            elif command is not None:
                expected.append(line)
        if command is not None:
            found.append((command, "\n".join(expected)))
    return found


def test_the_readme_has_console_examples():
    assert len(sessions(README.read_text(encoding="utf-8"))) >= 1


def test_sessions_parse_commands_and_their_output():
    text = "x\n```console\n$ echo a\na\n$ true\n```\n```sh\n$ not run\n```\n"
    assert sessions(text) == [("echo a", "a"), ("true", "")]


@pytest.mark.parametrize("command,expected", sessions(README.read_text(encoding="utf-8")), ids=lambda v: v[:40])
def test_readme_command_prints_what_is_quoted(command, expected, tmp_path):
    env = dict(os.environ, COLUMNS="80", DHRKG_DATA_DIR=str(tmp_path / "data"), NO_COLOR="1")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    checkout = tmp_path / "checkout"  # the checkout's files, read through links; what a command writes stays here
    checkout.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in (".git", ".venv"):
            (checkout / entry.name).symlink_to(entry)
    proc = subprocess.run(["bash", "-c", command], cwd=checkout, env=env, capture_output=True, text=True, timeout=300)
    printed = (proc.stdout + proc.stderr).rstrip("\n")
    assert printed == expected.rstrip("\n")
