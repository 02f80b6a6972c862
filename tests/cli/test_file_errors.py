"""Every command that reports a problem in an input file lays it out one way
(:func:`dhrkg.cli._common.file_error`): the path relative to the current directory when the file
is under it, else as the user gave it, and a line wider than 80 columns broken after its
location, the message indented on the next lines. Checked from a deep folder at COLUMNS=80."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dhrkg.cli import app

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "examples" / "001_24bc3f827734f2c4.yaml"
DEEP = ("case-files-of-2026", "area-reviews", "drafts")
PEOPLE_HEADER = "record_id,source,force_area,forename,surname,date_of_birth,sex,postcode_district\n"
runner = CliRunner()


@pytest.fixture
def deep(tmp_path, monkeypatch) -> Path:
    """A folder deep under the test's folder, which is the current directory; its absolute paths
    are wider than 80 columns, its paths from the current directory are not."""
    folder = tmp_path.joinpath(*DEEP)
    folder.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("DHRKG_BACKEND", "falkordb")
    monkeypatch.setenv("DHRKG_DATA_DIR", str(folder / "data"))
    return folder


def bad_case(folder: Path) -> Path:
    """The example case file with a relationship of an unknown type: a message of 150 columns."""
    path = folder / "bad-relationship.yaml"
    path.write_text(CASE.read_text(encoding="utf-8").replace("  - type: friend", "  - type: acquaintance", 1),
                    encoding="utf-8")
    return path


def bad_records(folder: Path) -> Path:
    records = folder / "records"
    records.mkdir()
    (records / "people_records.csv").write_text(
        PEOPLE_HEADER + "r1,police,,Ann,Smith,1980-01-01,Q,\n", encoding="utf-8")
    return records


def bad_decisions(folder: Path) -> None:
    state = folder / "data" / "linkage"
    state.mkdir(parents=True)
    (state / "records.csv").write_text(PEOPLE_HEADER, encoding="utf-8")
    (state / "decisions.csv").write_text(
        "record_id_l,record_id_r,decision,decided_at,note\nr1,r2,maybe-the-same-person-but-unsure,,\n",
        encoding="utf-8")


def run(args) -> str:
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "80"}, catch_exceptions=False)
    assert result.exit_code != 0, result.output
    return result.output


def commands(folder: Path) -> dict[str, tuple[list, str]]:
    """Each command with a bad input under ``folder`` (given by its absolute path), and the
    text the error must hold."""
    case = bad_case(folder)
    report = folder / "not-a-pdf.pdf"
    report.write_bytes(b"not a PDF at all")
    chronology = folder / "chronology.csv"
    chronology.write_text("Date,Agency,Summary\n01/02/2010,Police,Called\n", encoding="utf-8")
    bad_decisions(folder)
    return {
        "validate": (["validate", case], "unknown relationship type 'acquaintance'"),
        "load": (["load", case], "unknown relationship type 'acquaintance'"),
        "summary": (["summary", case], "unknown relationship type 'acquaintance'"),
        "genogram": (["genogram", case, "-o", folder / "g.svg"], "unknown relationship type"),
        "import-chronology": (["import-chronology", chronology, "--review", case, "--dry-run"],
                              "unknown relationship type"),
        "import-records": (["import-records", bad_records(folder)], "sex 'Q' is not M, F, U or empty"),
        "extract": (["extract", report], "not-a-pdf.pdf"),
        "link": (["link", "--no-graph"], "decision must be accept or reject"),
    }


def located_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^\s*(error: )?\S+\.(yaml|csv|pdf)(:\d+)*:", line)]


@pytest.mark.parametrize("name", ["validate", "load", "summary", "genogram", "import-chronology",
                                  "import-records", "extract", "link"])
def test_a_file_error_under_the_current_directory_fits_80_columns(name, deep):
    args, expected = commands(deep)[name]
    text = run(args)
    assert expected in " ".join(text.split()), text
    assert str(deep) not in text, text  # the path from the current directory, not the absolute one
    assert located_lines(text), text
    assert all(line.lstrip().removeprefix("error: ").startswith(str(Path(*DEEP)))
               for line in located_lines(text)), text
    assert all(len(line) <= 80 for line in text.splitlines()), text


def test_a_long_message_is_broken_after_its_location(deep):
    text = run(["validate", bad_case(deep)])
    location = f"{Path(*DEEP) / 'bad-relationship.yaml'}:"
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if "acquaintance" in line) - 1
    assert re.fullmatch(re.escape(location) + r"\d+:\d+:", lines[first]), text
    assert lines[first + 1].startswith("    relationships["), text
    assert all(len(line) <= 80 for line in lines), text


def test_a_path_outside_the_current_directory_is_shown_as_given(deep, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    case = bad_case(deep)
    given = Path("..", *DEEP, case.name)
    text = run(["validate", given])
    assert f"{given}:" in text and str(deep) not in text, text
    text = run(["validate", case])  # absolute, and not under the current directory: as given
    assert f"{case}:" in text, text
    for line in text.splitlines():  # only a location whose path alone is wider may pass 80
        assert len(line) <= 80 or re.fullmatch(re.escape(str(case)) + r"(:\d+)*:", line), text


def test_a_message_that_fits_stays_on_one_line(deep):
    case = deep / "empty.yaml"
    case.write_text("", encoding="utf-8")
    text = run(["validate", case])
    assert text.strip() == f"{Path(*DEEP) / 'empty.yaml'}: the file is empty", text
