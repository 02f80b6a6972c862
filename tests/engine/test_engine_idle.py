"""12.10: a server nothing uses stops by itself after DHRKG_IDLE_TIMEOUT seconds; one in use stays."""

from __future__ import annotations

import time

import pytest

from dhrkg.graph.falkordb import FalkorDBStore, server

pytestmark = pytest.mark.processes  # processes, signals, engines killed: on one Python in CI (.ci/run)


def wait_until_stopped(data_dir, seconds: float) -> bool:
    """Watch the process only: asking the server would be using it."""
    pid = server._read_pid(data_dir / "falkordb.pid")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pid is None or not server._is_redis_process(pid):
            return True
        time.sleep(0.2)
    return False


def test_an_unused_server_stops_by_itself(data_dir, monkeypatch):
    monkeypatch.setenv("DHRKG_IDLE_TIMEOUT", "2")
    server.ensure_running(data_dir)
    assert wait_until_stopped(data_dir, 30)
    assert not (data_dir / "falkordb.pid").exists()  # a clean stop


def test_a_server_in_use_keeps_running(data_dir, monkeypatch):
    monkeypatch.setenv("DHRKG_IDLE_TIMEOUT", "2")
    server.ensure_running(data_dir)
    store = FalkorDBStore(data_dir)  # a connected client
    try:
        assert not wait_until_stopped(data_dir, 5)
    finally:
        store.close()
    assert wait_until_stopped(data_dir, 30)


def test_zero_means_never(data_dir, monkeypatch):
    monkeypatch.setenv("DHRKG_IDLE_TIMEOUT", "0")
    server.ensure_running(data_dir)
    assert not wait_until_stopped(data_dir, 4)
