"""`dhrkg stats` on a graph whose bulk load is unfinished, before and after the load's mark
(dhrkg.graph.unfinished): before, every command that opened the graph first summarised the
half-loaded reviews; now it leaves them to the load.

    flock /work/wt/bench.lock .venv/bin/python bench/halfload.py --reviews 300 --runs 3 \\
        --before /work/main/.venv/bin/python

For each run the graph is made again as an interrupted load leaves it (every row of ``--reviews``
case files written by the bulk loader, no summary, the load's mark), then ``python -m dhrkg
stats`` is timed as a whole process (start-up included) with this tree's interpreter ("after")
and, given ``--before``, another tree's ("before", its own installed dhrkg; run from a folder
outside both trees so each imports its own). "finished": the same graph summarised and unmarked,
what `stats` costs on a graph with nothing to do. FalkorDB (the embedded server of a temporary
data directory).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from support.case_folders import case_folder  # noqa: E402




def interrupted(store, folder: Path, spool_dir: Path) -> None:
    """The graph as a bulk load of ``folder`` cut before its summaries leaves it."""
    from dhrkg.graph import unfinished
    from dhrkg.graph.bulk import Spool, bulk_load
    from dhrkg.graph.schema import case_rows
    from dhrkg.model import load_case

    store.clear()
    spool = Spool(spool_dir)
    for path in sorted(folder.glob("*.yaml")):
        spool.add(case_rows(load_case(path)))
    unfinished.write(store, unfinished.UnfinishedLoad.starting(folder, folder / unfinished.DEFAULT_CHECKPOINT,
                                                               spool.reviews))
    bulk_load(store, spool.streams())


def timed_stats(python: str, env: dict, cwd: Path) -> float:
    t0 = time.perf_counter()
    r = subprocess.run([python, "-m", "dhrkg", "stats"], env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if r.returncode:
        sys.exit(f"dhrkg stats failed ({python}):\n{r.stderr}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviews", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--before", help="the interpreter of another tree's dhrkg (e.g. main's .venv/bin/python)")
    args = ap.parse_args()

    from dhrkg.graph import unfinished
    from dhrkg.graph.falkordb import FalkorDBStore

    with tempfile.TemporaryDirectory(prefix="dhrkg-halfload-") as tmp:
        tmp = Path(tmp)
        folder = case_folder(tmp / "cases", args.reviews)
        store = FalkorDBStore(tmp / "db", graph="bench")
        env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "DHRKG_BACKEND", "PYTHONPATH")}
        env.update(DHRKG_BACKEND="falkordb", DHRKG_DATA_DIR=str(tmp / "db"), DHRKG_GRAPH="bench")
        kinds = {"after": sys.executable, **({"before": args.before} if args.before else {})}
        times: dict[str, list[float]] = {k: [] for k in [*kinds, "finished"]}
        for run in range(args.runs):
            for kind, python in kinds.items():
                spool = tmp / f"spool-{run}-{kind}"
                spool.mkdir()
                interrupted(store, folder, spool)
                times[kind].append(timed_stats(python, env, tmp))
            store.ensure_summaries()
            unfinished.remove(store)
            store.ensure_summaries()
            times["finished"].append(timed_stats(sys.executable, env, tmp))
        store.close()
    print(f"dhrkg stats, FalkorDB, a bulk load of {args.reviews} reviews cut before its summaries "
          f"({args.runs} runs, whole process):")
    for kind, ts in times.items():
        print(f"  {kind:<9} median {statistics.median(ts):6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in ts)})")
    if "before" in times:
        print(f"  before / after: {statistics.median(times['before']) / statistics.median(times['after']):.1f}x")


if __name__ == "__main__":
    main()
