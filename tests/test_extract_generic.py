"""The extractor on synthetic reports in the layouts published reviews use beyond the seed reports.

The documents in tests/fixtures/extract/synthetic/ were written for these tests (no sentence is
taken from a published report); each shows one generic format: an executive summary whose
chronology is unnumbered prose, action-plan tables, a combined DHR/SCR with many children,
glossaries and contributors lists in other layouts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.ingest.casefile import validate_text
from dhrkg.ingest.report import draft_yaml, extract_report

SYNTHETIC = Path(__file__).parent / "fixtures" / "extract" / "synthetic"


@pytest.fixture(scope="module")
def prose():
    return extract_report(SYNTHETIC / "exec_summary_prose.txt")


def _events(case):
    return {(str(e.date), e.agency, e.type) for e in case.events if e.type != "review_process"}


def test_drafts_of_synthetic_reports_validate():
    for path in sorted(SYNTHETIC.glob("*.txt")):
        case = extract_report(path)
        assert validate_text(draft_yaml(case), path.name).ok, path.name


def test_prose_chronology_without_paragraph_numbers_gives_events(prose):
    dates = {d for d, _, _ in _events(prose)}
    # "In July 2013", "On 30.6.2015", "On the 23rd of November 2017", "On 2/2/2019", "In March 2019"
    assert {"2013-07", "2015-06-30", "2017-11-23", "2019-02-02", "2019-03"} <= dates


def test_prose_chronology_events_have_their_agency_and_a_source(prose):
    found = _events(prose)
    assert ("2013-07", "greenway-medical-practice", "appointment") in found
    assert ("2015-06-30", "brackenford-police", "arrest") in found
    assert ("2017-11-23", "kestrel-valley-nhs-foundation", "other") in found or any(
        d == "2017-11-23" and a == "kestrel-valley-nhs-foundation" for d, a, _ in found)
    assert all(e.source for e in prose.events)
    assert any(e.source == "SUMMARY OF EVENTS (paragraph 2)" for e in prose.events)


def test_title_page_and_process_dates_are_not_story_events(prose):
    found = _events(prose)
    assert not any(d.startswith("2021") for d, _, _ in found)   # the report date on the title page
    process = {str(e.date) for e in prose.events if e.type == "review_process"}
    assert "2019-06-04" in process                                # "The panel first met on ..."
