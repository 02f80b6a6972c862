"""The suite's own hygiene: a test leaves no process state behind for the next one
(tests/conftest.py). The two tests below run in this order (pytest keeps a module's order)."""

from __future__ import annotations

import os

from typer.testing import CliRunner

from dhrkg.cli import app

SESSION_UMASK = os.umask(0o022)
os.umask(SESSION_UMASK)


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_an_in_process_command_makes_the_umask_private():
    r = CliRunner().invoke(app, ["schema"])
    assert r.exit_code == 0, r.output
    assert current_umask() == 0o077  # dhrkg.permissions.private_umask, for the whole process


def test_the_next_test_starts_with_the_session_s_umask():
    assert current_umask() == SESSION_UMASK
