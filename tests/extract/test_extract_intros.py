"""Person introductions and bodies named after their service, as data (rules/person_intros.yaml,
rules/service_named.yaml): every rule's examples, and made-up reports of the shapes of the fifth round's
dev documents (tests/fixtures/extract/unseen3/dev): pseudonyms and kin phrases told across paragraphs and
sections, a joint DHR/CSPR with three households."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.ingest.report import extract_report, score_case
from dhrkg.ingest.report.agencies import service_named_rule
from dhrkg.ingest.report.labels import data_intros
from dhrkg.ingest.report.rules import load_rules
from dhrkg.model import load_case
from support.documents import draft_text

ROOT = Path(__file__).resolve().parents[2]
UNSEEN3 = ROOT / "tests" / "fixtures" / "extract" / "unseen3"


def _rules(kind: str):
    return [r for r in load_rules("person_intros").rules if r.assigns["kind"] == kind]


@pytest.mark.parametrize("rule", _rules("pseudonym"), ids=lambda r: r.id)
def test_pseudonym_rule_examples(rule):
    for text in rule.match_examples:
        assert any(m.re is rule.pattern for m, _ in data_intros(text)), text
    for text in rule.no_match_examples:
        assert not any(m.re is rule.pattern for m, _ in data_intros(text)), text


@pytest.mark.parametrize("rule", [r for r in load_rules("person_intros").rules if r.assigns["kind"] != "pseudonym"],
                         ids=lambda r: r.id)
def test_other_intro_rule_examples(rule):
    for text in rule.match_examples:
        assert rule.search(text), text
    for text in rule.no_match_examples:
        assert not rule.search(text), text


@pytest.mark.parametrize("rule", load_rules("service_named").rules, ids=lambda r: r.id)
def test_service_named_rule_examples(rule):
    for ex in rule.match_examples:
        assert service_named_rule(ex["text"], ex["name"]) is rule, ex
    for ex in rule.no_match_examples:
        assert service_named_rule(ex["text"], ex["name"]) is None, ex


def _names(case) -> dict[str, object]:
    return {p.name: p for p in case.persons}


def _rels(case) -> set[tuple[str, str, str]]:
    name = {p.id: p.name for p in case.persons}
    out = set()
    for r in case.relationships:
        out.add((r.type, name[r.from_], name[r.to]))
    return out


KIN_ACROSS = """Domestic Homicide Review: Executive Summary

Introduction

This summary concerns Olwen, a woman of 58, who died on 3 March 2022 at her home in Swansea after she was stabbed by her partner. Her partner is called Gethin in this summary; he was 60.

The family

Olwen had one child before she met Gethin. Olwen's eldest, Rhys, was 30 and lived in Neath.

Olwen and Gethin had lived together since 2010. The couple's two sons, Owain and Dafydd, were 11 and 9.

Gethin's brother, who is called Aled in this summary, lives in Llanelli.

Chronology

On 4 May 2021 South Wales Police were called to the house after a neighbour heard shouting. A DASH risk assessment was graded medium.

On 3 March 2022 Gethin stabbed Olwen at home.
"""


def test_pseudonyms_and_kin_phrases_across_paragraphs(tmp_path):
    case = draft_text(tmp_path, KIN_ACROSS)
    people = _names(case)
    assert "victim" in people["Olwen"].roles and "perpetrator" in people["Gethin"].roles
    rels = _rels(case)
    assert ("parent", "Olwen", "Rhys") in rels
    assert {("parent", "Olwen", "Owain"), ("parent", "Gethin", "Owain"),
            ("parent", "Olwen", "Dafydd"), ("parent", "Gethin", "Dafydd")} <= rels
    assert ("sibling", "Aled", "Gethin") in rels or ("sibling", "Gethin", "Aled") in rels


THREE_HOUSEHOLDS = """Joint Domestic Homicide Review and Child Safeguarding Practice Review

1. Introduction

1.1 On 2 June 2022 Nadia, aged 31, was killed at her home in Exeter by her partner Craig, aged 35. Her two children, Ruby (8) and Finn (5), were asleep upstairs.

2. The households

2.1 The children's father, Lewis, lives in Tiverton with his wife, Hollie. In 2020 Hollie gave birth to their daughter, Poppy.

2.2 Craig's father, Keith, lives in Torquay with Craig's daughter from a previous relationship, Amber, who is 10.

3. Agency contact

3.1 On 5 May 2021 Nadia told a support worker from Riverbend Domestic Abuse Service that Craig had hit her. On 9 May 2021 the school of Ruby, Larkfield Primary School, made a referral to children's services.
"""


def test_children_of_several_households_told_in_their_own_paragraphs(tmp_path):
    case = draft_text(tmp_path, THREE_HOUSEHOLDS)
    rels = _rels(case)
    assert {("parent", "Lewis", "Ruby"), ("parent", "Lewis", "Finn")} <= rels
    assert {("parent", "Lewis", "Poppy"), ("parent", "Hollie", "Poppy")} <= rels
    assert ("parent", "Craig", "Amber") in rels
    agencies = {a.name for a in case.agencies}
    assert {"Riverbend Domestic Abuse Service", "Larkfield Primary School"} <= agencies


def test_a_body_without_a_place_name_not_named_after_a_service_is_left_out(tmp_path):
    text = THREE_HOUSEHOLDS.replace("a support worker from Riverbend", "a leaflet about Riverbend")
    assert "Riverbend Domestic Abuse Service" not in {a.name for a in draft_text(tmp_path, text).agencies}


@pytest.mark.parametrize("path", sorted(UNSEEN3.glob("dev/*.txt")), ids=lambda p: p.name)
def test_dev_documents_score_as_recorded(path):
    score = score_case(extract_report(path), load_case(path.with_suffix(".yaml")))
    assert score.overall >= 0.8
    assert all(s.f1 > 0.5 for name, s in score.sections.items() if name != "households")


@pytest.mark.parametrize("path", sorted(p for p in UNSEEN3.glob("*/*") if p.suffix in (".txt", ".pdf") and p.parent.name != "sources"),
                         ids=lambda p: p.name)
def test_every_document_drafts_a_valid_case_file_and_its_gold_file_is_valid(path):
    extract_report(path)
    load_case(path.with_suffix(".yaml"))


COUPLE_COUNT = """Domestic Homicide Review - Executive Summary

Introduction

This review looks at the death of Megan, who was 29 when she was killed by Dean, her partner, at their flat in Hull on 4 May 2021.

Family

Megan and Dean met in 2012. They had three children. Her eldest daughter, aged 8 at the time of her death, is called Erin in this report. The younger two are twins, Jack and Lucy, aged 5.

Summary of events

On 2 June 2020 Humberside Police were called to the flat by a neighbour.
"""


def test_the_children_of_a_couple_told_after_they_had_n_children(tmp_path):
    case = draft_text(tmp_path, COUPLE_COUNT)
    rels = _rels(case)
    for child in ("Erin", "Jack", "Lucy"):
        assert {("parent", "Megan", child), ("parent", "Dean", child)} <= rels, child
    people = _names(case)
    assert people["Megan"].age == 29 and "child" not in people["Megan"].roles   # "aged 8" is Erin's


UNION_LIST = """Domestic Homicide Review: Overview Report

1. Introduction

1.1 Donna, aged 44, was killed by her partner Wayne, aged 47, at their house in Exeter on 9 June 2021.

1.2 Donna had two daughters from her marriage to Stuart: Chloe, aged 15, and Amy, aged 12. Both girls lived with Donna and Wayne.

2. Chronology

2.1 On 3 March 2020 Devon and Cornwall Police were called to the house after a neighbour heard shouting.
"""


def test_children_listed_after_the_marriage_they_came_from(tmp_path):
    rels = _rels(draft_text(tmp_path, UNION_LIST))
    for child in ("Chloe", "Amy"):
        assert {("parent", "Donna", child), ("parent", "Stuart", child)} <= rels, child
    assert ("parent", "Wayne", "Chloe") not in rels


CONTACT_TABLE = """Domestic Homicide Review: Overview Report

1. Introduction

1.1 Lena, aged 36, was killed by her husband Piotr, aged 39, at their home in Derby on 2 August 2021.

2. Agencies asked

2.1 The following agencies were asked whether they had contact with Lena or Piotr.

Agency\tAbbreviation\tContact
Derbyshire Constabulary\tDC\t✓
Derby City Council Housing\tDCH\t
Derbyshire Fire and Rescue Service\tDFRS\t

3. Chronology

3.1 On 4 May 2020 Derbyshire Constabulary were called to the house after a neighbour heard shouting.
"""


def test_a_body_whose_contact_cell_is_empty_is_left_out(tmp_path):
    names = {a.name for a in draft_text(tmp_path, CONTACT_TABLE).agencies}
    assert "Derbyshire Constabulary" in names
    assert not {"Derby City Council Housing", "Derbyshire Fire and Rescue Service"} & names


def test_both_boys_lived_with_their_mother_and_her_partner(tmp_path):
    text = UNION_LIST.replace("Donna had two daughters from her marriage to Stuart: Chloe, aged 15, and Amy, aged 12. "
                              "Both girls lived with Donna and Wayne.",
                              "Donna had two sons from her marriage to Stuart: Liam, aged 15, and Kyle, aged 12. "
                              "Both boys lived with Donna and Wayne.")
    case = draft_text(tmp_path, text)
    name = {p.id: p.name for p in case.persons}
    homes = [{name[m.person if hasattr(m, "person") else m] for m in h.members} for h in case.households]
    assert {"Donna", "Wayne", "Liam", "Kyle"} in homes


HALF_SIBLINGS = """Domestic Homicide Review: Executive Summary

Introduction

This summary concerns Zarela, a woman of 40, who died on 1 May 2022 at her home in Derby after she was stabbed by her husband. Her husband is called Tariq in this summary.

The family

Zarela's eldest, Daniel, was 19 when his mother died. Daniel's father, Kemal, lives in Leeds.

Zarela and Tariq married in 2010. The couple's two daughters, Mina and Sara, were 11 and 8.

Chronology

On 4 May 2021 Derbyshire Constabulary were called to the house after a neighbour heard shouting.
"""


def test_a_mother_known_only_by_kin_phrases_gives_half_siblings(tmp_path):
    case = draft_text(tmp_path, HALF_SIBLINGS)
    people = _names(case)
    assert people["Zarela"].sex == "female"   # not a listed forename: "Daniel ... when his mother died"
    name = {p.id: p.name for p in case.persons}
    half = {frozenset((name[r.from_], name[r.to])) for r in case.relationships if r.type == "sibling" and r.kind == "half"}
    assert {frozenset(("Daniel", "Mina")), frozenset(("Daniel", "Sara"))} <= half
