"""Layouts the seed reports lack: made-up sentences of each shape, and the held-out synthetic reports
(tests/fixtures/extract/heldout) scored against their gold files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from support.documents import draft_text

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "fixtures" / "extract" / "heldout"


STORY = """Domestic Homicide Review into the death of Rose

1. Introduction

1.1 Rose, aged 60, was killed by her husband Leonard in Devon in May 2020.

2. Chronology

2.1 On 3 March 2019 Dorset Police attended the home after Rose reported that Leonard had hit her.

2.2 In June 2019 Rose saw her GP at the Poole Medical Practice and said she was tired.

"""


def test_numbered_paragraphs_under_a_recommendations_heading(tmp_path):
    case = draft_text(tmp_path, STORY + """3. Recommendations

3.1 Dorset Police should ask about earlier incidents when an older woman reports an assault.

3.2 The Poole Medical Practice should ask patients who are always tired whether they feel safe.
""")
    assert [(r.id, r.source) for r in case.recommendations] == [("3.1", "3.1"), ("3.2", "3.2")]


def test_unnumbered_paragraphs_of_a_recommendations_part(tmp_path):
    case = draft_text(tmp_path, STORY + """Recommendations

The panel makes the following recommendations.

Dorset Police should ask about earlier incidents when an older woman reports an assault.

The Poole Medical Practice should ask patients who are always tired whether they feel safe.
""")
    assert [r.id for r in case.recommendations] == ["R1", "R2"]
    assert case.recommendations[0].text.startswith("Dorset Police should")


def _rels(case) -> set[tuple[str, str, str]]:
    names = {p.id: p.name for p in case.persons}
    return {(r.type, names.get(r.from_, r.from_), names.get(r.to, r.to)) for r in case.relationships}


FAMILY = """Review into the death of Adult P

1. Introduction

1.1 This review concerns the death of Adult P, aged 44, who was killed by Adult Q in Kent in 2018.

1.2 Child 7 (aged 12) and Child 8 (aged 9) are the children of Adult P and her former husband Adult R.

1.3 Adult S is Adult P's sister. Adult S told the review that Adult P's sister had been afraid of Adult Q.

2. Chronology

2.1 On 4 May 2017 Kent Police attended after Adult Q threatened Adult P.
"""


def test_labelled_children_with_ages_and_a_copula_kin_sentence(tmp_path):
    case = draft_text(tmp_path, FAMILY)
    rels = _rels(case)
    for child in ("Child 7", "Child 8"):
        assert ("parent", "Adult P", child) in rels and ("parent", "Adult R", child) in rels
    assert ("sibling", "Adult S", "Adult P") in rels or ("sibling", "Adult P", "Adult S") in rels
    assert "Adult P's sister" not in {p.name for p in case.persons}   # the phrase is Adult S


def test_victim_named_with_her_age_when_she_was_killed(tmp_path):
    case = draft_text(tmp_path, """Domestic Homicide Review

1. Esther was 51 when she was killed by her estranged husband Victor on 2nd June 2020 in Leeds.

2. On 3rd March 2020 West Yorkshire Police arrested Victor after he threatened Esther.

3. In April 2020 Esther told her GP that she was frightened of Victor.
""")
    roles = {p.name: p.roles for p in case.persons}
    assert "victim" in roles["Esther"] and "perpetrator" in roles["Victor"]


def test_numbered_paragraphs_after_a_glossary_table_are_the_report(tmp_path):
    case = draft_text(tmp_path, """Domestic Homicide Review

GLOSSARY

Term\tMeaning
GP\tGeneral Practitioner
IDVA\tIndependent Domestic Violence Advocate

1. Nadia was killed by her partner Omar on 5th May 2021 in Bristol. Nadia had a son, Sami, aged 4.

2. On 1st February 2021 Avon and Somerset Police arrested Omar after he assaulted Nadia.
""")
    roles = {p.name: p.roles for p in case.persons}
    assert "victim" in roles.get("Nadia", []) and "perpetrator" in roles.get("Omar", [])


AGENCIES = """Domestic Homicide Review into the death of Rose

Contributors to the Review

Bracken Lane Surgery
Dorset Police

Introduction

Rose was killed by her husband Leonard in Poole in May 2020. Reports were provided by Dorset Police, \
Willow Court Practice and Poole Borough Council.

Chronology

On 3 March 2019 Dorset Police attended the home after Rose reported that Leonard had hit her.

On 9 April 2019 Rose saw her GP at Bracken Lane Surgery and at the Willow Court Practice.

On 2 May 2019 Poole Children's Social Care and Dorset Police held a strategy meeting about her grandson.

In June 2019 her grandson told a teacher at Poole Park Academy that he was scared of Leonard.
"""


def test_agencies_from_a_contributors_heading_a_provided_by_list_and_joined_names(tmp_path):
    names = {a.name for a in draft_text(tmp_path, AGENCIES).agencies}
    assert {"Bracken Lane Surgery", "Willow Court Practice", "Dorset Police",
            "Poole Children's Social Care", "Poole Park Academy"} <= names, names
    assert not any(" and Dorset" in n for n in names), names


def test_a_slash_separates_two_names():
    from dhrkg.ingest.report.agencies import names_in

    found = [n for _, _, n in names_in("Heddlu Dyfed-Powys Police / Dyfed-Powys Police Service")]
    assert found == ["Heddlu Dyfed-Powys Police", "Dyfed-Powys Police Service"], found


def test_their_child_is_the_child_of_the_two_people_named_before(tmp_path):
    case = draft_text(tmp_path, """Domestic Homicide Review

1. Introduction

1.1 Agnes, aged 58, was killed by her husband Walter at their home in Leeds in 2021.

1.2 Agnes lived with Walter and their son Felix, aged 19. Felix found his mother.

2. Chronology

2.1 On 3 March 2020 West Yorkshire Police attended after Walter threatened Agnes.
""")
    rels = _rels(case)
    assert ("parent", "Agnes", "Felix") in rels and ("parent", "Walter", "Felix") in rels


def test_the_heldout_reports_draft_valid_case_files_with_no_section_at_zero():
    sys.path.insert(0, str(ROOT / "bench"))
    from extract import heldout_scores

    found = heldout_scores(HELDOUT)
    assert len(found) >= 6 and all(valid for _, _, valid, _ in found)
    for name, score, _, _ in found:
        assert all(score.sections[s].f1 > 0.3 for s in ("persons", "agencies", "relationships", "events",
                                                         "recommendations")), (name, score.table())
    assert sum(score.overall for _, score, _, _ in found) / len(found) >= 0.8


def test_pseudonyms_introduced_for_the_victim_and_a_child(tmp_path):
    case = draft_text(tmp_path, """Domestic Homicide Review

1. Introduction

1.1 This review examines the death of a young woman, referred to in this report as Lena, who was killed by her \
boyfriend, referred to as Jacob, in Bath in 2022.

1.2 Lena and Jacob had a daughter, referred to as Ivy, who was 2 at the time.

2. Chronology

2.1 On 4 June 2021 Avon and Somerset Police attended after Jacob threatened Lena.
""")
    roles = {p.name: p.roles for p in case.persons}
    assert "victim" in roles["Lena"] and "perpetrator" in roles["Jacob"]
    rels = _rels(case)
    assert ("parent", "Lena", "Ivy") in rels and ("parent", "Jacob", "Ivy") in rels


def test_a_contributors_heading_over_dated_paragraphs_tells_the_story(tmp_path):
    case = draft_text(tmp_path, """Domestic Homicide Review

1. Mona was killed by her partner Carl on 9th September 2021 in Hull.

INVOLVEMENT OF AGENCIES

2. On 12th January 2020 Humberside Police arrested Carl after he assaulted Mona.

3. On 3rd March 2020 Mona saw her GP and said she was frightened of Carl.

4. In June 2020 Hull City Council offered Mona a new tenancy, which she turned down.

5. On 2nd February 2021 Humberside Police gave Carl a warning for harassment.
""")
    dated = {str(e.date) for e in case.events if e.type != "review_process"}
    assert {"2020-01-12", "2020-03-03", "2020-06", "2021-02-02"} <= dated, dated


def test_a_contributors_list_stays_a_list_of_contributors():
    from dhrkg.ingest.report.document import RawBlock, build_document
    from dhrkg.ingest.report.sections import classify_sections

    doc = build_document([RawBlock(text=t, heading=t.isupper()) for t in (
        "INVOLVEMENT OF AGENCIES", "The following agencies contributed to this review:",
        "Humberside Police", "Hull City Council", "The review was completed in May 2022.")], source="t.txt")
    classify_sections(doc)
    assert {b.part for b in doc.blocks} == {"contributors"}
