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

Drawn at print size: the SVG is in points, as wide as the page (A3 landscape by
default, ``page``), so its text prints at its stated size (PNG at 300 dpi). By
default the axis gives most of its width to the period that holds most events;
earlier ones go in a narrow zone left of an axis break. A date known only to the
month or year is a span; when the chronology lists the event before the homicide
(or after it) the span is cut at the homicide, so it is never drawn on the wrong
side. ``labels`` writes a short label beside the events that matter (incidents,
risk assessments, MARAC/MAPPA, referrals).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from dhrkg.model.dates import PartialDate
from dhrkg.model.model import CaseFile, Event

from .fontmetrics import text_width, wrap
from .network import AGENCY_GROUPS, TYPE_GROUP
from .page import MARGIN_MM, PAPER_MM, PT_PER_MM, check_page
from .svg import SvgWriter, num, path_d

MARGIN = 24.0
LANE_LABEL_W = 190.0
PLOT_W = 1500.0  # page "fit": the plot's width in points
EARLY_SHARE = 0.13  # of the plot, for events before the main period (beyond a break)
BREAK_GAP = 10.0
MAIN_SHARE_OF_EVENTS = 0.9  # the main period holds at least this share of the events
LABEL_TEXT = 8.5
LABELLED = ("incident", "risk_assessment", "marac", "mappa", "referral")
SUBROW = 19.0
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

# risk level -> (fill, legend, letter): fills far apart in lightness (greyscale print), and a
# letter in each diamond, so no two levels look alike
RISK_COLOURS = {
    "high": ("#a50f15", "high risk", "H"),
    "medium": ("#f4892f", "medium risk", "M"),
    "standard": ("#fff3b0", "standard risk", "S"),
    "low": ("#ffffff", "low risk", "L"),
    "none": ("#ffffff", "no risk found", "N"),
    None: ("#bdbdbd", "risk level not recorded", "?"),
}


@dataclass
class TimelineOptions:
    persons: list[str] = field(default_factory=list)
    date_from: Optional[str] = None
    date_to: Optional[str] = None
    publication: bool = False
    labels: bool = False  # short labels beside incidents, risk assessments, MARAC/MAPPA, referrals
    page: str = "a3"  # the page it is drawn for: a4 | a3 (landscape) | fit


class TimelineError(ValueError):
    """Nothing to draw, or a filter names an unknown person."""


def homicide_sides(case: CaseFile) -> dict[str, int]:
    """-1 for events the chronology lists before the (first) homicide event, +1 after it."""
    order = [e.id for e in case.events]
    at = next((k for k, e in enumerate(case.events) if e.type == "homicide"), None)
    if at is None:
        return {}
    return {eid: (-1 if k < at else 1) for k, eid in enumerate(order) if k != at}


def event_span(e: Event, homicide: Optional[PartialDate], side: int) -> tuple[dt.date, dt.date]:
    """The days the event's date can mean, cut at the homicide when the chronology puts the event
    before it (side -1) or after it (+1)."""
    a, b = e.date.earliest, e.date.latest
    if homicide is not None and side < 0 and b > homicide.latest:
        b = max(a, homicide.latest)
    if homicide is not None and side > 0 and a < homicide.earliest:
        a = min(b, homicide.earliest)
    return a, b


def _mid(span: tuple[dt.date, dt.date], lo: dt.date = dt.date.min, hi: dt.date = dt.date.max,
         until: Optional[dt.date] = None) -> dt.date:
    """The middle of a span within the period shown [lo, hi]."""
    a, b = max(span[0], lo), min(span[1], hi)
    if a > b:  # only its `until` reaches into the period
        a = b = max(min(span[0], hi), lo)
    return a + (b - a) / 2


class Scale:
    """Dates to x: linear over [t0, t1], or with a break at ``tb``: [t0, tb) squeezed into the
    first ``early_w`` points, then a gap, then [tb, t1] over the rest."""

    def __init__(self, x0: float, width: float, t0: dt.date, t1: dt.date, tb: Optional[dt.date] = None):
        self.x0, self.width, self.t0, self.t1, self.tb = x0, width, t0, t1, tb
        self.early_w = width * EARLY_SHARE if tb else 0.0
        self.main_x = x0 + (self.early_w + BREAK_GAP if tb else 0.0)

    def x(self, d: dt.date) -> float:
        d = min(max(d, self.t0), self.t1)
        if self.tb is not None and d < self.tb:
            return self.x0 + self.early_w * (d - self.t0).days / max((self.tb - self.t0).days, 1)
        start = self.tb or self.t0
        return self.main_x + (self.x0 + self.width - self.main_x) * (d - start).days / max((self.t1 - start).days, 1)

    def attrs(self) -> dict:
        return dict(data_t0=str(self.t0), data_t1=str(self.t1), data_break=str(self.tb) if self.tb else None,
                    data_plot_x=self.x0, data_plot_w=self.width, data_early_w=self.early_w if self.tb else None,
                    data_break_gap=BREAK_GAP if self.tb else None)


def main_period_start(dates: list[dt.date], lo: dt.date, hi: dt.date) -> Optional[dt.date]:
    """Where the period that holds most events starts, when the few events before it would
    otherwise take a large part of the axis; else None (no break)."""
    dates = sorted(dates)
    cut = int(len(dates) * (1 - MAIN_SHARE_OF_EVENTS))
    if cut < 1:
        return None
    start = dt.date(dates[cut].year, 1, 1)
    if start <= lo or (start - lo).days < 0.35 * (hi - lo).days:
        return None
    return start


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


def page_width_pt(page: str) -> float:
    """The drawing's width in points: the page's long side less its margins (``fit``: the default plot)."""
    page = check_page(page)
    if page == "fit":
        return 2 * MARGIN + LANE_LABEL_W + PLOT_W
    return (PAPER_MM[page][0] - 2 * MARGIN_MM) * PT_PER_MM


def event_label(e: Event, agencies: dict, publication: bool) -> Optional[str]:
    """A short label for the events that matter: what it was (risk level, where a referral went)
    and, unless publishing, the day."""
    if e.type not in LABELLED:
        return None
    if e.type in ("risk_assessment", "marac", "mappa"):
        what = {"marac": "MARAC", "mappa": "MAPPA"}.get(e.type) or (e.risk.tool if e.risk and e.risk.tool else "risk")
        if e.risk and e.risk.level:
            what += f" {e.risk.level}"
    elif e.type == "referral":
        to = agencies.get(e.referral_to)
        what = "referral" + (f" to {to.abbreviation or to.name}" if to else "")
    else:
        kinds = list(e.abuse.kinds) if e.abuse and e.abuse.kinds else []
        what = "incident" + (f": {kinds[0].replace('_', ' ')}" if kinds else "")
    if len(what) > 34:
        what = what[:33] + "\u2026"
    if not publication and e.date.precision == "day":
        what = f"{e.date.earliest.day} {e.date.earliest.strftime('%b')} {what}"
    return what


@dataclass
class _Chart:
    """What the timeline's steps work out and draw from: lanes, the time scale, where each event sits."""

    case: CaseFile
    opts: TimelineOptions
    events: list[Event]
    agencies: dict
    spans: dict[str, tuple[dt.date, dt.date]]
    lanes: list[Optional[str]] = field(default_factory=list)
    lane_events: dict[Optional[str], list[Event]] = field(default_factory=dict)
    lo: dt.date = dt.date.min
    hi: dt.date = dt.date.max
    t0: dt.date = dt.date.min
    t1: dt.date = dt.date.max
    tb: Optional[dt.date] = None  # the axis break: earlier years compressed left of it
    scale: Optional["Scale"] = None
    width: float = 0.0
    plot_w: float = 0.0
    x0: float = 0.0
    labels: dict[str, str] = field(default_factory=dict)
    placed: dict[str, tuple[int, float]] = field(default_factory=dict)  # event id: (sub-row, x)
    lane_rows: dict[Optional[str], int] = field(default_factory=dict)
    lane_tops: dict[Optional[str], float] = field(default_factory=dict)
    lane_heights: dict[Optional[str], float] = field(default_factory=dict)
    lane_labels: dict[Optional[str], list[str]] = field(default_factory=dict)
    plot_top: float = 0.0
    plot_bottom: float = 0.0

    def where(self, e: Event) -> float:
        return self.scale.x(_mid(self.spans[e.id], self.lo, self.hi))

    def in_order(self, lane: Optional[str]) -> list[Event]:
        return sorted(self.lane_events[lane], key=lambda e: (self.where(e), e.id))


TITLE_H = 70.0
AXIS_H = 30.0


def timeline_svg(case: CaseFile, options: Optional[TimelineOptions] = None) -> str:
    """The chronology of a review as an SVG timeline, in points, as wide as the page."""
    opts = options or TimelineOptions()
    events = select_events(case, opts)
    if not events:
        raise TimelineError(f"no events to draw for review {case.review.id} with these filters")
    hd = case.review.homicide_date
    sides = homicide_sides(case)
    chart = _Chart(case, opts, events, {a.id: a for a in case.agencies},
                   {e.id: event_span(e, hd, sides.get(e.id, 0)) for e in events})
    _sort_lanes(chart)
    _time_scale(chart)
    if opts.labels:
        chart.labels = {e.id: event_label(e, chart.agencies, opts.publication) for e in events}
    _stack_events(chart)
    _lane_geometry(chart)
    w = SvgWriter()
    _draw_lanes(w, chart)
    _draw_review_period(w, chart)
    _draw_axis(w, chart)
    _draw_homicide(w, chart)
    used_glyphs, used_risk = _draw_events(w, chart)
    return _document(chart, w, used_glyphs, used_risk)


def _sort_lanes(chart: _Chart) -> None:
    """One lane per agency (by agency type group, then first event), then events with no agency."""
    group_order = {name: n for n, (name, _, _) in enumerate(AGENCY_GROUPS)}
    for e in chart.events:
        lane = e.agency if e.agency in chart.agencies else None
        chart.lane_events.setdefault(lane, []).append(e)

    def lane_key(a: Optional[str]):
        if a is None:
            return (1, 0, dt.date.max, "")
        group = TYPE_GROUP.get(chart.agencies[a].type, ("other", ""))[0]
        first = min(x.date.earliest for x in chart.lane_events[a])
        return (0, group_order.get(group, 99), first, a)

    chart.lanes = sorted(chart.lane_events, key=lane_key)


def _time_scale(chart: _Chart) -> None:
    """The period drawn (the filters, else all events, the earlier years compressed behind a
    break when most events are later) and the scale across the page."""
    opts, spans, events = chart.opts, chart.spans, chart.events
    lo = min(spans[e.id][0] for e in events)
    hi = max(max(spans[e.id][1], e.until.latest if e.until else spans[e.id][1]) for e in events)
    if opts.date_from:
        lo = max(lo, PartialDate.parse(opts.date_from).earliest)
    if opts.date_to:
        hi = min(hi, PartialDate.parse(opts.date_to).latest)
    chart.width = page_width_pt(opts.page)
    chart.plot_w = chart.width - 2 * MARGIN - LANE_LABEL_W
    tb = None if (opts.date_from or opts.date_to) else main_period_start([spans[e.id][0] for e in events], lo, hi)
    span_days = max((hi - (tb or lo)).days, 30)
    pad = max(span_days // 40, 5)
    chart.lo, chart.hi, chart.tb = lo, hi, tb
    chart.t0 = lo - dt.timedelta(days=pad if tb is None else 0)
    chart.t1 = hi + dt.timedelta(days=pad)
    chart.x0 = MARGIN + LANE_LABEL_W
    chart.scale = Scale(chart.x0, chart.plot_w, chart.t0, chart.t1, tb)


def _stack_events(chart: _Chart) -> None:
    """Events (with their spans and labels) in sub-rows of their lane, so none overlaps another."""
    xof, lo, hi, spans = chart.scale.x, chart.lo, chart.hi, chart.spans
    for lane in chart.lanes:
        ends: list[float] = []
        for e in chart.in_order(lane):
            x = chart.where(e)
            left = min(x - GLYPH - 3, xof(max(spans[e.id][0], lo)))
            right = max(x + GLYPH + 3, xof(min(spans[e.id][1], hi)))
            if e.until is not None:
                right = max(right, xof(min(e.until.latest, hi)))
            if chart.labels.get(e.id):
                right = max(right, x + GLYPH + 4 + text_width(chart.labels[e.id], LABEL_TEXT))
            row = next((k for k, end in enumerate(ends) if end < left), None)
            if row is None:
                ends.append(right)
                row = len(ends) - 1
            else:
                ends[row] = right
            chart.placed[e.id] = (row, x)
        chart.lane_rows[lane] = max(len(ends), 1)


def _lane_geometry(chart: _Chart) -> None:
    y = chart.plot_top = TITLE_H + AXIS_H
    for lane in chart.lanes:
        name = NO_AGENCY if lane is None else chart.agencies[lane].name
        lines = wrap(name, 10.5, LANE_LABEL_W - 16, max_lines=3)
        chart.lane_labels[lane] = lines
        h = max(chart.lane_rows[lane] * SUBROW + 2 * LANE_PAD, 13.0 * len(lines) + 10)
        chart.lane_tops[lane] = y
        chart.lane_heights[lane] = h
        y += h
    chart.plot_bottom = y


def _draw_lanes(w: SvgWriter, chart: _Chart) -> None:
    x0 = chart.x0
    w.open("g", id="lanes")
    for k, lane in enumerate(chart.lanes):
        top, h = chart.lane_tops[lane], chart.lane_heights[lane]
        w.el("rect", x=x0, y=top, width=chart.plot_w, height=h, fill="#f7f7f7" if k % 2 == 0 else "#ffffff",
             data_kind="lane", data_agency=lane or "", data_events=len(chart.lane_events[lane]))
        ty = top + h / 2 - 6.5 * len(chart.lane_labels[lane]) + 10
        for t in chart.lane_labels[lane]:
            w.text(x0 - 8, ty, t, 10.5, anchor="end", data_role="lane-label")
            ty += 13.0
        if lane is not None:
            group, colour = TYPE_GROUP.get(chart.agencies[lane].type, ("other", "#616161"))
            w.el("rect", x=x0 - 5, y=top + 2, width=5.0, height=h - 4, fill=colour, stroke="#4a4a4a",
                 stroke_width="0.5", data_role="type-bar")
    w.close("g")


def _draw_review_period(w: SvgWriter, chart: _Chart) -> None:
    rp = chart.case.review.review_period
    if rp is not None and rp.start is not None and rp.end is not None:
        a, b = chart.scale.x(rp.start.earliest), chart.scale.x(rp.end.latest)
        if b > a:
            w.el("rect", x=a, y=chart.plot_top, width=b - a, height=chart.plot_bottom - chart.plot_top,
                 fill="#fff3c4", fill_opacity="0.45", data_kind="review-period")


def _draw_axis(w: SvgWriter, chart: _Chart) -> None:
    scale, x0, plot_top, plot_bottom = chart.scale, chart.x0, chart.plot_top, chart.plot_bottom
    w.open("g", id="axis")
    for d, label, major in _axis_ticks(scale):
        x = scale.x(d)
        w.el("path", d=path_d([(x, plot_top - (6 if major else 3)), (x, plot_bottom)]),
             stroke="#bdbdbd" if major else "#e0e0e0", stroke_width="0.8", data_role="tick")
        if label:
            w.text(x + 2, plot_top - 9, label, 10.0, anchor="start", data_role="tick-label")
    w.el("path", d=path_d([(x0, plot_top), (x0 + chart.plot_w, plot_top)]), stroke="#616161", stroke_width="1")
    if chart.tb is not None:
        gx = x0 + scale.early_w
        w.el("rect", x=gx, y=plot_top - 12, width=BREAK_GAP, height=plot_bottom - plot_top + 12, fill="#fff",
             data_kind="axis-break", data_date=str(chart.tb))
        for dx in (1.5, BREAK_GAP - 1.5):
            w.el("path", d=path_d([(gx + dx - 3, plot_top + 5), (gx + dx + 3, plot_top - 5)]), stroke="#616161",
                 stroke_width="1")
    w.close("g")


def _draw_homicide(w: SvgWriter, chart: _Chart) -> None:
    """A line across the lanes only, its label above the axis labels (no year struck through)."""
    hd = chart.case.review.homicide_date
    if hd is not None and chart.t0 <= hd.earliest <= chart.t1:
        hx = chart.scale.x(hd.earliest + (hd.latest - hd.earliest) / 2)
        w.el("path", d=path_d([(hx, chart.plot_top), (hx, chart.plot_bottom)]), stroke="#c62828", stroke_width="2",
             data_kind="homicide-marker", data_x=hx)
        w.text(hx, TITLE_H - 2, "homicide", 10.5, bold=True, fill="#c62828", data_role="homicide-label")


def _draw_events(w: SvgWriter, chart: _Chart) -> tuple[dict[str, str], dict[Optional[str], str]]:
    """Every event's glyph (with its date span, duration and label); returns the glyphs and risk
    levels used, for the key."""
    used_glyphs: dict[str, str] = {}
    used_risk: dict[Optional[str], str] = {}
    w.open("g", id="events")
    for lane in chart.lanes:
        for e in chart.in_order(lane):
            _draw_event(w, chart, e, lane, used_glyphs, used_risk)
    w.close("g")
    return used_glyphs, used_risk


def _draw_event(w: SvgWriter, chart: _Chart, e: Event, lane: Optional[str], used_glyphs: dict,
                used_risk: dict) -> None:
    opts, xof = chart.opts, chart.scale.x
    row, x = chart.placed[e.id]
    gy = chart.lane_tops[lane] + LANE_PAD + row * SUBROW + SUBROW / 2
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
    a, b = xof(max(chart.spans[e.id][0], chart.lo)), xof(min(chart.spans[e.id][1], chart.hi))
    if b - a > 2 * GLYPH:
        w.el("path", d=path_d([(a, gy - 3.5), (a, gy + 3.5), (a, gy), (b, gy), (b, gy - 3.5), (b, gy + 3.5)]),
             fill="none", stroke="#8a8a8a", stroke_width="1.2", data_role="uncertainty")
        used_glyphs.setdefault("range", "date known only to the month or year (the span it can mean)")
    if e.until is not None:
        u = xof(min(e.until.latest, chart.hi))
        if u > x:
            w.el("path", d=path_d([(x, gy), (u, gy)]), stroke=fill, stroke_width="3", stroke_opacity="0.5",
                 data_role="duration")
            used_glyphs.setdefault("duration", "went on until")
    _glyph(w, glyph, x, gy, fill, risk)
    if chart.labels.get(e.id):
        w.text(x + GLYPH + 3, gy + LABEL_TEXT * 0.36, chart.labels[e.id], LABEL_TEXT, anchor="start",
               data_role="event-label")
    w.close("g")


def _title(chart: _Chart) -> SvgWriter:
    opts, case = chart.opts, chart.case
    out = SvgWriter()
    ref = case.review.reference or case.review.id
    out.text(MARGIN, 30.0, f"Chronology: {ref}", 16.0, anchor="start", bold=True, data_role="title")
    sub = [f"{len(chart.events)} events in {len(chart.lanes)} lanes"]
    if opts.persons:
        people = {p.id: p for p in case.persons}
        names = [people[p].name or (f"person {[q.id for q in case.persons].index(p) + 1}" if opts.publication else p)
                 for p in opts.persons]
        sub.append("involving " + ", ".join(names))
    if opts.date_from or opts.date_to:
        sub.append(f"from {opts.date_from or 'the start'} to {opts.date_to or 'the end'}")
    if chart.tb is not None:
        sub.append(f"before {chart.tb.year} compressed (left of the break)")
    out.text(MARGIN, 50.0, "; ".join(sub), 11.0, anchor="start", data_role="title")
    return out


def _document(chart: _Chart, body: SvgWriter, used_glyphs: dict, used_risk: dict) -> str:
    """Title, lanes and key as one document in points, with the parts paging.py splits pages by."""
    opts, case, width = chart.opts, chart.case, chart.width
    ref = case.review.reference or case.review.id
    legend = SvgWriter()
    legend_h = _legend(legend, MARGIN, chart.plot_bottom + 18, width - 2 * MARGIN, used_glyphs, used_risk,
                       case.review.homicide_date is not None, case.review.review_period is not None)
    height = chart.plot_bottom + 18 + legend_h + MARGIN
    doc = SvgWriter()
    doc.el("rect", x=0.0, y=0.0, width=width, height=height, fill="#fff")
    # parts for splitting a chronology taller than its page into pages (paging.py)
    doc.parts += ["<!--part:head-->", *_title(chart).parts, "<!--/part:head-->", "<!--part:body-->", *body.parts,
                  "<!--/part:body-->", "<!--part:foot-->", *legend.parts, "<!--/part:foot-->"]
    bands = _page_bands(opts.page, [(chart.lane_tops[lane], chart.lane_tops[lane] + chart.lane_heights[lane])
                                    for lane in chart.lanes], chart.plot_top, height - chart.plot_bottom)
    attrs = chart.scale.attrs()
    attrs.update(data_head=chart.plot_top, data_bands=";".join(f"{num(a)} {num(b)}" for a, b in bands) or None)
    if opts.publication:  # the time scale, for reading the drawing back: no exact dates when publishing
        attrs.update(data_t0=None, data_t1=None, data_break=None)
    svg = doc.document(width, height, f"Chronology: {ref}", data_kind="timeline", data_review=ref,
                       data_publication=opts.publication, data_page=check_page(opts.page),
                       data_from=None if opts.publication else str(chart.lo),
                       data_to=None if opts.publication else str(chart.hi), **attrs)
    # in points: the drawing prints at its stated sizes
    head_end = svg.index(">", svg.index("<svg"))
    head = svg[:head_end].replace(f' width="{num(width)}"', f' width="{num(width)}pt"', 1)
    head = head.replace(f' height="{num(height)}"', f' height="{num(height)}pt"', 1)
    return head + svg[head_end:]


def _page_bands(page: str, lanes: list[tuple[float, float]], head_h: float, foot_h: float) -> list[tuple[float, float]]:
    """Lanes grouped into bands that fit, under the title and axis (and the key on the last),
    on the height of the landscape page; none when everything fits on one page."""
    page = check_page(page)
    if page == "fit" or not lanes:
        return []
    room = (PAPER_MM[page][1] - 2 * MARGIN_MM) * PT_PER_MM
    if head_h + (lanes[-1][1] - lanes[0][0]) + foot_h <= room:
        return []
    bands: list[list[float]] = []
    for top, bottom in lanes:
        if bands and bottom - bands[-1][0] <= room - head_h - foot_h:
            bands[-1][1] = bottom
        else:
            bands.append([top, bottom])
    return [(a, b) for a, b in bands]


def _axis_ticks(scale: Scale) -> list[tuple[dt.date, str, bool]]:
    """Ticks for the main period and, beyond a break, the early zone; a label is dropped where it
    would run into the one before."""
    if scale.tb is None:
        ticks = _ticks(scale.t0, scale.t1)
    else:
        ticks = [t for t in _ticks(scale.t0, scale.tb) if t[0] < scale.tb] + _ticks(scale.tb, scale.t1)
        ticks = [t for t in ticks if t[0] != scale.tb] + [(scale.tb, str(scale.tb.year), True)]
        ticks.sort()
    out = []
    last_end = -1e9
    for d, label, major in ticks:
        x = scale.x(d)
        if label and x + 2 < last_end + 4:
            label = ""
        if label:
            last_end = x + 2 + text_width(label, 10.0)
        out.append((d, label, major))
    return out


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


def _glyph(w: SvgWriter, glyph: str, x: float, y: float, fill: str, risk: object = False) -> None:
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
        r = g + 3.0
        w.el("polygon", points=f"{num(x)},{num(y - r)} {num(x + r)},{num(y)} {num(x)},{num(y + r)} {num(x - r)},{num(y)}",
             fill=fill, **common)
        if risk is not False:
            letter = RISK_COLOURS[risk][2]
            dark = risk == "high"
            w.text(x, y + 2.9, letter, 8.0, bold=True, fill="#fff" if dark else "#000", data_role="risk-letter")
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
            _glyph(w, "diamond", x + 9, cy, RISK_COLOURS[value[0]][0], value[0])
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
