"""Person.find_text is the engine's rule's value (dhrkg.graph.summaries, the SubstringIndex rule)
for every person of a review, whichever way the review was loaded, on both engines: a case file,
its replacement, the online bulk loader, FalkorDB's offline load (GRAPH.BULK), the DHRD import.
(The Neo4j offline import is compared node by node with the online bulk load in
tests/graph/test_offline_load.py; agency records make no Person.) A path that left find_text
out or wrong would make find-person miss people, as it starts from find_text's index."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dhrkg.graph.bulk import bulk_load
from dhrkg.graph.offline import falkordb_load
from dhrkg.graph.schema import PERSON_NAMES
from dhrkg.model import CaseFile

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402

NAMES = ["Éloïse O'Brien", "Seán Ó Súilleabháin", "Ана Иванова", "Άννα Παπαδοπούλου", "İSTANBUL Öz",
         "ΟΔΟΣ Σίσυφος", "李 小龍", "Al", "Jo  Smithson-Goldsmith", " lead space", "tab\there"]


def rule_and_loaded(store) -> list[tuple[str, object, object]]:
    """(key, the rule's value computed now by the engine, find_text as loaded) of every person
    of a review: read only, the rule's own expression (dhrkg.graph.dialect substring_value)."""
    v = store.dialect.substring_value("texts")
    return [tuple(r) for r in store.query(
        f"MATCH (n:Person) WHERE n.review IS NOT NULL WITH n, {PERSON_NAMES.texts('n')} AS texts "
        f"WITH n, {v} AS v RETURN n.key, CASE WHEN size(v) = 0 THEN NULL ELSE v END, n.find_text").rows]


def assert_rule_s(store, at_least: int) -> None:
    rows = rule_and_loaded(store)
    assert len(rows) >= at_least
    wrong = [r for r in rows if r[1] != r[2] or r[2] is None]
    assert not wrong, wrong[:3]


def case(names: list[str]) -> CaseFile:
    return CaseFile.model_validate({
        "format": "dhr-case/1",
        "review": {"id": "names-paths", "title": "Names", "police_force_area": "Kent", "homicide_date": "2020"},
        "persons": [{"id": f"p{i}", "name": n, "roles": ["family"], "aliases": [n.upper(), "the ex"]}
                    for i, n in enumerate(names)] + [{"id": "p-unnamed", "roles": ["family"]}]})


def test_a_case_file_and_its_replacement(store):
    store.load_case(case(NAMES))
    assert_rule_s(store, len(NAMES) + 1)
    store.load_case(case([f"{n} Renamed" for n in reversed(NAMES)]))
    assert_rule_s(store, len(NAMES) + 1)


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    return qbench.synth_graph(400, 3, tmp_path_factory.mktemp("synth"))


def test_the_online_bulk_loader(store, national):
    bulk_load(store, scale.streams(national), batch_size=300)
    store.ensure_summaries(substrings_in_rows=True)
    assert_rule_s(store, 300)


def test_the_falkordb_offline_load(store_falkordb, national):
    falkordb_load(store_falkordb, scale.streams(national))
    store_falkordb.ensure_summaries(substrings_in_rows=True)
    assert_rule_s(store_falkordb, 300)


def test_the_dhrd_import(store):
    from dhrkg.ingest.dhrd import import_dhrd

    import_dhrd(store)
    assert_rule_s(store, 600)
