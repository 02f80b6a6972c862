"""The contact network ("who knew what"), checked on the SVG against counts from the case files."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dhrkg.model import load_case
from dhrkg.model.homicide import homicide_bound, is_before
from dhrkg.visualisation import NetworkOptions, network_svg

from support.colour import deuteranope_lab, lab
from support.svg_geometry import boxes_overlap, text_box

NS = "{http://www.w3.org/2000/svg}"
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


def expected_contacts(case, before=None) -> dict[tuple[str, str], int]:
    """(person, agency) -> events the agency recorded or took part in that involved the person
    (only those ending before the day ``before``, when given)."""
    agencies = {a.id for a in case.agencies}
    out: dict[tuple[str, str], int] = {}
    for e in case.events:
        if before is not None and not is_before(e, before):
            continue
        people = set(e.persons)
        if e.abuse:
            people |= {x for x in (e.abuse.perpetrator, e.abuse.victim) if x} | set(e.abuse.victims or [])
        for a in {e.agency, *e.other_agencies} & agencies:
            for p in people:
                out[(p, a)] = out.get((p, a), 0) + 1
    return out


def parse(svg: str):
    root = ET.fromstring(svg)
    body = root.find(f".//{NS}g[@id='network']")
    m = re.match(r"translate\(([-0-9.]+) ([-0-9.]+)\)", body.get("transform"))
    dx, dy = float(m.group(1)), float(m.group(2))
    contacts = [p for p in root.iter(f"{NS}path") if p.get("data-kind") == "contact"]
    agencies = {g.get("data-id"): g for g in root.iter(f"{NS}g") if g.get("data-kind") == "agency"}
    areas = {r.get("data-area"): r for r in root.iter(f"{NS}rect") if r.get("data-kind") == "area"}
    persons = {g.get("data-id"): g for g in root.iter(f"{NS}g") if g.get("data-kind") == "person"}
    return root, contacts, agencies, areas, persons, (dx, dy)


def rect(el) -> tuple[float, float, float, float]:
    x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
    return (x, y, x + w, y + h)


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def gold(request):
    return load_case(request.param)


def test_every_contact_is_drawn_with_its_count(gold):
    root, contacts, agencies, areas, persons, _ = parse(network_svg(gold))
    drawn = {(p.get("data-person"), p.get("data-agency")): int(p.get("data-count")) for p in contacts}
    assert drawn == expected_contacts(gold)
    assert len(drawn) == len(contacts), "a contact drawn twice"
    # the line is wider the more contacts there were
    widths = sorted((int(p.get("data-count")), float(p.get("stroke-width"))) for p in contacts)
    for (c1, w1), (c2, w2) in zip(widths, widths[1:]):
        assert (w1 < w2) if c1 < c2 else (w1 == w2)


def test_agencies_that_saw_both_are_highlighted(gold):
    """Saw both = contacts with victim and perpetrator before the homicide (the trial court
    and the police's homicide investigation are not missed chances)."""
    root, contacts, agencies, areas, persons, _ = parse(network_svg(gold))
    exp = expected_contacts(gold, before=homicide_bound(gold))
    victims = {p.id for p in gold.persons if "victim" in p.roles}
    perps = {p.id for p in gold.persons if "perpetrator" in p.roles}
    for aid, g in agencies.items():
        both = any((v, aid) in exp for v in victims) and any((p, aid) in exp for p in perps)
        assert (g.get("data-saw-both") == "true") == both, aid
        assert any(c.get("data-role") == "highlight" for c in g) == both, aid
    assert any(g.get("data-saw-both") == "true" for g in agencies.values())
    if gold.review.id == "north-worcs-dhr-7":  # the murder trial; West Mercia's homicide, charge, notice
        assert {aid for aid, g in agencies.items() if g.get("data-saw-both") == "true"} == {"heft", "nhse-arden"}


def test_agencies_grouped_by_force_area_and_coloured_by_type(gold):
    root, contacts, agencies, areas, persons, _ = parse(network_svg(gold))
    by_id = {a.id: a for a in gold.agencies}
    colours: dict[str, set] = {}
    for aid, g in agencies.items():
        area = by_id[aid].police_force_area or g.get("data-area")
        assert g.get("data-area") == area
        if not by_id[aid].police_force_area:
            assert g.get("data-area-source") in ("events", "name", "none"), aid
        box = rect(next(c for c in g if c.get("data-role") == "box"))
        outer = rect(areas[area])
        assert outer[0] <= box[0] and box[2] <= outer[2] and outer[1] <= box[1] and box[3] <= outer[3], aid
        for other, r in areas.items():
            if other != area:
                assert not boxes_overlap(box, rect(r)), f"{aid} also inside {other}"
        bar = next(c for c in g if c.get("data-role") == "type-bar")
        colours.setdefault(g.get("data-group"), set()).add(bar.get("fill"))
    assert all(len(c) == 1 for c in colours.values()), "one type group, several colours"
    flat = [next(iter(c)) for c in colours.values()]
    assert len(set(flat)) == len(flat), "two type groups share a colour"


def test_lines_join_people_to_agencies_and_labels_do_not_overlap(gold):
    svg = network_svg(gold)
    root, contacts, agencies, areas, persons, (dx, dy) = parse(svg)
    index = {p.id: p.id for p in gold.persons}
    for p in contacts:
        nums = [float(v) for v in re.findall(r"-?[0-9.]+", p.get("d"))]
        end = (nums[-2], nums[-1])  # the last point
        g = agencies[p.get("data-agency")]
        box = rect(next(c for c in g if c.get("data-role") == "box"))
        assert abs(end[0] - box[0]) < 0.6 and box[1] <= end[1] <= box[3]
        assert p.get("data-person") in persons
    body = root.find(f".//{NS}g[@id='network']")
    inner = set(body.iter(f"{NS}text"))
    texts = []
    for t in root.iter(f"{NS}text"):
        b = text_box(t)
        texts.append((b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy) if t in inner else b)
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert not boxes_overlap(a, b)


def test_publication_ids_and_all_agencies_option():
    case = load_case(EXAMPLES[1])
    svg = network_svg(case, NetworkOptions(publication=True))
    assert 'data-person="Victim"' not in svg and 'data-person="p1"' in svg
    with_all = parse(network_svg(case, NetworkOptions(all_agencies=True)))[2]
    assert set(with_all) == {a.id for a in case.agencies}
    assert network_svg(case) == network_svg(case)


def _path_samples(d: str, n: int = 40) -> list[tuple[float, float]]:
    nums = [float(v) for v in re.findall(r"-?[0-9.]+", d)]
    x0, y0, x1, y1, c1x, c1y, c2x, c2y, x2, y2, x3, y3 = nums
    pts = [(x0 + (x1 - x0) * t / 10, y0) for t in range(11)]
    pts += [(x2 + (x3 - x2) * t / 10, y2) for t in range(11)]
    for k in range(n + 1):
        t = k / n
        u = 1 - t
        pts.append((u ** 3 * x1 + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t ** 3 * x2,
                    u ** 3 * y1 + 3 * u * u * t * c1y + 3 * u * t * t * c2y + t ** 3 * y2))
    return pts


def test_contact_lines_cross_no_label_or_box(gold):
    root, contacts, agencies, areas, persons, _ = parse(network_svg(gold))
    boxes = [text_box(t) for g in list(persons.values()) + list(agencies.values()) for t in g if t.tag == f"{NS}text"]
    boxes += [text_box(t) for t in root.iter(f"{NS}text") if t.get("data-role") == "area-label"]
    boxes += [rect(next(c for c in g if c.get("data-role") == "box")) for g in agencies.values()]
    for p in contacts:
        for x, y in _path_samples(p.get("d"))[1:-1]:
            for b in boxes:
                assert not (b[0] + 1 < x < b[2] - 1 and b[1] + 1 < y < b[3] - 1), \
                    f"contact {p.get('data-person')}->{p.get('data-agency')} crosses a label or box"


# --- issue 16: what a chair pastes unchanged


def test_type_colours_stay_apart_in_greyscale_and_for_deuteranopes():
    import itertools
    import math

    from dhrkg.visualisation.network import AGENCY_GROUPS

    colours = {name: colour for name, colour, _ in AGENCY_GROUPS}
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        grey = abs(lab(ca)[0] - lab(cb)[0])
        assert grey >= 7.0, f"{a} and {b} print as near the same grey (dL* {grey:.1f})"
        assert math.dist(lab(ca), lab(cb)) >= 20.0, f"{a} and {b} look alike"
        seen = math.dist(deuteranope_lab(ca), deuteranope_lab(cb))
        assert seen >= 14.0, f"{a} and {b} look alike to a deuteranope (dE {seen:.1f})"
    # the check can fail: the old housing and substance-misuse browns
    assert math.dist(lab("#8d6e63"), lab("#795548")) < 20.0
    assert math.dist(deuteranope_lab("#8d6e63"), deuteranope_lab("#795548")) < 14.0


def test_victims_lines_are_drawn_over_the_perpetrators():
    case = load_case(EXAMPLES[1])
    root, contacts, *_ = parse(network_svg(case))
    order = [c.get("data-person") for c in contacts]
    victims = {p.id for p in case.persons if "victim" in p.roles}
    perps = {p.id for p in case.persons if "perpetrator" in p.roles}
    last_perp = max(k for k, p in enumerate(order) if p in perps)
    assert all(k > last_perp for k, p in enumerate(order) if p in victims)


def test_unborn_child_is_a_triangle_as_in_the_genogram():
    case = load_case(EXAMPLES[1])
    root, contacts, agencies, areas, persons, _ = parse(network_svg(case))
    unborn = [p.id for p in case.persons if p.unborn and p.id in persons]
    assert unborn
    for pid in unborn:
        g = persons[pid]
        assert g.get("data-shape") == "triangle"
        symbol = next(c for c in g if c.get("data-role") == "symbol")
        assert symbol.tag == f"{NS}polygon" and len(symbol.get("points").split()) == 3


def test_area_from_the_case_file_else_events_or_name_and_missing_shown():
    from dhrkg.model import CaseFile
    from dhrkg.visualisation.network import AREA_MARK, NO_AREA, contact_network

    case = load_case(EXAMPLES[1])
    data = case.model_dump(by_alias=True, exclude_none=True, mode="json")
    data["agencies"].append({"id": "bcc", "name": "Birmingham Crown Court annex", "type": "court"})
    data["agencies"].append({"id": "nowhere", "name": "Crown Court (unnamed)", "type": "court"})
    data["events"].append({"id": "ev-x", "date": "2013-01-01", "type": "court", "agency": "bcc", "persons": ["Perpetrator"]})
    data["events"].append({"id": "ev-y", "date": "2013-01-02", "type": "court", "agency": "nowhere", "persons": ["Perpetrator"]})
    case = CaseFile.model_validate(data)
    net = contact_network(case)
    assert (net.areas["wmerp"], net.area_source["wmerp"]) == ("West Mercia", "file")
    assert (net.areas["bcc"], net.area_source["bcc"]) == ("West Midlands", "name")
    assert (net.areas["nowhere"], net.area_source["nowhere"]) == (NO_AREA, "none")
    root, contacts, agencies, areas, persons, _ = parse(network_svg(case))
    labels = " ".join(t.text for t in agencies["bcc"].iter(f"{NS}text"))
    assert labels.endswith(AREA_MARK), "an area not from the case file is not marked"
    assert NO_AREA in areas, "agencies with no area are not shown as such"
    assert any(AREA_MARK == t.text for t in root.iter(f"{NS}text") if t.get("data-role") == "legend")
