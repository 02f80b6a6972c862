"""The chronology timeline: one lane per agency, a time axis, a glyph per event.

Each event sits in the lane of the agency that recorded it (events no agency saw
share a last lane) at the middle of its date; a partial date (a month, a year)
gets a thin bar over the days it can mean, and an event that went on for a while
(``until``) a thicker bar to its end. The glyph's shape tells the kind of event;
risk assessments, MARAC and MAPPA are coloured by risk level. The homicide is a
red line across all lanes and the review period a shaded band. Filters: people
(events involving any of them) and a period.

In publication mode no event ids, summaries or exact dates are written into the
SVG, and life events (births, moves) are left out: their position would give
dates of birth away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from dhrkg.ingest.casefile.dates import PartialDate
from dhrkg.ingest.casefile.model import CaseFile, Event

from .fontmetrics import text_width, wrap
from .network import AGENCY_GROUPS, TYPE_GROUP
from .svg import SvgWriter, num, path_d

MARGIN = 24.0
LANE_LABEL_W = 190.0
PLOT_W = 1500.0
SUBROW = 17.0
LANE_PAD = 8.0
GLYPH = 5.5
NO_AGENCY = "No agency (family and life events)"

# event type -> (glyph, legend name)
GLYPHS = {
    "incident": ("triangle", "incident"),
    "call": ("circle", "call (999/101)"),
    "risk_assessment": ("diamond", "risk assessment / MARAC / MAPPA"),
    "marac": ("diamond", "risk assessment / MARAC / MAPPA"),
    "mappa": ("diamond", "risk assessment / MARAC / MAPPA"),
    "homicide": ("star", "homicide"),
    "child_protection": ("hexagon", "child protection"),
    "life_event": ("plus", "life event"),
    "review_process": ("smallsquare", "review process"),
    "other": ("dot", "other"),
}
for _t in ("arrest", "charge", "caution", "conviction", "sentence", "custody", "release", "court", "licence", "warning"):
    GLYPHS[_t] = ("square", "criminal justice (arrest, charge, court...)")
for _t in ("referral", "information_sharing", "disclosure", "intelligence"):
    GLYPHS[_t] = ("arrow", "referral / information shared")
for _t in ("appointment", "home_visit", "assessment", "admission", "discharge", "case_closure"):
    GLYPHS[_t] = ("ring", "appointment, visit or assessment")

RISK_COLOURS = {
    "high": ("#c62828", "high risk"),
    "medium": ("#ef6c00", "medium risk"),
    "standard": ("#f9a825", "standard risk"),
    "low": ("#2e7d32", "low risk"),
    "none": ("#2e7d32", "no risk found"),
    None: ("#9e9e9e", "risk level not recorded"),
}


@dataclass
class TimelineOptions:
    persons: list[str] = field(default_factory=list)
    date_from: Optional[str] = None
    date_to: Optional[str] = None
    publication: bool = False


class TimelineError(ValueError):
    """Nothing to draw, or a filter names an unknown person."""


def _mid(e: Event, lo: dt.date = dt.date.min, hi: dt.date = dt.date.max) -> dt.date:
    """The middle of the days the event's date can mean, within the period shown [lo, hi]."""
    a, b = max(e.date.earliest, lo), min(e.date.latest, hi)
    if a > b:  # only its `until` reaches into the period
        a = b = max(min(e.date.earliest, hi), lo)
    return a + (b - a) / 2


def select_events(case: CaseFile, opts: TimelineOptions) -> list[Event]:
    known = {p.id for p in case.persons}
    for pid in opts.persons:
        if pid not in known:
            raise TimelineError(f"no person with id '{pid}' in review {case.review.id}")
    lo = PartialDate.parse(opts.date_from).earliest if opts.date_from else None
    hi = PartialDate.parse(opts.date_to).latest if opts.date_to else None
    wanted = set(opts.persons)
    out = []
    for e in case.events:
        if opts.publication and e.type == "life_event":
            continue
        end = (e.until or e.date).latest
        if lo is not None and end < lo:
            continue
        if hi is not None and e.date.earliest > hi:
            continue
        if wanted:
            involved = set(e.persons)
            if e.abuse:
                involved |= {x for x in [e.abuse.perpetrator, e.abuse.victim] if x} | set(e.abuse.victims or [])
            if not involved & wanted:
                continue
        out.append(e)
    return out


def timeline_svg(case: CaseFile, options: Optional[TimelineOptions] = None) -> str:
    """The chronology of a review as an SVG timeline."""
    opts = options or TimelineOptions()
    events = select_events(case, opts)
    if not events:
        raise TimelineError(f"no events to draw for review {case.review.id} with these filters")
    agencies = {a.id: a for a in case.agencies}
    group_order = {name: n for n, (name, _, _) in enumerate(AGENCY_GROUPS)}

    # lanes
    lane_events: dict[Optional[str], list[Event]] = {}
    for e in events:
        lane = e.agency if e.agency in agencies else None
        lane_events.setdefault(lane, []).append(e)

    def lane_key(a: Optional[str]):
        if a is None:
            return (1, 0, dt.date.max, "")
        group = TYPE_GROUP.get(agencies[a].type, ("other", ""))[0]
        first = min(x.date.earliest for x in lane_events[a])
        return (0, group_order.get(group, 99), first, a)

    lanes = sorted(lane_events, key=lane_key)

    # time scale
    lo = min(e.date.earliest for e in events)
    hi = max((e.until or e.date).latest for e in events)
    if opts.date_from:
        lo = max(lo, PartialDate.parse(opts.date_from).earliest)
    if opts.date_to:
        hi = min(hi, PartialDate.parse(opts.date_to).latest)
    span_days = max((hi - lo).days, 30)
    pad = max(span_days // 40, 5)
    t0 = lo - dt.timedelta(days=pad)
    t1 = hi + dt.timedelta(days=pad)
    days = (t1 - t0).days
    x0 = MARGIN + LANE_LABEL_W

    def xof(d: dt.date) -> float:
        d = min(max(d, t0), t1)
        return x0 + PLOT_W * (d - t0).days / days

    # stack glyphs in each lane
    placed: dict[str, tuple[int, float]] = {}
    lane_rows: dict[Optional[str], int] = {}
    for lane in lanes:
        ends: list[float] = []
        for e in sorted(lane_events[lane], key=lambda e: (_mid(e, lo, hi), e.id)):
            x = xof(_mid(e, lo, hi))
            left = min(x - GLYPH - 3, xof(max(e.date.earliest, lo)))
            right = max(x + GLYPH + 3, xof(min((e.until or e.date).latest, hi)))
            row = next((k for k, end in enumerate(ends) if end < left), None)
            if row is None:
                ends.append(right)
                row = len(ends) - 1
            else:
                ends[row] = right
            placed[e.id] = (row, x)
        lane_rows[lane] = max(len(ends), 1)

    title_h = 70.0
    axis_h = 28.0
    lane_tops = {}
    lane_heights = {}
    y = title_h + axis_h
    lane_labels = {}
    for lane in lanes:
        name = NO_AGENCY if lane is None else agencies[lane].name
        lines = wrap(name, 10.5, LANE_LABEL_W - 16, max_lines=3)
        lane_labels[lane] = lines
        h = max(lane_rows[lane] * SUBROW + 2 * LANE_PAD, 13.0 * len(lines) + 10)
        lane_tops[lane] = y
        lane_heights[lane] = h
        y += h
    plot_bottom = y
    w = SvgWriter()
    ref = case.review.reference or case.review.id

    # review period and lanes
    rp = case.review.review_period
    w.open("g", id="lanes")
    for k, lane in enumerate(lanes):
        top, h = lane_tops[lane], lane_heights[lane]
        w.el("rect", x=x0, y=top, width=PLOT_W, height=h, fill="#f7f7f7" if k % 2 == 0 else "#ffffff",
             data_kind="lane", data_agency=lane or "", data_events=len(lane_events[lane]))
        ty = top + h / 2 - 6.5 * len(lane_labels[lane]) + 10
        for t in lane_labels[lane]:
            w.text(x0 - 8, ty, t, 10.5, anchor="end", data_role="lane-label")
            ty += 13.0
        if lane is not None:
            group, colour = TYPE_GROUP.get(agencies[lane].type, ("other", "#616161"))
            w.el("rect", x=x0 - 4, y=top + 2, width=4.0, height=h - 4, fill=colour, data_role="type-bar")
    w.close("g")
    if rp is not None and rp.start is not None and rp.end is not None:
        a, b = xof(rp.start.earliest), xof(rp.end.latest)
        if b > a:
            w.el("rect", x=a, y=title_h + axis_h, width=b - a, height=plot_bottom - title_h - axis_h, fill="#fff3c4",
                 fill_opacity="0.45", data_kind="review-period")
    # axis
    w.open("g", id="axis")
    ticks = _ticks(t0, t1)
    for d, label, major in ticks:
        x = xof(d)
        w.el("path", d=path_d([(x, title_h + axis_h - (6 if major else 3)), (x, plot_bottom)]),
             stroke="#bdbdbd" if major else "#e0e0e0", stroke_width="0.8", data_role="tick")
        if label:
            w.text(x + 2, title_h + axis_h - 9, label, 10.0, anchor="start", data_role="tick-label")
    w.el("path", d=path_d([(x0, title_h + axis_h), (x0 + PLOT_W, title_h + axis_h)]), stroke="#616161", stroke_width="1")
    w.close("g")
    # homicide
    hd = case.review.homicide_date
    if hd is not None and t0 <= hd.earliest <= t1:
        hx = xof(hd.earliest + (hd.latest - hd.earliest) / 2)
        w.el("path", d=path_d([(hx, title_h + 6), (hx, plot_bottom)]), stroke="#c62828", stroke_width="2",
             data_kind="homicide-marker", data_x=hx)
        w.text(hx, title_h + 2, "homicide", 10.5, bold=True, fill="#c62828", data_role="homicide-label")
    # events
    used_glyphs: dict[str, str] = {}
    used_risk: dict[Optional[str], str] = {}
    w.open("g", id="events")
    for lane in lanes:
        top = lane_tops[lane]
        for e in sorted(lane_events[lane], key=lambda e: (_mid(e, lo, hi), e.id)):
            row, x = placed[e.id]
            gy = top + LANE_PAD + row * SUBROW + SUBROW / 2
            glyph, legend = GLYPHS.get(e.type, ("dot", "other"))
            used_glyphs.setdefault(glyph, legend)
            fill = "#212121"
            risk = None
            if glyph == "diamond":
                risk = e.risk.level if e.risk else None
                fill = RISK_COLOURS[risk][0]
                used_risk.setdefault(risk, RISK_COLOURS[risk][1])
            elif glyph == "star":
                fill = "#c62828"
            w.open("g", data_kind="event", data_id=None if opts.publication else e.id, data_type=e.type,
                   data_agency=lane or "", data_risk=risk, data_x=x,
                   data_date=None if opts.publication else str(e.date))
            if not opts.publication:
                w.el("title", f"{e.date} {e.type.replace('_', ' ')}: {e.summary or ''}".strip())
            a, b = xof(max(e.date.earliest, lo)), xof(min(e.date.latest, hi))
            if b - a > 2 * GLYPH:
                w.el("path", d=path_d([(a, gy), (b, gy)]), stroke="#9e9e9e", stroke_width="1.2", data_role="uncertainty")
                used_glyphs.setdefault("range", "date known only to the month or year")
            if e.until is not None:
                u = xof(min(e.until.latest, hi))
                if u > x:
                    w.el("path", d=path_d([(x, gy), (u, gy)]), stroke=fill, stroke_width="3", stroke_opacity="0.5",
                         data_role="duration")
                    used_glyphs.setdefault("duration", "went on until")
            _glyph(w, glyph, x, gy, fill)
            w.close("g")
    w.close("g")

    # title
    out = SvgWriter()
    width = x0 + PLOT_W + MARGIN
    out.text(MARGIN, 30.0, f"Chronology: {ref}", 16.0, anchor="start", bold=True, data_role="title")
    sub = [f"{len(events)} events in {len(lanes)} lanes"]
    if opts.persons:
        people = {p.id: p for p in case.persons}
        names = [people[p].name or (f"person {[q.id for q in case.persons].index(p) + 1}" if opts.publication else p)
                 for p in opts.persons]
        sub.append("involving " + ", ".join(names))
    if opts.date_from or opts.date_to:
        sub.append(f"from {opts.date_from or 'the start'} to {opts.date_to or 'the end'}")
    out.text(MARGIN, 50.0, "; ".join(sub), 11.0, anchor="start", data_role="title")
    legend = SvgWriter()
    legend_h = _legend(legend, MARGIN, plot_bottom + 18, width - 2 * MARGIN, used_glyphs, used_risk,
                       hd is not None, rp is not None)
    height = plot_bottom + 18 + legend_h + MARGIN
    doc = SvgWriter()
    doc.el("rect", x=0.0, y=0.0, width=width, height=height, fill="#fff")
    doc.parts.extend(out.parts)
    doc.parts.extend(w.parts)
    doc.parts.extend(legend.parts)
    return doc.document(width, height, f"Chronology: {ref}", data_kind="timeline", data_review=ref,
                        data_publication=opts.publication,
                        # the time scale, for reading the drawing back (no exact dates when publishing)
                        data_t0=None if opts.publication else str(t0), data_t1=None if opts.publication else str(t1),
                        data_from=None if opts.publication else str(lo), data_to=None if opts.publication else str(hi),
                        data_plot_x=x0, data_plot_w=PLOT_W)


def _ticks(t0: dt.date, t1: dt.date) -> list[tuple[dt.date, str, bool]]:
    years = t1.year - t0.year
    out = []
    if years >= 3:
        step = 1 if years <= 25 else 5
        for y in range(t0.year + 1, t1.year + 1):
            if y % step == 0:
                out.append((dt.date(y, 1, 1), str(y), True))
        return out
    d = dt.date(t0.year, t0.month, 1)
    while d <= t1:
        if d > t0:
            major = d.month == 1
            label = str(d.year) if major else (d.strftime("%b") if years < 2 or d.month in (4, 7, 10) else "")
            out.append((d, label, major))
        d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def _glyph(w: SvgWriter, glyph: str, x: float, y: float, fill: str) -> None:
    g = GLYPH
    common = dict(stroke="#212121", stroke_width="1", data_role="glyph", data_glyph=glyph)
    if glyph == "triangle":
        w.el("polygon", points=f"{num(x)},{num(y - g - 1)} {num(x + g + 1)},{num(y + g)} {num(x - g - 1)},{num(y + g)}",
             fill="#b71c1c", **common)
    elif glyph == "circle":
        w.el("circle", cx=x, cy=y, r=g, fill=fill, **common)
    elif glyph == "ring":
        w.el("circle", cx=x, cy=y, r=g - 0.5, fill="#fff", **{**common, "stroke_width": "1.8"})
    elif glyph == "square":
        w.el("rect", x=x - g + 0.5, y=y - g + 0.5, width=2 * g - 1, height=2 * g - 1, fill="#5e35b1", **common)
    elif glyph == "diamond":
        w.el("polygon", points=f"{num(x)},{num(y - g - 1.5)} {num(x + g + 1.5)},{num(y)} {num(x)},{num(y + g + 1.5)} {num(x - g - 1.5)},{num(y)}",
             fill=fill, **common)
    elif glyph == "arrow":
        w.el("polygon", points=f"{num(x - g)},{num(y - g)} {num(x + g + 1)},{num(y)} {num(x - g)},{num(y + g)}",
             fill="#00796b", **common)
    elif glyph == "hexagon":
        pts = " ".join(f"{num(x + g * c)},{num(y + g * s)}" for c, s in
                       ((1, 0), (0.5, 0.87), (-0.5, 0.87), (-1, 0), (-0.5, -0.87), (0.5, -0.87)))
        w.el("polygon", points=pts, fill="#f57c00", **common)
    elif glyph == "plus":
        w.el("path", d=path_d([(x - g, y), (x + g, y)]) + " " + path_d([(x, y - g), (x, y + g)]),
             **{**common, "stroke_width": "2.2"})
    elif glyph == "smallsquare":
        w.el("rect", x=x - 3.5, y=y - 3.5, width=7.0, height=7.0, fill="#fff", **common)
    elif glyph == "star":
        pts = []
        import math
        for k in range(10):
            r = g + 3 if k % 2 == 0 else (g + 3) * 0.45
            a = -math.pi / 2 + k * math.pi / 5
            pts.append(f"{num(x + r * math.cos(a))},{num(y + r * math.sin(a))}")
        w.el("polygon", points=" ".join(pts), fill=fill, **common)
    else:
        w.el("circle", cx=x, cy=y, r=3.0, fill="#757575", **common)


def _legend(w: SvgWriter, x0: float, y0: float, width: float, glyphs: dict[str, str], risks: dict,
            homicide: bool, period: bool) -> float:
    order = ["triangle", "circle", "square", "diamond", "arrow", "ring", "hexagon", "plus", "smallsquare", "star",
             "dot", "range", "duration"]
    items = [(g, glyphs[g]) for g in order if g in glyphs]
    risk_order = ["high", "medium", "standard", "low", "none", None]
    items += [("risk", (k, risks[k])) for k in risk_order if k in risks]
    if homicide:
        items.append(("homicide-line", "date of the homicide"))
    if period:
        items.append(("period", "review period"))
    w.open("g", id="legend")
    w.text(x0, y0 + 12, "Key", 12.0, anchor="start", bold=True, data_role="legend-title")
    x, y = x0, y0 + 26
    for kind, value in items:
        label = value[1] if kind == "risk" else value
        item_w = 26 + text_width(label, 10.5) + 22
        if x > x0 and x + item_w > x0 + width:
            x, y = x0, y + 22
        cy = y + 6
        if kind == "risk":
            _glyph(w, "diamond", x + 9, cy, RISK_COLOURS[value[0]][0])
        elif kind == "range":
            w.el("path", d=path_d([(x, cy), (x + 18, cy)]), stroke="#9e9e9e", stroke_width="1.2")
        elif kind == "duration":
            w.el("path", d=path_d([(x, cy), (x + 18, cy)]), stroke="#212121", stroke_width="3", stroke_opacity="0.5")
        elif kind == "homicide-line":
            w.el("path", d=path_d([(x + 9, cy - 8), (x + 9, cy + 8)]), stroke="#c62828", stroke_width="2")
        elif kind == "period":
            w.el("rect", x=x, y=cy - 7, width=18.0, height=14.0, fill="#fff3c4", stroke="#e0c060", stroke_width="0.8")
        else:
            _glyph(w, kind, x + 9, cy, "#c62828" if kind == "star" else "#212121")
        w.text(x + 26, cy + 4, label, 10.5, anchor="start", data_role="legend")
        x += item_w
    w.close("g")
    return y + 22 - y0
