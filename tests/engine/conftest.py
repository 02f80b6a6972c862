"""The engine tests' data directory: a FalkorDB server of the test's own may run there (started
by the test or by the CLI it runs), and is stopped afterwards."""

from __future__ import annotations

import contextlib

import pytest


@pytest.fixture
def data_dir(tmp_path):
    """An empty data directory for a server of this test's own; its server stopped afterwards."""
    from dhrkg.graph.falkordb import server

    d = tmp_path / "db"
    yield d
    with contextlib.suppress(server.ServerError):
        server.stop(d)
