"""The households pass (ingest/report/households.py, rules/households.yaml): made-up sentences of the shapes it reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.ingest.report import extract_report
from dhrkg.ingest.report.rules import load_rules

HEAD = """Domestic Homicide Review into the death of Rose

1. Introduction

1.1 Rose, aged 60, was killed by her husband Leonard in Devon in May 2020.

2. Background

"""
STORY = """
3. Chronology

3.1 On 3 March 2019 Dorset Police attended the home after Rose reported that Leonard had hit her.

3.2 In June 2019 Rose saw her GP at the Poole Medical Practice and said she was tired.
"""


def _households(tmp_path: Path, background: str) -> list[set[str]]:
    path = tmp_path / "report.txt"
    path.write_text(HEAD + background + "\n" + STORY, encoding="utf-8")
    case = extract_report(path)
    names = {p.id: p.name for p in case.persons}
    return [{names[m.person] for m in h.members} for h in case.households]


@pytest.mark.parametrize("rule", load_rules("households").rules, ids=lambda r: r.id)
def test_household_rule_examples(rule):
    for sentence in rule.match_examples:
        assert rule.search(sentence), (rule.id, sentence)
    for sentence in rule.no_match_examples:
        assert not rule.search(sentence), (rule.id, sentence)


def test_lived_with_named_people(tmp_path):
    got = _households(tmp_path, "2.1 Rose lived with Leonard and their son Tom, aged 17, in a rented house.\n")
    assert {"Rose", "Leonard", "Tom"} in got


def test_moved_in_with_gives_a_start(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(HEAD + "2.1 In March 2018 Leonard moved in with Rose.\n" + STORY, encoding="utf-8")
    case = extract_report(path)
    assert len(case.households) == 1
    joined = {m.person: str(m.start) for m in case.households[0].members if m.start}
    names = {p.id: p.name for p in case.persons}
    assert {names[k]: v for k, v in joined.items()} == {"Leonard": "2018-03"}   # he joined; the home was hers
    assert case.households[0].start is None


def test_lived_together_from_a_year_gives_the_household_start(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(HEAD + "2.1 Rose and Leonard met in 1990 and lived together from 1995.\n" + STORY, encoding="utf-8")
    case = extract_report(path)
    assert [str(h.start) for h in case.households] == ["1995"]


def test_the_introduction_tells_a_household(tmp_path):
    path = tmp_path / "report.txt"
    text = HEAD.replace("in Devon in May 2020.", "in Devon in May 2020. Rose lived with Leonard and her son Tom.")
    path.write_text(text + "2.1 Rose worked in a shop.\n" + STORY, encoding="utf-8")
    case = extract_report(path)
    names = {p.id: p.name for p in case.persons}
    assert [{names[m.person] for m in h.members} for h in case.households] == [{"Rose", "Leonard", "Tom"}]


def test_the_analysis_does_not_draft_households(tmp_path):
    analysis = "\n4. Analysis\n\n4.1 Leonard now lived with Rose, and agencies did not know.\n"
    path = tmp_path / "report.txt"
    path.write_text(HEAD + "2.1 Rose worked in a shop.\n" + STORY + analysis, encoding="utf-8")
    assert extract_report(path).households == []


def test_a_child_lives_with_a_named_relative(tmp_path):
    got = _households(tmp_path, "2.1 Rose and Leonard had a son, Tom, who now lives with Rose's sister, Anna.\n")
    assert {"Tom", "Anna"} in got


def test_never_lived_together_drafts_nothing(tmp_path):
    assert _households(tmp_path, "2.1 Rose and Leonard never lived together.\n") == []


def test_a_claim_or_a_plan_drafts_nothing(tmp_path):
    got = _households(tmp_path, "2.1 Leonard said that he was living with Rose. Rose was to live with Leonard.\n")
    assert got == []


def test_no_household_of_one_without_the_words(tmp_path):
    assert _households(tmp_path, "2.1 Rose lived with domestic abuse for years.\n") == []


def test_a_group_not_known_one_by_one_drafts_nothing(tmp_path):
    assert _households(tmp_path, "2.1 Leonard moved in with Rose and her family.\n") == []


def test_a_pronoun_member_drafts_nothing(tmp_path):
    assert _households(tmp_path, "2.1 Anna is Rose's mother. Tom and Leonard often stayed with her.\n") == []


def test_who_after_a_when_clause_is_the_one_named_before_who(tmp_path):
    got = _households(tmp_path, "2.1 Rose and Leonard had a son, Tom, who was 12 when his mother died and who now lives "
                                "with Rose's sister, Anna.\n")
    assert got == [{"Tom", "Anna"}]


def test_moved_back_into_a_relatives_home(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(HEAD + "2.1 Rose had a son, Tom. Tom moved back into his mother's house in 2015.\n" + STORY, encoding="utf-8")
    case = extract_report(path)
    names = {p.id: p.name for p in case.persons}
    assert [{names[m.person]: str(m.start) if m.start else None for m in h.members} for h in case.households] \
        == [{"Tom": "2015", "Rose": None}]


def test_his_children_lived_with_their_mother(tmp_path):
    got = _households(tmp_path, "2.1 Leonard has two children, Amy (aged 8) and Ben (aged 6), from his relationship with "
                                "Carol.\n\n2.2 Leonard said he had no contact with them. Records show that his children "
                                "lived with their mother at that time.\n")
    assert {"Amy", "Ben", "Carol"} in got


def test_a_child_not_yet_born_is_not_a_member(tmp_path):
    got = _households(tmp_path, "2.1 Rose was pregnant with her unborn child. Rose had a son, Tom. "
                                "Rose and her son lived with her sister Anna.\n")
    assert got == [{"Rose", "Tom", "Anna"}]


def test_the_location_only_when_the_clause_names_a_known_town(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(HEAD + "2.1 Rose lived with Leonard in a rented house in Swindon. Rose had a son, Tom. Tom lived with Leonard in Narnia.\n"
                    + STORY, encoding="utf-8")
    case = extract_report(path)
    places = [h.location.model_dump(exclude_none=True) if h.location else None for h in case.households]
    assert places == [{"town": "Swindon", "local_authority": "Swindon", "police_force_area": "Wiltshire"}, None]


@pytest.mark.parametrize("sentence, period", [
    ("Rose lived with Leonard from 2010 until 2015.", ("2010", "2015")),
    ("Rose lived with Leonard between May 2010 and June 2012.", ("2010-05", "2012-06")),
    ("Rose lived with Leonard until 2015.", (None, "2015")),
    ("Rose lived with Leonard in 2015.", (None, None)),
])
def test_an_earlier_household_with_its_period(tmp_path, sentence, period):
    path = tmp_path / "report.txt"
    path.write_text(HEAD + "2.1 " + sentence + "\n" + STORY, encoding="utf-8")
    [h] = extract_report(path).households
    assert (str(h.start) if h.start else None, str(h.end) if h.end else None) == period


def test_a_household_of_one_only_when_the_text_says_alone(tmp_path):
    got = _households(tmp_path, "2.1 Rose had a son, Tom. Tom lived alone in a flat.\n")
    assert got == [{"Tom"}]


def test_the_household_comprised(tmp_path):
    got = _households(tmp_path, "2.1 Rose had a son, Tom. The household comprised Rose, Leonard and Tom.\n")
    assert got == [{"Rose", "Leonard", "Tom"}]


def test_children_who_stay_with_a_parent_for_contact_do_not_live_there(tmp_path):
    got = _households(tmp_path, "2.1 Rose and Leonard have a son, Tom. Tom stayed with Leonard every other weekend.\n")
    assert not any("Tom" in h and "Leonard" in h and "Rose" not in h for h in got)
