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

The node batch steps (issue 17, sixth round; the default ``--ways``), each on top of the one before:

- **round start**: ids + indexes after, as at b9b5d9c (find_text's pieces made word by word
  anew, a list encoded text by text, node batches ``SET n = row`` returning ``[key, id]`` pairs);
- **+ pieces cached**: a word's pieces made once (dhrkg.graph.dialect.word_pieces);
- **+ texts at once**: a list of plain texts encoded in one join (falkordb.params._texts);
- **+ ids only**: node batches return ``collect(id(n))``, paired with the keys client-side;
- **+ positional**: node rows as lists, ``CREATE (n:L {a: r[0], ...})``;
- **+ positional relationships**: relationship rows by id as lists too, ``CREATE (a)-[e:T {a:
  row[4], ...}]->(b)`` instead of ``SET e = props`` of a map a row;
- **+ in flight 3**: the last with 3 batches in flight;
- **now**: the loader as it is (every step above but positional node rows, which
  ``bulk_ends.POSITIONAL_NODES`` turns off: measured slower in a whole load), 2 in flight.

Node rows/s count the index build after the rows; the rows of every way are compared (counts
per label and relationship type, every Person's properties and every PARTNER_OF's).
"""

from __future__ import annotations

import argparse
import hashlib
import json
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


NODE_STEPS = ["round start", "+ pieces cached", "+ texts at once", "+ ids only", "+ positional",
              "+ positional relationships", "+ in flight 3"]


def _pieces_anew(self: Any, texts: list[str]) -> Any:
    """find_text's pieces as made at the round's start (b9b5d9c), word by word anew."""
    from dhrkg.graph.dialect import EVERY_PIECE, PIECE_MAX, PIECE_MIN

    return [f"<{w[i:i + k]}>" for t in texts for w in t.split(" ")
            for k in range(PIECE_MIN, PIECE_MAX + 1) for i in range(len(w) - k + 1)] + [EVERY_PIECE]


def _nodes_with_pairs(self: Any, stream: Any, cypher: str, rows: list[dict]) -> None:
    """A node batch as at the round's start: ``SET n = row``, returning ``[key, id]`` pairs."""
    variable = "a" if stream.kind == "area" else "n"
    pairs = self.write(f"{cypher} RETURN collect([{variable}.key, id({variable})]) AS ids",  # cypher-lint: allow internal-id
                       {"rows": rows}).rows[0][0]
    self.ids.setdefault(stream.label, {}).update(pairs)
    self.size += len(pairs)


def _edges_with_props_map(self: Any, stream: Any, rows: list[dict], ends: list[tuple[int, int]]) -> None:
    """A relationship batch by id as at the round's start: ``SET e = props`` of a map a row."""
    from dhrkg.graph.store import StoreError

    cypher = ("UNWIND $rows AS row WITH row[0] AS ia, row[1] AS ib, row[2] AS props, row[3] AS ka, row[4] AS kb "  # cypher-lint: allow internal-id
              "MATCH (a) WHERE id(a) = ia AND a.key = ka MATCH (b) WHERE id(b) = ib AND b.key = kb "
              f"CREATE (a)-[e:{stream.label}]->(b) SET e = props RETURN count(e) AS made")
    positional = [[a, b, row.get("props") or {}, row["from"], row["to"]] for row, (a, b) in zip(rows, ends)]
    if self.write(cypher, {"rows": positional}).rows[0][0] != len(rows):
        raise StoreError("relationships found no end")


def _set_n_row(label: str, rows: list[dict]) -> tuple[str, list[dict]]:
    return f"UNWIND $rows AS row CREATE (n:{label}) SET n = row", rows


@contextmanager
def node_steps(name: str) -> Any:
    """The node batch steps before ``name`` switched on, the later ones off."""
    from dhrkg.graph import dialect
    from dhrkg.graph.dialect import FalkorDBDialect
    from dhrkg.graph.falkordb import bulk_ends, params

    dialect._PIECES.clear()  # each way starts as a new process would
    upto = NODE_STEPS.index(name) if name in NODE_STEPS else len(NODE_STEPS)
    saved = (FalkorDBDialect.substring_python, params._texts, bulk_ends.EndIds._nodes, bulk_ends.positional,
             bulk_ends.EndIds._edges_by_id, bulk_ends.POSITIONAL_NODES)
    # "now": every step as the loader has it (positional node rows off: bulk_ends.POSITIONAL_NODES)
    bulk_ends.POSITIONAL_NODES = name != "now"
    if upto < 1:
        FalkorDBDialect.substring_python = _pieces_anew
    if upto < 2:
        params._texts = lambda values: ""
    if upto < 3:
        bulk_ends.EndIds._nodes = _nodes_with_pairs
    if upto < 4:
        bulk_ends.positional = _set_n_row
    if upto < 5:
        bulk_ends.EndIds._edges_by_id = _edges_with_props_map
    try:
        yield
    finally:
        (FalkorDBDialect.substring_python, params._texts, bulk_ends.EndIds._nodes, bulk_ends.positional,
         bulk_ends.EndIds._edges_by_id, bulk_ends.POSITIONAL_NODES) = saved


@contextmanager
def way(store: Any, name: str) -> Any:
    """The store set up for one way of loading (its bulk session as that way has it)."""
    real = type(store).bulk_session
    if name == "main":
        store.bulk_session = None
    elif name == "ids":
        store.bulk_session = partial(real, store, defer_indexes=False)
    try:
        with node_steps(name):
            yield
    finally:
        store.__dict__.pop("bulk_session", None)


def counts(store: Any) -> tuple:
    nodes = store.query("MATCH (n) RETURN labels(n)[0] AS l, count(n) AS c ORDER BY l").rows
    rels = store.query("MATCH ()-[e]->() RETURN type(e) AS t, count(e) AS c ORDER BY t").rows
    people = store.query("MATCH (n:Person) RETURN n.key, properties(n)").rows
    partners = store.query("MATCH (a)-[e:PARTNER_OF]->(b) RETURN a.key, b.key, properties(e)").rows
    digest = hashlib.sha256(json.dumps([sorted(people), sorted(partners)], sort_keys=True).encode()).hexdigest()
    return tuple(map(tuple, nodes)), tuple(map(tuple, rels)), digest


def main(argv: list[str] | None = None) -> int:
    from dhrkg.graph import open_store
    from dhrkg.graph.bulk import bulk_load
    from dhrkg.graph.falkordb import server

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--in-flight", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--ways", default=",".join(NODE_STEPS),
                    help="main,ids,ids+indexes after,in flight 3: the steps of the fifth round")
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
            in_flight = 3 if name in ("in flight 3", "+ in flight 3") else args.in_flight
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
