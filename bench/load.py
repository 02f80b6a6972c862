"""Graph loading speed: batched UNWIND (dhrkg's loader) against one row per transaction.

    .venv/bin/python bench/load.py [--reviews 12] [--naive-reviews 2] [--repeat 3] [--engines falkordb,neo4j]

Loads copies of the gold case files (each copy its own review id) into a fresh FalkorDB server
(temporary data directory) and a Neo4j server (NEO4J_URI if set, else the test launcher in
tools/neo4j-launcher), first with ``store.load_rows`` (the whole review replaced atomically in
batched ``UNWIND $rows`` statements), then the naive way: the same statements with one row each,
each in its own transaction (``store._write``). Rows = nodes + relationships written. On FalkorDB
it also loads with ``appendfsync everysec`` to show what fsyncing every write costs. Prints
rows/s and the ratios; both ways must give the same counts.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

from dhrkg.graph.load import replace_statements  # noqa: E402
from dhrkg.graph.schema import GraphRows, case_rows  # noqa: E402
from dhrkg.model import load_case  # noqa: E402
from dhrkg.model.model import CaseFile  # noqa: E402


def review_copies(n: int) -> list[GraphRows]:
    """``n`` reviews: the gold files in turn, each copy with its own review id."""
    gold = [load_case(p) for p in sorted((REPO / "examples").glob("*.yaml"))]
    out = []
    for i in range(n):
        data = gold[i % len(gold)].to_data()
        data["review"]["id"] = f"{data['review']['id']}-copy{i}"
        out.append(case_rows(CaseFile.model_validate(data)))
    return out


def load_batched(store, reviews: list[GraphRows]) -> tuple[int, float]:
    t0 = time.perf_counter()
    for rows in reviews:
        store.load_rows(rows)
    return sum(r.row_count() for r in reviews), time.perf_counter() - t0


def load_naive(store, reviews: list[GraphRows]) -> tuple[int, float]:
    """One statement (and transaction) per row; deletes first, as the loader does."""
    t0 = time.perf_counter()
    n = 0
    for rows in reviews:
        for st in replace_statements(rows, batch_size=1):
            store._write(st.cypher, st.params)
            n += st.rows
    return n, time.perf_counter() - t0


def counts(store) -> tuple:
    s = store.stats()
    return s["nodes"], s["relationships"]


def best_batched(store, reviews, repeat: int) -> tuple[int, float]:
    """Best of ``repeat`` batched loads into an empty graph (the machine is shared: noise)."""
    best = None
    for _ in range(repeat):
        store.clear()
        rows, secs = load_batched(store, reviews)
        best = secs if best is None else min(best, secs)
    return rows, best


def bench_engine(name: str, store, reviews, naive_reviews, results: dict, repeat: int = 3) -> None:
    rows, secs = best_batched(store, reviews, repeat)
    batched = counts(store)
    results[(name, "batched")] = rows / secs
    print(f"{name:9s} batched UNWIND      {rows:7d} rows in {secs:7.2f}s = {rows / secs:9.0f} rows/s "
          f"({secs / len(reviews) * 1000:.0f} ms a review)")
    if name == "falkordb":
        store._redis.config_set("appendfsync", "everysec")
        rows_e, secs_e = best_batched(store, reviews, repeat)
        store._redis.config_set("appendfsync", "always")
        results[(name, "everysec")] = rows_e / secs_e
        print(f"{name:9s} batched, everysec   {rows_e:7d} rows in {secs_e:7.2f}s = {rows_e / secs_e:9.0f} rows/s "
              f"(fsync once a second: up to 1 s of loads lost on power failure)")
    store.clear()
    rows_n, secs_n = load_naive(store, naive_reviews)
    results[(name, "naive")] = rows_n / secs_n
    print(f"{name:9s} one row per tx     {rows_n:7d} rows in {secs_n:7.2f}s = {rows_n / secs_n:9.0f} rows/s")
    if name == "falkordb":
        store._redis.config_set("appendfsync", "everysec")
        store.clear()
        rows_ne, secs_ne = load_naive(store, naive_reviews)
        store._redis.config_set("appendfsync", "always")
        results[(name, "naive-everysec")] = rows_ne / secs_ne
        print(f"{name:9s} one row, everysec   {rows_ne:7d} rows in {secs_ne:7.2f}s = {rows_ne / secs_ne:9.0f} rows/s "
              f"(fsync per row costs {1 - (rows_n / secs_n) / (rows_ne / secs_ne):.0%})")
    store.clear()
    load_batched(store, naive_reviews)
    same = counts(store)
    store.clear()
    load_naive(store, naive_reviews)
    assert counts(store) == same, "the naive load gave a different graph"
    print(f"{name:9s} batched / naive = {results[(name, 'batched')] / results[(name, 'naive')]:.1f}x "
          f"(same counts both ways: {sum(same[0].values())} nodes, {sum(same[1].values())} relationships)")
    assert batched[0]["Review"] == len(reviews)


@contextlib.contextmanager
def falkordb_store():
    from dhrkg.graph.falkordb import FalkorDBStore, server

    with tempfile.TemporaryDirectory(prefix="dhrkg-bench-") as tmp:
        try:
            store = FalkorDBStore(Path(tmp) / "db", graph="bench")
            yield store
            store.close()
        finally:
            server.stop(Path(tmp) / "db")


@contextlib.contextmanager
def neo4j_store():
    import os

    from dhrkg.config import Neo4jSettings, neo4j_settings
    from dhrkg.graph.neo4j import Neo4jStore

    if os.environ.get("NEO4J_URI"):
        yield Neo4jStore(neo4j_settings())
        return
    sys.path.insert(0, str(REPO / "tests"))
    from support.neo4j_server import neo4j_connection

    with neo4j_connection() as c:
        store = Neo4jStore(Neo4jSettings(c.uri, c.user, c.password, c.database))
        yield store
        store.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reviews", type=int, default=12, help="reviews loaded the batched way (default 12)")
    ap.add_argument("--naive-reviews", type=int, default=2, help="reviews loaded one row at a time (default 2)")
    ap.add_argument("--engines", default="falkordb,neo4j")
    ap.add_argument("--repeat", type=int, default=3, help="batched loads timed this many times, best kept (default 3)")
    args = ap.parse_args(argv)
    reviews = review_copies(args.reviews)
    naive = reviews[: args.naive_reviews]
    print(f"{len(reviews)} reviews, {sum(r.row_count() for r in reviews)} rows "
          f"(naive: {len(naive)} reviews, {sum(r.row_count() for r in naive)} rows)")
    results: dict = {}
    for name in args.engines.split(","):
        opener = {"falkordb": falkordb_store, "neo4j": neo4j_store}[name]
        with opener() as store:
            # warm up: plans, caches, JIT (not timed)
            store.clear()
            load_batched(store, reviews[:1])
            for st in replace_statements(reviews[0], batch_size=1)[:80]:
                store._write(st.cypher, st.params)
            bench_engine(name, store, reviews, naive, results, args.repeat)
    if ("falkordb", "batched") in results and ("neo4j", "batched") in results:
        print(f"batched: falkordb / neo4j = {results[('falkordb', 'batched')] / results[('neo4j', 'batched')]:.1f}x")
    if ("falkordb", "everysec") in results:
        print(f"falkordb: appendfsync always costs {1 - results[('falkordb', 'batched')] / results[('falkordb', 'everysec')]:.0%} "
              "of batched throughput (one fsync per review)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
