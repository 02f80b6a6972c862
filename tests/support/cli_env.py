"""The environment that points the dhrkg CLI at a test's store, on either engine."""

from __future__ import annotations


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
