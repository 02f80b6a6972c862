"""FalkorDB replies parsed by the client (then plain_rows) against parsed by dhrkg (issue 17).

    .venv/bin/python bench/falkordb_replies.py --people 100000 --data /tmp/dhrkg-replies-100k
    flock /work/wt/bench.lock -c '.venv/bin/python bench/falkordb_replies.py --people 1000000 --data DIR'

The synthetic national set (bench/scans.py's graph, loaded offline into ``--data`` the first
time and kept). For each query the same text and parameters are read three ways, in turns
within each repetition so that load changes hit all three alike: the reply as it comes
(``GRAPH.RO_QUERY --compact``, unparsed: the engine and the transfer), the old read path (the
falkordb client's ``ro_query`` and ``QueryResult``, then ``dialect.plain_rows``) and the new one
(graph/falkordb/replies.py); the rows of the two paths are compared. Then the parsing alone,
without the server: one reply, kept, parsed by each path ``--repeat`` times (the end-to-end
times on a busy machine vary by more than the parsing costs). Queries: risk-not-shared
(``min_level=high``), a wide find-person ("Smith", ``limit=0``: every match), person-timeline of
the person with the most events.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402
import scans  # noqa: E402

WAYS = ("unparsed", "client", "dhrkg")


def cases(store: Any) -> list[tuple[str, Any, dict]]:
    """(label, canned query, bound parameters) of each query timed."""
    from dhrkg.graph import canned

    lib = canned.load_library(include_user=False)
    busiest = store.query("MATCH (p:Person)-[:INVOLVED]->(e:Event) RETURN p.key AS k, count(e) AS n "
                          "ORDER BY n DESC, k LIMIT 1").rows[0][0]
    chosen = [("risk-not-shared min_level=high", "risk-not-shared", [], {"min_level": "high"}),
              ("find-person Smith limit=0", "find-person", ["Smith"], {"limit": "0"}),
              ("person-timeline (busiest person)", "person-timeline", [busiest], {})]
    return [(label, lib.get(name), sent(lib.get(name), canned.bind(lib.get(name), named, positional)))
            for label, name, positional, named in chosen]


def sent(q: Any, params: dict) -> dict:
    """The parameters canned.run sends for ``params`` (the row limit as the engine gets it)."""
    from dhrkg.graph import canned

    out = dict(params)
    if canned.has_row_limit(q):
        limit = canned.row_limit(q, params)
        out[canned.LIMIT_PARAMETER] = canned.NO_LIMIT if limit is None else limit + 1
    return out


def readers(store: Any, text: str, params: dict) -> dict[str, Callable[[], Any]]:
    """The three ways of reading ``text`` (each returns its rows)."""
    from dhrkg.graph.falkordb import replies
    from dhrkg.graph.falkordb.params import header

    sent = header(params) + text
    return {
        "unparsed": lambda: store._redis.execute_command("GRAPH.RO_QUERY", store.graph_name, sent, "--compact"),
        "client": lambda: store._result(store._graph.ro_query(text, dict(params))).rows,
        "dhrkg": lambda: replies.ro_query(store._graph, text, dict(params)).rows,
    }


def measure(store: Any, label: str, q: Any, params: dict, repeat: int) -> dict[str, Any]:
    ways = readers(store, q.text_for("falkordb"), params)
    old, new = ways["client"](), ways["dhrkg"]()  # warm-up, and the rows compared
    times: dict[str, list[float]] = {w: [] for w in WAYS}
    for i in range(repeat):
        order = WAYS if i % 2 == 0 else WAYS[::-1]
        for way in order:
            t0 = time.perf_counter()
            ways[way]()
            times[way].append((time.perf_counter() - t0) * 1000)
    row = {"query": label, "rows": len(old), "same": old == new}
    for way in WAYS:
        row[f"{way}_p50"] = qbench.percentile(times[way], 0.5)
        row[f"{way}_p95"] = qbench.percentile(times[way], 0.95)
    row.update(parsing_only(store, ways["unparsed"](), repeat))
    print(row, file=sys.stderr)
    return row


def parsing_only(store: Any, reply: list, repeat: int) -> dict[str, float]:
    """p50 ms of parsing one kept reply by the client (then plain_rows) and by dhrkg."""
    from falkordb.query_result import QueryResult as ClientResult

    from dhrkg.graph import dialect
    from dhrkg.graph.falkordb import replies

    parsers = {"client": lambda: dialect.plain_rows(ClientResult(store._graph, reply).result_set),
               "dhrkg": lambda: replies.result(store._graph, reply).rows}
    out = {}
    for way, parse in parsers.items():
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            parse()
            times.append((time.perf_counter() - t0) * 1000)
        out[f"parse_{way}_p50"] = qbench.percentile(times, 0.5)
    return out


def report(results: list[dict[str, Any]], people: int, start: float, end: float, repeat: int) -> str:
    lines = [f"people {people:,}; {repeat} runs of each way; load average {start:.1f} at the start, "
             f"{end:.1f} at the end", "",
             "| query | rows | same rows | unparsed p50 / p95 ms | client p50 / p95 ms | dhrkg p50 / p95 ms "
             "| client / dhrkg (p50) | parsing alone: client / dhrkg p50 ms (ratio) |",
             "|---|---:|---|---:|---:|---:|---:|---:|"]
    for r in results:
        cells = [f"{r[f'{w}_p50']:,.1f} / {r[f'{w}_p95']:,.1f}" for w in WAYS]
        old, new = r["parse_client_p50"], r["parse_dhrkg_p50"]
        lines.append(f"| {r['query']} | {r['rows']:,} | {r['same']} | " + " | ".join(cells)
                     + f" | {r['client_p50'] / r['dhrkg_p50']:.2f}x | {old:,.2f} / {new:,.2f} ({old / new:.1f}x) |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = scans.kept_graph_parser(__doc__.split("\n\n")[0], repeat=20).parse_args(argv)
    load_start = os.getloadavg()[0]
    with scans.kept_graph(args) as store:
        results = [measure(store, label, q, params, args.repeat) for label, q, params in cases(store)]
    print(report(results, args.people, load_start, os.getloadavg()[0], args.repeat))
    return 0 if all(r["same"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
