"""The command line as a whole: --version, --help on every command, summary, the package layout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

import dhrkg
from dhrkg.cli import app
from dhrkg.model import load_case
from dhrkg.model.summary import summarise

ROOT = Path(__file__).resolve().parents[2]
GOLD_001 = ROOT / "examples" / "001_24bc3f827734f2c4.yaml"
runner = CliRunner()


def all_command_paths():
    root = get_command(app)
    paths = []

    def walk(cmd, prefix):
        sub = getattr(cmd, "commands", None)
        if sub:
            for name, child in sub.items():
                paths.append(prefix + [name])
                walk(child, prefix + [name])

    walk(root, [])
    return paths


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"dhrkg {dhrkg.__version__}"


def test_every_command_has_help():
    paths = all_command_paths()
    assert ["validate"] in paths and ["summary"] in paths and ["schema"] in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output
        # every command describes itself
        cmd = get_command(app)
        for part in path:
            cmd = cmd.commands[part]
        assert (cmd.help or "").strip(), f"dhrkg {' '.join(path)} has no help text"


def test_console_script_is_installed():
    exe = Path(sys.executable).parent / "dhrkg"
    proc = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "validate" in proc.stdout


def test_summary_text_shows_review_people_agencies_span_and_counts():
    case = load_case(GOLD_001)
    result = runner.invoke(app, ["summary", str(GOLD_001)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert case.review.id in out and case.review.police_force_area in out
    for p in case.persons:
        assert p.id in out
    victim = next(p for p in case.persons if "victim" in p.roles)
    assert f"age {victim.age}" in out
    for kind in {a.type for a in case.agencies}:
        assert kind in out
    # agencies by name, as the queries show them: "West Midlands Police", not "WMP"
    agencies = out[out.index("Agencies"):out.index("Chronology")]
    assert "West Midlands Police" in agencies and "WMP" not in agencies.replace("West Midlands Police", "")
    assert all(len(line) <= 80 for line in agencies.splitlines())
    first = min(e.date.earliest for e in case.events).isoformat()[:4]
    assert f"Chronology: {first}" in out
    assert f"events {len(case.events)}" in out and f"persons {len(case.persons)}" in out


def test_summary_json_counts_match_the_file():
    case = load_case(GOLD_001)
    result = runner.invoke(app, ["summary", "--json", str(GOLD_001)])
    data = json.loads(result.stdout)
    assert data["counts"] == {
        "persons": len(case.persons), "relationships": len(case.relationships),
        "households": len(case.households), "agencies": len(case.agencies),
        "events": len(case.events), "recommendations": len(case.recommendations),
    }
    assert sum(len(v) for v in data["agencies_by_type"].values()) == len(case.agencies)
    s = summarise(case)
    assert data["chronology"] == [str(d) for d in s.chronology_span]


def test_summary_of_broken_file_exits_1():
    result = runner.invoke(app, ["summary", str(ROOT / "tests/fixtures/casefiles/broken/bad-sex.yaml")])
    assert result.exit_code == 1


@pytest.mark.parametrize("name", ["graph", "api", "ontology", "ingest", "visualisation"])
def test_subpackages_import_only_under_dhrkg(name, tmp_path):
    __import__(f"dhrkg.{name}")
    for cwd in (ROOT, tmp_path):  # from the checkout and from elsewhere
        proc = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, cwd=cwd)
        assert proc.returncode != 0, f"'import {name}' worked from {cwd}"
