"""GRAPH.BULK node packing in Python (dhrkg.graph.falkordb.bulk_insert), against the way before
(every value through the one type dispatch, lists of texts value by value), on the synthetic set's
Person rows (with Person.find_text's pieces) and Event rows, best of ``--repeat``:

    .venv/bin/python bench/bulk_pack.py --people 100000

No server: the rows are packed as the offline load packs them (``BulkInsert.add_node``), never sent.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import queries as qbench  # noqa: E402


def value_by_value(props: dict, where: str) -> bytes:
    """The way before (issue 17's round 4): every value through the one type dispatch, a list
    value by value."""
    from dhrkg.graph.falkordb.bulk_insert import ARRAY, _LONG, _pack_text, pack_value

    def one(v):
        kind = type(v)
        if kind is str:
            return _pack_text(v, where)
        if kind is list or kind is tuple:
            return _LONG(ARRAY, len(v)) + b"".join([one(x) for x in v])
        return pack_value(v, where)
    return b"".join([one(v) for v in props.values()])


def timed(label: str, rows: list, naive: bool) -> float:
    from dhrkg.graph.falkordb import bulk_insert

    writer = bulk_insert.BulkInsert(None, "bench", max_bytes=1 << 62)
    real = bulk_insert._pack_props
    if naive:
        bulk_insert._pack_props = value_by_value
    try:
        t0 = time.perf_counter()
        for n, row in enumerate(rows, 1):
            writer.add_node(label, row, f"{label}, row {n}")
        return time.perf_counter() - t0
    finally:
        bulk_insert._pack_props = real


def main() -> int:
    import os

    from dhrkg.graph.dialect import FALKORDB
    from dhrkg.graph.summaries import with_substrings

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    args = ap.parse_args()
    g = qbench.synth_streams(args.people, 1, args.cache)
    sets = {"Person": list(with_substrings("Person", list(g["persons"]), FALKORDB)), "Event": list(g["events"])}
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| rows | count | value by value rows/s | dhrkg rows/s | ratio |\n|---|---:|---:|---:|---:|")
    for label, rows in sets.items():
        best = {way: min(timed(label, rows, way) for _ in range(args.repeat)) for way in (True, False)}
        print(f"| {label} | {len(rows):,} | {len(rows) / best[True]:,.0f} | {len(rows) / best[False]:,.0f} | "
              f"{best[True] / best[False]:.2f}x |")
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
