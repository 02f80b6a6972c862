"""13.5: after `dhrkg delete R` no byte of R's personal data is left in FalkorDB's data directory
(query telemetry off, slow logs cleared, the append-only file rewritten)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.graph.falkordb import FalkorDBStore, server

SECRETS = {"name": "Quimby Zanzibarova", "born": "1961-07-23", "notes": "Lives by the xylophone works"}
KEPT = "Ottoline Kept-Person"


def case_yaml(review: str, name: str, born: str, notes: str) -> str:
    return (f"format: dhr-case/1\nreview:\n  id: {review}\npersons:\n"
            f"  - id: p1\n    name: {name}\n    born: '{born}'\n    notes: {notes}\n    roles: [victim]\n")


def files_holding(data_dir: Path, needle: str) -> list[str]:
    found = []
    for path in data_dir.rglob("*"):
        if path.is_file() and not path.is_socket() and needle.encode() in path.read_bytes():
            found.append(path.name)
    return found


def test_delete_leaves_no_byte_of_the_review_in_the_data_directory(data_dir, tmp_path):
    gone, kept = tmp_path / "gone.yaml", tmp_path / "kept.yaml"
    gone.write_text(case_yaml("gone", SECRETS["name"], SECRETS["born"], SECRETS["notes"]))
    kept.write_text(case_yaml("kept", KEPT, "1970-01-02", "a kept note"))
    runner = CliRunner()
    for f in (gone, kept):
        res = runner.invoke(app, ["load", str(f), "--data-dir", str(data_dir), "-q"])
        assert res.exit_code == 0, res.output
    assert files_holding(data_dir, SECRETS["name"])  # the grep does find data on disk
    # a few read queries too, as a user would run (with the name as a parameter)
    res = runner.invoke(app, ["query", "MATCH (p:Person) WHERE p.name = $n RETURN p.born",
                              "--param", f"n={SECRETS['name']}", "--data-dir", str(data_dir)])
    res = runner.invoke(app, ["delete", "gone", "--data-dir", str(data_dir)])
    assert res.exit_code == 0, res.output
    for what, value in SECRETS.items():
        assert files_holding(data_dir, value) == [], what
    assert files_holding(data_dir, KEPT)  # the other review is still on disk
    # and after a restart the graph holds the kept review only
    server.stop(data_dir)
    store = FalkorDBStore(data_dir)
    try:
        assert store.reviews() == ["kept"]
        keys = [k.decode() if isinstance(k, bytes) else k for k in store._redis.keys("*")]
        assert not [k for k in keys if k.startswith("telemetry")]
        assert store._redis.execute_command("GRAPH.SLOWLOG", store.graph_name) == []
    finally:
        store.close()


def test_no_query_telemetry_is_kept(store_falkordb):
    store_falkordb.query("MATCH (n) WHERE n.name = $x RETURN n", {"x": SECRETS["name"]})
    keys = [k.decode() if isinstance(k, bytes) else k for k in store_falkordb._redis.keys("telemetry*")]
    assert keys == []
    assert store_falkordb._redis.execute_command("GRAPH.CONFIG", "GET", "CMD_INFO")[1] == 0
