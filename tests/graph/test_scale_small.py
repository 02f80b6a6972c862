"""bench/scale.py in reduced form, as a correctness check (not timed): a small synthetic national
set loaded the way bench/queries.py loaded it before issue 17 (batched statements, one at a
time) and with the online bulk loader gives the same answers to the national scans and the
same counts, on both engines."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402
from support.national import SCANS, answers  # noqa: E402,F401

@pytest.fixture(scope="module")
def national(tmp_path_factory):
    return qbench.synth_graph(3000, 7, tmp_path_factory.mktemp("synth"))


def test_bulk_load_answers_as_the_batched_load(store, national):
    qbench.load_graph(store, national)
    assert store.ensure_summaries()  # loaded behind the store's back: summarised now
    before = answers(store)
    assert before["serial-perpetrators"], "the set has planted serial perpetrators"
    store.clear()
    scale.bulk(store, national, batch=700, in_flight=3)
    assert answers(store) == before
