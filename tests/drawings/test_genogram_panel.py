"""People with no family link go in a side panel that says why they are in the review (issue 16)."""

from __future__ import annotations

from pathlib import Path

from dhrkg.model import load_case
from dhrkg.visualisation import GenogramOptions, genogram_svg

from support.svg_geometry import check_drawing, read

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
    tree_right = max(g.symbol[2] for pid, g in d.persons.items() if pid not in _panel(d))
    tree_bottom = max(g.symbol[3] for pid, g in d.persons.items() if pid not in _panel(d))
    for pid in _panel(d):
        g = d.persons[pid]
        assert g.symbol[0] > tree_right or g.symbol[1] > tree_bottom, f"{pid} is not beside the tree"


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
