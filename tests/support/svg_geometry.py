"""Reading a genogram SVG back into geometry, and checking it (used by the tests in tests/drawings/).

Nothing here trusts the layout code: shapes are read from the SVG elements, lines from the
path data, label boxes from the text position, size and anchor with DejaVu Sans widths.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from dhrkg.visualisation.fontmetrics import ASCENT, DESCENT, text_width

NS = "{http://www.w3.org/2000/svg}"

Point = tuple[float, float]
Box = tuple[float, float, float, float]


@dataclass
class PersonG:
    id: str
    attrs: dict
    symbol: Box  # outermost outline's bounding box
    shape_elements: list  # (tag, attrs) of data-role symbol/outer
    cross: bool
    labels: list[str]
    cx: float
    cy: float


@dataclass
class Drawing:
    root: ET.Element
    persons: dict[str, PersonG] = field(default_factory=dict)
    couples: list[dict] = field(default_factory=list)  # attrs + "points"
    sibships: list[dict] = field(default_factory=list)  # attrs + trunk, bar, children
    abuse: list[dict] = field(default_factory=list)  # attrs + points, arrow
    relations: list[dict] = field(default_factory=list)
    households: list[dict] = field(default_factory=list)  # attrs + loops (outer), inner
    household_links: list[dict] = field(default_factory=list)  # attrs + points: lines joining parts of one
    texts: list[dict] = field(default_factory=list)  # role, text, box, owner
    lines: list[dict] = field(default_factory=list)  # kind, points, owner
    notes: list[dict] = field(default_factory=list)  # panel notes: owner, note, from, to, text, swatch


def _f(v: str) -> float:
    return float(v)


def parse_path(d: str, *, controls: bool = True) -> list[list[Point]]:
    """Subpaths of an M/L/Q/Z path as point lists; a Q contributes its control point (unless
    ``controls`` is False) and its end."""
    tokens = re.findall(r"[MLQZ]|-?[0-9.]+", d)
    subpaths: list[list[Point]] = []
    i = 0
    cmd = None
    while i < len(tokens):
        t = tokens[i]
        if t in "MLQZ":
            cmd = t
            i += 1
            if cmd == "Z":
                continue
        if cmd == "M":
            subpaths.append([(float(tokens[i]), float(tokens[i + 1]))])
            i += 2
            cmd = "L"
        elif cmd == "L":
            subpaths[-1].append((float(tokens[i]), float(tokens[i + 1])))
            i += 2
        elif cmd == "Q":
            if controls:
                subpaths[-1].append((float(tokens[i]), float(tokens[i + 1])))
            subpaths[-1].append((float(tokens[i + 2]), float(tokens[i + 3])))
            i += 4
        else:
            raise ValueError(f"unexpected path data {d!r}")
    return subpaths


def parse_path_ends(d: str) -> list[list[Point]]:
    """Like parse_path but without Q control points (the polygon inside the rounded corners)."""
    return parse_path(d, controls=False)


def _translate(el: ET.Element) -> Point:
    m = re.match(r"translate\(([-0-9.]+) ([-0-9.]+)\)", el.get("transform", ""))
    return (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)


def text_box(el: ET.Element) -> Box:
    size = float(el.get("font-size"))
    x, y = float(el.get("x")), float(el.get("y"))
    w = text_width(el.text or "", size, el.get("font-weight") == "bold")
    anchor = el.get("text-anchor", "start")
    x0 = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
    return (x0, y - ASCENT * size, x0 + w, y + DESCENT * size)


def element_box(el: ET.Element) -> Box:
    tag = el.tag.replace(NS, "")
    if tag == "rect":
        x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
        return (x, y, x + w, y + h)
    if tag == "circle":
        cx, cy, r = (float(el.get(k)) for k in ("cx", "cy", "r"))
        return (cx - r, cy - r, cx + r, cy + r)
    if tag == "polygon":
        pts = [tuple(map(float, p.split(","))) for p in el.get("points").split()]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return (min(xs), min(ys), max(xs), max(ys))
    raise ValueError(tag)


def polygon_points(el: ET.Element) -> list[Point]:
    return [tuple(map(float, p.split(","))) for p in el.get("points").split()]


def route_points(el: ET.Element) -> list[Point]:
    """An abuse or relation line's whole way (data-points: its channel's stretch included)."""
    text = el.get("data-points")
    return [tuple(map(float, p.split(","))) for p in text.split()] if text else []


def read(svg: str) -> Drawing:
    root = ET.fromstring(svg)
    d = Drawing(root)
    body = root.find(f".//{NS}g[@id='genogram']")
    assert body is not None, "no genogram group"
    assert _translate(body) is not None
    for g in body.iter(f"{NS}g"):
        kind = g.get("data-kind")
        if kind == "person":
            shapes = [(c.tag.replace(NS, ""), c) for c in g if c.get("data-role") in ("symbol", "outer")]
            boxes = [element_box(c) for _, c in shapes]
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
            labels = [c.text + (" (bold)" if c.get("font-weight") == "bold" else "") for c in g
                      if c.tag == f"{NS}text" and c.get("data-role") == "label"]
            p = PersonG(g.get("data-id"), dict(g.attrib), box, shapes,
                        any(c.get("data-role") == "cross" for c in g), labels,
                        (box[0] + box[2]) / 2, float(g.get("data-cy")))
            d.persons[p.id] = p
            for c in g:
                if c.tag == f"{NS}text":
                    d.texts.append({"role": c.get("data-role"), "text": c.text, "box": text_box(c), "owner": p.id})
                if c.get("data-note"):
                    d.notes.append({"owner": p.id, "note": c.get("data-note"), "from": c.get("data-from"),
                                    "to": c.get("data-to"), "text": c.text, "swatch": c.get("stroke")
                                    if c.get("data-role") == "swatch" else None})
        elif kind == "couple":
            path = next(c for c in g if c.get("data-role") == "line")
            pts = parse_path(path.get("d"))[0]
            rec = dict(g.attrib)
            rec["points"] = pts
            rec["path"] = path
            rec["slashes"] = sum(1 for c in g if c.get("data-role") == "slash")
            d.couples.append(rec)
            d.lines.append({"kind": "couple", "points": pts, "owner": (g.get("data-from"), g.get("data-to"))})
            for c in g:
                if c.get("data-role") == "slash":
                    d.lines.append({"kind": "slash", "points": parse_path(c.get("d"))[0], "owner": (g.get("data-from"), g.get("data-to"))})
                if c.tag == f"{NS}text":
                    d.texts.append({"role": c.get("data-role"), "text": c.text, "box": text_box(c), "owner": (g.get("data-from"), g.get("data-to"))})
        elif kind == "sibship":
            rec = dict(g.attrib)
            rec["trunk"] = None
            rec["bar"] = None
            rec["children"] = {}
            for c in g:
                role = c.get("data-role")
                if role == "trunk":
                    rec["trunk"] = parse_path(c.get("d"))[0]
                    d.lines.append({"kind": "trunk", "points": rec["trunk"], "owner": rec.get("data-parents")})
                elif role == "bar":
                    rec["bar"] = parse_path(c.get("d"))[0]
                    d.lines.append({"kind": "bar", "points": rec["bar"], "owner": rec.get("data-parents")})
                elif c.get("data-kind") == "child":
                    pts = parse_path(c.get("d"))[0]
                    rec["children"][c.get("data-child")] = {"points": pts, "attrs": dict(c.attrib)}
                    d.lines.append({"kind": "child", "points": pts, "owner": c.get("data-child")})
                elif c.tag == f"{NS}text":
                    d.texts.append({"role": c.get("data-role"), "text": c.text, "box": text_box(c), "owner": c.get("data-child")})
            d.sibships.append(rec)
        elif kind == "household-link":
            rec = dict(g.attrib)
            rec["points"] = parse_path(next(c for c in g if c.get("data-role") == "line").get("d"))[0]
            d.household_links.append(rec)
            d.lines.append({"kind": "household-link", "points": rec["points"], "owner": g.get("data-members")})
        elif kind == "abuse":
            path = next(c for c in g if c.get("data-role") == "line")
            arrow = next((c for c in g if c.get("data-role") == "arrowhead"), None)
            rec = dict(g.attrib)
            rec["points"] = route_points(g) or parse_path(path.get("d"))[0]
            rec["arrow"] = polygon_points(arrow) if arrow is not None else None
            rec["path"] = path
            rec["drawn"] = parse_path(path.get("d"))[0]
            d.abuse.append(rec)
            d.lines.append({"kind": "abuse", "points": rec["points"], "owner": (g.get("data-from"), g.get("data-to"))})
    # title and key, in the drawing's own coordinates (the drawing is translated)
    dx, dy = _translate(body)
    for group_id in ("title", "legend"):
        group = root.find(f".//{NS}g[@id='{group_id}']")
        for t in (group.iter(f"{NS}text") if group is not None else ()):
            b = text_box(t)
            d.texts.append({"role": t.get("data-role"), "text": t.text, "box": (b[0] - dx, b[1] - dy, b[2] - dx, b[3] - dy),
                            "owner": group_id})
    for p in body.iter(f"{NS}path"):
        if p.get("data-kind") == "relation":
            rec = dict(p.attrib)
            rec["points"] = route_points(p) or parse_path(p.get("d"))[0]
            d.relations.append(rec)
            d.lines.append({"kind": "relation", "points": rec["points"], "owner": (p.get("data-from"), p.get("data-to"))})
        elif p.get("data-kind") == "household":
            rec = dict(p.attrib)
            rec["outer"] = parse_path(p.get("d"))
            rec["inner"] = parse_path_ends(p.get("d"))
            d.households.append(rec)
            for loop in rec["outer"]:
                d.lines.append({"kind": "household", "points": loop + [loop[0]], "owner": p.get("data-members")})
    _link_households(body, d)
    return d


def _link_households(body: ET.Element, d: Drawing) -> None:
    """Each connector line's household: the outline drawn just before it (two households can
    have the same members, and in a publication drawing no id tells them apart)."""
    group = body.find(f".//{NS}g[@id='households']")
    links = iter(d.household_links)
    index = -1
    for el in (group if group is not None else ()):
        if el.get("data-kind") == "household":
            index += 1
        elif el.get("data-kind") == "household-link":
            next(links)["household"] = index


# --------------------------------------------------------------------------- geometry


def boxes_overlap(a: Box, b: Box, tol: float = 0.5) -> bool:
    return a[0] + tol < b[2] and b[0] + tol < a[2] and a[1] + tol < b[3] and b[1] + tol < a[3]


def segment_hits_box(p: Point, q: Point, box: Box, tol: float = 0.5) -> bool:
    """Does the segment pq pass through the inside of ``box`` (shrunk by ``tol``)?"""
    x0, y0, x1, y1 = box[0] + tol, box[1] + tol, box[2] - tol, box[3] - tol
    if x0 >= x1 or y0 >= y1:
        return False
    # Liang-Barsky clipping
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for pk, qk in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if pk == 0:
            if qk < 0:
                return False
        else:
            t = qk / pk
            if pk < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
    return t0 < t1


def polyline_hits_box(points: list[Point], box: Box, tol: float = 0.5) -> bool:
    return any(segment_hits_box(a, b, box, tol) for a, b in zip(points, points[1:]))


def point_on_polyline(pt: Point, points: list[Point], tol: float = 0.6) -> bool:
    for a, b in zip(points, points[1:]):
        dx, dy = b[0] - a[0], b[1] - a[1]
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((pt[0] - a[0]) * dx + (pt[1] - a[1]) * dy) / length2))
        px, py = a[0] + t * dx, a[1] + t * dy
        if math.hypot(pt[0] - px, pt[1] - py) <= tol:
            return True
    return False


def inside(pt: Point, loops: list[list[Point]]) -> bool:
    """Even-odd point in polygon over all loops."""
    x, y = pt
    c = False
    for loop in loops:
        n = len(loop)
        for i in range(n):
            (x1, y1), (x2, y2) = loop[i], loop[(i + 1) % n]
            if (y1 > y) != (y2 > y):
                xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
                if xi > x:
                    c = not c
    return c


def box_corners(b: Box, inset: float = 0.0) -> list[Point]:
    return [(b[0] + inset, b[1] + inset), (b[2] - inset, b[1] + inset), (b[2] - inset, b[3] - inset), (b[0] + inset, b[3] - inset)]


# --------------------------------------------------------------------------- checks against the case file

DASH = {"married": None, "civil_partnership": None, "cohabiting": "7 4", "dating": "2 3", "unknown": "9 3 2 3"}


def expected_slashes(rel) -> int:
    if rel.status == "former":
        return 1 if rel.kind in ("married", "civil_partnership") and rel.end is None else 2
    return 1 if rel.separated is not None else 0


def known_before(a, b) -> bool | None:
    """Whether person a was born before b, as far as the case file says (None: not known)."""
    if a.unborn != b.unborn:
        return bool(b.unborn)
    if a.unborn:
        return None
    if a.born is not None and b.born is not None:
        if a.born.latest < b.born.earliest:
            return True
        if b.born.latest < a.born.earliest:
            return False
        return None
    if a.born is None and b.born is None and a.age is not None and b.age is not None and a.age != b.age:
        return a.age > b.age
    return None


def arrow_tip(points: list[Point]) -> tuple[Point, Point]:
    """The tip of a triangular arrowhead (the vertex opposite its shortest side) and its base midpoint."""
    best = None
    for k in range(3):
        a, b = points[(k + 1) % 3], points[(k + 2) % 3]
        side = math.dist(a, b)
        if best is None or side < best[0]:
            best = (side, points[k], ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))
    return best[1], best[2]


def check_drawing(case, d: Drawing, *, whole: bool = True, households: str = "current",
                  ids: dict | None = None, reference=None) -> list[str]:
    """Every rule of issue 4's done-when, checked on the SVG geometry; returns the problems found."""
    problems: list[str] = []
    ids = ids or {p.id: p.id for p in case.persons}
    people = {p.id: p for p in case.persons}
    ref = reference or case.review.homicide_date
    drawn = {pid for pid in people if ids[pid] in d.persons}
    if whole:
        missing = set(people) - drawn
        if missing:
            problems.append(f"persons not drawn: {sorted(missing)}")
    dead_victims = {p.id for p in case.persons if "victim" in p.roles and p.died is not None}
    parents_of: dict[str, set] = {}
    for r in case.relationships:
        if r.type == "parent":
            parents_of.setdefault(r.to, set()).add(r.from_)

    # --- symbols and markers
    for pid in drawn:
        p, g = people[pid], d.persons[ids[pid]]
        want = "triangle" if p.unborn else {"male": "square", "female": "circle"}.get(p.sex or "unknown", "diamond")
        if g.attrs.get("data-shape") == "diamond" and g.attrs.get("data-sex") == "hidden":
            want = "diamond"
        if g.attrs.get("data-shape") != want:
            problems.append(f"{pid}: shape {g.attrs.get('data-shape')}, expected {want}")
        tags = [t for t, el in g.shape_elements if el.get("data-role") == "symbol"]
        tag_want = {"square": "rect", "circle": "circle", "diamond": "polygon", "triangle": "polygon"}[want]
        if tags != [tag_want]:
            problems.append(f"{pid}: symbol drawn as {tags}, expected one {tag_want}")
        if want in ("diamond", "triangle"):
            el = next(el for t, el in g.shape_elements if el.get("data-role") == "symbol")
            n = len(polygon_points(el))
            if n != (4 if want == "diamond" else 3):
                problems.append(f"{pid}: {want} with {n} points")
        if want == "square":
            el = next(el for t, el in g.shape_elements if el.get("data-role") == "symbol")
            if abs(float(el.get("width")) - float(el.get("height"))) > 0.01:
                problems.append(f"{pid}: square is not square")
        dead = (p.died is not None and (ref is None or p.died.earliest <= ref.latest) and not p.unborn) or (
            bool(p.unborn) and (p.died is not None or bool(parents_of.get(pid, set()) & dead_victims)))
        if g.cross != dead:
            problems.append(f"{pid}: cross {g.cross}, expected {dead}")
        victim = "victim" in p.roles and not p.unborn
        outer = [el for t, el in g.shape_elements if el.get("data-role") == "outer"]
        if victim != bool(outer):
            problems.append(f"{pid}: double outline {bool(outer)}, expected {victim}")
        if victim and outer:
            inner_box = element_box(next(el for t, el in g.shape_elements if el.get("data-role") == "symbol"))
            outer_box = element_box(outer[0])
            if not (outer_box[0] < inner_box[0] and outer_box[2] > inner_box[2]):
                problems.append(f"{pid}: victim's second outline is not outside the first")
        perp = "perpetrator" in p.roles
        # "perpetrator" in bold: a line of its own, or the name in bold when it says so already
        if perp != any(t.endswith(" (bold)") and "perpetrator" in t.lower() for t in g.labels):
            problems.append(f"{pid}: 'perpetrator' label {not perp}, expected {perp}")

    # --- couples: right kind of line, one row, nobody else between
    partners: dict[str, set] = {}
    for r in case.relationships:
        if r.type == "partner" and r.from_ in drawn and r.to in drawn:
            partners.setdefault(r.from_, set()).add(r.to)
            partners.setdefault(r.to, set()).add(r.from_)
    by_pair = {frozenset((c["data-from"], c["data-to"])): c for c in d.couples}
    seen_pairs = set()
    for r in case.relationships:
        if r.type != "partner" or r.from_ not in drawn or r.to not in drawn:
            continue
        pair = frozenset((ids[r.from_], ids[r.to]))
        if pair in seen_pairs:
            continue
        seen_pairs.add(pair)
        c = by_pair.get(pair)
        if c is None:
            problems.append(f"partners {r.from_}/{r.to}: no couple line")
            continue
        kind = r.kind or "unknown"
        if c["data-couple-kind"] != kind:
            problems.append(f"partners {r.from_}/{r.to}: kind {c['data-couple-kind']}, expected {kind}")
        if c["path"].get("stroke-dasharray") != DASH[kind]:
            problems.append(f"partners {r.from_}/{r.to}: dash {c['path'].get('stroke-dasharray')}, expected {DASH[kind]}")
        if c["slashes"] != expected_slashes(r):
            problems.append(f"partners {r.from_}/{r.to}: {c['slashes']} slashes, expected {expected_slashes(r)}")
        a, b = d.persons[ids[r.from_]], d.persons[ids[r.to]]
        if abs(a.cy - b.cy) > 0.01:
            problems.append(f"partners {r.from_}/{r.to}: not on one row")
            continue
        lo, hi = sorted((a.cx, b.cx))
        for qid in drawn:
            q = d.persons[ids[qid]]
            if abs(q.cy - a.cy) < 0.01 and lo < q.cx < hi and qid not in partners.get(r.from_, set()) | partners.get(r.to, set()):
                problems.append(f"partners {r.from_}/{r.to}: {qid} sits between them")
        # the couple line joins the two symbols
        pts = c["points"]
        for end, g in ((pts[0], a), (pts[-1], b)):
            if not any(abs(end[0] - gg.cx) <= 20 and gg.symbol[1] <= end[1] <= gg.symbol[3] + 0.6 for gg in (a, b)):
                problems.append(f"partners {r.from_}/{r.to}: couple line does not start at a partner's symbol")
    # two couple lines never share a segment
    segs = []
    for c in d.couples:
        for p1, p2 in zip(c["points"], c["points"][1:]):
            segs.append((p1, p2, (c["data-from"], c["data-to"])))
    for i, (a1, a2, ca) in enumerate(segs):
        for b1, b2, cb in segs[i + 1:]:
            if ca == cb:
                continue
            if _collinear_overlap(a1, a2, b1, b2):
                problems.append(f"couple lines {ca} and {cb} share a segment")

    # --- children: right kind of line, from their parents' couple line, in birth order
    child_lines: dict[str, list] = {}
    for s in d.sibships:
        for cid, ch in s["children"].items():
            child_lines.setdefault(cid, []).append((s, ch))
    for r in case.relationships:
        if r.type != "parent" or r.from_ not in drawn or r.to not in drawn:
            continue
        kind = r.kind or "biological"
        lines = child_lines.get(ids[r.to], [])
        from_parent = [(s, ch) for s, ch in lines if ids[r.from_] in (s.get("data-parents") or "").split()]
        if kind == "step":
            other_links = {x.from_ for x in case.relationships if x.type == "parent" and x.to == r.to and (x.kind or "biological") != "step"}
            if from_parent and r.from_ not in other_links:
                problems.append(f"step-parent {r.from_} has a child line to {r.to}")
            continue
        if not from_parent:
            problems.append(f"{r.from_} -> {r.to} ({kind}): no child line")
            continue
        if not any(ch["attrs"].get("data-link") == kind for _, ch in from_parent):
            problems.append(f"{r.from_} -> {r.to}: line kind {[ch['attrs'].get('data-link') for _, ch in from_parent]}, expected {kind}")
        want_dash = {"biological": None, "adoptive": "5 3", "foster": "2 2.5"}[kind]
        if people[r.to].unborn:
            want_dash = "2 2.5"
        for _, ch in from_parent:
            if ch["attrs"].get("stroke-dasharray") != want_dash:
                problems.append(f"{r.from_} -> {r.to}: dash {ch['attrs'].get('stroke-dasharray')}, expected {want_dash}")
    for s in d.sibships:
        parents = (s.get("data-parents") or "").split()
        bar = s["bar"]
        for cid, ch in s["children"].items():
            pts = ch["points"]
            g = d.persons[cid]
            bar_y = pts[0][1]
            if bar is not None and not point_on_polyline(pts[0], bar):
                problems.append(f"child line of {cid} does not start on its sibship bar")
            end = pts[-1]
            if not (g.symbol[0] - 1 <= end[0] <= g.symbol[2] + 1 and abs(end[1] - g.symbol[1]) <= 12.5 and end[1] < g.cy):
                problems.append(f"child line of {cid} does not end at the top of its symbol")
            if s["trunk"] is not None:
                if abs(s["trunk"][-1][1] - bar_y) > 0.6:
                    problems.append(f"sibship {parents}: trunk does not reach the bar of {cid}")
                if bar is not None and not point_on_polyline(s["trunk"][-1], bar):
                    problems.append(f"sibship {parents}: trunk ends off the bar")
        if s["trunk"] is not None:
            start = s["trunk"][0]
            if len(parents) == 2:
                couple = by_pair.get(frozenset(parents))
                if couple is None or not point_on_polyline(start, couple["points"]):
                    problems.append(f"sibship {parents}: drop line does not start on the parents' couple line")
            elif len(parents) == 1:
                g = d.persons[parents[0]]
                if not (g.symbol[0] - 0.6 <= start[0] <= g.symbol[2] + 0.6 and abs(start[1] - g.symbol[3]) <= 12.5 and start[1] > g.cy):
                    problems.append(f"sibship {parents}: drop line does not start at the parent's symbol")
        elif parents:
            problems.append(f"sibship {parents}: no drop line from the parents")
        # birth order
        inv = {v: k for k, v in ids.items()}
        kids = [inv[c] for c in s["children"]]
        for a in kids:
            for b in kids:
                order = known_before(people[a], people[b])
                if order and not d.persons[ids[a]].cx < d.persons[ids[b]].cx:
                    problems.append(f"siblings {a} (older) and {b} not in birth order")

    # --- abuse: one zig-zag per relationship, arrowhead at the person abused
    by_abuse = {}
    for a in d.abuse:
        by_abuse.setdefault((a["data-from"], a["data-to"]), []).append(a)
    panel = {pid for pid, g in d.persons.items() if g.attrs.get("data-panel") == "true"}
    problems.extend(check_panel(case, d, panel, drawn, ids))
    for r in case.relationships:
        if r.type != "abuse" or r.from_ not in drawn or r.to not in drawn:
            continue
        if {ids[r.from_], ids[r.to]} & panel:
            continue  # written in the panel (check_panel)
        lines = by_abuse.get((ids[r.from_], ids[r.to]), [])
        if not lines:
            problems.append(f"abuse {r.from_} -> {r.to}: not drawn")
            continue
        a = lines[0]
        if len(a["drawn"]) < 5:  # three teeth at least (a short own end after its channel)
            problems.append(f"abuse {r.from_} -> {r.to}: not a zig-zag")
        if a["arrow"] is None:
            problems.append(f"abuse {r.from_} -> {r.to}: no arrowhead")
            continue
        tip, base = arrow_tip(a["arrow"])
        victim = d.persons[ids[r.to]].symbol
        if not (victim[0] - 1 <= tip[0] <= victim[2] + 1 and victim[1] - 1 <= tip[1] <= victim[3] + 1):
            problems.append(f"abuse {r.from_} -> {r.to}: arrowhead tip {tip} not at the victim {victim}")
        g = d.persons[ids[r.to]]
        towards = (tip[0] - base[0]) * (g.cx - tip[0]) + (tip[1] - base[1]) * (g.cy - tip[1])
        if towards <= 0:
            problems.append(f"abuse {r.from_} -> {r.to}: arrowhead points away from the victim")
        start = a["points"][0]
        perp = d.persons[ids[r.from_]].symbol
        if not (perp[0] - 1 <= start[0] <= perp[2] + 1 and perp[1] - 1 <= start[1] <= perp[3] + 1):
            problems.append(f"abuse {r.from_} -> {r.to}: line does not start at the abuser")

    # --- labels: no overlaps with each other, symbols or lines
    labels = [t for t in d.texts if t["role"] not in ("age",)]
    for i, t in enumerate(labels):
        for u in labels[i + 1:]:
            if boxes_overlap(t["box"], u["box"]):
                problems.append(f"labels overlap: {t['text']!r} and {u['text']!r}")
    line_boxes = [(min(x for x, _ in ln["points"]), min(y for _, y in ln["points"]),
                   max(x for x, _ in ln["points"]), max(y for _, y in ln["points"])) for ln in d.lines]
    for t in labels:
        for pid, g in d.persons.items():
            if boxes_overlap(t["box"], g.symbol):
                problems.append(f"label {t['text']!r} overlaps the symbol of {pid}")
        for line, lb in zip(d.lines, line_boxes):
            if not boxes_overlap(t["box"], (lb[0] - 1, lb[1] - 1, lb[2] + 1, lb[3] + 1), tol=0.0):
                continue  # far apart
            if t["role"] == "tag" and line["kind"] == "child" and line["owner"] == t["owner"]:
                continue  # an A/F tag sits on its own line
            if polyline_hits_box(line["points"], t["box"]):
                problems.append(f"label {t['text']!r} ({t['role']}) overlaps a {line['kind']} line of {line['owner']}")

    # --- households: the outline contains exactly its members
    hh_members = {h.id: {m.person for m in h.members} for h in case.households}
    for h in d.households:
        members = set((h.get("data-members") or "").split())
        inv = {v: k for k, v in ids.items()}
        case_members = {inv[m] for m in members}
        if households == "all" and h.get("data-id"):
            want = {ids[m] for m in hh_members[h["data-id"]] if m in drawn}
            if members != want:
                problems.append(f"household {h['data-id']}: members {sorted(members)}, expected {sorted(want)}")
        if h.get("data-id") and not case_members <= hh_members[h["data-id"]]:
            problems.append(f"household {h['data-id']}: outlines people who are not members")
        for pid, g in d.persons.items():
            corners = box_corners(g.symbol)
            if pid in members:
                if not all(inside(c, h["inner"]) for c in corners + [(g.cx, g.cy)]):
                    problems.append(f"household {h.get('data-id')}: member {pid} not inside the outline")
            else:
                if any(inside(c, h["outer"]) for c in corners + [(g.cx, g.cy)]):
                    problems.append(f"household {h.get('data-id')}: non-member {pid} inside the outline")
    return problems


OTHER_RELATIONS = ("relative", "friend", "associate", "carer", "abuse")
ABUSE_COLOURS = {"physical": "#b3001b", "sexual": "#6a1b9a", "coercive_control": "#0b3d91", "emotional": "#c75000"}


def _letters(text: str) -> str:
    return "".join(ch for ch in (text or "").lower() if ch.isalnum())


def check_panel(case, d: Drawing, panel: set, drawn: set, ids: dict) -> list[str]:
    """People in the side panel: no family link; every relation and abuse record that reaches them
    written beside them (naming the other person, an abuse sample in the kind's colour), unless
    their name says it all; someone with no record says why they are there."""
    problems = []
    inv = {v: k for k, v in ids.items()}
    family_links = {pid for r in case.relationships if r.type in ("parent", "partner", "sibling")
                    for pid in (r.from_, r.to)}
    publication = any(k != v for k, v in ids.items())
    labels = {ids[p.id]: p.name or (f"person {n + 1}" if publication else p.id)
              for n, p in enumerate(case.persons) if p.id in drawn}
    for pid in panel:
        if inv[pid] in family_links:
            problems.append(f"{inv[pid]}: in the panel but has a family link")
        if not any(n["owner"] == pid for n in d.notes) and not any(
                r.from_ == inv[pid] or r.to == inv[pid] for r in case.relationships):
            problems.append(f"{inv[pid]}: in the panel with nothing saying why")
    for r in case.relationships:
        if r.type not in OTHER_RELATIONS or r.from_ not in drawn or r.to not in drawn:
            continue
        a, b = ids[r.from_], ids[r.to]
        for me, other in ((a, b), (b, a)):
            if me not in panel:
                continue
            mine = [n for n in d.notes if n["owner"] == me and {n["from"], n["to"]} == {a, b}]
            said = " ".join(n["text"] or "" for n in mine)
            if r.type == "abuse":
                want = next((ABUSE_COLOURS[k] for k in ("physical", "sexual", "coercive_control", "emotional")
                             if k in (r.kinds or [])), "#444444")
                if want not in [n["swatch"] for n in mine]:
                    problems.append(f"abuse {r.from_} -> {r.to}: no {want} sample in the panel")
            if _letters(labels[other]) not in _letters(said) and not (
                    r.type != "abuse" and _letters(labels[other]) in _letters(labels[me])):
                problems.append(f"{r.type} {r.from_} - {r.to}: the panel does not name {labels[other]!r}")
    return problems


def _collinear_overlap(a1: Point, a2: Point, b1: Point, b2: Point) -> bool:
    """Two axis-parallel segments on one line overlapping for more than a point."""
    if abs(a1[1] - a2[1]) < 1e-6 and abs(b1[1] - b2[1]) < 1e-6 and abs(a1[1] - b1[1]) < 0.5:
        lo = max(min(a1[0], a2[0]), min(b1[0], b2[0]))
        hi = min(max(a1[0], a2[0]), max(b1[0], b2[0]))
        return hi - lo > 0.5
    if abs(a1[0] - a2[0]) < 1e-6 and abs(b1[0] - b2[0]) < 1e-6 and abs(a1[0] - b1[0]) < 0.5:
        lo = max(min(a1[1], a2[1]), min(b1[1], b2[1]))
        hi = min(max(a1[1], a2[1]), max(b1[1], b2[1]))
        return hi - lo > 0.5
    return False
