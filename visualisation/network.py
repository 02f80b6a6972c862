"""The contact network ("who knew what"): people and the agencies that had contact with them.

A person and an agency are linked when the agency recorded an event involving the
person or took part in it (``events[].agency`` and ``other_agencies``); the line
is wider the more such contacts there were. Agencies are coloured by type and
grouped by the police force area they serve; an agency that had contact with
both the victim and the perpetrator before the homicide is highlighted (thick
gold outline and a "saw both" tag; "before" as ``dhrkg/model/homicide.py`` rules). Information passed between agencies (``shared_with``,
``referral_to``) is drawn as thin dashed arrows.

``dot`` (left to right, one cluster per force area) places the nodes; the
drawing (curves, widths, colours, data attributes) is done here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Optional

from dhrkg.model.homicide import homicide_bound, is_before
from dhrkg.model.model import CaseFile

from .dot import quote, run_dot_json
from .fontmetrics import text_width, wrap
from .svg import SvgWriter, num, path_d

NO_AREA = "police force area not recorded"
AREA_MARK = "\u2020"  # after an agency's name: its area is not in the case file but taken from its events or name
# Colours by type: lightness steps of 8 L* from dark to light (so they stay apart printed in
# greyscale) with hues chosen to stay apart for deuteranopes (checked by tests/drawings/test_network.py).
AGENCY_GROUPS = (
    # (legend name, colour, types)
    ("police", "#03336d", ("police",)),
    ("criminal justice", "#58318f", ("probation", "prison", "court", "youth_offending", "mappa")),
    ("domestic abuse services / MARAC", "#b0045c", ("domestic_abuse_service", "marac")),
    ("health", "#287d2d", ("gp", "health", "mental_health", "ambulance", "maternity")),
    ("other", "#818181", ("regulator", "other")),
    ("social care", "#f46d2e", ("children_social_care", "adult_social_care")),
    ("education", "#14bae0", ("education",)),
    ("housing", "#e6b983", ("housing",)),
    ("substance misuse", "#f1d74a", ("substance_misuse",)),
)
OUTLINE = "#4a4a4a"  # round the type colours, so the light ones show on white
TYPE_GROUP = {t: (name, colour) for name, colour, types in AGENCY_GROUPS for t in types}
SAW_BOTH = "#e0a800"
LABEL_SIZE = 11.0
MARGIN = 24.0


@dataclass
class NetworkOptions:
    publication: bool = False
    hide_children: bool = False
    all_agencies: bool = False
    information_flows: bool = True


@dataclass
class ContactNetwork:
    persons: list[str]
    agencies: list[str]
    contacts: dict[tuple[str, str], int]
    flows: dict[tuple[str, str], int]
    saw_both: set[str]
    victims: set[str]
    perpetrators: set[str]
    areas: dict[str, str] = field(default_factory=dict)
    area_source: dict[str, str] = field(default_factory=dict)  # agency -> file | events | name | none


def contact_network(case: CaseFile, all_agencies: bool = False) -> ContactNetwork:
    """Who had contact with whom, counted from the chronology."""
    agencies = {a.id: a for a in case.agencies}
    persons = {p.id for p in case.persons}
    contacts: dict[tuple[str, str], int] = {}
    contacts_before: set[tuple[str, str]] = set()
    flows: dict[tuple[str, str], int] = {}
    bound = homicide_bound(case)
    for e in case.events:
        involved = list(dict.fromkeys(
            list(e.persons)
            + ([e.abuse.perpetrator] if e.abuse and e.abuse.perpetrator else [])
            + ([e.abuse.victim] if e.abuse and e.abuse.victim else [])
            + (list(e.abuse.victims) if e.abuse and e.abuse.victims else [])
        ))
        acting = list(dict.fromkeys(([e.agency] if e.agency else []) + list(e.other_agencies)))
        for a in acting:
            if a not in agencies:
                continue
            for p in involved:
                if p in persons:
                    contacts[(p, a)] = contacts.get((p, a), 0) + 1
                    if is_before(e, bound):
                        contacts_before.add((p, a))
        if e.agency in agencies:
            for b in list(e.shared_with) + ([e.referral_to] if e.referral_to else []):
                if b in agencies and b != e.agency:
                    flows[(e.agency, b)] = flows.get((e.agency, b), 0) + 1
    victims = {p.id for p in case.persons if "victim" in p.roles}
    perps = {p.id for p in case.persons if "perpetrator" in p.roles}
    seen_persons = {p for p, _ in contacts} | victims | perps
    seen_agencies = {a for _, a in contacts}
    if all_agencies:
        seen_agencies |= set(agencies)
    saw_both = {
        a for a in seen_agencies
        if any((v, a) in contacts_before for v in victims) and any((p, a) in contacts_before for p in perps)
    }
    person_order = [p.id for p in case.persons if p.id in seen_persons]
    agency_order = [a.id for a in case.agencies if a.id in seen_agencies]
    flows = {k: v for k, v in flows.items() if k[0] in seen_agencies and k[1] in seen_agencies}
    found = {a: agency_area(case, agencies[a]) for a in agency_order}
    areas = {a: area or NO_AREA for a, (area, _) in found.items()}
    sources = {a: source for a, (_, source) in found.items()}
    return ContactNetwork(person_order, agency_order, contacts, flows, saw_both, victims, perps, areas, sources)


def agency_area(case: CaseFile, agency) -> tuple[Optional[str], str]:
    """The police force area an agency serves, and where that comes from: the case file's
    ``police_force_area`` (file), else the one area of the places of its events (events), else
    the one area its name names (name: "Birmingham Crown Court"); else none."""
    if agency.police_force_area:
        return agency.police_force_area, "file"
    places = {e.place.police_force_area for e in case.events
              if (e.agency == agency.id or agency.id in e.other_agencies) and e.place and e.place.police_force_area}
    if len(places) == 1:
        return places.pop(), "events"
    named = _areas_named(agency.name)
    if len(named) == 1:
        return named.pop(), "name"
    return None, "none"


def _areas_named(name: str) -> set[str]:
    """Police force areas of the places named in an agency's name (runs of one to three words)."""
    from dhrkg.places import force_area_for_place

    words = [w for w in re.split(r"[^A-Za-z'\-]+", name) if w]
    found = set()
    for n in (3, 2, 1):
        for k in range(len(words) - n + 1):
            run = " ".join(words[k:k + n])
            if run[0].isupper():
                area = force_area_for_place(run)
                if area:
                    found.add(area)
    return found


def edge_width(count: int) -> float:
    return round(1.0 + 1.6 * math.sqrt(count - 1), 2) if count > 0 else 0.0


@dataclass
class _Chart:
    """What the network's steps work out and draw from: the contacts, box sizes, positions."""

    case: CaseFile
    opts: NetworkOptions
    net: "ContactNetwork"
    people: dict = field(default_factory=dict)
    agencies: dict = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)
    person_lines: dict[str, list[str]] = field(default_factory=dict)
    agency_lines: dict[str, list[str]] = field(default_factory=dict)
    pw: dict[str, float] = field(default_factory=dict)  # person box widths and heights
    ph: dict[str, float] = field(default_factory=dict)
    aw: dict[str, float] = field(default_factory=dict)  # agency box widths and heights
    ah: dict[str, float] = field(default_factory=dict)
    column: list[str] = field(default_factory=list)  # people top down
    pos: dict[str, tuple[float, float]] = field(default_factory=dict)
    clusters: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)
    graph_w: float = 0.0
    height: float = 0.0

    def pid(self, x: str) -> str:
        return f"p{self.index[x] + 1}" if self.opts.publication else x

    def nid(self, kind: str, x: str) -> str:
        return f"{kind}{(self.index[x] if kind == 'p' else self.net.agencies.index(x))}"

    def person_label(self, x: str) -> str:
        p = self.people[x]
        if self.opts.publication and not p.name:
            return f"person {self.index[x] + 1}"
        return p.name or x

    def is_child(self, x: str) -> bool:
        p = self.people[x]
        return bool(p.unborn) or "child" in p.roles or (p.age is not None and p.age < 18)


TITLE_H = 64.0


def network_svg(case: CaseFile, options: Optional[NetworkOptions] = None) -> str:
    """The contact network of a review as an SVG document."""
    opts = options or NetworkOptions()
    chart = _Chart(case, opts, contact_network(case, opts.all_agencies), {p.id: p for p in case.persons},
                   {a.id: a for a in case.agencies}, {p.id: n for n, p in enumerate(case.persons)})
    _box_sizes(chart)
    _place(chart)
    w = SvgWriter()
    w.open("g", id="network", transform=f"translate({num(MARGIN)} {num(TITLE_H)})")
    _draw_areas(w, chart)
    _draw_contacts(w, chart)
    _draw_flows(w, chart)
    _draw_agencies(w, chart)
    _draw_people(w, chart)
    w.close("g")
    return _document(chart, w)


def _box_sizes(chart: _Chart) -> None:
    net, people = chart.net, chart.people
    chart.person_lines = {x: wrap(chart.person_label(x), LABEL_SIZE, 130) for x in net.persons}
    for a in net.agencies:
        ag = chart.agencies[a]
        lines = wrap(ag.name, LABEL_SIZE, 190, max_lines=3)
        if ag.abbreviation and ag.abbreviation not in ag.name:
            lines.append(f"({ag.abbreviation})")
        if net.area_source[a] in ("events", "name"):
            lines[-1] += AREA_MARK
        chart.agency_lines[a] = lines
    bold = {x: bool({"victim", "perpetrator"} & set(people[x].roles)) for x in net.persons}
    chart.pw = {x: 48 + max(text_width(t, LABEL_SIZE, bold[x]) for t in chart.person_lines[x]) + 12 for x in net.persons}
    chart.ph = {x: max(44.0, 14.0 * len(chart.person_lines[x]) + 8) for x in net.persons}
    chart.aw = {a: max(text_width(t, LABEL_SIZE, i == 0 and False) for i, t in enumerate(chart.agency_lines[a])) + 26
                for a in net.agencies}
    chart.ah = {a: 14.0 * len(chart.agency_lines[a]) + 14 for a in net.agencies}


def _dot_source(chart: _Chart) -> str:
    """People in one column (victims, perpetrators, then by number of contacts), agencies in a
    cluster per police force area, an edge per person and agency in contact."""
    net, nid, index = chart.net, chart.nid, chart.index
    lines = ["digraph network {", "  graph [rankdir=LR, nodesep=0.18, ranksep=2.2, splines=false, newrank=true];",
             "  node [shape=box, fixedsize=true, label=\"\"];"]
    total = {x: sum(n for (p, _), n in net.contacts.items() if p == x) for x in net.persons}
    chart.column = sorted(net.persons, key=lambda x: (x not in net.victims, x not in net.perpetrators, -total[x], index[x]))
    lines.append("  {rank=same; " + " ".join(nid("p", x) for x in chart.column) + "}")
    for x in net.persons:
        lines.append(f"  {nid('p', x)} [width={chart.pw[x] / 72:.3f}, height={chart.ph[x] / 72:.3f}];")
    areas = sorted(set(net.areas.values()), key=lambda s: (s == NO_AREA, s))
    for k, area in enumerate(areas):
        lines.append(f"  subgraph cluster_{k} {{ label={quote(area)}; margin=14;")
        for a in net.agencies:
            if net.areas[a] == area:
                lines.append(f"    {nid('a', a)} [width={chart.aw[a] / 72:.3f}, height={chart.ah[a] / 72:.3f}];")
        lines.append("  }")
    for (p, a), n in sorted(net.contacts.items(), key=lambda kv: (index[kv[0][0]], net.agencies.index(kv[0][1]))):
        if p in net.persons and a in net.agencies:
            lines.append(f"  {nid('p', p)} -> {nid('a', a)} [weight={min(n, 20)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _place(chart: _Chart) -> None:
    """Positions from ``dot`` (y down), then the people's column restacked in its fixed order."""
    data = run_dot_json(_dot_source(chart))
    height = float(data["bb"].split(",")[3])
    chart.graph_w = float(data["bb"].split(",")[2]) + 60.0
    for obj in data.get("objects", []):
        if obj.get("name", "").startswith("cluster_") and "bb" in obj:
            x0, y0, x1, y1 = (float(v) for v in obj["bb"].split(","))
            chart.clusters.append((obj.get("label", ""), (x0, height - y1, x1, height - y0)))
        elif "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            chart.pos[obj["name"]] = (x, height - y)
    chart.height = height
    if chart.column:
        _stack_column(chart)


def _stack_column(chart: _Chart) -> None:
    net, pos, nid, pw, ph, ah = chart.net, chart.pos, chart.nid, chart.pw, chart.ph, chart.ah
    left = min(pos[nid("p", x)][0] - pw[x] / 2 for x in chart.column)
    tops = [y - ah[a] / 2 for a in net.agencies for (_, y) in [pos[nid("a", a)]]]
    y = min(tops + [pos[nid("p", x)][1] - ph[x] / 2 for x in chart.column])
    for x in chart.column:
        pos[nid("p", x)] = (left + pw[x] / 2, y + ph[x] / 2)
        y += ph[x] + 14.0
    bottoms = [c[1][3] for c in chart.clusters] + [pos[nid("a", a)][1] + ah[a] / 2 for a in net.agencies]
    chart.height = max(bottoms + [y])


def _draw_areas(w: SvgWriter, chart: _Chart) -> None:
    w.open("g", id="areas")
    for label, (x0, y0, x1, y1) in sorted(chart.clusters, key=lambda c: (c[1][1], c[1][0])):
        w.el("rect", x=x0, y=y0, width=x1 - x0, height=y1 - y0, rx=8.0, fill="#f4f4f4", stroke="#9e9e9e",
             stroke_width="1", data_kind="area", data_area=label)
        w.text(x0 + 8, y0 + 15, label, 11.5, anchor="start", bold=True, fill="#424242", data_role="area-label")
    w.close("g")


def _column_right(chart: _Chart) -> float:
    return max((chart.pos[chart.nid("p", x)][0] + chart.pw[x] / 2 for x in chart.net.persons), default=0.0)


def _draw_contacts(w: SvgWriter, chart: _Chart) -> None:
    """A line per person and agency, as wide as their contacts; the victim's drawn last, on top."""
    net, pos, nid = chart.net, chart.pos, chart.nid
    column_right = _column_right(chart)
    agencies_left = min([pos[nid("a", a)][0] - chart.aw[a] / 2 for a in net.agencies] + [c[1][0] for c in chart.clusters],
                        default=column_right + 100.0)

    def layer(p: str) -> int:
        return 2 if p in net.victims else 1 if p in net.perpetrators else 0

    w.open("g", id="contacts")
    for (p, a), n in sorted(net.contacts.items(),
                            key=lambda kv: (layer(kv[0][0]), -kv[1], chart.index[kv[0][0]], net.agencies.index(kv[0][1]))):
        if p not in net.persons or a not in net.agencies:
            continue
        px, py = pos[nid("p", p)]
        ax, ay = pos[nid("a", a)]
        x0, x1, x2, x3 = px + chart.pw[p] / 2, column_right + 6.0, agencies_left - 8.0, ax - chart.aw[a] / 2
        dx = (x2 - x1) * 0.45
        # straight out past the longest name, a curve across, straight in to the agency
        d = (f"M{num(x0)} {num(py)} L{num(x1)} {num(py)} "
             f"C{num(x1 + dx)} {num(py)} {num(x2 - dx)} {num(ay)} {num(x2)} {num(ay)} L{num(x3)} {num(ay)}")
        colour = "#b3001b" if p in net.victims else "#263238" if p in net.perpetrators else "#78909c"
        w.el("path", d=d, fill="none", stroke=colour, stroke_width=num(edge_width(n)), stroke_opacity="0.7",
             data_kind="contact", data_person=chart.pid(p), data_agency=a, data_count=n)
    w.close("g")


def _draw_flows(w: SvgWriter, chart: _Chart) -> None:
    """Information passed between agencies: out of the right edge, past every agency, a loop, and
    back into the other's right edge."""
    net, pos, nid, aw = chart.net, chart.pos, chart.nid, chart.aw
    if not (chart.opts.information_flows and net.flows):
        return
    agencies_right = max([pos[nid("a", a)][0] + aw[a] / 2 for a in net.agencies] + [c[1][2] for c in chart.clusters],
                         default=_column_right(chart) + 100.0)
    w.open("g", id="flows")
    for (a, b), n in sorted(net.flows.items(), key=lambda kv: (net.agencies.index(kv[0][0]), net.agencies.index(kv[0][1]))):
        (x1, y1), (x2, y2) = pos[nid("a", a)], pos[nid("a", b)]
        sx, tx = x1 + aw[a] / 2, x2 + aw[b] / 2
        right = agencies_right + 8.0
        bulge = 24.0 + 0.12 * abs(y2 - y1)
        d = (f"M{num(sx)} {num(y1)} L{num(right)} {num(y1)} C{num(right + bulge)} {num(y1)} "
             f"{num(right + bulge)} {num(y2)} {num(right)} {num(y2)} L{num(tx + 7)} {num(y2)}")
        w.el("path", d=d, fill="none", stroke="#7b1fa2", stroke_width="1", stroke_dasharray="4 3",
             data_kind="flow", data_from=a, data_to=b, data_count=n)
        w.el("polygon", points=f"{num(tx)},{num(y2)} {num(tx + 8)},{num(y2 - 3.5)} {num(tx + 8)},{num(y2 + 3.5)}",
             fill="#7b1fa2", data_role="arrowhead", data_flow=f"{a}>{b}")
    w.close("g")


def _draw_agencies(w: SvgWriter, chart: _Chart) -> None:
    net = chart.net
    w.open("g", id="agencies")
    for a in net.agencies:
        x, y = chart.pos[chart.nid("a", a)]
        aw, ah = chart.aw[a], chart.ah[a]
        ag = chart.agencies[a]
        group, colour = TYPE_GROUP.get(ag.type, ("other", "#616161"))
        both = a in net.saw_both
        w.open("g", data_kind="agency", data_id=a, data_type=ag.type, data_group=group, data_area=net.areas[a],
               data_area_source=net.area_source[a],
               data_saw_both=both, data_contacts=sum(n for (p, b), n in net.contacts.items() if b == a))
        if both:
            w.el("rect", x=x - aw / 2 - 4, y=y - ah / 2 - 4, width=aw + 8, height=ah + 8, rx=9.0,
                 fill="none", stroke=SAW_BOTH, stroke_width="4", data_role="highlight")
        w.el("rect", x=x - aw / 2, y=y - ah / 2, width=aw, height=ah, rx=6.0, fill="#fff",
             stroke=OUTLINE, stroke_width="1.2", data_role="box")
        w.el("rect", x=x - aw / 2, y=y - ah / 2, width=12.0, height=ah, fill=colour, stroke=OUTLINE,
             stroke_width="0.8", data_role="type-bar")
        ty = y - 7.0 * len(chart.agency_lines[a]) + 10.5
        for t in chart.agency_lines[a]:
            w.text(x + 3.5, ty, t, LABEL_SIZE, data_role="label")
            ty += 14.0
        w.close("g")
    w.close("g")


def _draw_people(w: SvgWriter, chart: _Chart) -> None:
    w.open("g", id="people")
    for x in chart.net.persons:
        cx, cy = chart.pos[chart.nid("p", x)]
        p = chart.people[x]
        hidden = chart.opts.hide_children and chart.is_child(x)
        sex = "hidden" if hidden else (p.sex or "unknown")
        left = cx - chart.pw[x] / 2
        sx, sy = left + 20, cy
        w.open("g", data_kind="person", data_id=chart.pid(x), data_sex=sex, data_shape=person_shape(p, hidden),
               data_victim="victim" in p.roles, data_perpetrator="perpetrator" in p.roles, data_unborn=bool(p.unborn))
        shape = person_shape(p, hidden)
        _symbol(w, shape, sx, sy, "victim" in p.roles)
        ty = cy - 7.0 * len(chart.person_lines[x]) + 11.0
        for t in chart.person_lines[x]:
            w.text(left + 46, ty, t, LABEL_SIZE, anchor="start", bold="perpetrator" in p.roles or "victim" in p.roles,
                   data_role="label")
            ty += 14.0
        w.close("g")
    w.close("g")


def _document(chart: _Chart, body: SvgWriter) -> str:
    """Title, the network and its key as one document."""
    net, case = chart.net, chart.case
    width = max(chart.graph_w + 2 * MARGIN, 700.0)
    legend = SvgWriter()
    legend_h = _legend(legend, MARGIN, TITLE_H + chart.height + 20, width - 2 * MARGIN, net, chart.agencies)
    total_h = TITLE_H + chart.height + 20 + legend_h + MARGIN
    out = SvgWriter()
    out.el("rect", x=0.0, y=0.0, width=width, height=total_h, fill="#fff")
    ref = case.review.reference or case.review.id
    out.text(MARGIN, 30.0, f"Contact network: {ref}", 16.0, anchor="start", bold=True, data_role="title")
    subtitle = ("Who had contact with whom: line width = number of contacts; gold outline = agency saw both victim and perpetrator"
                if net.contacts else "No agency contacts are recorded in this review's chronology")
    out.text(MARGIN, 50.0, subtitle, 11.0, anchor="start", data_role="title")
    out.parts.extend(body.parts)
    out.parts.extend(legend.parts)
    return out.document(width, total_h, f"Contact network: {ref}", data_kind="network", data_review=ref,
                        data_publication=chart.opts.publication)


def person_shape(p, hidden: bool) -> str:
    """The genogram's symbol set: an unborn child is a triangle whatever its sex."""
    if p.unborn:
        return "triangle"
    if hidden or (p.sex or "unknown") == "unknown":
        return "diamond"
    return "square" if p.sex == "male" else "circle"


def _symbol(w: SvgWriter, shape: str, x: float, y: float, victim: bool) -> None:
    common = dict(fill="#fff", stroke="#000", stroke_width="1.5", data_role="symbol")
    if shape == "triangle":
        w.el("polygon", points=f"{num(x)},{num(y - 10)} {num(x + 11)},{num(y + 9)} {num(x - 11)},{num(y + 9)}", **common)
        return
    if shape == "square":
        w.el("rect", x=x - 13, y=y - 13, width=26.0, height=26.0, **common)
    elif shape == "circle":
        w.el("circle", cx=x, cy=y, r=14.0, **common)
    else:
        w.el("polygon", points=f"{num(x)},{num(y - 15)} {num(x + 15)},{num(y)} {num(x)},{num(y + 15)} {num(x - 15)},{num(y)}", **common)
    if victim:
        if shape == "circle":
            w.el("circle", cx=x, cy=y, r=17.5, fill="none", stroke="#000", stroke_width="1.5", data_role="outer")
        elif shape == "square":
            w.el("rect", x=x - 16.5, y=y - 16.5, width=33.0, height=33.0, fill="none", stroke="#000", stroke_width="1.5", data_role="outer")
        else:
            w.el("polygon", points=f"{num(x)},{num(y - 19)} {num(x + 19)},{num(y)} {num(x)},{num(y + 19)} {num(x - 19)},{num(y)}",
                 fill="none", stroke="#000", stroke_width="1.5", data_role="outer")


def _legend(w: SvgWriter, x0: float, y0: float, width: float, net: ContactNetwork, agencies: dict) -> float:
    """The key, wrapped to ``width``; returns its height."""
    used_groups = []
    for a in net.agencies:
        g = TYPE_GROUP.get(agencies[a].type, ("other", "#616161"))
        if g not in used_groups:
            used_groups.append(g)
    order = [(name, colour) for name, colour, _ in AGENCY_GROUPS]
    used_groups.sort(key=order.index)
    items = [("swatch", colour, name) for name, colour in used_groups]
    for n in sorted({1, 5, max(net.contacts.values(), default=1)}):
        items.append(("width", n, f"{n} contact" + ("s" if n != 1 else "")))
    items.append(("line", "#b3001b", "the victim's contacts"))
    items.append(("line", "#263238", "the perpetrator's contacts"))
    items.append(("line", "#78909c", "other people's contacts"))
    if net.saw_both:
        items.append(("both", SAW_BOTH, "saw both victim and perpetrator"))
    if net.flows:
        items.append(("flow", "#7b1fa2", "information shared / referral"))
    if any(src in ("events", "name") for src in net.area_source.values()):
        items.append(("mark", AREA_MARK, "area not in the case file: from the agency's events or name"))
    w.open("g", id="legend")
    w.text(x0, y0 + 12, "Key", 12.0, anchor="start", bold=True, data_role="legend-title")
    y = y0 + 24
    x = x0
    for kind, value, label in items:
        item_w = 42 + text_width(label, 10.5) + 22
        if x > x0 and x + item_w > x0 + width:
            x = x0
            y += 24
        if kind == "swatch":
            w.el("rect", x=x + 10, y=y, width=14.0, height=14.0, fill=value, stroke=OUTLINE, stroke_width="0.8",
                 data_role="legend-swatch")
        elif kind == "width":
            w.el("path", d=path_d([(x, y + 7), (x + 34, y + 7)]), stroke="#78909c", stroke_width=num(edge_width(value)))
        elif kind == "line":
            w.el("path", d=path_d([(x, y + 7), (x + 34, y + 7)]), stroke=value, stroke_width="2.5", stroke_opacity="0.7")
        elif kind == "both":
            w.el("rect", x=x + 2, y=y - 1, width=30.0, height=16.0, rx=5.0, fill="none", stroke=value, stroke_width="4")
        elif kind == "mark":
            w.text(x + 17, y + 12, value, 12.0, data_role="legend")
        else:
            w.el("path", d=path_d([(x, y + 7), (x + 34, y + 7)]), stroke=value, stroke_width="1", stroke_dasharray="4 3")
        w.text(x + 42, y + 11, label, 10.5, anchor="start", data_role="legend")
        x += item_w
    w.close("g")
    return y + 24 - y0
