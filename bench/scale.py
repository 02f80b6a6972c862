"""National scale: load the synthetic national set both ways and time every canned query.

    .venv/bin/python bench/scale.py --people 100000 --backend both
    .venv/bin/python bench/scale.py --people 1000000 --backend falkordb --no-before

For N people (the synthetic national set of bench/queries.py: people, incidents with DASH risk
assessments, agency contacts, partner and parent links, a review per planted serial
perpetrator, the three gold reviews), on each engine in one run:

- **naive**: one row per transaction (``store._write`` per row) on the first ``--naive-rows``
  Person rows and INVOLVED rows;
- **before**: the loading of bench/queries.py before issue 17 (batches of 5,000 rows, one
  statement at a time);
- **bulk**: the online bulk loader (dhrkg.graph.bulk: streamed rows, ``--batch`` rows a
  statement, ``--in-flight`` statements at once), then the summaries of every review
  (dhrkg.graph.summaries);
- **offline** (``--offline``): the engine's own import tool (dhrkg.graph.offline) into an empty
  graph: FalkorDB GRAPH.BULK; Neo4j the CSV files and ``neo4j-admin database import full`` (the
  launcher's copy) into a stopped database, then started; then indexes and summaries. Rows/s
  count the rows from the first byte written to the last row in the engine (Neo4j: writing the
  CSV files and the import);

and after the bulk load: store size on disk, the engine's peak resident memory, and p50/p95 of
every canned query (bench/queries.py's parameters and timing). Each load starts from an empty
graph. FalkorDB: a fresh embedded server in a temporary directory. Neo4j: the test launcher
(tools/neo4j-launcher, ``--neo4j-heap``), so that its memory and store can be measured.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import logging
import os
import random
import shutil
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
from support import neo4j_server  # noqa: E402


def streams(g: dict[str, Any]) -> list:
    """The synthetic set as bulk-loader streams (the same graph as qbench.load_graph writes)."""
    from dhrkg.graph.bulk import Stream, edge_stream, node_stream

    strip = lambda rows: ({k: v for k, v in r.items() if not k.startswith("_")} for r in rows)  # noqa: E731
    synth_review = {"key": "synth", "id": "synth", "review": "synth", "title": "Synthetic national records"}
    areas = ({"key": k, "kind": "police_force_area", "name": k.split(":", 1)[1]} for k in g["areas"])
    s = "synth"
    return [
        node_stream("Review", [*strip(g["reviews"]), synth_review]),
        node_stream("Person", iter(g["persons"])),
        node_stream("Agency", strip(g["agencies"])),
        node_stream("Event", iter(g["events"])),
        Stream("Area", "area", "Area", areas),
        edge_stream("SERVES", "Agency", "Area", ({"from": a["key"], "to": f"pfa:{a['_force']}", "props": {"review": s}}
                                                 for a in g["agencies"])),
        edge_stream("LOCATED_IN", "Review", "Area", ({"from": r["key"], "to": r["_area"], "props": {"review": r["key"]}}
                                                     for r in g["reviews"])),
        edge_stream("SUBJECT_OF", "Person", "Review", ({"from": x["from"], "to": x["to"],
                                                        "props": {"review": x["to"], "role": x["role"]}} for x in g["subjects"])),
        edge_stream("INVOLVED", "Person", "Event", ({"from": x["from"], "to": x["to"], "props": {"review": s, "role": x["role"]}}
                                                    for x in g["involved"])),
        edge_stream("RECORDED_BY", "Event", "Agency", ({"from": x["from"], "to": x["to"], "props": {"review": s}}
                                                       for x in g["recorded"])),
        edge_stream("LOCATED_IN", "Event", "Area", ({"from": x["from"], "to": x["to"], "props": {"review": s}}
                                                    for x in g["located"])),
        edge_stream("PARTNER_OF", "Person", "Person", ({"from": x["from"], "to": x["to"],
                                                        "props": {"review": s, "status": x["status"], "source": x["source"]}}
                                                       for x in g["partners"])),
        edge_stream("PARENT_OF", "Person", "Person", ({"from": x["from"], "to": x["to"], "props": {"review": s, "source": x["source"]}}
                                                      for x in g["parents"])),
    ]


def bulk_set_shape(store: Any, g: dict[str, Any], batch: int, in_flight: int) -> dict[str, float]:
    """The bulk load with the statements of before issue 17's round 5 on every engine
    (``SET n = row``: Dialect.bulk_statement, not the engine's own), without the summaries."""
    from dhrkg.graph.dialect import Dialect

    store.dialect.bulk_statement = Dialect.bulk_statement.__get__(store.dialect)
    try:
        return bulk(store, g, batch, in_flight, summarise=False)
    finally:
        del store.dialect.bulk_statement


def set_shape_load(store: Any, g: dict[str, Any], args: Any, res: dict[str, Any]) -> None:
    """--set-shape: the graph cleared, the bulk load with SET n = row, cleared again if first."""
    store.clear()
    print(f"{store.backend}: bulk load, SET n = row", file=sys.stderr)
    res["bulk_set_row"] = bulk_set_shape(store, g, args.batch, args.in_flight)
    print(f"{store.backend}: {res['bulk_set_row']}", file=sys.stderr)
    if args.set_shape == "first":
        store.clear()


def load_gold(store: Any) -> float:
    from dhrkg.model import load_case

    t0 = time.perf_counter()
    for f in sorted((REPO / "examples").glob("*.yaml")):
        store.load_case(load_case(f))
    return time.perf_counter() - t0


def naive(store: Any, g: dict[str, Any], n: int) -> dict[str, float]:
    """One row per transaction: n Person rows, then n INVOLVED rows between them and their events."""
    persons = list(itertools.islice(g["persons"], n))
    keys = {p["key"] for p in persons}
    involved = list(itertools.islice((x for x in g["involved"] if x["from"] in keys), n))
    events = {x["to"] for x in involved}
    ev_rows = [e for e in g["events"] if e["key"] in events]
    t0 = time.perf_counter()
    for p in persons:
        store._write("CREATE (n:Person) SET n = $row", {"row": p})
    t1 = time.perf_counter()
    for chunk in qbench._batches(ev_rows):
        store._write("UNWIND $rows AS row CREATE (n:Event) SET n = row", {"rows": chunk})
    t2 = time.perf_counter()
    for x in involved:
        store._write("MATCH (a:Person {key: $f}) MATCH (b:Event {key: $t}) CREATE (a)-[:INVOLVED {review: 'synth', role: $r}]->(b)",
                    {"f": x["from"], "t": x["to"], "r": x["role"]})
    t3 = time.perf_counter()
    return {"node_rows": len(persons), "node_s": t1 - t0, "edge_rows": len(involved), "edge_s": t3 - t2}


def bulk(store: Any, g: dict[str, Any], batch: int, in_flight: int, summarise: bool = True) -> dict[str, float]:
    from dhrkg.graph.bulk import bulk_load

    report = bulk_load(store, streams(g), batch_size=batch, in_flight=in_flight)
    t0 = time.perf_counter()
    gold = load_gold(store)
    t1 = time.perf_counter()
    for review in store.stale_reviews() if summarise else ():
        store.summarise(review, substrings_in_rows=True)  # bulk_load made them
    summaries = time.perf_counter() - t1
    # indexes built after the rows (FalkorDB, a first load) count as node time
    return {"node_rows": report.rows("node") + report.rows("area"),
            "node_s": report.seconds_of("node") + report.seconds_of("area") + report.index_seconds,
            "index_s": report.index_seconds,
            "edge_rows": report.rows("edge"), "edge_s": report.seconds_of("edge"), "gold_s": gold,
            "summaries_s": summaries, "total_s": report.seconds + (time.perf_counter() - t0)}


def bulk_indexes_kept(store: Any, g: dict[str, Any], batch: int, in_flight: int) -> dict[str, float]:
    """The bulk load with every index kept throughout (the Neo4j loader before indexes were built
    after the rows: Neo4jStore.bulk_session(defer_indexes=False)), without the summaries."""
    store.bulk_session = lambda: type(store).bulk_session(store, defer_indexes=False)
    try:
        return bulk(store, g, batch, in_flight, summarise=False)
    finally:
        del store.bulk_session


def side_run(b: str, g: dict[str, Any], args: Any, in_flight: int, indexes_kept: bool,
             batch: int = 0) -> dict[str, Any]:
    """A bulk load (no summaries) in an engine of its own, before the run's own, after the same
    naive rows and clear (so every load goes into a new, emptied database): --indexes-kept
    (every index kept throughout: the Neo4j loader before), --also-in-flight, --also-batch."""
    batch = batch or args.batch
    with engine(b, args.neo4j_heap) as (store, data, pid):
        la = os.getloadavg()[0]
        naive(store, g, args.naive_rows)
        store.clear()
        what = "every index kept" if indexes_kept else f"{in_flight} in flight, {batch} rows a batch"
        print(f"{b}: bulk load, {what}", file=sys.stderr)
        retries = RETRIES.count
        res = (bulk_indexes_kept(store, g, batch, in_flight) if indexes_kept else
               bulk(store, g, batch, in_flight, summarise=False))
        res["retries"] = RETRIES.count - retries
        res["load_average"] = f"{la:.1f} to {os.getloadavg()[0]:.1f}"
        print(f"{b}: {res}", file=sys.stderr)
        return res


class RetryCount(logging.Handler):
    """Counts the neo4j driver's retries of a transaction (a deadlock, another transient error)."""

    count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "will be retried" in record.getMessage():
            RetryCount.count += 1


RETRIES = RetryCount


def count_retries() -> None:
    driver_log = logging.getLogger("neo4j")
    driver_log.setLevel(logging.WARNING)
    driver_log.propagate = False
    driver_log.addHandler(RetryCount())


def offline_falkordb(store: Any, g: dict[str, Any], find_text_in_python: bool = True) -> dict[str, float]:
    """The steps of dhrkg.graph.offline.falkordb_load, timed one by one (``find_text_in_python``
    False: Person.find_text left to the engine's rule, as before issue 17's round 4)."""
    from dhrkg.graph.bulk import substring_streams
    from dhrkg.graph.offline import refuse_non_empty

    refuse_non_empty(store)
    t0 = time.perf_counter()
    store._graph.delete()
    rows = substring_streams(streams(g), store.dialect) if find_text_in_python else streams(g)
    r = store.bulk_insert(rows)
    t1 = time.perf_counter()
    store.ensure_schema()
    store.wait_for_indexes()
    t2 = time.perf_counter()
    gold = load_gold(store)
    t3 = time.perf_counter()
    store.ensure_summaries(substrings_in_rows=find_text_in_python)
    t4 = time.perf_counter()
    return {"node_rows": r.nodes, "node_s": r.node_seconds, "edge_rows": r.relationships,
            "edge_s": r.seconds - r.node_seconds, "engine_s": getattr(r, "engine_seconds", None),
            "waiting_s": getattr(r, "waiting_seconds", None), "commands": r.commands, "indexes_s": t2 - t1,
            "gold_s": gold, "summaries_s": t4 - t3,
            "total_s": t4 - t0}


def offline_falkordb_before(store: Any, g: dict[str, Any], rev: str) -> dict[str, float]:
    """:func:`offline_falkordb` with GRAPH.BULK's writer (graph/falkordb/bulk_insert.py) as it was
    at commit ``rev``, on the same engine in the same run; the graph emptied after."""
    from dhrkg.graph.falkordb import bulk_insert as now

    before = module_at(rev, "graph/falkordb/bulk_insert.py", "dhrkg.graph.falkordb")
    real = now.bulk_insert
    now.bulk_insert = before.bulk_insert
    try:
        return offline_falkordb(store, g)
    finally:
        now.bulk_insert = real
        store.clear()


def module_at(rev: str, path: str, package: str) -> Any:
    """The module at ``path`` as it was at commit ``rev``, in ``package`` (its relative imports work)."""
    import subprocess
    import types

    source = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:{path}"], check=True, capture_output=True,
                            text=True).stdout
    module = types.ModuleType(f"{package}._at_{rev.replace('~', '_').replace('^', '_')}")
    module.__package__ = package
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{path}@{rev}", "exec"), module.__dict__)
    return module


def summaries_compare(store: Any, review: str = "synth") -> dict[str, Any]:
    """The summaries of ``review`` computed the way before issue 17's round 4 (every rule in ONE
    write: a FalkorDB query, a Neo4j transaction) and as Store.summarise does now (each rule its
    own write), one after the other on the same graph; seconds of each rule (now)."""
    from dhrkg.graph.load import review_scope
    from dhrkg.graph.summaries import summary_statements, summary_steps

    t0 = time.perf_counter()
    store._replace(summary_statements(review, store.dialect), review_scope(review))
    one_write = time.perf_counter() - t0
    rules = []
    for st in summary_steps(review, store.dialect):
        t = time.perf_counter()
        store._write_steps([st])
        rules.append({"rule": " ".join(st.cypher.split())[:90], "s": time.perf_counter() - t})
        print(f"  summary rule {rules[-1]['s']:7.1f} s  {rules[-1]['rule']}", file=sys.stderr)
    return {"one_write_s": one_write, "steps_s": sum(r["s"] for r in rules), "rules": rules}


def engine_memory(store: Any) -> int:
    """The FalkorDB server's used memory in bytes (INFO memory)."""
    return int(store._redis.info("memory")["used_memory"])


def memory_without_find_text(store: Any) -> dict[str, int]:
    """FalkorDB's used memory with Person.find_text and its index, without the index, and
    without the property too (destructive: the last step of a run)."""
    out = {"with": engine_memory(store)}
    store.run_schema("DROP INDEX ON :Person(find_text)")
    time.sleep(2)
    out["without_index"] = engine_memory(store)
    store._write("MATCH (p:Person) SET p.find_text = NULL")
    time.sleep(2)
    out["without_property"] = engine_memory(store)
    print(f"falkordb memory: {out}", file=sys.stderr)
    return out


def offline_neo4j(g: dict[str, Any], heap: str, keep: Path | None = None,
                  import_options: tuple[str, ...] = ()) -> tuple[dict[str, float], Any]:
    """CSV files and neo4j-admin import into a fresh launcher data directory; the started
    launcher's summaries. (result, LaunchedNeo4j) — the caller stops it."""
    from dhrkg.graph import open_store
    from dhrkg.graph.offline import write_neo4j_import

    times: dict[str, float] = {}

    def prepare(data: Path) -> None:
        t0 = time.perf_counter()
        imp = write_neo4j_import(streams(g), data.parent / "csv")
        t1 = time.perf_counter()
        report = neo4j_server.admin_import(imp.arguments() + list(import_options), data, heap)
        t2 = time.perf_counter()
        print("neo4j-admin import's report:\n" + "\n".join(report.splitlines()[-12:]), file=sys.stderr)
        times.update(node_rows=imp.node_rows, edge_rows=imp.relationship_rows, csv_s=t1 - t0, import_s=t2 - t1)
        shutil.rmtree(data.parent / "csv", ignore_errors=True)

    launched = neo4j_server.LaunchedNeo4j(data_dir=keep, prepare=prepare)  # keep: the data stays there
    c = launched.connection
    t0 = time.perf_counter()
    store = open_store("neo4j", neo4j_uri=c.uri, neo4j_user=c.user, neo4j_password=c.password, neo4j_database=c.database)
    opened = time.perf_counter() - t0  # constraints, indexes and summaries, made on opening
    times["gold_s"] = load_gold(store)  # as the other loads: the three gold reviews beside
    rows = times["node_rows"] + times["edge_rows"]
    share = times["node_rows"] / rows  # the import tool reports no split: rows/s of the whole
    whole = times["csv_s"] + times["import_s"]
    res = {**times, "node_s": whole * share, "edge_s": whole * (1 - share), "summaries_s": opened,
           "total_s": whole + opened + times["gold_s"]}
    store.close()
    return res, launched


def neo4j_offline_only(g: dict[str, Any], args: Any, only: set[str]) -> dict[str, Any]:
    """The Neo4j offline load, then the queries on its graph (as --offline-only on FalkorDB)."""
    from dhrkg.graph import open_store

    neo4j_server.JVM_OPTIONS[:] = [f"-Xmx{args.neo4j_heap}", "-XX:+ExitOnOutOfMemoryError"]
    res: dict[str, Any] = {}
    res["offline"], launched = offline_neo4j(g, args.neo4j_heap, args.neo4j_keep, tuple(args.neo4j_import_option))
    print(f"neo4j: {res['offline']}", file=sys.stderr)
    try:
        c = launched.connection
        store = open_store("neo4j", neo4j_uri=c.uri, neo4j_user=c.user, neo4j_password=c.password,
                           neo4j_database=c.database)
        try:
            res["disk_bytes"] = dir_size(launched.data_dir)
            sets = qbench.parameter_sets(store, g, random.Random(1), 40)
            res["queries"] = [] if args.no_queries else qbench.measure(store, sets, args.repeat, 2, only)
            if not args.no_queries and (not only or "find-person" in only):
                res["find_person"] = find_person_vs_scan(store, g, args.repeat)
            res["peak_rss_bytes"] = peak_rss(launched.process.pid)
        finally:
            store.close()
    finally:
        launched.stop()
    return res


def before(store: Any, g: dict[str, Any]) -> dict[str, float]:
    g = {**g, **{k: list(g[k]) for k in qbench.STREAMED}}  # bench/queries.py's loading takes lists
    t0 = time.perf_counter()
    timings = qbench.load_graph(store, g)
    total = time.perf_counter() - t0
    node_s = sum(timings[k] for k in ("areas", "Review", "Person", "Agency", "Event"))
    node_rows = len(g["areas"]) + len(g["reviews"]) + 1 + len(g["persons"]) + len(g["agencies"]) + len(g["events"])
    edge_rows = sum(len(g[k]) for k in ("involved", "recorded", "located", "partners", "parents", "subjects")) + \
        len(g["agencies"]) + len(g["reviews"])
    return {"node_rows": node_rows, "node_s": node_s, "edge_rows": edge_rows, "edge_s": total - node_s - timings["gold"],
            "total_s": total}


#: find-person before its text index: a scan of every Person (the naive way, same rows)
FIND_PERSON_SCAN = """MATCH (p:Person)
WHERE ($review IS NULL OR p.review = $review)
  AND (toLower(coalesce(p.name, '')) CONTAINS toLower($text)
       OR toLower(p.id) CONTAINS toLower($text)
       OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS toLower($text)))
RETURN p.key AS person, p.name AS name, p.aliases AS aliases, p.roles AS roles, p.review AS review
ORDER BY review, person"""


def find_person_vs_scan(store: Any, g: dict[str, Any], repeat: int) -> list[dict[str, Any]]:
    """find-person (its text index) against the scan it replaced, text by text: rows, p50 ms of
    each (after one warm-up run), and whether the rows are the same (find-person's rows, at most
    its row limit, are the first of the scan's)."""
    from dhrkg.graph import canned

    q = canned.load_library(include_user=False).get("find-person")
    people = sum(1 for _ in g["persons"])  # counted here, not while mapping: only this needs it
    person = next(itertools.islice(g["persons"], people // 2, None))
    texts = [person["name"], person["name"].split()[-1], "Smith", person["id"], "ohn", "ab", "former partner"]
    out = []
    for text in texts:
        params = canned.bind(q, {}, [text])
        timed = {}
        for way, run in (("index", lambda: canned.run(store, q, params)),
                         ("scan", lambda: store.query(FIND_PERSON_SCAN, params))):
            rows = run().rows
            times = []
            for _ in range(max(3, repeat // 2 if way == "scan" else repeat)):
                t0 = time.perf_counter()
                run()
                times.append((time.perf_counter() - t0) * 1000)
            timed[way] = (rows, qbench.percentile(times, 0.5), qbench.percentile(times, 0.95))
        shown, scanned = timed["index"][0], timed["scan"][0]
        # find-person shows the first rows of the whole list (its row limit): those of the scan
        out.append({"text": text, "rows": len(shown), "matches": len(scanned), "same": shown == scanned[:len(shown)],
                    "index_p50": timed["index"][1], "index_p95": timed["index"][2], "scan_p50": timed["scan"][1]})
        print(f"find-person {text!r}: {out[-1]}", file=sys.stderr)
    return out


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


@contextlib.contextmanager
def engine(name: str, heap: str) -> Iterator[tuple[Any, Path, int]]:
    """(store, data directory, engine pid) on an empty graph."""
    from dhrkg.graph import open_store

    if name == "falkordb":
        from dhrkg.graph.falkordb import server

        data = Path(tempfile.mkdtemp(prefix="dhrkg-scale-"))
        status = server.ensure_running(data)
        store = open_store("falkordb", data, graph="scale")
        try:
            yield store, data, status.pid
        finally:
            store.close()
            server.stop(data)
            shutil.rmtree(data, ignore_errors=True)
        return

    neo4j_server.JVM_OPTIONS[:] = [f"-Xmx{heap}", "-XX:+ExitOnOutOfMemoryError"]
    launched = neo4j_server.LaunchedNeo4j()
    try:
        c = launched.connection
        store = open_store("neo4j", neo4j_uri=c.uri, neo4j_user=c.user, neo4j_password=c.password, neo4j_database=c.database)
        try:
            yield store, launched.temp_dir / "data", launched.process.pid
        finally:
            store.close()
    finally:
        launched.stop()


def extras(store: Any, res: dict[str, Any], args: Any) -> None:
    """--summaries-compare and --memory-breakdown (FalkorDB) on the loaded graph."""
    if args.summaries_compare:
        res["summaries_compare"] = summaries_compare(store)
    if store.backend == "falkordb":
        res["used_memory_bytes"] = engine_memory(store)
        if args.memory_breakdown:
            res["memory"] = memory_without_find_text(store)


def rate(rows: float, secs: float) -> str:
    return f"{rows / secs:,.0f}" if secs else ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--backend", choices=["falkordb", "neo4j", "both"], default="both")
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--in-flight", type=int, default=None, help="default: the store's (bulk_load's default)")
    ap.add_argument("--naive-rows", type=int, default=1000)
    ap.add_argument("--no-before", action="store_true", help="skip the before-issue-17 load (long at 1M)")
    ap.add_argument("--set-shape", choices=["first", "last"],
                    help="also the bulk load with SET n = row statements (before round 5), before or after the "
                         "bulk load (the graph cleared between)")
    ap.add_argument("--no-summaries", action="store_true", help="bulk: load only, no summaries after")
    ap.add_argument("--also-in-flight", default="", metavar="N,N",
                    help="Neo4j: first, each in a launcher of its own, the bulk load with N statements in flight, "
                         "no summaries")
    ap.add_argument("--also-batch", default="", metavar="N,N",
                    help="Neo4j: first, each in a launcher of its own, the bulk load with N rows a batch, no summaries")
    ap.add_argument("--indexes-kept", default="", metavar="N,N",
                    help="Neo4j: first, each in a launcher of its own, the bulk load with every index kept and N in "
                         "flight (2: as before this round), no summaries")
    ap.add_argument("--offline", action="store_true", help="also load with the engine's own import tool")
    ap.add_argument("--no-queries", action="store_true", help="loads only")
    ap.add_argument("--offline-only", action="store_true",
                    help="only the offline load, then the queries on its graph (long runs at 1M+)")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--neo4j-heap", default="3g")
    ap.add_argument("--neo4j-pagecache", default="64m", help="the launcher's page cache (its tests' default 64m)")
    ap.add_argument("--offline-before", metavar="REV",
                    help="FalkorDB --offline-only: first load with GRAPH.BULK's writer at commit REV (before/after in one run)")
    ap.add_argument("--neo4j-import-option", action="append", default=[], metavar="OPTION",
                    help="an option for neo4j-admin database import full (e.g. --threads=2), repeatable")
    ap.add_argument("--neo4j-keep", type=Path, help="--offline-only: import into this new directory and keep it")
    ap.add_argument("--rule-times", action="store_true", help="print each summary rule's time (Neo4j)")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    ap.add_argument("--only", default="", help="comma-separated query names")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--summaries-compare", action="store_true",
                    help="after the load: the summaries in one write against one write per rule (per-rule seconds)")
    ap.add_argument("--find-text-compare", action="store_true",
                    help="FalkorDB --offline-only: load again with Person.find_text made by the engine's rule")
    ap.add_argument("--memory-breakdown", action="store_true",
                    help="FalkorDB, at the end: used memory with and without Person.find_text and its index")
    args = ap.parse_args(argv)
    count_retries()
    args.cache.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    g = qbench.synth_streams(args.people, 1, args.cache)  # streamed: the bench holds no list of rows
    print(f"people {args.people:,}: mapped in {time.perf_counter() - t0:.0f} s; load average {os.getloadavg()[0]:.1f}",
          file=sys.stderr)
    backends = ["falkordb", "neo4j"] if args.backend == "both" else [args.backend]
    out: dict[str, Any] = {"people": args.people, "load_average_start": os.getloadavg()[0], "engines": {}}
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    neo4j_server.PAGECACHE = args.neo4j_pagecache
    if args.rule_times:  # each summary rule's time (Neo4j)
        logging.basicConfig(format="%(message)s")
        logging.getLogger("dhrkg.graph.neo4j").setLevel(logging.DEBUG)
    for b in backends:
        res: dict[str, Any] = {}
        if args.offline_only and b == "neo4j":
            out["engines"][b] = neo4j_offline_only(g, args, only)
            continue
        for n in (int(x) for x in args.indexes_kept.split(",") if x.strip()) if b == "neo4j" else ():
            res[f"bulk_indexes_kept_in_flight_{n}"] = side_run(b, g, args, n, indexes_kept=True)
        for n in (int(x) for x in args.also_in_flight.split(",") if x.strip()) if b == "neo4j" else ():
            res[f"bulk_in_flight_{n}"] = side_run(b, g, args, n, indexes_kept=False)
        for n in (int(x) for x in args.also_batch.split(",") if x.strip()) if b == "neo4j" else ():
            res[f"bulk_batch_{n}"] = side_run(b, g, args, args.in_flight, indexes_kept=False, batch=n)
        with engine(b, args.neo4j_heap) as (store, data, pid):
            if args.offline_only and b == "falkordb":
                if args.offline_before:
                    res["offline_before"] = offline_falkordb_before(store, g, args.offline_before)
                    print(f"{b}: GRAPH.BULK's writer at {args.offline_before}: {res['offline_before']}", file=sys.stderr)
                res["offline"] = offline_falkordb(store, g)
                print(f"{b}: {res['offline']}", file=sys.stderr)
                res["disk_bytes"], res["peak_rss_bytes"] = dir_size(data), peak_rss(pid)
                sets = qbench.parameter_sets(store, g, random.Random(1), 40)
                res["queries"] = [] if args.no_queries else qbench.measure(store, sets, args.repeat, 2, only)
                if not args.no_queries and (not only or "find-person" in only):
                    res["find_person"] = find_person_vs_scan(store, g, args.repeat)
                extras(store, res, args)
                res["peak_rss_bytes"] = peak_rss(pid)
                if args.find_text_compare:
                    store.clear()
                    res["offline_cypher_find_text"] = offline_falkordb(store, g, find_text_in_python=False)
                    print(f"{b}: find_text by the engine's rule: {res['offline_cypher_find_text']}", file=sys.stderr)
                out["engines"][b] = res
                continue
            res["naive"] = naive(store, g, args.naive_rows)
            store.clear()
            if not args.no_before:
                res["before"] = before(store, g)
                store.clear()
            if args.set_shape == "first":
                set_shape_load(store, g, args, res)
            print(f"{b}: bulk load", file=sys.stderr)
            la = os.getloadavg()[0]
            res["bulk"] = bulk(store, g, args.batch, args.in_flight, summarise=not args.no_summaries)
            res["bulk"]["load_average"] = f"{la:.1f} to {os.getloadavg()[0]:.1f}"
            res["bulk"]["retries"] = RETRIES.count
            print(f"{b}: {res['bulk']}", file=sys.stderr)
            res["disk_bytes"] = dir_size(data)
            res["peak_rss_bytes"] = peak_rss(pid)
            sets = qbench.parameter_sets(store, g, random.Random(1), 40)
            res["queries"] = [] if args.no_queries else qbench.measure(store, sets, args.repeat, 2, only)
            if not args.no_queries and (not only or "find-person" in only):
                res["find_person"] = find_person_vs_scan(store, g, args.repeat)
            if not (args.offline and b == "falkordb"):
                extras(store, res, args)
            if args.offline and b == "falkordb":
                store.clear()
                print(f"{b}: offline load", file=sys.stderr)
                res["offline"] = offline_falkordb(store, g)
                print(f"{b}: {res['offline']}", file=sys.stderr)
                extras(store, res, args)
                res["peak_rss_bytes"] = max(res["peak_rss_bytes"], peak_rss(pid))
            if args.set_shape == "last":  # after everything measured on the bulk load's graph
                set_shape_load(store, g, args, res)
        if args.offline and b == "neo4j":
            print(f"{b}: offline load", file=sys.stderr)
            res["offline"], launched = offline_neo4j(g, args.neo4j_heap)
            launched.stop()
            print(f"{b}: {res['offline']}", file=sys.stderr)
        out["engines"][b] = res
    out["bench_peak_rss_bytes"] = peak_rss(os.getpid())
    out["load_average_end"] = os.getloadavg()[0]
    print(report(out))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    return 0


def report(out: dict[str, Any]) -> str:
    lines = [f"people {out['people']:,}; load average {out['load_average_start']:.1f} at the start, "
             f"{out['load_average_end']:.1f} at the end", "",
             "| engine | way | node rows | node rows/s | relationship rows | rel rows/s | load s | summaries s |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for b, res in out["engines"].items():
        ways = ("naive", "before", "bulk_set_row", *[k for k in res if k.startswith(("bulk_indexes_kept", "bulk_in_flight_", "bulk_batch_"))],
                "bulk", "offline_before", "offline", "offline_cypher_find_text")
        for way in ways:
            r = res.get(way)
            if not r:
                continue
            total = r.get("total_s", "")
            lines.append(f"| {b} | {way} | {r['node_rows']:,} | {rate(r['node_rows'], r['node_s'])} | {r['edge_rows']:,} | "
                         f"{rate(r['edge_rows'], r['edge_s'])} | {total if total == '' else f'{total:.1f}'} | "
                         f"{r.get('summaries_s', 0):.1f} |")
    lines.append("")
    lines.append(f"bench process peak RSS {out.get('bench_peak_rss_bytes', 0) / 2**20:,.0f} MiB")
    for b, res in out["engines"].items():
        lines.append(f"{b}: store on disk {res['disk_bytes'] / 2**20:,.0f} MiB, engine peak RSS {res['peak_rss_bytes'] / 2**20:,.0f} MiB")
    for b, res in out["engines"].items():
        if res.get("used_memory_bytes"):
            lines.append(f"{b}: used memory after the load {res['used_memory_bytes'] / 2**20:,.0f} MiB")
        if res.get("memory"):
            m = res["memory"]
            lines.append(f"{b}: used memory with Person.find_text {m['with'] / 2**20:,.0f} MiB, without its index "
                         f"{m['without_index'] / 2**20:,.0f} MiB, without the property {m['without_property'] / 2**20:,.0f} MiB")
        if res.get("summaries_compare"):
            c = res["summaries_compare"]
            lines += ["", f"summaries on {b}: one write {c['one_write_s']:.1f} s, one write per rule {c['steps_s']:.1f} s", "",
                      "| rule | s |", "|---|---:|"] + [f"| `{r['rule']}` | {r['s']:.1f} |" for r in c["rules"]]
    lines += ["", "| query | kind | " + " | ".join(f"{b} p50 ms | {b} p95 ms" for b in out["engines"]) + " |",
              "|---|---|" + "---:|" * (2 * len(out["engines"]))]
    first = next(iter(out["engines"].values()))["queries"] or []
    for q in first:
        cells = []
        for res in out["engines"].values():
            r = next((x for x in res["queries"] if x["query"] == q["query"]), None)
            cells += [f"{r['p50']:,.1f}", f"{r['p95']:,.1f}"] if r else ["", ""]
        lines.append(f"| {q['query']} | {q['kind']} | " + " | ".join(cells) + " |")
    for b, res in out["engines"].items():
        if res.get("find_person"):
            lines += ["", f"find-person on {b}: its text index against the scan it replaced (same run, same graph)", "",
                      "| text | rows | same rows | index p50 ms | index p95 ms | scan p50 ms | scan / index |",
                      "|---|---:|---|---:|---:|---:|---:|"]
            lines += [f"| {r['text']!r} | {r['rows']:,} | {'yes' if r['same'] else 'NO'} | {r['index_p50']:,.1f} | "
                      f"{r['index_p95']:,.1f} | {r['scan_p50']:,.1f} | {r['scan_p50'] / max(r['index_p50'], 1e-9):,.1f}x |"
                      for r in res["find_person"]]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
