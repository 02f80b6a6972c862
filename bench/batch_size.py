"""Batch size of the online bulk loader, chosen by measurement (issue 17, point 2).

    .venv/bin/python bench/batch_size.py --people 20000 --sizes 1000,2000,5000,10000,20000

On FalkorDB (a fresh embedded server), for each batch size in turn and twice over (sizes in
order, then reversed, to even out the shared machine's drift): the Person and Event node
streams and the INVOLVED relationship stream of the synthetic national set (bench/scale.py)
through dhrkg.graph.bulk.bulk_load with 2 batches in flight, into an emptied graph. Prints
node and relationship rows/s per size, the best of the two passes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    from dhrkg.graph import open_store
    from dhrkg.graph.bulk import bulk_load
    from dhrkg.graph.falkordb import server

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--sizes", default="1000,2000,5000,10000,20000")
    ap.add_argument("--in-flight", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    g = qbench.synth_graph(args.people, 1, args.cache)
    wanted = {"Person", "Event", "Person-INVOLVED-Event"}
    sizes = [int(x) for x in args.sizes.split(",")]
    data = Path(tempfile.mkdtemp(prefix="dhrkg-batch-"))
    server.ensure_running(data)
    best: dict[int, tuple[float, float]] = {}
    print(f"load average {os.getloadavg()[0]:.1f} at the start", file=sys.stderr)
    try:
        store = open_store("falkordb", data, graph="batch")
        for size in sizes + sizes[::-1]:
            store.clear()
            report = bulk_load(store, [s for s in scale.streams(g) if s.name in wanted],
                               batch_size=size, in_flight=args.in_flight)
            nodes = report.rows("node") / report.seconds_of("node")
            edges = report.rows("edge") / report.seconds_of("edge")
            old = best.get(size, (0.0, 0.0))
            best[size] = (max(old[0], nodes), max(old[1], edges))
            print(f"batch {size}: {nodes:,.0f} node rows/s, {edges:,.0f} relationship rows/s", file=sys.stderr)
        store.close()
    finally:
        server.stop(data)
        shutil.rmtree(data, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print("| batch size | node rows/s | relationship rows/s |\n|---:|---:|---:|")
    for size in sizes:
        print(f"| {size:,} | {best[size][0]:,.0f} | {best[size][1]:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
