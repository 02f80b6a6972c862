"""dhrkg backup / restore on both engines: a round trip gives back exactly the graph."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from dhrkg.graph import StoreError
from dhrkg.graph.backup import backup, restore
from dhrkg.model import load_case

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))


def fingerprint(store) -> str:
    """Every node and relationship with labels, type and properties."""
    nodes = store.query("MATCH (n) RETURN labels(n) AS l, properties(n) AS p").rows
    rels = store.query("MATCH (a)-[e]->(b) RETURN a.key AS a, type(e) AS t, b.key AS b, properties(e) AS p").rows
    text = json.dumps(sorted(json.dumps(r, sort_keys=True) for r in nodes + rels))
    return hashlib.sha256(text.encode()).hexdigest()


def test_backup_and_restore_round_trip(store, tmp_path):
    for path in GOLD:
        store.load_case(load_case(path))
    before, stats = fingerprint(store), store.stats()
    target = tmp_path / "bk"
    manifest = backup(store, target)
    assert manifest.stats == stats
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o700
    assert all(stat.S_IMODE(os.stat(p).st_mode) == 0o600 for p in target.iterdir())
    store.delete_review(sorted(stats["reviews"])[0])
    store.load_case(load_case(GOLD[0]).model_copy(update={}))  # and something changed again
    store._write("CREATE (:Review {id: 'stray', key: 'stray', review: 'stray'})")
    assert fingerprint(store) != before
    restore(store, target)
    assert fingerprint(store) == before
    assert store.stats() == stats


def test_a_damaged_backup_changes_nothing(store, tmp_path):
    store.load_case(load_case(GOLD[0]))
    target = tmp_path / "bk"
    manifest = backup(store, target)
    before = fingerprint(store)
    data = target / "graph.jsonl"
    data.write_bytes(data.read_bytes()[:-10])
    with pytest.raises(StoreError, match="damaged"):
        restore(store, target)
    assert fingerprint(store) == before


def test_backup_refuses_a_directory_with_files(store, tmp_path):
    (tmp_path / "x").write_text("x")
    with pytest.raises(StoreError, match="not empty"):
        backup(store, tmp_path)


def test_the_cli_round_trip(tmp_path):
    from typer.testing import CliRunner

    from dhrkg.cli import app
    from dhrkg.graph.falkordb import server

    data_dir, target = tmp_path / "db", tmp_path / "bk"
    runner = CliRunner()
    try:
        assert runner.invoke(app, ["load", str(GOLD[0]), "--data-dir", str(data_dir), "-q"]).exit_code == 0
        res = runner.invoke(app, ["backup", str(target), "--data-dir", str(data_dir)])
        assert res.exit_code == 0 and "backed up" in res.output, res.output
        review = load_case(GOLD[0]).review.id
        assert runner.invoke(app, ["delete", review, "--data-dir", str(data_dir)]).exit_code == 0
        res = runner.invoke(app, ["restore", str(target), "--data-dir", str(data_dir), "--yes"])
        assert res.exit_code == 0 and "restored 1 reviews" in res.output, res.output
        res = runner.invoke(app, ["restore", str(tmp_path / "nothing"), "--data-dir", str(data_dir), "--yes"])
        assert res.exit_code == 1 and "a dhrkg backup?" in " ".join(res.output.split())  # in 80 columns
    finally:
        server.stop(data_dir)
