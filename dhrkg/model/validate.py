"""Validation of case files: every problem, each with file, line, column and field path.

Two passes over one parsed file. The first is the pydantic model (types,
enums, partial dates, unknown fields); the second is the checks a model
cannot express (ids unique and referenced ids present, no one their own
parent, no parent cycles, children born after their parents, abuse with a
perpetrator and a victim, dates in order, force areas known). The second pass
reads the plain data defensively, so a type error in one record does not hide
a broken reference in another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal

from pydantic import ValidationError

from .textcheck import bad_character, visible

from .dates import PartialDate, PartialDateError
from .model import KEY_SEPARATOR, CaseFile, RelationshipType, values
from .source import PathKey, SourceText, UnreadableCaseFile, parse_text, read_source

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a look) in a case file."""

    file: str
    line: int
    column: int
    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        tag = "warning: " if self.severity == "warning" else ""
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {tag}{where}{self.message}"


class CaseFileInvalid(Exception):
    """A case file with errors; ``problems`` lists them all."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file, self.problems = file, problems
        errors = [p for p in problems if p.severity == "error"]
        head = f"{file}: {len(errors)} problem{'s' if len(errors) != 1 else ''}"
        super().__init__(head + "".join(f"\n  {p}" for p in errors[:20]))


@dataclass
class ValidationResult:
    file: str
    case: CaseFile | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def format_path(path: Iterable[str | int]) -> str:
    """``('events', 12, 'agency')`` -> ``events[12].agency``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            part = visible(str(part), 40)
            out += f".{part}" if out else part
    return out


_RELATIONSHIP_TYPES = set(values(RelationshipType))


def _data_path(loc: tuple[Any, ...]) -> PathKey:
    """A pydantic error location as a path into the data (union tags removed, aliases kept)."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if (
            isinstance(part, str)
            and part in _RELATIONSHIP_TYPES
            and len(out) >= 2
            and out[-2] == "relationships"
            and isinstance(out[-1], int)
            and len(out) == 2
        ):
            continue  # discriminated-union tag
        if part == "from_":
            part = "from"
        out.append(part)
    return tuple(out)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{visible(value)}'"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if value is None:
        return "nothing"
    return repr(value)


def _message(err: dict[str, Any]) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "missing":
        return "required field missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "").replace("'", "")
        expected = expected.replace(" or ", ", ")
        return f"{_show(value)} is not one of: {expected}"
    if kind == "union_tag_invalid":
        allowed = ", ".join(sorted(_RELATIONSHIP_TYPES, key=list(values(RelationshipType)).index))
        return f"unknown relationship type {_show(ctx.get('tag'))} (expected one of: {allowed})"
    if kind == "union_tag_not_found":
        return "relationship has no 'type'"
    if kind == "value_error":
        exc = ctx.get("error")
        return str(exc) if exc is not None else err["msg"].removeprefix("Value error, ")
    if kind in ("string_type",):
        return f"expected text, got {_show(value)}" + (" (put it in quotes)" if not isinstance(value, (dict, list)) else "")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_show(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_show(value)}"
    if kind == "list_type":
        return f"expected a list, got {_show(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {_show(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if ":" in pattern and "[0-5]" in pattern:
            return f"{_show(value)} is not a time (expected HH:MM)"
        bad = bad_character(value, identifier=True) if isinstance(value, str) else None
        if bad:
            return f"contains {bad}"
        return f"{_show(value)} is not allowed here (no leading/trailing spaces)"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        word = "at least" if kind == "greater_than_equal" else "at most"
        return f"{_show(value)} is out of range (must be {word} {bound})"
    return err["msg"]


def _model_problems(src: SourceText) -> tuple[CaseFile | None, list[Problem]]:
    try:
        return CaseFile.model_validate(src.data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            path = _data_path(err["loc"])
            if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
                path = path + ("type",)
            at_key = err["type"] == "extra_forbidden"
            line, col = src.position(path, key=at_key)
            problems.append(Problem(src.file, line, col, format_path(path), _message(err)))
        return None, problems


class _Checker:
    """The checks beyond the model, over plain (possibly ill-typed) data."""

    def __init__(self, src: SourceText):
        self.src = src
        self.data = src.data if isinstance(src.data, dict) else {}
        self.problems: list[Problem] = []

    # -- helpers ---------------------------------------------------------
    def report(self, path: PathKey, message: str, severity: Severity = "error") -> None:
        line, col = self.src.position(path)
        self.problems.append(Problem(self.src.file, line, col, format_path(path), message, severity))

    def records(self, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
        items = self.data.get(section)
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    yield i, item

    def ids(self, section: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for i, rec in self.records(section):
            rid = rec.get("id")
            if not isinstance(rid, str):
                continue
            if rid in found:
                self.report((section, i, "id"), f"duplicate id '{visible(rid)}' (first used at {section}[{found[rid]}])")
            else:
                found[rid] = i
        return found

    @staticmethod
    def date(value: Any) -> PartialDate | None:
        try:
            return PartialDate.parse(value) if value is not None else None
        except PartialDateError:
            return None

    def ref(self, path: PathKey, value: Any, known: dict[str, int], what: str) -> None:
        if isinstance(value, str) and value not in known:
            self.report(path, f"unknown {what} '{visible(value)}'")

    def refs(self, path: PathKey, value: Any, known: dict[str, int], what: str) -> None:
        if isinstance(value, list):
            for j, item in enumerate(value):
                self.ref(path + (j,), item, known, what)

    def in_order(self, path: PathKey, start: Any, end: Any, start_name: str, end_name: str) -> None:
        a, b = self.date(start), self.date(end)
        if a and b and b.latest < a.earliest:
            self.report(path + (end_name,), f"{end_name} {b} is before {start_name} {a}")

    # -- checks ----------------------------------------------------------
    def run(self) -> list[Problem]:
        persons = self.ids("persons")
        agencies = self.ids("agencies")
        for section in ("households", "events", "recommendations"):
            self.ids(section)
        self.key_separators()
        self.review()
        self.person_dates()
        self.relationships(persons)
        self.households(persons)
        self.events(persons, agencies)
        self.recommendations(agencies)
        self.force_areas()
        return self.problems

    def key_separators(self) -> None:
        """No id may hold the key separator: review 'x' + id 'y/z' and review 'x/y' + id 'z'
        would both be key 'x/y/z', and one review would write into the other."""
        review = self.data.get("review")
        located = [(("review", "id"), review.get("id"))] if isinstance(review, dict) else []
        for section in ("persons", "agencies", "households", "events", "recommendations"):
            located += [((section, i, "id"), rec.get("id")) for i, rec in self.records(section)]
        for path, value in located:
            if isinstance(value, str) and KEY_SEPARATOR in value:
                self.report(path, f"{_show(value)} contains '{KEY_SEPARATOR}', which ids may not "
                            "hold (it joins review and record ids into keys)")

    def review(self) -> None:
        review = self.data.get("review")
        if isinstance(review, dict) and isinstance(review.get("review_period"), dict):
            period = review["review_period"]
            self.in_order(("review", "review_period"), period.get("start"), period.get("end"), "start", "end")

    def person_dates(self) -> None:
        for i, p in self.records("persons"):
            self.in_order(("persons", i), p.get("born"), p.get("died"), "born", "died")
            if p.get("age") is not None and p.get("age_months") is not None:
                self.report(("persons", i, "age_months"), "give either age or age_months, not both")

    def relationships(self, persons: dict[str, int]) -> None:
        born = {p["id"]: self.date(p.get("born")) for _, p in self.records("persons") if isinstance(p.get("id"), str)}
        parents_of: dict[str, list[tuple[str, int]]] = {}
        for i, rel in self.records("relationships"):
            path = ("relationships", i)
            a, b = rel.get("from"), rel.get("to")
            self.ref(path + ("from",), a, persons, "person")
            self.ref(path + ("to",), b, persons, "person")
            self.in_order(path, rel.get("start"), rel.get("end"), "start", "end")
            kind = rel.get("type")
            if isinstance(a, str) and a == b:
                if kind == "parent":
                    self.report(path + ("to",), f"'{a}' cannot be their own parent")
                else:
                    self.report(path + ("to",), f"'{a}' cannot have a {kind} relationship with themselves")
                continue
            if kind == "parent" and isinstance(a, str) and isinstance(b, str):
                parents_of.setdefault(b, []).append((a, i))
                if rel.get("kind") != "step":
                    pb, cb = born.get(a), born.get(b)
                    if pb and cb and cb.latest < pb.earliest:
                        self.report(path, f"child '{b}' (born {cb}) is born before parent '{a}' (born {pb})")
        self.parent_cycles(parents_of)

    def parent_cycles(self, parents_of: dict[str, list[tuple[str, int]]]) -> None:
        """Report each parent cycle once (depth-first, with an explicit stack: any depth)."""
        reported: set[frozenset[str]] = set()
        state: dict[str, int] = {}  # 1 on the current path, 2 done
        for start in sorted(parents_of):
            if start in state:
                continue
            path: list[str] = [start]
            todo = [iter(parents_of.get(start, []))]
            state[start] = 1
            while todo:
                step = next(todo[-1], None)
                if step is None:
                    state[path.pop()] = 2
                    todo.pop()
                    continue
                parent, rel_index = step
                if state.get(parent) == 1:
                    self.parent_cycle(path[path.index(parent):] + [parent], rel_index, reported)
                elif parent not in state:
                    state[parent] = 1
                    path.append(parent)
                    todo.append(iter(parents_of.get(parent, [])))

    def parent_cycle(self, cycle: list[str], rel_index: int, reported: set[frozenset[str]]) -> None:
        key = frozenset(cycle)
        if key not in reported:
            reported.add(key)
            names = [visible(n, 30) for n in reversed(cycle)]
            if len(names) > 6:
                names = names[:3] + [f"... ({len(cycle) - 1} people) ..."] + names[-2:]
            shown = " -> ".join(names)
            self.report(("relationships", rel_index), f"parent cycle: {shown} (each is a parent of the next)")

    def households(self, persons: dict[str, int]) -> None:
        for i, hh in self.records("households"):
            self.in_order(("households", i), hh.get("start"), hh.get("end"), "start", "end")
            members = hh.get("members")
            if not isinstance(members, list):
                continue
            spells: dict[str, list[tuple[Any, Any]]] = {}
            for j, m in enumerate(members):
                path = ("households", i, "members", j)
                start = end = None
                if isinstance(m, dict):
                    self.ref(path + ("person",), m.get("person"), persons, "person")
                    self.in_order(path, m.get("start"), m.get("end"), "start", "end")
                    start, end = self.date(m.get("start")), self.date(m.get("end"))
                    m = m.get("person")
                else:
                    self.ref(path, m, persons, "person")
                if not isinstance(m, str):
                    continue
                lo = start.earliest if start else date.min
                hi = end.latest if end else date.max
                if any(lo <= h and l <= hi for l, h in spells.get(m, [])):
                    self.report(path, f"'{m}' is listed twice in this household for overlapping periods")
                spells.setdefault(m, []).append((lo, hi))

    def events(self, persons: dict[str, int], agencies: dict[str, int]) -> None:
        for i, ev in self.records("events"):
            path = ("events", i)
            self.ref(path + ("agency",), ev.get("agency"), agencies, "agency")
            self.ref(path + ("referral_to",), ev.get("referral_to"), agencies, "agency")
            self.refs(path + ("shared_with",), ev.get("shared_with"), agencies, "agency")
            self.refs(path + ("other_agencies",), ev.get("other_agencies"), agencies, "agency")
            self.refs(path + ("persons",), ev.get("persons"), persons, "person")
            self.in_order(path, ev.get("date"), ev.get("until"), "date", "until")
            abuse = ev.get("abuse")
            if isinstance(abuse, dict):
                apath = path + ("abuse",)
                self.ref(apath + ("perpetrator",), abuse.get("perpetrator"), persons, "person")
                self.ref(apath + ("victim",), abuse.get("victim"), persons, "person")
                self.refs(apath + ("victims",), abuse.get("victims"), persons, "person")
                if not abuse.get("perpetrator"):
                    self.report(apath, "abuse needs a perpetrator")
                if abuse.get("victim") and abuse.get("victims"):
                    self.report(apath, "give either victim or victims, not both")
                elif not abuse.get("victim") and not abuse.get("victims"):
                    self.report(apath, "abuse needs a victim (victim or victims)")
            risk = ev.get("risk")
            if isinstance(risk, dict) and ev.get("type") not in (None, "risk_assessment", "marac", "referral"):
                self.report(path + ("risk",), f"risk is given on an event of type '{ev.get('type')}'", "warning")

    def recommendations(self, agencies: dict[str, int]) -> None:
        for i, rec in self.records("recommendations"):
            self.ref(("recommendations", i, "agency"), rec.get("agency"), agencies, "agency")
            self.refs(("recommendations", i, "agencies"), rec.get("agencies"), agencies, "agency")

    def force_areas(self) -> None:
        try:
            from dhrkg.places import is_force_area
        except ImportError:  # reference data not installed
            return

        def check(path: PathKey, value: Any) -> None:
            if isinstance(value, str) and value.strip() and not is_force_area(value):
                self.report(path, f"'{value}' is not one of the police force areas of England and Wales", "warning")

        review = self.data.get("review")
        if isinstance(review, dict):
            check(("review", "police_force_area"), review.get("police_force_area"))
        for i, hh in self.records("households"):
            loc = hh.get("location")
            if isinstance(loc, dict) and not loc.get("country"):
                check(("households", i, "location", "police_force_area"), loc.get("police_force_area"))
        for i, ag in self.records("agencies"):
            check(("agencies", i, "police_force_area"), ag.get("police_force_area"))
        for i, ev in self.records("events"):
            place = ev.get("place")
            if isinstance(place, dict) and not place.get("country"):
                check(("events", i, "place", "police_force_area"), place.get("police_force_area"))


#: Fields whose text (or list of texts) is an id: no control, invisible or line-break characters.
ID_FIELDS = frozenset({
    "id", "from", "to", "person", "perpetrator", "victim", "victims", "persons", "agency", "agencies",
    "referral_to", "shared_with", "other_agencies", "members",
})


def character_problems(src: SourceText) -> list[Problem]:
    """Control characters anywhere, and invisible ones in ids (walked without recursion)."""
    problems: list[Problem] = []
    stack: list[tuple[PathKey, Any, bool]] = [((), src.data, False)]
    while stack:
        path, value, is_id = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((path + (key,), item, key in ID_FIELDS))
                _check_text(src, path + (key,), str(key), False, problems, at_key=True)
        elif isinstance(value, list):
            stack.extend((path + (i,), item, is_id) for i, item in enumerate(value))
        elif isinstance(value, str):
            _check_text(src, path, value, is_id, problems)
    return problems


def _check_text(src: SourceText, path: PathKey, text: str, is_id: bool, problems: list[Problem],
                at_key: bool = False) -> None:
    bad = bad_character(text, identifier=is_id)
    if bad:
        line, col = src.position(path, key=at_key)
        where = "its name " if at_key else ""
        problems.append(Problem(src.file, line, col, format_path(path), f"{where}contains {bad}"))


def validate_source(src: SourceText) -> ValidationResult:
    """Validate parsed data; never raises for invalid content."""
    if not isinstance(src.data, dict):
        line, col = src.position(())
        return ValidationResult(src.file, None, [Problem(src.file, line, col, "", "a case file must be a mapping with 'format', 'review', 'persons', ...")])
    case, problems = _model_problems(src)
    problems += _Checker(src).run()
    problems += character_problems(src)
    problems += [Problem(src.file, line, col, format_path(path), f"duplicate key '{path[-1]}' (the first value is used)")
                 for path, line, col in src.duplicate_keys]
    problems = sorted(set(problems), key=lambda p: (p.line, p.column, p.path, p.message))
    if any(p.severity == "error" for p in problems):
        case = None
    return ValidationResult(src.file, case, problems)


def validate_file(path: str | Path) -> ValidationResult:
    """Validate one case file. Raises :class:`UnreadableCaseFile` when it cannot be read or parsed."""
    return validate_source(read_source(path))


def validate_text(text: str, file: str = "<text>") -> ValidationResult:
    return validate_source(parse_text(text, file))


def load_case(path: str | Path) -> CaseFile:
    """Read and validate a case file; raise :class:`CaseFileInvalid` listing every problem."""
    result = validate_file(path)
    if not result.ok:
        raise CaseFileInvalid(result.file, result.problems)
    assert result.case is not None
    return result.case


__all__ = [
    "CaseFileInvalid", "Problem", "UnreadableCaseFile", "ValidationResult",
    "format_path", "load_case", "validate_file", "validate_source", "validate_text",
]
