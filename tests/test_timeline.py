"""The chronology timeline, checked on the SVG against the case files."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dhrkg.ingest.casefile import load_case
from dhrkg.visualisation import TimelineError, TimelineOptions, timeline_svg

from test_genogram_helpers import boxes_overlap, element_box

NS = "{http://www.w3.org/2000/svg}"
EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


def parse(svg: str):
    root = ET.fromstring(svg)
    events = {g.get("data-id"): g for g in root.iter(f"{NS}g") if g.get("data-kind") == "event"}
    lanes = {r.get("data-agency"): r for r in root.iter(f"{NS}rect") if r.get("data-kind") == "lane"}
    return root, events, lanes


def mid(d) -> dt.date:
    return d.earliest + (d.latest - d.earliest) / 2


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def gold(request):
    return load_case(request.param)


def test_one_lane_per_agency_and_every_event_in_its_lane(gold):
    root, events, lanes = parse(timeline_svg(gold))
    agencies = {a.id for a in gold.agencies}
    want = {e.agency if e.agency in agencies else "" for e in gold.events}
    assert set(lanes) == want
    assert set(events) == {e.id for e in gold.events}
    for e in gold.events:
        g = events[e.id]
        lane = lanes[e.agency if e.agency in agencies else ""]
        y0, y1 = float(lane.get("y")), float(lane.get("y")) + float(lane.get("height"))
        glyph = next(c for c in g if c.get("data-role") == "glyph")
        box = element_box(glyph) if glyph.tag != f"{NS}path" else None
        if box:
            assert y0 <= box[1] and box[3] <= y1, f"{e.id} outside its lane"
    for agency, lane in lanes.items():
        assert int(lane.get("data-events")) == sum(1 for e in gold.events if (e.agency if e.agency in agencies else "") == agency)


def test_events_placed_on_the_time_axis_and_homicide_marked(gold):
    svg = timeline_svg(gold)
    root, events, lanes = parse(svg)
    t0, t1 = (dt.date.fromisoformat(root.get(k)) for k in ("data-t0", "data-t1"))
    x0, width = float(root.get("data-plot-x")), float(root.get("data-plot-w"))

    def xof(d: dt.date) -> float:
        return x0 + width * (d - t0).days / (t1 - t0).days

    for e in gold.events:
        assert abs(float(events[e.id].get("data-x")) - xof(mid(e.date))) < 0.02, e.id
    order = sorted(gold.events, key=lambda e: mid(e.date))
    xs = [float(events[e.id].get("data-x")) for e in order]
    assert xs == sorted(xs)
    marker = next(p for p in root.iter(f"{NS}path") if p.get("data-kind") == "homicide-marker")
    assert abs(float(marker.get("data-x")) - xof(mid(gold.review.homicide_date))) < 0.02


def test_glyphs_by_type_and_risk_colours(gold):
    root, events, lanes = parse(timeline_svg(gold))
    shape_of: dict[str, set] = {}
    fill_of: dict[str | None, set] = {}
    for e in gold.events:
        glyph = next(c for c in events[e.id] if c.get("data-role") == "glyph")
        shape_of.setdefault(e.type, set()).add(glyph.get("data-glyph"))
        if e.type in ("risk_assessment", "marac", "mappa"):
            assert glyph.get("data-glyph") == "diamond"
            fill_of.setdefault(e.risk.level if e.risk else None, set()).add(glyph.get("fill"))
        if e.type == "homicide":
            assert glyph.get("data-glyph") == "star"
    assert all(len(s) == 1 for s in shape_of.values())
    assert all(len(f) == 1 for f in fill_of.values())
    flat = [next(iter(f)) for f in fill_of.values()]
    assert len(set(flat)) == len(flat), "two risk levels share a colour"


def test_glyphs_in_a_lane_do_not_overlap(gold):
    root, events, lanes = parse(timeline_svg(gold))
    by_lane: dict[str, list] = {}
    for g in events.values():
        glyph = next(c for c in g if c.get("data-role") == "glyph")
        if glyph.tag != f"{NS}path":
            by_lane.setdefault(g.get("data-agency"), []).append(element_box(glyph))
    for boxes in by_lane.values():
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not boxes_overlap(a, b)


def test_filters_by_person_and_period():
    case = load_case(EXAMPLES[1])
    root, events, _ = parse(timeline_svg(case, TimelineOptions(persons=["PFP"])))
    involving = {e.id for e in case.events if "PFP" in e.persons
                 or (e.abuse and "PFP" in {e.abuse.perpetrator, e.abuse.victim, *(e.abuse.victims or [])})}
    assert set(events) == involving and involving
    root, events, _ = parse(timeline_svg(case, TimelineOptions(date_from="2013-01", date_to="2013-12")))
    inside = {e.id for e in case.events if (e.until or e.date).latest >= dt.date(2013, 1, 1) and e.date.earliest <= dt.date(2013, 12, 31)}
    assert set(events) == inside and inside
    with pytest.raises(TimelineError, match="no person with id 'nobody'"):
        timeline_svg(case, TimelineOptions(persons=["nobody"]))
    with pytest.raises(TimelineError, match="no events"):
        timeline_svg(case, TimelineOptions(date_from="1900", date_to="1901"))
    assert timeline_svg(case) == timeline_svg(case)


def test_labels_do_not_overlap(gold):
    from test_genogram_helpers import text_box

    root, _, _ = parse(timeline_svg(gold))
    texts = [(t.text, text_box(t)) for t in root.iter(f"{NS}text")]
    for i, (ta, a) in enumerate(texts):
        for tb, b in texts[i + 1:]:
            assert not boxes_overlap(a, b), f"{ta!r} overlaps {tb!r}"


def test_a_period_keeps_every_glyph_inside_it():
    case = load_case(EXAMPLES[1])
    svg = timeline_svg(case, TimelineOptions(date_from="2013-06", date_to="2014-04"))
    root, events, _ = parse(svg)
    t0, t1 = (dt.date.fromisoformat(root.get(k)) for k in ("data-t0", "data-t1"))
    x0, width = float(root.get("data-plot-x")), float(root.get("data-plot-w"))

    def xof(d: dt.date) -> float:
        return x0 + width * (d - t0).days / (t1 - t0).days

    lo, hi = xof(dt.date(2013, 6, 1)), xof(dt.date(2014, 4, 30))
    for eid, g in events.items():
        assert lo - 0.01 <= float(g.get("data-x")) <= hi + 0.01, eid
        for c in g:
            if c.get("data-role") in ("uncertainty", "duration"):
                xs = [float(v) for v in re.findall(r"[ML]([-0-9.]+)", c.get("d"))]
                assert lo - 0.01 <= min(xs) and max(xs) <= hi + 0.01, eid
