"""Combined chronologies: spreadsheet rows <-> case-file events.

A DHR panel works from an integrated chronology: one spreadsheet (CSV or
xlsx) merging every agency's records, one row per contact. This module reads
such a sheet into ``dhr-case/1`` events of an existing case file and writes a
case file's events back out as a sheet. See docs/chronology.md.

Reading is forgiving about layout (title rows above the header, blank rows,
merged cells, repeated header rows, the date forms agencies write) and strict
about content: a cell that cannot be read is an error naming the file, the
sheet, the row and the column, and nothing is returned when any row fails
unless ``skip_bad_rows`` is set. Names that do not match an agency or person
of the case file are never dropped silently: the event keeps the words in its
``notes`` and the import result lists each one.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from dhrkg.model import CaseFile, PartialDate, PartialDateError, validate_text
from dhrkg.model.model import AbuseKind, Certainty, Event, EventType, RiskLevel, values
from dhrkg.model.writer import case_yaml, write_case_file
from dhrkg.outputs import atomic_path

# --------------------------------------------------------------------------------------------
# Fields and the headings agencies use for them
# --------------------------------------------------------------------------------------------

#: field -> headings that mean it (compared after :func:`normalise`). The first is what the
#: exporter writes.
HEADINGS: dict[str, tuple[str, ...]] = {
    "id": ("ID", "event id", "entry id"),
    "date": ("Date", "date of contact", "contact date", "event date", "date of event",
             "date of incident", "incident date", "date from", "start date", "when"),
    "until": ("Until", "date to", "end date"),
    "date_approx": ("Date approx", "approx", "approximate", "approximate date", "date approximate"),
    "time": ("Time", "time of contact", "time of event", "time of incident"),
    "agency": ("Agency", "agency name", "organisation", "organization", "service",
               "recording agency", "provider", "agency service"),
    "source_imr": ("Source IMR", "imr", "source", "imr ref", "imr reference", "imr author agency",
                   "source of information", "information source"),
    "persons": ("Persons", "person", "people", "person s", "subject", "subjects", "individual",
                "individuals", "individual s", "who", "name", "names", "people involved",
                "persons involved", "person s involved", "involved", "subject s"),
    "type": ("Type", "event type", "contact type", "type of contact", "type of event", "category",
             "nature of contact"),
    "summary": ("Summary", "what happened", "details", "detail", "description", "event details",
                "details of contact", "details of event", "contact details", "summary of contact",
                "information", "narrative", "event", "entry", "account"),
    "outcome": ("Outcome", "action", "actions", "action taken", "outcome action", "result",
                "outcome actions", "action outcome"),
    "risk_tool": ("Risk tool", "assessment tool", "risk assessment tool"),
    "risk_level": ("Risk level", "risk", "risk grading", "risk assessment", "dash risk", "dash level",
                   "dash grading", "risk rating", "level of risk"),
    "risk_grade": ("Risk grade", "risk wording"),
    "risk_score": ("Risk score", "dash score", "score"),
    "referral_to": ("Referral to", "referred to", "referral"),
    "shared_with": ("Shared with", "information shared with", "shared"),
    "other_agencies": ("Other agencies", "agencies involved", "also involved", "partner agencies"),
    "abuse_perpetrator": ("Abuse perpetrator", "alleged perpetrator", "perpetrator"),
    "abuse_victim": ("Abuse victim", "victim"),
    "abuse_victims": ("Abuse victims", "victims"),
    "abuse_kinds": ("Abuse kinds", "abuse type", "abuse types", "type of abuse", "abuse"),
    "abuse_certainty": ("Abuse certainty", "certainty"),
    "town": ("Town", "place", "location"),
    "local_authority": ("Local authority", "la", "council area"),
    "police_force_area": ("Police force area", "force area", "police force", "force"),
    "country": ("Country",),
    "report_ref": ("Report ref", "report refs", "report paragraph", "report paragraphs", "paragraph",
                   "paragraphs", "para", "paras", "para ref", "paragraph ref", "ref", "refs",
                   "reference", "references"),
    "notes": ("Notes", "note", "comments", "comment", "panel comments", "panel comment", "analysis",
              "remarks", "panel notes"),
}
FIELDS = tuple(HEADINGS)
IGNORE = "ignore"

_MAX_HEADER_SCAN = 30  # rows searched for the header


def normalise(text: str) -> str:
    """Case-, accent-, punctuation- and space-insensitive form of a heading or name."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("\u2019", "'").replace("&", " and ").replace("'", "")
    text = re.sub(r"[^\w]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


_HEADING_INDEX = {normalise(h): f for f, hs in HEADINGS.items() for h in hs}


# --------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """A cell (or a row when ``column`` is None) of the chronology."""

    file: str
    sheet: str | None
    row: int
    column: int | None = None  # 1-based
    heading: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        parts.append(f"row {self.row}")
        if self.column is not None:
            col = f"column {column_letter(self.column)}"
            if self.heading:
                col += f" ({self.heading})"
            parts.append(col)
        return ", ".join(parts)


@dataclass(frozen=True)
class CellProblem:
    """A cell that could not be read; the row it is in is a bad row."""

    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Unresolved:
    """A name in a cell that matches no agency or person of the case file (or more than one)."""

    where: Where
    value: str
    kind: str  # "agency" | "person"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind} '{self.value}' {self.reason}"


class ChronologyError(Exception):
    """The chronology cannot be imported; ``problems`` lists every unreadable cell."""

    def __init__(self, message: str, problems: Sequence[CellProblem] = ()):
        self.problems = list(problems)
        if self.problems:
            shown = "".join(f"\n  {p}" for p in self.problems[:50])
            more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
            message = f"{message}{shown}{more}"
        super().__init__(message)


class _CellError(ValueError):
    """Raised by the cell readers; turned into a :class:`CellProblem` with the cell's place."""


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


# --------------------------------------------------------------------------------------------
# Reading sheets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: Any
    number_format: str | None = None  # Excel's, for date cells: tells how precise the date is

    @property
    def empty(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass
class Table:
    """The cells of one sheet, merged cells filled in, with spreadsheet row numbers."""

    file: str
    sheet: str | None  # None for CSV
    rows: list[tuple[int, list[Cell]]]
    section_rows: set[int] = field(default_factory=set)  # rows that are one wide merged cell
    sheets_in_file: int = 1

    @property
    def source_name(self) -> str:
        """How an event's ``source`` names this sheet: the file, plus the sheet when there are several."""
        return self.file if self.sheets_in_file == 1 else f"{self.file} sheet '{self.sheet}'"

    def where(self, row: int, column: int | None = None, heading: str | None = None) -> Where:
        return Where(self.file, self.sheet, row, column, heading)


def read_tables(path: str | Path, sheet: str | None = None) -> list[Table]:
    """The sheets of a CSV/TSV or xlsx file (one for CSV; the named one when ``sheet`` is given)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ChronologyError(f"{path}: no such file")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".tsv", ".txt"):
        if sheet is not None:
            raise ChronologyError(f"{path.name}: --sheet applies to xlsx workbooks, not CSV files")
        return [_read_csv(path)]
    if suffix == ".xls":
        raise ChronologyError(f"{path.name}: old-style .xls workbooks cannot be read; save it as .xlsx or .csv")
    raise ChronologyError(f"{path.name}: expected a .csv, .tsv or .xlsx file")


MAX_CSV_BYTES = 50 * 1024 * 1024  # a chronology of 100,000 rows is well under


def _read_csv(path: Path) -> Table:
    with path.open("rb") as f:
        raw = f.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        raise ChronologyError(f"{path.name}: larger than {MAX_CSV_BYTES // 1048576} MB; not a chronology")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(text)
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for n, record in enumerate(reader, start=1):
            rows.append((n, [Cell(v) for v in record]))
    except csv.Error as exc:
        raise ChronologyError(f"{path.name}: line {reader.line_num}: not a readable CSV row ({exc})") from None
    return Table(path.name, None, rows)


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:_MAX_HEADER_SCAN])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _read_xlsx(path: Path, sheet: str | None) -> list[Table]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    from dhrkg.ingest.ziplimits import zip_problem

    problem = zip_problem(path, "xlsx")
    if problem:
        raise ChronologyError(problem)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ChronologyError(f"{path.name}: not a readable xlsx workbook ({exc})") from exc
    if sheet is not None:
        if sheet not in wb.sheetnames:
            raise ChronologyError(
                f"{path.name}: no sheet '{sheet}' (sheets: {', '.join(repr(s) for s in wb.sheetnames)})")
        sheets = [wb[sheet]]
    else:
        sheets = list(wb.worksheets)
    return [_sheet_table(path.name, ws, len(wb.sheetnames)) for ws in sheets]


def _sheet_table(file: str, ws: Any, sheets_in_file: int) -> Table:
    grid: dict[int, list[Cell]] = {}
    width = ws.max_column or 0
    for row in ws.iter_rows():
        cells = [Cell(c.value, c.number_format if getattr(c, "is_date", False) else None) for c in row]
        grid[row[0].row] = cells + [Cell(None)] * (width - len(cells))
    section_rows: set[int] = set()
    for rng in ws.merged_cells.ranges:
        top = grid.get(rng.min_row)
        if top is None:
            continue
        anchor = top[rng.min_col - 1]
        for r in range(rng.min_row, rng.max_row + 1):
            cells = grid.setdefault(r, [Cell(None)] * width)
            for c in range(rng.min_col, rng.max_col + 1):
                cells[c - 1] = anchor
            wide = rng.max_col - rng.min_col + 1 >= max(2, width // 2)
            others_empty = all(cells[c].empty for c in range(width) if not rng.min_col - 1 <= c < rng.max_col)
            if wide and others_empty:
                section_rows.add(r)
    rows = [(n, grid[n]) for n in sorted(grid)]
    return Table(file, ws.title, rows, section_rows, sheets_in_file)


# --------------------------------------------------------------------------------------------
# Dates and times as agencies write them
# --------------------------------------------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS.update({"sept": 9})
_WEEKDAY = re.compile(r"^(mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(day|sday|nesday|rsday|urday)?\.?,?\s+", re.I)
_APPROX_PREFIX = re.compile(
    r"^(c\.|ca\.|c\s|circa|approx\.?|approximately|about|around|~|early|mid-|mid|late|"
    r"beginning of|start of|end of|spring|summer|autumn|fall|winter)\s*", re.I)
_APPROX_SUFFIX = re.compile(r"\s*(\(approx\.?\)|\(approximate\)|approx\.?|\?)$", re.I)
_RANGE = re.compile(r"\s+(?:-|to|until|till)\s+", re.I)
_TIME_SUFFIX = re.compile(
    r"(?:\s+|t)(?:at\s+)?(\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:am|pm)?|\d{1,2}\s*(?:am|pm))\s*(?:hrs|hours|h)?$", re.I)
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})$")
_NUMERIC_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_NUMERIC_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.I)

EXPECTED_DATES = "a date such as 08/10/2010, 8 Oct 2010, October 2010, Oct-10 or 2010"


@dataclass(frozen=True)
class ChronologyDate:
    date: PartialDate
    approx: bool = False
    until: PartialDate | None = None
    time: str | None = None


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:  # 08/10/68 is 1968, 08/10/10 is 2010
        y += 2000 if 2000 + y <= dt.date.today().year else 1900
    return y


def _checked(shown: str, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    """The model's date of these numbers; a month out of range is explained by the day-first order."""
    try:
        return PartialDate.of(year, month, day, shown=shown)
    except PartialDateError as exc:
        if exc.part == "month":
            raise _CellError(f"'{shown}' is not a date: there is no month {month} (dates are read day first)") from None
        raise _CellError(str(exc)) from None


def _single_date(text: str, shown: str) -> tuple[PartialDate, str | None]:
    """One date (no range, no approx words), with a time of day if one is written after it."""
    t = _WEEKDAY.sub("", text.strip())
    time = None
    m = _TIME_SUFFIX.search(t)
    if m and m.start() > 0 and not _NUMERIC_MY.match(t) and not _ISO.match(t):
        try:
            # "2010-10-08 00:00:00" is a spreadsheet's date-time export of a plain date
            time = None if re.fullmatch(r"0?0[:.]00[:.]00(\.0+)?", m.group(1)) else parse_time(m.group(1))
            t = t[: m.start()].strip()
        except _CellError:
            time = None
    t = t.strip().rstrip(",")
    if m := _ISO.match(t):
        y, mo, d = m.groups()
        return _checked(shown, int(y), int(mo) if mo else None, int(d) if d else None), time
    if m := _NUMERIC_DMY.match(t):
        return _checked(shown, _year(m.group(4)), int(m.group(3)), int(m.group(1))), time
    if m := _NUMERIC_YMD.match(t):
        return _checked(shown, int(m.group(1)), int(m.group(2)), int(m.group(3))), time
    if m := _NUMERIC_MY.match(t):
        return _checked(shown, int(m.group(2)), int(m.group(1))), time
    tokens = re.findall(r"[a-z]+|\d+", _ORDINAL.sub(r"\1", t.lower()))
    tokens = [x for x in tokens if x != "of"]
    if re.fullmatch(r"[\w\s,./\-']*", t) and tokens:
        kinds = "".join("M" if x in _MONTHS else "n" if x.isdigit() else "?" for x in tokens)
        if kinds == "nMn" and len(tokens[2]) in (2, 4) and len(tokens[0]) <= 2:  # 8 Oct 2010
            return _checked(shown, _year(tokens[2]), _MONTHS[tokens[1]], int(tokens[0])), time
        if kinds == "Mnn" and len(tokens[1]) <= 2 and len(tokens[2]) == 4:  # October 8, 2010
            return _checked(shown, int(tokens[2]), _MONTHS[tokens[0]], int(tokens[1])), time
        if kinds == "Mn" and len(tokens[1]) in (2, 4):  # October 2010, Oct-10
            return _checked(shown, _year(tokens[1]), _MONTHS[tokens[0]]), time
        if kinds == "nM" and len(tokens[0]) == 4:  # 2010 Oct
            return _checked(shown, int(tokens[0]), _MONTHS[tokens[1]]), time
        if kinds in ("nM", "Mn"):
            raise _CellError(f"'{shown}' is not a date: it has no year")
    raise _CellError(f"'{shown}' is not a date (expected {EXPECTED_DATES})")


def parse_date_text(text: str) -> ChronologyDate:
    """Read a date written as agencies write it; day first; partial dates stay partial.

    ``08/10/2010``, ``8.10.10``, ``8th October 2010``, ``Fri 8 Oct 2010 14:30``, ``October 2010``,
    ``Oct-10``, ``10/2010``, ``2010``, ``2010-10-08``; ``c. 2010``, ``late 2010``, ``Oct 2010?``
    (approximate); ``Oct 2010 - Jan 2011`` and ``between 2009 and 2011`` (a span: ``until``).
    """
    shown = " ".join(str(text).split())
    t = shown.replace("\u2013", "-").replace("\u2014", "-")
    approx = False
    while True:
        m = _APPROX_PREFIX.match(t)
        s = _APPROX_SUFFIX.search(t)
        if m and m.end() < len(t):
            t, approx = t[m.end():], True
        elif s and s.start() > 0:
            t, approx = t[: s.start()], True
        else:
            break
    if not t:
        raise _CellError(f"'{shown}' is not a date (expected {EXPECTED_DATES})")
    between = re.match(r"^(?:between)\s+(.+?)\s+and\s+(.+)$", t, re.I)
    parts = list(between.groups()) if between else _RANGE.split(re.sub(r"^from\s+", "", t, flags=re.I))
    if len(parts) == 2:
        (start, time), (until, _) = _single_date(parts[0], shown), _single_date(parts[1], shown)
        if until.latest < start.earliest:
            raise _CellError(f"'{shown}': the span ends before it starts")
        return ChronologyDate(start, approx, until, time)
    if len(parts) > 2:
        raise _CellError(f"'{shown}' is not a date (expected {EXPECTED_DATES})")
    date, time = _single_date(parts[0], shown)
    return ChronologyDate(date, approx, None, time)


def _format_precision(number_format: str | None) -> str:
    """How precise an Excel date cell is, from its number format ('mmm-yy' is a month)."""
    f = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", (number_format or "").lower())
    if "d" in f:
        return "day"
    if "y" in f and "m" in f:
        return "month"
    if "y" in f:
        return "year"
    return "day"


def read_date_cell(cell: Cell) -> ChronologyDate:
    """A date cell: text in any agency form, an Excel date (as precise as its format shows) or a year."""
    v = cell.value
    if isinstance(v, dt.datetime):
        date = PartialDate.parse(v).truncate(_format_precision(cell.number_format))
        has_time = (v.hour, v.minute) != (0, 0)
        return ChronologyDate(date, time=f"{v.hour:02d}:{v.minute:02d}" if has_time else None)
    if isinstance(v, dt.date):
        return ChronologyDate(PartialDate.parse(v).truncate(_format_precision(cell.number_format)))
    if isinstance(v, bool):
        raise _CellError(f"{v!r} is not a date (expected {EXPECTED_DATES})")
    if isinstance(v, (int, float)):
        if float(v).is_integer() and 1000 <= v <= 9999:
            return ChronologyDate(PartialDate.of(int(v)))
        raise _CellError(f"the number {v!r} is not a date (expected {EXPECTED_DATES})")
    if isinstance(v, dt.time):
        raise _CellError(f"{v.isoformat()} is a time, not a date")
    return parse_date_text(str(v))


def parse_time(text: str) -> str:
    """``14:30``, ``14.30``, ``1430``, ``2:30pm``, ``2pm``, ``14:30 hrs`` -> ``"14:30"``."""
    t = text.strip().lower().replace(" ", "")
    t = re.sub(r"(hrs|hours|h)$", "", t)
    m = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2})(?::\d{2}(?:\.\d+)?)?)?(am|pm)?", t) or \
        re.fullmatch(r"(\d{2})(\d{2})()", t)
    if not m:
        raise _CellError(f"'{text}' is not a time (expected e.g. 14:30, 1430 or 2.30pm)")
    hour, minute, ampm = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if ampm is None and m.group(2) is None and len(m.group(1)) < 3 and not re.fullmatch(r"\d{4}", t):
        raise _CellError(f"'{text}' is not a time (expected e.g. 14:30, 1430 or 2.30pm)")
    if ampm:
        if not 1 <= hour <= 12:
            raise _CellError(f"'{text}' is not a time: {hour} is not an hour on a 12-hour clock")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise _CellError(f"'{text}' is not a time of day")
    return f"{hour:02d}:{minute:02d}"


def read_time_cell(cell: Cell) -> str:
    v = cell.value
    if isinstance(v, (dt.datetime, dt.time)):
        return f"{v.hour:02d}:{v.minute:02d}"
    if isinstance(v, float) and 0 <= v < 1:  # a day fraction from an unformatted time cell
        minutes = round(v * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(v, int) and 0 <= v <= 2359:
        return parse_time(f"{v:04d}")
    return parse_time(str(v))


# --------------------------------------------------------------------------------------------
# Other cells
# --------------------------------------------------------------------------------------------

_TYPE_SYNONYMS = {
    "phone call": "call", "telephone call": "call", "telephone": "call", "phone": "call",
    "999 call": "call", "101 call": "call", "emergency call": "call",
    "visit": "home_visit", "home visit": "home_visit", "domiciliary visit": "home_visit",
    "gp appointment": "appointment", "consultation": "appointment", "clinic": "appointment",
    "clinic appointment": "appointment", "outpatient appointment": "appointment",
    "a and e attendance": "admission", "ae attendance": "admission", "hospital admission": "admission",
    "dash": "risk_assessment", "dash risk assessment": "risk_assessment", "dash assessment": "risk_assessment",
    "safeguarding referral": "referral", "marac meeting": "marac", "marac referral": "marac",
    "mappa meeting": "mappa", "strategy meeting": "child_protection", "strategy discussion": "child_protection",
    "child protection conference": "child_protection", "section 47": "child_protection",
    "domestic incident": "incident", "domestic abuse incident": "incident", "domestic": "incident",
    "information sharing": "information_sharing", "info sharing": "information_sharing",
    "closure": "case_closure", "case closed": "case_closure", "court hearing": "court",
    "hearing": "court", "remand": "custody", "prison": "custody", "released": "release",
    "discharged": "discharge", "death": "homicide", "life event": "life_event",
}
_RISK_SYNONYMS = {
    "high": "high", "high risk": "high", "h": "high", "medium": "medium", "med": "medium",
    "medium risk": "medium", "m": "medium", "standard": "standard", "standard risk": "standard",
    "s": "standard", "low": "low", "low risk": "low", "l": "low", "none": "none", "no risk": "none",
}
_BLANK_RISK = {"n a", "na", "not assessed", "not applicable"}
_ABUSE_SYNONYMS = {
    "coercive control": "coercive_control", "controlling behaviour": "coercive_control",
    "coercive and controlling behaviour": "coercive_control", "coercion": "coercive_control",
    "psychological": "emotional", "verbal": "emotional", "financial": "economic",
    "threat": "threats", "threatening": "threats",
}
_TRUE = {"yes", "y", "true", "1", "x", "approx", "approximate", "approximately"}
_FALSE = {"no", "n", "false", "0", ""}


def _text(cell: Cell) -> str:
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    return " ".join(str(v).split()) if "\n" not in str(v) else str(v).strip()


def _split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n]|,", text) if p.strip()]


def read_type(text: str) -> tuple[str, str | None]:
    """(event type, the wording when it is not a dhr-case/1 type and so became 'other')."""
    key = normalise(text)
    snake = key.replace(" ", "_")
    if snake in values(EventType):
        return snake, None
    if key in _TYPE_SYNONYMS:
        return _TYPE_SYNONYMS[key], None
    if key.endswith("s") and key[:-1].replace(" ", "_") in values(EventType):
        return key[:-1].replace(" ", "_"), None
    return "other", text


def read_risk_level(text: str) -> tuple[str | None, str | None]:
    """(level, grade): a known level, or the tool's own wording kept as the grade."""
    key = normalise(text)
    if key in _BLANK_RISK:
        return None, None
    if key in values(RiskLevel):
        return key, None
    if key in _RISK_SYNONYMS:
        return _RISK_SYNONYMS[key], None
    return None, text


def read_flag(cell: Cell) -> bool | None:
    v = cell.value
    if isinstance(v, bool):
        return v
    key = normalise(_text(cell))
    if key in _TRUE:
        return True
    if key in ("no", "n", "false", "0"):
        return False
    if key == "":
        return None
    raise _CellError(f"'{_text(cell)}' is not yes or no")


# --------------------------------------------------------------------------------------------
# Names: agencies and persons of the case file
# --------------------------------------------------------------------------------------------


class Directory:
    """Looks up records of a case file by id, name, abbreviation or alias."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str | None]]]):
        self.ids: set[str] = set()
        self.index: dict[str, set[str]] = {}
        for rid, names in entries:
            self.ids.add(rid)
            for name in (rid, *names):
                if name:
                    self.index.setdefault(normalise(name), set()).add(rid)

    @classmethod
    def agencies(cls, case: CaseFile) -> "Directory":
        return cls((a.id, (a.name, a.abbreviation, *a.aliases)) for a in case.agencies)

    @classmethod
    def persons(cls, case: CaseFile) -> "Directory":
        return cls((p.id, (p.name, *p.aliases)) for p in case.persons)

    def resolve(self, text: str) -> tuple[str | None, str | None]:
        """(id, None) or (None, why not)."""
        text = text.strip()
        if text in self.ids:
            return text, None
        found = self.index.get(normalise(text), set())
        if len(found) == 1:
            return next(iter(found)), None
        if found:
            return None, f"is ambiguous (could be {', '.join(sorted(found))})"
        return None, "is not in the case file"

    PERSON_SEPARATORS = r",|\s+and\s+|\s*&\s*|\s*/\s*|\s*\+\s*"
    AGENCY_SEPARATORS = r","

    def resolve_many(self, text: str, separators: str = PERSON_SEPARATORS) -> tuple[list[str], list[tuple[str, str]]]:
        """Ids named in a cell ('S; J', 'S, J', 'S and J', 'S/J'), and the parts not matched.

        A cell is split on ';' and new lines; a part that is not a name as a whole is split
        further on ``separators``, so "Staffordshire and West Midlands Probation" stays whole
        when it is an agency's name.
        """
        found: list[str] = []
        missing: list[tuple[str, str]] = []
        whole, _ = self.resolve(text)
        if whole:
            return [whole], []
        for part in (p.strip() for p in re.split(r"[;\n]", text) if p.strip()):
            rid, why = self.resolve(part)
            if rid:
                found.append(rid)
                continue
            pieces = [q.strip() for q in re.split(separators, part) if q.strip()]
            if len(pieces) == 1:
                missing.append((part, why or "is not in the case file"))
                continue
            for piece in pieces:
                rid, why = self.resolve(piece)
                if rid:
                    found.append(rid)
                else:
                    missing.append((piece, why or "is not in the case file"))
        return list(dict.fromkeys(found)), missing

    def label(self, rid: str, preferred: Iterable[str | None]) -> str:
        """The first of ``preferred`` that leads back to ``rid`` alone; else the id."""
        for name in preferred:
            if name and not re.search(r"[;\n]", name) and self.resolve(name) == (rid, None):
                return name
        return rid


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What :func:`import_chronology` did, for the command's report."""

    case: CaseFile  # the case file with the new events appended
    events: list[Event]  # the new events, in row order
    file: str
    sheet: str | None
    header_row: int
    columns: dict[str, str]  # field -> heading of the column read for it
    ignored_columns: list[str]
    bad_rows: list[CellProblem]  # only with skip_bad_rows
    unresolved: list[Unresolved]
    blank_rows: int = 0
    section_rows: list[int] = field(default_factory=list)
    repeated_header_rows: list[int] = field(default_factory=list)

    @property
    def rows_with_unresolved(self) -> list[int]:
        return sorted({u.where.row for u in self.unresolved})


def parse_mappings(items: Iterable[str]) -> dict[str, str]:
    """``['Local heading=field', ...]`` -> {normalised heading: field}; a bad item raises."""
    out: dict[str, str] = {}
    for item in items:
        heading, sep, fld = item.rpartition("=")
        fld = fld.strip().lower().replace("-", "_").replace(" ", "_")
        if not sep or not heading.strip():
            raise ChronologyError(f"--map '{item}': expected 'Local heading=field'")
        if fld not in FIELDS and fld != IGNORE:
            raise ChronologyError(
                f"--map '{item}': unknown field '{fld}' (fields: {', '.join(FIELDS)}, or '{IGNORE}')")
        out[normalise(heading)] = fld
    return out


def _header_fields(cells: Sequence[Cell], mapping: Mapping[str, str]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i, cell in enumerate(cells):
        if cell.empty or not isinstance(cell.value, str):
            continue
        key = normalise(cell.value)
        fld = mapping.get(key) or _HEADING_INDEX.get(key)
        if fld:
            out[i] = fld
    return out


def find_header(table: Table, mapping: Mapping[str, str]) -> tuple[int, dict[int, str]] | None:
    """(index into table.rows, {column index: field}) of the header row, or None."""
    best: tuple[int, int, dict[int, str]] | None = None
    for idx, (_, cells) in enumerate(table.rows[:_MAX_HEADER_SCAN]):
        fields = {i: f for i, f in _header_fields(cells, mapping).items() if f != IGNORE}
        if "date" not in fields.values() or len(fields) < 2:
            continue
        if best is None or len(fields) > best[1]:
            best = (idx, len(fields), _header_fields(cells, mapping))
    return (best[0], best[2]) if best else None


class _RowReader:
    """Turns one data row into event data, collecting cell problems and unmatched names."""

    def __init__(self, table: Table, headings: dict[int, str], columns: dict[str, int],
                 agencies: Directory, persons: Directory, strict: bool):
        self.table, self.headings, self.columns = table, headings, columns
        self.agencies, self.persons, self.strict = agencies, persons, strict

    def read(self, row: int, cells: list[Cell]) -> tuple[dict[str, Any], list[CellProblem], list[Unresolved]]:
        self.row, self.cells = row, cells
        self.problems: list[CellProblem] = []
        self.unresolved: list[Unresolved] = []
        notes: list[str] = []
        ev: dict[str, Any] = {}

        when = self._cell("date", read_date_cell, required=True)
        if when:
            ev["date"] = str(when.date)
            if when.until:
                ev["until"] = str(when.until)
            if when.approx:
                ev["date_approx"] = True
            if when.time:
                ev["time"] = when.time
        until = self._cell("until", read_date_cell)
        if until:
            ev["until"] = str(until.date)
        approx = self._cell("date_approx", read_flag)
        if approx is not None:
            ev["date_approx"] = approx
        time = self._cell("time", read_time_cell)
        if time:
            ev["time"] = time
        if "id" in self.columns and (rid := self._str("id")):
            ev["id"] = rid

        agency_text = self._str("agency")
        imr_text = self._str("source_imr")
        if agency_text:
            ev["agency"] = self._agency("agency", agency_text, notes)
        elif imr_text:  # no agency column or cell: the IMR that reported it is the agency
            ev["agency"] = self._agency("source_imr", imr_text, notes)
            imr_text = ""
        if imr_text:
            notes.append(f"Source IMR: {imr_text}")
        if text := self._str("referral_to"):
            ev["referral_to"] = self._agency("referral_to", text, notes)
        for fld in ("shared_with", "other_agencies"):
            if text := self._str(fld):
                ev[fld] = self._names(fld, text, notes, self.agencies, "agency", Directory.AGENCY_SEPARATORS)

        if text := self._str("persons"):
            ev["persons"] = self._names("persons", text, notes, self.persons, "person", Directory.PERSON_SEPARATORS)

        type_text = self._str("type")
        if type_text:
            ev["type"], unknown = read_type(type_text)
            if unknown:
                notes.append(f"Chronology type: {unknown}")
        else:
            ev["type"] = "other"

        summary = self._str("summary")
        outcome = self._str("outcome")
        if outcome:
            summary = f"{summary} Outcome: {outcome}" if summary else f"Outcome: {outcome}"
        if summary:
            ev["summary"] = summary

        risk = self._risk()
        if risk:
            ev["risk"] = risk
        abuse = self._abuse(notes)
        if abuse:
            ev["abuse"] = abuse
        place = {f: t for f in ("town", "local_authority", "police_force_area", "country") if (t := self._str(f))}
        if place:
            ev["place"] = place
        if text := self._str("notes"):
            notes.insert(0, text)
        if notes:
            ev["notes"] = "\n".join(notes)
        ev["_report_ref"] = self._str("report_ref")
        ev = {k: v for k, v in ev.items() if v not in (None, [], "") or k == "_report_ref"}
        return ev, self.problems, self.unresolved

    # -- cells --

    def _where(self, fld: str) -> Where:
        col = self.columns[fld]
        return self.table.where(self.row, col + 1, self.headings.get(col))

    def _raw(self, fld: str) -> Cell | None:
        col = self.columns.get(fld)
        if col is None or col >= len(self.cells):
            return None
        cell = self.cells[col]
        return None if cell.empty else cell

    def _str(self, fld: str) -> str:
        cell = self._raw(fld)
        return _text(cell) if cell else ""

    def _cell(self, fld: str, reader, required: bool = False):
        cell = self._raw(fld)
        if cell is None:
            if required:
                where = self._where(fld) if fld in self.columns else self.table.where(self.row)
                self.problems.append(CellProblem(where, f"no {fld} (every row needs one)"))
            return None
        try:
            return reader(cell)
        except _CellError as exc:
            self.problems.append(CellProblem(self._where(fld), str(exc)))
            return None

    def _note_unresolved(self, fld: str, value: str, kind: str, reason: str) -> None:
        u = Unresolved(self._where(fld), value, kind, reason)
        if self.strict:
            self.problems.append(CellProblem(u.where, f"{kind} '{value}' {reason}"))
        else:
            self.unresolved.append(u)

    def _agency(self, fld: str, text: str, notes: list[str]) -> str | None:
        rid, why = self.agencies.resolve(text)
        if rid is None:
            self._note_unresolved(fld, text, "agency", why or "is not in the case file")
            notes.append(f"Chronology {self.headings[self.columns[fld]]}: {text} (not matched to an agency of the case file)")
        return rid

    def _names(self, fld: str, text: str, notes: list[str], directory: Directory, kind: str,
               separators: str) -> list[str]:
        ids, missing = directory.resolve_many(text, separators)
        for value, why in missing:
            self._note_unresolved(fld, value, kind, why)
        if missing:
            names = "; ".join(v for v, _ in missing)
            notes.append(f"Chronology {self.headings[self.columns[fld]]}: {names} (not matched to "
                         f"{'an agency' if kind == 'agency' else 'a person'} of the case file)")
        return ids

    def _risk(self) -> dict[str, Any] | None:
        risk: dict[str, Any] = {}
        if tool := self._str("risk_tool"):
            risk["tool"] = tool
        if text := self._str("risk_level"):
            level, grade = read_risk_level(text)
            if level:
                risk["level"] = level
            if grade:
                risk["grade"] = grade
        if grade_text := self._str("risk_grade"):
            risk["grade"] = grade_text
        score = self._cell("risk_score", _read_score)
        if score is not None:
            risk["score"] = score
        return risk or None

    def _abuse(self, notes: list[str]) -> dict[str, Any] | None:
        texts = {f: self._str(f) for f in ("abuse_perpetrator", "abuse_victim", "abuse_victims", "abuse_kinds", "abuse_certainty")}
        if not any(texts.values()):
            return None
        abuse: dict[str, Any] = {}
        complete = True
        if texts["abuse_perpetrator"]:
            rid, why = self.persons.resolve(texts["abuse_perpetrator"])
            if rid:
                abuse["perpetrator"] = rid
            else:
                complete = False
                self._note_unresolved("abuse_perpetrator", texts["abuse_perpetrator"], "person", why or "")
        if texts["abuse_victim"]:
            rid, why = self.persons.resolve(texts["abuse_victim"])
            if rid:
                abuse["victim"] = rid
            else:
                complete = False
                self._note_unresolved("abuse_victim", texts["abuse_victim"], "person", why or "")
        if texts["abuse_victims"]:
            ids, missing = self.persons.resolve_many(texts["abuse_victims"])
            for value, why in missing:
                complete = False
                self._note_unresolved("abuse_victims", value, "person", why)
            abuse["victims"] = ids
        if texts["abuse_kinds"]:
            kinds = []
            for part in _split_list(texts["abuse_kinds"]):
                key = normalise(part)
                kind = _ABUSE_SYNONYMS.get(key, key.replace(" ", "_"))
                if kind in values(AbuseKind):
                    kinds.append(kind)
                else:
                    self.problems.append(CellProblem(
                        self._where("abuse_kinds"),
                        f"'{part}' is not a kind of abuse ({', '.join(values(AbuseKind))})"))
            abuse["kinds"] = list(dict.fromkeys(kinds))
        if texts["abuse_certainty"]:
            key = normalise(texts["abuse_certainty"])
            if key in values(Certainty):
                abuse["certainty"] = key
            else:
                self.problems.append(CellProblem(
                    self._where("abuse_certainty"),
                    f"'{texts['abuse_certainty']}' is not a certainty ({', '.join(values(Certainty))})"))
        if not complete or "perpetrator" not in abuse or not (abuse.get("victim") or abuse.get("victims")):
            shown = "; ".join(f"{f.removeprefix('abuse_')}: {t}" for f, t in texts.items() if t)
            notes.append(f"Chronology abuse (not recorded as abuse: perpetrator and victim must both match "
                         f"persons of the case file): {shown}")
            return None
        return abuse


def _read_score(cell: Cell) -> int:
    v = cell.value
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
        return v
    text = _text(cell)
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise _CellError(f"'{text}' is not a risk score (a whole number such as 14)")


def _event_id_stem(path: Path) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", normalise(path.stem)).strip("-")
    return stem or "chronology"


def import_chronology(
    path: str | Path,
    case: CaseFile,
    *,
    mapping: Mapping[str, str] | Iterable[str] = (),
    sheet: str | None = None,
    skip_bad_rows: bool = False,
    strict: bool = False,
) -> ImportResult:
    """Read a chronology spreadsheet and append its rows to ``case`` as events.

    ``mapping``: {normalised heading: field} or ``['Heading=field', ...]`` for local headings.
    Raises :class:`ChronologyError` (listing every unreadable cell) when a row fails and
    ``skip_bad_rows`` is false; ``case`` itself is never changed.
    """
    path = Path(path)
    if not isinstance(mapping, Mapping):
        mapping = parse_mappings(mapping)
    tables = read_tables(path, sheet)
    found = None
    for table in tables:
        found = find_header(table, mapping)
        if found:
            break
    if not found:
        where = f"sheet '{sheet}' of {path.name}" if sheet else path.name
        raise ChronologyError(
            f"{where}: no header row found in the first {_MAX_HEADER_SCAN} rows of any sheet "
            f"(a row with a Date column and at least one other known heading, such as Agency or "
            f"Summary); name local headings with --map 'Heading=date'")
    header_idx, header_fields = found
    header_row, header_cells = table.rows[header_idx]
    headings = {i: _text(header_cells[i]) for i in header_fields}
    columns: dict[str, int] = {}
    for col, fld in header_fields.items():
        if fld == IGNORE:
            continue
        if fld in columns:
            raise ChronologyError(
                f"{table.where(header_row)}: columns {column_letter(columns[fld] + 1)} ({headings[columns[fld]]}) "
                f"and {column_letter(col + 1)} ({headings[col]}) both hold '{fld}'; "
                f"use --map '{headings[col]}=ignore' (or another field) for one of them")
        columns[fld] = col
    ignored = [f"{column_letter(i + 1)} ({_text(c)})" for i, c in enumerate(header_cells)
               if not c.empty and (i not in header_fields or header_fields[i] == IGNORE)]
    header_key = [normalise(_text(c)) for c in header_cells]

    reader = _RowReader(table, headings, columns, Directory.agencies(case), Directory.persons(case), strict)
    result = ImportResult(case, [], path.name, table.sheet, header_row,
                          {f: headings[c] for f, c in columns.items()}, ignored, [], [])
    problems: list[CellProblem] = []
    new: list[dict[str, Any]] = []
    taken = {e.id for e in case.events}
    stem = _event_id_stem(path)
    for row, cells in table.rows[header_idx + 1:]:
        if all(c.empty for c in cells):
            result.blank_rows += 1
            continue
        if row in table.section_rows:
            result.section_rows.append(row)
            continue
        if [normalise(_text(c)) for c in cells[: len(header_key)]] == header_key:
            result.repeated_header_rows.append(row)
            continue
        ev, row_problems, unresolved = reader.read(row, cells)
        ref = ev.pop("_report_ref", "")
        ev["source"] = f"{table.source_name} row {row}" + (f"; {ref}" if ref else "")
        if "id" in ev and ev["id"] in taken:
            row_problems.append(CellProblem(table.where(row, columns["id"] + 1, headings[columns["id"]]),
                                            f"event id '{ev['id']}' is already used in the case file or the chronology"))
        elif "id" not in ev:
            ev["id"], n = f"{stem}-r{row}", 2
            while ev["id"] in taken:
                ev["id"], n = f"{stem}-r{row}-{n}", n + 1
        if not row_problems:
            row_problems = _model_problems(ev, table, row, columns, headings)
        if row_problems:
            problems.extend(row_problems)
            continue
        taken.add(ev["id"])
        result.unresolved.extend(unresolved)
        new.append({"id": ev.pop("id"), **ev})
    if problems and not skip_bad_rows:
        bad = len({p.where.row for p in problems})
        raise ChronologyError(
            f"{path.name}: {bad} row{'s' if bad != 1 else ''} could not be read; nothing was imported "
            f"(fix the cells, or use --skip-bad-rows to import the other rows)", problems)
    result.bad_rows = problems
    updated = add_events(case, new, file=path.name)
    result.case = updated
    result.events = updated.events[len(case.events):]
    return result


#: event field (first element of a validation error's location) -> the chronology field
#: whose column it came from
_COLUMN_OF = {
    "date": "date", "until": "until", "date_approx": "date_approx", "time": "time", "id": "id",
    "agency": "agency", "type": "type", "persons": "persons", "summary": "summary",
    "referral_to": "referral_to", "shared_with": "shared_with", "other_agencies": "other_agencies",
    "notes": "notes", "source": "report_ref",
}


def _model_problems(ev: dict[str, Any], table: Table, row: int, columns: dict[str, int],
                    headings: dict[int, str]) -> list[CellProblem]:
    """Checks of one event against the dhr-case/1 model, each placed on its cell."""
    from pydantic import ValidationError

    out: list[CellProblem] = []
    try:
        event = Event.model_validate(ev)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(x) for x in err["loc"]]
            fld = _COLUMN_OF.get(loc[0]) if loc else None
            if loc and loc[0] in ("risk", "abuse", "place") and len(loc) > 1:
                fld = {"level": "risk_level", "grade": "risk_grade", "tool": "risk_tool",
                       "score": "risk_score"}.get(loc[1]) if loc[0] == "risk" else \
                    f"abuse_{loc[1]}" if loc[0] == "abuse" else loc[1]
            col = columns.get(fld) if fld else None
            where = table.where(row, col + 1, headings.get(col)) if col is not None else table.where(row)
            out.append(CellProblem(where, f"{'.'.join(loc)}: {err['msg']}"))
        return out
    if event.until is not None and event.until.latest < event.date.earliest:
        fld = "until" if "until" in columns else "date"
        col = columns[fld]
        out.append(CellProblem(table.where(row, col + 1, headings.get(col)),
                               f"until ({event.until}) is before the date ({event.date})"))
    return out


def add_events(case: CaseFile, events: list[dict[str, Any]], file: str = "<chronology>") -> CaseFile:
    """The case with ``events`` appended, validated as a whole case file."""
    data = case.to_data()
    data["events"] = list(data.get("events", [])) + events
    text = case_yaml(data)
    result = validate_text(text, file=f"{case.review.id} + {file}")
    if not result.ok:
        raise ChronologyError(
            f"{file}: the events do not make a valid case file:"
            + "".join(f"\n  {p.path}: {p.message}" for p in result.errors[:50]))
    assert result.case is not None
    return result.case


def write_case(case: CaseFile, path: str | Path) -> None:
    """Write a case file atomically (a half-written file never replaces a good one)."""
    write_case_file(case, path)


def without_events(case: CaseFile) -> CaseFile:
    """A copy of ``case`` with no events (what a panel has before the chronology)."""
    data = case.to_data()
    data.pop("events", None)
    return CaseFile.model_validate(data)


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "id", "date", "until", "date_approx", "time", "agency", "type", "persons", "summary",
    "risk_tool", "risk_level", "risk_grade", "risk_score", "referral_to", "shared_with", "other_agencies",
    "abuse_perpetrator", "abuse_victim", "abuse_victims", "abuse_kinds", "abuse_certainty",
    "town", "local_authority", "police_force_area", "country", "report_ref", "notes",
)
_ALWAYS = ("id", "date", "agency", "type", "persons", "summary")


def _export_date_text(d: PartialDate) -> str:
    if d.precision == "day":
        return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
    if d.precision == "month":
        return f"{calendar.month_abbr[d.month]} {d.year:04d}"
    return f"{d.year:04d}"


def event_rows(case: CaseFile) -> tuple[list[str], list[dict[str, Any]]]:
    """(fields used, one dict per event with cell values) for the exporter."""
    agencies, persons = Directory.agencies(case), Directory.persons(case)
    agency_label = {a.id: agencies.label(a.id, (a.name, a.abbreviation, *a.aliases)) for a in case.agencies}
    person_label = {p.id: persons.label(p.id, (p.name, *p.aliases)) for p in case.persons}
    ag = lambda i: agency_label.get(i, i)  # noqa: E731
    pe = lambda i: person_label.get(i, i)  # noqa: E731
    rows = []
    for e in case.events:
        r: dict[str, Any] = {
            "id": e.id, "date": e.date, "until": e.until, "time": e.time,
            "date_approx": None if e.date_approx is None else ("yes" if e.date_approx else "no"),
            "agency": ag(e.agency) if e.agency else None, "type": e.type,
            "persons": "; ".join(pe(p) for p in e.persons) or None, "summary": e.summary,
            "referral_to": ag(e.referral_to) if e.referral_to else None,
            "shared_with": "; ".join(ag(a) for a in e.shared_with) or None,
            "other_agencies": "; ".join(ag(a) for a in e.other_agencies) or None,
            "report_ref": e.source, "notes": e.notes,
        }
        if e.risk:
            both = e.risk.level is not None and e.risk.grade is not None
            r.update(risk_tool=e.risk.tool, risk_level=e.risk.level or e.risk.grade, risk_score=e.risk.score,
                     risk_grade=e.risk.grade if both else None)
        if e.abuse:
            r.update(abuse_perpetrator=pe(e.abuse.perpetrator) if e.abuse.perpetrator else None,
                     abuse_victim=pe(e.abuse.victim) if e.abuse.victim else None,
                     abuse_victims="; ".join(pe(v) for v in e.abuse.victims) if e.abuse.victims is not None else None,
                     abuse_kinds="; ".join(e.abuse.kinds) or None, abuse_certainty=e.abuse.certainty)
        if e.place:
            r.update(town=e.place.town, local_authority=e.place.local_authority,
                     police_force_area=e.place.police_force_area, country=e.place.country)
        rows.append(r)
    used = [c for c in EXPORT_COLUMNS if c in _ALWAYS or any(r.get(c) not in (None, "") for r in rows)]
    return used, rows


def export_chronology(case: CaseFile, path: str | Path) -> int:
    """Write the case's events as a chronology (.csv or .xlsx); returns the number of rows."""
    path = Path(path)
    used, rows = event_rows(case)
    headings = [HEADINGS[c][0] for c in used]
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ChronologyError(f"{path.name}: expected a .csv or .xlsx file name")
    with atomic_path(path, suffix=suffix) as tmp:
        if suffix == ".csv":
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(headings)
                for r in rows:
                    w.writerow([_export_date_text(r[c]) if isinstance(r.get(c), PartialDate)
                                else ("" if r.get(c) is None else r[c]) for c in used])
        else:
            _write_xlsx(tmp, used, headings, rows)
    return len(rows)


def _write_xlsx(path: Path, used: list[str], headings: list[str], rows: list[dict[str, Any]]) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws.append(headings)
    for c in ws[1]:
        c.font = Font(bold=True)
    formats = {"day": "dd/mm/yyyy", "month": "mmm yyyy"}
    for r in rows:
        out = []
        for c in used:
            v = r.get(c)
            if isinstance(v, PartialDate):
                v = v.year if v.precision == "year" else dt.datetime(v.year, v.month, v.day or 1)
            elif c == "time" and v:
                v = dt.time(int(v[:2]), int(v[3:]))
            out.append(v)
        ws.append(out)
        for c, cell in zip(used, ws[ws.max_row]):
            v = r.get(c)
            if isinstance(v, PartialDate):
                cell.number_format = formats.get(v.precision, "0")
            elif c == "time" and v:
                cell.number_format = "hh:mm"
            elif c in ("summary", "notes"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = {"summary": 80, "notes": 40, "persons": 24, "agency": 30}
    for i, c in enumerate(used, start=1):
        ws.column_dimensions[column_letter(i)].width = widths.get(c, 14)
    ws.freeze_panes = "A2"
    wb.save(path)


__all__ = [
    "CellProblem", "ChronologyDate", "ChronologyError", "Directory", "FIELDS", "HEADINGS",
    "ImportResult", "Unresolved", "add_events", "export_chronology", "import_chronology",
    "normalise", "parse_date_text", "parse_mappings", "parse_time", "read_tables",
    "without_events", "write_case",
]
