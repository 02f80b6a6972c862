"""The bulk loader's statement shapes on Neo4j, paired batch by batch on one server.

    .venv/bin/python bench/neo4j_bulk_shapes.py --people 100000 --neo4j-heap 3g --neo4j-pagecache 2g

On a shared machine two loads one after the other differ by more than the shapes do (the
load of other work drifts; the first load into a new database grows its files). So each
batch of the synthetic national set (bench/scale.py's streams) is written twice, once with
``SET n = row`` (Dialect.bulk_statement, the loader before round 5) into labels ``X_set`` and
once with the literal property maps of Neo4jDialect.bulk_statement into labels ``X_lit``
(each pair of labels with the loader's ``key`` constraint and ``review`` index, nothing
else), the order alternating batch by batch; relationships join the nodes of their own
shape. Printed: seconds and rows/s of each shape per kind of row, and the ratio. ``--indexes``:
the literal maps on both sides, into labels with every index of dhrkg's (``X_set``) against
labels with the key constraint only (``X_lit``), whose indexes are then built and timed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402
from support import neo4j_server  # noqa: E402

KINDS = ("Person", "Event", "Agency", "Person-INVOLVED-Event", "Event-RECORDED_BY-Agency")


def shaped(stream: Any, suffix: str) -> Any:
    if stream.kind == "node":
        return replace(stream, label=f"{stream.label}_{suffix}")
    return replace(stream, from_label=f"{stream.from_label}_{suffix}", to_label=f"{stream.to_label}_{suffix}")


def paired(store: Any, stream: Any, rows: list[dict], batch: int, by_hub: bool = False,
           indexes: bool = False) -> dict[str, float]:
    """Seconds of "set" (into X_set) and "lit" (into X_lit). ``by_hub``: relationships only,
    "set" is instead the literal maps with each batch sorted by its end node (into X_set).
    ``indexes``: both the literal maps, "set" into labels with every index of dhrkg's."""
    from dhrkg.graph.dialect import Dialect

    lit = store.dialect.bulk_statement
    shapes = {"set": (shaped(stream, "set"), lit if by_hub or indexes else lambda s, b: Dialect.bulk_statement(store.dialect, s, b)),
              "lit": (shaped(stream, "lit"), lit)}
    seconds = {"set": 0.0, "lit": 0.0}
    for i in range(0, len(rows), batch):
        b = rows[i:i + batch]
        for name in (("set", "lit") if (i // batch) % 2 == 0 else ("lit", "set")):
            s, statement = shapes[name]
            sent = sorted(b, key=lambda r: r["to"]) if by_hub and name == "set" else b
            t0 = time.perf_counter()
            store.write_batch(statement(s, sent), {"rows": sent})
            seconds[name] += time.perf_counter() - t0
    return seconds


def secondary(suffix: str) -> list[Any]:
    """dhrkg's indexes other than the key constraints (CASE_INDEXES, Neo4j's own) of Person,
    Event and Agency, on the labels ``X_suffix``."""
    from dhrkg.graph.neo4j.store import NEO4J_INDEXES
    from dhrkg.graph.schema import CASE_INDEXES

    return [replace(i, label=f"{i.label}_{suffix}") for i in (*CASE_INDEXES, *NEO4J_INDEXES)
            if not i.unique and i.label in ("Person", "Event", "Agency")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--neo4j-heap", default="3g")
    ap.add_argument("--neo4j-pagecache", default="2g")
    ap.add_argument("--by-hub", action="store_true",
                    help="relationships: literal maps with each batch sorted by its end node against unsorted")
    ap.add_argument("--indexes", action="store_true",
                    help="literal maps into labels with every index of dhrkg's against labels with the key "
                         "constraint only, whose indexes are built after the rows (timed)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/dhrkg-bench/synth"))
    args = ap.parse_args(argv)
    from dhrkg.graph import open_store
    from dhrkg.graph.bulk import substring_streams

    g = qbench.synth_streams(args.people, 1, args.cache)
    neo4j_server.JVM_OPTIONS[:] = [f"-Xmx{args.neo4j_heap}", "-XX:+ExitOnOutOfMemoryError"]
    neo4j_server.PAGECACHE = args.neo4j_pagecache
    launched = neo4j_server.LaunchedNeo4j()
    try:
        c = launched.connection
        store = open_store("neo4j", neo4j_uri=c.uri, neo4j_user=c.user, neo4j_password=c.password,
                           neo4j_database=c.database)
        for label in ("Person", "Event", "Agency"):
            for suffix in ("set", "lit"):
                store.run_schema(f"CREATE CONSTRAINT c_{label}_{suffix} IF NOT EXISTS FOR (n:{label}_{suffix}) "
                                 "REQUIRE n.key IS UNIQUE")
                if not args.indexes:
                    store.run_schema(f"CREATE INDEX i_{label}_{suffix} IF NOT EXISTS FOR (n:{label}_{suffix}) ON (n.review)")
        if args.indexes:
            store.ensure_indexes(secondary("set"))
        store.run_schema("CALL db.awaitIndexes(300)")
        streams = {s.name: s for s in substring_streams(scale.streams(g), store.dialect)}
        print(f"people {args.people:,}, batches of {args.batch:,}, heap {args.neo4j_heap}, page cache "
              f"{args.neo4j_pagecache}; load average {os.getloadavg()[0]:.1f} at the start", file=sys.stderr)
        lines = ["| rows | count | SET s | literal s | SET rows/s | literal rows/s | literal / SET |",
                 "|---|---:|---:|---:|---:|---:|---:|"]
        for kind in KINDS:
            rows = list(streams[kind].rows)
            hub = args.by_hub and streams[kind].kind == "edge"
            s = paired(store, streams[kind], rows, args.batch, by_hub=hub, indexes=args.indexes)
            note = " (SET: sorted by end)" if hub else " (SET: every index; literal: key only)" if args.indexes else ""
            lines.append(f"| {kind}{note} | {len(rows):,} | {s['set']:.1f} | {s['lit']:.1f} | {len(rows) / s['set']:,.0f} | "
                         f"{len(rows) / s['lit']:,.0f} | {s['set'] / s['lit']:.2f}x |")
            print(lines[-1], file=sys.stderr)
        if args.indexes:  # the indexes of the key-only labels built after their rows
            t0 = time.perf_counter()
            store.ensure_indexes(secondary("lit"))
            lines += ["", f"the same indexes built on the key-only labels after the rows: {time.perf_counter() - t0:.1f} s"]
            print(lines[-1], file=sys.stderr)
        store.close()
    finally:
        launched.stop()
    print("\n".join(lines))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
