"""The full kill -9 loops (tests/engine/test_engine_kill9.py runs 3 kills per command in CI).

    .venv/bin/python bench/kill9.py [--loops 50]

Runs the test module with DHRKG_KILL_LOOPS set; every kill must leave every review old or new
and no half-written file.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--loops", type=int, default=50)
    args = ap.parse_args()
    env = dict(os.environ, DHRKG_KILL_LOOPS=str(args.loops))
    sys.exit(subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                              str(REPO / "tests" / "engine" / "test_engine_kill9.py"), "tests/graph/test_graph_atomicity.py"],
                             cwd=REPO, env=env))
