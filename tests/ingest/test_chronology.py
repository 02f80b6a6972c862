"""Combined chronologies: round trips of the gold events and messy spreadsheets built from them."""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.model import CaseFile, PartialDate, load_case
from dhrkg.ingest.chronology import (
    HEADINGS,
    ChronologyError,
    event_rows,
    export_chronology,
    import_chronology,
    without_events,
    write_case,
)

ROOT = Path(__file__).resolve().parents[2]
GOLD = sorted((ROOT / "examples").glob("*.yaml"))
GOLD_001 = ROOT / "examples" / "001_24bc3f827734f2c4.yaml"
runner = CliRunner()


@lru_cache(maxsize=None)
def gold(path: Path) -> CaseFile:
    return load_case(path)


def fields(events) -> list[dict]:
    """Everything an event says except its provenance (which the import sets)."""
    return [e.model_dump(exclude={"source"}) for e in events]


def expected_source(file: str, row: int, original_source: str | None) -> str:
    return f"{file} row {row}" + (f"; {original_source}" if original_source else "")


# --- round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("gold_file", GOLD, ids=lambda p: p.stem)
def test_round_trip_of_gold_events(tmp_path, gold_file, suffix):
    case = gold(gold_file)
    sheet = tmp_path / f"chronology.{suffix}"
    assert export_chronology(case, sheet) == len(case.events)

    result = import_chronology(sheet, without_events(case))

    assert fields(result.events) == fields(case.events)
    assert [e.source for e in result.events] == [
        expected_source(sheet.name, i + 2, e.source) for i, e in enumerate(case.events)]
    assert result.unresolved == [] and result.bad_rows == [] and result.ignored_columns == []
    # the rest of the case is untouched
    assert result.case.model_dump(exclude={"events"}) == without_events(case).model_dump(exclude={"events"})


def test_export_names_agencies_and_people_so_the_import_resolves_names(tmp_path):
    case = gold(GOLD_001)
    sheet = tmp_path / "c.csv"
    export_chronology(case, sheet)
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    agency_names = {a.name for a in case.agencies}
    agency_ids = {a.id for a in case.agencies}
    written = {r["Agency"] for r in rows if r["Agency"]}
    assert written and written <= agency_names | agency_ids
    assert written & agency_names - agency_ids, "agencies are written by name"
    persons = {p for r in rows for p in r["Persons"].split("; ") if p}
    names = {p.name for p in case.persons if p.name and p.name != p.id}
    assert persons & names, "people are written by name"


def test_cli_round_trip(tmp_path):
    case = gold(GOLD_001)
    empty = tmp_path / "case.yaml"
    write_case(without_events(case), empty)
    sheet = tmp_path / "chronology.xlsx"
    out = tmp_path / "out.yaml"

    r = runner.invoke(app, ["export-chronology", str(GOLD_001), "-o", str(sheet)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["import-chronology", str(sheet), "--review", str(empty), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert f"{len(case.events)} events read" in r.output
    assert fields(load_case(out).events) == fields(case.events)


def test_cli_replace_events(tmp_path):
    case = gold(GOLD_001)
    sheet = tmp_path / "chronology.csv"
    export_chronology(case, sheet)
    out = tmp_path / "out.yaml"
    r = runner.invoke(app, ["import-chronology", str(sheet), "--review", str(GOLD_001), "-o", str(out)])
    assert r.exit_code == 1 and "is already used" in r.output  # the ids are in the case already
    assert not out.exists()
    r = runner.invoke(app, ["import-chronology", str(sheet), "--review", str(GOLD_001), "-o", str(out), "--replace-events"])
    assert r.exit_code == 0, r.output
    assert fields(load_case(out).events) == fields(case.events)


def test_cli_default_output_is_beside_the_case_file(tmp_path):
    case = gold(GOLD_001)
    empty = tmp_path / "case.yaml"
    write_case(without_events(case), empty)
    sheet = tmp_path / "c.csv"
    export_chronology(case, sheet)
    r = runner.invoke(app, ["import-chronology", str(sheet), "--review", str(empty)])
    assert r.exit_code == 0, r.output
    assert len(load_case(tmp_path / "case.with-chronology.yaml").events) == len(case.events)
    assert load_case(empty).events == []  # the input case file is not changed


def test_events_are_appended_after_existing_ones_with_unique_ids(tmp_path):
    """A chronology without an ID column gets ids from the file name and row."""
    case = gold(GOLD_001)
    used, rows = event_rows(case)
    sheet = tmp_path / "Police IMR.csv"
    cols = [c for c in used if c != "id"]
    _write_csv(sheet, [[HEADINGS[c][0] for c in cols]] + [[_csv_value(r.get(c)) for c in cols] for r in rows[:3]])
    result = import_chronology(sheet, case)
    assert [e.id for e in result.events] == ["police-imr-r2", "police-imr-r3", "police-imr-r4"]
    assert result.case.events[: len(case.events)] == case.events
    assert fields(result.events) == [
        {**f, "id": e.id} for f, e in zip(fields(case.events[:3]), result.events)]


# --- messy variants built from the gold events ---------------------------------------------


def _csv_value(v):
    if v is None:
        return ""
    if isinstance(v, PartialDate):
        if v.precision == "day":
            return f"{v.day:02d}/{v.month:02d}/{v.year}"
        return dt.date(v.year, v.month, 1).strftime("%B %Y") if v.precision == "month" else str(v.year)
    return str(v)


def _write_csv(path: Path, rows: list[list], delimiter: str = ",", encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)


def _gold_table(case: CaseFile):
    used, rows = event_rows(case)
    return used, [HEADINGS[c][0] for c in used], rows


def _messy_workbook(path: Path, case: CaseFile, *, date_writer=None, merge_runs: bool = False,
                    title_rows: int = 0, blank_every: int = 0, repeat_header_at: int | None = None,
                    section_rows: bool = False, edit=None) -> dict[int, int]:
    """Write the case's events into an untidy workbook; returns {row number: event index}."""
    used, headings, rows = _gold_table(case)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    width = len(used)
    r = 1
    for t in range(title_rows):
        ws.cell(r, 1, ["Combined chronology", "Review panel copy - OFFICIAL SENSITIVE", "Prepared by the chair"][t % 3])
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
    for c, h in enumerate(headings, start=1):
        ws.cell(r, c, h)
    r += 1
    placed: dict[int, int] = {}
    last_year = None
    for i, row in enumerate(rows):
        if section_rows and row["date"].year != last_year:
            ws.cell(r, 1, f"Year {row['date'].year}")
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            last_year = row["date"].year
            r += 1
        if repeat_header_at is not None and i == repeat_header_at:
            for c, h in enumerate(headings, start=1):
                ws.cell(r, c, h)
            r += 1
        if blank_every and i and i % blank_every == 0:
            r += 1
        for c, col in enumerate(used, start=1):
            v = row.get(col)
            cell = ws.cell(r, c)
            if col in ("date", "until") and isinstance(v, PartialDate) and date_writer:
                date_writer(cell, v, i)
            elif isinstance(v, PartialDate):
                cell.value = _csv_value(v)
            else:
                cell.value = v
        placed[r] = i
        r += 1
    if merge_runs:  # merge runs of equal Date cells and of equal Agency cells, as chronologies do
        for col in (used.index("date") + 1, used.index("agency") + 1):
            rownums = sorted(placed)
            start = rownums[0]
            for a, b in zip(rownums, rownums[1:] + [None]):
                same = b is not None and b == a + 1 and ws.cell(b, col).value == ws.cell(start, col).value \
                    and ws.cell(start, col).value is not None
                if not same:
                    if a > start:
                        ws.merge_cells(start_row=start, start_column=col, end_row=a, end_column=col)
                    start = b
    if edit:
        edit(ws, used, placed)
    wb.save(path)
    return placed


def _assert_same_events(result, case, placed, file):
    assert fields(result.events) == fields(case.events)
    by_index = {i: rownum for rownum, i in placed.items()}
    assert [e.source for e in result.events] == [
        expected_source(file, by_index[i], e.source) for i, e in enumerate(case.events)]


def test_title_rows_blank_rows_section_rows_and_a_repeated_header(tmp_path):
    case = gold(GOLD_001)
    path = tmp_path / "messy.xlsx"
    placed = _messy_workbook(path, case, title_rows=3, blank_every=7, repeat_header_at=20, section_rows=True)
    result = import_chronology(path, without_events(case))
    assert result.header_row == 4
    _assert_same_events(result, case, placed, path.name)
    years = {e.date.year for e in case.events}
    assert len(result.section_rows) == len(years)
    assert result.blank_rows == (len(case.events) - 1) // 7
    assert len(result.repeated_header_rows) == 1


def test_merged_cells(tmp_path):
    case = gold(GOLD_001)
    path = tmp_path / "merged.xlsx"
    placed = _messy_workbook(path, case, merge_runs=True, title_rows=1)
    merged = openpyxl.load_workbook(path).active.merged_cells.ranges
    assert sum(1 for m in merged if m.max_row > m.min_row) >= 5, "the variant really has vertical merges"
    result = import_chronology(path, without_events(case))
    _assert_same_events(result, case, placed, path.name)


DAY_FORMS = [
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.day} {dt.date(d.year, d.month, 1):%b} {d.year}",
    lambda d: f"{d.day}{'th' if d.day in (4, 5, 6, 7, 8, 9, 10, 11, 12, 13) or d.day > 20 and d.day % 10 > 3 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d.day % 10, 'th')} {dt.date(d.year, d.month, 1):%B} {d.year}",
    lambda d: f"{d.day}.{d.month}.{d.year % 100:02d}",
    lambda d: dt.datetime(d.year, d.month, d.day),  # an Excel date cell
    lambda d: f"{dt.date(d.year, d.month, d.day):%a} {d.day} {dt.date(d.year, d.month, 1):%b} {d.year}",
]
MONTH_FORMS = [
    lambda d: dt.date(d.year, d.month, 1).strftime("%B %Y"),
    lambda d: dt.date(d.year, d.month, 1).strftime("%b-%y"),
    lambda d: f"{d.month:02d}/{d.year}",
    lambda d: dt.datetime(d.year, d.month, 1),  # an Excel date cell shown as mmm-yy
]
YEAR_FORMS = [lambda d: str(d.year), lambda d: d.year]


def _mixed_dates(cell, d: PartialDate, i: int) -> None:
    forms = {"day": DAY_FORMS, "month": MONTH_FORMS, "year": YEAR_FORMS}[d.precision]
    value = forms[i % len(forms)](d)
    cell.value = value
    if isinstance(value, dt.datetime):
        cell.number_format = "dd/mm/yyyy" if d.precision == "day" else "mmm-yy"


def test_mixed_date_formats(tmp_path):
    case = gold(GOLD_001)
    precisions = {e.date.precision for e in case.events}
    assert precisions == {"day", "month", "year"}, "the gold file exercises every precision"
    path = tmp_path / "dates.xlsx"
    placed = _messy_workbook(path, case, date_writer=_mixed_dates, blank_every=11)
    result = import_chronology(path, without_events(case))
    _assert_same_events(result, case, placed, path.name)


def test_mixed_date_formats_in_csv_with_semicolons_and_windows_encoding(tmp_path):
    case = gold(GOLD_001)
    used, headings, rows = _gold_table(case)
    out = [["Chronology of agency contact"], [], headings]
    for i, row in enumerate(rows):
        line = []
        for col in used:
            v = row.get(col)
            if isinstance(v, PartialDate):
                forms = {"day": DAY_FORMS, "month": MONTH_FORMS, "year": YEAR_FORMS}[v.precision]
                form = [f for f in forms if not isinstance(f(v), (dt.datetime, int))]
                v = form[i % len(form)](v)
            line.append("" if v is None else v)
        out.append(line)
    path = tmp_path / "dates.csv"
    _write_csv(path, out, delimiter=";", encoding="cp1252")
    result = import_chronology(path, without_events(case))
    assert result.header_row == 3
    assert fields(result.events) == fields(case.events)
    assert [e.source for e in result.events] == [
        expected_source(path.name, i + 4, e.source) for i, e in enumerate(case.events)]


def _set(ws, used, placed, event_index: int, column: str, value):
    row = next(r for r, i in placed.items() if i == event_index)
    ws.cell(row, used.index(column) + 1).value = value
    return row


def _first_with_agency(case: CaseFile) -> int:
    return next(i for i, e in enumerate(case.events) if e.agency and e.type != "homicide")


def test_an_unresolvable_agency_is_kept_in_the_notes_and_listed(tmp_path):
    case = gold(GOLD_001)
    k = _first_with_agency(case)
    rows = {}
    path = tmp_path / "agency.xlsx"
    placed = _messy_workbook(path, case, edit=lambda ws, used, placed: rows.update(
        row=_set(ws, used, placed, k, "agency", "Acme Housing Association")))
    result = import_chronology(path, without_events(case))

    assert len(result.events) == len(case.events)
    ev = result.events[k]
    assert ev.agency is None
    assert "Acme Housing Association" in ev.notes
    [u] = result.unresolved
    assert (u.where.row, u.where.column, u.value, u.kind) == (rows["row"], _col(path, "Agency"), "Acme Housing Association", "agency")
    assert str(u).startswith(f"{path.name}, sheet 'Chronology', row {rows['row']}, column {_letter(path, 'Agency')} (Agency)")
    # every other event is as it was
    others = [i for i in range(len(case.events)) if i != k]
    assert [fields(result.events)[i] for i in others] == [fields(case.events)[i] for i in others]


def test_an_unresolvable_person_is_kept_and_the_others_resolved(tmp_path):
    case = gold(GOLD_001)
    k = next(i for i, e in enumerate(case.events) if len(e.persons) >= 2)
    path = tmp_path / "person.xlsx"

    def edit(ws, used, placed):
        row = next(r for r, i in placed.items() if i == k)
        cell = ws.cell(row, used.index("persons") + 1)
        cell.value = f"{cell.value}; Mystery Neighbour"

    _messy_workbook(path, case, edit=edit)
    result = import_chronology(path, without_events(case))
    ev = result.events[k]
    assert ev.persons == case.events[k].persons
    assert "Mystery Neighbour" in ev.notes
    assert [(u.value, u.kind) for u in result.unresolved] == [("Mystery Neighbour", "person")]


def test_strict_makes_an_unresolvable_agency_an_error(tmp_path):
    case = gold(GOLD_001)
    k = _first_with_agency(case)
    path = tmp_path / "agency.xlsx"
    _messy_workbook(path, case, edit=lambda ws, used, placed: _set(ws, used, placed, k, "agency", "Acme"))
    with pytest.raises(ChronologyError, match=r"column C \(Agency\): agency 'Acme' is not in the case file"):
        import_chronology(path, without_events(case), strict=True)


def _letter(path: Path, heading: str) -> str:
    ws = openpyxl.load_workbook(path).active
    for row in ws.iter_rows(max_row=10):
        for c in row:
            if c.value == heading:
                return c.column_letter
    raise AssertionError(heading)


def _col(path: Path, heading: str) -> int:
    return openpyxl.utils.column_index_from_string(_letter(path, heading))


def _bad_date_workbook(tmp_path: Path, case: CaseFile) -> tuple[Path, int, int]:
    """A workbook whose event 5 has the impossible date 31/02/2010; returns (path, row, event index)."""
    path = tmp_path / "bad.xlsx"
    rows = {}
    _messy_workbook(path, case, title_rows=2,
                    edit=lambda ws, used, placed: rows.update(row=_set(ws, used, placed, 5, "date", "31/02/2010")))
    return path, rows["row"], 5


def test_an_unreadable_date_names_sheet_row_and_column(tmp_path):
    case = gold(GOLD_001)
    path, row, _ = _bad_date_workbook(tmp_path, case)
    with pytest.raises(ChronologyError) as info:
        import_chronology(path, without_events(case))
    message = str(info.value)
    assert f"bad.xlsx, sheet 'Chronology', row {row}, column {_letter(path, 'Date')} (Date): " \
           f"'31/02/2010' is not a date: February 2010 has 28 days" in message
    assert "nothing was imported" in message
    [problem] = info.value.problems
    assert (problem.where.sheet, problem.where.row, problem.where.heading) == ("Chronology", row, "Date")


def test_cli_writes_nothing_when_a_row_fails(tmp_path):
    case = gold(GOLD_001)
    path, row, _ = _bad_date_workbook(tmp_path, case)
    empty = tmp_path / "case.yaml"
    write_case(without_events(case), empty)
    out = tmp_path / "out.yaml"
    out.write_text("previous content\n")
    r = runner.invoke(app, ["import-chronology", str(path), "--review", str(empty), "-o", str(out), "--force"])
    assert r.exit_code == 1
    assert f"row {row}, column" in r.output and "31/02/2010" in r.output
    assert out.read_text() == "previous content\n"
    assert not (tmp_path / "case.with-chronology.yaml").exists()


def test_skip_bad_rows_imports_the_others_and_lists_the_bad_one(tmp_path):
    case = gold(GOLD_001)
    path, row, k = _bad_date_workbook(tmp_path, case)
    result = import_chronology(path, without_events(case), skip_bad_rows=True)
    assert [p.where.row for p in result.bad_rows] == [row]
    expected = [f for i, f in enumerate(fields(case.events)) if i != k]
    assert fields(result.events) == expected

    empty = tmp_path / "case.yaml"
    write_case(without_events(case), empty)
    out = tmp_path / "out.yaml"
    r = runner.invoke(app, ["import-chronology", str(path), "--review", str(empty), "-o", str(out), "--skip-bad-rows"])
    assert r.exit_code == 0, r.output
    assert "1 bad row skipped" in r.output and f"row {row}" in r.output
    assert len(load_case(out).events) == len(case.events) - 1


def test_a_row_without_a_date_is_a_bad_row(tmp_path):
    case = gold(GOLD_001)
    path = tmp_path / "nodate.xlsx"
    rows = {}
    _messy_workbook(path, case, edit=lambda ws, used, placed: rows.update(row=_set(ws, used, placed, 3, "date", None)))
    with pytest.raises(ChronologyError, match=rf"row {rows['row']}, column B \(Date\): no date"):
        import_chronology(path, without_events(case))


# --- headings --------------------------------------------------------------------------------


def _local_sheet(tmp_path: Path, case: CaseFile, renames: dict[str, str]) -> Path:
    used, headings, rows = _gold_table(case)
    headings = [renames.get(h, h) for h in headings]
    path = tmp_path / "local.csv"
    _write_csv(path, [headings] + [[_csv_value(r.get(c)) for c in used] for r in rows])
    return path


def test_local_headings_need_map(tmp_path):
    case = gold(GOLD_001)
    path = _local_sheet(tmp_path, case, {"Date": "Dt of contact", "Agency": "Org", "Summary": "Narr"})
    with pytest.raises(ChronologyError, match="no header row found"):
        import_chronology(path, without_events(case))
    result = import_chronology(path, without_events(case),
                               mapping=["Dt of contact=date", "Org=agency", "Narr=summary"])
    assert fields(result.events) == fields(case.events)
    assert result.columns["date"] == "Dt of contact"


def test_default_headings_agencies_use(tmp_path):
    case = gold(GOLD_001)
    path = _local_sheet(tmp_path, case, {"Date": "Date of contact", "Agency": "Organisation",
                                         "Summary": "What happened", "Persons": "Person(s)", "Type": "Type of contact"})
    result = import_chronology(path, without_events(case))
    assert fields(result.events) == fields(case.events)


def test_two_columns_for_one_field_is_an_error_until_one_is_ignored(tmp_path):
    case = gold(GOLD_001)
    used, headings, rows = _gold_table(case)
    path = tmp_path / "two.csv"
    _write_csv(path, [headings + ["Details"]] + [[_csv_value(r.get(c)) for c in used] + ["x"] for r in rows])
    with pytest.raises(ChronologyError, match=r"\(Summary\) and .* \(Details\) both hold 'summary'"):
        import_chronology(path, without_events(case))
    result = import_chronology(path, without_events(case), mapping=["Details=ignore"])
    assert fields(result.events) == fields(case.events)


def test_unknown_headings_are_reported_not_dropped_silently(tmp_path):
    case = gold(GOLD_001)
    used, headings, rows = _gold_table(case)
    path = tmp_path / "extra.csv"
    _write_csv(path, [headings + ["Panel RAG"]] + [[_csv_value(r.get(c)) for c in used] + ["red"] for r in rows])
    result = import_chronology(path, without_events(case))
    assert result.ignored_columns == [f"{openpyxl.utils.get_column_letter(len(headings) + 1)} (Panel RAG)"]


def test_bad_map_option():
    with pytest.raises(ChronologyError, match="unknown field 'when'"):
        import_chronology(GOLD_001, gold(GOLD_001), mapping=["Date=when"])


# --- typical agency sheets -------------------------------------------------------------------


def test_outcome_source_imr_risk_and_time_columns(tmp_path):
    case = gold(GOLD_001)
    police = next(a for a in case.agencies if a.type == "police")
    victim = next(p for p in case.persons if "victim" in p.roles)
    path = tmp_path / "police.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Time", "Source IMR", "Person(s)", "Type of contact", "What happened", "Outcome", "DASH risk"])
    ws.append(["Oct-10", "14.30", police.name.upper(), victim.name, "999 call", "Call about a row.", "No crime", "MED"])
    ws.append([dt.datetime(2010, 11, 3, 22, 5), None, police.id, victim.name, "DASH", "Assessment.", None, "Standard"])
    ws.append(["c. 2011", None, police.name, None, "Visit", "Welfare check.", None, "n/a"])
    ws.append(["Summer 2011", None, police.name, None, "Multi-agency huddle", "Meeting.", None, "High - MARAC"])
    ws["A3"].number_format = "dd/mm/yyyy hh:mm"
    wb.save(path)
    result = import_chronology(path, without_events(case))
    got = [e.model_dump(exclude_none=True, exclude_defaults=True, exclude={"id", "source"}) for e in result.events]
    assert got == [
        {"date": "2010-10", "time": "14:30", "agency": police.id, "type": "call",
         "persons": [victim.id], "summary": "Call about a row. Outcome: No crime", "risk": {"level": "medium"}},
        {"date": "2010-11-03", "time": "22:05", "agency": police.id, "type": "risk_assessment",
         "persons": [victim.id], "summary": "Assessment.", "risk": {"level": "standard"}},
        {"date": "2011", "date_approx": True, "agency": police.id, "type": "home_visit",
         "summary": "Welfare check."},
        {"date": "2011", "date_approx": True, "agency": police.id, "type": "other",
         "summary": "Meeting.", "risk": {"grade": "High - MARAC"}, "notes": "Chronology type: Multi-agency huddle"},
    ]
    assert [e.source for e in result.events] == [f"police.xlsx row {n}" for n in (2, 3, 4, 5)]


def test_a_named_sheet_and_sheet_in_source(tmp_path):
    case = gold(GOLD_001)
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active.append(["This workbook holds the combined chronology on the next sheet"])
    ws = wb.create_sheet("Combined")
    ws.append(["Date", "Agency", "Summary"])
    ws.append(["08/10/2010", case.agencies[0].name, "Contact."])
    wb.save(path)
    result = import_chronology(path, without_events(case))  # finds the sheet with a header
    assert result.sheet == "Combined"
    assert result.events[0].source == "book.xlsx sheet 'Combined' row 2"
    assert import_chronology(path, without_events(case), sheet="Combined").events[0].agency == case.agencies[0].id
    with pytest.raises(ChronologyError, match="no sheet 'Police'"):
        import_chronology(path, without_events(case), sheet="Police")


def test_duplicate_event_id_is_a_bad_row(tmp_path):
    case = gold(GOLD_001)
    sheet = tmp_path / "c.csv"
    export_chronology(case, sheet)
    with pytest.raises(ChronologyError, match=r"row 2, column A \(ID\): event id '.*' is already used"):
        import_chronology(sheet, case)  # the events are there already


@pytest.mark.parametrize("text, date, approx, until, time", [
    ("08/10/2010", "2010-10-08", False, None, None),
    ("8/10/10", "2010-10-08", False, None, None),
    ("8 Oct 2010", "2010-10-08", False, None, None),
    ("Friday 8th October 2010 at 2.30pm", "2010-10-08", False, None, "14:30"),
    ("October 2010", "2010-10", False, None, None),
    ("Oct-10", "2010-10", False, None, None),
    ("10/2010", "2010-10", False, None, None),
    ("2010", "2010", False, None, None),
    ("2010-10-08 00:00:00", "2010-10-08", False, None, None),
    ("late 2010", "2010", True, None, None),
    ("Oct 2010?", "2010-10", True, None, None),
    ("Oct 2010 - Jan 2011", "2010-10", False, "2011-01", None),
    ("between 2009 and 2011", "2009", False, "2011", None),
    ("08/10/68", "1968-10-08", False, None, None),
])
def test_date_forms(text, date, approx, until, time):
    from dhrkg.ingest.chronology import parse_date_text

    d = parse_date_text(text)
    assert (str(d.date), d.approx, d.until and str(d.until), d.time) == (date, approx, until, time)


@pytest.mark.parametrize("text, message", [
    ("31/02/2010", "February 2010 has 28 days"),
    ("13/13/2010", r"no month 13 \(dates are read day first\)"),
    ("8 Oct", "it has no year"),
    ("next Tuesday", "expected a date such as"),
    ("Jan 2011 - Oct 2010", "the span ends before it starts"),
])
def test_unreadable_dates(text, message):
    from dhrkg.ingest.chronology import parse_date_text

    with pytest.raises(ValueError, match=message):
        parse_date_text(text)


def test_cli_graph_option_loads_the_updated_case(tmp_path, falkordb_data_dir):
    import uuid

    from dhrkg.graph.falkordb import FalkorDBStore

    case = gold(GOLD_001)
    empty = tmp_path / "case.yaml"
    write_case(without_events(case), empty)
    sheet = tmp_path / "c.csv"
    export_chronology(case, sheet)
    graph = f"test-chron-{uuid.uuid4().hex[:8]}"
    env = {"DHRKG_DATA_DIR": str(falkordb_data_dir), "DHRKG_GRAPH": graph, "DHRKG_BACKEND": "falkordb"}
    r = runner.invoke(app, ["import-chronology", str(sheet), "--review", str(empty), "-o", str(tmp_path / "o.yaml"),
                            "--graph"], env=env)
    assert r.exit_code == 0, r.output
    with FalkorDBStore(falkordb_data_dir, graph=graph) as store:
        try:
            rows = store.query("MATCH (e:Event {review: $r}) RETURN e.id AS id, e.source AS source ORDER BY id",
                               {"r": case.review.id}).rows
            assert [x[0] for x in rows] == sorted(e.id for e in case.events)
            assert all(x[1].startswith("c.csv row ") for x in rows)
        finally:
            store._graph.delete()
