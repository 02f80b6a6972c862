"""People with no family link go in a side panel that says why they are in the review (issue 16)."""

from __future__ import annotations

from pathlib import Path

from dhrkg.model import load_case
from dhrkg.visualisation import GenogramOptions, genogram_svg

from support.svg_geometry import check_drawing, polyline_hits_box, read

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _drawing(name: str, **opts):
    case = load_case(EXAMPLES / name)
    return case, read(genogram_svg(case, GenogramOptions(**opts)))


def _panel(d) -> set[str]:
    return {pid for pid, g in d.persons.items() if g.attrs.get("data-panel") == "true"}


def test_people_without_family_links_are_in_the_panel_not_the_rows():
    case, d = _drawing("001_24bc3f827734f2c4.yaml")
    assert _panel(d) == {"perp_friend", "drug_dealer", "neighbour"}
    assert not d.relations, "no line runs across the family to someone in the panel"
    assert_panel_apart(d)


def assert_panel_apart(d) -> None:
    """The panel is a region of its own (beside, below or in an empty corner of the tree): no one
    of the tree, none of their labels and no line of any kind inside the box round it."""
    panel = _panel(d)
    boxes = [d.persons[p].symbol for p in panel] + [t["box"] for t in d.texts if t["owner"] in panel]
    region = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    others = [g.symbol for pid, g in d.persons.items() if pid not in panel]
    others += [t["box"] for t in d.texts if t["owner"] not in panel and t["owner"] not in ("title", "legend")]
    for b in others:
        assert b[2] < region[0] or b[0] > region[2] or b[3] < region[1] or b[1] > region[3], f"{b} inside the panel"
    for line in d.lines:
        assert not polyline_hits_box(line["points"], region), f"a {line['kind']} line runs through the panel"


def test_someone_with_no_relation_says_why_they_are_there():
    _, d = _drawing("001_24bc3f827734f2c4.yaml")
    why = [n["text"] for n in d.notes if n["owner"] == "neighbour"]
    assert " ".join(why) == "named in 1 event of the chronology"


def test_abuse_of_someone_in_the_panel_is_written_with_its_line_sample():
    case, d = _drawing("003_6dddf133ef4ab455.yaml")
    notes = [n for n in d.notes if n["owner"] == "extended-family-member-2006"]
    assert any(n["swatch"] == "#b3001b" for n in notes), "no physical-abuse sample"
    assert any(n["text"] and n["text"].startswith("physical abuse by") for n in notes)
    assert not check_drawing(case, d)


def test_victims_perpetrators_and_household_members_stay_in_the_tree():
    case = load_case(EXAMPLES / "000_758f327280f4e0aa.yaml")
    data = case.model_dump(by_alias=True, exclude_none=True)
    data["households"].append({"id": "hh-lodger", "members": [{"person": "friend"}, {"person": "S"}]})
    case = type(case).model_validate(data)
    d = read(genogram_svg(case, GenogramOptions(households="all")))
    assert "friend" not in _panel(d)
    assert not check_drawing(case, d, households="all")


def test_panel_in_the_trees_empty_corner_when_that_prints_larger():
    """001: the tree's bottom-left corner is empty (no one under S4 and S5, left of S3): the panel
    goes there, clear of everything, and the key beside it under the tree."""
    _, d = _drawing("001_24bc3f827734f2c4.yaml")
    assert_panel_apart(d)
    tree_bottom = max(g.symbol[3] for pid, g in d.persons.items() if pid not in _panel(d))
    assert min(d.persons[p].symbol[1] for p in _panel(d)) < tree_bottom, "not in the tree's corner"
    key_top = min(t["box"][1] for t in d.texts if t["owner"] == "legend")
    panel_right = max(t["box"][2] for t in d.texts if t["owner"] in _panel(d))
    key_left = min(t["box"][0] for t in d.texts if t["owner"] == "legend")
    assert key_left > panel_right and key_top > tree_bottom, "the key is not beside the panel, under the tree"


def test_panel_apart_from_the_tree_in_every_example_and_generated_family():
    from support.random_family import random_review
    drawings = [_drawing(p.name)[1] for p in sorted(EXAMPLES.glob("*.yaml"))]
    drawings += [read(genogram_svg(random_review(seed))) for seed in range(12)]
    with_panel = [d for d in drawings if _panel(d)]
    assert len(with_panel) >= 2
    for d in with_panel:
        assert_panel_apart(d)
