"""Store.read_review: a review read back from the graph equals the case file as loaded (both engines).

The graph keeps no record order and no order inside id lists, so both sides are compared in one
canonical form, written here from the case file's point of view: records by id (relationships
in file order), id lists sorted, one id in a single field (victim, agency) and several in the
list field (victims, agencies).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dhrkg.graph.readback import ReviewNotFound
from dhrkg.model import CaseFile, load_case

ROOT = Path(__file__).resolve().parents[2]
CASE_FILES = sorted((ROOT / "examples").glob("*.yaml")) + [ROOT / "tests" / "fixtures" / "casefiles" / "valid-small.yaml"]


def _one_or_many(record: dict[str, Any], single: str, many: str) -> None:
    ids = sorted(set(([record.pop(single)] if single in record else []) + (record.pop(many, None) or [])))
    if len(ids) == 1:
        record[single] = ids[0]
    elif ids:
        record[many] = ids


def canonical(case: CaseFile) -> dict[str, Any]:
    data = case.to_data()
    for section in ("persons", "households", "agencies", "events", "recommendations"):
        data[section] = sorted(data.get(section, []), key=lambda r: r["id"])
    for h in data["households"]:
        members = [m if isinstance(m, dict) else {"person": m} for m in h.get("members", [])]
        h["members"] = sorted(members, key=lambda m: (m["person"], m.get("start", ""), m.get("end", "")))
    for e in data["events"]:
        for name in ("persons", "shared_with", "other_agencies"):
            if name in e:
                e[name] = sorted(set(e[name]))
        if "abuse" in e:
            _one_or_many(e["abuse"], "victim", "victims")
    for r in data["recommendations"]:
        _one_or_many(r, "agency", "agencies")
    return {k: v for k, v in data.items() if v not in ([], None)}


def rich_case() -> CaseFile:
    """What the examples may lack: two victims, two agencies, one person twice in a household."""
    return CaseFile.model_validate({
        "format": "dhr-case/1",
        "review": {"id": "readback-rich", "title": "Read-back", "review_period": {"start": "2019", "end": "2020-03"},
                   "homicide_date": "2020-03-02", "source": "report.pdf", "commissioned_by": "Stafford"},
        "persons": [{"id": "v2", "name": "Bea", "roles": ["victim"], "aliases": ["B", "Ab"], "born": "1980"},
                    {"id": "v1", "name": "Ann", "roles": ["victim"], "source": "1.2"},
                    {"id": "p", "name": "Pat", "roles": ["perpetrator"], "age": 40, "sex": "male"}],
        "relationships": [{"type": "partner", "from": "p", "to": "v1", "status": "former", "separated": "2019-05"},
                          {"type": "parent", "from": "v1", "to": "v2", "kind": "biological"},
                          {"type": "abuse", "from": "p", "to": "v1", "kinds": ["physical", "coercive_control"]}],
        "households": [{"id": "h", "location": {"town": "Stafford"},
                        "members": [{"person": "v1", "start": "2019-06"}, "p", {"person": "v1", "end": "2019-01"}]}],
        "agencies": [{"id": "pol", "name": "Police", "type": "police"}, {"id": "gp", "name": "GP", "type": "health"}],
        "events": [{"id": "e2", "date": "2019-07", "type": "incident", "agency": "pol", "persons": ["v2", "v1"],
                    "abuse": {"perpetrator": "p", "victims": ["v2", "v1"], "kinds": ["physical"]},
                    "risk": {"tool": "DASH", "level": "high", "score": 17}, "shared_with": ["gp", "pol"],
                    "place": {"town": "Stafford"}},
                   {"id": "e1", "date": "2019-06-03", "type": "appointment", "agency": "gp", "persons": ["v1"],
                    "abuse": {"perpetrator": "p", "victim": "v1"}, "referral_to": "pol", "other_agencies": ["pol"]}],
        "recommendations": [{"id": "r1", "agencies": ["pol", "gp"], "text": "Share."},
                            {"id": "r2", "agency": "gp", "text": "Ask."}],
    })


def cases() -> list[CaseFile]:
    return [load_case(path) for path in CASE_FILES] + [rich_case()]


def test_every_case_file_reads_back_as_loaded(store):
    for case in cases():
        store.load_case(case)
    for case in cases():
        assert canonical(store.read_review(case.review.id)) == canonical(case), case.review.id


def test_reading_in_small_pages_gives_the_same_review(store):
    case = rich_case()
    store.load_case(case)
    reader = store.review_reader(page_size=1)
    assert canonical(reader.case(case.review.id)) == canonical(case)


def test_a_review_not_in_the_store_is_named_in_the_error(store):
    store.load_case(rich_case())
    with pytest.raises(ReviewNotFound) as err:
        store.read_review("no-such-review")
    assert "no-such-review" in str(err.value) and "readback-rich" in str(err.value)


def test_properties_outside_the_mapping_come_beside_the_record(store):
    """The DHRD's own properties (age band, flags ...) are not case-file fields: the reader hands
    them over with the record instead of failing the model."""
    store.load_case(rich_case())
    store._write("MATCH (p:Person {key: 'readback-rich/p'}) SET p.age_band = '35-44'")
    read = next(r for r in store.review_reader().records("readback-rich", "persons") if r.record.id == "p")
    assert read.props["age_band"] == "35-44" and read.record.name == "Pat"
