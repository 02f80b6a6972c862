"""The chronology timeline, checked on the SVG against the case files."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dhrkg.model import load_case
from dhrkg.visualisation import TimelineError, TimelineOptions, timeline_svg

from support.svg_geometry import boxes_overlap, element_box

NS = "{http://www.w3.org/2000/svg}"
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


def parse(svg: str):
    root = ET.fromstring(svg)
    events = {g.get("data-id"): g for g in root.iter(f"{NS}g") if g.get("data-kind") == "event"}
    lanes = {r.get("data-agency"): r for r in root.iter(f"{NS}rect") if r.get("data-kind") == "lane"}
    return root, events, lanes


def mid(d) -> dt.date:
    return d.earliest + (d.latest - d.earliest) / 2


def scale_of(root):
    """The drawing's time scale, read back from its data attributes (linear, or with a break:
    [t0, break) in the first early-w points, a gap, then [break, t1])."""
    t0, t1 = (dt.date.fromisoformat(root.get(k)) for k in ("data-t0", "data-t1"))
    x0, width = float(root.get("data-plot-x")), float(root.get("data-plot-w"))
    tb = dt.date.fromisoformat(root.get("data-break")) if root.get("data-break") else None
    early = float(root.get("data-early-w") or 0)
    gap = float(root.get("data-break-gap") or 0)

    def xof(d: dt.date) -> float:
        d = min(max(d, t0), t1)
        if tb and d < tb:
            return x0 + early * (d - t0).days / (tb - t0).days
        start, left = (tb, x0 + early + gap) if tb else (t0, x0)
        return left + (x0 + width - left) * (d - start).days / (t1 - start).days
    return xof


def listed_before_homicide(case) -> dict[str, bool]:
    at = next(k for k, e in enumerate(case.events) if e.type == "homicide")
    return {e.id: k < at for k, e in enumerate(case.events) if k != at}


def expected_mid(e, case) -> dt.date:
    """The middle of the days the date can mean, cut at the homicide on the side the chronology
    lists the event."""
    a, b = e.date.earliest, e.date.latest
    hd = case.review.homicide_date
    side = listed_before_homicide(case).get(e.id)
    if side is True and b > hd.latest:
        b = max(a, hd.latest)
    if side is False and a < hd.earliest:
        a = min(b, hd.earliest)
    return a + (b - a) / 2


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
    xof = scale_of(root)
    for e in gold.events:
        assert abs(float(events[e.id].get("data-x")) - xof(expected_mid(e, gold))) < 0.02, e.id
    order = sorted(gold.events, key=lambda e: expected_mid(e, gold))
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
    from support.svg_geometry import text_box

    root, _, _ = parse(timeline_svg(gold))
    texts = [(t.text, text_box(t)) for t in root.iter(f"{NS}text")]
    for i, (ta, a) in enumerate(texts):
        for tb, b in texts[i + 1:]:
            assert not boxes_overlap(a, b), f"{ta!r} overlaps {tb!r}"


def test_a_period_keeps_every_glyph_inside_it():
    case = load_case(EXAMPLES[1])
    svg = timeline_svg(case, TimelineOptions(date_from="2013-06", date_to="2014-04"))
    root, events, _ = parse(svg)
    assert root.get("data-break") is None, "a period the user chose has no break"
    xof = scale_of(root)
    lo, hi = xof(dt.date(2013, 6, 1)), xof(dt.date(2014, 4, 30))
    for eid, g in events.items():
        assert lo - 0.01 <= float(g.get("data-x")) <= hi + 0.01, eid
        for c in g:
            if c.get("data-role") in ("uncertainty", "duration"):
                xs = [float(v) for v in re.findall(r"[ML]([-0-9.]+)", c.get("d"))]
                assert lo - 0.01 <= min(xs) and max(xs) <= hi + 0.01, eid


# --- issue 16: a timeline a chair pastes unchanged


def test_drawn_at_print_size_in_points(tmp_path):
    from dhrkg.visualisation import write_drawing
    from dhrkg.visualisation.page import PAPER_MM, PT_PER_MM

    case = load_case(EXAMPLES[1])
    svg = timeline_svg(case)
    root = ET.fromstring(svg)
    width = float(root.get("width").removesuffix("pt"))
    assert root.get("width").endswith("pt") and root.get("height").endswith("pt")
    assert abs(width - (PAPER_MM["a3"][0] - 20) * PT_PER_MM) < 0.01, "not as wide as an A3 landscape page"
    sizes = [float(t.get("font-size")) for t in root.iter(f"{NS}text")]
    assert min(sizes) >= 8.0, "text under 8 pt at print size"
    a4 = ET.fromstring(timeline_svg(case, TimelineOptions(page="a4")))
    assert abs(float(a4.get("width").removesuffix("pt")) - (PAPER_MM["a4"][0] - 20) * PT_PER_MM) < 0.01
    png = tmp_path / "t.png"
    write_drawing(svg, png)
    data = png.read_bytes()
    px_w = int.from_bytes(data[16:20], "big")
    assert abs(px_w - width / 72 * 300) <= 1, "PNG not at 300 dpi"
    at = data.index(b"pHYs")
    assert int.from_bytes(data[at + 4:at + 8], "big") == round(300 / 0.0254), "PNG does not record 300 dpi"


def test_most_of_the_axis_for_the_period_with_most_events():
    case = load_case(EXAMPLES[1])
    root, events, _ = parse(timeline_svg(case))
    tb = dt.date.fromisoformat(root.get("data-break"))
    x0, width = float(root.get("data-plot-x")), float(root.get("data-plot-w"))
    early = float(root.get("data-early-w"))
    inside = [e for e in case.events if e.date.earliest >= tb]
    assert len(inside) >= 0.9 * len(case.events)
    assert early <= 0.15 * width, "the earlier years take more than a narrow zone"
    for e in case.events:
        x = float(events[e.id].get("data-x"))
        assert (x <= x0 + early) == (expected_mid(e, case) < tb), e.id
    assert any(r.get("data-kind") == "axis-break" for r in root.iter(f"{NS}rect"))
    # a short chronology gets no break
    root3, _, _ = parse(timeline_svg(case, TimelineOptions(date_from="2012")))
    assert root3.get("data-break") is None


def test_a_year_only_event_before_the_homicide_is_a_span_drawn_before_it():
    case = load_case(EXAMPLES[1])
    root, events, _ = parse(timeline_svg(case))
    hx = float(next(p for p in root.iter(f"{NS}path") if p.get("data-kind") == "homicide-marker").get("data-x"))
    before = listed_before_homicide(case)
    year_only = [e for e in case.events if e.date.precision == "year" and e.date.earliest.year == 2014]
    assert any(before[e.id] for e in year_only) and any(not before[e.id] for e in year_only)
    for e in year_only:
        g = events[e.id]
        span = next(c for c in g if c.get("data-role") == "uncertainty")
        xs = [float(v) for v in re.findall(r"[ML]([-0-9.]+)", span.get("d"))]
        if before[e.id]:
            assert float(g.get("data-x")) <= hx and max(xs) <= hx + 0.01, e.id
        else:
            assert float(g.get("data-x")) >= hx and min(xs) >= hx - 0.01, e.id


def test_homicide_line_does_not_strike_through_the_year_labels():
    from support.svg_geometry import text_box

    for path in EXAMPLES:
        root, _, _ = parse(timeline_svg(load_case(path)))
        line = next(p for p in root.iter(f"{NS}path") if p.get("data-kind") == "homicide-marker")
        ys = [float(v) for v in re.findall(r"[ML][-0-9.]+ ([-0-9.]+)", line.get("d"))]
        x = float(line.get("data-x"))
        for t in root.iter(f"{NS}text"):
            if t.get("data-role") in ("tick-label", "homicide-label", "title"):
                b = text_box(t)
                crosses = b[0] <= x <= b[2] and min(ys) < b[3] and b[1] < max(ys)
                assert not crosses, f"{path.stem}: the homicide line crosses {t.text!r}"


def test_risk_levels_look_different_in_colour_grey_and_letter():
    from dhrkg.visualisation.timeline import RISK_COLOURS

    from support.colour import lab as _lab

    levels = ["high", "medium", "standard"]
    for a in levels:
        for b in levels:
            if a < b:
                assert abs(_lab(RISK_COLOURS[a][0])[0] - _lab(RISK_COLOURS[b][0])[0]) >= 20.0, (a, b)
                assert RISK_COLOURS[a][2] != RISK_COLOURS[b][2]
    case = load_case(EXAMPLES[1])
    root, events, _ = parse(timeline_svg(case))
    for e in case.events:
        if e.type in ("risk_assessment", "marac", "mappa"):
            letter = next(c for c in events[e.id] if c.get("data-role") == "risk-letter")
            assert letter.text == RISK_COLOURS[e.risk.level if e.risk else None][2]


@pytest.mark.parametrize("publication", [False, True])
def test_labels_for_the_events_that_matter(gold, publication):
    from support.svg_geometry import text_box

    svg = timeline_svg(gold, TimelineOptions(labels=True, publication=publication))
    root = ET.fromstring(svg)
    groups = [g for g in root.iter(f"{NS}g") if g.get("data-kind") == "event"]
    labelled = {g.get("data-type") for g in groups if any(c.get("data-role") == "event-label" for c in g)}
    wanted = {"incident", "risk_assessment", "marac", "mappa", "referral"}
    assert labelled == {e.type for e in gold.events if e.type in wanted}
    texts = [(t.text, text_box(t)) for t in root.iter(f"{NS}text")]
    for i, (ta, a) in enumerate(texts):
        for tb, b in texts[i + 1:]:
            assert not boxes_overlap(a, b), f"{ta!r} overlaps {tb!r}"
    if publication:
        months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
        for g in groups:
            for c in g:
                if c.get("data-role") == "event-label":
                    assert not any(m in c.text.split() for m in months), c.text
    assert "event-label" not in timeline_svg(gold)


def test_a_chronology_taller_than_its_page_is_printed_on_several_pages_at_print_size(tmp_path):
    import shutil
    import subprocess

    from dhrkg.visualisation import write_drawing
    from dhrkg.visualisation.page import PAPER_MM, PT_PER_MM
    from dhrkg.visualisation.paging import bands_of, pages

    case = load_case(EXAMPLES[1])
    svg = timeline_svg(case)
    root, _, lanes = parse(svg)
    bands = bands_of(svg)
    assert len(bands) > 1
    # the bands cover every lane once, cut between lanes
    edges = sorted({float(r.get("y")) for r in lanes.values()} | {float(r.get("y")) + float(r.get("height"))
                                                                   for r in lanes.values()})
    assert bands[0][0] == edges[0] and bands[-1][1] == edges[-1]
    assert all(a[1] == b[0] for a, b in zip(bands, bands[1:])) and all(b[0] in edges for b in bands)
    sheets = pages(svg)
    room = (PAPER_MM["a3"][1] - 20) * PT_PER_MM
    for n, sheet in enumerate(sheets):
        page = ET.fromstring(sheet)
        assert float(page.get("height").removesuffix("pt")) <= room + 0.01, f"page {n + 1} taller than A3"
        texts = [t.text for t in page.iter(f"{NS}text")]
        assert f"Chronology: {case.review.reference or case.review.id}" in texts
        assert f"page {n + 1} of {len(sheets)}" in texts
        assert ("Key" in texts) == (n == len(sheets) - 1)
    if shutil.which("pdfinfo"):
        out = tmp_path / "t.pdf"
        write_drawing(svg, out)
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        assert f"Pages:           {len(sheets)}" in info and "(A3)" in info
    # a chronology that fits its page has no bands and is one page
    short = timeline_svg(case, TimelineOptions(date_from="2014-03-14", date_to="2014-03-20"))
    assert bands_of(short) == [] and pages(short) == [short]
