"""Shapes met in the fourth round's invented documents (tests/fixtures/extract/unseen2, dev half), each shown
with made-up sentences of the same shape; and the dev documents scored against their gold files."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.ingest.report import extract_report, score_case
from dhrkg.model import load_case
from support.documents import draft_text

ROOT = Path(__file__).resolve().parents[2]
UNSEEN2 = ROOT / "tests" / "fixtures" / "extract" / "unseen2"

STORY = """Domestic Homicide Review into the death of Carol Finch

1. Introduction

1.1 {intro}

2. Chronology

2.1 On 4 March 2019 Kent Police were called to the house after a neighbour heard shouting.
"""


def _persons(tmp_path, intro):
    case = draft_text(tmp_path, STORY.format(intro=intro))
    return case, {p.name: p for p in case.persons}


def test_died_then_convicted_of_her_manslaughter_names_victim_and_perpetrator(tmp_path):
    case, by_name = _persons(tmp_path, "Carol Finch, aged 61, died at her home in Dover on 2 May 2021. Her partner, "
                                       "Keith Moss, aged 64, was convicted of her manslaughter.")
    assert "victim" in by_name["Carol Finch"].roles
    assert "perpetrator" in by_name["Keith Moss"].roles


def test_died_without_a_conviction_sentence_names_no_victim(tmp_path):
    case, by_name = _persons(tmp_path, "Carol Finch, aged 61, died at her home in Dover on 2 May 2021. Her partner, "
                                       "Keith Moss, aged 64, was at work.")
    assert "perpetrator" not in getattr(by_name.get("Keith Moss"), "roles", [])


def test_they_had_a_son_is_the_child_of_the_couple_named_before(tmp_path):
    case, by_name = _persons(tmp_path, "Carol, aged 61, was killed by her husband Keith in Dover on 2 May 2021. "
                                       "They had one son, Liam, aged 30.")
    ids = {p.name: p.id for p in case.persons}
    parents = {r.from_ for r in case.relationships if r.type == "parent" and r.to == ids["Liam"]}
    assert parents == {ids["Carol"], ids["Keith"]}


@pytest.mark.parametrize("path", sorted(p for p in (UNSEEN2 / "dev").glob("*") if p.suffix in (".txt", ".pdf", ".docx")),
                         ids=lambda p: p.name)
def test_dev_documents_score(path):
    """The dev half (rules were written looking at these): overall at least 0.75 (0.27-0.87 before)."""
    score = score_case(extract_report(path), load_case(path.with_suffix(".yaml")))
    assert score.overall >= 0.75
    assert all(s.f1 > 0.5 for name, s in score.sections.items() if name != "households")


@pytest.mark.parametrize("path", sorted(p for p in UNSEEN2.glob("*/*") if p.suffix in (".txt", ".pdf", ".docx") and p.parent.name != "sources"),
                         ids=lambda p: p.name)
def test_every_document_drafts_a_valid_case_file_and_its_gold_file_is_valid(path):
    extract_report(path)
    load_case(path.with_suffix(".yaml"))


FAMILY = """Domestic Homicide Review into the death of Mair

1. Introduction

1.1 Mair, aged 79, was killed by her husband, Idris, aged 82, in Wrexham on 11 August 2022.

2. The family

2.1 Mair and Idris had two children. Their daughter, Sioned, lived nearby.

2.2 Sioned's son, Tomos, aged 17, helped his grandmother with her shopping.

3. Contributors

Corff / Body\tCyfraniad / Contribution
Heddlu Gogledd Cymru / North Wales Police\tIMR
Cyngor Bwrdeistref Sirol Wrecsam / Wrexham County Borough Council Adult Social Care\tIMR

4. Chronology

4.1 On 4 March 2019 North Wales Police were called to the house after a neighbour heard shouting.

4.2 On 5 March 2019 Wrexham County Borough Council Adult Social Care visited Mair.
"""


def test_killed_by_her_husband_with_a_comma_names_him(tmp_path):
    by_name = {p.name: p for p in draft_text(tmp_path, FAMILY).persons}
    assert "perpetrator" in by_name["Idris"].roles and "victim" in by_name["Mair"].roles


def test_the_kin_of_a_child_found_by_their_daughter_and_a_grandmother_through_the_parents(tmp_path):
    case = draft_text(tmp_path, FAMILY)
    by_name = {p.name: p for p in case.persons}
    assert "Tomos" in by_name and "Sioned's son" in by_name["Tomos"].aliases
    assert ("parent", by_name["Sioned"].id, by_name["Tomos"].id) in {(r.type, r.from_, r.to) for r in case.relationships}
    assert "his grandmother" in by_name["Mair"].aliases          # not a new person "Tomos's grandmother"
    assert not any("grandmother" in n for n in by_name)


def test_a_body_named_in_welsh_and_english_is_one_agency_with_an_alias(tmp_path):
    agencies = {a.name: a for a in draft_text(tmp_path, FAMILY).agencies}
    assert "North Wales Police" in agencies and "Heddlu Gogledd Cymru" in agencies["North Wales Police"].aliases
    assert "Wrexham County Borough Council Adult Social Care" in agencies
    assert not any(" / " in n for n in agencies)


def test_kin_word_then_a_known_name_without_a_comma_and_whose_father_is(tmp_path):
    case, by_name = _persons(tmp_path, "This review concerns Carol, aged 29, who was killed by her former partner "
                                       "Keith, aged 33, in Dover on 2 May 2021. Carol had a daughter, Lily, aged 4, "
                                       "whose father is Keith.")
    ids = {p.name: p.id for p in case.persons}
    pairs = {(r.type, r.from_, r.to) for r in case.relationships}
    assert ("partner", ids["Keith"], ids["Carol"]) in pairs or ("partner", ids["Carol"], ids["Keith"]) in pairs
    assert ("parent", ids["Keith"], ids["Lily"]) in pairs and ("parent", ids["Carol"], ids["Lily"]) in pairs


TABLE = """Domestic Homicide Review into the death of Carol

1. Introduction

1.1 This review concerns Carol, aged 29, who was killed by her former partner Keith in Dover on 6 November 2021.

2. Chronology

Date\tAgency\tEvent\tComment
09/09/2021\tKent Police\tKeith breached a non-molestation order. He was arrested and cautioned.\t
06/11/2021\tKent Police\tKeith attacked Carol outside her flat. She died in hospital the same night.\t

3. Analysis

3.1 Agencies did not share what they knew.
"""


def test_a_table_row_gives_follow_on_steps_and_the_killing_on_the_homicide_day(tmp_path):
    events = draft_text(tmp_path, TABLE).events
    on = {(str(e.date), e.type): e for e in events}
    assert ("2021-09-09", "arrest") in on and ("2021-09-09", "caution") in on
    homicide = on[("2021-11-06", "homicide")]
    assert homicide.agency is None
    assert [e.type for e in events if str(e.date) == "2021-11-06"] == ["homicide"]


def test_professionals_of_the_panel_table_and_the_chair_are_not_persons_of_the_case():
    path = UNSEEN2 / "dev" / "tor-lines-imr.txt"
    names = " ".join(p.name for p in extract_report(path).persons)
    for professional in ("Priya", "Nair", "Alan Crowe", "Fiona", "Heald", "Carol Umeh", "Joe Pratt", "Welsby"):
        assert professional not in names
    welsh = " ".join(p.name for p in extract_report(UNSEEN2 / "dev" / "welsh-dhr-apr.txt").persons)
    assert "Gwenllian" not in welsh and "Pryce" not in welsh
