"""What the undo snapshot costs a FalkorDB load (dhrkg.graph.falkordb.undo, issue 13.6).

    .venv/bin/python bench/undo.py [--events 3000] [--rounds 5]

Before replacing a review that is already in the graph, the FalkorDB store reads what the write
may change (the review's nodes and relationships, the Areas it MERGEs), so that a write that
fails part-way can be put back without restarting the server. This times, in the same run and
alternating, replacing a large review (a gold case file with ``--events`` extra events):

- ``load``: ``store.load_rows`` as shipped (snapshot, then the one replacing query);
- ``naive``: the same replacing query sent without a snapshot (what dhrkg did before);
- ``snapshot``: ``undo.take`` alone;
- ``first``: loading the review when it is not in the graph yet (the snapshot finds nothing).

and prints the medians and the ratio load / naive.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from support.reviews import with_extra_events  # noqa: E402

from dhrkg.graph import dialect  # noqa: E402
from dhrkg.graph.falkordb import FalkorDBStore, server, undo  # noqa: E402
from dhrkg.graph.load import replace_statements, review_scope  # noqa: E402
from dhrkg.graph.schema import case_rows  # noqa: E402
from dhrkg.graph.summaries import summary_statements  # noqa: E402
from dhrkg.model import load_case  # noqa: E402


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    case = with_extra_events(load_case(sorted((REPO / "examples").glob("*.yaml"))[1]), args.events, "bench")
    rows = case_rows(case)
    statements = replace_statements(rows) + summary_statements(rows.review)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "db"
        store = FalkorDBStore(data_dir, graph="bench")
        try:
            times: dict[str, list[float]] = {"load": [], "naive": [], "snapshot": [], "first": []}
            for _ in range(args.rounds):
                store.delete_review(rows.review)
                times["first"].append(timed(lambda: store.load_rows(rows)))
                times["load"].append(timed(lambda: store.load_rows(rows)))
                cypher, params = dialect.FALKORDB.single_query(statements)
                times["naive"].append(timed(lambda: store._graph.query(cypher, params)))
                times["snapshot"].append(timed(lambda: undo.take(store, review_scope(rows.review), statements)))
            snap = undo.take(store, review_scope(rows.review), statements)
            print(f"review: {len(snap.nodes)} nodes, {len(snap.relationships)} relationships; "
                  f"{args.rounds} rounds, medians:")
            med = {k: statistics.median(v) for k, v in times.items()}
            for name, seconds in med.items():
                print(f"  {name:9s} {seconds:7.3f} s")
            print(f"  load / naive = {med['load'] / med['naive']:.2f}; "
                  f"snapshot / naive = {med['snapshot'] / med['naive']:.2f}")
        finally:
            store.close()
            server.stop(data_dir)


if __name__ == "__main__":
    main()
