"""The graph schema mapping covers every case-file field, and the documentation shows it."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from dhrkg.graph import schema
from dhrkg.model import load_case
from dhrkg.model.model import CaseFile

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))


def _models(annotation) -> list[type[BaseModel]]:
    """The pydantic models inside an annotation (Optional, list, Union, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out = []
    for arg in typing.get_args(annotation):
        out.extend(_models(arg))
    return out


def _is_list(annotation) -> bool:
    if typing.get_origin(annotation) is list:
        return True
    return any(_is_list(a) for a in typing.get_args(annotation) if a is not type(None))


def model_paths() -> set[str]:
    """Every field path of the case-file model, e.g. ``persons[].born``."""
    out: set[str] = set()

    def walk(prefix: str, models: list[type[BaseModel]]) -> None:
        for model in models:
            for name, info in model.model_fields.items():
                fname = info.alias or name
                if prefix == "" and fname in ("review",) + tuple(s.name for s in schema.SECTIONS):
                    pass
                path = f"{prefix}.{fname}" if prefix else fname
                out.add(path)
                sub = _models(info.annotation)
                if sub:
                    walk(path + ("[]" if _is_list(info.annotation) else ""), sub)

    walk("", [CaseFile])
    return out


def test_every_case_file_field_is_mapped_and_nothing_else():
    modelled = model_paths()
    mapped = schema.field_paths()
    assert modelled - mapped == set(), "case-file fields with no place in the graph"
    assert mapped - modelled == set(), "mapping entries for fields the model does not have"


def test_docs_tables_are_generated_from_the_mapping():
    doc = (REPO / "docs" / "graph-schema.md").read_text(encoding="utf-8")
    assert schema.BEGIN_MARK in doc and schema.END_MARK in doc
    generated = doc.split(schema.BEGIN_MARK, 1)[1].split(schema.END_MARK, 1)[0].strip()
    assert generated == schema.markdown_tables().strip(), "run: python -m dhrkg.graph.schema --write"
    for path in schema.field_paths():
        if "." in path:  # every field path appears in a table row
            assert f"| `{path}` |" in doc, path


@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_every_set_field_lands_in_the_rows(path):
    """Walk the case file's own data: each scalar value set on a record appears in its node's
    properties (or, for relationship records, in the relationship's)."""
    case = load_case(path)
    rows = schema.case_rows(case)
    by_key = {n["key"]: n for nodes in rows.nodes.values() for n in nodes}
    links = {"agency", "persons", "referral_to", "shared_with", "other_agencies", "agencies", "members",
             "location", "place", "abuse", "risk", "review_period", "id"}
    for section in schema.SECTIONS:
        if section.label in (None, "Review"):
            continue
        for record in getattr(case, section.name):
            node = by_key[f"{case.review.id}/{record.id}"]
            for name, value in record.model_dump(exclude_none=True, exclude_defaults=True, mode="json").items():
                if name in links:
                    continue
                assert node.get(name) == value, f"{section.name} {record.id}: {name}"
    review = rows.nodes["Review"][0]
    for name, value in case.review.model_dump(exclude_none=True, mode="json").items():
        if name != "review_period":
            assert review[name] == value
    rels = [e for (t, _, _), es in rows.edges.items() if t in schema.RELATIONSHIP_TYPES.values() for e in es]
    assert len(rels) == len(case.relationships)
    for e in rels:
        record = case.relationships[e["props"]["ordinal"]]
        for name, value in record.model_dump(exclude_none=True, exclude_defaults=True, mode="json").items():
            if name in ("from", "from_", "to", "type"):
                continue
            assert e["props"][name] == value


def test_partial_dates_stay_partial_and_become_ranges():
    props: dict = {}
    schema._set_date(props, "date", "2011-10")
    assert props == {"date": "2011-10", "date_from": "2011-10-01", "date_to": "2011-10-31", "date_precision": "month"}
    # "before 2011-10-15" can hold and "after 2011-09-30" can hold, by string comparison
    assert props["date_from"] < "2011-10-15" and props["date_to"] > "2011-09-30"
    schema._set_date(props, "born", "2012")
    assert (props["born_from"], props["born_to"], props["born_precision"]) == ("2012-01-01", "2012-12-31", "year")
    schema._set_date(props, "d", "2012-02")
    assert props["d_to"] == "2012-02-29"


def test_police_force_area_names_are_canonical_area_keys():
    key, name = schema.area_key("police_force_area", "West  Mercia")
    assert key == "pfa:West Mercia" and name == "West Mercia"
    assert schema.area_key("town", "Redditch") == ("town:Redditch", "Redditch")
