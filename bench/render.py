"""Time the drawings: genograms of a 30-person review and a 300-person family, the contact
network and timeline of gold 001, and the PDF/PNG conversion.

    .venv/bin/python bench/render.py [--repeat 5]

Goals (issue 4): a 30-person review in well under a second, the 300-person family under 10 s.
For comparison, the naive way is timed in the same process: handing the same people and
parent/partner edges to ``dot -Tsvg`` and taking its drawing as it comes (no partner blocks,
no routing, no outlines: what Graphviz family-tree generators do).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dhrkg.model import CaseFile, load_case  # noqa: E402
from dhrkg.visualisation import (  # noqa: E402
    genogram_svg, network_svg, svg_to_pdf, svg_to_png, timeline_svg,
)

GOLD = ROOT / "examples" / "001_24bc3f827734f2c4.yaml"
GOLD_003 = ROOT / "examples" / "003_6dddf133ef4ab455.yaml"  # the side panel is drawn in each shape (issue 16)
FAMILY_300 = ROOT / "tests" / "fixtures" / "genogram" / "family-300.yaml"


def review_of(n: int) -> CaseFile:
    """An n-person review from the fixture family generator."""
    spec = importlib.util.spec_from_file_location("make_family", ROOT / "tests" / "fixtures" / "genogram" / "make_family.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return CaseFile.model_validate(module.make_family(n))


def naive_dot(case: CaseFile) -> str:
    """The people and their parent and partner edges as plain DOT, for dot to draw on its own."""
    lines = ["digraph g {", "  node [shape=box];"]
    for p in case.persons:
        lines.append(f'  "{p.id}" [label="{p.name or p.id}"];')
    for r in case.relationships:
        if r.type == "parent":
            lines.append(f'  "{r.from_}" -> "{r.to}";')
        elif r.type == "partner":
            lines.append(f'  {{rank=same; "{r.from_}" -> "{r.to}" [dir=none];}}')
    lines.append("}")
    return "\n".join(lines)


def timed(fn, repeat: int) -> tuple[float, float, object]:
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), result


def key_wrap_cost(repeat: int) -> None:
    """What measuring the key with its long entries wrapped costs: each gold genogram with the
    key on one line (KEY_WRAPS = 0) against wrapping tried, in turn, in this process."""
    import dhrkg.visualisation.genogram as genogram

    tried = genogram.KEY_WRAPS
    for name, path in (("gold 001", GOLD), ("gold 003", GOLD_003)):
        case = load_case(path)
        medians = {}
        for wraps in (0, tried):
            genogram.KEY_WRAPS = wraps
            medians[wraps] = timed(lambda: genogram_svg(case), repeat)[0]
        genogram.KEY_WRAPS = tried
        print(f"genogram, {name}: key on one line {medians[0]:.3f} s, long entries wrapped tried "
              f"{medians[tried]:.3f} s ({medians[tried] / medians[0]:.2f}x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    cases = {
        "genogram, 30-person review": review_of(30),
        "genogram, gold 001 (22 persons)": load_case(GOLD),
        "genogram, gold 003 (7 in the side panel)": load_case(GOLD_003),
        "genogram, 300-person family": load_case(FAMILY_300),
    }
    rows = []
    svgs = {}
    for name, case in cases.items():
        med, best, svg = timed(lambda c=case: genogram_svg(c), args.repeat)
        svgs[name] = svg
        naive_med, _, _ = timed(lambda c=case: subprocess.run(["dot", "-Tsvg"], input=naive_dot(c).encode(),
                                                             capture_output=True, check=True), args.repeat)
        rows.append((name, len(case.persons), med, best, naive_med))
    gold = load_case(GOLD)
    for name, fn in (("contact network, gold 001", lambda: network_svg(gold)),
                     ("timeline, gold 001 (119 events)", lambda: timeline_svg(gold))):
        med, best, _ = timed(fn, args.repeat)
        rows.append((name, len(gold.persons), med, best, None))
    print(f"{'drawing':<36} {'persons':>7} {'median':>9} {'best':>9} {'dot -Tsvg alone':>16} {'ratio':>6}")
    for name, n, med, best, naive in rows:
        naive_text = f"{naive:8.3f} s" if naive is not None else ""
        ratio = f"{med / naive:5.1f}x" if naive else ""
        print(f"{name:<36} {n:>7} {med:8.3f} s {best:8.3f} s {naive_text:>16} {ratio:>6}")
    print()
    for name in ("genogram, 30-person review", "genogram, 300-person family"):
        svg = svgs[name]
        pdf_med, _, pdf = timed(lambda s=svg: svg_to_pdf(s), max(1, args.repeat // 2))
        png_med, _, png = timed(lambda s=svg: svg_to_png(s, 1.0), max(1, args.repeat // 2))
        print(f"{name}: SVG {len(svg) / 1024:.0f} KB; PDF (A4) {pdf_med:.3f} s, {len(pdf) / 1024:.0f} KB; "
              f"PNG (zoom 1) {png_med:.3f} s, {len(png) / 1024:.0f} KB")
    print()
    key_wrap_cost(args.repeat)
    small = rows[0][2]
    large = next(r[2] for r in rows if r[0] == "genogram, 300-person family")
    print()
    print(f"goals: 30-person review {small:.3f} s (goal < 1 s: {'met' if small < 1 else 'NOT met'}); "
          f"300-person family {large:.3f} s (goal < 10 s: {'met' if large < 10 else 'NOT met'})")


if __name__ == "__main__":
    main()
