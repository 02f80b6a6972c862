"""Where the offline loads' Python time goes, in CPU seconds (steadier than wall clock on a
shared machine), main's writers against these in the same run, no engine and no server:

    .venv/bin/python bench/offline_split.py --people 100000 --before 437bb2a --repeat 2

- building the rows: the synthetic set's streams (bench/scale.py) iterated, with Person's
  find_text pieces for FalkorDB;
- FalkorDB: GRAPH.BULK payloads packed from rows already built (dhrkg.graph.falkordb.bulk_insert),
  the commands dropped instead of sent;
- Neo4j: the import tool's CSV files written from rows already built (dhrkg.graph.offline).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import neo4j_csv  # noqa: E402
import queries as qbench  # noqa: E402
import scale  # noqa: E402


class Dropped:
    """Where GRAPH.BULK commands go when only the packing is timed."""

    def execute_command(self, *args):
        return None


def cpu(work) -> float:
    t0 = time.process_time()
    work()
    return time.process_time() - t0


def main() -> int:
    from dhrkg.graph.bulk import substring_streams
    from dhrkg.graph.dialect import FALKORDB
    from dhrkg.graph.falkordb import bulk_insert
    from dhrkg.graph.offline import write_neo4j_import

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--before", required=True, help="the commit whose writers to compare with")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    args = ap.parse_args()
    g = qbench.synth_streams(args.people, 1, args.cache)
    packers = {"before": scale.module_at(args.before, "graph/falkordb/bulk_insert.py", "dhrkg.graph.falkordb").bulk_insert,
               "now": bulk_insert.bulk_insert}
    writers = {"before": neo4j_csv.writer_at(args.before), "now": write_neo4j_import}
    falkordb_rows = [replace(s, rows=list(s.rows)) for s in substring_streams(scale.streams(g), FALKORDB)]
    neo4j_rows = [replace(s, rows=list(s.rows)) for s in scale.streams(g)]
    rows = sum(len(s.rows) for s in neo4j_rows)
    print(f"load average {os.getloadavg()[0]:.1f} at the start; {rows:,} rows")
    build = min(cpu(lambda: [sum(1 for _ in s.rows) for s in substring_streams(scale.streams(g), FALKORDB)])
                for _ in range(args.repeat))
    print(f"building the rows (FalkorDB's, with find_text's pieces): {build:.1f} CPU s")
    print("| step | way | best CPU s | rows/s of CPU |\n|---|---|---:|---:|")
    for step, ways in (("FalkorDB packing", packers), ("Neo4j CSV files", writers)):
        for way, write in ways.items():
            if step.startswith("FalkorDB"):
                secs = min(cpu(lambda: write(Dropped(), "bench", falkordb_rows)) for _ in range(args.repeat))
            else:
                secs = min(_csv_seconds(write, neo4j_rows) for _ in range(args.repeat))
            print(f"| {step} | {way} | {secs:.2f} | {rows / secs:,.0f} |")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


def _csv_seconds(write, streams) -> float:
    out = Path(tempfile.mkdtemp(prefix="dhrkg-csv-"))
    try:
        return cpu(lambda: write(streams, out / "csv"))
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
