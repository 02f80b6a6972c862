"""The graph commands through the real CLI: load, delete, stats, query, db start|stop|status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from dhrkg.graph.falkordb import server
from dhrkg.model import load_case

from support.cli_env import dhrkg

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))


def test_load_stats_query_delete(store, env):
    cases = [load_case(p) for p in GOLD]
    r = dhrkg(["load", *GOLD], env)
    assert r.exit_code == 0, r.output
    for c in cases:
        assert f"loaded {c.review.id}" in r.stdout
    assert sorted(store.reviews()) == sorted(c.review.id for c in cases)

    # loading again replaces, and changes nothing
    before = store.stats()
    r = dhrkg(["load", GOLD[0]], env)
    assert r.exit_code == 0 and f"replaced {cases[0].review.id}" in r.stdout
    assert store.stats() == before

    r = dhrkg(["stats", "--json"], env)
    assert r.exit_code == 0
    assert json.loads(r.stdout)["nodes"] == before["nodes"]
    r = dhrkg(["stats", "--review", cases[1].review.id], env)
    assert r.exit_code == 0 and "Person" in r.stdout and str(len(cases[1].persons)) in r.stdout
    r = dhrkg(["stats", "--review", "no-such-review"], env)
    assert r.exit_code == 1 and "no review" in r.stderr

    rid = cases[1].review.id
    q = "MATCH (p:Person {review: $r}) WHERE p.born_from >= $after RETURN p.id AS id ORDER BY id"
    want = sorted(p.id for p in cases[1].persons if p.born and p.born.earliest.isoformat() >= "2000-01-01")
    r = dhrkg(["query", q, "--param", f"r={rid}", "--param", "after=2000-01-01", "--format", "json"], env)
    assert r.exit_code == 0, r.output
    assert [row["id"] for row in json.loads(r.stdout)] == want
    r = dhrkg(["query", q, "-p", f"r={rid}", "-p", "after=2000-01-01", "-f", "csv"], env)
    assert r.stdout.splitlines() == ["id", *want]
    # JSON parameter values are typed
    r = dhrkg(["query", "RETURN $n + 1 AS n, $l AS l", "-p", "n=41", "-p", 'l=["a", 2]', "-f", "json"], env)
    assert json.loads(r.stdout) == [{"n": 42, "l": ["a", 2]}]

    r = dhrkg(["query", "MATCH (n) DETACH DELETE n"], env)
    assert r.exit_code == 1 and "DETACH" in r.stderr and "read-only" in r.stderr
    assert len(store.reviews()) == 3

    r = dhrkg(["delete", rid], env)
    assert r.exit_code == 0 and f"deleted {rid}" in r.stdout
    assert rid not in store.reviews()
    r = dhrkg(["delete", rid], env)
    assert r.exit_code == 1 and "no review" in r.stderr


def test_invalid_input_writes_nothing_and_names_every_problem(store, env, tmp_path):
    data = yaml.safe_load(GOLD[1].read_text())
    data["events"][0]["agency"] = "no-such-agency"
    data["persons"][0]["born"] = "2011-13"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, sort_keys=False))
    r = dhrkg(["load", GOLD[0], bad], env)
    assert r.exit_code == 1
    assert r.stderr.count(str(bad)) >= 2  # both problems, each naming the file
    assert "no-such-agency" in r.stderr and "2011-13" in r.stderr
    assert "nothing loaded" in r.stderr
    assert store.reviews() == []
    r = dhrkg(["load", tmp_path / "missing.yaml"], env)
    assert r.exit_code == 2 and store.reviews() == []
    # the same review twice in one command is refused too
    r = dhrkg(["load", GOLD[0], GOLD[0]], env)
    assert r.exit_code == 1 and store.reviews() == []


def test_db_start_status_stop(tmp_path):
    data_dir = tmp_path / "data"
    env = {"DHRKG_DATA_DIR": str(data_dir), "DHRKG_BACKEND": "falkordb", "NEO4J_URI": None}
    r = dhrkg(["db", "status"], env)
    assert r.exit_code == 3 and "not running" in r.stdout
    try:
        r = dhrkg(["db", "start"], env)
        assert r.exit_code == 0 and "started" in r.stdout
        pid = server.status(data_dir).pid
        r = dhrkg(["db", "start"], env)
        assert "already running" in r.stdout and server.status(data_dir).pid == pid
        r = dhrkg(["db", "status", "--json"], env)
        st = json.loads(r.stdout)
        assert r.exit_code == 0 and st["running"] and st["pid"] == pid
        assert (data_dir.stat().st_mode & 0o777) == 0o700
        # a load from another process finds and reuses the running server
        out = subprocess.run([sys.executable, "-m", "dhrkg", "load", "-q", str(GOLD[2])], env={
            **{k: v for k, v in __import__("os").environ.items() if not k.startswith("NEO4J")},
            "DHRKG_DATA_DIR": str(data_dir), "DHRKG_BACKEND": "falkordb"}, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert server.status(data_dir).pid == pid
    finally:
        r = dhrkg(["db", "stop"], env)
    assert r.exit_code == 0 and f"stopped (pid {pid})" in r.stdout
    assert dhrkg(["db", "status"], env).exit_code == 3
    assert dhrkg(["db", "stop"], env).stdout.strip() == "not running"
    # the data survived the stop: a new server has it
    r = dhrkg(["stats", "--json"], env)
    try:
        assert list(json.loads(r.stdout)["reviews"]) == [load_case(GOLD[2]).review.id]
    finally:
        server.stop(data_dir)


def test_db_commands_refuse_neo4j():
    r = dhrkg(["db", "start", "--backend", "neo4j"], {"NEO4J_URI": None})
    assert r.exit_code == 2 and "Neo4j" in r.stderr


def test_every_graph_command_has_help():
    for cmd in (["load"], ["delete"], ["stats"], ["query"], ["db"], ["db", "start"], ["db", "stop"], ["db", "status"]):
        r = dhrkg([*cmd, "--help"], {})
        assert r.exit_code == 0 and "Usage" in r.stdout, cmd
