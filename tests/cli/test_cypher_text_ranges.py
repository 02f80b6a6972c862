"""`dhrkg cypher` answers a range comparison on an indexed text (a key, a review id, an event's
type or risk level) with the rows a scan finds, on both engines (FalkorDB 4.16 answers some from
its index with every node: dhrkg.graph.falkordb.text_ranges)."""

from __future__ import annotations

import json
import operator

import pytest
from support.cli_env import point_cli_at
from support.queries import SYNTHETIC
from typer.testing import CliRunner

from dhrkg.cli import app

R = "syn-partners"
OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@pytest.fixture
def loaded(store, monkeypatch, tmp_path):
    from dhrkg.model import load_case

    for f in SYNTHETIC:
        store.load_case(load_case(f))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    point_cli_at(store, monkeypatch)
    return store


def cypher(query: str) -> list:
    res = CliRunner().invoke(app, ["cypher", query, "-f", "json"], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    return [row["v"] for row in json.loads(res.stdout)]


@pytest.mark.parametrize("label,prop,bound", [
    ("Person", "key", f"{R}/V"), ("Event", "key", f"{R}/e5"), ("Event", "review", R),
    ("Event", "type", "incident"), ("Event", "risk_level", "medium"),
])
@pytest.mark.parametrize("op", list(OPS))
def test_cypher_range_on_an_indexed_text_finds_what_a_scan_finds(loaded, label, prop, bound, op):
    every = cypher(f"MATCH (n:{label}) WHERE n.{prop} IS NOT NULL RETURN n.{prop} AS v")
    expected = sorted(v for v in every if OPS[op](v, bound))
    got = cypher(f"MATCH (n:{label}) WHERE n.{prop} {op} '{bound}' RETURN n.{prop} AS v ORDER BY v")
    assert got == expected
    assert every
