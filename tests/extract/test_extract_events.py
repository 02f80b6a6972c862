"""Events of the report extractor: which dated sentences become chronology entries, their agency and date.

Each test drafts a small synthetic report (never a seed report) and looks at its events.
"""

from __future__ import annotations

from pathlib import Path

from dhrkg.ingest.report import extract_report
from dhrkg.ingest.report.dates import DateContext, find_dates

HEAD = """EASTSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

into the death of Adult A

1. Introduction

1.1 Adult A was killed by her husband, Adult B, at their home in Coventry on 3rd June 2017.

1.2 Individual Management Reviews were requested from the following agencies:

- West Midlands Police
- West Midlands Probation Trust
- Birmingham and Solihull Mental Health NHS Foundation Trust
- Coventry City Council Children's Services

2. The facts

"""


def draft(tmp_path: Path, facts: str):
    path = tmp_path / "report.txt"
    path.write_text(HEAD + facts.strip() + "\n")
    case = extract_report(path)
    agencies = {a.id: a for a in case.agencies}
    events = [e for e in case.events if e.type != "review_process"]
    return case, agencies, events


def agency_name(agencies, event) -> str | None:
    return agencies[event.agency].name if event.agency else None


def test_policy_and_guidance_years_are_not_events(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 Working Together to Safeguard Children 2013 sets out what agencies must do.

2.2 The local domestic abuse procedures were updated in March 2014 to reflect the new definition.

2.3 In May 2015 Adult B was arrested by West Midlands Police for assaulting Adult A.
""")
    dates = {str(e.date) for e in events}
    assert "2015-05" in dates
    assert "2013" not in dates and "2014-03" not in dates


def test_review_panel_meetings_are_review_process(tmp_path):
    case, _, events = draft(tmp_path, """
2.1 Panel meetings took place in January and February 2018.

2.2 The time period to be reviewed was agreed to be from April 2014.
""")
    assert not [e for e in events if str(e.date).startswith(("2018", "2014-04"))]


def test_referral_from_one_agency_to_another_belongs_to_the_referrer(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 On 14th November 2016, Adult B was referred from West Midlands Probation Trust to Birmingham and Solihull Mental Health NHS Foundation Trust for an assessment.
""")
    ev = next(e for e in events if str(e.date) == "2016-11-14")
    assert agency_name(agencies, ev) == "West Midlands Probation Trust"


def test_arrested_and_cautioned_are_two_entries(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 In 2010, Adult B was arrested by West Midlands Police and subsequently cautioned for the assault.

2.2 In 2011, Adult B was arrested by West Midlands Police but no further action was taken.
""")
    in_2010 = sorted(e.type for e in events if str(e.date) == "2010")
    assert in_2010 == ["arrest", "caution"]
    assert all(agency_name(agencies, e) == "West Midlands Police" for e in events if str(e.date) == "2010")
    assert sorted(e.type for e in events if str(e.date) == "2011") == ["arrest"]


def test_a_later_undated_sentence_takes_the_running_date(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 An initial child protection conference was held by Coventry City Council Children's Services on 11th June 2016.

2.2 The day after the conference, the social worker visited Adult A at home to agree a working agreement.

2.3 The incident in 2012 had not been considered. Two days later, the social worker telephoned Adult A.
""")
    visit = next(e for e in events if e.type == "home_visit")
    assert str(visit.date) == "2016-06-12" and visit.date_approx
    assert agency_name(agencies, visit) == "Coventry City Council Children's Services"
    # a look back to 2012 does not move the story's date
    call = next(e for e in events if e.type == "call")
    assert str(call.date) == "2016-06-14"


def test_cue_words_in_another_sense(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 On 3rd March 2016, Adult B admitted using cannabis and cocaine to his probation officer.

2.2 On 22nd November 2016, Adult B was assessed by a court liaison worker.

2.3 On 30th November 2016, his father made a call to the probation office about his drug use.
""")
    first = next(e for e in events if str(e.date) == "2016-03-03")
    assert first.type != "admission"
    liaison = next(e for e in events if str(e.date) == "2016-11-22")
    assert agency_name(agencies, liaison) == "Birmingham and Solihull Mental Health NHS Foundation Trust"
    call = next(e for e in events if str(e.date) == "2016-11-30")
    assert agency_name(agencies, call) != "West Midlands Police"


def test_find_dates_still_reads_report_dates():
    found = find_dates("On 14th March 2016 and again in May, and on 21/03/2016.", DateContext())
    assert [str(m.date) for m in found] == ["2016-03-14", "2016-05", "2016-03-21"]


def test_year_only_dates_in_the_analysis_restate_the_story(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 In May 2015 Adult B was arrested by West Midlands Police for assaulting Adult A.

3. Analysis

3.1 West Midlands Police had known Adult B since 2009 and did not look at his history.

3.2 In March 2016 West Midlands Police visited Adult A at home but did not ask about abuse.
""")
    dates = {str(e.date) for e in events}
    assert "2009" not in dates
    assert {"2015-05", "2016-03"} <= dates


def test_a_date_opening_a_sentence_resets_the_story_after_a_look_ahead(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 On 9th December 2016, Adult B was sentenced at the Crown Court; the order was breached and he was finally dealt with on 18th January 2018.

2.2 On 5th June 2017, Adult B cancelled his appointment with West Midlands Probation Trust. Two days later he attended the probation office.
""")
    assert "2017-06-07" in {str(e.date) for e in events}
    assert "2018-01-20" not in {str(e.date) for e in events}


def test_days_before_the_death_count_from_the_homicide(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 On 2nd May 2017, a mental health nurse from Birmingham and Solihull Mental Health NHS Foundation Trust saw Adult B.

2.2 Four days before the death of Adult A, the mental health nurse visited Adult B at home.
""")
    visit = next(e for e in events if e.type == "home_visit")
    assert str(visit.date) == "2017-05-30"


def test_context_dated_restatement_is_one_event_but_two_calls_the_same_day_are_two(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 On 19th October 2016, an officer of West Midlands Police completed a DASH risk assessment with Adult A, graded medium.

2.2 The DASH risk assessment was not passed to the Public Protection Unit.

2.3 On 15th March 2017, at 07:36, Adult B called West Midlands Police via 999.

2.4 At 11:04 the same day, Adult B again dialled 999 for the police.
""")
    assert len([e for e in events if e.type == "risk_assessment"]) == 1
    assert len([e for e in events if e.type == "call" and str(e.date) == "2017-03-15"]) == 2


def test_a_sentence_and_a_death_in_hospital_are_not_the_agency_s(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 In July 2016, West Midlands Police arrested him for criminal damage.

2.2 In December 2016 Adult B received a community order.

2.3 On 3rd June 2017, Adult A died in hospital the following morning after the assault.
""")
    died = next(e for e in events if str(e.date).startswith("2017-06"))
    assert died.agency is None
    order = next(e for e in events if str(e.date) == "2016-12")
    assert agency_name(agencies, order) != "West Midlands Police"


def test_one_entry_at_the_most_precise_date_of_a_sentence(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 Adult B's attendance at the GP tailed off in 2015 and the last appointment offered was in July 2015.
""")
    assert {str(e.date) for e in events if str(e.date).startswith("2015")} == {"2015-07"}


def test_a_generic_service_is_the_body_the_story_named_last(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 On 14th November 2016, Staffordshire Probation Trust referred Adult B to Birmingham and Solihull Mental Health NHS Foundation Trust.

2.2 On 9th December 2016, Adult B did not attend his appointment with probation staff.
""")
    # West Midlands Probation Trust contributed to the review, but the story is about the one it named
    ev = next(e for e in events if str(e.date) == "2016-12-09")
    assert agency_name(agencies, ev) == "Staffordshire Probation Trust"


def test_a_paragraph_falls_back_to_a_service_not_to_a_court(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 In 2014 West Midlands Police arrested Adult B, who was cautioned on Crown Prosecution Service advice. A year later (2015), Adult B was reported to have threatened Adult A.
""")
    ev = next(e for e in events if str(e.date) == "2015")
    assert agency_name(agencies, ev) == "West Midlands Police"


def test_undated_comment_on_what_did_not_happen_is_no_entry(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 On 11th June 2016, an initial child protection conference was held by Coventry City Council Children's Services.

2.2 There was no evidence that West Midlands Police had been invited to the child protection conference.
""")
    assert len([e for e in events if e.type == "child_protection"]) == 1


def test_days_before_the_death_need_a_homicide_date_after_the_story():
    from types import SimpleNamespace

    from dhrkg.ingest.report.events import _plausible_homicide

    assert _plausible_homicide(SimpleNamespace(homicide_date="2017-06-03"), "2017-05-02")
    assert not _plausible_homicide(SimpleNamespace(homicide_date="2003-01-01"), "2011-08-01")
    assert not _plausible_homicide(SimpleNamespace(homicide_date=None), "2011-08-01")


def test_a_generic_service_keeps_the_body_named_earlier_in_its_section(tmp_path):
    filler = "\n\n".join(f"2.{n} On {n}th March 2017, Adult B was seen by his drug worker." for n in range(2, 20))
    _, agencies, events = draft(tmp_path, f"""
2.1 On 14th February 2017, Staffordshire Probation Trust referred Adult B to Birmingham and Solihull Mental Health NHS Foundation Trust.

{filler}

2.20 On 2nd April 2017, Adult B did not attend his appointment at the probation office.
""")
    ev = next(e for e in events if str(e.date) == "2017-04-02")
    assert agency_name(agencies, ev) == "Staffordshire Probation Trust"


def test_a_new_section_does_not_inherit_the_last_agency(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 On 14th February 2017, West Midlands Police arrested Adult B.

The day of the homicide

2.2 In June 2017 Adult A spoke to a friend by telephone late in the evening.
""")
    ev = next(e for e in events if str(e.date) == "2017-06")
    assert ev.agency is None


def test_the_borough_council_is_the_one_borough_council_named(tmp_path):
    path = tmp_path / "report.txt"
    text = HEAD.replace("- Coventry City Council Children's Services", "- Coventry City Council Children's Services\n- Eastshire Borough Council")
    path.write_text(text + """2.1 On 3rd March 2016 West Midlands Police visited Adult A.

2.2 The borough council received complaints in 2015 from neighbours about noise.
""")
    case = extract_report(path)
    agencies = {a.id: a for a in case.agencies}
    ev = next(e for e in case.events if str(e.date) == "2015")
    assert agency_name(agencies, ev) == "Eastshire Borough Council"


def test_the_story_chapter_holds_the_entry_the_introduction_and_findings_restate(tmp_path):
    path = tmp_path / "report.txt"
    text = HEAD.replace("1.2 Individual", "1.3 Adult A first reported an assault to West Midlands Police in August 2015.\n\n1.2 Individual")
    path.write_text(text + """2.1 In August 2015 Adult A told West Midlands Police that Adult B had assaulted her.

Summary and Findings

2.2 The interventions after the report to West Midlands Police in August 2015 were not effective.

2.3 Later, Adult B killed Adult A in the morning.
""")
    case = extract_report(path)
    aug = [e for e in case.events if str(e.date) == "2015-08" and e.type != "review_process"]
    assert [e.source for e in aug] == ["2.1"]


def test_an_undated_killing_in_the_story_takes_the_running_date(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 In May 2017 Adult A went to stay with her mother.

2.2 Adult B stabbed and killed Adult A in a taxi.
""")
    homicide = [e for e in events if e.type == "homicide" and str(e.date).startswith("2017-0")]
    assert homicide and homicide[0].agency is None


def test_a_denied_step_of_the_criminal_process_is_not_that_step(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 In August 2015 the supervising officer of West Midlands Police judged there was no chance of a conviction.
""")
    ev = next(e for e in events if str(e.date) == "2015-08")
    assert ev.type != "conviction"


def test_a_gap_and_an_analysis_summary_of_dates_are_no_entries(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 In May 2015 West Midlands Police arrested Adult B.

2.2 There were no further contacts with Adult A until February 2016 by Coventry City Council Children's Services.

3. Analysis

3.1 The referrals to Coventry City Council Children's Services in June 2014, January 2016 and March 2016 led to assessments.
""")
    dates = {str(e.date) for e in events}
    assert "2015-05" in dates
    assert not dates & {"2016-02", "2014-06", "2016-01", "2016-03"}


def test_sentences_end_after_a_one_letter_label():
    from dhrkg.ingest.report.sentences import split_sentences

    text = "On 2nd May 2016 a nurse saw Child C. The nurse referred the family. Dr J. Smith was told."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "On 2nd May 2016 a nurse saw Child C.", "The nurse referred the family.", "Dr J. Smith was told."]
    text = "He stayed with S. The police were called."
    assert len(split_sentences(text)) == 1
    assert len(split_sentences(text, frozenset({"S"}))) == 2


def test_a_described_service_is_the_actor_when_the_named_body_receives_the_referral(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 On 2nd February 2017 the health visitor referred the family to Coventry City Council Children's Services.
""")
    ev = next(e for e in events if str(e.date) == "2017-02-02")
    assert agency_name(agencies, ev) != "Coventry City Council Children's Services"


def test_a_step_told_as_later_is_not_given_the_day_of_the_first(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 On 3rd March 2016 West Midlands Police arrested Adult B, who was later convicted of the assault.

2.2 In 2010 Adult B was arrested by West Midlands Police and subsequently cautioned.
""")
    assert [e.type for e in events if str(e.date) == "2016-03-03"] == ["arrest"]
    assert sorted(e.type for e in events if str(e.date) == "2010") == ["arrest", "caution"]


def test_whom_a_service_informs_is_not_the_actor(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 In February 2017 the health visitor informed West Midlands Police of the concerns.
""")
    ev = next(e for e in events if str(e.date) == "2017-02")
    assert agency_name(agencies, ev) != "West Midlands Police"


def test_a_health_visitor_is_not_a_walk_in_centre(tmp_path):
    path = tmp_path / "report.txt"
    text = HEAD.replace("- Coventry City Council Children's Services",
                        "- Coventry City Council Children's Services\n- Eastshire NHS Walk in Centre\n"
                        "- Eastshire Community Health NHS Trust")
    path.write_text(text + """2.1 In January 2017 Adult A went to the Eastshire NHS Walk in Centre with a cut hand.

2.2 In February 2017 the health visitor saw Adult A at home.
""")
    case = extract_report(path)
    agencies = {a.id: a for a in case.agencies}
    ev = next(e for e in case.events if str(e.date) == "2017-02")
    assert "Walk in Centre" not in agency_name(agencies, ev)


def test_a_case_sentence_that_mentions_procedures_is_still_an_entry(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 On 4th May 2016 officers of West Midlands Police followed force procedures and spoke to her at home.
""")
    assert "2016-05-04" in {str(e.date) for e in events}


def test_no_answer_at_a_visit_is_still_the_visit(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 There was no answer at the door on 3rd May 2016 when the health visitor called at the home of Adult A.
""")
    assert "2016-05-03" in {str(e.date) for e in events}


def test_story_sections_named_like_review_or_analysis_words_are_still_the_story(tmp_path):
    _, _, events = draft(tmp_path, """
Local Authority involvement

2.1 In 2014 Coventry City Council Children's Services assessed Child C.

Mental health issues

2.2 In 2015 Adult B was seen by a psychiatrist of Birmingham and Solihull Mental Health NHS Foundation Trust.
""")
    dates = {str(e.date) for e in events}
    assert {"2014", "2015"} <= dates


def test_a_step_told_from_the_one_before_is_an_entry_without_a_cue_word(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 On 12th June 2017, the social worker from Coventry City Council Children's Services met Adult A.

2.2 Three days after the meeting, the social work case was moved to another team in Coventry City Council Children's Services. Twelve days later the new social worker met Adult A and her mother.
""")
    dates = sorted(str(e.date) for e in events)
    assert "2017-06-15" in dates and "2017-06-27" in dates


def test_a_step_told_from_the_one_before_needs_a_service(tmp_path):
    _, _, events = draft(tmp_path, """
2.1 On 12th June 2017, the social worker from Coventry City Council Children's Services met Adult A.

2.2 Three days later, Adult A and Adult B talked about it at length.
""")
    assert "2017-06-15" not in [str(e.date) for e in events]


HOSPITALS = """EASTSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 Adult A was killed by her husband, Adult B, at their home in Coventry on 3rd June 2017.

1.2 Individual Management Reviews were requested from the following agencies:

- West Midlands Police
- Coventry Community NHS Foundation Trust (re victim)
- Coventry Healthcare NHS Foundation Trust

2. The facts

2.1 On 2nd May 2016, Adult A attended the hospital with a cut hand.

2.2 On 5th May 2016, Adult A attended the hospital again.

3. Recommendations

Agency: Coventry Community NHS Foundation Trust (Health Visitors)

3.1 Coventry Community NHS Foundation Trust to train its health visitors.
"""


def test_a_hospital_visit_is_not_the_trust_named_for_its_health_visitors(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(HOSPITALS)
    case = extract_report(path)
    agencies = {a.id: a for a in case.agencies}
    visits = [e for e in case.events if str(e.date).startswith("2016-05")]
    assert visits and all(agency_name(agencies, e) == "Coventry Healthcare NHS Foundation Trust" for e in visits)


def test_drug_rehabilitation_steps_belong_to_the_drug_treatment_provider(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(HOSPITALS.replace("- Coventry Healthcare NHS Foundation Trust",
                                      "- Coventry Healthcare NHS Foundation Trust\n- West Midlands Probation Trust\n"
                                      "- Coventry Mental Health NHS Trust (Drug treatment provider)").replace(
        """2.1 On 2nd May 2016, Adult A attended the hospital with a cut hand.

2.2 On 5th May 2016, Adult A attended the hospital again.""",
        """2.1 On 2nd May 2016, Adult B was sentenced to a community order supervised by West Midlands Probation Trust.

2.2 On 9th May 2016, Adult B missed his Drug Rehabilitation Requirement (DRR) appointment.

2.3 On 16th May 2016, he tested positive for cocaine at his drug test."""))
    case = extract_report(path)
    agencies = {a.id: a for a in case.agencies}
    by_date = {str(e.date): agency_name(agencies, e) for e in case.events}
    assert by_date["2016-05-09"] == "Coventry Mental Health NHS Trust"
    assert by_date["2016-05-16"] == "Coventry Mental Health NHS Trust"


def test_each_date_of_a_sentence_takes_the_step_told_next_to_it(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 On 27th July 2016, Adult B was arrested by West Midlands Police and charged with possession of cannabis, for which he was sentenced in December 2016 at Birmingham Crown Court to 52 weeks imprisonment.
""")
    by_date = {str(e.date): e for e in events}
    assert by_date["2016-07-27"].type == "arrest"
    assert by_date["2016-12"].type == "sentence"


def test_a_roman_numbered_sub_heading_does_not_date_the_story(tmp_path):
    _, _, events = draft(tmp_path, ("""
2.1 On 3rd March 2016, West Midlands Police visited Adult A.

II. Key information from police records of contacts with the perpetrator and with his former partners before 2015

2.2 In 2012 Adult B was reported to West Midlands Police for an assault on a neighbour.

2.3 Although he denied any assault, Adult B was formally cautioned for carrying a knife.
"""))
    dates = {e.summary: str(e.date) for e in events}
    assert "2015" not in dates.values()
    assert dates["Although he denied any assault, Adult B was formally cautioned for carrying a knife."] == "2012"


def test_minutes_later_is_the_same_day(tmp_path):
    _, agencies, events = draft(tmp_path, """
2.1 On 15th March 2017, West Midlands Police received a 999 call from Adult B.

2.2 Ten minutes later, West Midlands Police received a call from a neighbour of Adult A.
""")
    neighbour = next(e for e in events if "neighbour" in e.summary)
    assert str(neighbour.date) == "2017-03-15"
