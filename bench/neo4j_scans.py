"""The national scans before and after, on one kept Neo4j graph (issue 17, second round).

    .venv/bin/python bench/scale.py --people 100000 --backend neo4j --offline-only --no-queries \\
        --neo4j-heap 2g --neo4j-pagecache 1g --neo4j-keep DIR
    .venv/bin/python bench/neo4j_scans.py --people 100000 --data DIR --before e71626b
    flock /work/wt/bench.lock -c '.venv/bin/python bench/neo4j_scans.py --people 1000000 --data DIR ...'

Starts the launcher on the kept data directory (``--data``: a graph that bench/scale.py imported
and kept), then times, one after the other on that graph (alternating, after a warm-up run):
each national scan's Neo4j text at commit ``--before`` (git show) and its text now, checking that
both return the same rows; risk-not-shared's rows counted inside the engine (``CALL { ... }
RETURN count(*)``: the engine's work without sending the rows); find-person on common and
selective texts; then the person- and review-centred queries' p50/p95 (bench/queries.py's
measure). ``--profile`` prints Neo4j's PROFILE of the slow scans before and after (stderr).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402
from support import neo4j_server  # noqa: E402

SCANS = ("risk-not-shared", "incidents-without-risk-assessment", "serial-perpetrators",
         "referrals-not-actioned", "reviews", "agency-events")
FIND_TEXTS = ("Smith", "Jones", "Kaur", "former partner")
#: --find-only: the texts of bench/scans.py (common, rare, near the probe's cap)
FIND_ONLY_TEXTS = ("Smith", "Jones", "Kaur", "former partner", "ab", "Dennis Graham", "P00423094", "zzqx",
                   "Harvey", "Walker", "Thompson")
PROFILED = (("risk-not-shared", {"min_level": "high"}), ("incidents-without-risk-assessment", {}))


def text_at(commit: str, name: str) -> str:
    """The Neo4j text of query ``name`` at ``commit``: its .neo4j.cypher, else its portable text."""
    for path in (f"graph/queries/{name}.neo4j.cypher", f"graph/queries/{name}.cypher"):
        got = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=REPO, capture_output=True, text=True)
        if got.returncode == 0:
            return got.stdout
    raise SystemExit(f"no text for {name} at {commit}")


def with_text(q: Any, text: str) -> Any:
    return dataclasses.replace(q, variants={**q.variants, "neo4j": text})


def counted(q: Any) -> Any:
    """The query's rows counted in the engine, none sent (the same work but the reply)."""
    return with_text(q, "CALL {\n" + q.text_for("neo4j") + "\n}\nRETURN count(*) AS n")


def timed(ways: dict[str, Callable[[], Any]], repeat: int) -> dict[str, tuple[list, list[float]]]:
    """Each way once to warm up (its rows kept), then ``repeat`` rounds, the ways alternating."""
    rows = {w: run().rows for w, run in ways.items()}
    times: dict[str, list[float]] = {w: [] for w in ways}
    for _ in range(repeat):
        for w, run in ways.items():
            t0 = time.perf_counter()
            run()
            times[w].append((time.perf_counter() - t0) * 1000)
    return {w: (rows[w], times[w]) for w in ways}


def compare(store: Any, lib: Any, name: str, variants: list[tuple[list, dict]], before: str,
            repeat: int) -> list[dict[str, Any]]:
    from dhrkg.graph import canned

    q = lib.get(name)
    old = with_text(q, text_at(before, name))
    out = []
    for positional, named in variants:
        params = canned.bind(q, named, positional)
        ways = {"before": lambda: canned.run(store, old, params, timeout_ms=600_000),
                "after": lambda: canned.run(store, q, params, timeout_ms=600_000)}
        if name == "risk-not-shared":
            ways["count"] = lambda: canned.run(store, counted(q), params, timeout_ms=600_000)
        res = timed(ways, repeat)
        row = {"query": name, "args": positional or named, "rows": len(res["after"][0]),
               "same": res["before"][0] == res["after"][0]}
        for way, (_, times) in res.items():
            row[f"{way}_p50"], row[f"{way}_p95"] = qbench.percentile(times, .5), qbench.percentile(times, .95)
        print(row, file=sys.stderr)
        out.append(row)
    return out


def profile(store: Any, lib: Any, before: str, profiled: tuple = PROFILED) -> None:
    """Neo4j's PROFILE of the slow scans, the text before and now: operators, rows, db hits, ms."""
    from dhrkg.graph import canned

    for name, named, *positional in profiled:
        q = lib.get(name)
        params = canned.bind(q, named, positional)
        for way, text in (("before", text_at(before, name)), ("after", q.text_for("neo4j"))):
            with store._session(read=True) as s:
                summary = s.run("PROFILE " + text, params).consume()
            print(f"PROFILE {name} {way}:", file=sys.stderr)
            _print_plan(summary.profile, 0)


def _print_plan(op: dict, depth: int) -> None:
    args = op.get("args", {})
    ms = args.get("Time", 0) / 1e6
    print(f"{'  ' * depth}{op['operatorType']} rows={op.get('rows')} hits={op.get('dbHits')} {ms:.1f} ms "
          f"{args.get('Details', '')[:150]}", file=sys.stderr)
    for child in op.get("children", []):
        _print_plan(child, depth + 1)


def main(argv: list[str] | None = None) -> int:
    from dhrkg.graph import canned, open_store
    import random

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--data", type=Path, required=True, help="a Neo4j data directory kept by bench/scale.py")
    ap.add_argument("--before", default="e71626b", help="the commit whose query texts are 'before'")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--heap", default="4g")
    ap.add_argument("--pagecache", default="5g")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--find-only", action="store_true", help="find-person only, on more texts")
    args = ap.parse_args(argv)
    load_start = os.getloadavg()
    neo4j_server.JVM_OPTIONS[:] = [f"-Xmx{args.heap}", "-XX:+ExitOnOutOfMemoryError"]
    neo4j_server.PAGECACHE = args.pagecache
    g = None if args.find_only else qbench.synth_graph(args.people, 1, args.cache)
    launched = neo4j_server.LaunchedNeo4j(data_dir=args.data)
    try:
        c = launched.connection
        store = open_store("neo4j", neo4j_uri=c.uri, neo4j_user=c.user, neo4j_password=c.password,
                           neo4j_database=c.database)
        try:
            lib = canned.load_library(include_user=False)
            sets = {} if args.find_only else qbench.parameter_sets(store, g, random.Random(1), 40)
            sets["risk-not-shared"] = [([], {"min_level": "high"})]
            results = []
            for name in () if args.find_only else SCANS:
                results += compare(store, lib, name, (sets.get(name) or [([], {})])[:2], args.before, args.repeat)
            texts = FIND_ONLY_TEXTS if args.find_only else FIND_TEXTS
            results += compare(store, lib, "find-person", [([t], {}) for t in texts], args.before, args.repeat)
            centred = qbench.PERSON_CENTRED | qbench.REVIEW_CENTRED
            measured = [] if args.find_only else qbench.measure(store, sets, 20, 2, set(centred))
            if args.profile:
                profile(store, lib, args.before)
            if args.find_only:  # where the time goes: a common text, one near the probe's cap, nobody
                profile(store, lib, args.before, (("find-person", {}, "Smith"), ("find-person", {}, "Walker"),
                                                  ("find-person", {}, "zzqx")))
        finally:
            store.close()
    finally:
        launched.stop()
    load_end = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps({"scans": results, "centred": measured, "load": [load_start, load_end]},
                                        indent=1, default=str))
    print(report(results, measured, args.people, load_start[0], load_end[0]))
    return 0


def report(results: list[dict], measured: list[dict], people: int, start: float, end: float) -> str:
    lines = [f"people {people:,}; load average {start:.1f} at the start, {end:.1f} at the end", "",
             "| query | rows | same rows | before p50 / p95 ms | now p50 / p95 ms | rows counted, not sent p50 / p95 |",
             "|---|---:|---|---:|---:|---:|"]
    for r in results:
        args = f" {r['args']}" if r.get("args") else ""
        count = f"{r['count_p50']:,.1f} / {r['count_p95']:,.1f}" if "count_p50" in r else ""
        lines.append(f"| {r['query']}{args} | {r['rows']:,} | {r['same']} | {r['before_p50']:,.1f} / "
                     f"{r['before_p95']:,.1f} | {r['after_p50']:,.1f} / {r['after_p95']:,.1f} | {count} |")
    lines += ["", "| query | kind | p50 ms | p95 ms |", "|---|---|---:|---:|"]
    lines += [f"| {m['query']} | {m['kind']} | {m['p50']:,.1f} | {m['p95']:,.1f} |" for m in measured]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
