"""The case-file validator: gold files, the broken-file corpus, unreadable input, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dhrkg.model import CaseFileInvalid, load_case, validate_file, validate_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
FIXTURES = ROOT / "tests" / "fixtures" / "casefiles"
BROKEN = sorted((FIXTURES / "broken").glob("*.yaml"))
DHRKG = [sys.executable, "-m", "dhrkg"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*DHRKG, *args], capture_output=True, text=True, cwd=ROOT)


def test_corpus_is_large_enough():
    assert len(BROKEN) >= 30


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_gold_case_files_validate_without_problems(path):
    result = validate_file(path)
    assert [str(p) for p in result.problems] == []
    assert result.case is not None and result.case.review.id


def test_shared_gold_files_are_the_examples():
    shared = ROOT.parent / "shared" / "gold"
    if not shared.is_dir():
        pytest.skip("../shared/gold is not beside this checkout")
    for gold in shared.glob("*.yaml"):  # the same records; the examples' header comments may differ
        assert yaml.safe_load((ROOT / "examples" / gold.name).read_text()) == yaml.safe_load(gold.read_text())


def test_valid_base_of_the_corpus_is_valid():
    assert validate_file(FIXTURES / "valid-small.yaml").problems == []


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_file_gives_exactly_the_expected_problems(path):
    expected = sorted(line.removeprefix("# expect: ") for line in path.read_text().splitlines() if line.startswith("# expect: "))
    assert expected, f"{path.name} states no expectation"
    result = validate_file(path)
    got = sorted(str(p).removeprefix(f"{path}:") for p in result.errors)
    assert got == expected
    assert not result.ok and result.case is None


def test_cli_reports_every_problem_with_file_line_and_path_and_exits_1():
    path = FIXTURES / "broken" / "parent-cycle.yaml"
    proc = run_cli("validate", str(path.relative_to(ROOT)))
    assert proc.returncode == 1
    lines = [l for l in proc.stdout.splitlines() if re.match(r"^tests/.*:\d+:\d+:( |$)", l)]  # long: on 2 lines
    assert len(lines) == 2
    assert all(l.startswith("tests/fixtures/casefiles/broken/parent-cycle.yaml:") for l in lines)


def test_cli_exit_0_for_gold_files():
    proc = run_cli("validate", *[str(p) for p in EXAMPLES])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count(": valid") == len(EXAMPLES)


def test_cli_exit_2_for_unreadable_input(tmp_path):
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("format: dhr-case/1\nreview:\n  id: x\n  title: [unclosed\n")
    proc = run_cli("validate", str(bad_yaml))
    assert proc.returncode == 2
    assert re.search(r"bad\.yaml:\d+:\d+: not valid YAML/JSON", " ".join(proc.stderr.split()))
    proc = run_cli("validate", str(tmp_path / "missing.yaml"))
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_exit_2_wins_over_1_and_every_file_is_still_checked(tmp_path):
    missing = tmp_path / "missing.yaml"
    broken = FIXTURES / "broken" / "bad-sex.yaml"
    proc = run_cli("validate", str(missing), str(broken))
    assert proc.returncode == 2
    assert "fmale" in proc.stdout


def test_duplicate_keys_are_errors_with_their_line_and_the_other_rules_still_run(tmp_path):
    path = tmp_path / "dup.yaml"
    lines = (FIXTURES / "valid-small.yaml").read_text().splitlines()
    lines[3:4] = ["  id: a", "  id: b"]  # review.id twice: line 5 repeats it
    lines[29] = '    born: "1990"'      # dora (now line 30) born after her daughter anna
    path.write_text("\n".join(lines) + "\n")
    proc = run_cli("validate", str(path))
    assert proc.returncode == 1, proc.stderr
    out = " ".join(proc.stdout.split())  # a problem wider than 80 columns is on two lines
    assert f"{path}:5:3: review.id: duplicate key 'id' (the first value is used)" in out
    assert "child 'anna' (born 1980) is born before parent 'dora' (born 1990)" in out


def test_json_case_file_loads_the_same_as_yaml(tmp_path):
    for path in EXAMPLES:
        data = yaml.safe_load(path.read_text())
        as_json = tmp_path / (path.stem + ".json")
        as_json.write_text(json.dumps(data, default=str, indent=1))
        assert load_case(as_json) == load_case(path)


def test_json_problems_carry_json_line_numbers(tmp_path):
    path = tmp_path / "case.json"
    path.write_text('{\n  "format": "dhr-case/1",\n  "review": {"id": "x"},\n  "persons": [\n    {"id": "a", "sex": "fmale"}\n  ]\n}\n')
    [problem] = validate_file(path).errors
    assert (problem.line, problem.path) == (5, "persons[0].sex")


def test_unquoted_yaml_dates_and_times_stay_as_written():
    text = (FIXTURES / "valid-small.yaml").read_text().replace('date: "2010-10-08"', "date: 2010-10-08").replace('time: "14:30"', "time: 14:30")
    result = validate_text(text)
    assert result.ok, [str(p) for p in result.problems]
    assert str(result.case.events[1].date) == "2010-10-08"
    assert result.case.events[2].time == "14:30"


def test_load_case_raises_with_every_problem():
    with pytest.raises(CaseFileInvalid) as info:
        load_case(FIXTURES / "broken" / "duplicate-person-id.yaml")
    assert len(info.value.problems) == 2


def test_repeated_household_spells_that_do_not_overlap_are_fine():
    text = (FIXTURES / "valid-small.yaml").read_text().replace(
        '    members: [anna, ben, {person: cara, start: "2005-02-11"}]',
        '    members: [{person: anna, end: "2009"}, ben, {person: anna, start: "2010"}]',
    )
    assert validate_text(text).problems == []


def test_unknown_force_area_is_a_warning_not_an_error(tmp_path):
    text = (FIXTURES / "valid-small.yaml").read_text().replace(
        "  police_force_area: West Mercia\n", "  police_force_area: West Mecria\n", 1
    )
    path = tmp_path / "warn.yaml"
    path.write_text(text)
    result = validate_file(path)
    assert result.ok
    assert [str(p) for p in result.warnings] == [
        f"{path}:7:22: warning: review.police_force_area: 'West Mecria' is not one of the police force areas of England and Wales"
    ]
    proc = run_cli("validate", str(path))
    assert proc.returncode == 0 and "warning:" in proc.stdout


def test_force_area_aliases_and_towns_are_not_warned_about():
    text = (FIXTURES / "valid-small.yaml").read_text().replace(
        "  police_force_area: West Mercia\n", "  police_force_area: West Mercia Police\n", 1
    )
    assert validate_text(text).warnings == []


def _combined_variants() -> tuple[str, list[str]]:
    """valid-small.yaml with one broken-corpus variant on every line some variant breaks.

    Variants whose problems depend on a line another variant changes are left out (those
    that rename or drop an id or a parent, that replace anna's birth date with an age, or
    that date dora's death against her birth); every other variant's problems must all be
    reported in the one file.
    """
    sys.path.insert(0, str(FIXTURES))
    try:
        from make_broken import BASE, VARIANTS
    finally:
        sys.path.remove(str(FIXTURES))
    interacting = {"duplicate-person-id", "parent-cycle", "own-parent", "review-id-misspelt",
                   "negative-age", "age-in-words", "died-before-born"}
    lines, expected, used = list(BASE), [], set()
    for name, (line, replacement, problems) in VARIANTS.items():
        if name in interacting or line in used:
            continue
        used.add(line)
        lines[line - 1] = replacement
        expected += problems
    return "\n".join(lines) + "\n", sorted(expected)


def test_every_rule_runs_on_a_file_with_many_other_problems():
    text, expected = _combined_variants()
    assert any("is born before parent" in e for e in expected) and len(expected) >= 20
    got = sorted(str(p).removeprefix("<text>:") for p in validate_text(text).errors)
    assert got == expected
