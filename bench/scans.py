"""find-person and risk-not-shared before and after, on one kept FalkorDB graph (issue 17).

    .venv/bin/python bench/scans.py --people 100000 --data /tmp/dhrkg-scans-100k
    flock /work/wt/bench.lock -c '.venv/bin/python bench/scans.py --people 1000000 --data DIR'

The synthetic national set of bench/queries.py at N people, loaded offline into FalkorDB
(bench/scale.py's offline_falkordb) in ``--data`` the first time and kept there (the server is
stopped at the end of each run), so that several runs measure the same graph. Each run times,
one after the other on that graph: the query texts as they were before this change (``BEFORE``),
the canned queries as they are now, and find-person's unindexed scan (scale.FIND_PERSON_SCAN),
and checks the rows: the same rows, up to find-person's limit (and all rows with the limit off).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402

#: The FalkorDB texts of the two queries before this change (git show fc80430:graph/queries/...);
#: risk-not-shared's is also its text now (a change tried was no faster at 1M: BENCHMARKS.md).
BEFORE = {
    "find-person": """WITH toLower($text) AS t
CALL {
  WITH t
  UNWIND CASE WHEN size(t) >= 3 THEN [t] ELSE [] END AS long
  WITH long, '<' + substring(long, 0, 3) + '>' AS first, '<' + substring(long, size(long) - 3, 3) + '>' AS last
  MATCH (p:Person)
  WHERE first IN p.find_text AND last IN p.find_text
  WITH p, long
  WHERE ($review IS NULL OR p.review = $review)
    AND (toLower(coalesce(p.name, '')) CONTAINS long
         OR toLower(p.id) CONTAINS long
         OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS long))
  RETURN p
  UNION ALL
  WITH t
  UNWIND CASE WHEN size(t) < 3 THEN [t] ELSE [] END AS short
  MATCH (p:Person)
  WHERE ($review IS NULL OR p.review = $review)
    AND (toLower(coalesce(p.name, '')) CONTAINS short
         OR toLower(p.id) CONTAINS short
         OR any(al IN coalesce(p.aliases, []) WHERE toLower(al) CONTAINS short))
  RETURN p
}
RETURN p.key AS person, p.name AS name, p.aliases AS aliases, p.roles AS roles, p.review AS review
ORDER BY review, person""",
    "risk-not-shared": """WITH ['none', 'low', 'standard', 'medium', 'high'] AS scale
WITH [i IN range(0, size(scale) - 1) WHERE i >= [j IN range(0, size(scale) - 1) WHERE scale[j] = $min_level][0] | scale[i]] AS levels
MATCH (r:Review)
WHERE $review IS NULL OR r.key = $review
WITH levels, r, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
UNWIND levels AS level
MATCH (ra:Event {risk_level: level})
WHERE ra.review = r.key AND ra.type = 'risk_assessment'
  AND NOT coalesce(ra.shares, false)
  AND (ra.date_to < bound OR (ra.date_from < bound AND NOT ra.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
  AND (ra.first_sharing_from IS NULL OR ra.first_sharing_from >= bound
       OR ra.first_sharing_from > toString(date(ra.date_to) + duration({days: $days})))
WITH ra, bound, toString(date(ra.date_to) + duration({days: $days})) AS until,
     ['referral', 'marac', 'mappa', 'child_protection', 'information_sharing', 'disclosure'] AS sharing
WITH ra, until,
     [(ra)<-[:INVOLVED]-(:Person)-[:INVOLVED]->(f:Event)
        WHERE ra.any_sharing_after AND f <> ra AND f.review = ra.review AND f.date_to >= ra.date_from AND (f.date_to < bound OR (f.date_from < bound AND NOT f.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
          AND (f.type IN sharing OR f.shares) | f] AS later
WHERE NONE(f IN later WHERE f.date_from <= until)
WITH ra, reduce(acc = [], f IN later |
       [g IN acc WHERE g.date_from + g.key < f.date_from + f.key] + [f] + [g IN acc WHERE g.date_from + g.key >= f.date_from + f.key]) AS sorted_later
WITH ra, head(sorted_later) AS nxt
RETURN ra.review AS review,
       ra.id AS event,
       ra.date AS date,
       ra.summary_agency AS agency,
       ra.risk_tool AS tool,
       ra.risk_level AS level,
       coalesce(ra.summary_persons, []) AS persons,
       ra.summary_force_area AS force_area,
       CASE WHEN nxt IS NULL THEN NULL ELSE
         {id: nxt.id, date: nxt.date, type: nxt.type, agency: head([(nxt)-[:RECORDED_BY]->(na:Agency) | na.name]), source: nxt.source} END AS next_sharing,
       ra.source AS source
ORDER BY review, ra.date_from, event""",
}

#: find-person's texts at 1M people (synthetic set): the two commonest surnames (4% and 3%),
#: Kaur (0.2%), a phrase, 2 letters, a full name, an id, nobody, Harvey (0.25%), and two near
#: the Neo4j probe's cap of 10,000 (find-person.neo4j.cypher): Walker just under, Thompson over
FIND_TEXTS = ("Smith", "Jones", "Kaur", "former partner", "ab", "Dennis Graham", "P00423094", "zzqx",
              "Harvey", "Walker", "Thompson")
OTHER_SCANS = ("serial-perpetrators", "incidents-without-risk-assessment", "referrals-not-actioned")


def timed(run: Callable[[], Any], repeat: int) -> tuple[list, float, float]:
    """(rows of a warm-up run, p50 ms, p95 ms)."""
    rows = run().rows
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return rows, qbench.percentile(times, 0.5), qbench.percentile(times, 0.95)


def compare(store: Any, name: str, sets: list[tuple[list, dict]], repeat: int) -> list[dict[str, Any]]:
    """Each parameter set: the old text, the canned query now, and (find-person) the scan."""
    from dhrkg.graph import canned

    q = canned.load_library(include_user=False).get(name)
    out = []
    for positional, named in sets:
        params = canned.bind(q, named, positional)
        ways = {"before": lambda: store.query(BEFORE[name], params), "after": lambda: canned.run(store, q, params),
                "raw": raw_reply(store, q, params)}
        if name == "find-person":
            ways["scan"] = lambda: store.query(scale.FIND_PERSON_SCAN, params)
        res = {way: timed(run, repeat) for way, run in ways.items()}
        old, new = res["before"][0], res["after"][0]
        row = {"query": name, "args": positional or named, "rows": len(old), "rows_now": len(new),
               "same": _same(q, store, params, old, new)}
        for way, (_, p50, p95) in res.items():
            row[f"{way}_p50"], row[f"{way}_p95"] = p50, p95
        print(row, file=sys.stderr)
        out.append(row)
    return out


def raw_reply(store: Any, q: Any, params: dict) -> Callable[[], Any]:
    """The query now as the engine answers it, unparsed (GRAPH.RO_QUERY --compact): the engine
    and the reply's transfer, without the client's parsing of the rows into Python values."""
    from dhrkg.graph import canned
    from dhrkg.graph.falkordb.params import header

    sent = {**params, "limit": params["limit"] + 1} if params.get("limit") else params
    text = header(sent) + q.text_for("falkordb")

    def run() -> Any:
        reply = store._redis.execute_command("GRAPH.RO_QUERY", store.graph_name, text, "--compact")
        return canned.QueryResult([], reply[1] if len(reply) > 2 else [])
    return run


def _same(q: Any, store: Any, params: dict, old: list, new: list) -> bool:
    """The rows now are the old rows up to the limit; with the limit off, all of them."""
    from dhrkg.graph import canned

    if "limit" not in params:
        return old == new
    unlimited = canned.run(store, q, {**params, "limit": 0}).rows
    return new == old[: params["limit"]] and unlimited == old


def others(store: Any, repeat: int) -> list[dict[str, Any]]:
    from dhrkg.graph import canned

    lib = canned.load_library(include_user=False)
    out = []
    for name in OTHER_SCANS:
        q = lib.get(name)
        params = canned.bind(q, {}, [])
        rows, p50, p95 = timed(lambda: canned.run(store, q, params), repeat)
        out.append({"query": name, "rows": len(rows), "after_p50": p50, "after_p95": p95})
        print(out[-1], file=sys.stderr)
    return out


def profiles(store: Any) -> None:
    """FalkorDB's GRAPH.PROFILE of each query before and after (stderr): where the time goes."""
    from dhrkg.graph import canned
    from dhrkg.graph.falkordb.params import header

    lib = canned.load_library(include_user=False)
    for name, positional, named in (("find-person", ["Smith"], {}), ("risk-not-shared", [], {"min_level": "high"})):
        q = lib.get(name)
        params = canned.bind(q, named, positional)
        for way, text in (("before", BEFORE[name]), ("after", q.text_for("falkordb"))):
            sent = {**params, "limit": 101} if "limit" in params else params
            plan = store._redis.execute_command("GRAPH.PROFILE", store.graph_name, header(sent) + text)
            lines = [x.decode() if isinstance(x, bytes) else str(x) for x in plan]
            print(f"PROFILE {name} {way}:\n" + "\n".join(lines), file=sys.stderr)


#: Person.find_text's FalkorDB rule before issue 17's sixth round: the 3-letter pieces of each
#: whole text (git show 437bb2a:graph/dialect.py), for --find-text-cost.
FIND_TEXT_BEFORE = "reduce(g = [], t IN texts | g + [i IN range(0, size(t) - 3) | '<' + substring(t, i, 3) + '>'])"


def find_text_cost(store: Any) -> list[dict[str, Any]]:
    """Person.find_text's rule before and now, each set on every person by the engine (with its
    index kept): the pieces, the engine's used memory they take, the time to set them. The
    rule now is set last, so the graph is left as it was."""
    from dhrkg.graph.schema import PERSON_NAMES

    out = []
    for way, rule in (("before", FIND_TEXT_BEFORE), ("now", store.dialect.substring_value("texts"))):
        store._write("MATCH (p:Person) SET p.find_text = NULL")
        time.sleep(2)
        base = scale.engine_memory(store)
        t0 = time.perf_counter()
        store._write(f"MATCH (n:Person) WITH n, {PERSON_NAMES.texts('n')} AS texts SET n.find_text = {rule}")
        seconds = time.perf_counter() - t0
        time.sleep(2)
        pieces = store.query("MATCH (p:Person) RETURN sum(size(p.find_text)), count(p)").rows[0]
        out.append({"find_text": way, "pieces": int(pieces[0]), "people": pieces[1], "set_s": seconds,
                    "memory_mib": (scale.engine_memory(store) - base) / 2**20})
        print(out[-1], file=sys.stderr)
    return out


def build(store: Any, people: int, cache: Path) -> None:
    """Load the synthetic set offline unless the graph holds it; compact the append-only file."""
    if store.query("MATCH (p:Person) RETURN count(p)", {}).rows[0][0]:
        return
    g = qbench.synth_graph(people, 1, cache)
    print(f"offline load: {scale.offline_falkordb(store, g)}", file=sys.stderr)
    print(f"engine used memory after the load: {scale.engine_memory(store) / 2**20:,.0f} MiB", file=sys.stderr)
    with contextlib.suppress(Exception):  # one may be running already (the server's own rewrite)
        store._redis.bgrewriteaof()


def kept_graph_parser(description: str, repeat: int) -> argparse.ArgumentParser:
    """The options of a bench run on one kept graph (this bench's and bench/falkordb_replies.py's)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--data", type=Path, required=True, help="FalkorDB data directory, kept between runs")
    ap.add_argument("--repeat", type=int, default=repeat)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    return ap


@contextlib.contextmanager
def kept_graph(args: argparse.Namespace) -> Iterator[Any]:
    """The store of the graph kept in ``args.data`` (the synthetic set loaded the first time);
    its server stopped at the end."""
    from dhrkg.graph import open_store
    from dhrkg.graph.falkordb import server

    args.data.mkdir(parents=True, exist_ok=True)
    server.ensure_running(args.data)
    store = open_store("falkordb", args.data, graph="scale")
    try:
        build(store, args.people, args.cache)
        yield store
    finally:
        store.close()
        server.stop(args.data)


def main(argv: list[str] | None = None) -> int:
    ap = kept_graph_parser(__doc__.split("\n\n")[0], repeat=10)
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--no-profile", action="store_true", help="skip the GRAPH.PROFILE of each query (stderr)")
    ap.add_argument("--find-text-cost", action="store_true",
                    help="at the end: Person.find_text's pieces, memory and time, its rule before and now")
    ap.add_argument("--find-only", action="store_true", help="find-person only (no other scan)")
    args = ap.parse_args(argv)
    load_start = os.getloadavg()[0]
    with kept_graph(args) as store:
        if args.build_only:
            return 0
        store.query(scale.FIND_PERSON_SCAN, {"text": "warm", "review": None})  # so the first text is not timed cold
        results = compare(store, "find-person", [([t], {}) for t in FIND_TEXTS], args.repeat)
        if not args.find_only:
            results += compare(store, "risk-not-shared", [([], {"min_level": "high"})], args.repeat)
            results += others(store, max(3, args.repeat // 3))
        if not args.no_profile:
            profiles(store)
        costs = find_text_cost(store) if args.find_text_cost else []
    print(report(results, args.people, load_start, os.getloadavg()[0]))
    for c in costs:
        print(f"find_text {c['find_text']}: {c['pieces']:,} pieces ({c['pieces'] / c['people']:.1f} a person), "
              f"{c['memory_mib']:,.0f} MiB of engine memory, set by the engine in {c['set_s']:.1f} s")
    return 0


def report(results: list[dict[str, Any]], people: int, start: float, end: float) -> str:
    lines = [f"people {people:,}; load average {start:.1f} at the start, {end:.1f} at the end", "",
             "| query | rows (now) | same rows | before p50 / p95 ms | after p50 / p95 ms | after, unparsed p50 ms | scan p50 ms |",
             "|---|---:|---|---:|---:|---:|---:|"]
    for r in results:
        before = f"{r['before_p50']:,.1f} / {r['before_p95']:,.1f}" if "before_p50" in r else ""
        scan = f"{r['scan_p50']:,.1f}" if "scan_p50" in r else ""
        raw = f"{r['raw_p50']:,.1f}" if "raw_p50" in r else ""
        args = f" {r['args']}" if r.get("args") else ""
        lines.append(f"| {r['query']}{args} | {r['rows']:,} ({r.get('rows_now', r['rows']):,}) | {r.get('same', '')} | "
                     f"{before} | {r['after_p50']:,.1f} / {r['after_p95']:,.1f} | {raw} | {scan} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
