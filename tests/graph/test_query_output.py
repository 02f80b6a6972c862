"""How query results are shown: a table while the columns fit, one block per row when they do not."""

import csv
import io
import json

import pytest

from dhrkg.renderers import Format, render

EVIDENCE = [
    {"id": f"ev-{i}", "date": f"2010-10-{i:02d}", "type": "incident", "agency": "West Midlands Police",
     "force_area": "West Midlands", "source": f"2.{i}"}
    for i in range(1, 6)
]
WIDE_COLUMNS = ["partner", "name", "basis", "status", "shared_children", "events", "agencies",
                "force_areas", "review_force_area", "nothing_in_review_area", "source"]
WIDE_ROW = ["r/PFP", "PFP", "partner", ["former dating, separated 2010"], ["r/S1", "r/S2"], EVIDENCE,
            ["West Midlands Police"], ["West Midlands"], "West Mercia", True, "1.15.1, 2.10, 2.17"]


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch):
    """A file's width is COLUMNS when it is set, else 80: the tests set it where they need it."""
    monkeypatch.delenv("COLUMNS", raising=False)


def shown(columns, rows, fmt):
    out = io.StringIO()
    render(columns, rows, fmt, out=out)
    return out.getvalue()


def test_narrow_results_are_a_table():
    text = shown(["agency", "events"], [["West Midlands Police", 12], ["GP", 3]], Format.table)
    header = next(line for line in text.splitlines() if "agency" in line)
    assert "events" in header  # both column names on one header line
    assert any("West Midlands Police" in line and "12" in line for line in text.splitlines())
    assert "-- row" not in text


def test_wide_results_become_one_block_per_row_with_every_evidence_line():
    text = shown(WIDE_COLUMNS, [WIDE_ROW, WIDE_ROW], Format.table)
    lines = text.splitlines()
    assert [ln for ln in lines if ln.startswith("-- row")] == ["-- row 1 --", "-- row 2 --"]
    for c in WIDE_COLUMNS:  # each column name starts a line, untruncated
        assert any(ln.split(" : ")[0].strip() == c for ln in lines), c
    for ev in EVIDENCE:  # each evidence item whole on its own line, with its paragraph refs
        assert sum(1 for ln in lines if f"{ev['id']} {ev['date']}" in ln and f"¶{ev['source']}" in ln) == 2
    assert "2 rows" in lines[-1]


def test_records_can_be_asked_for_and_csv_json_keep_the_structure():
    text = shown(["agency", "events"], [["GP", 3]], Format.records)
    assert "-- row 1 --" in text and "agency : GP" in text
    rows = list(csv.reader(io.StringIO(shown(WIDE_COLUMNS, [WIDE_ROW], Format.csv))))
    assert rows[0] == WIDE_COLUMNS and json.loads(rows[1][5]) == EVIDENCE
    assert json.loads(shown(WIDE_COLUMNS, [WIDE_ROW], Format.json))[0]["events"] == EVIDENCE


# --------------------------------------------------------------------------- to a file or a pipe


SUMMARY = "She said he had pushed her."
PIPED_COLUMNS = ["role", "person", "event", "date", "type", "agency", "police_force_area", "summary", "source"]
PIPED_ROW = ["perpetrator", "stafford-dhr-s-2011/S", "ev-2009-03-01-call", "2009-03-01", "incident",
             "Staffordshire Police", "Staffordshire", SUMMARY, "2.14, 2.15"]


def test_in_a_file_values_are_whole_and_columns_not_padded(monkeypatch):
    """Not on a terminal, a table as wide as COLUMNS: no word broken across lines ('Staffordshi /
    re'), no header folded ('police_forc / e_area'), no padding out to 200 characters."""
    monkeypatch.setenv("COLUMNS", "200")
    text = shown(PIPED_COLUMNS, [PIPED_ROW, PIPED_ROW], Format.table)
    lines = text.splitlines()
    header = next(ln for ln in lines if "police_force_area" in ln)
    assert all(c in header.split() for c in PIPED_COLUMNS)
    rows = [ln for ln in lines if "ev-2009-03-01-call" in ln]
    assert len(rows) == 2 and all("Staffordshire Police" in ln and SUMMARY in ln for ln in rows)
    natural = len("  ".join(PIPED_ROW[:-1]) + "  ¶2.14, 2.15")
    assert max(len(ln.rstrip()) for ln in lines) <= natural + 2 * len(PIPED_COLUMNS)
    assert max(len(ln) for ln in lines) < 200 and not any(ln.endswith(" ") for ln in lines)


@pytest.mark.parametrize("columns", [None, "80"])
def test_in_a_file_a_table_wider_than_columns_or_80_is_one_block_per_row(monkeypatch, columns):
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    text = shown(PIPED_COLUMNS, [PIPED_ROW, PIPED_ROW], Format.table)
    lines = text.splitlines()
    assert [ln for ln in lines if ln.startswith("-- row")] == ["-- row 1 --", "-- row 2 --"]
    assert max(len(ln) for ln in lines) <= 80
    assert lines.count("agency            : Staffordshire Police") == 2


def test_values_are_shown_as_written_not_read_as_markup():
    text = shown(["summary", "n"], [["she said [redacted] and [b]left[/b]", 3]], Format.table)
    assert "she said [redacted] and [b]left[/b]" in text


def test_in_a_file_too_wide_a_table_is_one_block_per_row_with_long_lines_whole():
    long_summary = " ".join([SUMMARY] * 9)  # one value of ~250 characters
    text = shown(PIPED_COLUMNS, [PIPED_ROW[:-2] + [long_summary, "2.14"]], Format.table)
    assert "-- row 1 --" in text
    assert any(ln.endswith(long_summary) for ln in text.splitlines())


def test_numbers_inside_evidence_are_labelled_and_paragraphs_marked_alike():
    # escalation's events: the gap since the previous incident is named, not a bare number
    item = {"id": "ev-2", "date": "2013-06-25", "type": "incident", "gap_days": 10, "source": "2.93"}
    text = shown(["quarter", "events"], [["2013-Q2", [item]]], Format.table)
    assert "ev-2 2013-06-25, incident, gap days: 10 ¶2.93" in text
    # a source column shows its refs as an evidence item does (prior-partners' source is a list)
    text = shown(["partner", "source"], [["r/X", ["3.2", "3.5"]], ["r/Y", "1.1, 1.2"]], Format.table)
    assert "¶3.2; ¶3.5" in text and "¶1.1, 1.2" in text
    # csv and json keep the refs as stored
    assert list(csv.reader(io.StringIO(shown(["source"], [["1.1, 1.2"]], Format.csv))))[1] == ["1.1, 1.2"]


def test_no_line_of_a_block_ends_in_a_space():
    """An empty value's line is the column name and its colon (a space at the end of a line is
    noise in a file and a diff)."""
    text = shown(["agency", "notes", "events"], [["GP", "", None], ["GP", "seen twice", 3]], Format.records)
    assert not [ln for ln in text.splitlines() if ln != ln.rstrip()]
    assert "notes  :" in text.splitlines() and "notes  : seen twice" in text.splitlines()
