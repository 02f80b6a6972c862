"""Kin words as data (ingest/report/rules/kin.yaml): every record checked by its own examples."""

from __future__ import annotations

import pytest

from dhrkg.ingest.report.rules import load_rules
from dhrkg.ingest.report.vocab import KIN, KIN_MODIFIERS

KIN_RULES = load_rules("kin").rules
RELATIONS = {"parent", "step_parent", "child", "sibling", "half_sibling", "step_sibling", "partner",
             "former_partner", "relative", "friend", "associate"}


@pytest.mark.parametrize("rule", KIN_RULES, ids=lambda r: r.id)
def test_kin_word_examples(rule):
    for sentence in rule.match_examples:
        m = rule.search(sentence)
        assert m, sentence
        if "relation" in rule.assigns:
            assert KIN[m.group(0).lower()] == (rule.assigns["relation"], rule.assigns["sex"]), sentence
        else:
            assert m.group(0).lower() in KIN_MODIFIERS, sentence
    for sentence in rule.no_match_examples:
        assert rule.search(sentence) is None, sentence


def test_kin_records_are_well_formed_and_each_word_has_one_meaning():
    seen: dict[str, str] = {}
    for r in KIN_RULES:
        assert ("relation" in r.assigns) != bool(r.assigns.get("modifier")), r.id
        if "relation" in r.assigns:
            assert r.assigns["relation"] in RELATIONS and r.assigns["sex"] in (None, "female", "male"), r.id
        for word in r.assigns["words"]:
            assert word == word.lower() and word not in seen, (r.id, word, seen.get(word))
            seen[word] = r.id


def test_a_hyphen_joins_words():
    mother = next(r for r in KIN_RULES if r.id == "kin.mother")
    assert mother.search("her step-mother") is None and mother.search("her mother-in-law") is None
