"""FalkorDB's DELTA_MAX_PENDING_CHANGES during the online bulk load: rows/s, memory, reads after.

    flock /work/wt/bench.lock .venv/bin/python bench/falkordb_delta.py --people 100000
    flock /work/wt/bench.lock .venv/bin/python bench/falkordb_delta.py --people 1000000 --values 10000,1000000

FalkorDB keeps each label and relationship matrix as a main matrix and two delta matrices of
pending additions and deletions; a write that leaves a delta with at least
DELTA_MAX_PENDING_CHANGES entries (default 10,000) merges it into the main matrix, a cost in
proportion to the main matrix's size (FalkorDB's src/graph/delta_matrix/delta_wait.c).

For each value of ``--values`` (each with each ``--batch``), in a fresh embedded server: the
synthetic national set of bench/scale.py through dhrkg.graph.bulk.bulk_load with the setting in
force for the load only (put back to the server's default before the summaries, as a store
would), then the summaries (as ``dhrkg bulk-load`` does), then at once the national scans and
the person-centred canned queries, p50/p95 (bench/queries.py's parameters and timing). Reported
per way: node and relationship rows/s, each relationship stream's seconds, the whole load,
the engine's peak resident memory, and whether the graph and every query's rows are the same as
the first way's (counts per label and type, every Person's and PARTNER_OF's properties; each
query's rows for its first parameter sets). The ways run in the order given, then (``--repeat
2``) reversed, in new servers each time; the best load of each is reported.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import online_steps  # noqa: E402
import queries as qbench  # noqa: E402
import scale  # noqa: E402

SETTING = "DELTA_MAX_PENDING_CHANGES"
#: the canned queries timed after each load: the national scans and the person-centred ones
TIMED = sorted((qbench.GLOBAL_SCANS | qbench.PERSON_CENTRED) - {"reviews"})


def setting(store: Any) -> int:
    return int(store._redis.execute_command("GRAPH.CONFIG", "GET", SETTING)[1])


@contextlib.contextmanager
def pending_changes(store: Any, value: int) -> Iterator[None]:
    """``store``'s bulk sessions with the setting at ``value`` (the server's own put back after)."""
    own = type(store).bulk_session

    @contextlib.contextmanager
    def session(*a: Any, **k: Any) -> Iterator[Any]:
        before = setting(store)
        store._redis.execute_command("GRAPH.CONFIG", "SET", SETTING, value)
        try:
            with own(store, *a, **k) as send:
                yield send
        finally:
            store._redis.execute_command("GRAPH.CONFIG", "SET", SETTING, before)

    store.bulk_session = session
    try:
        yield
    finally:
        del store.bulk_session


def load(store: Any, g: dict[str, Any], value: int, batch: int, in_flight: int | None) -> dict[str, Any]:
    """The bulk load with the setting at ``value``, then the summaries (timed apart)."""
    from dhrkg.graph.bulk import bulk_load

    with pending_changes(store, value):
        r = bulk_load(store, scale.streams(g), batch_size=batch, in_flight=in_flight)
    t0 = time.perf_counter()
    for review in store.stale_reviews():
        store.summarise(review, substrings_in_rows=True)  # bulk_load made them
    summaries = time.perf_counter() - t0
    return {"node_rows": r.rows("node") + r.rows("area"),
            "node_s": r.seconds_of("node") + r.seconds_of("area") + r.index_seconds, "index_s": r.index_seconds,
            "edge_rows": r.rows("edge"), "edge_s": r.seconds_of("edge"), "load_s": r.seconds,
            "streams": {s.name: round(s.seconds, 2) for s in r.streams if s.kind == "edge"},
            "summaries_s": summaries}


def rows_digest(store: Any, sets: dict[str, list], per_query: int = 2) -> dict[str, str]:
    """Each timed query's rows (its first ``per_query`` parameter sets), as a digest."""
    from dhrkg.graph import canned

    out = {}
    for q in canned.load_library(include_user=False):
        if q.name not in TIMED or not sets.get(q.name):
            continue
        rows = [canned.run(store, q, canned.bind(q, named, args), timeout_ms=600_000).rows
                for args, named in sets[q.name][:per_query]]
        out[q.name] = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return out


def one_way(g: dict[str, Any], value: int, batch: int, args: Any) -> dict[str, Any]:
    """A load in a fresh server, then the queries at once; figures, graph and rows."""
    with scale.engine("falkordb", "") as (store, data, pid):
        la = os.getloadavg()[0]
        res = load(store, g, value, batch, args.in_flight)
        res["peak_rss_bytes"] = scale.peak_rss(pid)
        res["used_memory_bytes"] = scale.engine_memory(store)
        res["setting_after"] = setting(store)
        sets = qbench.parameter_sets(store, g, random.Random(1), 40)
        res["queries"] = {q["query"]: q for q in qbench.measure(store, sets, args.repeat_queries, 2, set(TIMED))}
        res["graph"] = online_steps.counts(store)
        res["rows"] = rows_digest(store, sets)
        res["load_average"] = f"{la:.1f} to {os.getloadavg()[0]:.1f}"
        return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--values", default="10000,100000,1000000", help=f"{SETTING} values, the first the reference")
    ap.add_argument("--batch", default="5000", help="rows a batch, comma-separated: each value with each")
    ap.add_argument("--in-flight", type=int, default=None, help="default: the store's")
    ap.add_argument("--repeat", type=int, default=1, help="the ways in order, then reversed, ...; best load kept")
    ap.add_argument("--repeat-queries", type=int, default=20, help="timed runs a query (a tenth for scans, at least 3)")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    g = qbench.synth_streams(args.people, 1, args.cache)
    ways = [(int(v), int(b)) for v in args.values.split(",") for b in args.batch.split(",")]
    start = os.getloadavg()[0]
    best: dict[tuple[int, int], dict] = {}
    for i in range(args.repeat):
        for way in (ways if i % 2 == 0 else ways[::-1]):
            print(f"{SETTING} {way[0]:,}, batch {way[1]:,}: loading", file=sys.stderr)
            res = one_way(g, *way, args)
            print(f"{way}: { {k: v for k, v in res.items() if k not in ('queries', 'rows', 'graph')} }", file=sys.stderr)
            if way not in best or res["load_s"] < best[way]["load_s"]:
                best[way] = res
    end = os.getloadavg()[0]
    print(report(args.people, ways, best, start, end))
    if args.json:
        args.json.write_text(json.dumps({"people": args.people, "ways": [[*w, best[w]] for w in ways]}, indent=2,
                                        default=str))
    return 0


def report(people: int, ways: list, best: dict, start: float, end: float) -> str:
    ref = best[ways[0]]
    lines = [f"people {people:,}; load average {start:.1f} at the start, {end:.1f} at the end", "",
             f"| {SETTING} | batch | node rows/s | rel rows/s | relationships s | load s | summaries s | "
             "engine peak MiB | used MiB | vs first | same graph | same rows |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for w in ways:
        r = best[w]
        differ = [q for q in ref["rows"] if r["rows"].get(q) != ref["rows"][q]]
        lines.append(f"| {w[0]:,} | {w[1]:,} | {r['node_rows'] / r['node_s']:,.0f} | {r['edge_rows'] / r['edge_s']:,.0f} | "
                     f"{r['edge_s']:.1f} | {r['load_s']:.1f} | {r['summaries_s']:.1f} | "
                     f"{r['peak_rss_bytes'] / 2**20:,.0f} | {r['used_memory_bytes'] / 2**20:,.0f} | "
                     f"{ref['load_s'] / r['load_s']:.2f}x | {'yes' if r['graph'] == ref['graph'] else 'NO'} | "
                     f"{'yes' if not differ else 'NO: ' + ', '.join(differ)} |")
    lines += ["", "relationship streams, seconds:", "",
              "| stream | " + " | ".join(f"{w[0]:,} / {w[1]:,}" for w in ways) + " |",
              "|---|" + "---:|" * len(ways)]
    for name in ref["streams"]:
        lines.append(f"| {name} | " + " | ".join(f"{best[w]['streams'].get(name, 0):.1f}" for w in ways) + " |")
    lines += ["", "queries right after the load and its summaries, p50 / p95 ms:", "",
              "| query | " + " | ".join(f"{w[0]:,} / {w[1]:,}" for w in ways) + " |", "|---|" + "---:|" * len(ways)]
    for name, q in ref["queries"].items():
        cells = [f"{best[w]['queries'][name]['p50']:,.1f} / {best[w]['queries'][name]['p95']:,.1f}" for w in ways]
        lines.append(f"| {name} ({q['kind']}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
