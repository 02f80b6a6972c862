"""One count of a review's nodes, said the same way by `load`, `stats -r` and
`import-chronology --graph`: the nodes of its own, and the shared areas apart (issue 12,
point 3: 213 in one place, 224 in the others). On both engines."""

from __future__ import annotations

import re
from pathlib import Path

from dhrkg.model import load_case
from dhrkg.ingest.chronology import export_chronology, without_events, write_case

from support.cli_env import dhrkg

CASE = Path(__file__).resolve().parents[2] / "examples" / "001_24bc3f827734f2c4.yaml"
SAID = re.compile(r"(\d+) nodes of its own \(\+ (\d+) shared areas\)")


def test_load_stats_and_import_chronology_count_alike(store, env, tmp_path):
    case = load_case(CASE)
    own = 1 + 1 + sum(len(getattr(case, s)) for s in ("persons", "households", "agencies", "events", "recommendations"))
    r = dhrkg(["load", CASE], env)
    assert r.exit_code == 0, r.output
    loaded = tuple(map(int, SAID.search(r.stdout).groups()))
    assert loaded[0] == own  # the Review, its report's Source, and one node per record

    r = dhrkg(["stats", "--review", case.review.id], env)
    assert r.exit_code == 0, r.output
    assert re.search(rf"total of its own\s+{own}\b", r.stdout), r.stdout
    assert re.search(rf"Area \(shared, not in total\)\s+{loaded[1]}\b", r.stdout), r.stdout

    empty, sheet = tmp_path / "case.yaml", tmp_path / "c.csv"
    write_case(without_events(case), empty)
    export_chronology(case, sheet)
    r = dhrkg(["import-chronology", sheet, "--review", empty, "-o", tmp_path / "o.yaml", "--graph"], env)
    assert r.exit_code == 0, r.output
    assert tuple(map(int, SAID.search(r.stdout).groups())) == loaded
