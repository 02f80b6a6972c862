"""Where the FalkorDB online bulk loader's time goes, batch by batch (issue 17, point 1).

    .venv/bin/python bench/online_profile.py --people 100000 --ends key,id

Loads the synthetic national set of bench/scale.py into a fresh embedded server with
dhrkg.graph.bulk.bulk_load, one batch at a time (``in_flight`` 1, so the steps do not
overlap), once per way of finding relationship ends (``key``: the ``key`` index; ``id``: the
internal ids the node batches returned, dhrkg.graph.falkordb.bulk_ends). For every batch:

- **encode**: Python writing the parameter text (dhrkg.graph.falkordb.params.header);
- **send**: the same parameters with ``RETURN size($rows)`` (the socket and the server parsing
  the text; the engine does nothing else), an extra statement, not part of the load time;
- **whole**: the batch's statement, encode included; the engine's share = whole - send - encode.

and one GRAPH.PROFILE of a batch in the middle of the big streams (the engine's operators:
create, property set, index updates, endpoint lookups; FalkorDB's own milliseconds).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402

SEND = "RETURN size($rows) AS n"
PROFILED = {"Person", "Event", "Person-INVOLVED-Event", "Event-RECORDED_BY-Agency", "Event-LOCATED_IN-Area"}


class Timed:
    """store.write_batch timed step by step, per statement kind (the first word of its rows' use)."""

    def __init__(self, store: Any, profile_at: int):
        self.store, self.profile_at = store, profile_at
        self.steps: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.batches: dict[str, int] = defaultdict(int)
        self.profiles: dict[str, list[str]] = {}
        self.current = ""

    def write_batch(self, cypher: str, params: dict) -> Any:
        from dhrkg.graph.falkordb.params import header
        from dhrkg.graph.store import QueryResult

        steps = self.steps[self.current]
        t0 = time.perf_counter()
        head = header(params)
        t1 = time.perf_counter()
        self.store._redis.execute_command("GRAPH.QUERY", self.store.graph_name, head + SEND)
        t2 = time.perf_counter()
        self.batches[self.current] += 1
        if self.batches[self.current] == self.profile_at and self.current in PROFILED and "collect(" not in cypher:
            # PROFILE runs the statement (the batch is written) but returns the plan, not rows:
            # a relationship batch by id is told it made every row (its own check is skipped)
            reply = self.store._redis.execute_command("GRAPH.PROFILE", self.store.graph_name, head + cypher)
            self.profiles[self.current] = [x.decode() if isinstance(x, bytes) else str(x) for x in reply]
            result = QueryResult(columns=["made"], rows=[[len(params["rows"])]])
        else:
            result = self.store.write_batch(cypher, params)
        t3 = time.perf_counter()
        steps["encode"] += t1 - t0
        steps["send"] += t2 - t1
        steps["whole"] += t3 - t2
        steps["rows"] += len(params["rows"])
        return result


def run(store: Any, g: dict, ends: str, batch: int, profile_at: int) -> Timed:
    from dhrkg.graph import bulk
    from dhrkg.graph.falkordb.bulk_ends import EndIds

    timed = Timed(store, profile_at)
    sender = EndIds(timed.write_batch).send if ends == "id" else None

    def send(stream: Any, cypher: str, rows: list) -> Any:
        timed.current = stream.name
        return sender(stream, cypher, rows) if sender else timed.write_batch(cypher, {"rows": rows})

    store.ensure_schema()
    state = bulk.Checkpoint(None)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        for stream in bulk.substring_streams(scale.streams(g), store.dialect):
            bulk._run_stream(store, stream, pool, 1, batch, state, lambda n: None, send)
    return timed


def report(name: str, timed: Timed) -> list[str]:
    lines = [f"### ends by {name}", "", "| stream | rows | encode s | send s | engine s | whole s | rows/s |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for stream, s in timed.steps.items():
        if s["rows"] < 10_000:
            continue
        engine = s["whole"] - s["send"]
        lines.append(f"| {stream} | {int(s['rows']):,} | {s['encode']:.2f} | {s['send']:.2f} | {engine:.2f} | "
                     f"{s['whole'] + s['encode']:.2f} | {s['rows'] / (s['whole'] + s['encode']):,.0f} |")
    for stream, prof in timed.profiles.items():
        lines += ["", f"GRAPH.PROFILE, {stream}:", "```", *prof, "```"]
    return lines


def main(argv: list[str] | None = None) -> int:
    from dhrkg.graph import open_store
    from dhrkg.graph.falkordb import server

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--ends", default="key,id")
    ap.add_argument("--profile-at", type=int, default=5, help="the batch of each big stream given to GRAPH.PROFILE")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    args = ap.parse_args(argv)
    g = qbench.synth_streams(args.people, 1, args.cache)
    out = [f"people {args.people:,}; load average {os.getloadavg()[0]:.1f} at the start"]
    for ends in args.ends.split(","):
        data = Path(tempfile.mkdtemp(prefix="dhrkg-online-profile-"))
        try:
            store = open_store("falkordb", data, graph="profile")
            t0 = time.perf_counter()
            timed = run(store, g, ends, args.batch, args.profile_at)
            out += ["", *report(ends, timed), "", f"load {time.perf_counter() - t0:.1f} s (with the extra sends)"]
            store.close()
        finally:
            server.stop(data)
            shutil.rmtree(data, ignore_errors=True)
    out.append(f"load average {os.getloadavg()[0]:.1f} at the end")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
