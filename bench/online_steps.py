"""The FalkorDB online bulk loader step by step, each step against the previous in one run.

    .venv/bin/python bench/online_steps.py --people 100000 --repeat 2

Into an emptied graph of a fresh embedded server, the synthetic national set of bench/scale.py
through dhrkg.graph.bulk.bulk_load, in turn (and ``--repeat`` times over, in order then
reversed, best kept):

- **main**: as before this change: every index kept during the load, relationships' ends by
  the ``key`` index (the store's bulk session switched off);
- **ids**: relationships' ends by the internal ids the node batches returned
  (dhrkg.graph.falkordb.bulk_ends), every index kept;
- **ids + indexes after**: the indexes other than ``key`` built after the rows (counted);
- the last one again with ``--in-flight`` 3 (``--three``).

Node rows/s count the index build after the rows; the rows of every way are compared (counts
per label and relationship type).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402


@contextmanager
def way(store: Any, name: str) -> Any:
    """The store set up for one way of loading (its bulk session as that way has it)."""
    real = type(store).bulk_session
    if name == "main":
        store.bulk_session = None
    elif name == "ids":
        store.bulk_session = partial(real, store, defer_indexes=False)
    try:
        yield
    finally:
        store.__dict__.pop("bulk_session", None)


def counts(store: Any) -> tuple:
    nodes = store.query("MATCH (n) RETURN labels(n)[0] AS l, count(n) AS c ORDER BY l").rows
    rels = store.query("MATCH ()-[e]->() RETURN type(e) AS t, count(e) AS c ORDER BY t").rows
    return tuple(map(tuple, nodes)), tuple(map(tuple, rels))


def main(argv: list[str] | None = None) -> int:
    from dhrkg.graph import open_store
    from dhrkg.graph.bulk import bulk_load
    from dhrkg.graph.falkordb import server

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--in-flight", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--ways", default="main,ids,ids+indexes after,in flight 3")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    args = ap.parse_args(argv)
    g = qbench.synth_streams(args.people, 1, args.cache)
    ways = args.ways.split(",")
    data = Path(tempfile.mkdtemp(prefix="dhrkg-online-steps-"))
    best: dict[str, dict] = {}
    seen: dict[str, tuple] = {}
    start = os.getloadavg()[0]
    try:
        server.ensure_running(data)
        store = open_store("falkordb", data, graph="steps")
        order = [w for i in range(args.repeat) for w in (ways if i % 2 == 0 else ways[::-1])]
        for name in order:
            store.clear()
            in_flight = 3 if name == "in flight 3" else args.in_flight
            with way(store, name):
                r = bulk_load(store, scale.streams(g), batch_size=args.batch, in_flight=in_flight)
            seen[name] = counts(store)
            res = {"nodes": r.rows("node") + r.rows("area"), "edges": r.rows("edge"), "index_s": r.index_seconds,
                   "node_s": r.seconds_of("node") + r.seconds_of("area") + r.index_seconds,
                   "edge_s": r.seconds_of("edge"), "total_s": r.seconds, "load": os.getloadavg()[0]}
            print(f"{name}: {res}", file=sys.stderr)
            if name not in best or res["total_s"] < best[name]["total_s"]:
                best[name] = res
        store.close()
    finally:
        server.stop(data)
        shutil.rmtree(data, ignore_errors=True)
    same = len(set(seen.values())) == 1
    print(f"people {args.people:,}; load average {start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
          f"best of {args.repeat}; same rows in every way: {'yes' if same else 'NO'}\n")
    print("| way | node rows/s | relationship rows/s | indexes after s | load s | vs previous |\n|---|---:|---:|---:|---:|---:|")
    previous = None
    for name in ways:
        r = best[name]
        ratio = f"{previous / r['total_s']:.2f}x" if previous else ""
        print(f"| {name} | {r['nodes'] / r['node_s']:,.0f} | {r['edges'] / r['edge_s']:,.0f} | {r['index_s']:.1f} | "
              f"{r['total_s']:.1f} | {ratio} |")
        previous = r["total_s"]
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
