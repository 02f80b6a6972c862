"""Summarising a review on its own (Store.summarise) takes no undo snapshot and no one
transaction over the review: the review is marked stale first, the rules run one by one, the
version is set last. One that fails part-way leaves the review stale; the next store to open
summarises it again, and the national scans then answer as after a clean load (both engines)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dhrkg.graph.store import StoreError
from dhrkg.graph.summaries import MARK_STALE, SUMMARY_VERSION

from support.national import answers
from support.undo import failing_statement, other_connection

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    return qbench.synth_graph(2000, 11, tmp_path_factory.mktemp("synth"))


def fail_summary_steps_midway(monkeypatch, store) -> None:
    """Every summarise of ``store`` from now on fails after half of its steps ran."""
    real = store._write_steps

    def steps(statements):
        statements = list(statements)
        half = len(statements) // 2
        return real(statements[:half] + [failing_statement()] + statements[half:])

    monkeypatch.setattr(store, "_write_steps", steps)


def no_snapshots(monkeypatch) -> None:
    """The FalkorDB undo snapshot's reader fails the test if it is called."""
    from dhrkg.graph.falkordb import undo

    def take(*args, **kwargs):
        raise AssertionError("summarising took an undo snapshot")

    monkeypatch.setattr(undo, "take", take)


def version(store, review: str):
    return store.query("MATCH (r:Review {key: $r}) RETURN r.summary_version", {"r": review}).rows


def test_a_summarise_that_fails_part_way_leaves_the_review_stale_and_is_redone(store, national, monkeypatch):
    scale.bulk(store, national, batch=500, in_flight=2)
    clean = answers(store)
    assert clean["serial-perpetrators"], "the set has planted serial perpetrators"
    no_snapshots(monkeypatch)
    fail_summary_steps_midway(monkeypatch, store)
    with pytest.raises(StoreError) as err:
        store.summarise("synth")
    assert "stays marked stale" in str(err.value)
    assert version(store, "synth") == [[0]]  # begun, not finished
    assert "synth" in store.stale_reviews()
    monkeypatch.undo()
    reopened = other_connection(store)  # opening a store summarises the stale reviews
    try:
        assert reopened.stale_reviews() == []
        assert version(reopened, "synth") == [[SUMMARY_VERSION]]
        assert answers(reopened) == clean
    finally:
        reopened.close()


def test_summarising_takes_no_snapshot_and_marks_the_review_stale_first(store, national, monkeypatch):
    qbench.load_graph(store, national)  # behind the store's back: no summaries
    ran = []
    real = store._write_steps
    monkeypatch.setattr(store, "_write_steps", lambda statements: ran.extend(statements) or real(statements))
    no_snapshots(monkeypatch)
    assert "synth" in store.ensure_summaries()
    assert ran[0].cypher == MARK_STALE and "summary_version = $summary_version" in ran[-1].cypher
    assert len(ran) > 10  # each rule its own write
    assert store.stale_reviews() == []
