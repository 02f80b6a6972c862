"""Labels a chair pastes unchanged (issue 16): nothing said twice, ages that fit their symbol,
an infant's age in months."""

from __future__ import annotations

from pathlib import Path

from dhrkg.model import CaseFile, load_case
from dhrkg.visualisation import GenogramOptions, genogram_svg

from support.svg_geometry import read

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _drawing(name: str, **opts):
    return read(genogram_svg(load_case(EXAMPLES / name), GenogramOptions(**opts)))


def _ages(d, pid: str) -> list[str]:
    return [t["text"] for t in d.texts if t["owner"] == pid and t["role"] == "age"]


def test_perpetrator_named_so_is_in_bold_not_said_twice():
    d = _drawing("001_24bc3f827734f2c4.yaml")
    assert d.persons["Perpetrator"].labels[0] == "the Perpetrator (bold)"
    assert not any(t.lower().startswith("perpetrator") for t in d.persons["Perpetrator"].labels)
    # a perpetrator whose name does not say so still gets the word
    d = _drawing("000_758f327280f4e0aa.yaml")
    perp = next(p for p in d.persons.values() if p.attrs["data-perpetrator"] == "true")
    assert "perpetrator (bold)" in perp.labels


def test_unborn_not_said_twice():
    d = _drawing("001_24bc3f827734f2c4.yaml")
    assert d.persons["UBC"].labels == ["UBC", "13 wks"]
    unborn = [p for p in d.persons.values() if p.attrs["data-unborn"] == "true" and p.id != "UBC"]
    for p in unborn:
        assert sum("unborn" in t.lower() for t in p.labels) == 1, p.labels


def test_age_range_goes_under_the_symbol():
    d = _drawing("001_24bc3f827734f2c4.yaml")
    assert _ages(d, "Perpetrator") == []
    assert "aged 30\u201331" in d.persons["Perpetrator"].labels
    assert _ages(d, "Victim") == ["21"]
    # every age left inside a symbol fits in it
    for t in d.texts:
        if t["role"] == "age":
            x0, _, x1, _ = t["box"]
            s = d.persons[t["owner"]].symbol
            assert s[0] < x0 and x1 < s[2], t


def test_hidden_child_age_range_stays_hidden():
    case = load_case(EXAMPLES / "001_24bc3f827734f2c4.yaml")
    d = read(genogram_svg(case, GenogramOptions(hide_children=True, publication=True)))
    assert not any(t["text"].startswith("aged 6") for t in d.texts)


def _infant(notes: str | None) -> CaseFile:
    return CaseFile.model_validate({
        "format": "dhr-case/1", "review": {"id": "r1", "reference": "R1", "homicide_date": "2012-08"},
        "persons": [{"id": "mum", "sex": "female", "roles": ["victim"]},
                    {"id": "baby", "sex": "female", "born": "2011", "age": 0, "notes": notes}],
        "relationships": [{"type": "parent", "from": "mum", "to": "baby"}],
    })


def test_infant_age_in_months_not_zero():
    d = read(genogram_svg(_infant("Aged 11 months at the death")))
    assert _ages(d, "baby") == ["11m"]
    d = read(genogram_svg(_infant(None)))
    assert _ages(d, "baby") == ["<1"]
    d = read(genogram_svg(_infant("in foster care for 6 months at home")))
    assert _ages(d, "baby") == ["<1"]


def test_step_parent_relation_is_written_under_the_step_parent():
    case = load_case(EXAMPLES / "001_24bc3f827734f2c4.yaml")
    d = read(genogram_svg(case))
    assert " ".join(d.persons["F2"].labels) == "F2 (stepfather of the Victim)"
    # still no child line from a step-parent (the check_drawing rule)
    assert not any(s["data-parents"] and "F2" in s["data-parents"].split() and "Victim" in s["children"]
                   for s in d.sibships)
