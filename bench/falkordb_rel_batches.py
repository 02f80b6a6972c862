"""What one relationship batch of the FalkorDB online loader costs on a loaded graph, paired.

    flock /work/wt/bench.lock .venv/bin/python bench/falkordb_rel_batches.py --people 1000000

The synthetic national set of bench/scale.py loaded offline (GRAPH.BULK, the indexes built; no
summaries) into a fresh embedded server, every ``--hold-every``-th INVOLVED row held back. Then
batches of the held-back rows (each row sent once) with the online loader's statement by id
(dhrkg.graph.falkordb.bulk_ends.by_id_statement), ``--warmup-rows`` first (not counted), then
``--rows`` rows for each way in turn, ``--rounds`` times (the order of the ways turned each
round, so the graph grows under every way alike). A way (``--ways``, VALUE/BATCH[/sorted]):

- VALUE: DELTA_MAX_PENDING_CHANGES during its batches (FalkorDB merges a delta matrix of
  pending changes into its main matrix once it holds that many);
- BATCH: rows a statement;
- sorted: each batch's rows in the order of their source's internal id (else the set's order).

Each way's batches are followed by a merge of every change they left pending (timed and counted
in the way: its whole cost). Per way: the wall time a row (parameter text included) and
FalkorDB's own "internal execution time" a row, over the rounds; then one GRAPH.PROFILE of a
batch of each way (FalkorDB's operators and their milliseconds).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402

SETTING = "DELTA_MAX_PENDING_CHANGES"
ROLE = ["review", "role"]


def loaded(store: Any, g: dict, every: int) -> float:
    """The set offline (GRAPH.BULK) but every ``every``-th INVOLVED row, its indexes built; seconds."""
    from dhrkg.graph.bulk import substring_streams

    involved = g["involved"]
    g = {**g, "involved": qbench.Rerun(lambda: (r for i, r in enumerate(involved) if i % every))}
    t0 = time.perf_counter()
    store._graph.delete()
    store.bulk_insert(substring_streams(scale.streams(g), store.dialect))
    store.ensure_schema()
    store.wait_for_indexes()
    return time.perf_counter() - t0


def ids_of(store: Any, label: str, keys: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(keys), 20_000):
        rows = store.query(f"UNWIND $k AS k MATCH (n:{label} {{key: k}}) RETURN k, id(n)",  # cypher-lint: allow internal-id
                           {"k": keys[i:i + 20_000]}).rows
        out.update(dict(rows))
    return out


def positional_rows(store: Any, g: dict, n: int, every: int) -> list[list]:
    """The first ``n`` INVOLVED rows held back (every ``every``-th) as the loader sends them by id."""
    rows = list(itertools.islice((r for i, r in enumerate(g["involved"]) if not i % every), n))
    people = ids_of(store, "Person", sorted({r["from"] for r in rows}))
    events = ids_of(store, "Event", sorted({r["to"] for r in rows}))
    return [[people[r["from"]], events[r["to"]], r["from"], r["to"], "synth", r["role"]] for r in rows]


def internal_ms(reply: list) -> float:
    for s in reply[-1]:
        s = s.decode() if isinstance(s, bytes) else str(s)
        if s.startswith("Query internal execution time"):
            return float(s.split(":")[1].split()[0])
    return 0.0


def send(store: Any, rows: list[list], profile: bool = False) -> tuple[float, float, Any]:
    from dhrkg.graph.falkordb.bulk_ends import by_id_statement
    from dhrkg.graph.falkordb.params import header

    t0 = time.perf_counter()
    text = header({"rows": rows}) + by_id_statement("INVOLVED", ROLE)
    reply = store._redis.execute_command("GRAPH.PROFILE" if profile else "GRAPH.QUERY", store.graph_name, text,
                                         *([] if profile else ["--compact"]))
    wall = time.perf_counter() - t0
    if profile:
        return wall, 0.0, [x.decode() if isinstance(x, bytes) else str(x) for x in reply]
    if reply[1][0][0][1] != len(rows):
        raise SystemExit(f"a batch made {reply[1][0][0][1]} of {len(rows)}")
    return wall, internal_ms(reply), None


def settle(store: Any, row: list) -> tuple[float, float]:
    """Merge every pending change into the main matrices (the setting at 1, one more row, reads
    that fetch the matrices): what a way left pending is paid by that way. Wall s, engine ms."""
    store._redis.execute_command("GRAPH.CONFIG", "SET", SETTING, 1)
    wall, internal, _ = send(store, [row])
    t0 = time.perf_counter()
    for q in ("MATCH (a)-[e:INVOLVED]->() WHERE id(a) = 0 RETURN count(e)",  # cypher-lint: allow internal-id
              "MATCH (a)-->() WHERE id(a) = 0 RETURN count(a)"):  # cypher-lint: allow internal-id
        internal += internal_ms(store._redis.execute_command("GRAPH.QUERY", store.graph_name, q, "--compact"))
    return wall + time.perf_counter() - t0, internal


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--ways", default="10000/5000,1000000/5000,10000/20000,1000000/20000,10000/5000/sorted",
                    help="VALUE/BATCH[/sorted], comma-separated")
    ap.add_argument("--rows", type=int, default=40_000, help="rows a way sends each round")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--warmup-rows", type=int, default=20_000, help="rows sent first, not counted")
    ap.add_argument("--hold-every", type=int, default=3, help="every N-th INVOLVED row held back from the load")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    args = ap.parse_args(argv)
    ways = [tuple(w.split("/")) for w in args.ways.split(",")]
    g = qbench.synth_streams(args.people, 1, args.cache)
    start = os.getloadavg()[0]
    out = []
    with scale.engine("falkordb", "") as (store, data, pid):
        secs = loaded(store, g, args.hold_every)
        counts = store.query("MATCH ()-[e:INVOLVED]->() RETURN count(e)").rows[0][0]
        out.append(f"people {args.people:,}: offline load {secs:.0f} s, {counts:,} INVOLVED; load average {start:.1f}")
        need = args.warmup_rows + (args.rows + 1) * len(ways) * args.rounds + sum(int(w[1]) for w in ways) + 1
        held = iter(positional_rows(store, g, need, args.hold_every))
        stats: dict[tuple, list[tuple[float, float, int]]] = {w: [] for w in ways}
        warm = list(itertools.islice(held, args.warmup_rows))  # not counted: the first batches after the load
        for i in range(0, len(warm), 5000):
            send(store, warm[i:i + 5000])
        settle(store, next(held))
        for rnd in range(args.rounds):
            for w in (ways if rnd % 2 == 0 else ways[::-1]):
                value, batch = int(w[0]), int(w[1])
                store._redis.execute_command("GRAPH.CONFIG", "SET", SETTING, value)
                rows = list(itertools.islice(held, args.rows))
                if len(rows) < args.rows:
                    raise SystemExit(f"too few rows held back: a smaller --hold-every than {args.hold_every}")
                rows.sort(key=(lambda r: (r[0], r[1])) if "sorted" in w else (lambda r: 0))
                wall = internal = 0.0
                for i in range(0, len(rows), batch):
                    a, b, _ = send(store, rows[i:i + batch])
                    wall += a
                    internal += b
                a, b = settle(store, next(held))
                stats[w].append((wall + a, internal + b, len(rows)))
                print(f"round {rnd} {'/'.join(w)}: {wall:.2f} s wall, {internal / 1000:.2f} s engine", file=sys.stderr)
        store._redis.execute_command("GRAPH.CONFIG", "SET", SETTING, 10_000)
        counts = store.query("MATCH ()-[e:INVOLVED]->() RETURN count(e)").rows[0][0]
        out += [f"{counts:,} INVOLVED at the end; load average {os.getloadavg()[0]:.1f}", "",
                f"| {SETTING} | batch | rows | wall µs a row | engine µs a row | wall vs first | engine vs first |",
                "|---:|---:|---|---:|---:|---:|---:|"]
        first = None
        for w in ways:
            wall = sum(s[0] for s in stats[w]) / sum(s[2] for s in stats[w]) * 1e6
            eng = sum(s[1] for s in stats[w]) / sum(s[2] for s in stats[w]) * 1e3
            first = first or (wall, eng)
            out.append(f"| {int(w[0]):,} | {int(w[1]):,} | {'sorted by source id' if 'sorted' in w else 'as the set'} | "
                       f"{wall:.1f} | {eng:.1f} | {first[0] / wall:.2f}x | {first[1] / eng:.2f}x |")
        for w in ways:
            store._redis.execute_command("GRAPH.CONFIG", "SET", SETTING, int(w[0]))
            rows = list(itertools.islice(held, int(w[1])))
            rows.sort(key=(lambda r: (r[0], r[1])) if "sorted" in w else (lambda r: 0))
            _, _, prof = send(store, rows, profile=True)
            out += ["", f"GRAPH.PROFILE, {'/'.join(w)}:", "```", *prof, "```"]
        store._redis.execute_command("GRAPH.CONFIG", "SET", SETTING, 10_000)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
