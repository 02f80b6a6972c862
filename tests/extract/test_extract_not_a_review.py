"""`dhrkg extract` says when a document does not look like a DHR report, and refuses to
draft it without --force; a report in the usual structure (the one shipped in examples/)
is drafted without a word of doubt."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.model import validate_file
from dhrkg.ingest.report import extract_document, read_document
from dhrkg.ingest.report.looks_like import dhr_doubts, looks_like_a_review

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "examples" / "report-brackenford.txt"
MINI = ROOT / "tests" / "fixtures" / "extract" / "mini_report.txt"
runner = CliRunner()


def doubts(path: Path) -> list[str]:
    doc = read_document(path)
    return dhr_doubts(doc, extract_document(doc))


@pytest.fixture(scope="module")
def genogram_pdf(tmp_path_factory) -> Path:
    """A genogram PDF drawn by dhrkg itself: it names a review and people, but is no report."""
    out = tmp_path_factory.mktemp("genogram") / "genogram.pdf"
    result = runner.invoke(app, ["genogram", str(ROOT / "examples" / "001_24bc3f827734f2c4.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("report", [REPORT, MINI], ids=["examples-report", "mini-report"])
def test_reports_in_the_usual_structure_raise_no_doubt(report):
    assert doubts(report) == []


def test_a_genogram_lacks_every_sign_of_a_review(genogram_pdf):
    found = doubts(genogram_pdf)
    assert [d.split(" (")[0] for d in found] == ["no review headings", "no dated chronology", "no victim named"]
    assert not looks_like_a_review(found)


@pytest.mark.parametrize("name", ["genogram", "readme"])
def test_extract_refuses_a_document_that_is_not_a_review(name, genogram_pdf, tmp_path):
    source = genogram_pdf if name == "genogram" else ROOT / "README.md"
    out = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["extract", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{source} does not look like a DHR report:" in " ".join(result.output.split())  # 80 columns
    assert "Nothing written; use --force to draft it anyway." in result.output
    assert not out.exists()


def test_extract_with_force_drafts_it_anyway_and_still_says_so(genogram_pdf, tmp_path):
    out = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["extract", str(genogram_pdf), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert "may not be a DHR report" in result.output and out.exists()


def test_one_missing_sign_is_a_warning_not_a_refusal():
    """A review whose victim the rules cannot find is still drafted (with a word about it)."""
    assert looks_like_a_review(["no victim named"])
    assert not looks_like_a_review(["no victim named", "no dated chronology"])


def test_the_shipped_report_drafts_a_valid_case_file_naming_victim_and_perpetrator(tmp_path):
    out = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["extract", str(REPORT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "DHR report" not in result.output  # no doubt raised
    checked = validate_file(out)
    assert checked.ok, [str(p) for p in checked.errors]
    case = checked.case
    by_role = {role: {p.name for p in case.persons if role in p.roles} for role in ("victim", "perpetrator")}
    assert "Ruth" in by_role["victim"] and "Daniel" in by_role["perpetrator"]
    assert case.review.homicide_date is not None and str(case.review.homicide_date) == "2023-02-09"
    assert len(case.recommendations) == 3
