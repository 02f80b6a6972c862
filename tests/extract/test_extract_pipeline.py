"""The extractor as named passes (ablation, hits), and the confidence of drafted records."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.model import validate_text
from dhrkg.ingest.report import draft_report, extract_report
from dhrkg.ingest.report.confidence import holds
from dhrkg.ingest.report.pipeline import PASS_NAMES, PASSES, UnknownPass
from dhrkg.ingest.report.rules import load_rules

SYNTHETIC = Path(__file__).parents[1] / "fixtures" / "extract" / "synthetic"
PROSE = SYNTHETIC / "exec_summary_prose.txt"


def test_passes_declare_what_they_read_and_set():
    assert PASS_NAMES[0] == "sections" and PASS_NAMES[-1] == "settle"
    set_before: set[str] = {"blocks"}
    for p in PASSES:
        assert p.sets and p.doc
        # a pass reads only what the document gives or an earlier pass sets
        assert set(p.reads) <= set_before, (p.name, set(p.reads) - set_before)
        set_before |= set(p.sets)


def test_every_pass_counts_its_hits():
    draft = draft_report(PROSE)
    assert set(draft.hits) == set(PASS_NAMES)
    assert draft.hits["events"] == len(draft.case.events)
    assert draft.rule_hits["sec.chronology"] == 1


@pytest.mark.parametrize("name", PASS_NAMES)
def test_any_pass_can_be_switched_off_and_the_draft_stays_valid(name):
    case = extract_report(PROSE, skip=frozenset({name}))
    from dhrkg.ingest.report import draft_yaml

    assert validate_text(draft_yaml(case), "x.yaml").ok


def test_switching_off_the_section_pass_loses_the_prose_chronology():
    with_sections = extract_report(PROSE)
    without = extract_report(PROSE, skip=frozenset({"sections"}))
    story = [e for e in with_sections.events if e.type != "review_process"]
    assert len([e for e in without.events if e.type != "review_process"]) < len(story)


def test_unknown_pass_is_refused_with_the_names():
    with pytest.raises(UnknownPass, match="events"):
        extract_report(PROSE, skip=frozenset({"nonsense"}))


@pytest.mark.parametrize("rule", load_rules("confidence").rules, ids=lambda r: r.id)
def test_confidence_rule_examples(rule):
    for rec in rule.match_examples:
        assert holds(rule.assigns["when"], rec), rec
    for rec in rule.no_match_examples:
        assert not holds(rule.assigns["when"], rec), rec


def test_every_record_has_a_confidence_comment_and_check_first_sorts():
    draft = draft_report(PROSE)
    text = draft.yaml(check_first=True)
    data = yaml.safe_load(text)
    assert validate_text(text, "x.yaml").ok
    lines = text.splitlines()
    for section in ("persons", "relationships", "agencies", "events"):
        n = len(data[section])
        start = lines.index(f"{section}:")
        items = [k for k in range(start + 1, len(lines)) if lines[k].startswith("- ")][:n]
        assert all(lines[k - 1].startswith("# confidence ") for k in items), section
        scores = [float(lines[k - 1].split()[2].rstrip(":")) for k in items]
        assert scores == sorted(scores), section


def test_min_confidence_leaves_out_unsure_records():
    full = draft_report(PROSE)
    sure = draft_report(PROSE, min_confidence=0.7)
    assert len(sure.case.events) < len(full.case.events)
    assert all(c.score >= 0.7 for (s, _), c in sure.confidence.items() if s == "events" and any(
        e.id == _ for e in sure.case.events))
    assert not any(e.date_approx for e in sure.case.events)


def test_cli_min_confidence_and_check_first(tmp_path):
    out = tmp_path / "d.yaml"
    result = CliRunner().invoke(app, ["extract", str(PROSE), "-o", str(out), "--min-confidence", "0.7",
                                      "--check-first"])
    assert result.exit_code == 0, result.output
    assert validate_text(out.read_text(), "d.yaml").ok
    bad = CliRunner().invoke(app, ["extract", str(PROSE), "--min-confidence", "2"])
    assert bad.exit_code == 2
    assert all(len(line) <= 80 for line in bad.output.splitlines())


@pytest.mark.parametrize("rule", load_rules("event_types").rules, ids=lambda r: r.id)
def test_event_type_rule_examples(rule):
    from dhrkg.ingest.report.events import _type_of

    for sentence in rule.match_examples:
        assert _type_of(sentence) == rule.assigns["type"], sentence
    for sentence in rule.no_match_examples:
        assert _type_of(sentence) != rule.assigns["type"], sentence
