"""Every canned query before issue 17 and now, on one graph: the same rows, and no slower.

    .venv/bin/python bench/before_after.py --people 100000 --backend both

For N people (the synthetic national set of bench/queries.py), on each engine: the loading
before issue 17 (bench/scale.py's ``before``: batches of 5,000 rows, one at a time), then on
an empty graph (``--offline``, FalkorDB: the offline load, GRAPH.BULK, then) the online bulk
loader now (bench/scale.py's ``bulk``, summaries included);
then, on that one graph, every canned query of the library twice, with its text as it was at
``--before`` (``git show cd4a40e:graph/queries/NAME.cypher``, read from git) and with its text
now, for each of its parameter sets (bench/queries.py's, at most ``--sets`` of them; a query
the synthetic set has no parameters for runs with a value that finds nothing). The two run one
after the other, ``--repeat`` times a set (scans: a third of it), after one run that gives the
rows. Printed: rows before and now, whether they are the same (find-person's row limit, new in
issue 17: the rows now are the first rows before, and all of them with the limit off), p50/p95
of each text and now/before (under 1: faster now), and whether the engine's text changed (a
ratio away from 1 for an unchanged text is the machine's noise, or the graph's new indexes
helping both). Also, right after the load before and on its graph (no summaries, no
Person.find_text: the graph of before issue 17 but for the store's indexes), each text before
runs alone ("before, graph loaded before"), and its rows are compared with the rows now. A
query new since then has no "before". ``--no-queries``: the loads only.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402

BEFORE_COMMIT = "cd4a40e"  # main before issue 17's first change
#: What a query without a parameter set from bench/queries.py is given, by parameter type:
#: a value that finds nothing in the synthetic set (linked-* read Record nodes it has none of).
PLACEHOLDER = {"string": "no-such-record", "integer": 1, "date": "2020", "list": ["no-such-record"]}


def old_library(commit: str, dest: Path) -> Any:
    """The canned queries of ``commit`` (its graph/queries folder, read from git)."""
    from dhrkg.graph import canned

    tar = subprocess.run(["git", "-C", str(REPO), "archive", commit, "graph/queries"],
                         check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: no path outside dest, no links out
            t.extractall(dest, filter="data")
        else:
            t.extractall(dest)  # our own repository's files
    found, problems = canned.load_folder(dest / "graph" / "queries", origin=f"git {commit}")
    if problems:
        raise SystemExit(f"{commit}: {problems[0]}")
    return {q.name: q for q in found}


def placeholder_set(q: Any) -> tuple[list, dict]:
    return [PLACEHOLDER.get(p.type, "no-such-record") for p in q.positional if p.required], {}


def known(q: Any, named: dict) -> dict:
    """``named`` without the parameters ``q`` does not take (find-person's limit is new)."""
    return {k: v for k, v in named.items() if any(p.name == k for p in q.parameters)}


def same(verdict_text: str) -> bool:
    """Whether a verdict says the rows now are the rows before (up to a row limit), in order."""
    return verdict_text == "same" or verdict_text.startswith("same: first")


def runner(store: Any, q: Any, params: dict) -> Callable[[], list]:
    from dhrkg.graph import canned

    return lambda: canned.run(store, q, params, timeout_ms=600_000).rows


def verdict(q: Any, store: Any, params: dict, old: list, new: list) -> str:
    """'same', or how and why the rows differ."""
    from dhrkg.graph import canned

    if old == new:
        return "same"
    limit = canned.row_limit(q, params)
    if limit is not None and new == old[:limit]:
        unlimited = canned.run(store, q, {**params, canned.LIMIT_PARAMETER: 0}, timeout_ms=600_000).rows
        return f"same: first {limit} (row limit), all with limit 0" if unlimited == old else \
            "DIFFERENT with limit 0"
    if sorted(map(repr, old)) == sorted(map(repr, new)):
        return "same rows, OTHER ORDER"
    return f"DIFFERENT ({len(old) - len(new):+d} rows before)" if len(old) != len(new) else "DIFFERENT values"


def old_graph_times(store: Any, old_q: Any, sets: list, repeat: int) -> dict[str, Any]:
    """The text before on the graph as the loading before issue 17 left it (no summaries, no
    Person.find_text): rows of each set, and the times (ms) of ``repeat`` runs a set."""
    from dhrkg.graph import canned

    rows, times = [], []
    for positional, named in sets:
        run = runner(store, old_q, canned.bind(old_q, known(old_q, named), positional))
        rows.append(run())
        for _ in range(repeat):
            t0 = time.perf_counter()
            run()
            times.append((time.perf_counter() - t0) * 1000)
    return {"rows": rows, "times": times}


def compare_query(store: Any, name: str, new_q: Any, old_q: Any, sets: list, repeat: int,
                  baseline: dict[str, Any] | None = None) -> dict[str, Any]:
    """Before and now on each parameter set: rows, verdict, times (ms) of each way; with the
    ``baseline`` of :func:`old_graph_times`, its p50/p95 and the verdict of its rows too."""
    from dhrkg.graph import canned

    times: dict[str, list[float]] = {"before": [], "now": [], "old_graph": baseline["times"] if baseline else []}
    out: dict[str, Any] = {"query": name, "sets": len(sets), "rows_before": 0, "rows_now": 0, "verdicts": [],
                           "text": "new" if old_q is None else
                           "same" if old_q.text_for(store.backend) == new_q.text_for(store.backend) else "changed"}
    for positional, named in sets:
        ways = {"now": (new_q, canned.bind(new_q, named, positional))}
        if old_q is not None:
            ways["before"] = (old_q, canned.bind(old_q, known(old_q, named), positional))
        runs = {way: runner(store, q, params) for way, (q, params) in ways.items()}
        rows = {way: run() for way, run in runs.items()}
        out["rows_now"] += len(rows["now"])
        if old_q is not None:
            out["rows_before"] += len(rows["before"])
            out["verdicts"].append(verdict(new_q, store, ways["now"][1], rows["before"], rows["now"]))
        if baseline:
            out.setdefault("verdicts_old_graph", []).append(
                verdict(new_q, store, ways["now"][1], baseline["rows"][len(out["verdicts_old_graph"])], rows["now"]))
        for i in range(repeat):  # one after the other, taking turns at going first
            for way, run in (list(runs.items()) if i % 2 else list(runs.items())[::-1]):
                t0 = time.perf_counter()
                run()
                times[way].append((time.perf_counter() - t0) * 1000)
    for way, xs in times.items():
        if xs:
            out[f"{way}_p50"], out[f"{way}_p95"] = qbench.percentile(xs, .5), qbench.percentile(xs, .95)
    print(f"  {name}: {summary_cells(out)}", file=sys.stderr)
    return out


def plan(store: Any, g: dict[str, Any], args: Any) -> list[tuple[Any, list, int]]:
    """(query, its parameter sets, runs a set) of every canned query (``--only``)."""
    from dhrkg.graph import canned

    only = {x.strip() for x in args.only.split(",") if x.strip()}
    sets = qbench.parameter_sets(store, g, random.Random(1), args.sets)
    out = []
    for q in canned.load_library(include_user=False):
        if only and q.name not in only:
            continue
        scan = q.name in qbench.GLOBAL_SCANS or q.scope == "national"
        out.append((q, sets.get(q.name, [])[:args.sets] or [placeholder_set(q)], max(3, args.repeat // 3) if scan else args.repeat))
    return out


def compare_all(store: Any, planned: list, old: dict[str, Any], baselines: dict[str, Any]) -> list[dict[str, Any]]:
    return [compare_query(store, q.name, q, old.get(q.name), chosen, runs, baselines.get(q.name))
            for q, chosen, runs in planned]


def baselines_on_old_graph(store: Any, planned: list, old: dict[str, Any]) -> dict[str, Any]:
    """:func:`old_graph_times` of every query that has a text before."""
    out = {}
    for q, chosen, runs in planned:
        if q.name in old:
            out[q.name] = old_graph_times(store, old[q.name], chosen, runs)
            print(f"  {q.name} before, on the graph loaded before: p50 "
                  f"{qbench.percentile(out[q.name]['times'], .5):,.1f} ms", file=sys.stderr)
    return out


def loads(store: Any, g: dict[str, Any], args: Any, after_before: Callable[[], None] = lambda: None) -> dict[str, Any]:
    """The 100k load before issue 17 and now (online bulk), each into an empty graph; the graph
    of the load now is kept for the queries. ``after_before`` runs on the graph of the load before."""
    ways = {"before": lambda: scale.before(store, g), "now": lambda: scale.bulk(store, g, args.batch, args.in_flight),
            "now, offline": lambda: scale.offline_falkordb(store, g)}
    order = [] if args.no_before_load else ["before"]
    if args.offline and store.backend == "falkordb":  # Neo4j's needs a stopped server: bench/scale.py --offline
        order.append("now, offline")
    order = ["now", *order] if args.now_first else [*order, "now"]
    res: dict[str, Any] = {}
    for i, way in enumerate(order):
        if i:
            store.clear()
        res[way] = ways[way]()
        print(f"  load {way}: {res[way]}", file=sys.stderr)
        if way == "before":
            after_before()
    return res


def summary_cells(r: dict[str, Any]) -> str:
    """now/before p50 ratio and the verdicts in words."""
    if "now_p50" not in r:  # not timed
        return f"rows {set(r['verdicts'])}"
    if "before_p50" not in r:
        return f"new since {BEFORE_COMMIT}: now p50 {r['now_p50']:,.1f} ms"
    return f"now/before p50 {r['now_p50'] / max(r['before_p50'], 1e-9):.2f}; rows {set(r['verdicts'])}"


def old_graph_cells(r: dict[str, Any]) -> str:
    if "old_graph_p50" not in r:
        return " |"
    return (f"{r['old_graph_p50']:,.1f} / {r['old_graph_p95']:,.1f}, {'; '.join(sorted(set(r['verdicts_old_graph'])))} | "
            f"{r['now_p50'] / max(r['old_graph_p50'], 1e-9):.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--backend", choices=["falkordb", "neo4j", "both"], default="both")
    ap.add_argument("--before", default=BEFORE_COMMIT, help="the commit whose query texts are 'before'")
    ap.add_argument("--repeat", type=int, default=10, help="runs of each text a parameter set (scans: a third)")
    ap.add_argument("--sets", type=int, default=5, help="at most this many parameter sets a query")
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--in-flight", type=int, default=2)
    ap.add_argument("--no-before-load", action="store_true", help="skip the load before issue 17")
    ap.add_argument("--now-first", action="store_true",
                    help="the load now before the load before (the order's effect); with --no-queries only")
    ap.add_argument("--no-queries", action="store_true", help="the loads only")
    ap.add_argument("--offline", action="store_true", help="FalkorDB: also the offline load (GRAPH.BULK), before the online one")
    ap.add_argument("--neo4j-heap", default="3g")
    ap.add_argument("--neo4j-pagecache", default="512m")
    ap.add_argument("--only", default="", help="comma-separated query names")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    args = ap.parse_args(argv)
    if args.now_first and not args.no_queries:
        ap.error("--now-first leaves the graph of the load before: use it with --no-queries")
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    scale.neo4j_server.PAGECACHE = args.neo4j_pagecache
    args.cache.mkdir(parents=True, exist_ok=True)
    g = qbench.synth_streams(args.people, 1, args.cache)
    g["people_count"] = sum(1 for _ in g["persons"])
    out: dict[str, Any] = {"people": args.people, "load_average_start": os.getloadavg(), "engines": {}}
    with tempfile.TemporaryDirectory(prefix="dhrkg-before-") as tmp:
        old = old_library(args.before, Path(tmp))
        for b in ["falkordb", "neo4j"] if args.backend == "both" else [args.backend]:
            print(f"{b}:", file=sys.stderr)
            with scale.engine(b, args.neo4j_heap) as (store, _data, _pid):
                kept: dict[str, Any] = {}

                def on_old_graph() -> None:
                    if not args.no_queries:
                        kept["plan"] = plan(store, g, args)
                        kept["baselines"] = baselines_on_old_graph(store, kept["plan"], old)
                res = {"loads": loads(store, g, args, on_old_graph)}
                res["queries"] = [] if args.no_queries else \
                    compare_all(store, kept.get("plan") or plan(store, g, args), old, kept.get("baselines", {}))
            out["engines"][b] = res
    out["load_average_end"] = os.getloadavg()
    print(report(out, args))
    return 0


def report(out: dict[str, Any], args: Any) -> str:
    avg = lambda a: " / ".join(f"{x:.1f}" for x in a)  # noqa: E731
    lines = [f"people {out['people']:,}; load average (1/5/15 min) {avg(out['load_average_start'])} at the start, "
             f"{avg(out['load_average_end'])} at the end; query texts before: {args.before}", "",
             "| engine | load | node rows/s | relationship rows/s | load s (summaries s) |", "|---|---|---:|---:|---:|"]
    for b, res in out["engines"].items():
        for way, r in res["loads"].items():
            lines.append(f"| {b} | {way} | {scale.rate(r['node_rows'], r['node_s'])} | "
                         f"{scale.rate(r['edge_rows'], r['edge_s'])} | {r['total_s']:.1f} ({r.get('summaries_s', 0):.1f}) |")
    for b, res in ((b, res) for b, res in out["engines"].items() if res["queries"]):
        lines += ["", f"{b}: every canned query, its text before and now, on the same graph", "",
                  "| query | text | sets | rows before (now) | rows | before p50 / p95 ms | now p50 / p95 ms | now / before p50 "
                  "| before, graph loaded before: p50 / p95 ms, rows | now / that p50 |",
                  "|---|---|---:|---:|---|---:|---:|---:|---:|---:|"]
        for r in res["queries"]:
            if "before_p50" not in r:
                lines.append(f"| {r['query']} | new | {r['sets']} | new ({r['rows_now']:,}) | | | "
                             f"{r['now_p50']:,.1f} / {r['now_p95']:,.1f} | |")
                continue
            verdicts = "; ".join(sorted(set(r["verdicts"])))
            lines.append(f"| {r['query']} | {r['text']} | {r['sets']} | {r['rows_before']:,} ({r['rows_now']:,}) | {verdicts} | "
                         f"{r['before_p50']:,.1f} / {r['before_p95']:,.1f} | {r['now_p50']:,.1f} / {r['now_p95']:,.1f} | "
                         f"{r['now_p50'] / max(r['before_p50'], 1e-9):.2f} | {old_graph_cells(r)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
