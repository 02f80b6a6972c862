"""Case files for the RDF tests: the gold files, and one that sets every field of the model.

The RDF and ontology tests (tests/rdf/) import from here; tests/rdf/test_rdf_cases.py checks
that the every-field case really sets every field (so a round trip of it exercises the whole
model).
"""

from __future__ import annotations

import io
import typing
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from dhrkg.model import load_case
from dhrkg.model.model import CaseFile
from dhrkg.ontology.export import ExportOptions, export_cases
from dhrkg.ontology.pseudonymise import ExportKey

#: The key of the research exports in the tests (a user's key is secret and kept apart from the data).
KEY = ExportKey(bytes(range(32)), "test key")

REPO = Path(__file__).resolve().parents[2]
GOLD_FILES = sorted((REPO / "examples").glob("*.yaml"))

# Strings that need escaping in every RDF syntax, and ids that need percent-encoding in IRIs.
# (Control characters other than tab and line breaks are refused in case files; the escaping of
# one is tested on the literal itself in test_rdf_export.)
AWKWARD = 'quote " backslash \\ newline\nreturn\r tab\t unicode é ŵ 😀 <tag> {brace} ^|`'
ODD_ID = "P 1\\é%#?."  # "/" is not allowed in ids (it joins keys)


def every_field_case() -> dict[str, Any]:
    """A valid case file that sets every field of the model at least once."""
    case = _every_field_case()
    # The first relationship of each type also gets every field all relationships share.
    seen = set()
    for i, rel in enumerate(case["relationships"]):
        if rel["type"] in seen:
            continue
        seen.add(rel["type"])
        common = {"start": "1999-12", "end": "2011-10-05", "notes": f"note {i} {AWKWARD}",
                  "source": f"4.{i}", "certainty": "alleged"}
        for key, value in common.items():
            rel.setdefault(key, value)
    return case


def _every_field_case() -> dict[str, Any]:
    return {
        "format": "dhr-case/1",
        "review": {
            "id": "test-review#1 é",  # awkward; "/" is not allowed in ids (it joins keys)
            "title": "Review of " + AWKWARD,
            "commissioned_by": "Test Community Safety Partnership",
            "local_authority": "Stafford",
            "police_force_area": "Staffordshire",
            "chair": "A Chair",
            "author": "An Author",
            "vice_chair": "A Vice Chair",
            "review_period": {"start": "2003-01-01", "end": "2011-10"},
            "homicide_date": "2011-10",
            "report_date": "2014",
            "reference": "TDHR 2014/1",
            "source": "report file.txt",
        },
        "persons": [
            {"id": "V", "name": "Victoria Testperson", "aliases": ["the victim", "Vicky"], "sex": "female",
             "born": "1962", "age": 49, "died": "2011-10-05", "ethnicity": "White British",
             "roles": ["victim", "family"], "notes": "A note " + AWKWARD, "source": "1.1, 2.3-2.4"},
            {"id": ODD_ID, "name": "Peter Testperson", "aliases": ["the perpetrator"], "sex": "male",
             "born": "1960-02-29", "ethnicity": "White \"Irish\"", "roles": ["perpetrator"], "source": "1.2"},
            {"id": "C", "name": "Baby Test", "sex": "unknown", "age_months": 7, "roles": ["child"]},
            {"id": "U", "name": "Unborn Test", "unborn": True, "roles": ["child"]},
            {"id": "F", "name": "Frieda", "roles": ["friend", "witness", "other"]},
            {"id": "."},
        ],
        "relationships": [
            {"type": "parent", "from": "V", "to": "C", "kind": "biological", "certainty": "reported",
             "start": "2011-03", "source": "2.1"},
            {"type": "sibling", "from": "C", "to": "U", "kind": "half", "notes": "same mother"},
            {"type": "partner", "from": "V", "to": ODD_ID, "status": "former", "kind": "married",
             "start": "1990", "end": "2010-06", "separated": "2010-06-01", "abusive": True, "source": "2.2"},
            {"type": "partner", "from": "V", "to": "F", "status": "current", "kind": "dating"},
            {"type": "partner", "from": "F", "to": "."},
            {"type": "relative", "from": "F", "to": "V", "label": "cousin"},
            {"type": "friend", "from": "V", "to": "F", "end": "2011"},
            {"type": "carer", "from": "F", "to": "C"},
            {"type": "associate", "from": ODD_ID, "to": ".", "label": "neighbour"},
            {"type": "abuse", "from": ODD_ID, "to": "V", "kinds": ["coercive_control", "physical", "economic"],
             "start": "2005", "end": "2011-10", "certainty": "convicted"},
            {"type": "abuse", "from": ODD_ID, "to": "F", "kinds": ["threats"]},
        ],
        "households": [
            {"id": "hh-1", "location": {"town": "Stafford", "local_authority": "Stafford",
                                        "police_force_area": "Staffordshire"},
             "members": ["V", {"person": ODD_ID, "start": "1995", "end": "2010-06"}, {"person": "C", "start": "2011-03"}],
             "start": "1995", "end": "2011-10", "notes": "family home", "source": "2.5"},
            {"id": "hh-2", "location": {"town": "Kraków", "country": "Poland"}, "members": [ODD_ID]},
            {"id": "hh-3", "location": {"police_force_area": "Staffs"}},
        ],
        "agencies": [
            {"id": "pol", "name": "Staffordshire Police", "abbreviation": "SP", "aliases": ["the police", "PPU"],
             "type": "police", "police_force_area": "Staffordshire", "notes": "force"},
            {"id": "gp", "name": "GP practice of Victoria", "type": "gp"},
            {"id": "marac", "name": "MARAC", "type": "marac", "aliases": ["the conference"]},
            {"id": "ida", "name": "IDVA service", "type": "domestic_abuse_service"},
        ],
        "events": [
            {"id": "e1", "date": "2005-03-04", "until": "2005-03-05", "date_approx": False, "time": "23:15",
             "agency": "pol", "type": "incident", "persons": [ODD_ID, "V"], "summary": "Police called. " + AWKWARD,
             "abuse": {"perpetrator": ODD_ID, "victim": "V", "kinds": ["physical", "threats"], "certainty": "reported"},
             "place": {"town": "Stafford", "police_force_area": "Staffordshire"}, "notes": "n", "source": "3.1"},
            {"id": "e2", "date": "2005-03", "date_approx": True, "agency": "pol", "type": "risk_assessment",
             "persons": ["V"], "risk": {"tool": "DASH", "level": "high", "score": 16, "grade": "very high"},
             "referral_to": "marac", "shared_with": ["gp", "ida"], "source": "3.2"},
            {"id": "e3", "date": "2005", "agency": "marac", "type": "marac", "persons": ["V"],
             "other_agencies": ["pol", "gp", "ida"], "shared_with": ["pol"]},
            {"id": "e4", "date": "2010-01", "type": "incident", "persons": [ODD_ID, "V", "F"],
             "abuse": {"perpetrator": ODD_ID, "victims": ["V", "F"], "kinds": ["harassment"]}},
            {"id": "e5", "date": "2011-10-05", "type": "homicide", "persons": [ODD_ID, "V"],
             "place": {"country": "Poland"}},
            {"id": "e6", "date": "2011", "type": "other", "place": {}},
        ],
        "recommendations": [
            {"id": "R1", "agency": "pol", "text": "Train officers.", "scope": "single_agency", "source": "6.1"},
            {"id": "R2", "agencies": ["pol", "gp"], "text": "Share information.", "scope": "multi_agency"},
            {"id": "R3", "agencies": ["ida"], "text": "National guidance.", "scope": "national"},
            {"id": "R4", "text": "Everyone."},
        ],
    }


def every_field_casefile() -> CaseFile:
    return CaseFile.model_validate(every_field_case())


def gold_cases() -> list[CaseFile]:
    return [load_case(p) for p in GOLD_FILES]


def _model_types(tp: Any) -> Iterator[type[BaseModel]]:
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        yield tp
    elif origin is typing.Annotated:
        yield from _model_types(typing.get_args(tp)[0])
    elif origin is not None:
        for arg in typing.get_args(tp):
            yield from _model_types(arg)


def model_fields(root: type[BaseModel] = CaseFile) -> list[tuple[type[BaseModel], str]]:
    """Every (model class, field name) reachable from ``root``, walking nested models."""
    seen: set[type] = set()
    out: list[tuple[type[BaseModel], str]] = []
    todo = [root]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for name, info in cls.model_fields.items():
            out.append((cls, name))
            todo.extend(_model_types(info.annotation))
    return out


def fields_set(case: CaseFile) -> set[tuple[str, str]]:
    """(class name, field) for every field that is set (not None, not empty) somewhere in ``case``."""
    found: set[tuple[str, str]] = set()

    def walk(obj: Any) -> None:
        if isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                value = getattr(obj, name)
                if value is not None and value != []:
                    found.add((type(obj).__name__, name))
                walk(value)
        elif isinstance(obj, list):
            for x in obj:
                walk(x)

    walk(case)
    return found


def pseudonymised_export(cases: list[CaseFile], key: ExportKey = KEY, **options: Any) -> tuple[str, Any]:
    """The pseudonymised (research) N-Triples export of ``cases`` under ``key``, and its report."""
    buf = io.StringIO()
    report = export_cases(cases, buf, "nt", ExportOptions(pseudonymise=True, key=key, **options))
    return buf.getvalue(), report
