"""Layout quality of a genogram, measured on the SVG (issue 16): what a chair would see when
pasting the drawing into a report, as numbers a test can hold to.

- sibling bars: two bars over a shared x-range are at least BAR_BAND apart;
- siblings sit together: between two children of one sibship on their row there is no one but
  their siblings and their siblings' partners;
- no line crosses a symbol (other than the symbols it joins);
- crossings between lines, counted;
- the page: the drawing's proportion, and its smallest text in points when it fills the page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import combinations

from dhrkg.visualisation.page import ASPECT_BOUNDS, MIN_FONT_PT, page_for, width_fill_pt_per_px

from support.svg_geometry import Drawing, Point, segment_hits_box

BAR_BAND = 12.0  # px: bars closer than this over a shared stretch read as one line


def _segments(points: list[Point]) -> list[tuple[Point, Point]]:
    return [(a, b) for a, b in zip(points, points[1:]) if a != b]


def bar_band_problems(d: Drawing) -> list[str]:
    bars = [(s["data-parents"], s["bar"]) for s in d.sibships if s["bar"]]
    problems = []
    for (pa, a), (pb, b) in combinations(bars, 2):
        ya, yb = a[0][1], b[0][1]
        lo = max(min(p[0] for p in a), min(p[0] for p in b))
        hi = min(max(p[0] for p in a), max(p[0] for p in b))
        if hi - lo > 1.0 and abs(ya - yb) < BAR_BAND:
            problems.append(f"sibling bars of {pa} and {pb} {abs(ya - yb):.0f} px apart over {hi - lo:.0f} px")
    return problems


def partner_blocks(d: Drawing) -> dict[str, set[str]]:
    """Each person's partner block: everyone joined to them by couple lines on their row."""
    block = {pid: {pid} for pid in d.persons}
    for c in d.couples:
        a, b = c["data-from"], c["data-to"]
        if d.persons[a].cy == d.persons[b].cy and block[a] is not block[b]:
            merged = block[a] | block[b]
            for q in merged:
                block[q] = merged
    return block


def sibling_problems(d: Drawing) -> list[str]:
    """Children of one sibship on one row with someone between them who is neither a sibling nor
    in a sibling's partner block."""
    partners = partner_blocks(d)
    problems = []
    for s in d.sibships:
        kids = set(s["children"])
        rows: dict[float, list[str]] = {}
        for k in kids:
            rows.setdefault(d.persons[k].cy, []).append(k)
        for cy, row_kids in rows.items():
            if len(row_kids) < 2:
                continue
            lo = min(d.persons[k].cx for k in row_kids)
            hi = max(d.persons[k].cx for k in row_kids)
            allowed = set().union(*(partners[k] for k in kids))
            between = [pid for pid, g in d.persons.items()
                       if g.cy == cy and lo < g.cx < hi and pid not in allowed and g.attrs.get("data-panel") != "true"]
            if between:
                problems.append(f"siblings {sorted(row_kids)} split by {sorted(between)}")
    return problems


def _line_ends(line: dict) -> set[str]:
    owner = line["owner"]
    if isinstance(owner, tuple):
        return set(owner)
    return set((owner or "").split())


def symbol_crossings(d: Drawing) -> list[str]:
    """Lines that run across a symbol they do not join."""
    problems = []
    for line in d.lines:
        if line["kind"] == "household":
            continue
        ends = _line_ends(line)
        for pid, g in d.persons.items():
            if pid in ends:
                continue
            x0, y0, x1, y1 = g.symbol
            core = (x0 + 1.5, y0 + 1.5, x1 - 1.5, y1 - 1.5)
            if any(segment_hits_box(a, b, core) for a, b in _segments(line["points"])):
                problems.append(f"{line['kind']} line of {line['owner']} crosses the symbol of {pid}")
    return problems


def _cross(p: Point, q: Point, r: Point, s: Point) -> bool:
    """Proper crossing of segments pq and rs (touching at an end does not count)."""
    def orient(a, b, c):
        v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return 0 if abs(v) < 1e-6 else (1 if v > 0 else -1)
    o1, o2, o3, o4 = orient(p, q, r), orient(p, q, s), orient(r, s, p), orient(r, s, q)
    return o1 * o2 < 0 and o3 * o4 < 0


def crossings(d: Drawing) -> int:
    """Crossings between lines of different owners (kinship, abuse and relation lines)."""
    lines = [ln for ln in d.lines if ln["kind"] not in ("household", "household-link", "slash")]
    segs = [(_line_ends(ln), _segments(ln["points"])) for ln in lines]
    count = 0
    for (ea, sa), (eb, sb) in combinations(segs, 2):
        if ea & eb:
            continue
        count += sum(_cross(p, q, r, s) for p, q in sa for r, s in sb)
    return count


def document_size(svg: str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    return float(root.get("width")), float(root.get("height"))


def smallest_font_pt(svg: str, page: str) -> float:
    """The smallest text of the drawing, in points, when it is pasted at the page's width
    (landscape for a drawing wider than tall, else portrait)."""
    width, height = document_size(svg)
    return _smallest_px(svg) * width_fill_pt_per_px(page, width, height)


def smallest_font_pt_on_page(svg: str, page: str) -> float:
    """The smallest text, in points, when the whole drawing is fitted on one page."""
    width, height = document_size(svg)
    return _smallest_px(svg) * page_for(page, width, height).pt_per_px


def _smallest_px(svg: str) -> float:
    return min(float(v) for v in re.findall(r'font-size="([0-9.]+)"', svg))


def page_problems(svg: str, page: str, fonts: bool = True, whole_page: str | None = None) -> list[str]:
    """Proportion within bounds; text at least 8 pt pasted at ``page``'s width, and (``whole_page``)
    with the whole drawing fitted on that page."""
    width, height = document_size(svg)
    problems = []
    lo, hi = ASPECT_BOUNDS
    if not lo <= width / height <= hi:
        problems.append(f"proportion {width / height:.2f}:1 outside {lo}..{hi}")
    pt = smallest_font_pt(svg, page)
    if fonts and pt < MIN_FONT_PT - 1e-6:
        problems.append(f"smallest text {pt:.1f} pt pasted at {page} width, under {MIN_FONT_PT} pt")
    if whole_page:
        pt = smallest_font_pt_on_page(svg, whole_page)
        if pt < MIN_FONT_PT - 1e-6:
            problems.append(f"smallest text {pt:.1f} pt with the drawing on one {whole_page} page")
    return problems


def _segment_box_distance(p: Point, q: Point, box) -> float:
    """Distance from an axis-parallel (or any) segment to a box, sampled along the segment."""
    x0, y0, x1, y1 = box
    best = 1e9
    n = max(int(abs(q[0] - p[0]) + abs(q[1] - p[1])) // 2, 1)
    for k in range(n + 1):
        x = p[0] + (q[0] - p[0]) * k / n
        y = p[1] + (q[1] - p[1]) * k / n
        dx = max(x0 - x, 0.0, x - x1)
        dy = max(y0 - y, 0.0, y - y1)
        best = min(best, (dx * dx + dy * dy) ** 0.5)
    return best


def outline_clearance(d: Drawing) -> float:
    """The smallest gap between a household outline and any label (name, dates, couple dates)."""
    texts = [t["box"] for t in d.texts if t["role"] in ("label", "couple-text", "age")]
    best = 1e9
    for h in d.households:
        for loop in h["outer"]:
            pts = loop + [loop[0]]
            for a, b in zip(pts, pts[1:]):
                for box in texts:
                    if min(a[0], b[0]) > box[2] + 20 or max(a[0], b[0]) < box[0] - 20 or \
                            min(a[1], b[1]) > box[3] + 20 or max(a[1], b[1]) < box[1] - 20:
                        continue
                    best = min(best, _segment_box_distance(a, b, box))
    return best


MIN_NECK = 30.0  # px: no part of a household outline is narrower (a corridor reads as a border)


def _thickness(loop: list[Point]) -> float:
    """The narrowest the region inside a loop gets, across (vertical scan lines) and down
    (horizontal ones): the inside stretches of lines between the loop's vertex coordinates."""
    best = 1e9
    edges = list(zip(loop, loop[1:] + loop[:1]))
    for axis in (0, 1):
        coords = sorted({p[axis] for p in loop})
        for lo, hi in zip(coords, coords[1:]):
            if hi - lo < 0.5:
                continue
            v = (lo + hi) / 2
            cuts = []
            for a, b in edges:
                if (a[axis] > v) != (b[axis] > v):
                    t = (v - a[axis]) / (b[axis] - a[axis])
                    cuts.append(a[1 - axis] + t * (b[1 - axis] - a[1 - axis]))
            cuts.sort()
            best = min([best] + [cuts[k + 1] - cuts[k] for k in range(0, len(cuts) - 1, 2)])
    return best


def _near_loop(pt: Point, loop: list[Point], tol: float = 5.0) -> bool:
    from support.svg_geometry import inside
    if inside(pt, [loop]):
        return True
    return any(_segment_box_distance(a, b, (pt[0], pt[1], pt[0], pt[1])) <= tol
               for a, b in zip(loop, loop[1:] + loop[:1]))


def household_region_problems(d: Drawing) -> list[str]:
    """Each household reads as one: every part of its outline a region with no neck under
    MIN_NECK, and the parts joined into one by its connector lines (each connector's ends on
    two parts)."""
    problems = []
    for index, h in enumerate(d.households):
        members = h.get("data-members")
        loops = h["outer"]
        for loop in loops:
            if _thickness(loop) < MIN_NECK:
                problems.append(f"household {members}: a neck {_thickness(loop):.0f} px wide")
        group = list(range(len(loops)))

        def find(k: int) -> int:
            while group[k] != k:
                k = group[k]
            return k
        for link in (ln for ln in d.household_links if ln["household"] == index):
            ends = [[k for k, lp in enumerate(loops) if _near_loop(p, lp)] for p in (link["points"][0], link["points"][-1])]
            if not ends[0] or not ends[1]:
                problems.append(f"household {members}: a connector line not ending on its outline")
                continue
            group[find(ends[0][0])] = find(ends[1][0])
        if len({find(k) for k in range(len(loops))}) != 1:
            problems.append(f"household {members}: {len(loops)} parts not joined into one")
    return problems + household_link_problems(d)


LINK_APART = 8.0  # px: two households' connector lines side by side closer than this read as one


def household_link_problems(d: Drawing) -> list[str]:
    """Connector lines of two households that run on (or within LINK_APART of) one another:
    which outline each joins can no longer be seen (crossing at a right angle, each can). One
    household's own connectors may share a stretch, as one person's abuse lines do."""
    problems = []
    for a, b in ((a, b) for a, b in combinations(d.household_links, 2) if a["household"] != b["household"]):
        sa, sb = _segments(a["points"]), _segments(b["points"])
        if any(apart < LINK_APART and run > 0.5 for p in sa for q in sb for apart, run in [_parallel_overlap(p, q)]):
            problems.append(f"households {a['data-members']} and {b['data-members']}: connector lines on one another")
    return problems


PARALLEL_RUN = 40.0  # px: lines side by side further than this read as one knot...
CHANNEL_BAND = 12.0  # ...when two lines of one channel (one person's) are closer than this without coinciding
PARALLEL_NEAR = 7.0  # ...or lines of two channels closer than this (the routing keeps tracks 8-9 px apart)


def _parallel_overlap(a: tuple[Point, Point], b: tuple[Point, Point]) -> tuple[float, float]:
    """(distance apart, length side by side) of two level or two upright segments, else (inf, 0)."""
    (p, q), (r, s) = a, b
    for axis in (0, 1):  # axis 0: level segments (same y along them), 1: upright
        other = 1 - axis
        if abs(p[other] - q[other]) < 1e-6 and abs(r[other] - s[other]) < 1e-6:
            lo = max(min(p[axis], q[axis]), min(r[axis], s[axis]))
            hi = min(max(p[axis], q[axis]), max(r[axis], s[axis]))
            return abs(p[other] - r[other]), max(hi - lo, 0.0)
    return float("inf"), 0.0


def _channel(line: dict) -> str:
    """The channel a line is declared in (data-channel), else the person it leaves."""
    return line.get("data-channel") or line["data-from"]


def parallel_problems(d: Drawing) -> list[str]:
    """Abuse and relation lines side by side over more than PARALLEL_RUN px: one person's lines
    (a declared channel, data-channel) either share their way exactly (drawn once) or keep
    CHANNEL_BAND apart; lines of different channels keep PARALLEL_NEAR apart."""
    lines = [(rec, _segments(rec["points"])) for rec in d.abuse + d.relations]
    problems = []
    for (ra, sa), (rb, sb) in combinations(lines, 2):
        same = _channel(ra) == _channel(rb)
        for seg_a in sa:
            for seg_b in sb:
                apart, run = _parallel_overlap(seg_a, seg_b)
                near = 0.5 < apart < CHANNEL_BAND if same else apart < PARALLEL_NEAR
                if run > PARALLEL_RUN and near:
                    problems.append(f"lines {ra['data-from']}->{ra['data-to']} and {rb['data-from']}->{rb['data-to']}"
                                    f" {apart:.0f} px apart over {run:.0f} px")
    return problems
