"""dhrkg export / dhrkg import-rdf on the command line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
import yaml
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.model import load_case

from support.rdf_cases import GOLD_FILES

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_export_and_import_back_through_the_cli(tmp_path):
    out = tmp_path / "gold.ttl"
    res = run("export", *map(str, GOLD_FILES), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert f"of {len(GOLD_FILES)} reviews" in res.output
    back = tmp_path / "back"
    res = run("import-rdf", str(out), "-o", f"{back}/")
    assert res.exit_code == 0, res.output
    for path in GOLD_FILES:
        case = load_case(path)
        written = back / f"{case.review.id}.yaml"
        assert load_case(written).to_data() == case.to_data()


def test_import_one_review_to_a_file(tmp_path):
    out = tmp_path / "gold.nq"
    assert run("export", *map(str, GOLD_FILES), "-o", str(out)).exit_code == 0
    case = load_case(GOLD_FILES[1])
    target = tmp_path / "one.yaml"
    res = run("import-rdf", str(out), "--review", case.review.id, "-o", str(target))
    assert res.exit_code == 0, res.output
    assert yaml.safe_load(target.read_text())["review"]["id"] == case.review.id
    res = run("import-rdf", str(out), "-o", str(tmp_path / "all.yaml"))
    assert res.exit_code == 2 and "give --review ID or a directory" in res.output


def test_pseudonymised_export_prints_the_smallest_group_and_uses_the_key_file(tmp_path):
    key = tmp_path / "export.key"
    out1, out2 = tmp_path / "a.nt", tmp_path / "b.nt"
    res = run("export", *map(str, GOLD_FILES), "--pseudonymise", "--key-file", str(key), "-o", str(out1))
    assert res.exit_code == 0, res.output
    assert re.search(r"all persons:\n +smallest group: [\d,]+ persons?; [\d,]+ groups? among [\d,]+ persons", res.output)
    assert re.search(r"victims and perpetrators:\n +smallest group: \d+ person", res.output)
    assert "quasi-identifiers: age band, sex, ethnicity, area, year" in res.output
    assert max(len(line) for line in res.output.splitlines() if str(tmp_path) not in line) <= 80
    assert key.exists()
    assert run("export", *map(str, GOLD_FILES), "--pseudonymise", "--key-file", str(key), "-o", str(out2)).exit_code == 0
    assert out1.read_text() == out2.read_text()
    case = load_case(GOLD_FILES[0])
    text = out1.read_text()
    assert case.persons[0].notes not in text and (case.review.title or "x") not in text


def test_generalise_dates_to_the_year(tmp_path):
    out = tmp_path / "y.nt"
    assert run("export", str(GOLD_FILES[0]), "--generalise-dates", "year", "-o", str(out)).exit_code == 0
    text = out.read_text()
    assert "XMLSchema#gYear>" in text and "XMLSchema#date>" not in text and "#gYearMonth>" not in text


def test_an_invalid_case_file_writes_nothing_and_keeps_the_old_output(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: dhr-case/1\nreview: {id: x}\nevents:\n- {id: e1, type: incident}\n")
    out = tmp_path / "out.nt"
    out.write_text("previous export\n")
    res = run("export", str(GOLD_FILES[0]), str(bad), "-o", str(out), "--force")
    assert res.exit_code == 1
    assert "bad.yaml" in res.output and "date" in res.output
    assert out.read_text() == "previous export\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_option_errors_are_clear(tmp_path):
    res = run("export", str(GOLD_FILES[0]), "-o", str(tmp_path / "x.unknown"))
    assert res.exit_code == 2 and "--format" in res.output
    res = run("export", str(GOLD_FILES[0]), "--key-file", str(tmp_path / "k"), "-o", str(tmp_path / "x.nt"))
    assert res.exit_code == 2 and "--pseudonymise" in res.output
    res = run("export", str(GOLD_FILES[0]), "--review", "no-such-review", "-o", str(tmp_path / "x.nt"))
    assert res.exit_code == 1 and "no-such-review" in res.output
    res = run("import-rdf", str(tmp_path / "missing.ttl"))
    assert res.exit_code == 2 and "missing.ttl" in res.output


def test_import_rdf_reports_an_unparsable_file(tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<a> <b> .\n")
    res = run("import-rdf", str(bad))
    assert res.exit_code == 2 and "bad.nt" in res.output


def test_commands_have_help():
    for cmd in ("export", "import-rdf"):
        res = run(cmd, "--help")
        assert res.exit_code == 0 and "Usage" in res.output


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper not installed")
def test_the_installed_command_writes_what_rapper_reads(tmp_path):
    out = tmp_path / "gold.nq"
    proc = subprocess.run([sys.executable, "-m", "dhrkg", "export", *map(str, GOLD_FILES), "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    check = subprocess.run(["rapper", "-q", "-i", "nquads", "-c", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
