"""The FalkorDB parameter header: the client's encoder against dhrkg.graph.falkordb.params.

    .venv/bin/python bench/falkordb_params.py --people 20000 --repeat 15

On batches of 5,000 rows of the synthetic national set (bench/queries.py): Person and Event
node rows, INVOLVED relationship rows. The two run interleaved; the best of --repeat is
reported (the machine is shared), with the texts checked equal.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import queries as qbench  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    from falkordb.graph import Graph

    from dhrkg.graph.falkordb.params import header

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    g = qbench.synth_graph(args.people, 1, args.cache)
    involved = [{"from": x["from"], "to": x["to"], "props": {"review": "synth", "role": x["role"]}}
                for x in g["involved"][:5000]]
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| rows (5,000) | client ms | dhrkg ms | ratio |\n|---|---:|---:|---:|")
    for name, rows in (("Person nodes", g["persons"][:5000]), ("Event nodes", g["events"][:5000]),
                       ("INVOLVED relationships", involved)):
        client, ours = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            a = Graph._build_params_header(None, {"rows": rows})
            t1 = time.perf_counter()
            b = header({"rows": rows})
            t2 = time.perf_counter()
            assert a == b
            client.append(t1 - t0)
            ours.append(t2 - t1)
        print(f"| {name} | {min(client) * 1000:.1f} | {min(ours) * 1000:.1f} | {min(client) / min(ours):.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
