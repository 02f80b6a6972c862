"""What Store.summarise runs, counted (both engines): a review never summarised (first loaded in
bulk or offline) gets no clear step; one summarised before (by a replacement, or a summarise
that failed part-way) still gets them, and a stale value it carries is taken away; and each
pattern of the review's nodes is walked once, not once per summary that needs it."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from dhrkg.model import load_case
from support.national import answers

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "queries"
sys.path.insert(0, str(REPO / "bench"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402

R = "syn-partners"


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    return qbench.synth_graph(2000, 11, tmp_path_factory.mktemp("synth"))


def ran_by(store, monkeypatch) -> list:
    """The statements every later summarise of ``store`` runs, in order."""
    ran: list = []
    real = store._write_steps
    monkeypatch.setattr(store, "_write_steps", lambda statements: ran.extend(statements) or real(statements))
    return ran


def clears(statements) -> list[str]:
    """The statements that set a property to NULL: those that clear a summary."""
    return [s.cypher for s in statements if re.search(r"\w\.\w+ = NULL\b", s.cypher)]


def walks(statements) -> Counter:
    """How many statements walk each pattern of the review's nodes (the Review node's own
    steps, one node each, left out)."""
    return Counter(walk(s.cypher) for s in statements if "{review: $review}" in s.cypher)


def walk(cypher: str) -> tuple[str, str]:
    """The pattern a statement walks (its first MATCH, variables left out) and the event type
    it starts from: two statements with the same walk visit the same nodes."""
    first = re.match(r"MATCH (.*?)(?= WHERE| WITH| SET|$)", cypher).group(1)
    start = re.search(r"WHERE \w+\.type = '(\w+)'", cypher)
    return re.sub(r"\((\w+)(?=[:)])", "(", first), start.group(1) if start else ""


def test_a_first_summary_after_a_bulk_load_runs_no_clear_step(store, national, monkeypatch):
    scale.bulk(store, national, batch=500, in_flight=2, summarise=False)
    assert "synth" in store.stale_reviews()
    ran = ran_by(store, monkeypatch)
    store.summarise("synth", substrings_in_rows=True)
    assert ran and clears(ran) == []
    first = answers(store)
    assert first["serial-perpetrators"] and first["risk-not-shared"]
    ran.clear()
    store.summarise("synth", substrings_in_rows=True)  # summarised before now: clears, same answers
    assert clears(ran)
    assert answers(store) == first


def person_summaries(store) -> list:
    return store.query("MATCH (p:Person {review: $r}) RETURN p.key, p.abused_partners ORDER BY p.key", {"r": R}).rows


def event_summaries(store) -> list:
    return store.query("MATCH (e:Event {review: $r}) RETURN e.key, e.first_assessment_from, e.first_sharing_from, "
                       "e.summary_agency, e.summary_force_area, e.summary_persons, e.any_sharing_after, e.shares "
                       "ORDER BY e.key",
                       {"r": R}).rows


def test_a_summarise_after_a_replacement_clears_what_is_stale(store, monkeypatch):
    store.load_case(load_case(FIXTURES / f"{R}.yaml"))  # a replacement: summarised in the same write
    people, events = person_summaries(store), event_summaries(store)
    # values no rule would set now (as if the review's data had changed since)
    store._write("MATCH (p:Person {review: $r}) WHERE p.abused_partners IS NULL SET p.abused_partners = 7", {"r": R})
    store._write("MATCH (e:Event {review: $r}) WHERE e.type = 'incident' SET e.first_assessment_from = '1900-01-01'",
                 {"r": R})
    store._write("MATCH (e:Event {review: $r}) WHERE e.type = 'risk_assessment' SET e.first_sharing_from = "
                 "'1900-01-01', e.summary_agency = 'stale', e.summary_force_area = 'stale', e.summary_persons = ['x']",
                 {"r": R})
    ran = ran_by(store, monkeypatch)
    store.summarise(R)
    assert clears(ran)
    assert person_summaries(store) == people
    assert event_summaries(store) == events


def test_a_summarise_that_failed_part_way_is_redone_with_its_clear_steps(store, monkeypatch):
    from dhrkg.graph.summaries import MARK_STALE

    store.load_case(load_case(FIXTURES / f"{R}.yaml"))
    store._write(MARK_STALE, {"review": R})  # what a summarise cut short after its first step leaves
    assert R in store.stale_reviews()
    assert clears(store.summary_plan(R))


def test_each_walk_is_done_once_by_a_first_summary_and_events_scanned_once_by_a_rerun(store, national):
    scale.bulk(store, national, batch=500, in_flight=2, summarise=False)
    first = walks(store.summary_plan("synth", substrings_in_rows=True))
    assert [w for w, n in first.items() if n > 1] == []
    store.summarise("synth", substrings_in_rows=True)
    again = walks(store.summary_plan("synth", substrings_in_rows=True))
    assert again[("(:Event {review: $review})", "")] == 1  # every event: set false and cleared at once
    assert [w for w, n in again.items() if n > 1 and "Event" in w[0]] == []
