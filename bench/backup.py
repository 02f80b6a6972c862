"""Backup and restore time against reloading the case files (the naive way to rebuild a graph).

    .venv/bin/python bench/backup.py [--reviews 60] [--engines falkordb,neo4j]

Loads copies of the gold case files (each its own review id, as bench/load.py does) into a fresh
FalkorDB server (temporary data directory) and/or Neo4j (NEO4J_URI if set, else the test
launcher), then times ``dhrkg.graph.backup.backup`` and ``restore`` (into the emptied graph)
against loading every review again. Checks that the restored graph has the same counts.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import review_copies  # noqa: E402

from dhrkg.graph.backup import backup, restore  # noqa: E402


def run(store, reviews, directory: Path) -> dict[str, float]:
    store.clear()
    t0 = time.perf_counter()
    for rows in reviews:
        store.load_rows(rows)
    reload_s = time.perf_counter() - t0
    stats = store.stats()
    t0 = time.perf_counter()
    manifest = backup(store, directory)
    backup_s = time.perf_counter() - t0
    store.clear()
    t0 = time.perf_counter()
    restore(store, directory)
    restore_s = time.perf_counter() - t0
    assert store.stats() == stats == manifest.stats
    rows = sum(stats["nodes"].values()) + sum(stats["relationships"].values())
    return {"rows": rows, "reload_s": reload_s, "backup_s": backup_s, "restore_s": restore_s,
            "bytes": (directory / "graph.jsonl").stat().st_size}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reviews", type=int, default=60)
    ap.add_argument("--engines", default="falkordb")
    args = ap.parse_args()
    reviews = review_copies(args.reviews)
    for engine in args.engines.split(","):
        with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
            if engine == "falkordb":
                from dhrkg.graph.falkordb import FalkorDBStore, server

                store = FalkorDBStore(Path(tmp) / "db", graph="bench")
                stack.callback(server.stop, Path(tmp) / "db")
            else:
                sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
                from support.neo4j_server import neo4j_connection

                from dhrkg.config import Neo4jSettings
                from dhrkg.graph.neo4j import Neo4jStore

                c = stack.enter_context(neo4j_connection())
                store = Neo4jStore(Neo4jSettings(c.uri, c.user, c.password, c.database))
            stack.callback(store.close)
            r = run(store, reviews, Path(tmp) / "backup")
            print(f"{engine}: {args.reviews} reviews, {r['rows']:,} rows, backup {r['bytes'] / 1e6:.1f} MB: "
                  f"backup {r['backup_s']:.2f} s, restore {r['restore_s']:.2f} s, reloading the case files "
                  f"{r['reload_s']:.2f} s (restore/reload = {r['restore_s'] / r['reload_s']:.2f})")


if __name__ == "__main__":
    main()
