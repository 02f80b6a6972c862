"""Each summary rule's time, the rules before and now, on the same graph in the same run.

    flock /work/wt/bench.lock -c '.venv/bin/python bench/summaries.py --people 100000 --backend both'

Loads the synthetic national set (bench/queries.py; ONE review "synth" of N people) without its
summaries, online (dhrkg.graph.bulk) or offline (FalkorDB GRAPH.BULK; Neo4j neo4j-admin import,
whose store summarises when it opens: its summaries are then taken away before the timing).
Then, on that graph, alternately (``--rounds``):

- **before**: the steps of Store.summarise at commit BEFORE (graph/summaries.py there; on
  Neo4j put in transactions by graph/neo4j/summaries.py there);
- **now**: the steps Store.summarise runs now (:meth:`Store.summary_plan`);

each from a graph without summaries (a first summary after a bulk or offline load), and once
more each on the summarised graph (a re-summarise: a store opening a review of an older
version), every step timed on its own. The values each way leaves are compared (the same, or
the run fails). ``--profile``: GRAPH.PROFILE (FalkorDB) / PROFILE (Neo4j) of the costliest
steps before and now, written beside the JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402

REVIEW = "synth"
#: main at the start of this round: the rules and steps before this work
BEFORE = "b9b5d9c"

#: the properties the rules set on each label (find_text comes with the rows: kept)
RESET = {"Person": ("abused_partners",),
         "Event": ("shares", "first_assessment_from", "first_sharing_from", "any_sharing_after",
                   "summary_agency", "summary_persons", "summary_force_area")}


def reset_statements() -> list[Any]:
    """Statements that take every summary of REVIEW away (as a bulk or offline load leaves it)."""
    from dhrkg.graph.load import Statement

    out = [Statement(f"MATCH (n:{label} {{review: $review}}) SET " + ", ".join(f"n.{p} = NULL" for p in props),
                     {"review": REVIEW}, "reset") for label, props in RESET.items()]
    out.append(Statement("MATCH (r:Review {key: $review}) REMOVE r.summary_version", {"review": REVIEW}, "reset"))
    return out


def fingerprint(store: Any) -> str:
    """A digest of every summary value of REVIEW."""
    h = hashlib.sha256()
    for label, props in RESET.items():
        cols = ", ".join(f"n.{p}" for p in props)
        for row in store.query(f"MATCH (n:{label} {{review: $r}}) RETURN n.key, {cols} ORDER BY n.key",
                               {"r": REVIEW}).rows:
            h.update(json.dumps(row, default=str).encode())
    h.update(json.dumps(store.query("MATCH (r:Review {key: $r}) RETURN r.summary_version", {"r": REVIEW}).rows).encode())
    return h.hexdigest()[:16]


def before_steps(store: Any) -> list[Any]:
    before = scale.module_at(BEFORE, "graph/summaries.py", "dhrkg.graph")
    return before.summary_steps(REVIEW, store.dialect, True)


def now_steps(store: Any) -> list[Any]:
    return store.summary_plan(REVIEW, substrings_in_rows=True)


def timed_steps(store: Any, steps: list[Any]) -> list[dict[str, Any]]:
    out = []
    for st in steps:
        t0 = time.perf_counter()
        store._write_steps([st])
        out.append({"rule": " ".join(st.cypher.split())[:110], "s": time.perf_counter() - t0})
    return out


@contextlib.contextmanager
def batching_before(store: Any) -> Iterator[None]:
    """Neo4j: the rules put in transactions as at BEFORE (graph/neo4j/summaries.py there)."""
    if store.backend != "neo4j":
        yield
        return
    module = sys.modules[type(store).__module__]
    now = module.batched
    module.batched = scale.module_at(BEFORE, "graph/neo4j/summaries.py", "dhrkg.graph.neo4j").batched
    try:
        yield
    finally:
        module.batched = now


def one_round(store: Any, way: str, fresh: bool, check: bool) -> dict[str, Any]:
    if fresh:
        store._write_steps(reset_statements())
    steps = before_steps(store) if way == "before" else now_steps(store)
    t0 = time.perf_counter()
    with batching_before(store) if way == "before" else contextlib.nullcontext():
        rules = timed_steps(store, steps)
    res = {"way": way, "fresh": fresh, "total_s": time.perf_counter() - t0, "steps": len(steps), "rules": rules}
    if check:
        res["fingerprint"] = fingerprint(store)
    print(f"  {way:6} {'first' if fresh else 'again'}: {res['total_s']:6.2f} s in {len(steps)} steps "
          f"{res.get('fingerprint', '')}", file=sys.stderr)
    for r in rules:
        print(f"      {r['s']:6.2f} s  {r['rule']}", file=sys.stderr)
    return res


def compare(store: Any, rounds: int, check: bool = True) -> dict[str, Any]:
    runs = []
    for i in range(rounds):
        order = ("before", "now") if i % 2 == 0 else ("now", "before")
        for way in order:
            runs.append(one_round(store, way, fresh=True, check=check and i == 0))
    for way in ("before", "now"):  # on the summarised graph: the clear steps have work
        runs.append(one_round(store, way, fresh=False, check=check))
    prints = {r["fingerprint"] for r in runs if "fingerprint" in r}
    if len(prints) > 1:
        raise SystemExit(f"the summaries differ before and now: {prints}")
    return {"runs": runs}


def profile(store: Any, res: dict[str, Any], out: Path, top: int) -> None:
    """The plans of the ``top`` costliest steps of each way (first summaries), with their counts."""
    lines = []
    for way in ("before", "now"):
        first = [r for r in res["runs"] if r["way"] == way and r["fresh"]][0]["rules"]
        steps = before_steps(store) if way == "before" else None
        store._write_steps(reset_statements())
        steps = steps or now_steps(store)
        costly = sorted(range(len(steps)), key=lambda i: -first[i]["s"])[:top]
        for i, st in enumerate(steps):  # in order: each step sees what the ones before set
            if i in costly:
                lines += [f"== {store.backend} {way} step {i} ({first[i]['s']:.2f} s): {first[i]['rule']}",
                          plan(store, st), ""]
            else:
                store._write_steps([st])
    out.write_text("\n".join(lines))
    print(f"profiles: {out}", file=sys.stderr)


def plan(store: Any, st: Any) -> str:
    if store.backend == "falkordb":
        raw = store._graph.profile(st.cypher, st.params).plan  # lines with records and ms
        return "\n".join(x.decode() if isinstance(x, bytes) else str(x) for x in raw)
    with store._session() as session:
        summary = session.run("PROFILE " + st.cypher, st.params).consume()
    return neo4j_plan(summary.profile)


def neo4j_plan(p: dict[str, Any], depth: int = 0) -> str:
    args = p.get("args", {})
    line = (f"{'  ' * depth}{p['operatorType']} rows={p.get('rows')} dbHits={p.get('dbHits')} "
            f"time={args.get('Time', '')} {args.get('Details', '')}"[:200])
    return "\n".join([line] + [neo4j_plan(c, depth + 1) for c in p.get("children", [])])


@contextlib.contextmanager
def loaded(backend: str, way: str, g: dict[str, Any], heap: str) -> Iterator[tuple[Any, float]]:
    """(store, load seconds) on the synthetic set loaded ``way`` without summaries."""
    from dhrkg.graph.bulk import bulk_load, substring_streams

    if backend == "neo4j" and way == "offline":
        from dhrkg.graph import open_store

        scale.neo4j_server.JVM_OPTIONS[:] = [f"-Xmx{heap}", "-XX:+ExitOnOutOfMemoryError"]
        t0 = time.perf_counter()
        res, launched = scale.offline_neo4j(g, heap)  # its store summarised on opening
        try:
            c = launched.connection
            store = open_store("neo4j", neo4j_uri=c.uri, neo4j_user=c.user, neo4j_password=c.password,
                               neo4j_database=c.database)
            try:
                yield store, time.perf_counter() - t0
            finally:
                store.close()
        finally:
            launched.stop()
        return
    with scale.engine(backend, heap) as (store, _data, _pid):
        t0 = time.perf_counter()
        if way == "offline":
            store._graph.delete()
            store.bulk_insert(substring_streams(scale.streams(g), store.dialect))
            store.ensure_schema()
            store.wait_for_indexes()
        else:
            bulk_load(store, scale.streams(g))
            if hasattr(store, "wait_for_indexes"):  # FalkorDB builds some after the rows
                store.wait_for_indexes()
        yield store, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--backend", choices=["falkordb", "neo4j", "both"], default="both")
    ap.add_argument("--load", choices=["online", "offline", "both"], default="both")
    ap.add_argument("--rounds", type=int, default=2, help="first summaries each way (alternating order)")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="profile the N costliest steps each way")
    ap.add_argument("--no-check", action="store_true", help="do not compare the values (long at 1M)")
    ap.add_argument("--neo4j-heap", default="3g")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    g = qbench.synth_streams(args.people, 1, args.cache)
    out: dict[str, Any] = {"people": args.people, "load_average_start": os.getloadavg()[0], "results": []}
    print(f"load average {out['load_average_start']:.2f}", file=sys.stderr)
    for backend in ["falkordb", "neo4j"] if args.backend == "both" else [args.backend]:
        for way in ["online", "offline"] if args.load == "both" else [args.load]:
            print(f"{backend} {way}:", file=sys.stderr)
            with loaded(backend, way, g, args.neo4j_heap) as (store, load_s):
                res = {"engine": backend, "load": way, "load_s": load_s, **compare(store, args.rounds, not args.no_check)}
                if args.profile:
                    profile(store, res, (args.json or Path("summaries.json")).with_suffix(f".{backend}-{way}.plans.txt"),
                            args.profile)
            out["results"].append(res)
    out["load_average_end"] = os.getloadavg()[0]
    print(f"load average {out['load_average_end']:.2f}", file=sys.stderr)
    print(table(out))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


def table(out: dict[str, Any]) -> str:
    """Markdown: seconds of the summaries each way (best of the rounds), first and again."""
    lines = ["| engine | load | first summary before s | now s | ratio | again before s | now s | steps before / now |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in out["results"]:
        best = {(w, f): min(x["total_s"] for x in r["runs"] if x["way"] == w and x["fresh"] == f)
                for w in ("before", "now") for f in (True, False)}
        steps = {w: next(x["steps"] for x in r["runs"] if x["way"] == w) for w in ("before", "now")}
        lines.append(f"| {r['engine']} | {r['load']} | {best['before', True]:.2f} | {best['now', True]:.2f} | "
                     f"{best['before', True] / best['now', True]:.2f} | {best['before', False]:.2f} | "
                     f"{best['now', False]:.2f} | {steps['before']} / {steps['now']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
