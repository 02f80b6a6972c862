"""The scorer (docs/extract.md): each matching rule on tiny hand-made drafts and golds."""

from __future__ import annotations

import pytest

from dhrkg.ingest.report.score import norm, refs_overlap, score_case


def case(**sections):
    data = {"format": "dhr-case/1", "review": {"id": "r"}}
    data.update(sections)
    return data


def test_norm_follows_the_rules():
    assert norm("The Victim's Mother") == "victims mother"
    assert norm("  Domestic & Sexual  Violence ") == "domestic and sexual violence"
    assert norm("Staffordshire County Council \u2013 Community Safety") == "staffordshire county council community safety"
    assert norm("ex-partner") == "ex-partner"          # hyphens stay
    assert norm("Theatre") == "theatre"                # only a leading "the " word goes


def test_persons_match_on_id_name_or_any_alias():
    draft = case(persons=[
        {"id": "p1", "name": "Susan"},                              # by name = gold alias
        {"id": "X", "name": "someone", "aliases": ["The Victim's Mother"]},  # alias = gold name
        {"id": "nobody", "name": "Nobody"},
    ])
    gold = case(persons=[
        {"id": "v", "name": "the victim", "aliases": ["Susan"]},
        {"id": "m", "name": "victims mother"},
        {"id": "j", "name": "J"},
    ])
    s = score_case(draft, gold).sections["persons"]
    assert (s.drafted, s.gold, s.matched) == (3, 3, 2)
    assert s.precision == pytest.approx(2 / 3) and s.recall == pytest.approx(2 / 3)


def test_matching_is_one_to_one_and_greedy_in_document_order():
    # both drafted records match the only gold record: the first one in the draft takes it
    draft = case(persons=[{"id": "a", "name": "J"}, {"id": "b", "name": "J", "aliases": ["x"]}])
    gold = case(persons=[{"id": "J", "name": "J"}])
    s = score_case(draft, gold).sections["persons"]
    assert s.matched == 1 and s.pairs == [(0, 0)]
    assert s.precision == 0.5 and s.recall == 1.0


def test_agencies_match_on_name_abbreviation_or_alias():
    draft = case(agencies=[
        {"id": "a", "name": "The Staffordshire Police", "type": "police"},          # name
        {"id": "b", "name": "Something else", "abbreviation": "SSSHFT", "type": "mental_health"},  # abbreviation
        {"id": "c", "name": "Warwickshire CC", "aliases": ["Warwickshire County Council"], "type": "other"},  # alias
        {"id": "d", "name": "Other", "abbreviation": "wmp", "type": "police"},      # abbreviation is case-sensitive
    ])
    gold = case(agencies=[
        {"id": "p", "name": "Staffordshire Police", "type": "police"},
        {"id": "s", "name": "South Staffs Healthcare", "abbreviation": "SSSHFT", "type": "mental_health"},
        {"id": "w", "name": "Warwickshire County Council", "type": "other"},
        {"id": "m", "name": "West Midlands Police", "abbreviation": "WMP", "type": "police"},
    ])
    s = score_case(draft, gold).sections["agencies"]
    assert s.pairs == [(0, 0), (1, 1), (2, 2)]


PEOPLE_D = [{"id": "m", "name": "Mum"}, {"id": "k", "name": "Kid"}, {"id": "u", "name": "Uncle"}]
PEOPLE_G = [{"id": "M", "name": "mum"}, {"id": "K", "name": "kid"}, {"id": "U", "name": "uncle"}]


def test_relationships_need_type_and_both_ends_direction_for_directed_types():
    draft = case(persons=PEOPLE_D, relationships=[
        {"type": "parent", "from": "k", "to": "m"},      # wrong direction: no match
        {"type": "parent", "from": "m", "to": "k"},      # match
        {"type": "sibling", "from": "u", "to": "m"},     # symmetric: reversed order matches
        {"type": "abuse", "from": "m", "to": "u"},       # abuse is directed: reversed does not
        {"type": "friend", "from": "m", "to": "k"},      # type differs from gold's partner
    ])
    gold = case(persons=PEOPLE_G, relationships=[
        {"type": "parent", "from": "M", "to": "K"},
        {"type": "sibling", "from": "M", "to": "U"},
        {"type": "abuse", "from": "U", "to": "M"},
        {"type": "partner", "from": "M", "to": "K"},
    ])
    s = score_case(draft, gold).sections["relationships"]
    assert s.pairs == [(1, 0), (2, 1)]


def test_relative_and_carer_are_directed():
    draft = case(persons=PEOPLE_D, relationships=[
        {"type": "relative", "from": "k", "to": "u", "label": "nephew"},
        {"type": "carer", "from": "m", "to": "k"},
    ])
    gold = case(persons=PEOPLE_G, relationships=[
        {"type": "relative", "from": "U", "to": "K", "label": "uncle"},
        {"type": "carer", "from": "M", "to": "K"},
    ])
    s = score_case(draft, gold).sections["relationships"]
    assert s.pairs == [(1, 1)]


AG_D = [{"id": "pol", "name": "Staffordshire Police", "type": "police"}, {"id": "gp", "name": "GP", "type": "gp"}]
AG_G = [{"id": "P", "name": "Staffordshire Police", "type": "police"}, {"id": "G", "name": "Surgery", "type": "gp"}]


def test_events_match_on_date_at_the_lesser_precision_and_agency():
    draft = case(agencies=AG_D, events=[
        {"id": "e1", "date": "2011-10-05", "type": "arrest", "agency": "pol"},   # gold 2011-10: agrees
        {"id": "e2", "date": "2011", "type": "other"},                            # gold 2011-03-02, both no agency
        {"id": "e3", "date": "2011-11", "type": "call", "agency": "pol"},         # month differs
        {"id": "e4", "date": "2012-01-01", "type": "appointment", "agency": "gp"},  # agencies do not match
        {"id": "e5", "date": "2012-02-02", "type": "call"},                       # gold has an agency, draft none
    ])
    gold = case(agencies=AG_G, events=[
        {"id": "g1", "date": "2011-10", "type": "incident", "agency": "P"},
        {"id": "g2", "date": "2011-03-02", "type": "life_event"},
        {"id": "g3", "date": "2011-12", "type": "call", "agency": "P"},
        {"id": "g4", "date": "2012-01-01", "type": "appointment", "agency": "G"},
        {"id": "g5", "date": "2012-02-02", "type": "call", "agency": "P"},
    ])
    s = score_case(draft, gold).sections["events"]
    assert s.pairs == [(0, 0), (1, 1)]


def test_review_process_events_are_left_out_of_both_sides():
    draft = case(events=[{"id": "a", "date": "2012", "type": "review_process"}, {"id": "b", "date": "2012", "type": "other"}])
    gold = case(events=[{"id": "g", "date": "2012", "type": "review_process"}])
    s = score_case(draft, gold).sections["events"]
    assert (s.drafted, s.gold, s.matched) == (1, 0, 0)
    assert s.recall == 0.0 and s.precision == 0.0


def test_recommendations_match_on_id_or_overlapping_source():
    draft = case(recommendations=[
        {"id": "R1", "text": "t", "source": "9.9"},            # id equal after normalising
        {"id": "x", "text": "t", "source": "2.18"},           # inside gold's 2.17-2.20
        {"id": "y", "text": "t", "source": "4.4"},            # 4.4 holds 4.4.1
        {"id": "z", "text": "t", "source": "Appendix A 2.1"},  # other prefix: no overlap with 2.1
    ])
    gold = case(recommendations=[
        {"id": "r1", "text": "t"},
        {"id": "P-1", "text": "t", "source": "2.17-2.20"},
        {"id": "P-2", "text": "t", "source": "4.4.1"},
        {"id": "P-3", "text": "t", "source": "2.1"},
    ])
    s = score_case(draft, gold).sections["recommendations"]
    assert s.pairs == [(0, 0), (1, 1), (2, 2)]


def test_refs_overlap_rules():
    assert refs_overlap("2.17-2.20, 3.4", "3.4")
    assert refs_overlap("264", "264")
    assert not refs_overlap("264", "265")
    assert refs_overlap("Action plan: IMR recommendations, West Midlands Police No 1",
                        "Action plan: IMR recommendations, West Midlands Police No 1")
    assert not refs_overlap("Action plan: IMR recommendations, West Midlands Police No 1",
                            "Action plan: IMR recommendations, West Midlands Police No 2")
    assert refs_overlap("title page", "Title page")
    assert not refs_overlap(None, "2.1")


def test_households_need_every_drafted_member_and_half_the_gold_members():
    persons_d = PEOPLE_D + [{"id": "z", "name": "Stranger"}]
    draft = case(persons=persons_d, households=[
        {"id": "h1", "members": ["m"]},                 # 1 of 2 gold members: half is enough
        {"id": "h2", "members": ["m", "z"]},            # z matches no gold member
        {"id": "h3", "members": [{"person": "u", "start": "2010"}]},  # 1 of 3: not half
    ])
    gold = case(persons=PEOPLE_G, households=[
        {"id": "g1", "members": ["M", "K"]},
        {"id": "g2", "members": ["M", "U", "K"]},
    ])
    s = score_case(draft, gold).sections["households"]
    assert s.pairs == [(0, 0)]


def test_review_share_compares_fields_and_dates_at_gold_precision():
    draft = case()
    draft["review"] = {"id": "x", "chair": "The Chris Few", "homicide_date": "2011-10-05",
                       "review_period": {"start": "2003", "end": "2011-10-09"}, "title": "Other"}
    gold = case()
    gold["review"] = {"id": "x", "chair": "Chris Few", "homicide_date": "2011-10",
                      "review_period": {"start": "2003-01-01", "end": "2011-10"}, "title": "A title"}
    r = score_case(draft, gold).review
    assert r.detail == {"id": True, "chair": True, "homicide_date": True, "review_period.start": False,
                        "review_period.end": True, "title": False}
    assert r.share == pytest.approx(4 / 6)


def test_overall_is_the_mean_f1_of_four_sections():
    draft = case(persons=[{"id": "a", "name": "A"}], agencies=[{"id": "p", "name": "Police", "type": "police"}])
    gold = case(persons=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
                agencies=[{"id": "p", "name": "Police", "type": "police"}])
    s = score_case(draft, gold)
    persons_f1 = 2 * 1.0 * 0.5 / 1.5
    # relationships and events: nothing drafted, nothing gold -> F1 1.0
    assert s.overall == pytest.approx((persons_f1 + 1.0 + 1.0 + 1.0) / 4)


def test_score_extract_cli(tmp_path):
    import yaml
    from typer.testing import CliRunner

    from dhrkg.cli import app

    d, g = tmp_path / "d.yaml", tmp_path / "g.yaml"
    d.write_text(yaml.safe_dump(case(persons=[{"id": "a", "name": "A"}])))
    g.write_text(yaml.safe_dump(case(persons=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}])))
    out = CliRunner().invoke(app, ["score-extract", str(d), str(g), "--json"])
    assert out.exit_code == 0, out.output
    import json
    data = json.loads(out.output)
    assert data["sections"]["persons"] == {"drafted": 1, "gold": 2, "matched": 1, "precision": 1.0,
                                           "recall": 0.5, "f1": pytest.approx(0.6667, abs=1e-4)}
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: dhr-case/1\nreview: {}\n")
    out = CliRunner().invoke(app, ["score-extract", str(bad), str(g)])
    assert out.exit_code == 1 and "bad.yaml" in out.output
