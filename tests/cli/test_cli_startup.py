"""Start-up of `dhrkg COMMAND`: only the named command's module is loaded, with the same command.

`dhrkg extract` (issue 18: 2 s per report, start-up included) must not import the graph,
the server, the drawings or the other command modules it does not run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from dhrkg.cli import app, app_for, command_modules

ROOT = Path(__file__).resolve().parents[2]
MINI_REPORT = ROOT / "tests" / "fixtures" / "extract" / "mini_report.txt"

#: modules (and packages, with their submodules) `dhrkg extract REPORT.txt` has no use for
NOT_FOR_EXTRACT = (
    "dhrkg.graph", "dhrkg.api", "dhrkg.visualisation", "dhrkg.renderers", "dhrkg.formats",
    "dhrkg.config", "dhrkg.doctor", "rdflib", "spacy", "thinc", "numpy", "falkordb", "redis",
    "neo4j", "rich", "fastapi", "starlette", "uvicorn", "splink", "duckdb", "openpyxl",
    "graphviz", "requests", "httpx", "pypdf", "docx",
)
#: the command modules `dhrkg extract` needs: its own and the shared helpers
EXTRACT_CLI = {"dhrkg.cli", "dhrkg.cli.extract", "dhrkg.cli._common", "dhrkg.cli._style"}

_PROBE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules))))
sys.argv = ["dhrkg", *sys.argv[1:]]
from dhrkg.cli import main
main()
"""


def _modules_after(args: list[str], cache: Path) -> set[str]:
    """The modules imported by one `dhrkg ARGS` run in a new process."""
    env = {**os.environ, "DHRKG_CACHE_DIR": str(cache)}
    run = subprocess.run([sys.executable, "-c", _PROBE, *args], env=env, capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return set(json.loads(run.stdout.strip().splitlines()[-1]))


def _unneeded(modules: set[str]) -> list[str]:
    heavy = [m for m in modules if m in NOT_FOR_EXTRACT or m.startswith(tuple(f"{n}." for n in NOT_FOR_EXTRACT))]
    other_commands = [m for m in modules if m.startswith("dhrkg.cli") and m not in EXTRACT_CLI]
    return sorted(heavy + other_commands)


def test_extract_imports_nothing_it_does_not_run(tmp_path):
    out = tmp_path / "draft.yaml"
    args = ["extract", str(MINI_REPORT), "-o", str(out), "--force"]
    _modules_after(args, tmp_path / "cache")          # the first run builds the tokenizer cache (spaCy)
    modules = _modules_after(args, tmp_path / "cache")
    assert out.is_file() and "dhrkg.cli.extract" in modules
    assert _unneeded(modules) == []


def test_the_check_sees_a_module_extract_does_not_need(tmp_path):
    modules = _modules_after(["--version"], tmp_path / "cache")   # the whole command line
    assert {"dhrkg.cli.graph", "dhrkg.renderers"} <= set(_unneeded(modules))


def _commands(root) -> dict:
    return get_command(root).commands


def _shape(command) -> list:
    """What a user sees of a command: its help and its parameters (names, help, defaults)."""
    params = [(p.name, tuple(p.opts), getattr(p, "help", None), repr(p.default), p.required) for p in command.params]
    sub = getattr(command, "commands", None) or {}
    return [command.help, command.hidden, params, {name: _shape(c) for name, c in sub.items()}]


def test_a_command_named_as_its_module_loads_that_module_alone():
    alone = _commands(app_for(["extract", "report.txt"]))
    assert sorted(alone) == ["extract", "score-extract"]   # extract.py's two commands


@pytest.mark.parametrize("name", sorted(_commands(app)))
def test_every_command_is_the_same_alone_or_with_all(name):
    whole = _commands(app)
    alone = _commands(app_for([name, "--help"]))
    assert _shape(alone[name]) == _shape(whole[name])
    module = name.replace("-", "_")
    if module not in command_modules():      # held by a module of another name: the whole command line
        assert sorted(alone) == sorted(whole)


@pytest.mark.parametrize("args", [[], ["--help"], ["-h", "extract"], ["--version"], ["extrct"], ["graph"]],
                         ids=["none", "help", "help-first", "version", "typo", "module-not-command"])
def test_help_options_first_and_unknown_names_build_the_whole_command_line(args):
    assert sorted(_commands(app_for(args))) == sorted(_commands(app))
