"""Benchmark: link ~1M synthetic people records with Splink on DuckDB, on this machine.

    .venv/bin/python bench/link.py                      # ~1M records in 43 force areas
    .venv/bin/python bench/link.py --people 130000 --forces 10   # ~200k records

Prints the time of each step (synthesis, load, training, prediction, clustering, pairs file),
the peak resident memory of the process (DuckDB runs in it), pairwise precision and recall
against truth.csv, and the same figures for the naive way (records joined on exact forename,
surname and date of birth) for comparison.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process (all DuckDB threads included)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def load_average() -> str:
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def naive_pairs(records: Path, out: Path) -> float:
    import duckdb

    t = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"""
        COPY (
          WITH r AS (SELECT record_id, upper(forename) f, upper(surname) s, date_of_birth d
                     FROM read_csv('{records}', header=true, all_varchar=true)
                     WHERE forename <> '' AND surname <> '' AND length(date_of_birth) = 10)
          SELECT a.record_id AS record_id_l, b.record_id AS record_id_r, 1.0 AS match_probability
          FROM r a JOIN r b ON a.f = b.f AND a.s = b.s AND a.d = b.d AND a.record_id < b.record_id
        ) TO '{out}' (HEADER, DELIMITER ',')""")
    con.close()
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=650_000, help="people to synthesise (~1.56 records each)")
    ap.add_argument("--forces", type=int, default=43)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=Path, help="use this synthetic dataset instead of making one")
    ap.add_argument("--match-threshold", type=float, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the working folder (synthetic data, pairs files)")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="dhrkg-bench-link-"))
    try:
        return run(args, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> int:
    from dhrkg.ingest import linkage as L
    from dhrkg.ingest.synth import SynthConfig, generate

    data = args.data
    if data is None:
        data = work / "synth"
        t = time.perf_counter()
        manifest = generate(SynthConfig(forces=args.forces, people=args.people, years=args.years, seed=args.seed), data)
        print(f"synth: {manifest['counts']['records']:,} records of {manifest['counts']['people']:,} people "
              f"in {args.forces} force areas: {time.perf_counter() - t:.1f} s, peak {peak_mib():,.0f} MiB")
    records = data / "people_records.csv"
    settings = L.LinkSettings()
    if args.match_threshold is not None:
        settings.match_threshold = args.match_threshold
    print(f"load average before linking: {load_average()} (cores: 2)")
    t_all = time.perf_counter()
    cpu0 = cpu_seconds()
    pairs = L.score_pairs(records, settings)
    for step, s in pairs.seconds.items():
        print(f"{step}: {s:.1f} s")
    print(f"scored pairs (p >= {settings.review_threshold}): {len(pairs):,}; peak {peak_mib():,.0f} MiB")
    t = time.perf_counter()
    res = L.resolve(pairs, settings)
    print(f"cluster: {time.perf_counter() - t:.1f} s; {len(set(res.identity_of.values())):,} identities of 2+ records, "
          f"{len(res.review):,} pairs for review, {res.refused:,} links refused (year-of-birth conflict)")
    t = time.perf_counter()
    out = work / "pairs.csv"
    n = L.write_pairs(out, L.linked_pairs(pairs, res))
    print(f"pairs file: {n:,} pairs, {time.perf_counter() - t:.1f} s")
    total = time.perf_counter() - t_all
    cpu = cpu_seconds() - cpu0
    print(f"LINKAGE TOTAL: {total:.1f} s ({total / 60:.2f} min) wall, {cpu:.1f} s CPU (of {2 * total:.0f} s "
          f"available on 2 cores); peak memory {peak_mib():,.0f} MiB; load average after: {load_average()}")
    scores = L.pairwise_scores(out, data / "truth.csv")
    print(f"splink: precision {scores['precision']:.4f} recall {scores['recall']:.4f} "
          f"({scores['correct_pairs']:,} of {scores['predicted_pairs']:,} predicted, {scores['true_pairs']:,} true)")
    naive_out = work / "naive.csv"
    naive_s = naive_pairs(records, naive_out)
    ns = L.pairwise_scores(naive_out, data / "truth.csv")
    print(f"naive exact (forename, surname, date of birth): {naive_s:.1f} s, precision {ns['precision']:.4f} "
          f"recall {ns['recall']:.4f}; splink/naive time ratio {total / max(naive_s, 1e-9):.0f}x, "
          f"recall gain {scores['recall'] - ns['recall']:+.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
