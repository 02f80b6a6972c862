"""Genograms of the hard cases (tests/fixtures/genogram/), checked on the SVG geometry."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest
import yaml

from dhrkg.model import load_case
from dhrkg.visualisation import FamilyError, GenogramOptions, genogram_svg

from support.svg_geometry import arrow_tip, check_drawing, read

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "genogram"
SMALL = sorted(p for p in FIXTURES.glob("*.yaml") if p.name != "family-300.yaml")


def _case(name: str):
    return load_case(FIXTURES / name)


@pytest.mark.parametrize("households", ["current", "all"])
@pytest.mark.parametrize("path", SMALL, ids=lambda p: p.stem)
def test_fixture_geometry(path, households):
    case = load_case(path)
    problems = check_drawing(case, read(genogram_svg(case, GenogramOptions(households=households))), households=households)
    assert not problems, "\n".join(problems)


def _partner_order(d, person: str, partners: list[str]) -> list[str]:
    """Partners of ``person`` as they read away from them: [nearest..farthest] on each side."""
    me = d.persons[person].cx
    left = sorted((p for p in partners if d.persons[p].cx < me), key=lambda p: me - d.persons[p].cx)
    right = sorted((p for p in partners if d.persons[p].cx > me), key=lambda p: d.persons[p].cx - me)
    return left, right


def test_three_and_four_partners_in_date_order_current_adjacent():
    case = _case("multi-partners.yaml")
    d = read(genogram_svg(case))
    # Alan: Beth (1990) -> Cara (2001) -> Dana (2010, current)
    left, right = _partner_order(d, "alan", ["beth", "cara", "dana"])
    ordered = [d.persons[p].cx for p in ("beth", "cara", "dana")]
    assert ordered == sorted(ordered) or ordered == sorted(ordered, reverse=True), "partnerships not in date order"
    assert "dana" in (left[:1] + right[:1]), "the current partner is not next to Alan"
    # Erin: Fred (1995), Gary (1998), Hugh (2004), Ian (2012, current)
    xs = [d.persons[p].cx for p in ("fred", "gary", "hugh", "ian")]
    assert xs == sorted(xs) or xs == sorted(xs, reverse=True)
    left, right = _partner_order(d, "erin", ["fred", "gary", "hugh", "ian"])
    assert "ian" in (left[:1] + right[:1])
    # staggered: couple lines to farther partners run deeper
    levels = {frozenset((c["data-from"], c["data-to"])): int(c["data-level"]) for c in d.couples}
    assert levels[frozenset(("erin", "fred"))] > levels[frozenset(("erin", "gary"))] > levels[frozenset(("erin", "hugh"))]
    # Beth's own new partner sits on her far side, not between her and Alan
    assert (d.persons["kurt"].cx - d.persons["beth"].cx) * (d.persons["alan"].cx - d.persons["beth"].cx) < 0
    # every child hangs from the right couple (also checked generally): one sibship per couple
    parents = {frozenset(s["data-parents"].split()) for s in d.sibships}
    assert {frozenset(p) for p in (("alan", "beth"), ("alan", "cara"), ("alan", "dana"), ("beth", "kurt"))} <= parents


def test_same_sex_parents():
    case = _case("same-sex.yaml")
    d = read(genogram_svg(case))
    assert d.persons["mo"].attrs["data-shape"] == d.persons["ni"].attrs["data-shape"] == "circle"
    assert d.persons["ray"].attrs["data-shape"] == d.persons["sam"].attrs["data-shape"] == "square"
    mothers = next(s for s in d.sibships if set(s["data-parents"].split()) == {"mo", "ni"})
    assert set(mothers["children"]) == {"ol", "pip"}
    fathers = next(s for s in d.sibships if set(s["data-parents"].split()) == {"ray", "sam"})
    assert fathers["children"]["tom"]["attrs"]["data-link"] == "adoptive"
    assert fathers["children"]["ugo"]["attrs"]["data-link"] == "biological"
    # the donor is a single parent: his line starts at his own symbol
    donor = next(s for s in d.sibships if s["data-parents"] == "don")
    assert set(donor["children"]) == {"pip"}


def test_twins_hang_from_one_point():
    case = _case("twins.yaml")
    d = read(genogram_svg(case))
    s = next(s for s in d.sibships if set(s["data-parents"].split()) == {"fa", "ma"})
    a, b = s["children"]["tw1"]["points"][0], s["children"]["tw2"]["points"][0]
    assert a == b, "twins' lines do not start at one point"
    assert s["children"]["old"]["points"][0] != a
    assert s["children"]["tw1"]["attrs"]["data-twins"] == "tw1 tw2"
    triplets = next(s for s in d.sibships if set(s["data-parents"].split()) == {"gm", "gf"})
    starts = {triplets["children"][t]["points"][0] for t in ("tr1", "tr2", "tr3")}
    assert len(starts) == 1
    assert triplets["children"]["ma"]["points"][0] not in starts
    assert "twins" in {g.get("data-entry") for g in d.root.iter("{http://www.w3.org/2000/svg}g")}


def test_adoption_and_foster_lines_and_tags():
    case = _case("adoption-foster.yaml")
    svg = genogram_svg(case)
    d = read(svg)
    adoptive = next(s for s in d.sibships if set(s["data-parents"].split()) == {"ap1", "ap2"})
    assert adoptive["children"]["ad"]["attrs"]["data-link"] == "adoptive"
    assert adoptive["children"]["ad"]["attrs"]["stroke-dasharray"] == "5 3"
    assert adoptive["children"]["fc"]["attrs"]["data-link"] == "foster"
    assert adoptive["children"]["fc"]["attrs"]["stroke-dasharray"] == "2 2.5"
    assert adoptive["children"]["own"]["attrs"]["data-link"] == "biological"
    birth = next(s for s in d.sibships if set(s["data-parents"].split()) == {"bm", "bf"})
    assert birth["children"]["ad"]["attrs"]["data-link"] == "biological"
    tags = {(t["owner"], t["text"]) for t in d.texts if t["role"] == "tag"}
    assert ("ad", "A") in tags and ("fc", "F") in tags and ("sad", "A") in tags
    assert not any(owner == "own" for owner, _ in tags)


def test_step_parents_get_no_child_line():
    case = _case("step.yaml")
    d = read(genogram_svg(case))
    for s in d.sibships:
        if "kid" in s["children"]:
            assert set(s["data-parents"].split()) == {"mum", "exh"}
        if "sdkid" in s["children"]:
            assert set(s["data-parents"].split()) == {"stepdad", "sdex"}
    # the stepfather is drawn as Mum's partner, and Mum has two couple lines
    pairs = {frozenset((c["data-from"], c["data-to"])) for c in d.couples}
    assert frozenset(("mum", "stepdad")) in pairs and frozenset(("mum", "exh")) in pairs


def test_unborn_children():
    case = _case("unborn.yaml")
    d = read(genogram_svg(case))
    ub, ub2 = d.persons["ub"], d.persons["ub2"]
    assert ub.attrs["data-shape"] == ub2.attrs["data-shape"] == "triangle"
    assert ub.cross and ub.attrs["data-lost"] == "true", "the unborn child lost with the victim is not crossed"
    assert not ub2.cross
    assert ub.labels[-1] == "20 wks" and ub.labels[0] == "Unborn baby", "unborn said twice"
    line = next(s["children"]["ub"] for s in d.sibships if "ub" in s["children"])
    assert line["attrs"]["stroke-dasharray"] == "2 2.5"
    assert (ub.symbol[3] - ub.symbol[1]) < (d.persons["son"].symbol[3] - d.persons["son"].symbol[1]), "triangle is not small"


def test_childless_couples():
    case = _case("childless.yaml")
    d = read(genogram_svg(case))
    assert not d.sibships
    kinds = {frozenset((c["data-from"], c["data-to"])): (c["data-couple-kind"], c["slashes"]) for c in d.couples}
    assert kinds[frozenset(("w", "h"))] == ("married", 1)
    assert kinds[frozenset(("w", "d"))] == ("dating", 2)
    assert kinds[frozenset(("h", "c"))] == ("cohabiting", 2)


def test_half_siblings_on_both_sides():
    case = _case("half-siblings.yaml")
    d = read(genogram_svg(case))
    by_parents = {frozenset(s["data-parents"].split()): set(s["children"]) for s in d.sibships}
    assert by_parents[frozenset(("mum", "dad"))] == {"v", "fs"}
    assert by_parents[frozenset(("mum", "mum2"))] == {"mh1", "mh2"}
    assert by_parents[frozenset(("dad", "dad2"))] == {"ph1", "ph2"}
    # Mum's and Dad's other partners are on their far sides
    x = {p: d.persons[p].cx for p in ("mum", "dad", "mum2", "dad2")}
    assert (x["mum2"] - x["mum"]) * (x["dad"] - x["mum"]) < 0
    assert (x["dad2"] - x["dad"]) * (x["mum"] - x["dad"]) < 0


def test_familial_homicide_arrow_points_up_at_the_mother():
    case = _case("familial-homicide.yaml")
    d = read(genogram_svg(case))
    son, mother = d.persons["son"], d.persons["mother"]
    assert mother.cy < son.cy
    line = next(a for a in d.abuse if a["data-from"] == "son" and a["data-to"] == "mother")
    tip, base = arrow_tip(line["arrow"])
    assert mother.symbol[0] <= tip[0] <= mother.symbol[2] and abs(tip[1] - mother.symbol[1]) < 15
    assert math.dist(base, (mother.cx, mother.cy)) > math.dist(tip, (mother.cx, mother.cy))
    # the carer (not family) is in the side panel, not on a line across the family; her name
    # ("Mother's carer") says whose carer she is, so nothing is added
    assert d.persons["carer"].attrs.get("data-panel") == "true"
    assert not d.relations and not any(n["owner"] == "carer" for n in d.notes)


def test_person_centred_view():
    case = _case("half-siblings.yaml")
    d = read(genogram_svg(case, GenogramOptions(person="v", up=1, down=0)))
    assert {"v", "mum", "dad", "fs", "mh1", "mh2", "ph1", "ph2", "p"} <= set(d.persons)
    problems = check_drawing(case, d, whole=False)
    assert not problems, "\n".join(problems)
    d0 = read(genogram_svg(case, GenogramOptions(person="v", up=0, down=0)))
    assert "mum" not in d0.persons and "p" in d0.persons


def test_person_centred_view_keeps_perpetrators_former_partners():
    case = _case("unborn.yaml")
    d = read(genogram_svg(case, GenogramOptions(person="vic", up=0, down=0)))
    assert {"ex", "son"} <= set(d.persons), "the perpetrator's former partner and their child are missing"
    d = read(genogram_svg(case, GenogramOptions(person="vic", up=0, down=0, perpetrator_partners=False)))
    assert "son" not in d.persons


def test_unknown_centre_person_is_an_error():
    with pytest.raises(FamilyError, match="no person with id 'nobody'"):
        genogram_svg(_case("twins.yaml"), GenogramOptions(person="nobody"))


def test_family_300_file_is_what_the_generator_makes():
    spec = importlib.util.spec_from_file_location("make_family", FIXTURES / "make_family.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = yaml.safe_load((FIXTURES / "family-300.yaml").read_text())
    assert committed == module.make_family(300)
    assert len(committed["persons"]) >= 300


def test_family_300_geometry():
    case = _case("family-300.yaml")
    svg = genogram_svg(case)
    problems = check_drawing(case, read(svg))
    assert not problems, "\n".join(problems[:40])
