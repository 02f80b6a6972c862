"""The README's "Loading a national dataset" section names real commands, options and
parameters: each option of a `dhrkg bulk-load` line is one the command takes, and each query
it says takes `--param review=ID` takes it."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.graph import canned

README = Path(__file__).resolve().parents[2] / "README.md"


def section() -> str:
    return README.read_text(encoding="utf-8").split("### Loading a national dataset", 1)[1].split("\n## ", 1)[0]


def test_every_bulk_load_option_in_the_section_exists():
    lines = [line for line in section().splitlines() if line.startswith("dhrkg bulk-load ")]
    assert len(lines) >= 4, "online and offline, on both engines"
    helptext = CliRunner().invoke(app, ["bulk-load", "--help"], env={"COLUMNS": "200"}).output
    options = {o for line in lines for o in re.findall(r"(--[a-z-]+)", line.split("#", 1)[0])}
    assert {"--offline", "--backend"} <= options
    assert not {o for o in options if o not in helptext}, helptext


def test_the_queries_narrowed_to_one_review_take_a_review():
    text = " ".join(section().split())
    said = re.search(r"narrow (.*?) to one review with `--param review=ID`", text)
    assert said, "the section says which national scans take --param review=ID"
    named = re.findall(r"`([a-z-]+)`", said.group(1))
    lib = canned.load_library(include_user=False)
    assert named and all(any(p.name == "review" for p in lib.get(n).parameters) for n in named), named
