"""Every canned query on FalkorDB without and with an index on Event.date_from, on one graph.

    .venv/bin/python bench/falkordb_date_index.py --people 100000 --data DIR

A FalkorDB store keeps no index on ``Event.date_from`` (``TEXT_RANGE_UNSAFE`` in
graph/falkordb/store.py: FalkorDB 4.16 answers ``<`` and ``<=`` on an indexed text with every
node). This measures what that costs the canned queries: on the synthetic national set kept in
``--data`` (loaded offline the first time, bench/scans.py), every canned query of the library
with each of its parameter sets (bench/queries.py's, at most ``--sets``), in three passes:
without the index, with it, without it again (so a drift of the machine shows as a difference
between the first and third pass). Printed: rows with and without the index (the same, or
DIFFERENT: the engine's fault reached a canned query), p50 of each pass and with / without.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import before_after  # noqa: E402
import queries as qbench  # noqa: E402
import scans  # noqa: E402

PASSES = ("without", "with", "without again")


def set_index(store: Any, on: bool) -> None:
    from dhrkg.graph.falkordb.store import TEXT_RANGE_UNSAFE

    if on:
        for i in TEXT_RANGE_UNSAFE:
            store.run_schema(f"CREATE INDEX FOR (n:{i.label}) ON (n.{i.prop})")
        store.wait_for_indexes()
    else:
        store._drop_indexes(TEXT_RANGE_UNSAFE)


def one_pass(store: Any, planned: list) -> dict[str, dict[str, Any]]:
    """Each query: its rows (every set) and the times (ms) of its runs."""
    out = {}
    for q, sets, runs in planned:
        rows, times = [], []
        for positional, named in sets:
            from dhrkg.graph import canned

            run = before_after.runner(store, q, canned.bind(q, before_after.known(q, named), positional))
            rows.append(run())
            for _ in range(runs):
                t0 = time.perf_counter()
                run()
                times.append((time.perf_counter() - t0) * 1000)
        out[q.name] = {"rows": rows, "times": times}
        print(f"  {q.name}: p50 {qbench.percentile(times, .5):,.1f} ms", file=sys.stderr)
    return out


def report(passes: dict[str, dict], people: int, loads: tuple[float, float]) -> str:
    lines = [f"{people:,} people, FalkorDB; load average {loads[0]:.1f} at the start, {loads[1]:.1f} at the end",
             "", "| query | rows | with the index | without p50 / p95 | with p50 / p95 | again p50 / p95 | with / without |",
             "|---|---:|---|---:|---:|---:|---:|"]
    p = qbench.percentile
    for name, first in passes["without"].items():
        withi, again = passes["with"][name], passes["without again"][name]
        rows = sum(len(r) for r in first["rows"])
        same = "same" if withi["rows"] == first["rows"] else "DIFFERENT"
        base = min(p(first["times"], .5), p(again["times"], .5))
        cells = " | ".join(f"{p(x['times'], .5):,.1f} / {p(x['times'], .95):,.1f}" for x in (first, withi, again))
        lines.append(f"| {name} | {rows:,} | {same} | {cells} | {p(withi['times'], .5) / max(base, 1e-9):.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = scans.kept_graph_parser(__doc__.split("\n\n")[0], repeat=10)
    ap.add_argument("--sets", type=int, default=3, help="at most this many parameter sets a query")
    ap.add_argument("--only", default="", help="comma-separated query names")
    args = ap.parse_args(argv)
    start = os.getloadavg()[0]
    with scans.kept_graph(args) as store:
        g = qbench.synth_streams(args.people, 1, args.cache)
        args.sets = max(1, args.sets)
        planned = before_after.plan(store, g, args)
        passes = {}
        for name in PASSES:
            set_index(store, name == "with")
            print(f"{name} the index:", file=sys.stderr)
            passes[name] = one_pass(store, planned)
        set_index(store, False)
    print(report(passes, args.people, (start, os.getloadavg()[0])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
