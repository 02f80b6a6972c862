"""The extractor on synthetic reports in the layouts published reviews use beyond the seed reports.

The documents in tests/fixtures/extract/synthetic/ were written for these tests (no sentence is
taken from a published report); each shows one generic format: an executive summary whose
chronology is unnumbered prose, action-plan tables, a combined DHR/SCR with many children,
glossaries and contributors lists in other layouts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.model import validate_text
from dhrkg.ingest.report import draft_yaml, extract_report

SYNTHETIC = Path(__file__).parents[1] / "fixtures" / "extract" / "synthetic"


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


@pytest.mark.parametrize("name", ["action_plan_rows.txt", "action_plan_tables.txt"])
def test_recommendations_only_in_an_action_plan_table_are_drafted(name):
    case = extract_report(SYNTHETIC / name)
    recs = {r.id: r for r in case.recommendations}
    expected = 4 if "rows" in name else 3
    assert sorted(recs) == [f"R{n}" for n in range(1, expected + 1)]
    assert all(r.source and "Action plan" in r.source for r in recs.values())
    assert not any(r.text[:1].isdigit() for r in recs.values())    # "1. X Police should ...": number taken off


def test_action_plan_rows_keep_lead_agency_and_scope_and_skip_repeated_headers():
    case = extract_report(SYNTHETIC / "action_plan_rows.txt")
    recs = {r.id: r for r in case.recommendations}
    assert recs["R1"].agency == "lancashire-police"
    assert recs["R3"].scope == "national"           # Scope (local/national) column
    assert recs["R4"].scope == "multi_agency"
    # the second action of recommendation 2 (empty recommendation cell) is no recommendation of its own
    assert len(recs) == 4


def test_one_table_per_recommendation():
    case = extract_report(SYNTHETIC / "action_plan_tables.txt")
    recs = {r.id: r for r in case.recommendations}
    assert recs["R2"].agency == "kent-police"
    assert recs["R1"].agency == "kent-county-council-children-s"


def test_an_action_plan_repeating_the_reports_list_adds_nothing():
    from dhrkg.ingest.report.document import RawBlock, build_document
    from dhrkg.ingest.report import extract_document

    lines = ["Recommendations", "1. Kent Police should review how repeat callers are identified.",
             "Action Plan", "Recommendation\tLead agency\tTarget date",
             "Kent Police should review how repeat callers are identified\tKent Police\tMarch 2022"]
    raw = []
    for x in lines:
        raw.append(RawBlock(text=x, cells=x.split("\t") if "\t" in x else None))
    case = extract_document(build_document(raw, source="t.txt"))
    assert len(case.recommendations) == 1


def test_table_columns_are_named_by_the_rules_file():
    from dhrkg.ingest.report.rules import load_rules
    from dhrkg.ingest.report.tables import column_role

    for rule in load_rules("tables").rules:
        for cell in rule.match_examples:
            assert column_role(cell)[1] == rule.id, cell
        for cell in rule.no_match_examples:
            found = column_role(cell)
            assert found is None or found[1] != rule.id, cell


def test_chronology_table_rows_are_events_with_their_agency_cell():
    case = extract_report(SYNTHETIC / "chronology_table.txt")
    found = _events(case)
    assert ("2018-03-14", "cumbria-police", "risk_assessment") in found
    assert ("2018-03-15", "cumbria-police", "marac") in found
    assert ("2018-05-02", "north-cumbria-integrated-care", "appointment") in found   # "2nd of May 2018"
    assert ("2019-06", "cumbria-county-council-childre", "referral") in found
    assert ("2020-01-21", "cumbria-police", "charge") in found
    # the header repeated after the page break is no entry; every entry points at the table
    table_events = [e for e in case.events if e.source == "2.1"]
    assert len(table_events) == 5


@pytest.fixture(scope="module")
def combined():
    return extract_report(SYNTHETIC / "combined_dhr_scr.txt")


def _rels(case):
    return {(r.type, r.from_, r.to) for r in case.relationships}


def test_combined_review_victims_and_perpetrator_from_the_homicide_sentence(combined):
    roles = {p.id: p.roles for p in combined.persons}
    assert "victim" in roles["Grace"] and "perpetrator" in roles["Simon"]
    assert "perpetrator" not in roles["Grace"]          # "killed by Grace's partner Simon"


def test_combined_review_children_and_relatives_across_paragraphs(combined):
    names = {p.name for p in combined.persons}
    # a first name that is also an English word ("Grace") is a name when the report never writes the word
    assert {"Grace", "Simon", "Noah", "Ava", "Leo", "Mia", "Linda", "Tom", "Chloe", "Rachel"} <= names
    rels = _rels(combined)
    assert ("parent", "Linda", "Grace") in rels           # "her mother Linda"
    assert ("sibling", "Tom", "Grace") in rels or ("sibling", "Grace", "Tom") in rels   # "... and her brother Tom"
    assert ("parent", "Simon", "Chloe") in rels
    assert ("parent", "Grace", "Noah") in rels


def test_professionals_of_the_panel_and_contributors_are_not_persons(combined):
    names = " ".join(x for p in combined.persons for x in [p.name, *p.aliases])
    for professional in ("Helen", "Carter", "Paul", "Wright", "Susan", "Blake", "Mark", "Owens"):
        assert professional not in names


def test_numbered_recommendations_of_an_unnumbered_summary(prose):
    recs = {r.id: r for r in prose.recommendations}
    assert sorted(recs) == ["R1", "R2", "R3"]
    assert recs["R1"].agency == "greenway-medical-practice"


def test_bulleted_recommendations_are_numbered_in_order(tmp_path):
    text = ("Kent Community Safety Partnership\nDomestic Homicide Review\n"
            "Summary of events\nIn May 2016 Kent Police attended the home of the victim after a call.\n"
            "Recommendations\n- Kent Police should check previous calls to an address.\n"
            "- All agencies should ask about domestic abuse.\nGlossary\nGP\tGeneral Practitioner\n")
    path = tmp_path / "bullets.txt"
    path.write_text(text)
    recs = extract_report(path).recommendations
    assert [r.id for r in recs] == ["R1", "R2"]


@pytest.fixture(scope="module")
def glossary():
    return extract_report(SYNTHETIC / "glossary_layouts.txt")


def test_glossary_bodies_that_did_not_act_are_not_agencies(glossary):
    names = {a.name for a in glossary.agencies}
    for body in ("Care Quality Commission", "Ofsted", "SafeLives", "NSPCC",
                 "National Society for the Prevention of Cruelty to Children", "Royal College of General Practitioners",
                 "National Institute for Health and Care Excellence"):
        assert body not in names, body


def test_contributors_in_a_sentence_and_a_table_are_agencies_but_not_the_header(glossary):
    names = {a.name for a in glossary.agencies}
    assert {"Norfolk Constabulary", "Norfolk and Suffolk NHS Foundation Trust",
            "Norfolk County Council Adult Social Care"} <= names
    assert "Agency" not in names and "Contribution" not in names


def test_bodies_listed_as_having_had_no_involvement_are_not_agencies(glossary):
    names = {a.name for a in glossary.agencies}
    assert "Norfolk Fire and Rescue Service" not in names and "Norwich City Council" not in names


def test_the_death_told_in_a_sentence_about_the_review_is_an_entry(glossary):
    # "This review concerns Ruth, aged 58, who was killed by her husband Peter in June 2021."
    assert any(str(e.date) == "2021-06" and e.type == "homicide" for e in glossary.events)


def test_combined_review_children_of_two_households(combined):
    rels = _rels(combined)
    for child in ("Ava", "Leo", "Mia"):
        assert ("parent", "Grace", child) in rels and ("parent", "Craig", child) in rels
    assert ("parent", "Simon", "Noah") in rels and ("parent", "Craig", "Noah") not in rels
    assert any(r.type == "partner" and {r.from_, r.to} == {"Grace", "Craig"} and r.status == "former"
               for r in combined.relationships)
    # half siblings through their mother
    assert any(r.type == "sibling" and {r.from_, r.to} == {"Ava", "Noah"} and r.kind == "half"
               for r in combined.relationships)
    assert not any(p.id == "ava-s-mother" for p in combined.persons)   # Ava's mother is Grace


@pytest.mark.parametrize("text, expected", [
    ("On 30.6.2020 the police attended.", "2020-06-30"),
    ("On the 23rd of November 2017 she called.", "2017-11-23"),
    ("On 3-3-2016 he was seen.", "2016-03-03"),
    ("On 2016-03-04 he was seen.", "2016-03-04"),
    ("In mid-2015 she moved.", "2015"),
    ("Over Christmas 2016 they argued.", "2016-12"),
    ("On Christmas Day 2016 they argued.", "2016-12-25"),
    ("In the autumn of 2016 she left.", "2016"),
    ("In July 2013 she attended.", "2013-07"),
    ("On 5th Oct. 2016 she attended.", "2016-10-05"),
])
def test_uk_date_forms(text, expected):
    from dhrkg.ingest.report.dates import find_dates

    assert [str(m.date) for m in find_dates(text)] == [expected]


def test_chronology_table_without_a_header_row():
    case = extract_report(SYNTHETIC / "chronology_table_headerless.txt")
    found = _events(case)
    assert ("2018-03-12", "kent-police", "risk_assessment") in found
    assert any(d == "2018-05-03" and a == "kent-county-council-adult-soci" for d, a, _ in found)
    assert any(d == "2018-06" and a == "kent-police" for d, a, _ in found)


@pytest.mark.parametrize("name, formats", [
    ("action_plan_rows.txt", ("docx",)),   # PDF: empty cells leave no trace, so columns shift (see docs)
    ("action_plan_tables.txt", ("docx", "pdf")),
    ("chronology_table.txt", ("docx", "pdf")),
])
def test_tables_read_the_same_from_docx_and_pdf(tmp_path, name, formats):
    from support.documents import make_docx, make_pdf

    text = (SYNTHETIC / name).read_text(encoding="utf-8")
    base = extract_report(SYNTHETIC / name)
    want_recs = [(r.id, r.agency, r.scope) for r in base.recommendations]
    want_events = sorted(_events(base))
    makers = {"docx": make_docx, "pdf": make_pdf}
    for fmt in formats:
        case = extract_report(makers[fmt](text, tmp_path / f"r.{fmt}"))
        assert [(r.id, r.agency, r.scope) for r in case.recommendations] == want_recs, fmt
        assert sorted(_events(case)) == want_events, fmt


def test_relative_dates_in_a_short_prose_chronology():
    case = extract_report(SYNTHETIC / "relative_dates.txt")
    found = _events(case)
    assert ("2018-03-03", "kent-police", "arrest") in found
    assert ("2018-03-10", "kent-police", "risk_assessment") in found          # "The following week"
    assert ("2018-07", "kent-county-council-adult-soci", "home_visit") in found   # "The following month"
    assert ("2018-07", "kent-police", "arrest") in found                        # "Later that month"


def test_report_date_from_the_title_page_of_an_unnumbered_summary(prose):
    # the title page ends at the first paragraph of body text, not at a paragraph number it never has
    assert str(prose.review.report_date) == "2021-01-14"


def test_an_agency_heading_gives_its_section_entries_their_agency():
    case = extract_report(SYNTHETIC / "agency_sections.txt")
    found = _events(case)
    assert ("2018-03-10", "kent-police", "risk_assessment") in found       # sentence names no agency
    assert ("2018-04-20", "kent-and-medway-nhs-and-social", "discharge") in found
    assert any(d == "2018-06" and a and a.startswith("kent-county-council-adult") for d, a, _ in found)


def test_a_list_under_any_recommendations_heading(tmp_path):
    path = tmp_path / "summary.txt"
    path.write_text("Kent Community Safety Partnership\nDomestic Homicide Review Executive Summary\n"
                    "Summary of events\nIn May 2016 Kent Police attended the home of the victim after a call.\n"
                    "Summary of recommendations\n"
                    "1. Kent Police should check previous calls to an address before closing an incident.\n"
                    "2. All agencies should ask about domestic abuse when a patient presents with an injury.\n")
    assert [r.id for r in extract_report(path).recommendations] == ["R1", "R2"]


def test_glossary_lines_with_an_en_dash_are_read():
    from dhrkg.ingest.report import read_document
    from dhrkg.ingest.report.agencies import read_abbreviations
    from dhrkg.ingest.report.context import Context

    ctx = Context(read_document(SYNTHETIC / "glossary_layouts.txt"))
    read_abbreviations(ctx)
    assert ctx.abbreviations["ASC"] == "Adult Social Care"                 # "ASC – Adult Social Care"
    assert ctx.abbreviations["RCGP"] == "Royal College of General Practitioners"   # "RCGP: ..."


def test_two_victims_of_one_homicide(combined):
    roles = {p.id: p.roles for p in combined.persons}
    assert "victim" in roles["Noah"] and "victim" in roles["Grace"]      # "the deaths of Grace ... and her son Noah"
    noah = next(p for p in combined.persons if p.id == "Noah")
    assert "the victim" not in noah.aliases                               # "the victim" still means Grace


def test_a_job_title_in_the_panel_list_is_not_an_agency(combined):
    assert not any(a.name == "Senior Probation" for a in combined.agencies)
    assert any(a.name == "National Probation Service" for a in combined.agencies)


def test_a_couple_told_in_words_are_partners():
    case = extract_report(SYNTHETIC / "couple.txt")
    assert any(r.type == "partner" and {r.from_, r.to} == {"Jane", "Mark"} for r in case.relationships)
    # "Jane had a son, Oliver, from her marriage to Paul": her son, and his father her former partner
    assert ("parent", "Jane", "Oliver") in _rels(case)


def test_partners_in_the_prose_summary(prose):
    # "Rosa and Dean began a relationship in 2012"
    assert any(r.type == "partner" and {r.from_, r.to} == {"Rosa", "Dean"} for r in prose.relationships)
