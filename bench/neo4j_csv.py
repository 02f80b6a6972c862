"""The Neo4j offline path's CSV files (dhrkg.graph.offline.write_neo4j_import): rows/s now
against the writer of an earlier commit, in the same run, on the synthetic national set.

    .venv/bin/python bench/neo4j_csv.py --people 100000 --before 7f0cbd4 --repeat 3

Writing these files is most of the Neo4j offline load (BENCHMARKS.md, "Neo4j at 1M people").
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402


def writer_at(rev: str):
    """write_neo4j_import as graph/offline.py was at ``rev`` (same package, so its imports work)."""
    source = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:graph/offline.py"], check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType("dhrkg.graph._offline_before")
    module.__package__ = "dhrkg.graph"
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"graph/offline.py@{rev}", "exec"), module.__dict__)
    return module.write_neo4j_import


def timed(write, g: dict) -> tuple[int, float]:
    out = Path(tempfile.mkdtemp(prefix="dhrkg-csv-"))
    try:
        t0 = time.perf_counter()
        imp = write(scale.streams(g), out / "csv")
        return imp.node_rows + imp.relationship_rows, time.perf_counter() - t0
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> int:
    from dhrkg.graph.offline import write_neo4j_import

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--before", required=True, help="the commit whose writer to compare with")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    args = ap.parse_args()
    g = qbench.synth_graph(args.people, 1, args.cache)
    ways = {f"before ({args.before})": writer_at(args.before), "now": write_neo4j_import}
    best: dict[str, float] = {}
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    for _ in range(args.repeat):  # alternating, best of each
        for name, write in ways.items():
            rows, secs = timed(write, g)
            best[name] = min(best.get(name, secs), secs)
    for name, secs in best.items():
        print(f"{name:<22} {rows:,} rows  best {secs:6.1f} s  {rows / secs:>9,.0f} rows/s")
    print(f"ratio {best[next(iter(best))] / best['now']:.1f}x; load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
