"""Reporting frames (rules/frames.yaml) and bodies outside the case (rules/agency_scope.yaml): every rule's
examples, and made-up reports of the shapes they are for (agency-led IMR summaries; lines of enquiry and
nil returns naming bodies that never met the family)."""

from __future__ import annotations

import pytest

from dhrkg.ingest.report.agencies import scope_rule_holds
from dhrkg.ingest.report.frames import reporting_frame
from dhrkg.ingest.report.rules import load_rules
from support.documents import draft_text


@pytest.mark.parametrize("rule", load_rules("frames").rules, ids=lambda r: r.id)
def test_frame_rule_examples(rule):
    for text in rule.match_examples:
        frame = reporting_frame(text)
        assert frame is not None and rule.search(text), text
        assert text[frame.end:][:1].strip(), text   # what was said follows the frame
    for text in rule.no_match_examples:
        assert reporting_frame(text) is None, text


@pytest.mark.parametrize("rule", load_rules("agency_scope").rules, ids=lambda r: r.id)
def test_agency_scope_rule_examples(rule):
    for ex in rule.match_examples:
        assert scope_rule_holds(rule, ex.get("part"), ex["text"], _table(ex)), ex
    for ex in rule.no_match_examples:
        assert not scope_rule_holds(rule, ex.get("part"), ex["text"], _table(ex)), ex


def _table(ex: dict) -> list[list[str]] | None:
    """The table an example row is in (its header, its other rows, the row), for the rules that read a column."""
    if "header" not in ex:
        return None
    return [row.split("\t") for row in (ex["header"], *ex.get("rows", ()), ex["text"])]


IMR_REPORT = """Domestic Homicide Review into the death of Alice

1. Introduction

1.1 This review concerns Alice, aged 50, who was killed by her husband Roy in Eastbourne on 9 May 2021.

2. Summary of agency involvement

Sussex Police

2.1 Sussex Police's IMR said that officers were called to the house on 4 March 2019 after a neighbour heard screaming. Roy was arrested.

Eastbourne District General Hospital NHS Trust

2.2 The Trust's IMR said that Alice attended the emergency department on 12 June 2020 with a cut to her hand.

2.3 It said that she was seen again on 30 June 2020 by her GP's practice nurse, who referred her to the hospital clinic.

3. The death

3.1 On 9 May 2021 Roy killed Alice at their home.
"""


def test_an_imr_summary_tells_the_story_and_its_body_is_the_actor(tmp_path):
    case = draft_text(tmp_path, IMR_REPORT)
    by_date = {str(e.date): e for e in case.events}
    agency = {a.id: a.name for a in case.agencies}
    assert by_date["2019-03-04"].type != "review_process"
    assert agency[by_date["2019-03-04"].agency] == "Sussex Police"
    assert by_date["2020-06-12"].type != "review_process"
    assert agency[by_date["2020-06-12"].agency] == "Eastbourne District General Hospital NHS Trust"
    # "It said that ... by her GP's practice nurse": still the Trust's record, not a GP's
    assert agency[by_date["2020-06-30"].agency] == "Eastbourne District General Hospital NHS Trust"


def test_without_a_frame_an_imr_sentence_is_the_reviews_own_step(tmp_path):
    case = draft_text(tmp_path, IMR_REPORT.replace(
        "2.2 The Trust's IMR said that Alice", "2.2 The Trust's IMR was written in March 2022. Alice"))
    assert {str(e.date): e.type for e in case.events}.get("2022-03") in (None, "review_process")


SCOPE_REPORT = """Domestic Homicide Review into the death of Alice

1. Introduction

1.1 This review concerns Alice, aged 50, who was killed by her husband Roy in Eastbourne on 9 May 2021.

2. Terms of Reference

2.1 Key lines of enquiry:

a) Did Eastbourne Health Centre or the Eastbourne Citizens Advice Service know of the abuse?

b) How did Sussex Police respond to calls from the house?

3. Contributors

Agency\tContribution
Sussex Police\tIMR
Eastbourne Women's Aid\tNil return

4. Chronology

4.1 On 4 March 2019 Sussex Police were called to the house after a neighbour heard screaming. Roy was arrested.

4.2 On 9 May 2021 Roy killed Alice at their home.
"""


def test_bodies_named_only_in_lines_of_enquiry_or_as_nil_returns_are_not_agencies(tmp_path):
    names = {a.name for a in draft_text(tmp_path, SCOPE_REPORT).agencies}
    assert "Sussex Police" in names
    assert not names & {"Eastbourne Health Centre", "Eastbourne Citizens Advice Service",
                        "Eastbourne Women's Aid"}


def test_a_body_that_acted_is_kept_though_the_terms_of_reference_name_it(tmp_path):
    text = SCOPE_REPORT.replace("Roy was arrested.", "Roy was arrested. On 5 March 2019 Alice saw her GP at "
                                "Eastbourne Health Centre with a bruised arm.")
    assert "Eastbourne Health Centre" in {a.name for a in draft_text(tmp_path, text).agencies}


def test_the_later_sentences_of_a_framed_paragraph_are_the_same_bodys_record(tmp_path):
    text = IMR_REPORT.replace(
        "2.3 It said that she was seen again on 30 June 2020 by her GP's practice nurse, who referred her to the hospital clinic.",
        "2.3 The Trust's IMR said that Roy was referred to its alcohol service by his GP in July 2020. He attended "
        "once on 3 August 2020 and was discharged in October 2020.")
    case = draft_text(tmp_path, text)
    agency = {a.id: a.name for a in case.agencies}
    by_date = {str(e.date): e for e in case.events}
    for date in ("2020-08-03", "2020-10"):
        assert agency[by_date[date].agency] == "Eastbourne District General Hospital NHS Trust", date


def test_a_heading_that_is_a_body_name_in_the_story_makes_it_an_agency(tmp_path):
    text = IMR_REPORT.replace("3. The death", "Brayford Medical Practice\n\n2.4 The practice's IMR said that Roy saw "
                              "his GP on 2 August 2020 about his drinking.\n\n3. The death")
    case = draft_text(tmp_path, text)
    agency = {a.id: a.name for a in case.agencies}
    assert "Brayford Medical Practice" in agency.values()
    assert agency[{str(e.date): e for e in case.events}["2020-08-02"].agency] == "Brayford Medical Practice"


def test_no_referral_was_made_is_not_an_entry(tmp_path):
    text = IMR_REPORT.replace("Roy was arrested.", "Roy was arrested. No referral was made to Children's Services.")
    case = draft_text(tmp_path, text)
    assert not any("No referral" in (e.summary or "") for e in case.events)


def test_a_review_period_ending_at_the_homicide_is_not_the_homicide(tmp_path):
    text = IMR_REPORT.replace("2. Summary of agency involvement", "1.2 The review covers the period from January 2018 "
                              "to the date of the homicide.\n\n2. Summary of agency involvement")
    homicides = [str(e.date) for e in draft_text(tmp_path, text).events if e.type == "homicide"]
    assert homicides == ["2021-05-09"]


def test_a_hospital_named_only_in_its_trusts_section_is_the_trusts_alias(tmp_path):
    text = IMR_REPORT.replace("attended the emergency department on 12 June 2020",
                              "attended the emergency department at Eastbourne General Hospital on 12 June 2020")
    agencies = {a.name: a for a in draft_text(tmp_path, text).agencies}
    assert "Eastbourne General Hospital" not in agencies
    assert "Eastbourne General Hospital" in agencies["Eastbourne District General Hospital NHS Trust"].aliases


def test_a_hospital_named_in_the_story_elsewhere_stays_a_body_of_its_own(tmp_path):
    text = IMR_REPORT.replace("3.1 On 9 May 2021 Roy killed Alice at their home.",
                              "3.1 On 9 May 2021 Roy killed Alice at their home. She was taken to Hastings General "
                              "Hospital, where she died.")
    text = text.replace("attended the emergency department on 12 June 2020",
                        "attended the emergency department at Hastings General Hospital on 12 June 2020")
    assert "Hastings General Hospital" in {a.name for a in draft_text(tmp_path, text).agencies}
