"""The cost of right answers for range comparisons on FalkorDB's indexed texts (the rewrite of
every read in graph/falkordb/text_ranges.py).

    flock /work/wt/bench.lock -c '.venv/bin/python bench/text_ranges.py --people 100000'

1. **The rewrite alone**: every canned query's FalkorDB text rewritten ``--rewrites`` times
   (10,000), in microseconds per text, against the cheapest read through the store with no
   rewrite (``RETURN 1``, and an indexed point lookup by key) in the same run.
2. **Reads at ``--people``** (the synthetic national set of bench/scale.py, loaded offline into a
   fresh embedded FalkorDB; 0: skip): find-person (four texts), agencies-saw-both (the one canned
   query the rewrite changes: ``a1.key < a2.key``) and an analyst's ``MATCH (p:Person) WHERE
   p.key < $b RETURN count(p)``, each read through the store with the rewrite and without it (the
   text sent as written), the two ways alternating run by run; p50/p95 ms, and whether the rows
   are the same (the analyst's count is not: without the rewrite it is every person).
3. **One cache or two**: a read's checks of every canned text (the read-only check, then the
   rewrite) with the text's tokens and its rewrite kept in one cache of 64 texts
   (``readonly.read_text``, as now) and in two (one each, as before), the two ways alternating
   text by text: each text read again (``--rewrites`` runs) and each new (caches emptied first).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import scale  # noqa: E402  (also puts the repository and tests/ on the path)

qbench = scale.qbench


class _AsWritten:
    """A guard that sends every text as written (the read without the rewrite)."""

    @staticmethod
    def rewrite(cypher: str) -> str:
        return cypher


def _per_text(texts: dict[str, str], n: int, run: Callable[[str], Any]) -> dict[str, float]:
    """Mean microseconds of ``run(text)`` for each text, over ``n`` runs."""
    out = {}
    for name, text in texts.items():
        t0 = time.perf_counter()
        for _ in range(n):
            run(text)
        out[name] = (time.perf_counter() - t0) / n * 1e6
    return out


def rewrite_cost(n: int) -> dict[str, Any]:
    """Microseconds per canned query text: the read-only check every read pays (a new text), and
    the rewrite: of a text read before (kept: ``n`` runs), of a new text after the check (its
    tokens kept from the check: what a read of a new text adds) and of a new text alone (its own
    tokenizing included); ``n // 10`` runs of the last three."""
    from dhrkg.graph import canned
    from dhrkg.graph.falkordb import text_ranges
    from dhrkg.graph.falkordb.store import RANGE_GUARD
    from dhrkg.graph.readonly import check_read_only, read_text

    def forget() -> None:
        read_text.cache_clear()  # the text's tokens and its rewrite

    def after_check(text: str) -> None:
        forget()
        check_read_only(text)
        t0 = time.perf_counter()
        RANGE_GUARD.rewrite(text)
        spent.append(time.perf_counter() - t0)

    texts = {q.name: q.text_for("falkordb") for q in canned.load_library(include_user=False)}
    ways: dict[str, dict[str, float]] = {
        "check_new": _per_text(texts, n // 10, lambda t: (forget(), check_read_only(t))),
        "rewrite_again": _per_text(texts, n, RANGE_GUARD.rewrite),
        "rewrite_new_alone": _per_text(texts, n // 10, lambda t: (forget(), RANGE_GUARD.rewrite(t))),
    }
    spent: list[float] = []
    ways["rewrite_new_after_check"] = {}
    for name, text in texts.items():
        spent.clear()
        for _ in range(n // 10):
            after_check(text)
        ways["rewrite_new_after_check"][name] = sum(spent) / len(spent) * 1e6
    worst = max(texts, key=lambda k: ways["rewrite_new_after_check"][k])
    return {"texts": len(texts), "runs": n,
            **{f"{w}_mean_us": sum(v.values()) / len(v) for w, v in ways.items()},
            "worst": worst, "worst_chars": len(texts[worst]),
            **{f"worst_{w}_us": v[worst] for w, v in ways.items()},
            "changed": sorted(k for k, t in texts.items() if RANGE_GUARD.rewrite(t) != t),
            "tokenized": sorted(k for k, t in texts.items() if RANGE_GUARD._may_need(t))}


@contextlib.contextmanager
def two_caches() -> Iterator[Callable[[], None]]:
    """The read path as before one cache: the tokens and the rewrite each in an LRU cache of 64
    texts of its own. Yields what empties both."""
    from dhrkg.graph import readonly
    from dhrkg.graph.falkordb import text_ranges

    tokens = functools.lru_cache(maxsize=64)(lambda cypher: tuple(readonly._tokens(cypher)))
    rewritten = functools.lru_cache(maxsize=64)(lambda guard, cypher: guard._rewrite(cypher))
    kept = readonly.token_list, text_ranges.token_list, text_ranges.TextRangeGuard.rewrite
    readonly.token_list = text_ranges.token_list = tokens
    text_ranges.TextRangeGuard.rewrite = lambda guard, cypher: rewritten(guard, cypher)
    try:
        yield lambda: (tokens.cache_clear(), rewritten.cache_clear())
    finally:
        readonly.token_list, text_ranges.token_list, text_ranges.TextRangeGuard.rewrite = kept


def one_cache_or_two(n: int) -> dict[str, Any]:
    """Mean microseconds per canned text of the read-only check then the rewrite, with one cache
    (as now) and two (:func:`two_caches`), alternating text by text; read again and new."""
    from dhrkg.graph import canned
    from dhrkg.graph.falkordb.store import RANGE_GUARD
    from dhrkg.graph.readonly import check_read_only, read_text

    def read(text: str) -> None:
        check_read_only(text)
        RANGE_GUARD.rewrite(text)

    texts = {q.name: q.text_for("falkordb") for q in canned.load_library(include_user=False)}
    spent: dict[str, list[float]] = {f"{w}_{k}": [] for w in ("one", "two") for k in ("again", "new")}
    for text in texts.values():
        for way in ("one", "two"):
            with contextlib.ExitStack() as stack:
                forget = stack.enter_context(two_caches()) if way == "two" else read_text.cache_clear
                read(text)
                spent[f"{way}_again"] += _per_text({"t": text}, n, read).values()
                spent[f"{way}_new"] += _per_text({"t": text}, n // 10, lambda t: (forget(), read(t))).values()
    out = {f"{w}_mean_us": sum(v) / len(v) for w, v in spent.items()}
    out["one_over_two_again"] = out["one_again_mean_us"] / out["two_again_mean_us"]
    out["one_over_two_new"] = out["one_new_mean_us"] / out["two_new_mean_us"]
    return out


def timed(run: Callable[[], Any], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def with_guard(guard: Any, run: Callable[[], Any]) -> Any:
    from dhrkg.graph.falkordb import store as falkordb_store

    kept = falkordb_store.RANGE_GUARD
    falkordb_store.RANGE_GUARD = guard
    try:
        return run()
    finally:
        falkordb_store.RANGE_GUARD = kept


def both_ways(run: Callable[[], Any], repeat: int) -> dict[str, Any]:
    """p50/p95 ms of ``run`` with the rewrite and as written, alternating; rows of each."""
    from dhrkg.graph.falkordb.store import RANGE_GUARD

    ways = {"rewritten": RANGE_GUARD, "as_written": _AsWritten()}
    rows = {w: with_guard(g, run).rows for w, g in ways.items()}  # also the warm-up
    times: dict[str, list[float]] = {w: [] for w in ways}
    for _ in range(repeat):
        for w, g in ways.items():
            times[w] += with_guard(g, lambda: timed(run, 1))
    out = {f"{w}_{p}": qbench.percentile(t, q) for w, t in times.items() for p, q in (("p50", .5), ("p95", .95))}
    out["same_rows"] = rows["rewritten"] == rows["as_written"]
    out["ratio_p50"] = out["rewritten_p50"] / out["as_written_p50"]
    return out


def floor_reads(store: Any, key: str, repeat: int) -> dict[str, float]:
    """p50 ms of the cheapest reads, without the rewrite."""
    reads = {"return_1": ("RETURN 1", {}), "point_lookup": ("MATCH (p:Person {key: $k}) RETURN p.key", {"k": key})}
    out = {}
    for name, (cypher, params) in reads.items():
        run = lambda: with_guard(_AsWritten(), lambda: store.query(cypher, params))  # noqa: E731
        run()
        out[f"{name}_p50_ms"] = qbench.percentile(timed(run, repeat), .5)
    return out


def reads(store: Any, g: dict[str, Any], repeat: int) -> dict[str, Any]:
    from dhrkg.graph import canned

    lib = canned.load_library(include_user=False)
    sets = qbench.parameter_sets(store, g, random.Random(1), 10)
    out: dict[str, Any] = {}
    for text in ("Smith", "Jones", "ohn", "former partner"):
        q = lib.get("find-person")
        params = canned.bind(q, {}, [text])
        out[f"find-person {text!r}"] = both_ways(lambda: canned.run(store, q, params), repeat)
    q = lib.get("agencies-saw-both")
    for args, named in sets["agencies-saw-both"][:3]:
        params = canned.bind(q, named, args)
        out[f"agencies-saw-both {args[0]}"] = both_ways(lambda: canned.run(store, q, params), max(3, repeat // 4))
    analyst = "MATCH (p:Person) WHERE p.key < $b RETURN count(p) AS n"
    out["analyst p.key < 'synth/5'"] = both_ways(lambda: store.query(analyst, {"b": "synth/5"}), max(3, repeat // 4))
    for name, r in out.items():
        print(f"  {name}: {r}", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--rewrites", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=40)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dhrkg-bench" / "synth")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    out: dict[str, Any] = {"people": args.people, "load_average_start": os.getloadavg()[0]}
    out["rewrite"] = rewrite_cost(args.rewrites)
    print(f"rewrite: {out['rewrite']}", file=sys.stderr)
    out["caches"] = one_cache_or_two(args.rewrites)
    print(f"one cache or two: {out['caches']}", file=sys.stderr)
    with scale.engine("falkordb", "") as (store, _data, _pid):
        if args.people:
            g = qbench.synth_streams(args.people, 1, args.cache)
            out["load"] = scale.offline_falkordb(store, g)
            key = next(iter(g["persons"]))["id"]
            out["floor"] = floor_reads(store, f"synth/{key}", args.repeat * 10)
            out["reads"] = reads(store, g, args.repeat)
        else:
            out["floor"] = floor_reads(store, "none", args.repeat * 10)
    for way in ("rewrite_again", "rewrite_new_after_check", "rewrite_new_alone"):
        out["floor"][f"{way}_mean_over_return_1"] = \
            out["rewrite"][f"{way}_mean_us"] / 1000 / out["floor"]["return_1_p50_ms"]
    out["load_average_end"] = os.getloadavg()[0]
    print(json.dumps(out, indent=1, default=str))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
