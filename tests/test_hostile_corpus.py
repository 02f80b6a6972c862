"""The hostile-input corpus (tests/support/hostile.py): every case gives exactly its expected
exit status and message, never a traceback, within a capped address space (RLIMIT_AS, 3 GB for
the whole run) so that a case growing without bound fails here instead of swapping."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.hostile import CASES

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("hostile")
    env = {**os.environ, "PYTHONPATH": str(TESTS), "COLUMNS": "80"}
    proc = subprocess.run([sys.executable, "-m", "support.hostile_runner", str(folder)], cwd=TESTS, env=env,
                          capture_output=True, text=True, timeout=900)
    found = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            found[row["name"]] = row
    assert found, f"the corpus runner printed nothing (exit {proc.returncode}): {proc.stderr[-2000:]}"
    return found


def test_the_corpus_has_at_least_50_cases_with_distinct_names():
    assert len(CASES) >= 50
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case, outcomes):
    got = outcomes.get(case.name)
    assert got is not None, f"{case.name} did not finish (the runner stopped before it)"
    assert got["exception"] is None, got
    assert got["exit_code"] == case.exit_code, got
    assert case.expect in got["output"], got
    for word in case.absent:
        assert word not in got["output"], got
