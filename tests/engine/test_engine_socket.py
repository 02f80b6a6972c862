"""13.1: the FalkorDB socket never goes into a directory another local user can write to."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest

from dhrkg.graph.falkordb import server


@pytest.fixture
def long_data_dir(tmp_path, monkeypatch):
    """A data directory whose socket path is too long, and a private TMPDIR for the fallback."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", None)
    data_dir = tmp_path / ("d" * 120)
    yield data_dir, tmp / f"dhrkg-{os.getuid()}"
    with contextlib.suppress(server.ServerError):
        server.stop(data_dir)


def test_a_world_writable_socket_directory_is_refused(long_data_dir):
    data_dir, fallback = long_data_dir
    fallback.mkdir(mode=0o777)
    os.chmod(fallback, 0o777)  # pre-created by an attacker, world-writable
    with pytest.raises(server.ServerError, match="other users may use it"):
        server.ensure_running(data_dir)
    assert not any(fallback.iterdir())


@pytest.mark.skipif(os.getuid() != 0, reason="making a directory of another user needs root")
def test_a_socket_directory_of_another_user_is_refused(long_data_dir):
    data_dir, fallback = long_data_dir
    fallback.mkdir(mode=0o700)
    os.chown(fallback, 65534, 65534)
    with pytest.raises(server.ServerError, match="belongs to another user"):
        server.ensure_running(data_dir)


def test_a_link_in_place_of_the_socket_directory_is_refused(long_data_dir, tmp_path):
    data_dir, fallback = long_data_dir
    elsewhere = tmp_path / "attacker"
    elsewhere.mkdir(mode=0o700)
    fallback.symlink_to(elsewhere)
    with pytest.raises(server.ServerError, match="not a directory"):
        server.ensure_running(data_dir)


def test_a_fresh_socket_directory_is_made_private_and_used(long_data_dir):
    data_dir, fallback = long_data_dir
    st = server.ensure_running(data_dir)
    assert st.running and st.socket.parent == fallback
    assert server.private_dir_problem(fallback) == ""
    assert fallback.stat().st_mode & 0o777 == 0o700


def test_xdg_runtime_dir_is_preferred(long_data_dir, tmp_path, monkeypatch):
    data_dir, _ = long_data_dir
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    st = server.ensure_running(data_dir)
    assert st.socket.parent == runtime / "dhrkg"


def test_the_cli_says_why_in_one_error_line(long_data_dir):
    from typer.testing import CliRunner

    from dhrkg.cli import app

    data_dir, fallback = long_data_dir
    fallback.mkdir(mode=0o777)
    os.chmod(fallback, 0o777)
    res = CliRunner().invoke(app, ["db", "status", "--data-dir", str(data_dir)])
    assert res.exit_code == 1, res.output
    assert "other users may use it" in res.output and "Traceback" not in res.output
