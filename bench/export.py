"""Benchmark: streaming RDF export against rdflib's in-memory Graph.serialize, in one run.

    python bench/export.py                          # 1M, 2M, 5M triples; rdflib at 1M and 2M
    python bench/export.py --sizes 5000000 --rdflib-sizes 5000000

Synthetic case files (a pool of generated reviews, re-used under new review ids, so
generating them costs nothing during the export) are exported to N-Triples and N-Quads
by dhrkg's streaming writer, and, for the comparison, loaded into one rdflib Graph and
written with ``Graph.serialize(format="nt")`` (the naive way). Every measurement runs in
its own process, so its peak memory (max RSS) is its own; "growth" is the peak minus the
RSS before the export started. Prints a table and, with --json, writes the figures.
Goal (issue 8): >= 300k triples/s for N-Triples, memory flat as the graph grows.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

REVIEWS_IN_POOL = 12


def synthetic_case(seed: int):
    """One synthetic review with the shape of a large DHR (people, agencies, a long chronology)."""
    from dhrkg.model.model import CaseFile, values
    from dhrkg.model import model as m

    rnd = random.Random(seed)
    words = ("police attended after a call from a neighbour about shouting; the victim said she was "
             "frightened; officers completed a DASH assessment and referred to the IDVA service").split()

    def sentence(n=18):
        return " ".join(rnd.choice(words) for _ in range(n)).capitalize() + "."

    def date(lo=1995, hi=2020):
        y = rnd.randint(lo, hi)
        r = rnd.random()
        if r < 0.2:
            return str(y)
        if r < 0.5:
            return f"{y}-{rnd.randint(1, 12):02d}"
        return f"{y}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"

    persons = [{"id": f"P{i}", "name": f"Person {i} of {seed}", "aliases": [f"alias {i}", f"the {i}th person"],
                "sex": rnd.choice(values(m.Sex)), "born": date(1940, 2010), "ethnicity": "White British",
                "roles": [rnd.choice(values(m.Role))], "notes": sentence(10), "source": f"{i}.1, {i}.2"}
               for i in range(40)]
    pids = [p["id"] for p in persons]
    agencies = [{"id": f"A{i}", "name": f"Agency {i} of {seed}", "abbreviation": f"AG{i}",
                 "type": rnd.choice(values(m.AgencyType)), "police_force_area": "West Midlands"}
                for i in range(40)]
    aids = [a["id"] for a in agencies]
    relationships = []
    for i in range(80):
        t = rnd.choice(["parent", "sibling", "partner", "friend", "abuse", "associate"])
        r = {"type": t, "from": rnd.choice(pids), "to": rnd.choice(pids), "start": date(), "source": f"2.{i}"}
        if t == "partner":
            r.update(status=rnd.choice(["current", "former"]), kind="married")
        if t == "abuse":
            r["kinds"] = ["physical", "coercive_control"]
        relationships.append(r)
    households = [{"id": f"H{i}", "location": {"town": "Birmingham", "local_authority": "Birmingham",
                                               "police_force_area": "West Midlands"},
                   "members": [rnd.choice(pids), {"person": rnd.choice(pids), "start": date()}], "source": f"3.{i}"}
                  for i in range(15)]
    events = []
    for i in range(900):
        e = {"id": f"E{i}", "date": date(), "agency": rnd.choice(aids), "type": rnd.choice(values(m.EventType)),
             "persons": rnd.sample(pids, 3), "summary": sentence(), "source": f"4.{i}"}
        if rnd.random() < 0.2:
            e["abuse"] = {"perpetrator": rnd.choice(pids), "victim": rnd.choice(pids), "kinds": ["physical"]}
        if rnd.random() < 0.1:
            e["risk"] = {"tool": "DASH", "level": "high", "score": rnd.randint(0, 27)}
        if rnd.random() < 0.2:
            e["shared_with"] = rnd.sample(aids, 2)
        events.append(e)
    recommendations = [{"id": f"R{i}", "agency": rnd.choice(aids), "text": sentence(12), "scope": "single_agency"}
                       for i in range(30)]
    return CaseFile.model_validate({
        "format": "dhr-case/1",
        "review": {"id": f"synthetic-{seed}", "title": f"Synthetic review {seed}", "police_force_area": "West Midlands",
                   "homicide_date": "2021-03", "review_period": {"start": "2015", "end": "2021-03"}},
        "persons": persons, "relationships": relationships, "households": households,
        "agencies": agencies, "events": events, "recommendations": recommendations,
    })


def reviews(pool):
    """Copies of the pool's reviews under new ids, for ever."""
    i = 0
    while True:
        case = pool[i % len(pool)]
        yield case.model_copy(update={"review": case.review.model_copy(update={"id": f"synthetic-review-{i}"})})
        i += 1


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_streaming(fmt: str, target: int, out_dir: str, queue) -> None:
    from dhrkg.ontology.export import ExportOptions, RDFWriter, ReviewEmitter, case_triples

    pool = [synthetic_case(s) for s in range(REVIEWS_IN_POOL)]
    base = _current_rss_mb()
    opts = ExportOptions()
    path = Path(out_dir) / f"stream.{fmt}"
    c0 = time.process_time()
    t0 = time.perf_counter()
    n_reviews = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        writer = RDFWriter(out, fmt)
        samples = []
        for case in reviews(pool):
            em = ReviewEmitter(case.review, case.persons, opts)
            writer.write_review(case_triples(case, opts, emitter=em), em.graph)
            n_reviews += 1
            if n_reviews % 10 == 0:
                samples.append((writer.triples, round(_current_rss_mb(), 1)))
            if writer.triples >= target:
                break
        writer.close()
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    size = path.stat().st_size
    path.unlink()
    queue.put({"method": f"dhrkg streaming {fmt}", "triples": writer.triples, "reviews": n_reviews,
               "seconds": elapsed, "triples_per_s": writer.triples / elapsed, "bytes": size,
               "cpu_seconds": cpu, "cpu_triples_per_s": writer.triples / cpu,
               "base_rss_mb": base, "peak_rss_mb": _rss_mb(), "rss_samples": samples})


def run_rdflib(target: int, out_dir: str, queue) -> None:
    from rdflib import Graph

    from dhrkg.ontology.export import ExportOptions, ReviewEmitter, case_triples

    pool = [synthetic_case(s) for s in range(REVIEWS_IN_POOL)]
    base = _current_rss_mb()
    opts = ExportOptions()
    g = Graph()
    written = 0
    c0 = time.process_time()
    t0 = time.perf_counter()
    for case in reviews(pool):
        em = ReviewEmitter(case.review, case.persons, opts)
        lines = [f"{s} {p} {o} .\n" for s, p, o in case_triples(case, opts, emitter=em)]
        written += len(lines)
        g.parse(data="".join(lines), format="nt")
        if written >= target:
            break
    built = time.perf_counter() - t0
    path = Path(out_dir) / "rdflib.nt"
    t1 = time.perf_counter()
    g.serialize(destination=str(path), format="nt", encoding="utf-8")
    serialised = time.perf_counter() - t1
    cpu = time.process_time() - c0
    size = path.stat().st_size
    path.unlink()
    queue.put({"method": "rdflib Graph + serialize nt", "triples": len(g), "written": written,
               "seconds": built + serialised, "build_seconds": built, "serialize_seconds": serialised,
               "triples_per_s": written / (built + serialised), "serialize_triples_per_s": len(g) / serialised,
               "cpu_seconds": cpu, "cpu_triples_per_s": written / cpu,
               "bytes": size, "base_rss_mb": base, "peak_rss_mb": _rss_mb()})


def measure(target, *args) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000000,2000000,5000000", help="triples for the streaming export")
    ap.add_argument("--rdflib-sizes", default="1000000,2000000", help="triples for rdflib (memory grows with them)")
    ap.add_argument("--formats", default="nt,nq", help="streaming formats")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    rsizes = [int(x) for x in args.rdflib_sizes.split(",") if x]
    results = []
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(wall-clock rates suffer when the machine is shared; CPU-time rates less so)")
    print(f"{'method':<30} {'triples':>10} {'seconds':>8} {'triples/s':>10} {'cpu s':>7} {'/cpu s':>10} "
          f"{'base MB':>8} {'peak MB':>8} {'growth MB':>9}")
    with tempfile.TemporaryDirectory(prefix="dhrkg-bench-export-") as tmp:
        for n in sizes:
            for fmt in args.formats.split(","):
                results.append(measure(run_streaming, fmt, n, tmp))
                _row(results[-1])
        for n in rsizes:
            results.append(measure(run_rdflib, n, tmp))
            _row(results[-1])
            r = results[-1]
            print(f"{'':<30} build {r['build_seconds']:.1f} s, serialize {r['serialize_seconds']:.1f} s "
                  f"({r['serialize_triples_per_s']:,.0f} triples/s serialize only)")
    stream_nt = [r for r in results if r["method"] == "dhrkg streaming nt"]
    rdf = [r for r in results if r["method"].startswith("rdflib")]
    print()
    for r in rdf:
        same = min(stream_nt, key=lambda s: abs(s["triples"] - r["written"]), default=None)
        if same:
            print(f"at {r['written']:,} triples: streaming nt {same['triples_per_s'] / r['triples_per_s']:.1f}x the "
                  f"throughput of rdflib build+serialize ({same['triples_per_s'] / r['serialize_triples_per_s']:.1f}x "
                  f"serialize alone), memory growth {same['peak_rss_mb'] - same['base_rss_mb']:.0f} MB against "
                  f"{r['peak_rss_mb'] - r['base_rss_mb']:.0f} MB")
    if stream_nt:
        growth = [round(s["peak_rss_mb"] - s["base_rss_mb"], 1) for s in stream_nt]
        print(f"streaming nt memory growth by size {[s['triples'] for s in stream_nt]}: {growth} MB")
        big = max(stream_nt, key=lambda s: s["triples"])
        print(f"streaming nt RSS while exporting {big['triples']:,} triples (triples, MB): {big['rss_samples'][::max(1, len(big['rss_samples']) // 8)]}")
        ok = all(s["triples_per_s"] >= 300_000 for s in stream_nt)
        print(f"goal >= 300k triples/s for N-Triples (wall clock): {'met' if ok else 'NOT met'} "
              f"({min(s['triples_per_s'] for s in stream_nt):,.0f} triples/s at the slowest; "
              f"{min(s['cpu_triples_per_s'] for s in stream_nt):,.0f} per CPU second); "
              f"load average now {os.getloadavg()[0]:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


def _row(r: dict) -> None:
    print(f"{r['method']:<30} {r['triples']:>10,} {r['seconds']:>8.1f} {r['triples_per_s']:>10,.0f} "
          f"{r['cpu_seconds']:>7.1f} {r['cpu_triples_per_s']:>10,.0f} {r['base_rss_mb']:>8.0f} {r['peak_rss_mb']:>8.0f} {r['peak_rss_mb'] - r['base_rss_mb']:>9.0f}")
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
