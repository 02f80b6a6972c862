"""Genograms (McGoldrick/GenoPro conventions) as deterministic SVG.

Symbols: square male, circle female, diamond sex unknown (or not shown); an X
through the dead; a double outline for the victim; the perpetrator labelled;
an unborn child a small triangle on a dotted line (crossed when lost). Couple
lines: solid married or civil partnership, dashed cohabiting, dotted dating,
dash-dot where the file does not say; one slash separated, two slashes
divorced or ended. Children hang from their parents' couple line, oldest on
the left; twins from one point; adopted dashed (A), foster dotted (F); no child
line from a step-parent. Abuse: a zig-zag with the arrowhead at the person
abused, the style telling the kind apart in greyscale. Households: a dashed
rounded outline around exactly their members.

Every person group, line and outline carries ``data-`` attributes (id, sex,
shape, markers; kind, status, from/to; members) so tests and other tools can
read the drawing back.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

from dhrkg.model.dates import PartialDate
from dhrkg.model.model import CaseFile

from . import outlines
from .family import Family, FamilyOptions, build_family
from .fontmetrics import ASCENT, text_width, wrap
from .genogram_layout import (
    CIRCLE_R, COUPLE_TEXT_SIZE, DIAMOND_R, LABEL_LEAD, LABEL_SIZE, SQUARE_HALF,
    SPACINGS, TRIANGLE_HALF, VICTIM_GAP, Layout, PersonBox, age_outside, layout_family, reshape_panel, split_polyline,
)
from .genogram_panel import (
    NOTE_LEAD, NOTE_SIZE, PANEL_TITLE, SWATCH_W, TITLE_SIZE as PANEL_TITLE_SIZE, print_key, shapes,
)
from .page import MIN_FONT_PT, check_page, page_for
from .svg import SvgWriter, num, path_d

MARGIN = 24.0
KEY_MIN_ROOM = 880.0  # the key under the drawing may be this wide (in columns) even when the tree is narrower
KEY_GAP = 40.0  # between a panel under the tree and the key beside it
TITLE_SIZE = 16.0
SUBTITLE_SIZE = 11.0
LEGEND_SIZE = 11.0
AGE_SIZE = 11.0

COUPLE_STYLES = {
    "married": ("1.6", None, "married / civil partnership"),
    "civil_partnership": ("1.6", None, "married / civil partnership"),
    "cohabiting": ("1.6", "7 4", "living together"),
    "dating": ("1.6", "2 3", "dating"),
    "unknown": ("1.4", "9 3 2 3", "partners, kind not stated"),
    "unstated": ("1.4", "9 3 2 3", "partners, kind not stated"),
}
CHILD_STYLES = {
    "biological": (None, "child"),
    "adoptive": ("5 3", "adopted child (A)"),
    "foster": ("2 2.5", "foster child (F)"),
}
ABUSE_STYLES = {
    # kind: (colour, dash pattern, width, legend)
    "physical": ("#b3001b", None, "1.7", "physical abuse"),
    "sexual": ("#6a1b9a", "7 3", "1.7", "sexual abuse"),
    "coercive_control": ("#0b3d91", "1.5 2.5", "2", "coercive control"),
    "emotional": ("#c75000", "8 3 2 3", "1.6", "emotional abuse"),
    "other": ("#444444", "12 4", "1.4", "other abuse (threats, harassment, stalking...)"),
}
LEGEND_ORDER = (
    "male", "female", "unknown", "hidden", "victim", "dead", "perpetrator", "unborn", "lost",
    "couple:married / civil partnership", "couple:living together", "couple:dating",
    "couple:partners, kind not stated", "slash1", "slash2", "child:biological", "child:adoptive",
    "child:foster", "child:unborn", "twins", "abuse:physical", "abuse:sexual", "abuse:coercive_control",
    "abuse:emotional", "abuse:other", "relation", "channel", "household", "household-link",
)
RELATION_STYLE = ("#777777", "2 3", "1.2")
CHANNEL_STYLE = ("#444444", "2")  # one person's lines of different kinds, until they part
CHANNEL_DOT = 2.6
ZIGZAG_MIN_RUN = 12.0  # px: shorter straight runs of an abuse line are drawn straight
HOUSEHOLD_STYLE = ("#2e7d32", "6 4", "1.4")
HOUSEHOLD_LINK_WIDTH = "2.2"  # the line joining parts of one household
OUTLINE_CLEAR = 4.0  # a household outline keeps this far from the people and dates it leaves out


@dataclass
class GenogramOptions:
    """What to draw. ``households``: current (at the reference date), all or none."""

    person: Optional[str] = None
    up: int = 2
    down: int = 2
    perpetrator_partners: bool = True
    publication: bool = False
    hide_children: bool = False
    reference_date: Optional[str] = None
    households: str = "current"
    page: str = "a4"  # a4 | a3 | fit: the page the drawing is laid out for (see page.py)


def document_size(svg: str) -> tuple[float, float]:
    head = svg[: svg.index(">", svg.index("<svg"))]
    return tuple(float(re.search(rf'\s{k}="([0-9.]+)"', head).group(1)) for k in ("width", "height"))


def genogram_svg(case: CaseFile, options: Optional[GenogramOptions] = None) -> str:
    """The genogram of a review as an SVG document (a string)."""
    opts = options or GenogramOptions()
    ref = PartialDate.parse(opts.reference_date) if opts.reference_date else None
    family = build_family(case, FamilyOptions(
        reference_date=ref, households=opts.households, person=opts.person, up=opts.up,
        down=opts.down, perpetrator_partners=opts.perpetrator_partners,
        publication=opts.publication, hide_children=opts.hide_children,
    ))
    if not family.persons:
        from .family import FamilyError

        raise FamilyError(f"review {case.review.id} has no persons to draw")
    page = check_page(opts.page)
    best = None
    for spacing in SPACINGS:
        found = _best_drawing(family, layout_family(family, opts.publication, opts.hide_children, page, spacing), opts)
        if best is None or found[0] < best[0]:  # on a tie the roomier
            best = found
        if not _worth_compacting(best[0]):
            break
    return best[1]


def printed_text_pt(svg: str, opts: GenogramOptions) -> Optional[float]:
    """The smallest text of a genogram in pt with the whole drawing on its page, when that is
    under MIN_FONT_PT (a family too large for the page); None when it prints large enough, or
    on ``--page fit``. What page_warning (the CLI) and the web workspace tell the user."""
    page = check_page(opts.page)
    if page == "fit":
        return None
    width, height = document_size(svg)
    pt = page_for(page, width, height).pt_per_px * COUPLE_TEXT_SIZE  # the smallest text is 11 px
    return None if pt >= MIN_FONT_PT - 1e-9 else pt


def page_warning(svg: str, opts: GenogramOptions) -> Optional[str]:
    """For a genogram whose smallest text prints under MIN_FONT_PT with the whole drawing on its
    page (printed_text_pt): a warning that says so and what to do instead (a larger page, part
    of the family); None when it prints large enough, or on ``--page fit``."""
    pt = printed_text_pt(svg, opts)
    if pt is None:
        return None
    page = check_page(opts.page)
    ways = ["--page a3"] if page == "a4" else []
    ways.append("fewer generations (--up, --down)" if opts.person else "--person ID --up N --down M")
    return (f"warning: this genogram is too large for one {page.upper()} page: its smallest\n"
            f"  text prints at {pt:.1f} pt (under {MIN_FONT_PT:g} pt). For a readable page\n"
            f"  use {' or '.join(ways)}.")


def _whole_page_pt(printed: tuple) -> float:
    """The smallest text in pt with the whole drawing on the page (from a print_key)."""
    return -printed[2] * COUPLE_TEXT_SIZE


def _worth_compacting(printed: tuple) -> bool:
    """A drawing whose smallest text on the whole page is under MIN_FONT_PT but within reach of
    it (COMPACT_REACH): worth laying out again more tightly. A family far too large for the page
    is not (the layout is the slow part): it gets a warning instead (page_warning)."""
    pt = _whole_page_pt(printed)
    return MIN_FONT_PT * COMPACT_REACH <= pt < MIN_FONT_PT - 1e-9


COMPACT_REACH = 0.75  # try the compact spacing when the text is at least this part of MIN_FONT_PT


def _best_drawing(family: Family, layout: Layout, opts: GenogramOptions) -> tuple[tuple, str]:
    """(how it prints, the SVG) of the drawing in the arrangement of side panel and key that
    prints best: every arrangement measured (GenogramDrawing.frame), the best drawn."""
    page = check_page(opts.page)
    probe = GenogramDrawing(family, layout, opts)
    probe_svg = probe.render()  # and what the key lists
    best, placed = None, None
    wraps = key_wraps([text for _, _, text in probe._key_entries()])
    key_items: dict = {}  # the key's entries by wrap, the same in every arrangement
    for shape, beside, columns, key_wrap in _arrangements(layout, len(probe.used), wraps):
        if shape is not None and shape != placed:
            reshape_panel(layout, page, shape)
            placed = shape
        drawing = GenogramDrawing(family, layout, opts, beside, columns, key_wrap)
        drawing.used, drawing.key_items = probe.used, key_items
        frame = drawing.frame()
        printed = (print_key(frame.width, frame.height, page, COUPLE_TEXT_SIZE, shape or NO_PANEL)
                   + (beside, columns or 0, -(key_wrap or float("inf"))))  # on a tie, entries on one line
        if best is None or printed < best[0]:
            best = (printed, shape, beside, columns, key_wrap)
    _, shape, beside, columns, key_wrap = best
    if shape is None and (beside, columns, key_wrap) == (False, None, None):
        return print_key(*document_size(probe_svg), page, COUPLE_TEXT_SIZE, NO_PANEL), probe_svg
    if shape is not None:
        reshape_panel(layout, page, shape)
    return _drawn(GenogramDrawing(family, layout, opts, beside, columns, key_wrap), page, shape or NO_PANEL)


def _arrangements(layout: Layout, key_entries: int, key_wraps: tuple = (None,)):
    """Each (panel shape, key beside the panel, key columns, key wrap) to measure: the panel
    beside, below or in a corner of the tree in 1..6 columns (None: no panel); the key under
    everything, and beside a panel under the tree; the key in as many columns as fit (None) or
    1..KEY_MAX_COLUMNS; its entries on one line (None) or the long ones wrapped (key_wraps)."""
    columns = (None,) + tuple(range(1, min(key_entries, KEY_MAX_COLUMNS) + 1))
    for shape in shapes(len(layout.panel.people)) if layout.panel is not None else [None]:
        for beside in (False, True) if shape is not None and shape[0] in ("below", "inset") else (False,):
            for n in columns:
                for key_wrap in key_wraps:
                    yield shape, beside, n, key_wrap


KEY_WRAPS = 3  # widths to try wrapping the key's long entries at


def key_wraps(texts: list[str]) -> tuple[Optional[float], ...]:
    """The widths to try wrapping the key's entries at (None: each on one line): the widths of
    the next widest entries (up to KEY_WRAPS), where the entries wider than that each fit on two
    lines of it; so a long entry costs a column no more width than the next ones do."""
    widths = sorted({_measured(t, LEGEND_SIZE) for t in texts}, reverse=True)
    return (None,) + tuple(w for w in widths[1:1 + KEY_WRAPS] if all(key_lines(t, w) for t in texts))


def key_lines(text: str, wrap_at: Optional[float]) -> tuple[str, ...]:
    """A key entry's lines: one, or, when it is wider than ``wrap_at``, two no wider than that
    (every word kept, broken where the longer line is shortest); () when two will not do."""
    if wrap_at is None or _measured(text, LEGEND_SIZE) <= wrap_at:
        return (text,)
    words = text.split()
    splits = [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]
    fitting = [(max(_measured(a, LEGEND_SIZE), _measured(b, LEGEND_SIZE)), a, b) for a, b in splits]
    fitting = [f for f in fitting if f[0] <= wrap_at]
    return min(fitting)[1:] if fitting else ()




@functools.lru_cache(maxsize=1024)
def _measured(text: str, size: float, bold: bool = False) -> float:
    """text_width, remembered: the frames genogram_svg measures repeat the title and key."""
    return text_width(text, size, bold)


@functools.lru_cache(maxsize=256)
def _wrapped(text: str, size: float, width: float, max_lines: int) -> tuple[str, ...]:
    return tuple(wrap(text, size, width, max_lines=max_lines))


NO_PANEL = ("right", 0)
KEY_MAX_COLUMNS = 6


def _drawn(drawing: "GenogramDrawing", page: str, shape: tuple[str, int]) -> tuple[tuple, str]:
    svg = drawing.render()
    width, height = document_size(svg)
    return print_key(width, height, page, COUPLE_TEXT_SIZE, shape), svg


class GenogramDrawing:
    def __init__(self, family: Family, layout: Layout, opts: GenogramOptions, key_beside_panel: bool = False,
                 key_columns: Optional[int] = None, key_wrap: Optional[float] = None):
        self.key_beside_panel = key_beside_panel
        self.key_columns = key_columns  # None: as many as fit the key's room
        self.key_wrap = key_wrap  # None: each key entry on one line; else long ones wrapped at this width
        self.family = family
        self.layout = layout
        self.opts = opts
        self.used: dict[str, tuple] = {}  # legend entries in first-use order
        self.key_items: dict[Optional[float], tuple] = {}  # by key_wrap: see _key_items
        self.public_ids = {pid: f"p{p.index + 1}" for pid, p in family.persons.items()}

    # ids shown in the SVG: the case-file id, or an opaque one in publication mode
    def pid(self, pid: str) -> str:
        return self.public_ids[pid] if self.opts.publication else pid

    def hidden_child(self, pid: str) -> bool:
        return self.opts.hide_children and self.family.persons[pid].child

    def use(self, key: str, *sample) -> None:
        if key not in self.used:
            self.used[key] = sample

    # ------------------------------------------------------------------ document
    def render(self) -> str:
        body = SvgWriter()
        _, dx, dy = self._origin()
        body.open("g", id="genogram", transform=f"translate({num(dx)} {num(dy)})")
        self._households(body)
        self._couples(body)
        self._children(body)
        self._relations(body)
        self._people(body)
        self._panel_title(body)
        body.close("g")
        frame = self.frame()
        legend = SvgWriter()
        self._legend(legend, frame)
        out = SvgWriter()
        out.el("rect", x=0.0, y=0.0, width=frame.width, height=frame.height, fill="#ffffff")
        out.open("g", id="title")
        y = 12.0
        for (text, size, bold), _, lead in frame.title_lines:
            y += lead
            out.text(MARGIN, y - lead * 0.28, text, size, anchor="start", bold=bold, data_role="title")
        out.close("g")
        out.parts.extend(body.parts)
        out.parts.extend(legend.parts)
        title = f"Genogram: {self.family.reference}"
        return out.document(frame.width, frame.height, title, data_kind="genogram", data_review=self._review_attr(),
                            data_publication=self.opts.publication, data_page=check_page(self.opts.page))

    def _origin(self) -> tuple[list, float, float]:
        """The title's lines and where the tree starts (its offset)."""
        title_lines = self._title_lines()
        return title_lines, MARGIN - self.layout.left, 12.0 + sum(lead for _, _, lead in title_lines) + 8.0

    def frame(self) -> "Frame":
        """Where the title, tree and key go and the document's size, from the layout and the
        key's entries (``used``, filled by drawing the tree): cheap, so that genogram_svg can
        measure many shapes of the panel and key before drawing one."""
        lay = self.layout
        title_lines, dx, dy = self._origin()
        width = max(lay.width + 2 * MARGIN, 420.0)
        key_x, key_y, room = self._key_place(dx, dy, width)
        entries, item_w, heights = self._key_items()
        rows = key_rows_for_columns(heights, self.key_columns) if self.key_columns and item_w else None
        floor = 0.0 if self.key_beside_panel else KEY_MIN_ROOM
        grid = key_grid(item_w, max(room, floor), rows, heights) if item_w else (0, [0.0], 0.0)
        key_h = 22.0 + grid[0] * KEY_ROW_H if item_w else 0.0
        title_w = max((_measured(t, size, bold) for (t, size, bold), _, _ in title_lines), default=0.0)
        width = max(width, title_w + 2 * MARGIN, key_x + grid[2] + MARGIN)
        height = max(dy + lay.height, key_y + key_h) + MARGIN
        return Frame(title_lines, dx, dy, key_x, key_y, entries, grid, width, height)

    def _key_items(self) -> tuple[list, list[float], list[int]]:
        """The key's entries (key, sample, lines), each one's width and rows; the same for every
        frame of one key (``key_items``, shared by the frames genogram_svg measures)."""
        if self.key_wrap not in self.key_items:
            entries = [(key, sample, key_lines(text, self.key_wrap) or (text,)) for key, sample, text in self._key_entries()]
            self.key_items[self.key_wrap] = (entries, [max(_measured(t, LEGEND_SIZE) for t in lines) + 60.0 for _, _, lines in entries],
                                             [len(lines) for _, _, lines in entries])
        return self.key_items[self.key_wrap]

    def _key_place(self, dx: float, dy: float, width: float) -> tuple[float, float, float]:
        """Where the key goes (its top-left corner) and the width it may take: under everything,
        or (key_beside_panel) beside a panel that is under the tree, which makes the drawing shorter."""
        lay = self.layout
        if self.key_beside_panel and lay.panel is not None and lay.panel.side in ("below", "inset"):
            x = dx + lay.panel.x + lay.panel.width + KEY_GAP
            tree_bottom = lay.tree[3] if lay.tree is not None else lay.height
            y = lay.panel.y if lay.panel.side == "below" else max(lay.panel.y, tree_bottom + 16.0)
            return x, dy + y, width - MARGIN - x
        return MARGIN, dy + lay.height + 16.0, width - 2 * MARGIN

    def _review_attr(self) -> str:
        return self.family.reference

    def _title_lines(self) -> list[tuple[tuple[str, float, bool], None, float]]:
        fam = self.family
        lines = [((f"Genogram: {fam.reference}", TITLE_SIZE, True), None, TITLE_SIZE * 1.35)]
        width = max(self.layout.width, 560.0)
        if not self.opts.publication and fam.title:
            for t in _wrapped(fam.title, SUBTITLE_SIZE, width, 3):
                lines.append(((t, SUBTITLE_SIZE, False), None, SUBTITLE_SIZE * 1.35))
        if fam.reference_date is not None:
            if self.opts.publication:
                text = "Ages at the time of the homicide" if fam.reference_is_homicide else "Ages at the reference date"
            else:
                when = _long_date(fam.reference_date)
                text = f"Ages at {when}" + (" (date of the homicide)" if fam.reference_is_homicide else "")
            if self.opts.hide_children:
                text += "; children's ages and sex not shown"
            lines.append(((text, SUBTITLE_SIZE, False), None, SUBTITLE_SIZE * 1.35))
        elif self.opts.hide_children:
            lines.append((("Children's ages and sex not shown", SUBTITLE_SIZE, False), None, SUBTITLE_SIZE * 1.35))
        return lines

    # ------------------------------------------------------------------ people
    def _people(self, w: SvgWriter) -> None:
        w.open("g", id="people")
        for p in self.family.ordered_persons():
            box = self.layout.boxes[p.id]
            self._person(w, box)
        w.close("g")

    def _person(self, w: SvgWriter, box: PersonBox) -> None:
        p = box.person
        hidden = self.hidden_child(p.id)
        shape = box.shape
        sex = p.sex
        if hidden and shape != "triangle":
            shape, sex = "diamond", "hidden"
        x, cy = box.x, box.cy
        sx0, sy0, sx1, sy1 = box.symbol_box()
        lx0, ly0, lx1, ly1 = box.label_box()
        w.open("g", data_kind="person", data_id=self.pid(p.id), data_sex=sex, data_shape=shape,
               data_dead=p.dead, data_victim=p.victim, data_perpetrator=p.perpetrator,
               data_unborn=p.unborn, data_lost=p.lost, data_row=box.row,
               data_panel=True if box.label_x is not None else None,
               data_cx=x, data_cy=cy, data_symbol=f"{num(sx0)} {num(sy0)} {num(sx1)} {num(sy1)}")
        stroke = "#000"
        if shape == "triangle":
            h = TRIANGLE_HALF
            pts = [(x, cy - 12.0), (x + h, cy + 10.0), (x - h, cy + 10.0)]
            w.el("polygon", points=" ".join(f"{num(a)},{num(b)}" for a, b in pts), fill="#fff", stroke=stroke,
                 stroke_width="1.5", data_role="symbol")
            self.use("unborn", "triangle")
            if p.lost:
                w.el("path", d=path_d([(x - 7, cy - 5), (x + 7, cy + 9)]) + " " + path_d([(x + 7, cy - 5), (x - 7, cy + 9)]),
                     stroke=stroke, stroke_width="1.5", fill="none", data_role="cross")
                self.use("lost", "lost")
        else:
            rings = [0.0, VICTIM_GAP] if p.victim else [0.0]
            for k, extra in enumerate(rings):
                self._shape(w, shape, x, cy, extra, "symbol" if k == 0 else "outer")
            self.use({"square": "male", "circle": "female", "diamond": "hidden" if hidden else "unknown"}[shape], shape)
            if p.victim:
                self.use("victim", "victim")
            if p.dead:
                r = {"square": SQUARE_HALF, "circle": CIRCLE_R * 0.72, "diamond": DIAMOND_R * 0.5}[shape]
                d = path_d([(x - r, cy - r), (x + r, cy + r)]) + " " + path_d([(x + r, cy - r), (x - r, cy + r)])
                w.el("path", d=d, stroke=stroke, stroke_width="1.5", fill="none", data_role="cross")
                self.use("dead", "dead")
            if p.age and not hidden and not age_outside(p.age):
                w.text(x, cy + AGE_SIZE * 0.36, p.age, AGE_SIZE, bold=True, data_role="age",
                       stroke="#fff", stroke_width="3", paint_order="stroke")
        if p.perpetrator:
            self.use("perpetrator", "perpetrator")
        y = box.label_top
        lx, anchor = (x, "middle") if box.label_x is None else (box.label_x, "start")
        for text, bold in box.label_lines:
            y += LABEL_LEAD
            w.text(lx, y - (LABEL_LEAD - LABEL_SIZE * ASCENT) / 2 - 1.0, text, LABEL_SIZE, anchor=anchor, bold=bold,
                   data_role="label")
        for note in box.notes:
            self._note(w, note, lx, y)
            y += NOTE_LEAD * len(note.lines)
        w.close("g")

    def _note(self, w: SvgWriter, note, x: float, y: float) -> None:
        """A panel note: why the person is in the review, after a sample of the abuse line."""
        rel = note.relation
        common = (dict(data_note=rel.kind, data_from=self.pid(rel.source), data_to=self.pid(rel.target))
                  if rel is not None else dict(data_note="why"))
        if note.style:
            colour, dash, width, legend = ABUSE_STYLES[note.style]
            mid = y + NOTE_LEAD / 2 + 1.0
            w.el("path", d=_zigzag_d([(x, mid), (x + SWATCH_W - 8.0, mid)], amplitude=2.5, period=5.0), fill="none",
                 stroke=colour, stroke_width=width, stroke_dasharray=dash, data_role="swatch", **common)
            self.use("abuse:" + note.style, "abuse", colour, dash, width, legend)
            x += SWATCH_W
        for line in note.lines:
            y += NOTE_LEAD
            w.text(x, y - (NOTE_LEAD - NOTE_SIZE * ASCENT) / 2 - 1.0, line, NOTE_SIZE, anchor="start",
                   data_role="label", **common)

    def _panel_title(self, w: SvgWriter) -> None:
        panel = self.layout.panel
        if panel is None:
            return
        w.text(panel.x, panel.y + PANEL_TITLE_SIZE, PANEL_TITLE, PANEL_TITLE_SIZE, anchor="start", bold=True,
               data_role="panel-title")

    def _shape(self, w: SvgWriter, shape: str, x: float, cy: float, extra: float, role: str) -> None:
        common = dict(fill="#fff" if role == "symbol" else "none", stroke="#000", stroke_width="1.5", data_role=role)
        if shape == "square":
            h = SQUARE_HALF + extra
            w.el("rect", x=x - h, y=cy - h, width=2 * h, height=2 * h, **common)
        elif shape == "circle":
            w.el("circle", cx=x, cy=cy, r=CIRCLE_R + extra, **common)
        else:
            h = DIAMOND_R + extra
            pts = [(x, cy - h), (x + h, cy), (x, cy + h), (x - h, cy)]
            w.el("polygon", points=" ".join(f"{num(a)},{num(b)}" for a, b in pts), **common)

    # ------------------------------------------------------------------ couples
    def _couples(self, w: SvgWriter) -> None:
        lay = self.layout
        w.open("g", id="couples")
        for block in sorted(lay.blocks.values(), key=lambda b: (b.row, b.left)):
            for u in block.unions:
                if u.couple is None:
                    continue
                c = u.couple
                a, b = u.parents
                stubs = dict(u.stubs)
                ba, bb = lay.boxes[a], lay.boxes[b]
                xa, xb = ba.x + stubs[a], bb.x + stubs[b]
                pts = [(xa, ba.bottom_y(stubs[a])), (xa, u.y), (xb, u.y), (xb, bb.bottom_y(stubs[b]))]
                width, dash, legend = COUPLE_STYLES[c.kind]
                status = "separated" if c.slashes == 1 else "ended" if c.slashes == 2 else "together"
                w.open("g", data_kind="couple", data_from=self.pid(c.a), data_to=self.pid(c.b),
                       data_couple_kind=c.kind, data_status=status, data_level=u.level,
                       data_union_x=u.x, data_union_y=u.y)
                w.el("path", d=path_d(pts), fill="none", stroke="#000", stroke_width=width,
                     stroke_dasharray=dash, data_role="line")
                self.use("couple:" + legend, "couple", width, dash)
                if c.slashes:
                    for k in range(c.slashes):
                        sx = u.x + 8.0 + 5.0 * k
                        w.el("path", d=path_d([(sx - 3, u.y + 6), (sx + 3, u.y - 6)]), stroke="#000",
                             stroke_width="1.5", fill="none", data_role="slash")
                    self.use("slash" + str(c.slashes), "slash", c.slashes)
                if u.text:
                    x, y, anchor = _couple_text_position(u)
                    w.text(x, y, u.text, COUPLE_TEXT_SIZE, anchor=anchor, data_role="couple-text")
                w.close("g")
        w.close("g")

    # ------------------------------------------------------------------ children
    def _children(self, w: SvgWriter) -> None:
        lay = self.layout
        persons = self.family.persons
        w.open("g", id="children")
        for sd in lay.sibships:
            parents = " ".join(self.pid(p) for p in sd.sibship.parents)
            w.open("g", data_kind="sibship", data_parents=parents)
            if sd.trunk:
                w.el("path", d=path_d(sd.trunk), fill="none", stroke="#000", stroke_width="1.3", data_role="trunk")
            # the bar spans from the leftmost to the rightmost drop (and the trunk)
            xs = [pts[0][0] for pts in sd.drops.values()]
            if sd.trunk:
                xs.append(sd.trunk[-1][0])
            if max(xs) - min(xs) > 0.01:
                w.el("path", d=path_d([(min(xs), sd.bar.y), (max(xs), sd.bar.y)]), fill="none", stroke="#000",
                     stroke_width="1.3", data_role="bar")
            twin_groups = {c: " ".join(self.pid(x) for x in g) for g in sd.twins for c in g}
            for ch in sd.sibship.children:
                pts = sd.drops[ch.child]
                dash, legend = CHILD_STYLES[ch.link]
                if persons[ch.child].unborn:
                    dash = "2 2.5"
                    self.use("child:unborn", "childline", "2 2.5")
                else:
                    self.use("child:" + ch.link, "childline", dash)
                if ch.child in twin_groups:
                    self.use("twins", "twins")
                w.el("path", d=path_d(pts), fill="none", stroke="#000", stroke_width="1.3", stroke_dasharray=dash,
                     data_kind="child", data_child=self.pid(ch.child), data_parents=parents, data_link=ch.link,
                     data_inferred=ch.inferred, data_twins=twin_groups.get(ch.child))
                if ch.child in sd.badges:
                    bx, by = sd.badges[ch.child]
                    tag = "A" if ch.link == "adoptive" else "F"
                    w.el("circle", cx=bx, cy=by, r=6.5, fill="#fff", stroke="#000", stroke_width="1", data_role="badge",
                         data_child=self.pid(ch.child))
                    w.text(bx, by + 3.8, tag, 11.0, bold=True, data_role="tag", data_child=self.pid(ch.child))
            w.close("g")
        w.close("g")

    # ------------------------------------------------------------------ abuse and relations
    def _relations(self, w: SvgWriter) -> None:
        lay = self.layout
        w.open("g", id="relations")
        self._channels(w)
        for route in lay.routes:
            own = split_polyline(route.points, route.shared)[1] if route.shared > 0 else route.points
            if route.relation.kind == "abuse":
                self._abuse_line(w, route, own)
            else:
                rel = route.relation
                colour, dash, width = RELATION_STYLE
                w.el("path", d=path_d(own), fill="none", stroke=colour, stroke_width=width, stroke_dasharray=dash,
                     data_kind="relation", data_relation=rel.relation, data_from=self.pid(rel.source),
                     data_to=self.pid(rel.target), data_channel=self.pid(route.channel),
                     data_points=_points_attr(route.points), data_role="line")
                self.use("relation", "relation")
        w.close("g")

    def _abuse_line(self, w: SvgWriter, route, pts: list) -> None:
        """A zig-zag in the abuse kind's style, the arrowhead at the person abused; ``pts`` is the
        line's own part (after its channel), data-points the whole way."""
        rel = route.relation
        colour, dash, width, legend = ABUSE_STYLES[rel.relation]
        w.open("g", data_kind="abuse", data_from=self.pid(rel.source), data_to=self.pid(rel.target),
               data_abuse_kind=rel.relation, data_kinds=" ".join(rel.kinds) or None,
               data_certainty=rel.certainty, data_directed=rel.directed, data_channel=self.pid(route.channel),
               data_points=_points_attr(route.points))
        body = pts
        if rel.directed:
            # stop the zig-zag short of the arrowhead (the last segment is level or upright)
            (x1, y1), tip = pts[-2], pts[-1]
            length = max(abs(tip[0] - x1) + abs(tip[1] - y1), 1e-9)
            ux, uy = (tip[0] - x1) / length, (tip[1] - y1) / length
            base = (tip[0] - 9.0 * ux, tip[1] - 9.0 * uy)
            body = pts[:-1] + [base]
        w.el("path", d=_zigzag_d(body), fill="none", stroke=colour, stroke_width=width,
             stroke_dasharray=dash, stroke_linejoin="round", data_role="line")
        if rel.directed:
            tri = [tip, (base[0] - 4.0 * uy, base[1] + 4.0 * ux), (base[0] + 4.0 * uy, base[1] - 4.0 * ux)]
            w.el("polygon", points=" ".join(f"{num(a)},{num(b)}" for a, b in tri), fill=colour,
                 stroke="none", data_role="arrowhead")
        w.close("g")
        self.use("abuse:" + rel.relation, "abuse", colour, dash, width, legend)

    def _channels(self, w: SvgWriter) -> None:
        """The stretch a person's lines of different styles share, drawn once, plain, with a dot
        where each line parts from it."""
        parts: dict[str, dict[tuple, None]] = {}
        for route in self.layout.routes:
            if route.shared > 0:
                parts.setdefault(route.channel, {})[tuple(split_polyline(route.points, route.shared)[0])] = None
        for channel, stretches in parts.items():
            colour, width = CHANNEL_STYLE
            w.open("g", data_kind="channel", data_from=self.pid(channel))
            w.el("path", d=" ".join(path_d(list(s)) for s in stretches), fill="none", stroke=colour,
                 stroke_width=width, stroke_linejoin="round", data_role="line")
            for end in dict.fromkeys(s[-1] for s in stretches):
                w.el("circle", cx=end[0], cy=end[1], r=CHANNEL_DOT, fill=colour, data_role="parting")
            w.close("g")
            self.use("channel", "channel")

    # ------------------------------------------------------------------ households
    def _households(self, w: SvgWriter) -> None:
        lay = self.layout
        if not self.family.households:
            return
        w.open("g", id="households")
        colour, dash, width = HOUSEHOLD_STYLE
        nesting: dict[str, int] = {}
        links_drawn: list = []
        for hh in self.family.households:
            depth = max((nesting.get(m, 0) for m in hh.members), default=0)
            pad = 8.0 + 5.0 * depth
            members = set(hh.members)
            obstacles = []
            for pid, box in lay.boxes.items():
                if pid not in members:
                    obstacles.append(outlines._pad(_person_rect(box), OUTLINE_CLEAR))
            for u in lay.unions.values():
                # a couple's dates stay wholly inside or wholly outside the outline
                if u.text and not set(u.parents) <= members:
                    obstacles.append(outlines._pad(_couple_text_box(u), OUTLINE_CLEAR))
            for sd in lay.sibships:
                # so do A/F tags: outside unless the child is a member (then inside its box)
                for child, (bx, by) in sd.badges.items():
                    if child not in members:
                        obstacles.append((bx - 8.0, by - 8.0, bx + 8.0, by + 8.0))
            rects = self._household_runs(hh.members, pad, obstacles)
            region, links = outlines.parts(rects, obstacles, links_drawn)
            links_drawn.extend(links)
            loops = outlines.trace(region)
            d = outlines.rounded_path(loops, num)
            hh_id = None if self.opts.publication else hh.id
            members_attr = " ".join(self.pid(m) for m in hh.members)
            w.el("path", d=d, fill=colour, fill_opacity="0.07", stroke=colour, stroke_width=width, stroke_dasharray=dash,
                 fill_rule="evenodd", data_kind="household", data_id=hh_id, data_members=members_attr)
            for line in links:
                self._household_link(w, line, hh_id, members_attr)
            for m in hh.members:
                nesting[m] = depth + 1
            self.use("household", "household")
        w.close("g")

    def _household_link(self, w: SvgWriter, line: list, hh_id: Optional[str], members_attr: str) -> None:
        """A connector between two parts of one household: a solid green line with a dot on
        each part's outline."""
        colour, _, _ = HOUSEHOLD_STYLE
        w.open("g", data_kind="household-link", data_id=hh_id, data_members=members_attr)
        w.el("path", d=path_d(line), fill="none", stroke=colour, stroke_width=HOUSEHOLD_LINK_WIDTH, data_role="line")
        for x, y in (line[0], line[-1]):
            w.el("circle", cx=num(x), cy=num(y), r="3.2", fill=colour)
        w.close("g")
        self.use("household-link", "household-link")

    def _household_runs(self, members: list[str], pad: float, obstacles: list) -> list:
        """One box per run of members sitting next to each other on a row."""
        lay = self.layout
        mset = set(members)
        rects = []
        badge_tops = {c: by - 8.0 for sd in lay.sibships for c, (bx, by) in sd.badges.items()}
        for row in lay.rows:
            people = sorted((lay.boxes[p] for b in row.blocks for p in lay.blocks[b].persons), key=lambda bx: bx.x)
            run: list[PersonBox] = []
            for bx in people + [None]:
                if bx is not None and bx.person.id in mset:
                    run.append(bx)
                    continue
                if run:
                    boxes = [_clip(outlines._pad(_person_rect(r, badge_tops.get(r.person.id)), pad),
                                   _person_rect(r, badge_tops.get(r.person.id)), obstacles) for r in run]
                    joined = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
                    rects.extend([joined] if outlines._clear([joined], obstacles) else boxes)
                    run = []
        return rects

    # ------------------------------------------------------------------ legend
    def _key_entries(self) -> list[tuple[str, tuple, str]]:
        order = {k: n for n, k in enumerate(LEGEND_ORDER)}
        return [(key, sample, _legend_text(key, sample, self.opts, self.family))
                for key, sample in sorted(self.used.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))]

    def _legend(self, w: SvgWriter, frame: "Frame") -> None:
        if not frame.entries:
            return
        nrows, col_x, _ = frame.key_grid
        x0, y0 = frame.key_x, frame.key_y
        w.open("g", id="legend")
        w.text(x0, y0 + 12.0, "Key", 12.0, anchor="start", bold=True, data_role="legend-title")
        top = y0 + 22.0
        places = key_places([len(lines) for _, _, lines in frame.entries], nrows)
        for (key, sample, lines), (col, row) in zip(frame.entries, places):
            x = x0 + col_x[col]
            mid = top + row * KEY_ROW_H + len(lines) * KEY_ROW_H / 2
            w.open("g", data_kind="legend-entry", data_entry=key)
            _legend_sample(w, sample, x, mid)
            for n, text in enumerate(lines):
                y = mid + (n - (len(lines) - 1) / 2) * KEY_LINE_H + LEGEND_SIZE * 0.36
                w.text(x + 44.0, y, text, LEGEND_SIZE, anchor="start", data_role="legend")
            w.close("g")
        w.close("g")


@dataclass
class Frame:
    """Where a genogram's title, tree and key go, and the document's size (GenogramDrawing.frame)."""

    title_lines: list
    dx: float  # the tree's offset
    dy: float
    key_x: float
    key_y: float
    entries: list[tuple[str, tuple, tuple[str, ...]]]  # key, sample, the entry's lines
    key_grid: tuple[int, list[float], float]  # rows, each column's x, the key's width
    width: float
    height: float


KEY_ROW_H = 20.0
KEY_LINE_H = 13.0  # between the lines of a key entry on two rows


def key_places(heights: list[int], rows: int) -> list[tuple[int, int]]:
    """Each key entry's (column, first row), entries down columns of ``rows`` rows, an entry
    on two lines taking two rows (in one column: it starts the next when it would not fit)."""
    places, col, row = [], 0, 0
    for h in heights:
        if row and row + h > rows:
            col, row = col + 1, 0
        places.append((col, row))
        row += h
    return places


def key_rows_for_columns(heights: list[int], columns: int) -> int:
    """The fewest rows that put the key's entries in at most ``columns`` columns."""
    n = max(-(-sum(heights) // columns), max(heights))
    while key_places(heights, n)[-1][0] >= columns:
        n += 1
    return n


def key_grid(widths: list[float], room: float, rows: Optional[int] = None,
             heights: Optional[list[int]] = None) -> tuple[int, list[float], float]:
    """The key's entries down columns (each as wide as its widest entry), in ``rows`` rows, else
    the fewest rows that fit ``room`` (else one column): (rows, each column's x, the whole width).
    ``heights``: the rows each entry takes (1, or 2 for an entry on two lines; default 1)."""
    heights = heights or [1] * len(widths)
    for n in ([rows] if rows else range(max(heights, default=1), sum(heights) + 1)):
        column_w: dict[int, float] = {}
        for (col, _), width in zip(key_places(heights, n), widths):
            column_w[col] = max(column_w.get(col, 0.0), width)
        cols = list(column_w.values())
        if rows or sum(cols) <= room or n == sum(heights):
            col_x = [sum(cols[:c]) for c in range(len(cols))]
            return n, col_x, sum(cols)
    return 0, [0.0], 0.0


def _couple_text_position(u) -> tuple[float, float, str]:
    """Where a couple's dates go: above the line, left of the slashes when there are any."""
    if u.couple is not None and u.couple.slashes:
        return u.x + 2.0, u.y - 3.0, "end"
    return u.x, u.y - 3.0, "middle"


def _couple_text_box(u) -> outlines.Rect:
    x, y, anchor = _couple_text_position(u)
    w = text_width(u.text, COUPLE_TEXT_SIZE)
    x0 = x - w if anchor == "end" else x - w / 2
    return (x0, y - COUPLE_TEXT_SIZE * ASCENT, x0 + w, y + COUPLE_TEXT_SIZE * 0.24)


def _person_rect(box: PersonBox, badge_top: Optional[float] = None) -> outlines.Rect:
    """The person's symbol and label (and the A/F tag above them, ``badge_top``)."""
    sx0, sy0, sx1, sy1 = box.symbol_box()
    lx0, ly0, lx1, ly1 = box.label_box()
    if badge_top is not None:
        sy0 = min(sy0, badge_top)
    if box.label_lines:
        return (min(sx0, lx0), sy0, max(sx1, lx1), ly1)
    return (sx0, sy0, sx1, sy1)


def _clip(padded: outlines.Rect, core: outlines.Rect, obstacles: list[outlines.Rect]) -> outlines.Rect:
    """Shrink a padded member box on the sides where it would touch another person."""
    x0, y0, x1, y1 = padded
    for o in obstacles:
        if not outlines._intersects((x0, y0, x1, y1), o):
            continue
        if o[0] >= core[2]:
            x1 = min(x1, o[0] - 0.5)
        elif o[2] <= core[0]:
            x0 = max(x0, o[2] + 0.5)
        elif o[1] >= core[3]:
            y1 = min(y1, o[1] - 0.5)
        elif o[3] <= core[1]:
            y0 = max(y0, o[3] + 0.5)
    return (x0, y0, x1, y1)


def _zigzag_d(points: list[tuple[float, float]], amplitude: float = 3.0, period: float = 8.0) -> str:
    """A polyline drawn as a zig-zag on its longer straight runs.

    Teeth sit at fixed absolute positions (multiples of half the period), so two lines that
    share a run draw exactly the same teeth there.
    """
    out = [points[0]]
    half = period / 2
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        length = abs(x2 - x1) + abs(y2 - y1)
        horizontal = abs(y2 - y1) < 1e-6
        vertical = abs(x2 - x1) < 1e-6
        if length < ZIGZAG_MIN_RUN or not (horizontal or vertical):
            out.append((x2, y2))
            continue
        inset = 4.0 if length >= 20.0 else 2.0  # a short run (a line's own end after its channel) keeps its teeth
        a1, a2 = (x1, x2) if horizontal else (y1, y2)
        step = 1 if a2 > a1 else -1
        k = int((a1 + step * inset) // half) + (1 if step > 0 else 0)
        while True:
            pos = k * half
            if (pos - (a2 - step * inset)) * step > 0:
                break
            sign = amplitude if k % 2 == 0 else -amplitude
            out.append((pos, y1 + sign) if horizontal else (x1 + sign, pos))
            k += step
        out.append((x2, y2))
    return path_d(out)


def _legend_text(key: str, sample: tuple, opts: GenogramOptions, family: Family) -> str:
    fixed = {
        "male": "male", "female": "female", "unknown": "sex not known", "hidden": "sex not shown",
        "victim": "victim (double outline)", "dead": "died", "perpetrator": "perpetrator (labelled)",
        "unborn": "unborn child", "lost": "unborn child lost", "slash1": "separated",
        "slash2": "divorced or ended", "twins": "twins", "relation": "other relation (friend, relative...)",
        "household": "household" + (" at the time of the homicide" if family.reference_is_homicide and opts.households == "current"
                                     else " at the reference date" if opts.households == "current" else ""),
        "child:unborn": "unborn child's line",
        "household-link": "joins the parts of one household",
        "channel": "one person's lines, together until they part",
    }
    if key in fixed:
        return fixed[key]
    if key.startswith("couple:"):
        return key.split(":", 1)[1]
    if key.startswith("child:"):
        return CHILD_STYLES[key.split(":", 1)[1]][1]
    if key.startswith("abuse:"):
        return ABUSE_STYLES[key.split(":", 1)[1]][3]
    return key


def _legend_sample(w: SvgWriter, sample: tuple, x: float, cy: float) -> None:
    kind = sample[0]
    cx = x + 18.0
    s = 0.5  # samples at half size
    if kind in ("square", "circle", "diamond"):
        if kind == "square":
            w.el("rect", x=cx - 8.5, y=cy - 8.5, width=17.0, height=17.0, fill="#fff", stroke="#000", stroke_width="1.3")
        elif kind == "circle":
            w.el("circle", cx=cx, cy=cy, r=9.0, fill="#fff", stroke="#000", stroke_width="1.3")
        else:
            w.el("polygon", points=f"{num(cx)},{num(cy - 9.0)} {num(cx + 9.0)},{num(cy)} {num(cx)},{num(cy + 9.0)} {num(cx - 9.0)},{num(cy)}",
                 fill="#fff", stroke="#000", stroke_width="1.3")
    elif kind == "victim":  # samples fit a key row (20 px) with room between rows, as the key runs down columns
        w.el("circle", cx=cx, cy=cy, r=6.5, fill="#fff", stroke="#000", stroke_width="1.3")
        w.el("circle", cx=cx, cy=cy, r=9.5, fill="none", stroke="#000", stroke_width="1.3")
    elif kind == "dead":
        w.el("rect", x=cx - 9, y=cy - 9, width=18.0, height=18.0, fill="#fff", stroke="#000", stroke_width="1.3")
        w.el("path", d=path_d([(cx - 9, cy - 9), (cx + 9, cy + 9)]) + " " + path_d([(cx + 9, cy - 9), (cx - 9, cy + 9)]),
             stroke="#000", stroke_width="1.3", fill="none")
    elif kind == "perpetrator":
        w.text(cx, cy + 3.5, "perp.", 11.0, bold=True)
    elif kind in ("triangle", "lost"):
        w.el("polygon", points=f"{num(cx)},{num(cy - 8)} {num(cx + 8.5)},{num(cy + 7)} {num(cx - 8.5)},{num(cy + 7)}",
             fill="#fff", stroke="#000", stroke_width="1.3")
        if kind == "lost":
            w.el("path", d=path_d([(cx - 4.5, cy - 3), (cx + 4.5, cy + 6)]) + " " + path_d([(cx + 4.5, cy - 3), (cx - 4.5, cy + 6)]),
                 stroke="#000", stroke_width="1.3", fill="none")
    elif kind == "couple":
        _, width, dash = sample
        w.el("path", d=path_d([(x + 2, cy - 7), (x + 2, cy + 3), (x + 34, cy + 3), (x + 34, cy - 7)]), fill="none",
             stroke="#000", stroke_width=width, stroke_dasharray=dash)
    elif kind == "slash":
        n = sample[1]
        w.el("path", d=path_d([(x + 2, cy), (x + 34, cy)]), stroke="#000", stroke_width="1.5", fill="none")
        for k in range(n):
            sx = cx - 2.5 * (n - 1) + 5.0 * k
            w.el("path", d=path_d([(sx - 3, cy + 6), (sx + 3, cy - 6)]), stroke="#000", stroke_width="1.5", fill="none")
    elif kind == "childline":
        dash = sample[1]
        w.el("path", d=path_d([(cx, cy - 10), (cx, cy + 10)]), stroke="#000", stroke_width="1.3", fill="none",
             stroke_dasharray=dash)
    elif kind == "twins":
        w.el("path", d=path_d([(cx - 9, cy + 9), (cx, cy - 9), (cx + 9, cy + 9)]), stroke="#000", stroke_width="1.3", fill="none")
    elif kind == "abuse":
        _, colour, dash, width, _ = sample
        pts = [(x + 2, cy), (x + 36, cy)]
        w.el("path", d=_zigzag_d(pts), stroke=colour, stroke_width=width, stroke_dasharray=dash, fill="none")
        w.el("polygon", points=f"{num(x + 40)},{num(cy)} {num(x + 32)},{num(cy - 4)} {num(x + 32)},{num(cy + 4)}", fill=colour)
    elif kind == "relation":
        colour, dash, width = RELATION_STYLE
        w.el("path", d=path_d([(x + 2, cy), (x + 36, cy)]), stroke=colour, stroke_width=width, stroke_dasharray=dash, fill="none")
    elif kind == "channel":
        colour, width = CHANNEL_STYLE
        w.el("path", d=path_d([(x + 2, cy), (x + 24, cy), (x + 36, cy - 6)]) + " " + path_d([(x + 24, cy), (x + 36, cy + 6)]),
             stroke=colour, stroke_width=width, fill="none")
        w.el("circle", cx=num(x + 24), cy=num(cy), r=num(CHANNEL_DOT), fill=colour)
    elif kind == "household-link":
        colour, _, _ = HOUSEHOLD_STYLE
        w.el("path", d=path_d([(x + 5, cy), (x + 33, cy)]), stroke=colour, stroke_width=HOUSEHOLD_LINK_WIDTH, fill="none")
        for dot_x in (x + 5, x + 33):
            w.el("circle", cx=num(dot_x), cy=num(cy), r="3.2", fill=colour)
    elif kind == "household":
        colour, dash, width = HOUSEHOLD_STYLE
        w.el("rect", x=x + 2, y=cy - 8, width=34.0, height=16.0, rx=5.0, fill="none", stroke=colour,
             stroke_width=width, stroke_dasharray=dash)


def _long_date(d: PartialDate) -> str:
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    if d.precision == "day":
        return f"{d.day} {months[d.month - 1]} {d.year}"
    if d.precision == "month":
        return f"{months[d.month - 1]} {d.year}"
    return str(d.year)


def _points_attr(points: list[tuple[float, float]]) -> str:
    """A line's whole way (corners only), for readers of the SVG."""
    return " ".join(f"{num(x)},{num(y)}" for x, y in points)
