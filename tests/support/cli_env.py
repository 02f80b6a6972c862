"""The environment that points the dhrkg CLI at a test's store, on either engine, and running
the CLI in it."""

from __future__ import annotations

from typer.testing import CliRunner

runner = CliRunner()


def cli_env(store) -> dict:
    """Variables for the CLI (None: unset) that make it open ``store``."""
    if store.backend == "falkordb":
        return {"DHRKG_BACKEND": "falkordb", "DHRKG_DATA_DIR": str(store.data_dir), "DHRKG_GRAPH": store.graph_name,
                "NEO4J_URI": None}
    s = store.settings
    return {"DHRKG_BACKEND": "neo4j", "NEO4J_URI": s.uri, "NEO4J_USER": s.user, "NEO4J_PASSWORD": s.password,
            "NEO4J_DATABASE": s.database}


def point_cli_at(store, monkeypatch) -> None:
    """Set (or unset) the variables of :func:`cli_env` for the rest of the test."""
    for name, value in cli_env(store).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


def dhrkg(args, env: dict):
    """Run the CLI in-process with ``args`` (paths and numbers as strings) in the environment ``env``."""
    from dhrkg.cli import app

    return runner.invoke(app, [str(a) for a in args], env=env)
