"""FalkorDB online node batches: statement shapes paired batch by batch (issue 17, sixth round).

    .venv/bin/python bench/falkordb_node_shapes.py --people 100000

The Person and Event rows of the synthetic national set (Person with find_text, made as the
loader makes it), cut in batches of ``--batch``; each batch is written once in every shape,
each shape into its own graph of one fresh embedded server (only the ``key`` index, as in a
first load), the shapes' order turning from batch to batch, so a busy machine slows every shape
alike. Per shape: the sum of the batches' wall time (encode + send + engine + reply), and its
ratio to the first shape. Shapes:

- **pairs**: ``CREATE (n:L) SET n = row RETURN collect([n.key, id(n)])`` (the round's start);
- **ids**: the same returning ``collect(id(n))``;
- **positional**: ``CREATE (n:L {a: r[0], ...}) RETURN collect(id(n))`` of lists (now).

Then the INVOLVED relationships (Person to Event) by internal id, into the first and last graphs,
paired the same way: **props map** (``[from id, to id, props, from key, to key]``, ``SET e =
props``: the round's start) against **positional** (``[from id, to id, from key, to key, values
...]``, ``CREATE (a)-[e:INVOLVED {a: row[4], ...}]->(b)``: now).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402


def shapes(label: str, rows: list[dict]) -> dict[str, tuple[str, list]]:
    from dhrkg.graph.falkordb.bulk_ends import positional

    plain = f"UNWIND $rows AS row CREATE (n:{label}) SET n = row"
    cypher, lists = positional(label, rows)
    return {"pairs": (f"{plain} RETURN collect([n.key, id(n)]) AS ids", rows),  # cypher-lint: allow internal-id
            "ids": (f"{plain} RETURN collect(id(n)) AS ids", rows),  # cypher-lint: allow internal-id
            "positional": (f"{cypher} RETURN collect(id(n)) AS ids", lists)}  # cypher-lint: allow internal-id


def main(argv: list[str] | None = None) -> int:
    from dhrkg.graph import open_store
    from dhrkg.graph.dialect import FALKORDB
    from dhrkg.graph.falkordb import server
    from dhrkg.graph.summaries import with_substrings

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    args = ap.parse_args(argv)
    g = qbench.synth_streams(args.people, 1, args.cache)
    sources = {"Person": with_substrings("Person", g["persons"], FALKORDB), "Event": g["events"]}
    names = ["pairs", "ids", "positional"]
    data = Path(tempfile.mkdtemp(prefix="dhrkg-node-shapes-"))
    spent = {(label, n): 0.0 for label in sources for n in names}
    counted = {label: 0 for label in sources}
    start = os.getloadavg()[0]
    try:
        server.ensure_running(data)
        stores = {n: open_store("falkordb", data, graph=f"shape_{n}") for n in names}
        for s in stores.values():
            s.ensure_schema()
            s._drop_secondary_indexes()
        turn = 0
        for label, rows in sources.items():
            it = iter(rows)
            while batch := list(islice(it, args.batch)):
                made = shapes(label, batch)
                order = names[turn % 3:] + names[:turn % 3]
                turn += 1
                for n in order:
                    cypher, sent = made[n]
                    t0 = time.perf_counter()
                    reply = stores[n].write_batch(cypher, {"rows": sent}).rows[0][0]
                    spent[(label, n)] += time.perf_counter() - t0
                    assert len(reply) == len(batch)
                counted[label] += len(batch)
        edge_spent = edges(stores["pairs"], stores["positional"], g["involved"], args.batch)
        same = {n: stores[n].query("MATCH (n:Person) RETURN count(n)").rows for n in names}
        for s in stores.values():
            s.close()
    finally:
        server.stop(data)
        shutil.rmtree(data, ignore_errors=True)
    print(f"people {args.people:,}, batches of {args.batch:,}; load average {start:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end; same Person counts: {len({str(v) for v in same.values()}) == 1}\n")
    print("| stream | rows | " + " | ".join(f"{n} s (rows/s)" for n in names) + " | positional vs pairs |")
    print("|---|---:|" + "---:|" * len(names) + "---:|")
    for label in sources:
        cells = " | ".join(f"{spent[(label, n)]:.2f} ({counted[label] / spent[(label, n)]:,.0f})" for n in names)
        print(f"| {label} | {counted[label]:,} | {cells} | {spent[(label, 'pairs')] / spent[(label, 'positional')]:.2f}x |")
    print(f"\n| INVOLVED by id | rows | props map s (rows/s) | positional s (rows/s) | positional vs props map |\n"
          f"|---|---:|---:|---:|---:|\n| | {edge_spent['n']:,} | {edge_spent['map']:.2f} "
          f"({edge_spent['n'] / edge_spent['map']:,.0f}) | {edge_spent['pos']:.2f} ({edge_spent['n'] / edge_spent['pos']:,.0f}) | "
          f"{edge_spent['map'] / edge_spent['pos']:.2f}x |")
    return 0


OLD_BY_ID = ("UNWIND $rows AS row WITH row[0] AS ia, row[1] AS ib, row[2] AS props, row[3] AS ka, row[4] AS kb "  # cypher-lint: allow internal-id
             "MATCH (a) WHERE id(a) = ia AND a.key = ka MATCH (b) WHERE id(b) = ib AND b.key = kb "
             "CREATE (a)-[e:INVOLVED]->(b) SET e = props RETURN count(e) AS made")


def edges(old: Any, new: Any, involved: Any, size: int) -> dict[str, float]:
    """INVOLVED by id into ``old`` (a props map a row) and ``new`` (positional), batch by batch."""
    from dhrkg.graph.falkordb.bulk_ends import by_id_statement

    def ids(store: Any) -> dict[str, int]:
        return dict(store.query("MATCH (n) RETURN n.key, id(n)").rows)  # cypher-lint: allow internal-id

    old_ids, new_ids = ids(old), ids(new)
    spent = {"map": 0.0, "pos": 0.0, "n": 0}
    it = iter(involved)
    turn = 0
    while batch := list(islice(it, size)):
        batch = [x for x in batch if x["from"] in old_ids and x["to"] in old_ids]
        props = [{"review": "synth", "role": x["role"]} for x in batch]
        names = sorted({k for p in props for k in p})
        sends = {"map": (old, OLD_BY_ID, [[old_ids[x["from"]], old_ids[x["to"]], p, x["from"], x["to"]]
                                          for x, p in zip(batch, props)]),
                 "pos": (new, by_id_statement("INVOLVED", names), [[new_ids[x["from"]], new_ids[x["to"]], x["from"],
                                                                    x["to"], *[p.get(k) for k in names]]
                                                                   for x, p in zip(batch, props)])}
        for name in (["map", "pos"] if turn % 2 else ["pos", "map"]):
            store, cypher, rows = sends[name]
            t0 = time.perf_counter()
            made = store.write_batch(cypher, {"rows": rows}).rows[0][0]
            spent[name] += time.perf_counter() - t0
            assert made == len(rows)
        spent["n"] += len(batch)
        turn += 1
    return spent


if __name__ == "__main__":
    raise SystemExit(main())
