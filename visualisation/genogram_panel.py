"""People with no family link in the file (friends, neighbours, relatives the file does not
place, a drug supplier) go in a panel beside the family tree, not in its rows.

Each is drawn with the usual symbol and markers; beside it, the name and why they are in the
review: "S's friend", "physical abuse by the Perpetrator" (with a short sample of the abuse
line). So no line runs across the family to reach them, nobody floats alone, and the panel
is packed into as many columns as make the whole drawing print largest on the page.
Victims, perpetrators and members of a drawn household stay in the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .family import Family, FamilyPerson, Relation
from .fontmetrics import text_width, wrap
from .page import ASPECT_BOUNDS, MIN_FONT_PT, page_for, width_fill_pt_per_px

NOTE_SIZE = 11.0
NOTE_LEAD = 13.0
NOTE_MAX_W = 150.0
SWATCH_W = 34.0  # abuse sample before an abuse note
SYMBOL_COL = 50.0  # the symbol's column in a cell
CELL_GAP_X = 16.0
CELL_GAP_Y = 18.0
CELL_MIN_H = 52.0
PANEL_GAP = 40.0  # between the tree and the panel
TITLE_SIZE = 12.0
TITLE_H = 26.0
PANEL_TITLE = "Also in the review (no family link recorded)"
# what the document adds around the tree (title, key, margins): a guess, for a first shape of
# the panel; genogram.genogram_svg measures each shape and keeps the one that prints best
DOCUMENT_EXTRA = (48.0, 230.0)
MAX_COLUMNS = 6

ABUSE_WORDS = {"physical": "physical abuse", "sexual": "sexual abuse", "emotional": "emotional abuse",
               "coercive_control": "coercive control", "economic": "economic abuse"}


@dataclass
class Note:
    """One reason a panel person is in the review: a relation or an abuse record."""

    lines: list[str]
    relation: Optional[Relation]  # None: why the person is here, with no relation to name
    style: Optional[str] = None  # abuse style (physical...) for the sample line


@dataclass
class Panel:
    people: list[str]
    notes: dict[str, list[Note]] = field(default_factory=dict)
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    columns: int = 1
    side: str = "right"  # right | below
    cells: dict[str, tuple[float, float]] = field(default_factory=dict)  # each person's cell size


def panel_people(family: Family, households: list) -> list[str]:
    """Who goes in the panel: no parent, partner or sibling link, not a victim or perpetrator,
    not in a drawn household; none when nobody would be left in the tree."""
    in_household = {m for hh in households for m in hh.members}
    out = [p.id for p in family.ordered_persons()
           if not p.kin and not p.victim and not p.perpetrator and p.id not in in_household]
    return out if len(out) < len(family.persons) else []


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def note_text(rel: Relation, pid: str, persons: dict[str, FamilyPerson]) -> str:
    """Why ``pid`` is in the review, as one phrase naming the other person."""
    other = persons[rel.target if rel.source == pid else rel.source].label
    if rel.kind == "abuse":
        kinds = [ABUSE_WORDS.get(k, k.replace("_", " ")) for k in rel.kinds] or ["abuse"]
        what = ", ".join(dict.fromkeys(kinds))
        if not rel.directed:
            return f"{what} with {other}"
        return f"{what} {'by' if rel.target == pid else 'of'} {other}"
    text = rel.label or rel.relation
    if rel.relation == "carer":
        return f"carer of {other}" if rel.source == pid else f"cared for by {other}"
    if _letters(text) in _letters(persons[pid].label):
        return f"{rel.relation} of {other}" if rel.relation in ("relative", "friend") else f"linked to {other}"
    # the label of a relation with someone outside the family describes that someone
    return f"{_possessive(other)} {text}"


def says_it_all(rel: Relation, pid: str, persons: dict[str, FamilyPerson]) -> bool:
    """The person's name already says the relation and with whom ("a friend of the Perpetrator")."""
    other = persons[rel.target if rel.source == pid else rel.source].label
    name = _letters(persons[pid].label)
    return rel.kind == "relation" and _letters(rel.label or rel.relation) in name and _letters(other) in name


def why_here(p: FamilyPerson) -> str:
    """For someone with no relation in the file: their role, and how often the chronology names them."""
    roles = [r.replace("_", " ") for r in p.roles if r not in ("other", "family")]
    events = f"named in {p.events} event{'s' if p.events != 1 else ''} of the chronology" if p.events else ""
    return "; ".join(t for t in (", ".join(roles), events) if t) or "no relation recorded"


def build_panel(family: Family, people: list[str]) -> Panel:
    panel = Panel(people)
    chosen = set(people)
    for rel in sorted(family.relations, key=lambda r: r.order):
        for pid in (rel.source, rel.target):
            if pid in chosen and not says_it_all(rel, pid, family.persons):
                text = note_text(rel, pid, family.persons)
                style = rel.relation if rel.kind == "abuse" else None
                width = NOTE_MAX_W - (SWATCH_W if style else 0.0)
                panel.notes.setdefault(pid, []).append(Note(wrap(text, NOTE_SIZE, width, max_lines=3), rel, style))
    related = {pid for rel in family.relations for pid in (rel.source, rel.target)}
    for pid in people:
        if pid not in related:
            panel.notes[pid] = [Note(wrap(why_here(family.persons[pid]), NOTE_SIZE, NOTE_MAX_W, max_lines=3), None)]
    return panel


def note_width(note: Note) -> float:
    return max(text_width(t, NOTE_SIZE) for t in note.lines) + (SWATCH_W if note.style else 0.0)


def cell_size(label_lines: list[tuple[str, bool]], label_width: float, notes: list[Note]) -> tuple[float, float]:
    text_w = max([label_width] + [note_width(n) for n in notes])
    lines = len(label_lines) + sum(len(n.lines) for n in notes)
    return SYMBOL_COL + text_w, max(CELL_MIN_H, lines * NOTE_LEAD + 8.0)


SIDES = ("right", "below", "inset")  # inset: in the tree's empty bottom-left corner, when there is one
INSET_GAP = 24.0  # between the panel in the tree's corner and anything of the tree's


def shapes(n: int) -> list[tuple[str, int]]:
    """The panel's possible shapes: beside, below or in a corner of the tree, in 1..n columns (at
    most MAX_COLUMNS)."""
    return [(side, columns) for side in SIDES for columns in range(1, min(n, MAX_COLUMNS) + 1)]


def inset_top(occupied: list[tuple[float, float, float, float]], x0: float, x1: float, top: float) -> float:
    """The highest y from which a panel spanning ``x0``..``x1`` is clear of everything drawn of the
    tree (``occupied`` boxes) below it: just under the lowest box in that stretch."""
    return max([top] + [b[3] + INSET_GAP for b in occupied if b[0] < x1 + INSET_GAP and b[2] > x0 - INSET_GAP])


def print_key(doc_w: float, doc_h: float, page: str, smallest_px: float, shape: tuple[str, int]) -> tuple:
    """How well a document of this size prints (smaller is better): in a page-like proportion;
    text at least MIN_FONT_PT pasted at the page's width if it can be; then as large as can be with
    the whole drawing on the page; then fewer columns, beside before below."""
    off_page = not ASPECT_BOUNDS[0] <= doc_w / doc_h <= ASPECT_BOUNDS[1]
    at_width = min(width_fill_pt_per_px(page, doc_w, doc_h) * smallest_px, MIN_FONT_PT)
    on_page = page_for(page, doc_w, doc_h).pt_per_px
    return (off_page, -round(at_width, 3), -round(on_page, 6), shape[1], SIDES.index(shape[0]))


def arrange(panel: Panel, cells: dict[str, tuple[float, float]], tree: tuple[float, float, float, float],
            page: str, smallest_px: float, shape: Optional[tuple[str, int]] = None,
            occupied: Optional[list[tuple[float, float, float, float]]] = None) -> dict[str, tuple[float, float]]:
    """Place the panel in ``shape`` (side, columns), or else in the shape that prints best with a
    guess of what the document adds (DOCUMENT_EXTRA); returns each person's cell top-left corner.
    ``occupied``: what the tree draws (boxes), for a panel in its corner."""
    left, top, right, bottom = tree
    sizes = [cells[p] for p in panel.people]

    def size(side: str, columns: int) -> tuple[float, float, float, float, float, float]:
        col_w, rows_h = _grid(sizes, columns)
        width = max(sum(col_w) + CELL_GAP_X * (columns - 1), text_width(PANEL_TITLE, TITLE_SIZE, True))
        height = TITLE_H + sum(rows_h) + CELL_GAP_Y * (len(rows_h) - 1)
        if side == "right":
            x, y = right + PANEL_GAP, top
        elif side == "below":
            x, y = left, bottom + PANEL_GAP
        else:
            x, y = left, inset_top(occupied or [], left, left + width, top)
        total = (max(right, x + width) - left, max(bottom, y + height) - top)
        return width, height, total[0] + DOCUMENT_EXTRA[0], total[1] + DOCUMENT_EXTRA[1], x, y

    if shape is None:
        shape = min(shapes(len(sizes)), key=lambda sh: print_key(*size(*sh)[2:4], page, smallest_px, sh))
    panel.side, panel.columns = shape
    panel.width, panel.height, _, _, panel.x, panel.y = size(*shape)
    col_w, rows_h = _grid(sizes, panel.columns)
    corners = {}
    for k, pid in enumerate(panel.people):
        r, c = divmod(k, panel.columns)
        corners[pid] = (panel.x + sum(col_w[:c]) + CELL_GAP_X * c,
                        panel.y + TITLE_H + sum(rows_h[:r]) + CELL_GAP_Y * r)
    return corners


def _grid(sizes: list[tuple[float, float]], columns: int) -> tuple[list[float], list[float]]:
    col_w = [0.0] * columns
    rows_h: list[float] = []
    for k, (w, h) in enumerate(sizes):
        r, c = divmod(k, columns)
        col_w[c] = max(col_w[c], w)
        if r == len(rows_h):
            rows_h.append(0.0)
        rows_h[r] = max(rows_h[r], h)
    return col_w, rows_h
