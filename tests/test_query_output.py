"""How query results are shown: a table while the columns fit, one block per row when they do not."""

import csv
import io
import json

from dhrkg.cli.queries import Format, render

EVIDENCE = [
    {"id": f"ev-{i}", "date": f"2010-10-{i:02d}", "type": "incident", "agency": "West Midlands Police",
     "force_area": "West Midlands", "source": f"2.{i}"}
    for i in range(1, 6)
]
WIDE_COLUMNS = ["partner", "name", "basis", "status", "shared_children", "events", "agencies",
                "force_areas", "review_force_area", "nothing_in_review_area", "source"]
WIDE_ROW = ["r/PFP", "PFP", "partner", ["former dating, separated 2010"], ["r/S1", "r/S2"], EVIDENCE,
            ["West Midlands Police"], ["West Midlands"], "West Mercia", True, "1.15.1, 2.10, 2.17"]


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
