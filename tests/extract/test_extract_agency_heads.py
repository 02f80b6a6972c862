"""Agency heads as data (ingest/report/rules/agency_heads.yaml): every record checked by its own examples."""

from __future__ import annotations

import pytest

from dhrkg.ingest.report.agencies import names_in
from dhrkg.ingest.report.rules import load_rules
from dhrkg.ingest.report.vocab import AGENCY_HEADS, NOT_AGENCY_HEADS, STANDALONE_AGENCIES

RULES = load_rules("agency_heads").rules


def _bodies(sentence: str) -> list[str]:
    return [name for _, _, name in names_in(sentence, dashes=False)]


@pytest.mark.parametrize("rule", [r for r in RULES if r.assigns.get("head") == "body"], ids=lambda r: r.id)
def test_head_examples(rule):
    words = set(rule.assigns["words"])
    for sentence in rule.match_examples:
        assert any(name.split()[-1] in words for name in _bodies(sentence)), (sentence, _bodies(sentence))
    for sentence in rule.no_match_examples:
        assert not any(name.split()[-1] in words for name in _bodies(sentence)), (sentence, _bodies(sentence))


@pytest.mark.parametrize("rule", [r for r in RULES if r.assigns.get("head") == "not_body"], ids=lambda r: r.id)
def test_not_a_body_examples(rule):
    for sentence in rule.match_examples:
        assert rule.search(sentence), sentence
        assert not any(name.split()[-1].lower() in rule.assigns["words"] for name in _bodies(sentence)), sentence
    for sentence in rule.no_match_examples:
        assert rule.search(sentence) is None and _bodies(sentence), sentence


@pytest.mark.parametrize("rule", [r for r in RULES if "standalone" in r.assigns], ids=lambda r: r.id)
def test_standalone_examples(rule):
    for sentence in rule.match_examples:
        m = rule.search(sentence)
        assert m and STANDALONE_AGENCIES[m.group(0)] == rule.assigns["standalone"], sentence
    for sentence in rule.no_match_examples:
        assert rule.search(sentence) is None, sentence


def test_every_record_says_one_thing():
    for r in RULES:
        assert len({"head", "standalone"} & set(r.assigns)) == 1, r.id
    assert set(AGENCY_HEADS).isdisjoint({w.capitalize() for w in NOT_AGENCY_HEADS})


@pytest.mark.parametrize("rule", load_rules("agency_types").rules, ids=lambda r: r.id)
def test_agency_type_examples(rule):
    from dhrkg.ingest.report.vocab import agency_type

    for name in rule.match_examples:
        assert agency_type(name) == rule.assigns["type"], name
    for name in rule.no_match_examples:
        assert agency_type(name) != rule.assigns["type"], name


@pytest.mark.parametrize("rule", load_rules("services").rules, ids=lambda r: r.id)
def test_described_service_examples(rule):
    from dhrkg.ingest.report.agencies import services_in

    for sentence in rule.match_examples:
        assert (rule.assigns["type"], rule.assigns["name"]) in {(k, n) for _, k, n in services_in(sentence)}, sentence
    for sentence in rule.no_match_examples:
        assert rule.assigns["name"] not in {n for _, _, n in services_in(sentence)}, sentence
