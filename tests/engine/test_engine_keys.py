"""13.3: one review can never write into another (keys are unambiguous and unique on both engines)."""

from __future__ import annotations

import pytest

from dhrkg.graph import StoreError
from dhrkg.graph.load import replace_statements, review_scope
from dhrkg.graph.schema import AmbiguousKey, case_rows
from dhrkg.model import validate_text
from dhrkg.model.model import CaseFile

CASE = """format: dhr-case/1
review:
  id: {review}
persons:
  - id: {person}
    name: Test Person
    roles: [victim]
  - id: other
    roles: [perpetrator]
relationships:
  - type: abuse
    from: other
    to: {person}
"""


def case(review: str, person: str) -> CaseFile:
    return CaseFile.model_validate({
        "format": "dhr-case/1", "review": {"id": review},
        "persons": [{"id": person, "name": "Test Person", "roles": ["victim"]},
                    {"id": "other", "roles": ["perpetrator"]}],
        "relationships": [{"type": "abuse", "from": "other", "to": person}],
    })


def test_a_slash_in_an_id_is_a_validation_error_with_its_line():
    result = validate_text(CASE.format(review="x/y", person="y/z"), "c.yaml")
    errors = [str(p) for p in result.errors if "contains '/'" in p.message]
    assert errors == [
        "c.yaml:3:7: review.id: 'x/y' contains '/', which ids may not hold (it joins review and record ids into keys)",
        "c.yaml:5:9: persons[0].id: 'y/z' contains '/', which ids may not hold (it joins review and record ids into keys)",
    ]
    assert result.case is None


def test_the_loader_refuses_an_ambiguous_id_that_skipped_validation():
    with pytest.raises(AmbiguousKey, match="contains '/'"):
        case_rows(case("x", "y/z"))
    with pytest.raises(AmbiguousKey, match="review id 'x/y'"):
        case_rows(case("x/y", "z"))


def test_a_key_that_belongs_to_another_review_is_refused(store):
    store.load_case(case("x", "p"))
    # a node of review 'x' holding the key review 'q' would give its person (an old graph)
    store._write("MATCH (n:Person {key: 'x/p'}) SET n.key = 'q/p'")
    before = store.stats()
    with pytest.raises(StoreError, match="the Person key 'q/p' belongs to review 'x'"):
        store.load_case(case("q", "p"))
    assert store.stats() == before
    assert store.reviews() == ["x"]


def test_falkordb_enforces_key_uniqueness_inside_the_write(store_falkordb):
    from dhrkg.graph.falkordb import server

    store = store_falkordb
    store.load_case(case("x", "p"))
    store._write("MATCH (n:Person {key: 'x/p'}) SET n.key = 'q/p'")
    before = store.stats()
    pid = server.status(store.data_dir).pid
    # past the check before the write (as if another process wrote the clash in between)
    with pytest.raises(StoreError, match="belongs to another review; nothing was changed"):
        store._replace(replace_statements(case_rows(case("q", "p"))), review_scope("q"))
    assert store.stats() == before
    assert server.status(store.data_dir).pid == pid  # refused before it ran: no reload
