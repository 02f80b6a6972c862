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

TESTS = Path(__file__).resolve().parents[1]


RUN_TIMEOUT = 300  # seconds for one runner process (the whole corpus takes under a minute)


def _run(folder: Path, names: list[str]) -> tuple[dict[str, dict], str]:
    """Outcomes printed by one runner process, and why it stopped early (or "")."""
    env = {**os.environ, "PYTHONPATH": str(TESTS), "COLUMNS": "80"}
    cmd = [sys.executable, "-m", "support.hostile_runner", str(folder), *names]
    try:
        proc = subprocess.run(cmd, cwd=TESTS, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
        stdout, why = proc.stdout, f"the runner died (exit {proc.returncode}): {proc.stderr[-500:]}"
    except subprocess.TimeoutExpired as exc:
        stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        why = f"no outcome within {RUN_TIMEOUT} s"
    rows = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    return {row["name"]: row for row in rows}, why


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, dict]:
    """Every case's outcome. The runner stops after a case that raised (its memory may still be
    held); a case that kills or hangs it is recorded as such. Either way a new runner goes on
    with the cases left, so one bad case does not hide the others."""
    folder = tmp_path_factory.mktemp("hostile")
    found: dict[str, dict] = {}
    remaining = [c.name for c in CASES]
    while remaining:
        got, why = _run(folder, remaining)
        found.update(got)
        remaining = [n for n in remaining if n not in found]
        if remaining and not got:  # the first one left killed or hung the runner
            found[remaining.pop(0)] = {"exit_code": None, "output": "", "exception": why}
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
    flat = " ".join(got["output"].split())  # a message wider than 80 columns goes on under its location
    assert " ".join(case.expect.split()) in flat, got
    for word in case.absent:
        assert word not in got["output"], got
