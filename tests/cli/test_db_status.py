"""`dhrkg db status|start|stop` on each engine: every line fits 80 columns. Under Neo4j, whose
server is the user's, the commands say so in two short lines (exit 2)."""

from __future__ import annotations

import pytest
from support.cli_env import cli_env, dhrkg


def lines_of(result) -> list[str]:
    return result.output.splitlines()


def test_db_status_fits_80_columns_on_each_engine(store, env, monkeypatch):
    if store.backend == "falkordb":
        monkeypatch.chdir(store.data_dir.parent)  # the data directory shown from where the user is
    result = dhrkg(["db", "status"], {**env, "COLUMNS": "80"})
    lines = lines_of(result)
    assert lines and all(len(line) <= 80 for line in lines), result.output
    if store.backend == "falkordb":
        assert result.exit_code == 0 and lines[0].startswith("running: pid "), result.output
        assert lines[1] == f"data directory: {store.data_dir.name}", result.output
    else:
        assert result.exit_code == 2, result.output
        assert "embedded FalkorDB server" in lines[0] and "NEO4J_URI" in result.output, result.output


@pytest.mark.neo4j
def test_db_start_and_stop_under_neo4j_fit_80_columns(store_neo4j):
    for command in ("start", "stop"):  # the embedded server's: tests/cli/test_graph_cli.py
        result = dhrkg(["db", command], {**cli_env(store_neo4j), "COLUMNS": "80"})
        assert result.exit_code == 2 and len(lines_of(result)) == 2, result.output
        assert all(len(line) <= 80 for line in lines_of(result)), result.output
