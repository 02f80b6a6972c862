"""Benchmark the report extractor on the seed reports against their gold case files.

    .venv/bin/python bench/extract.py [--seeds DIR] [--gold DIR] [--repeat N] [--without PASS ...] [--heldout DIR]
    .venv/bin/python bench/extract.py --rules-table      # the rule tables of docs/extract.md
    .venv/bin/python bench/extract.py --startup main --repeat 5   # `dhrkg extract` start to end, this tree vs main

With ``--without PASS`` (repeatable) the named passes are switched off (ablation).
Also printed: each pass's hits per report, and the leave-one-out score: each report scored
with the data rules (ingest/report/rules/*.yaml) that fire on it and on no other report
switched off, so a rule fitted to one report does not count for that report. Rules
written in code cannot be switched off one by one; they are the same for every report.

For each report in the seeds folder (default ../shared/seeds) that has a gold
case file of the same name (default ../shared/gold), drafts a case file, checks
that it validates, scores it (docs/extract.md) and times it. Prints per-section
precision/recall/F1 per report and pooled over all reports, the held-out view
(each report scored as the one not looked at while the rules were tuned on the
others is the same extractor: there is no per-report state), and the time per
report: the first run in the process (cold: spaCy loads) and the best of the
warm runs, per 150 KB of text.

Then the held-out group (``--heldout DIR``, default tests/fixtures/extract/heldout: invented
reports in layouts the seeds lack, each NAME.txt (.pdf, .docx) beside its gold NAME.yaml), scored on its own:
per-report and mean F1 per section. ``--heldout ''`` leaves it out.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"persons": 0.85, "agencies": 0.85, "relationships": 0.6, "events": 0.65, "recommendations": 0.8}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs per report (best is reported)")
    ap.add_argument("--without", action="append", default=[], metavar="PASS", help="switch a pass off (ablation)")
    ap.add_argument("--rules-table", action="store_true", help="print the rule tables for docs/extract.md")
    ap.add_argument("--heldout", type=Path, default=ROOT / "tests" / "fixtures" / "extract" / "heldout",
                    help="folder of held-out reports with their gold files beside them, scored apart ('' for none)")
    ap.add_argument("--unnumbered", action="store_true",
                    help="score the reports with their paragraph numbers taken off (a layout the rules did not see)")
    ap.add_argument("--startup", metavar="GIT_REF",
                    help="only time `python -m dhrkg extract REPORT` start to end (a new process per run, "
                         "start-up included) for each report, here and in GIT_REF's tree, runs interleaved")
    args = ap.parse_args(argv)
    if args.startup:
        return startup(args.seeds, args.startup, args.repeat)
    if args.rules_table:
        from dhrkg.ingest.report.rules import rule_tables

        print(rule_tables(), end="")
        return 0
    skip = frozenset(args.without)
    if str(args.seeds) in ("", "."):   # --seeds '': the held-out group only
        return 0 if _print_heldout(args.heldout, skip) else 1

    from dhrkg.model import load_case, validate_text
    from dhrkg.ingest.report import draft_report, draft_yaml, score_case
    from dhrkg.ingest.report.score import OVERALL_SECTIONS, SECTIONS, total

    reports = sorted(p for p in args.seeds.glob("*") if p.suffix in (".txt", ".pdf", ".docx")
                     and (args.gold / f"{p.stem}.yaml").is_file())
    if not reports:
        print(f"no reports with gold files in {args.seeds} / {args.gold}", file=sys.stderr)
        return 2
    if args.unnumbered:
        reports = _unnumbered_copies(reports)

    t0 = time.perf_counter()
    import spacy  # noqa: F401  (the import alone, for the record)
    import_s = time.perf_counter() - t0

    scores, rows, drafts = [], [], []
    for n, path in enumerate(reports):
        size_kb = path.stat().st_size / 1024
        t = time.perf_counter()
        draft = draft_report(path, skip)
        first = time.perf_counter() - t
        warm, cpu = [], []
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            draft = draft_report(path, skip)
            warm.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        case = draft.case
        drafts.append(draft)
        valid = validate_text(draft_yaml(case), path.name).ok
        score = score_case(case, load_case(args.gold / f"{path.stem}.yaml"))
        scores.append(score)
        rows.append((path.name, size_kb, first, min(warm), valid, score, min(cpu)))

    print(f"spaCy import: {import_s:.2f} s (once per process)\n")
    for name, size_kb, first, best, valid, score, cpu in rows:
        print(f"== {name}: {size_kb:.0f} KB, draft {'valid' if valid else 'INVALID'}, "
              f"first run {first:.2f} s, warm {best:.2f} s wall / {cpu:.2f} s CPU "
              f"({best * 150 / size_kb:.2f} s wall, {cpu * 150 / size_kb:.2f} s CPU per 150 KB)")
        print(score.table())
        print()
    pooled = total(scores)
    print(f"== pooled over {len(scores)} reports (counts summed)")
    print(pooled.table())
    print()
    print("per-report F1 (and mean over reports):")
    header = f"{'section':<16}" + "".join(f"{r[0][:12]:>14}" for r in rows) + f"{'mean':>8}{'pooled':>8}{'target':>8}"
    print(header)
    for s in SECTIONS:
        f1s = [r[5].sections[s].f1 for r in rows]
        target = TARGETS.get(s)
        print(f"{s:<16}" + "".join(f"{f:>14.2f}" for f in f1s) + f"{sum(f1s) / len(f1s):>8.2f}"
              f"{pooled.sections[s].f1:>8.2f}" + (f"{target:>8.2f}" if target else f"{'':>8}"))
    overall = [r[5].overall for r in rows]
    print(f"{'overall':<16}" + "".join(f"{f:>14.2f}" for f in overall) + f"{sum(overall) / len(overall):>8.2f}"
          f"{pooled.overall:>8.2f}{0.75:>8.2f}")
    _print_hits(rows, drafts)
    loo = _leave_one_out(reports, drafts, args.gold, skip)
    print("\nleave-one-out F1 (each report without the data rules that fire on it alone) beside all three:")
    print(f"{'section':<16}" + "".join(f"{r[0][:12]:>14}" for r in rows) + f"{'mean':>8}{'all-3':>8}")
    for s in SECTIONS:
        f1s = [x.sections[s].f1 for x in loo]
        print(f"{s:<16}" + "".join(f"{f:>14.2f}" for f in f1s) + f"{sum(f1s) / len(f1s):>8.2f}"
              f"{sum(r[5].sections[s].f1 for r in rows) / len(rows):>8.2f}")
    print(f"{'overall':<16}" + "".join(f"{x.overall:>14.2f}" for x in loo)
          + f"{sum(x.overall for x in loo) / len(loo):>8.2f}{sum(overall) / len(overall):>8.2f}")
    heldout_ok = _print_heldout(args.heldout, skip) if str(args.heldout) not in ("", ".") else True
    worst = max(r[3] * 150 / r[1] for r in rows)
    worst_cpu = max(r[6] * 150 / r[1] for r in rows)
    print(f"\ntime per 150 KB (warm, worst report): {worst:.2f} s wall, {worst_cpu:.2f} s CPU (target < 2 s); "
          f"cold first report incl. spaCy load: {rows[0][2]:.2f} s")
    return 0 if all(r[4] for r in rows) and heldout_ok else 1


def startup(seeds: Path, ref: str, repeat: int) -> int:
    """Time whole `dhrkg extract` runs (new process: Python, imports, extraction, writing) here and at ``ref``.

    Runs alternate between the two trees so both see the same load. Bytecode is written and used (as
    in an installed package) and the first run of each tree is not timed (it writes the bytecode and,
    here, the tokenizer cache: its time is printed apart)."""
    import os
    import resource
    import statistics
    import subprocess
    import tempfile

    reports = sorted(p.resolve() for p in seeds.glob("*.txt"))
    work = Path(tempfile.mkdtemp(prefix="dhrkg-startup-"))
    trees = {"this tree": ROOT, ref: _tree_at(ref, work / "ref")}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["DHRKG_CACHE_DIR"] = str(work / "cache")

    def run(tree: Path, report: Path) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dhrkg", "extract", str(report), "-o", str(work / "d.yaml"),
                        "--force"], cwd=tree, env=env, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.perf_counter() - t, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    first = {name: run(tree, reports[0])[0] for name, tree in trees.items()}
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(repeat):
        for report in reports:
            for name, tree in trees.items():
                times.setdefault((name, report.name), []).append(run(tree, report))
    print(f"`python -m dhrkg extract REPORT -o d.yaml --force`, {repeat} runs each, interleaved; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"first run (bytecode, cache written): " + ", ".join(f"{n} {s:.2f} s" for n, s in first.items()))
    print(f"{'report':<24}{'tree':<12}{'median wall':>12}{'best wall':>11}{'median CPU':>12}")
    for (name, report), runs in times.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(f"{report[:23]:<24}{name[:11]:<12}{statistics.median(walls):>11.2f}s{min(walls):>10.2f}s"
              f"{statistics.median(cpus):>11.2f}s")
    _print_phases(trees, reports, repeat, env, work / "p.yaml")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


#: the steps of one `dhrkg extract REPORT -o OUT`, each timed in CPU seconds by :data:`_PHASE_PROBE`
PHASES = ("Python and site", "typer", "command line (dhrkg.cli)", "case-file model (dhrkg.model)",
          "extractor modules", "first validation (model's validator)", "draft (read, passes, validation)",
          "doubts, YAML, writing")
_PHASE_PROBE = """
import sys, time
from pathlib import Path
cpu = [time.process_time()]   # what the interpreter and site took
import typer
cpu.append(time.process_time())
import dhrkg.cli as cli
from typer.main import get_command
args = ["extract", sys.argv[1], "-o", sys.argv[2], "--force"]
get_command(cli.app_for(args) if hasattr(cli, "app_for") else cli.app)   # trees before app_for: all commands
cpu.append(time.process_time())
import dhrkg.model
cpu.append(time.process_time())
from dhrkg.ingest.report import draft_document, read_document
from dhrkg.ingest.report.looks_like import dhr_doubts
cpu.append(time.process_time())
dhrkg.model.validate_text("format: dhr-case/1\\nreview: {id: r}\\n")   # builds the validator where deferred
cpu.append(time.process_time())
doc = read_document(Path(sys.argv[1]))
draft = draft_document(doc)
cpu.append(time.process_time())
dhr_doubts(doc, draft.case)
Path(sys.argv[2]).write_text(draft.yaml(header=Path(sys.argv[1]).name), encoding="utf-8")
cpu.append(time.process_time())
print(cpu[0], *(b - a for a, b in zip(cpu, cpu[1:])))
"""


def _print_phases(trees: dict[str, Path], reports: list[Path], repeat: int, env: dict, out: Path) -> None:
    """Median CPU of each step of the first report's run, in one process per run, trees interleaved.

    The command line is built as `dhrkg extract` builds it; typer's parsing of the options is left
    out, so the steps add up to a little less than a whole run."""
    import statistics
    import subprocess

    runs: dict[str, list[list[float]]] = {name: [] for name in trees}
    for _ in range(repeat):
        for name, tree in trees.items():
            done = subprocess.run([sys.executable, "-c", _PHASE_PROBE, str(reports[0]), str(out)], cwd=tree,
                                  env=env, check=True, capture_output=True, text=True)
            runs[name].append([float(x) for x in done.stdout.split()])
    print(f"\nCPU per step of one run ({reports[0].name}, median of {repeat}):")
    print(f"{'step':<36}" + "".join(f"{name[:11]:>12}" for name in trees))
    for k, phase in enumerate(PHASES):
        print(f"{phase:<36}" + "".join(f"{statistics.median(r[k] for r in runs[n]):>11.3f}s" for n in trees))
    print(f"{'sum':<36}" + "".join(f"{statistics.median(sum(r) for r in runs[n]):>11.3f}s" for n in trees))


def _tree_at(ref: str, folder: Path) -> Path:
    """The files of git ref ``ref`` in ``folder``, with the packages linked where ``python -m dhrkg`` looks."""
    import io
    import subprocess
    import tarfile

    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    for package in ("graph", "ingest", "ontology", "api", "visualisation"):   # pyproject's package-dir
        link = folder / "dhrkg" / package
        if (folder / package).is_dir() and not link.exists():
            link.symlink_to(Path("..") / package)
    return folder


def heldout_scores(folder: Path, skip=frozenset()):
    """(report name, score, draft valid?, seconds) for every report of the held-out folder with a gold file beside it."""
    from dhrkg.model import load_case, validate_text
    from dhrkg.ingest.report import draft_report, draft_yaml, score_case

    out = []
    for path in sorted(p for p in folder.glob("*") if p.suffix in (".txt", ".pdf", ".docx")
                       and p.with_suffix(".yaml").is_file()):
        t = time.perf_counter()
        case = draft_report(path, skip).case
        seconds = time.perf_counter() - t
        valid = validate_text(draft_yaml(case), path.name).ok
        out.append((path.stem, score_case(case, load_case(path.with_suffix(".yaml"))), valid, seconds))
    return out


def _print_heldout(folder: Path, skip) -> bool:
    from dhrkg.ingest.report.score import SECTIONS

    found = heldout_scores(folder, skip) if folder.is_dir() else []
    if not found:
        print(f"\nno held-out reports in {folder}")
        return True
    print(f"\nheld-out group ({folder.name}: {len(found)} invented reports the rules were not written from), F1:")
    print(f"{'section':<16}" + "".join(f"{name[:12]:>14}" for name, *_ in found) + f"{'mean':>8}")
    for s in SECTIONS:
        f1s = [score.sections[s].f1 for _, score, *_ in found]
        print(f"{s:<16}" + "".join(f"{f:>14.2f}" for f in f1s) + f"{sum(f1s) / len(f1s):>8.2f}")
    overall = [score.overall for _, score, *_ in found]
    print(f"{'overall':<16}" + "".join(f"{f:>14.2f}" for f in overall) + f"{sum(overall) / len(overall):>8.2f}")
    bad = [name for name, _, valid, _ in found if not valid]
    if bad:
        print(f"INVALID drafts: {', '.join(bad)}")
    print(f"slowest held-out report: {max(sec for *_, sec in found[1:] or found):.2f} s wall (after the first)")
    return not bad


def _unnumbered_copies(reports: list[Path]) -> list[Path]:
    """Copies of the reports without paragraph numbers, in a temporary folder (same file names)."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from support.documents import unnumbered

    folder = Path(tempfile.mkdtemp(prefix="dhrkg-unnumbered-"))
    out = []
    for r in reports:
        out.append(folder / r.name)
        out[-1].write_text(unnumbered(r.read_text(encoding="utf-8")), encoding="utf-8")
    return out


def _print_hits(rows, drafts) -> None:
    from dhrkg.ingest.report.pipeline import PASS_NAMES

    print("\nhits per pass (records or items it found; 0: switched off or nothing found):")
    print(f"{'pass':<16}" + "".join(f"{r[0][:12]:>14}" for r in rows))
    for name in PASS_NAMES:
        print(f"{name:<16}" + "".join(f"{d.hits.get(name, 0):>14}" for d in drafts))
    rules = sorted({r for d in drafts for r in d.rule_hits})
    alone = [r for r in rules if sum(1 for d in drafts if d.rule_hits.get(r)) == 1]
    print(f"data rules that fired: {len(rules)}; on one report only: {', '.join(alone) or 'none'}")


def _leave_one_out(reports, drafts, gold_dir, skip):
    """Each report scored with the data rules that fire on it and on no other report switched off."""
    from dhrkg.model import load_case
    from dhrkg.ingest.report import draft_report, score_case
    from dhrkg.ingest.report.rules import disabled_rules

    out = []
    for k, path in enumerate(reports):
        mine = {r for r, n in drafts[k].rule_hits.items() if n}
        others = {r for j, d in enumerate(drafts) if j != k for r, n in d.rule_hits.items() if n}
        with disabled_rules(mine - others):
            case = draft_report(path, skip).case
        out.append(score_case(case, load_case(gold_dir / f"{path.stem}.yaml")))
    return out


if __name__ == "__main__":
    sys.exit(main())
