"""import-records on hostile or failing input, on both engines: a control character is refused
before anything is written; an engine failure part-way is reported as what it is (how far the
import got) and running the same import again completes it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dhrkg.ingest import records as R
from dhrkg.ingest.synth import SynthConfig, generate


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("records") / "synth"
    generate(SynthConfig(forces=2, people=400, years=4, seed=3, planted=2), folder)
    return folder


def copy_with(records: Path, target: Path, name: str, edit) -> Path:
    target.mkdir()
    for f in records.glob("*.csv"):
        text = f.read_text(encoding="utf-8")
        (target / f.name).write_text(edit(text) if f.name == name else text, encoding="utf-8")
    return target


def test_nul_in_contacts_is_refused_before_anything_is_written(store, records, tmp_path):
    def nul_in_line_5(text: str) -> str:
        lines = text.split("\n")
        lines[4] = lines[4][:-2] + "\x00" + lines[4][-2:]
        return "\n".join(lines)

    bad = copy_with(records, tmp_path / "bad", "contacts.csv", nul_in_line_5)
    before = store.stats()
    with pytest.raises(R.RecordsError, match=r"contacts\.csv:5: field \d .*control character \(U\+0000\)"):
        R.import_records(store, bad)
    assert store.stats() == before


def unique_constraint(store, label: str, prop: str):
    """A uniqueness constraint the import will break (the engine's own refusal, part-way)."""
    if store.backend == "neo4j":
        store._write(f"CREATE CONSTRAINT hostile_{prop} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE")
        return lambda: store._write(f"DROP CONSTRAINT hostile_{prop} IF EXISTS")
    store._graph.create_node_range_index(label, prop)
    store._graph.create_node_unique_constraint(label, prop)
    for _ in range(100):  # FalkorDB builds a constraint in the background
        if all(c.get("status") == "OPERATIONAL" for c in store._graph.list_constraints()):
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"FalkorDB's constraint on {label}.{prop} not operational after 10 s: "
                    f"{store._graph.list_constraints()}")

    def drop() -> None:
        store._graph.drop_node_unique_constraint(label, prop)
        store._graph.drop_node_range_index(label, prop)

    return drop


def test_engine_failure_part_way_says_how_far_and_a_rerun_completes(store, records):
    people = sum(1 for _ in R.read_rows(records / "people_records.csv", ("record_id",), R.RecordsError))
    contacts = sum(1 for _ in R.read_rows(records / "contacts.csv", ("contact_id",), R.RecordsError))
    R.ensure_indexes(store)
    drop = unique_constraint(store, "Contact", "type")  # many contacts share a type
    try:
        with pytest.raises(R.RecordsError) as failure:
            R.import_records(store, records)
    finally:
        drop()
    message = str(failure.value)
    assert "the import stopped after" in message and "nothing was changed" not in message
    assert "run the same import-records again" in message
    assert all(len(line) <= 80 for line in message.splitlines()[1:])
    assert store.stats()["nodes"].get("Record") == people  # what was written before stays

    report = R.import_records(store, records)  # the rerun completes it, nothing doubled
    stats = store.stats()
    assert stats["nodes"]["Record"] == people and stats["nodes"]["Contact"] == contacts
    assert report.nodes["Contact"] == contacts
    assert stats["relationships"]["HAD_CONTACT"] == contacts
