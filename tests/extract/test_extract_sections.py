"""Section classification: rules as data (ingest/report/rules/*.yaml), each checked by its own examples."""

from __future__ import annotations

import pytest

from dhrkg.ingest.report.document import RawBlock, build_document
from dhrkg.ingest.report.rules import load_rules, markdown_table, rule_files
from dhrkg.ingest.report.sections import classify_heading, classify_sections

SECTION_RULES = load_rules("sections").rules


def test_every_rule_file_loads_with_unique_ids_and_examples():
    for name in rule_files():
        rs = load_rules(name)
        assert rs.rules, name
        for r in rs.rules:
            assert r.match_examples, f"{name}: {r.id} has no example it matches"


@pytest.mark.parametrize("rule", SECTION_RULES, ids=lambda r: r.id)
def test_section_rule_examples(rule):
    for heading in rule.match_examples:
        found = classify_heading(heading)
        assert found is not None and found[1] == rule.id, (heading, found)
    for heading in rule.no_match_examples:
        found = classify_heading(heading)
        assert found is None or found[1] != rule.id, (heading, found)


def test_parts_are_declared():
    rs = load_rules("sections")
    for r in SECTION_RULES:
        assert r.assigns["part"] in rs.meta["parts"], r.id


def _doc(lines: list[str]):
    return build_document([RawBlock(text=x) for x in lines], source="t.txt")


def test_unnumbered_title_case_and_all_caps_headings_are_classified():
    doc = _doc([
        "Review of the death of a resident",
        "The Review Process",
        "The panel met four times between spring and winter.",
        "BACKGROUND",
        "The couple met at college and moved in together.",
        "Police",                         # an agency's sub-heading: keeps the part above
        "Officers attended the address twice.",
        "Key Issues Arising",
        "Nobody asked about abuse at the surgery.",
        "Recommendation 3",                # one recommendation inside the analysis: keeps the part
        "Agencies should ask.",
        "Glossary",
        "GP: General Practitioner",       # a glossary entry, not a heading of its own
    ])
    parts = {b.text: b.part for b in doc.blocks}
    classify_sections(doc)
    parts = {b.text: b.part for b in doc.blocks}
    assert parts["The panel met four times between spring and winter."] == "review_process"
    assert parts["The couple met at college and moved in together."] == "background"
    assert parts["Officers attended the address twice."] == "background"
    assert parts["Nobody asked about abuse at the surgery."] == "analysis"
    assert parts["Agencies should ask."] == "analysis"
    assert parts["GP: General Practitioner"] == "glossary"


def test_numbered_headings_are_classified_by_their_words():
    assert classify_heading("4. Summary of events")[0] == "chronology"
    assert classify_heading("2.3 Chronology of agency contact")[0] == "chronology"
    assert classify_heading("Section 7 Conclusions")[0] == "conclusions"


def test_a_person_heading_does_not_pull_the_analysis_into_the_story():
    assert classify_heading("The perpetrator", "analysis") is None
    assert classify_heading("The perpetrator", "chronology")[0] == "background"


def test_rule_table_for_the_docs_lists_every_rule():
    table = markdown_table("sections")
    for r in SECTION_RULES:
        assert f"`{r.id}`" in table


def test_a_rule_switched_off_no_longer_classifies():
    from dhrkg.ingest.report.rules import disabled_rules

    assert classify_heading("Summary of events")[1] == "sec.chronology"
    with disabled_rules({"sec.chronology"}):
        found = classify_heading("Summary of events")
        assert found is None or found[1] != "sec.chronology"
    assert classify_heading("Summary of events")[1] == "sec.chronology"


def test_docs_rule_tables_are_up_to_date():
    from pathlib import Path

    from dhrkg.ingest.report.ruledoc import DOC_BEGIN, DOC_END, with_tables

    doc = Path(__file__).resolve().parents[2] / "docs" / "extract.md"
    text = doc.read_text(encoding="utf-8")
    assert DOC_BEGIN in text and DOC_END in text
    assert with_tables(text) == text, "run: python -m dhrkg.ingest.report.ruledoc --write"


def test_a_short_line_ending_with_a_colon_opens_a_part():
    doc = _doc(["Review of a death", "The review process", "The panel met in the spring and wrote this report.",
                "Summary of events:", "In July 2013 she attended her GP surgery with an injury."])
    classify_sections(doc)
    assert doc.blocks[-1].part == "chronology"


def test_an_unknown_numbered_chapter_does_not_stay_in_the_glossary():
    doc = _doc(["Review of a death", "Glossary", "GP: General Practitioner",
                "1. Domestic abuse in rural communities", "1.1 In May 2016 she moved to a farm with her partner.",
                "2. Kent Police", "2.1 Officers attended in June 2016."])
    classify_sections(doc)
    parts = {b.text: b.part for b in doc.blocks}
    assert parts["In May 2016 she moved to a farm with her partner."] == ""
