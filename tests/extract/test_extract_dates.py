"""Date forms as data (ingest/report/rules/dates.yaml): every rule checked by its own examples."""

from __future__ import annotations

import pytest

from dhrkg.ingest.report.dates import DateContext, find_dates
from dhrkg.ingest.report.rules import disabled_rules, load_rules

DATE_RULES = load_rules("dates").rules


def _found(example) -> list:
    text, year = (example, None) if isinstance(example, str) else (example["text"], example.get("year"))
    return find_dates(text, DateContext(year=year))


@pytest.mark.parametrize("rule", [r for r in DATE_RULES if "form" in r.assigns], ids=lambda r: r.id)
def test_date_form_examples(rule):
    for example in rule.match_examples:
        mine = [str(m.date) for m in _found(example) if m.rule == rule.id]
        assert mine and mine[0] == example["date"], (example, mine)
    for example in rule.no_match_examples:
        assert not [m for m in _found(example) if m.rule == rule.id], example


@pytest.mark.parametrize("rule", [r for r in DATE_RULES if "veto" in r.assigns], ids=lambda r: r.id)
def test_date_veto_examples(rule):
    for sentence in rule.match_examples:
        assert _found(sentence) == [], sentence
        with disabled_rules({rule.id}):
            assert _found(sentence), f"{sentence}: the veto is what stops the year"
    for sentence in rule.no_match_examples:
        assert _found(sentence), sentence


def test_every_date_rule_has_a_form_or_a_veto_and_a_dated_example():
    for r in DATE_RULES:
        assert ("form" in r.assigns) != ("veto" in r.assigns), r.id
        if "form" in r.assigns:
            assert all(isinstance(x, dict) and "date" in x for x in r.match_examples), r.id


def test_a_form_switched_off_finds_nothing():
    assert [m.rule for m in find_dates("On 30.6.2020 she rang.")] == ["date.dmy-numeric"]
    with disabled_rules({"date.dmy-numeric"}):
        assert find_dates("On 30.6.2020 she rang.") == []  # no other form reads 30.6.2020


def test_date_rules_count_their_hits_in_a_draft():
    from dhrkg.ingest.report.document import RawBlock, build_document
    from dhrkg.ingest.report.pipeline import run_passes

    doc = build_document([RawBlock(text="Chronology", heading=True),
                          RawBlock(text="On 30.6.2020 she rang the surgery. In July 2020 she moved.")], source="t.txt")
    hits = run_passes(doc).rule_hits
    assert hits.get("date.dmy-numeric", 0) >= 1 and hits.get("date.month-year", 0) >= 1
