"""The case files of the RDF tests (tests/support/rdf_cases.py): the every-field case really sets
every field of the model, so a round trip of it exercises the whole model."""

from __future__ import annotations

from support.rdf_cases import GOLD_FILES, every_field_casefile, fields_set, model_fields


def test_model_walk_finds_nested_models():
    names = {cls.__name__ for cls, _ in model_fields()}
    for expected in ("CaseFile", "Review", "Period", "Place", "Person", "ParentRelationship",
                     "AbuseRelationship", "Household", "Member", "Agency", "Event", "EventAbuse",
                     "Risk", "Recommendation"):
        assert expected in names


def test_every_field_case_sets_every_field_of_the_model():
    case = every_field_casefile()
    missing = {(cls.__name__, f) for cls, f in model_fields()} - fields_set(case)
    assert not missing, f"the every-field case leaves these unset: {sorted(missing)}"


def test_gold_files_are_there():
    assert len(GOLD_FILES) >= 3
