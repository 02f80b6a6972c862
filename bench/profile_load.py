"""Where the load time goes: a breakdown per step, on FalkorDB and Neo4j (issue 17, point 1).

    .venv/bin/python bench/profile_load.py --people 100000 --backend both --limit 200000

For the synthetic national set (the rows of bench/queries.py) it times, per kind of row
(Person nodes, Event nodes, INVOLVED relationships), in batches of ``--batch`` rows:

- building the rows in Python (mapping the synthetic CSV files to node and relationship rows);
- sending the parameters alone: ``RETURN size($rows)`` with the same payload (client-side
  serialisation, the socket, the server parsing them), without the engine's work;
- the whole statement (``UNWIND $rows ... CREATE``); the engine = whole - sending;
- FalkorDB only: the same statement with ``appendfsync no`` (the fsync share), and into a
  graph with no indexes (the index maintenance share);
- the delete step of a replacement: ``MATCH (n:Event {review: $r}) DETACH DELETE n``.

Each kind is capped at ``--limit`` rows so that the slow engine finishes in minutes. The
figures are wall times on the shared machine: read them as shares, not absolutes.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from queries import open_backend, synth_graph  # noqa: E402

NODE = "UNWIND $rows AS row CREATE (n:{label}) SET n = row"
EDGE = ("UNWIND $rows AS row MATCH (a:Person {key: row.from}) MATCH (b:Event {key: row.to}) "
        "CREATE (a)-[:INVOLVED {review: 'synth', role: row.role}]->(b)")
SEND = "RETURN size($rows) AS n"


def batches(rows: list, size: int):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run_all(store: Any, cypher: str, rows: list, size: int) -> float:
    return sum(timed(lambda c=chunk: store._write(cypher, {"rows": c})) for chunk in batches(rows, size))


def falkordb_fsync(store: Any, mode: str) -> None:
    store._redis.execute_command("CONFIG", "SET", "appendfsync", mode)


def profile(backend: str, store: Any, g: dict, limit: int, size: int) -> list[tuple[str, str, float, int]]:
    out = []
    persons, events = g["persons"][:limit], g["events"][:limit]
    keys = {p["key"] for p in persons}
    evkeys = {e["key"] for e in events}
    involved = [r for r in g["involved"] if r["from"] in keys and r["to"] in evkeys][:limit]
    kinds = [("Person nodes", NODE.format(label="Person"), persons),
             ("Event nodes", NODE.format(label="Event"), events),
             ("INVOLVED rels", EDGE, involved)]
    for name, cypher, rows in kinds:
        send = run_all(store, SEND, rows, size)
        whole = run_all(store, cypher, rows, size)
        out += [(name, "send parameters", send, len(rows)), (name, "whole statement", whole, len(rows)),
                (name, "engine (whole - send)", whole - send, len(rows))]
        print(f"  {name}: {len(rows):,} rows, send {send:.2f} s, whole {whole:.2f} s", file=sys.stderr)
    if backend == "falkordb":
        extra = [dict(e, key=e["key"] + "-x") for e in events]
        falkordb_fsync(store, "no")
        try:
            nofsync = run_all(store, NODE.format(label="Event"), extra, size)
        finally:
            falkordb_fsync(store, "always")
        out.append(("Event nodes", "whole, appendfsync no", nofsync, len(extra)))
        store._write("DROP INDEX FOR (n:Event) ON (n.key)")
        store._write("DROP INDEX FOR (n:Event) ON (n.review)")
        extra2 = [dict(e, key=e["key"] + "-y") for e in events]
        noindex = run_all(store, NODE.format(label="Event"), extra2, size)
        out.append(("Event nodes", "whole, no indexes", noindex, len(extra2)))
        store.ensure_schema()
    n_ev = store.query("MATCH (n:Event {review: 'synth'}) RETURN count(n) AS n").rows[0][0]
    delete = timed(lambda: store._write("MATCH (n:Event {review: 'synth'}) DETACH DELETE n"))
    out.append(("Event nodes", "delete by review (replacement)", delete, n_ev))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--backend", choices=["falkordb", "neo4j", "both"], default="both")
    ap.add_argument("--limit", type=int, default=200_000, help="rows per kind at most")
    ap.add_argument("--batch", type=int, default=5000)
    scratch = Path(tempfile.gettempdir()) / "dhrkg-bench"
    ap.add_argument("--data-dir", type=Path, default=scratch / "profile-falkordb")
    ap.add_argument("--cache", type=Path, default=scratch / "synth")
    args = ap.parse_args(argv)
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    args.cache.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    g = synth_graph(args.people, 1, args.cache)
    build = time.perf_counter() - t0
    nrows = sum(len(g[k]) for k in ("persons", "events", "involved", "recorded", "located", "partners", "parents"))
    print(f"load average {os.getloadavg()[0]:.1f}; people {args.people:,}; batch {args.batch}")
    print(f"build rows in Python: {nrows:,} rows in {build:.1f} s = {nrows / build:,.0f} rows/s "
          "(reading the CSV files, mapping; includes generating them the first time)")
    backends = ["falkordb", "neo4j"] if args.backend == "both" else [args.backend]
    for b in backends:
        with open_backend(b, args.data_dir, "profile") as store:
            store.clear()
            store.ensure_schema()
            for kind, step, secs, n in profile(b, store, g, args.limit, args.batch):
                print(f"{b:9s} {kind:14s} {step:32s} {n:>9,} rows {secs:7.2f} s {n / max(secs, 1e-9):>10,.0f} rows/s")
            store.clear()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
