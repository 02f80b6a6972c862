"""Where everything in a genogram goes.

Graphviz ``dot`` decides the order of people in each generation and their x
positions; everything else is decided here:

* A *block* is a set of partners on one row (a person with all their partners, and
  so on). Its order is fixed here (a person's partnerships in date order, the
  current one adjacent) and it goes to ``dot`` as one node: an HTML table whose
  cells are the people and the *unions* (the points children hang from). So no
  one can ever be placed between two partners, and couple lines to second and
  third partners are staggered one level deeper per person between them.
* Each sibship is a set of edges from its union cell to the children's cells;
  invisible flat edges keep siblings in birth order and friends next to their
  anchor.
* ``dot -Tjson`` gives the x positions; rows, couple levels, label blocks,
  sibship bars, abuse and other lines (routed through the gaps between rows and
  the gaps between blocks, never through a symbol or a label) are computed here,
  in px, with y growing downwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Optional

from .dot import run_dot_json
from .genogram_panel import SYMBOL_COL, Panel, arrange, build_panel, cell_size, panel_people
from .family import Couple, Family, FamilyPerson, Relation, Sibship
from .fontmetrics import text_width, wrap

# --- sizes (px) ------------------------------------------------------------
SQUARE_HALF = 18.0
CIRCLE_R = 19.0
DIAMOND_R = 21.0
VICTIM_GAP = 4.0
TRIANGLE_HALF = 13.0
CY = 27.0  # symbol centre below the row top
COUPLE0 = 64.0  # first couple level below the row top
COUPLE_STEP = 8.0
LABEL_SIZE = 11.0
LABEL_LEAD = 13.0
LABEL_MAX_W = 112.0  # a name wraps at this width (Spacing.label_max_w)
COUPLE_TEXT_SIZE = 11.0
PERSON_MIN_W = 56.0
PERSON_PAD = 10.0
UNION_MIN_W = 26.0
TEXT_GAP = 9.0  # between couple dates and a partner's label
NODESEP = 26.0
GAP_MIN = 38.0
GAP_TOP_PAD = 10.0
GAP_BOTTOM_PAD = 16.0
BAR_STEP = 12.0  # two bars over one stretch never closer than this (tests: BAR_BAND)
ROUTE_STEP = 9.0
BADGE_BAND = 16.0
PASSAGE_STEP = 8.0
SLASH_PASSAGE = (19.0, 31.0)  # x range right of a union's slashes where a line may pass down
SLOT_OFFSETS = (-7.0, 7.0, -11.0, 11.0, -15.0, 15.0, -4.0, 4.0, -13.0, 13.0, -9.0, 9.0)


@dataclass(frozen=True)
class Spacing:
    """How tightly people sit side by side: the width a name wraps at, the room each side of a
    person's label in its cell, and dot's gap between blocks. genogram.genogram_svg lays a family
    out roomy and, when that does not print at MIN_FONT_PT on the whole page, compact too, and
    keeps the one that prints larger."""

    name: str
    label_max_w: float
    person_pad: float
    nodesep: float


ROOMY = Spacing("roomy", LABEL_MAX_W, PERSON_PAD, NODESEP)
COMPACT = Spacing("compact", 84.0, 4.0, 14.0)
SPACINGS = (ROOMY, COMPACT)


@dataclass
class Cell:
    kind: str  # "person" | "union"
    id: str  # person id, or union key
    width: float
    x: float = 0.0  # the person's centre or the union point, set after dot
    anchor: Optional[float] = None  # a union point's offset from the cell's left (None: the centre)


@dataclass
class Union:
    key: str
    parents: tuple[str, ...]
    couple: Optional[Couple]
    level: int = 0
    x: float = 0.0
    y: float = 0.0  # couple line level
    text: Optional[str] = None
    # (person id, x offset of the stub on that person's bottom edge)
    stubs: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class Block:
    id: str
    row: int
    persons: list[str]
    cells: list[Cell]
    unions: list[Union]
    key: str = ""  # first member in file order: names the block across layout passes
    left: float = 0.0
    width: float = 0.0


@dataclass
class PersonBox:
    person: FamilyPerson
    row: int
    block: str
    label_lines: list[tuple[str, bool]]  # (text, bold)
    label_width: float
    x: float = 0.0
    cy: float = 0.0
    label_top: float = 0.0
    label_x: Optional[float] = None  # set: the label starts here, right of the symbol (the panel)
    notes: list = field(default_factory=list)  # panel notes (genogram_panel.Note)

    @property
    def shape(self) -> str:
        if self.person.unborn:
            return "triangle"
        return {"male": "square", "female": "circle"}.get(self.person.sex, "diamond")

    def half_extent(self) -> float:
        """Half the width/height of the outermost outline (victims get a second outline)."""
        base = {"square": SQUARE_HALF, "circle": CIRCLE_R, "diamond": DIAMOND_R, "triangle": TRIANGLE_HALF}[self.shape]
        return base + (VICTIM_GAP if self.person.victim and not self.person.unborn else 0.0)

    def symbol_box(self) -> tuple[float, float, float, float]:
        h = self.half_extent()
        if self.shape == "triangle":
            return (self.x - h, self.cy - 12.0, self.x + h, self.cy + 10.0)
        return (self.x - h, self.cy - h, self.x + h, self.cy + h)

    def top_y(self, dx: float) -> float:
        """y of the outermost outline's top edge at ``dx`` from the centre."""
        return self._edge(dx, -1)

    def bottom_y(self, dx: float) -> float:
        return self._edge(dx, +1)

    def _edge(self, dx: float, sign: int) -> float:
        h = self.half_extent()
        dx = min(abs(dx), h - 0.5)
        shape = self.shape
        if shape == "square":
            return self.cy + sign * h
        if shape == "circle":
            return self.cy + sign * (h * h - dx * dx) ** 0.5
        if shape == "diamond":
            return self.cy + sign * (h - dx)
        # triangle: apex up at cy-12, base at cy+10
        if sign < 0:
            return self.cy - 12.0 + 22.0 * dx / h
        return self.cy + 10.0

    def label_box(self) -> tuple[float, float, float, float]:
        height = (len(self.label_lines) + sum(len(n.lines) for n in self.notes)) * LABEL_LEAD
        if self.label_x is not None:
            return (self.label_x, self.label_top, self.label_x + self.label_width, self.label_top + height)
        return (self.x - self.label_width / 2, self.label_top, self.x + self.label_width / 2, self.label_top + height)


@dataclass
class Row:
    index: int
    blocks: list[str]
    top: float = 0.0
    height: float = 0.0
    max_level: int = -1
    label_top: float = 0.0


@dataclass
class Leg:
    """A horizontal piece of a routed line, in one gap; its y is its track."""

    gap: int
    x1: float
    x2: float
    pool: str  # "bar" | "route"
    bundle: Optional[str] = None  # legs of one bundle share a track
    y: float = 0.0

    @property
    def lo(self) -> float:
        return min(self.x1, self.x2)

    @property
    def hi(self) -> float:
        return max(self.x1, self.x2)


@dataclass
class Route:
    """A line routed through gaps and passages: start and end are symbol tops (or a union point)."""

    relation: Optional[Relation]
    start: tuple[str, float]  # (person id, x offset on top edge)
    end: tuple[str, float]
    legs: list[Leg] = field(default_factory=list)
    # vertical passages between legs: x for each crossing of a row
    passages: list[float] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)
    side_entry: bool = False  # arrives at the side of the end symbol (up the last passage), not its top
    channel: str = ""  # the person whose lines travel together (the stem's owner)
    # how far along ``points`` the line shares its way with a line of another style of its channel
    # (that stretch is drawn once, as the channel; the line's own style starts where they part)
    shared: float = 0.0

    @property
    def style(self) -> str:
        return self.relation.relation if self.relation.kind == "abuse" else "relation"


@dataclass
class SibshipDrawing:
    sibship: Sibship
    union: Optional[Union]
    bar: Leg
    trunk: list[tuple[float, float]] = field(default_factory=list)
    # per child: points from the bar to the child's top, and the badge position for A/F
    drops: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    twins: list[list[str]] = field(default_factory=list)
    badges: dict[str, tuple[float, float]] = field(default_factory=dict)
    # children more than one row below their parents: the drop line's way down through the
    # rows between (legs in the gaps, passages between blocks)
    long_legs: list[Leg] = field(default_factory=list)


@dataclass
class Layout:
    family: Family
    boxes: dict[str, PersonBox]
    blocks: dict[str, Block]
    rows: list[Row]
    unions: dict[str, Union]
    sibships: list[SibshipDrawing]
    routes: list[Route]
    gap_tops: list[float]
    gap_heights: list[float]
    width: float
    height: float
    left: float
    panel: Optional["Panel"] = None
    tree: Optional[tuple[float, float, float, float]] = None  # the tree's own bounds, without the panel
    badge_rows: set[int] = field(default_factory=set)
    drop_offsets: dict[tuple[int, str], float] = field(default_factory=dict)
    bar_tracks: dict[int, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- labels


def person_label_lines(p: FamilyPerson, relation_note: Optional[str], publication: bool,
                       hide_child: bool, label_max_w: float = LABEL_MAX_W) -> list[tuple[str, bool]]:
    says = _letters(p.label)
    # a perpetrator whose name already says so has it in bold rather than said twice
    name_bold = p.perpetrator and "perpetrator" in says
    lines: list[tuple[str, bool]] = [(t, name_bold) for t in wrap(p.label, LABEL_SIZE, label_max_w)]
    if p.perpetrator and not name_bold:
        lines.append(("perpetrator", True))
    if relation_note:
        lines.extend((t, False) for t in wrap(f"({relation_note})", LABEL_SIZE, label_max_w, max_lines=2))
    if p.age and age_outside(p.age) and not hide_child:
        lines.append((f"aged {p.age}", False))
    unborn_said = any(word in says for word in UNBORN_WORDS)
    gestation = p.gestation if p.unborn and p.gestation and not hide_child else None
    if p.unborn and (gestation or not unborn_said):
        lines.append((", ".join(t for t in ("" if unborn_said else "unborn", gestation) if t), False))
    if not publication:
        dates = []
        if p.born is not None and not p.unborn:
            dates.append(f"b. {p.born.year}")
        if p.dead and p.died is not None:
            dates.append(f"d. {p.died.year}")
        if dates:
            lines.append(("  ".join(dates), False))
    return lines


# names that already say a person is unborn ("UBC" is the reviews' usual abbreviation)
UNBORN_WORDS = ("unborn", "ubc")
AGE_INSIDE_CHARS = 3


def age_outside(age: str) -> bool:
    """An age too long for the symbol ("30\u201331") is written under it instead."""
    return len(age) > AGE_INSIDE_CHARS


def couple_text(c: Couple, publication: bool) -> Optional[str]:
    if publication:
        return None
    parts = []
    if c.start is not None:
        parts.append(("m. " if c.kind == "married" else "cp. " if c.kind == "civil_partnership" else "") + str(c.start.year))
    if c.separated is not None:
        parts.append(f"sep. {c.separated.year}")
    elif c.end is not None and c.slashes:
        parts.append(("div. " if c.kind in ("married", "civil_partnership") else "ended ") + str(c.end.year))
    return ", ".join(parts) or None


# --------------------------------------------------------------------------- blocks


def _order_block(members: list[str], couples: list[Couple], family: Family) -> list[str]:
    """Left-to-right order of a set of partners (see module docstring)."""
    persons = family.persons
    if len(members) == 1:
        return list(members)
    partners: dict[str, list[Couple]] = {m: [] for m in members}
    for c in couples:
        partners[c.a].append(c)
        partners[c.b].append(c)

    def other(c: Couple, pid: str) -> str:
        return c.b if c.a == pid else c.a

    def extends(q: str, via: str) -> bool:
        return any(other(c, q) != via for c in partners[q])

    root = max(members, key=lambda m: (len(partners[m]), persons[m].victim, persons[m].perpetrator, -persons[m].index))
    seen = {root}

    def place(pid: str, came_from: Optional[str], side: Optional[str]) -> list[str]:
        mine = [c for c in sorted(partners[pid], key=Couple.date_key) if other(c, pid) != came_from and other(c, pid) not in seen]
        for c in mine:
            seen.add(other(c, pid))
        if side is None:
            if len(mine) == 1:
                q = other(mine[0], pid)
                sexes = (persons[pid].sex, persons[q].sex)
                if sexes == ("female", "male") or (sexes[0] == sexes[1] and persons[q].index < persons[pid].index):
                    left, right = [mine[0]], []
                else:
                    left, right = [], [mine[0]]
            else:
                left, right = mine[:-1], mine[-1:]
        elif side == "left":
            left, right = mine, []
        else:
            left, right = [], mine
        # partners who have partners of their own go to the outer ends
        left.sort(key=lambda c: 0 if extends(other(c, pid), pid) else 1)
        right.sort(key=lambda c: 1 if extends(other(c, pid), pid) else 0)
        seq: list[str] = []
        for c in left:
            seq.extend(place(other(c, pid), pid, "left"))
        seq.append(pid)
        for c in right:
            seq.extend(place(other(c, pid), pid, "right"))
        return seq

    seq = place(root, None, None)
    # partners not reached (should not happen: the block is connected)
    seq.extend(m for m in members if m not in seq)
    return seq


def build_blocks(family: Family, boxes: dict[str, PersonBox], publication: bool = False,
                 flipped: frozenset = frozenset(), person_pad: float = PERSON_PAD) -> tuple[dict[str, Block], dict[str, Union], dict[str, str]]:
    persons = family.persons
    # partner components per row
    uf = {pid: pid for pid in persons}

    def find(x: str) -> str:
        while uf[x] != x:
            uf[x] = uf[uf[x]]
            x = uf[x]
        return x

    couples = [c for c in family.couples if persons[c.a].gen == persons[c.b].gen]
    for c in couples:
        ra, rb = find(c.a), find(c.b)
        if ra != rb:
            uf[max(ra, rb)] = min(ra, rb)
    comps: dict[str, list[str]] = {}
    for p in family.ordered_persons():
        comps.setdefault(find(p.id), []).append(p.id)
    blocks: dict[str, Block] = {}
    unions: dict[str, Union] = {}
    block_of: dict[str, str] = {}
    solo_multi: dict[str, list[Sibship]] = {}
    for sib in family.sibships:
        if len(sib.parents) == 1:
            solo_multi.setdefault(sib.parents[0], []).append(sib)
    for n, members in enumerate(comps.values()):
        bcouples = [c for c in couples if c.a in members]
        seq = _order_block(members, bcouples, family)
        if members[0] in flipped:
            seq.reverse()
        pos = {pid: i for i, pid in enumerate(seq)}
        bid = f"b{n}"
        # union placement: gap index g means between seq[g] and seq[g+1]; -1 / len-1 are the ends
        gap_unions: dict[int, list[Union]] = {}
        degree = {pid: 0 for pid in seq}
        for c in bcouples:
            degree[c.a] += 1
            degree[c.b] += 1
        for c in bcouples:
            i, j = sorted((pos[c.a], pos[c.b]))
            left, right = seq[i], seq[j]
            level = j - i - 1
            if level == 0:
                gap = i
            elif degree[right] >= degree[left]:
                gap = i  # hub on the right: the union sits next to the far (left) partner
            else:
                gap = j - 1
            key = "+".join(sorted((c.a, c.b), key=lambda q: persons[q].index))
            u = Union(key=key, parents=(left, right), couple=c, level=level, text=couple_text(c, publication))
            gap_unions.setdefault(gap, []).append(u)
        # single-parent sibships: a union cell right next to the parent
        for pid in seq:
            for sib in solo_multi.get(pid, ()):
                i = pos[pid]
                right_used = any(pos[c.a] > i or pos[c.b] > i for c in bcouples if pid in (c.a, c.b))
                left_used = any(pos[c.a] < i or pos[c.b] < i for c in bcouples if pid in (c.a, c.b))
                gap = i if (not right_used or left_used) else i - 1
                if right_used and left_used:
                    gap = i
                same_side = [u for u in gap_unions.get(gap, ()) if pid in u.parents]
                level = max((u.level for u in same_side), default=-1) + 1
                u = Union(key=pid + "+", parents=(pid,), couple=None, level=level)
                # the solo union goes nearest to its parent within the gap
                lst = gap_unions.setdefault(gap, [])
                if gap == i:
                    lst.insert(0, u)
                else:
                    lst.append(u)
        cells: list[Cell] = []
        ordered_unions: list[Union] = []

        def add_unions(g: int) -> None:
            for u in gap_unions.get(g, ()):
                cells.append(Cell("union", u.key, UNION_MIN_W))
                ordered_unions.append(u)

        add_unions(-1)
        for i, pid in enumerate(seq):
            cells.append(Cell("person", pid, max(PERSON_MIN_W, boxes[pid].label_width + person_pad)))
            add_unions(i)
        for u in ordered_unions:
            unions[u.key] = u
        block = Block(bid, persons[seq[0]].gen, seq, cells, ordered_unions, key=members[0])
        _assign_stubs(block, persons, pos)
        _size_union_cells(block, boxes)
        block.width = sum(c.width for c in cells)
        blocks[bid] = block
        for pid in seq:
            block_of[pid] = bid
            boxes[pid].block = bid
    return blocks, unions, block_of


def _assign_stubs(block: Block, persons: dict[str, FamilyPerson], pos: dict[str, int]) -> None:
    """x offsets of couple-line stubs on each partner's bottom edge (no two lines share one)."""
    attachments: dict[str, list[tuple[int, int, Union]]] = {pid: [] for pid in block.persons}
    cell_index = {(c.kind, c.id): k for k, c in enumerate(block.cells)}
    for u in block.unions:
        ux = cell_index[("union", u.key)]
        for pid in u.parents:
            px = cell_index[("person", pid)]
            side = 1 if ux > px else -1
            attachments[pid].append((side, u.level, u))
    for pid, atts in attachments.items():
        if len(atts) == 1:
            side, level, u = atts[0]
            u.stubs.append((pid, 0.0))
            continue
        for side in (-1, 1):
            mine = sorted((a for a in atts if a[0] == side), key=lambda a: (a[1], a[2].key))
            # nearest partner (lowest level) outermost; deeper levels nearer the centre
            n = len(mine)
            for k, (_, level, u) in enumerate(mine):
                offset = 4.0 + 5.0 * (n - 1 - k)
                u.stubs.append((pid, side * offset))


def _size_union_cells(block: Block, boxes: dict[str, PersonBox]) -> None:
    """Make each union cell wide enough that its couple text and slashes stay clear of the
    partners' symbols, stubs and labels."""
    def margin(k: int) -> float:
        if not 0 <= k < len(block.cells) or block.cells[k].kind != "person":
            return 0.0
        cell = block.cells[k]
        core = max(boxes[cell.id].label_width / 2, boxes[cell.id].half_extent() + 2.0)
        # may be negative: the union cell then grows, so couple dates keep TEXT_GAP from a label
        # (room for a household outline to pass between them)
        return cell.width / 2 - core - TEXT_GAP

    for k, cell in enumerate(block.cells):
        if cell.kind != "union":
            continue
        u = next(x for x in block.unions if x.key == cell.id)
        slashes = u.couple is not None and u.couple.slashes
        need_left = need_right = 4.0
        if u.text:
            w = text_width(u.text, COUPLE_TEXT_SIZE)
            if slashes:
                need_left = w - 2.0
            else:
                need_left = need_right = w / 2
        if slashes:
            # the slashes, and room for a line to pass down beside them (see _passages)
            need_right = max(need_right, SLASH_PASSAGE[1] + 2.0)
        # the union point need not be the cell's centre: dates on its left, slashes on its right
        left = max(UNION_MIN_W / 2, need_left - margin(k - 1))
        right = max(UNION_MIN_W / 2, need_right - margin(k + 1))
        cell.width, cell.anchor = left + right, left


# --------------------------------------------------------------------------- dot


def _cell_port(cell: Cell) -> str:
    safe = "".join(ch if ch.isalnum() else "_" for ch in cell.id)
    return f"{cell.kind[0]}_{safe}_{abs(hash_text(cell.id)) % 100000}"


def hash_text(text: str) -> int:
    """A stable (not randomised per process) hash of a string."""
    h = 2166136261
    for ch in text.encode("utf-8"):
        h = ((h ^ ch) * 16777619) & 0xFFFFFFFF
    return h


def dot_source(family: Family, blocks: dict[str, Block], block_of: dict[str, str],
               hints: Optional[dict[str, float]] = None, pull_households: bool = True,
               nodesep: float = NODESEP) -> str:
    """The DOT graph: one node per block, ``hints`` = person x from a previous pass."""
    persons = family.persons
    hints = hints or {}
    lines = [
        "digraph genogram {",
        f"  graph [rankdir=TB, nodesep={nodesep / 72:.4f}, ranksep=0.6, splines=false, newrank=true, searchsize=200, mclimit=4];",
        "  node [shape=plain, label=\"\"];",
        "  edge [arrowhead=none];",
    ]
    ports: dict[tuple[str, str], str] = {}
    rows: dict[int, list[Block]] = {}
    for b in blocks.values():
        rows.setdefault(b.row, []).append(b)
    for b in sorted(blocks.values(), key=lambda b: (b.row, min(persons[p].index for p in b.persons))):
        cells = []
        for c in b.cells:
            port = _cell_port(c)
            ports[(c.kind, c.id)] = port
            cells.append(f'<TD PORT="{port}" WIDTH="{c.width:.0f}" HEIGHT="40" FIXEDSIZE="TRUE"></TD>')
        lines.append(
            f'  {b.id} [label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{"".join(cells)}</TR></TABLE>>];'
        )
    nrows = max(rows) + 1 if rows else 0
    for r in range(nrows):
        lines.append(f"  rank{r} [shape=point, width=0.01, height=0.01, style=invis];")
        members = " ".join(b.id for b in sorted(rows.get(r, []), key=lambda b: b.id)) 
        lines.append(f"  {{rank=same; rank{r}; {members}}}")
    for r in range(nrows - 1):
        lines.append(f"  rank{r} -> rank{r + 1} [style=invis, weight=0];")
    # sibship edges
    flat: list[tuple[str, str, int]] = []
    # people with a sibling in another block (their siblings need the block's end)
    outside = {k for sib in family.sibships for k in (c.child for c in sib.children)
               if any(block_of[c.child] != block_of[k] for c in sib.children)}
    for sib in family.sibships:
        kids = [c.child for c in sib.children]
        if sib.parents:
            ukey = "+".join(sorted(sib.parents, key=lambda q: persons[q].index)) if len(sib.parents) == 2 else sib.parents[0] + "+"
            ub = block_of[sib.parents[0]]
            uport = ports[("union", ukey)]
            for ch in kids:
                cb = block_of[ch]
                w = 4 if persons[ch].gen == persons[sib.parents[0]].gen + 1 else 1
                lines.append(f"  {ub}:{uport}:s -> {cb}:{ports[('person', ch)]}:n [weight={w}];")
        flat.extend(_sibling_order_edges(kids, persons, blocks, block_of, outside))
    # people with no kinship links (friends, neighbours...) go right of the family in their row,
    # ordered by where their anchor sat in the previous pass
    anchor_of: dict[str, str] = {}
    for rel in sorted(family.relations, key=lambda r: r.order):
        for sat, anchor in ((rel.target, rel.source), (rel.source, rel.target)):
            if not persons[sat].kin and sat not in anchor_of and anchor in persons:
                anchor_of[sat] = anchor
    for r, bl in sorted(rows.items()):
        sats = [b for b in bl if not any(persons[p].kin for p in b.persons)]
        kin = [b for b in bl if b not in sats]
        if not sats or not kin:
            continue

        def sat_key(b: Block) -> tuple:
            pid = b.persons[0]
            anchor = anchor_of.get(pid)
            ax = hints.get(anchor, persons[anchor].index * 1000.0) if anchor else 1e12
            return (ax, persons[pid].index)

        sats.sort(key=sat_key)
        for b in sorted(kin, key=lambda b: b.id):
            flat.append((b.id, sats[0].id, 0))
        for a, b in zip(sats, sats[1:]):
            flat.append((a.id, b.id, 1))
    for a, b, w in _acyclic(flat):
        lines.append(f"  {a} -> {b} [style=invis, weight={w}];")
    if pull_households:
        lines.extend(_household_edges(family, block_of))
    lines.append("}")
    return "\n".join(lines) + "\n"


HOUSEHOLD_WEIGHT = 3


def _siblings_split(family: Family, blocks: dict[str, Block], block_of: dict[str, str]) -> bool:
    """Whether some block with none of a sibship's children sits between two of its children on
    their row (their partners' blocks may)."""
    for sib in family.sibships:
        rows: dict[int, set[str]] = {}
        for c in sib.children:
            rows.setdefault(family.persons[c.child].gen, set()).add(block_of[c.child])
        for row, mine in rows.items():
            if len(mine) < 2:
                continue
            lo = min(blocks[b].left for b in mine)
            hi = max(blocks[b].left for b in mine)
            if any(b.row == row and lo < b.left < hi and b.id not in mine for b in blocks.values()):
                return True
    return False


def _household_edges(family: Family, block_of: dict[str, str]) -> list[str]:
    """Invisible edges down the rows between the blocks of a drawn household's members, so dot
    pulls them over each other and the household's outline stays one compact region."""
    out = []
    seen = set()
    count: dict[str, int] = {}
    for hh in family.households:
        for m in hh.members:
            count[m] = count.get(m, 0) + 1
    for hh in family.households:
        if any(count[m] > 1 for m in hh.members):
            continue  # households that share people would pull them apart: leave those to dot
        members = sorted((m for m in hh.members if m in block_of), key=lambda m: (family.persons[m].gen, family.persons[m].index))
        for a, b in zip(members, members[1:]):
            ba, bb = block_of[a], block_of[b]
            if family.persons[a].gen < family.persons[b].gen and (ba, bb) not in seen:
                seen.add((ba, bb))
                out.append(f"  {ba} -> {bb} [style=invis, weight={HOUSEHOLD_WEIGHT}];")
    return out


def _birth_known(p: FamilyPerson) -> bool:
    return p.unborn or p.birth_key[1] != _NO_BIRTH[1]


_NO_BIRTH = (0, dt.date.max)


def _sibling_order_edges(kids: list[str], persons: dict[str, FamilyPerson], blocks: dict[str, Block],
                         block_of: dict[str, str], outside: set[str]) -> list[tuple[str, str, int]]:
    """Flat edges keeping siblings in birth order; a sibling whose birth the file does not date
    goes on the side of their sibling's partner block where that sibling sits (the far end of a
    block, so the bar does not pass over partners and another family's siblings there)."""
    edges = []
    dated = [k for k in kids if _birth_known(persons[k])]
    for a, b in zip(dated, dated[1:]):
        if block_of[a] != block_of[b] and persons[a].gen == persons[b].gen:
            edges.append((block_of[a], block_of[b], 1))
    anchor = next((k for k in dated if len(blocks[block_of[k]].persons) > 1), dated[-1] if dated else None)
    for k in kids:
        if k in dated or anchor is None or block_of[k] == block_of[anchor] or persons[k].gen != persons[anchor].gen:
            continue
        if _free_side(anchor, blocks[block_of[anchor]], outside) == "right":
            edges.append((block_of[anchor], block_of[k], 1))
        else:
            edges.append((block_of[k], block_of[anchor], 1))
    undated = [k for k in kids if k not in dated]
    for a, b in zip(undated, undated[1:]):
        if block_of[a] != block_of[b] and persons[a].gen == persons[b].gen:
            edges.append((block_of[a], block_of[b], 1))
    return edges


def _free_side(pid: str, block: Block, outside: set[str]) -> str:
    """The side of ``block`` where ``pid``'s undated siblings sit best: the end ``pid`` is at,
    else the end whose member has no siblings of their own to place there."""
    seq = block.persons
    i = seq.index(pid)
    if i == len(seq) - 1:
        return "right"
    if i == 0:
        return "left"
    return "left" if seq[-1] in outside else "right"


def _acyclic(edges: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Drop duplicate edges and any edge that would close a cycle (in the given order)."""
    kept: list[tuple[str, str, int]] = []
    succ: dict[str, set[str]] = {}
    seen = set()

    def reaches(a: str, b: str) -> bool:
        stack, visited = [a], {a}
        while stack:
            n = stack.pop()
            if n == b:
                return True
            for m in succ.get(n, ()):
                if m not in visited:
                    visited.add(m)
                    stack.append(m)
        return False

    for a, b, w in edges:
        if (a, b) in seen or a == b:
            continue
        if reaches(b, a):
            continue
        seen.add((a, b))
        succ.setdefault(a, set()).add(b)
        kept.append((a, b, w))
    return kept


# --------------------------------------------------------------------------- layout


def layout_family(family: Family, publication: bool = False, hide_children: bool = False,
                  page: str = "a4", spacing: Spacing = ROOMY) -> Layout:
    whole = family
    panel = build_panel(whole, panel_people(whole, whole.households))
    family = _without(whole, set(panel.people))
    persons = family.persons
    notes = _relation_notes(family)
    boxes: dict[str, PersonBox] = {}
    for p in whole.ordered_persons():
        lines = person_label_lines(p, notes.get(p.id), publication, hide_children and p.child, spacing.label_max_w)
        width = max(text_width(t, LABEL_SIZE, bold) for t, bold in lines) if lines else 0.0
        boxes[p.id] = PersonBox(p, p.gen, "", lines, width)
    flipped: frozenset = frozenset()
    hints: dict[str, float] = {}
    pull_households = True
    for attempt in range(4):
        blocks, unions, block_of = build_blocks(family, boxes, publication, flipped, spacing.person_pad)
        data = run_dot_json(dot_source(family, blocks, block_of, hints, pull_households, spacing.nodesep))
        positions = {}
        for obj in data.get("objects", []):
            if "pos" in obj and obj["name"] in blocks:
                x, _ = (float(v) for v in obj["pos"].split(","))
                positions[obj["name"]] = x
        for b in blocks.values():
            b.left = positions.get(b.id, 0.0) - b.width / 2
            x = b.left
            for c in b.cells:
                c.x = x + (c.width / 2 if c.anchor is None else c.anchor)
                x += c.width
                if c.kind == "person":
                    boxes[c.id].x = c.x
                else:
                    unions[c.id].x = c.x
        if pull_households and _siblings_split(family, blocks, block_of):
            pull_households = False  # pulling households together split siblings: siblings first
            continue
        flip = _blocks_to_flip(family, blocks, unions, boxes)
        new_hints = {pid: box.x for pid, box in boxes.items()}
        satellites_moved = attempt == 0 and any(not p.kin for p in persons.values())
        hints = new_hints
        if not flip and not satellites_moved:
            break
        flipped = flipped ^ flip
    nrows = max((p.gen for p in persons.values()), default=-1) + 1
    rows = [Row(r, []) for r in range(nrows)]
    for b in sorted(blocks.values(), key=lambda b: b.left):
        rows[b.row].blocks.append(b.id)
    for u in unions.values():
        r = persons[u.parents[0]].gen
        rows[r].max_level = max(rows[r].max_level, u.level)

    layout = Layout(family, boxes, blocks, rows, unions, [], [], [], [], 0.0, 0.0, 0.0)
    _sibship_bars(layout)
    _route_relations(layout)
    _assign_tracks_and_y(layout)
    if panel.people:
        _place_panel(layout, panel, page)
    return layout


def _without(family: Family, gone: set[str]) -> Family:
    """The family without the people in ``gone`` and the lines that reach them."""
    if not gone:
        return family
    return replace(family, persons={k: v for k, v in family.persons.items() if k not in gone},
                   relations=[r for r in family.relations if r.source not in gone and r.target not in gone])


def reshape_panel(layout: Layout, page: str, shape: tuple[str, int]) -> None:
    """Place the panel again, in ``shape`` (side, columns)."""
    if layout.panel is not None:
        _place_panel(layout, layout.panel, page, shape)


def _place_panel(layout: Layout, panel: Panel, page: str, shape: Optional[tuple[str, int]] = None) -> None:
    """Put the panel beside the tree (in ``shape``, else the shape that seems to print best) and
    each of its people in a cell: symbol, then name and notes."""
    boxes = layout.boxes
    if layout.tree is None:
        layout.tree = (layout.left, 0.0, layout.left + layout.width, layout.height)
    cells = {}
    for pid in panel.people:
        box = boxes[pid]
        box.notes = panel.notes.get(pid, [])
        if pid not in panel.cells:
            panel.cells[pid] = cell_size(box.label_lines, box.label_width, box.notes)
        cells[pid] = panel.cells[pid]
    tree = layout.tree
    layout.left, layout.width, layout.height = tree[0], tree[2] - tree[0], tree[3]
    corners = arrange(panel, cells, tree, page, COUPLE_TEXT_SIZE, shape,  # COUPLE_TEXT_SIZE: the smallest text
                      _occupied(layout, set(panel.people)))
    for pid, (x0, y0) in corners.items():
        box = boxes[pid]
        box.x = x0 + SYMBOL_COL / 2
        box.cy = y0 + CY - 3.0
        box.label_x = x0 + SYMBOL_COL
        box.label_top = y0
        box.label_width = cells[pid][0] - SYMBOL_COL
    layout.panel = panel
    right = max(layout.left + layout.width, panel.x + panel.width + 10.0)
    layout.width = right - layout.left
    layout.height = max(layout.height, panel.y + panel.height + 6.0)


HOUSEHOLD_ROOM = 24.0  # round a person: where a household outline (nested ones further out) may run


def _occupied(layout: Layout, panel: set[str]) -> list[tuple[float, float, float, float]]:
    """Boxes round everything the tree draws: people (symbol, label and room for a household
    outline), couple lines, child lines, abuse and relation lines."""
    out = []
    for pid, box in layout.boxes.items():
        if pid in panel:
            continue
        x0, y0, x1, y1 = box.symbol_box()
        l0, _, l1, l3 = box.label_box()
        out.append((min(x0, l0) - HOUSEHOLD_ROOM, y0 - HOUSEHOLD_ROOM, max(x1, l1) + HOUSEHOLD_ROOM, l3 + HOUSEHOLD_ROOM))
    lines = [r.points for r in layout.routes]
    for sd in layout.sibships:
        lines.append(sd.trunk)
        lines.extend(sd.drops.values())
    for u in layout.unions.values():
        xs = [layout.boxes[p].x for p in u.parents] + [u.x]
        lines.append([(min(xs), u.y), (max(xs), u.y)])
    for pts in lines:
        if pts:
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def _blocks_to_flip(family: Family, blocks: dict[str, Block], unions: dict[str, Union],
                    boxes: dict[str, PersonBox]) -> frozenset:
    """Blocks that would sit better mirrored: children nearer the union they hang from,
    people nearer their parents' union, abuse and relation partners nearer each other."""
    persons = family.persons
    parent_union: dict[str, float] = {}
    kids_of: dict[str, list[float]] = {}
    for sib in family.sibships:
        if not sib.parents:
            continue
        ukey = "+".join(sorted(sib.parents, key=lambda q: persons[q].index)) if len(sib.parents) == 2 else sib.parents[0] + "+"
        u = unions[ukey]
        for ch in sib.children:
            parent_union.setdefault(ch.child, u.x)
            kids_of.setdefault(ukey, []).append(boxes[ch.child].x)
    out = set()
    for b in blocks.values():
        if len(b.persons) < 2:
            continue
        centre = b.left + b.width / 2
        members = set(b.persons)
        cost = [0.0, 0.0]
        for c in b.cells:
            for k, x in enumerate((c.x, 2 * centre - c.x)):
                if c.kind == "union":
                    cost[k] += sum(abs(x - cx) for cx in kids_of.get(c.id, ()))
                elif c.id in parent_union and family.persons[c.id].gen > 0:
                    # the parents' union may sit in this same block only for odd data; skip it then
                    cost[k] += abs(x - parent_union[c.id])
        if cost[1] + 1.0 < cost[0]:
            out.add(b.key)
    return frozenset(out)


STEP_WORDS = {"male": "stepfather", "female": "stepmother"}


def _step_notes(family: Family) -> dict[str, str]:
    """A step-parent has no child line (they are drawn as the parent's partner): the relation
    the case file records is written under their name instead."""
    children: dict[str, list[str]] = {}
    for parent, child in family.step_links:
        if "step" not in family.persons[parent].label.lower():  # the name says it already
            children.setdefault(parent, []).append(family.persons[child].label)
    return {pid: f"{STEP_WORDS.get(family.persons[pid].sex, 'step-parent')} of {' and '.join(kids)}"
            for pid, kids in children.items()}


def _relation_notes(family: Family) -> dict[str, str]:
    """For people linked only by a relation, the relation as a note under their name; for a
    step-parent, whose step-child they are."""
    notes: dict[str, str] = dict(_step_notes(family))
    for rel in family.relations:
        if rel.kind != "relation":
            continue
        for pid in (rel.target, rel.source):
            p = family.persons[pid]
            if p.kin or pid in notes:
                continue
            text = rel.label or rel.relation
            if rel.relation == "carer":
                text = "carer" if pid == rel.source else "cared for"
            if _letters(text) not in _letters(p.label):
                notes[pid] = text
            break
    return notes


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _sibship_bars(layout: Layout) -> None:
    persons = layout.family.persons
    boxes = layout.boxes
    # a child with lines from two families (birth and adoptive parents): the lines arrive side by side
    incoming: dict[str, list[tuple[int, int]]] = {}
    link_rank = {"biological": 0, "adoptive": 1, "foster": 2}
    for n, sib in enumerate(layout.family.sibships):
        for c in sib.children:
            incoming.setdefault(c.child, []).append((link_rank.get(c.link, 3), n))
    for child, lst in incoming.items():
        lst.sort()
        k = len(lst)
        for i, (_, n) in enumerate(lst):
            layout.drop_offsets[(n, child)] = 0.0 if k == 1 else (i - (k - 1) / 2) * 10.0
    for n, sib in enumerate(layout.family.sibships):
        kids = [c.child for c in sib.children]
        child_row = min(persons[k].gen for k in kids)
        union = None
        xs = [boxes[k].x + layout.drop_offsets[(n, k)] for k in kids]
        if sib.parents:
            ukey = "+".join(sorted(sib.parents, key=lambda q: persons[q].index)) if len(sib.parents) == 2 else sib.parents[0] + "+"
            union = layout.unions[ukey]
            if child_row == persons[sib.parents[0]].gen + 1:
                xs.append(union.x)
        twins = _twins(sib, persons)
        bar = Leg(child_row, min(xs), max(xs), "bar")
        layout.sibships.append(SibshipDrawing(sib, union, bar, twins=twins))
        if any(c.link in ("adoptive", "foster") for c in sib.children):
            layout.badge_rows.add(child_row)


def _twins(sib: Sibship, persons: dict[str, FamilyPerson]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for c in sib.children:
        p = persons[c.child]
        if p.born is not None and p.born.precision == "day" and not p.unborn:
            groups.setdefault(str(p.born), []).append(c.child)
    return [g for g in groups.values() if len(g) > 1]


# --------------------------------------------------------------------------- routing


UNION_PASSAGE_HALF = 12.0  # a line may pass down a union cell this far either side of its trunk


def _passages(layout: Layout) -> tuple[dict[int, list[list[float]]], dict[tuple[int, int], list[float]]]:
    """Per row, the x intervals a line may pass down through: the gaps between blocks, and the
    union cells with no dates or slashes on their couple line (beside the children's trunk,
    which is reserved). Returns the intervals and the reserved x of each."""
    out: dict[int, list[list[float]]] = {}
    reserved: dict[tuple[int, int], list[float]] = {}
    for row in layout.rows:
        bl = [layout.blocks[b] for b in row.blocks]
        spans = []
        for a, b in zip(bl, bl[1:]):
            spans.append([a.left + a.width, b.left])
        for block in bl:
            for u in block.unions:
                if u.couple is not None and u.couple.slashes:
                    cell = next(c for c in block.cells if c.kind == "union" and c.id == u.key)
                    room = cell.width - (cell.anchor if cell.anchor is not None else cell.width / 2)
                    if room >= SLASH_PASSAGE[1]:  # room right of the slashes
                        spans.append([u.x + SLASH_PASSAGE[0], u.x + SLASH_PASSAGE[1]])
                    continue
                if u.text:
                    continue
                reserved[(row.index, len(spans))] = [u.x]
                spans.append([u.x - UNION_PASSAGE_HALF, u.x + UNION_PASSAGE_HALF])
        out[row.index] = spans
    return out, reserved


def _bounds(layout: Layout) -> tuple[float, float]:
    lefts = [b.left for b in layout.blocks.values()]
    rights = [b.left + b.width for b in layout.blocks.values()]
    return (min(lefts, default=0.0), max(rights, default=0.0))


class _PassageFinder:
    """Where a line crosses a row: a free slot in a passage between blocks (or down a union cell),
    else the margin beyond the row's first or last block; never through an A/F tag."""

    def __init__(self, layout: Layout):
        self.passages, self.used_slots = _passages(layout)
        self.row_ends = {}
        for row in layout.rows:
            bl = [layout.blocks[b] for b in row.blocks]
            self.row_ends[row.index] = (min(b.left for b in bl), max(b.left + b.width for b in bl)) if bl else (0.0, 0.0)
        self.outer_used: dict[tuple[int, str], int] = {}
        self.tags_below = _tags_below(layout)

    def clear_of_tags(self, row: int, x: float) -> bool:
        return all(abs(x - t) >= 10.0 for t in self.tags_below.get(row, ()))

    def x(self, row: int, x_from: float, x_to: float) -> float:
        best = self._inner(row, x_from, x_to)
        for side, x in (("left", self._margin(row, "left")), ("right", self._margin(row, "right"))):
            cost = abs(x - x_from) + abs(x - x_to) + 40.0
            if best is None or cost < best[0]:
                best = (cost, x, (row, side))
        _, x, where = best
        if isinstance(where[1], str):
            self.outer_used[where] = self.outer_used.get(where, 0) + 1
        else:
            self.used_slots[where].append(x)
        return x

    def _inner(self, row: int, x_from: float, x_to: float) -> Optional[tuple]:
        best = None
        for k, (a, b) in enumerate(self.passages[row]):
            capacity = max(int((b - a - 12.0) // PASSAGE_STEP) + 1, 0)
            used = self.used_slots.setdefault((row, k), [])
            if len(used) >= capacity:
                continue
            centre = (a + b) / 2
            candidates = [centre + PASSAGE_STEP * ((i + 1) // 2) * (1 if i % 2 else -1) for i in range(capacity)]
            free = [c for c in candidates if all(abs(c - u) > 1 for u in used) and self.clear_of_tags(row, c)]
            if not free:
                continue
            x = min(free, key=lambda c: (abs(c - x_from) + abs(c - x_to), c))
            cost = abs(x - x_from) + abs(x - x_to) + len(used)
            if best is None or cost < best[0]:
                best = (cost, x, (row, k))
        return best

    def _margin(self, row: int, side: str) -> float:
        """The next free x beyond the row's first (left) or last (right) block."""
        lo, hi = self.row_ends[row]
        sign, edge = (-1.0, lo) if side == "left" else (1.0, hi)
        while True:
            x = edge + sign * (18.0 + PASSAGE_STEP * self.outer_used.get((row, side), 0))
            if self.clear_of_tags(row, x):
                return x
            self.outer_used[(row, side)] = self.outer_used.get((row, side), 0) + 1


def _tags_below(layout: Layout) -> dict[int, list[float]]:
    """A/F tags sit on child lines near the top of the gap below each row: x of each, by row."""
    fam = layout.family
    tags: dict[int, list[float]] = {}
    for n, sib in enumerate(fam.sibships):
        for c in sib.children:
            if c.link in ("adoptive", "foster"):
                tags.setdefault(fam.persons[c.child].gen - 1, []).append(
                    layout.boxes[c.child].x + layout.drop_offsets[(n, c.child)])
    return tags


@dataclass(frozen=True)
class _Spec:
    """One line to route: its relation, the person it leaves (the stem) and the one it reaches."""

    relation: Relation
    src: str
    dst: str

    @property
    def channel(self) -> str:
        """All lines leaving one person travel as one channel until they part (CHANNEL)."""
        return self.src


def _relation_specs(fam: Family) -> list[_Spec]:
    specs = []
    for rel in sorted(fam.relations, key=lambda r: r.order):
        src, dst = rel.source, rel.target
        if rel.kind == "relation" and not fam.persons[src].kin and fam.persons[dst].kin:
            src, dst = dst, src  # stems leave from the family side
        specs.append(_Spec(rel, src, dst))
    return specs


def _arrival_key(spec: _Spec) -> str:
    return f"arr:{spec.relation.order}:{spec.relation.kind}"


def _end_slots(layout: Layout, specs: list[_Spec]) -> dict[tuple[str, str], float]:
    """x offset on each symbol's top edge of every stem (one per channel) and every arrival,
    in the order of the people they go to, clear of the child lines arriving there."""
    boxes = layout.boxes
    ends: dict[str, list[tuple[float, str]]] = {}
    targets: dict[str, list[float]] = {}
    for spec in specs:
        targets.setdefault(spec.channel, []).append(boxes[spec.dst].x)
    for spec in specs:
        if spec.channel in targets:
            xs = targets.pop(spec.channel)
            ends.setdefault(spec.src, []).append((sum(xs) / len(xs), "stem:" + spec.channel))
        ends.setdefault(spec.dst, []).append((boxes[spec.src].x, _arrival_key(spec)))
    drops_at = _drops_at(layout)
    slot: dict[tuple[str, str], float] = {}
    for pid, items in ends.items():
        items = sorted(items)
        half = boxes[pid].half_extent() - 3.0
        free = [o for o in SLOT_OFFSETS if all(abs(o - d) >= clear for d, clear in drops_at.get(pid, [(0.0, 6.0)]))]
        if len(items) <= len(free):
            offs = sorted(free[:len(items)])
        else:
            offs = [-half + 2 * half * (k + 0.5) / len(items) for k in range(len(items))]
        for (_, key), off in zip(items, offs):
            slot[(pid, key)] = max(-half, min(half, off))
    return slot


def _drops_at(layout: Layout) -> dict[str, list[tuple[float, float]]]:
    """The child lines arriving on each symbol: (x offset, room to keep clear of it and its A/F tag)."""
    fam = layout.family
    out: dict[str, list[tuple[float, float]]] = {}
    for (n, child), off in layout.drop_offsets.items():
        link = next(c.link for c in fam.sibships[n].children if c.child == child)
        out.setdefault(child, []).append((off, 11.0 if link in ("adoptive", "foster") else 6.0))
    return out


def _route_relations(layout: Layout) -> None:
    """Abuse and other relation lines through the gaps and passages; one channel per person: its
    lines share the stem, one track in each gap and the passages to each row, and part for
    their targets (the drawing shows the shared stretch once, with a dot where they part)."""
    finder = _PassageFinder(layout)
    specs = _relation_specs(layout.family)
    slot = _end_slots(layout, specs)
    shared: dict[tuple[str, int], list[tuple[int, float]]] = {}
    layout.routes = [_route(layout, spec, slot, finder, shared, specs) for spec in specs]
    _route_long_drops(layout, finder)


def _route(layout: Layout, spec: _Spec, slot: dict, finder: _PassageFinder,
           shared: dict[tuple[str, int], list[tuple[int, float]]], specs: list[_Spec]) -> Route:
    boxes, persons = layout.boxes, layout.family.persons
    s_off = slot[(spec.src, "stem:" + spec.channel)]
    d_off = slot[(spec.dst, _arrival_key(spec))]
    route = Route(spec.relation, (spec.src, s_off), (spec.dst, d_off), channel=spec.channel)
    g_end = persons[spec.dst].gen
    key = (spec.channel, g_end)
    if key not in shared:  # the channel's way to this row, shared by all its lines going there
        xs = [boxes[s.dst].x for s in specs if s.channel == spec.channel and persons[s.dst].gen == g_end]
        shared[key] = _passes(finder, boxes[spec.src].x + s_off, persons[spec.src].gen, g_end, sum(xs) / len(xs))
    x = boxes[spec.src].x + s_off
    for gap, px in shared[key]:
        route.legs.append(Leg(gap, x, px, "route", f"{spec.channel}@{gap}"))
        route.passages.append(px)
        x = px
    if g_end < persons[spec.src].gen and route.passages and _clear_beside(layout, spec.dst, route.passages[-1]):
        route.side_entry = True  # up the passage beside the target's block, in at its side
    else:
        route.legs.append(Leg(g_end, x, boxes[spec.dst].x + d_off, "route", f"{spec.channel}@{g_end}"))
    return route


def _passes(finder: _PassageFinder, x: float, gap: int, g_end: int, x_to: float) -> list[tuple[int, float]]:
    """From gap ``gap`` (above the source row) to gap ``g_end``: (gap, x of the passage taken
    out of it) for each row crossed."""
    passes = []
    while gap != g_end:
        cross_row, nxt = (gap, gap + 1) if g_end > gap else (gap - 1, gap - 1)
        px = finder.x(cross_row, x, x_to)
        passes.append((gap, px))
        x, gap = px, nxt
    return passes


def _route_long_drops(layout: Layout, finder: _PassageFinder) -> None:
    """Drop lines that cross rows on their way to children further down."""
    persons = layout.family.persons
    for sd in layout.sibships:
        if sd.union is None:
            continue
        g = persons[sd.union.parents[0]].gen + 1
        if sd.bar.gap <= g:
            continue
        x = sd.union.x
        key = "trunk:" + sd.union.key
        target = (sd.bar.x1 + sd.bar.x2) / 2
        while g < sd.bar.gap:
            px = finder.x(g, x, target)
            sd.long_legs.append(Leg(g, x, px, "route", f"{key}@{g}"))
            x, g = px, g + 1
        sd.bar.x1, sd.bar.x2 = min(sd.bar.x1, x), max(sd.bar.x2, x)


def _assign_tracks_and_y(layout: Layout) -> None:
    nrows = len(layout.rows)
    ngaps = nrows + 1
    legs_by_gap: dict[int, list[Leg]] = {g: [] for g in range(ngaps)}
    for sd in layout.sibships:
        legs_by_gap[sd.bar.gap].append(sd.bar)
    for route in layout.routes:
        for leg in route.legs:
            legs_by_gap[leg.gap].append(leg)
    for sd in layout.sibships:
        for leg in sd.long_legs:
            legs_by_gap[leg.gap].append(leg)
    track_of: dict[int, int] = {}
    tracks_needed: dict[tuple[int, str], int] = {}
    for g, legs in legs_by_gap.items():
        for pool in ("bar", "route"):
            mine = [l for l in legs if l.pool == pool]
            # bundles share one track spanning all their legs
            groups: dict[str, list[Leg]] = {}
            singles: list[list[Leg]] = []
            for l in mine:
                if l.bundle:
                    groups.setdefault(l.bundle, []).append(l)
                else:
                    singles.append([l])
            items = list(groups.values()) + singles
            items.sort(key=lambda ls: (min(l.lo for l in ls), max(l.hi for l in ls), id_key(ls[0])))
            ends: list[float] = []
            sep = 5.0
            for ls in items:
                lo = min(l.lo for l in ls)
                hi = max(l.hi for l in ls)
                t = next((k for k, e in enumerate(ends) if e + sep < lo), None)
                if t is None:
                    ends.append(hi)
                    t = len(ends) - 1
                else:
                    ends[t] = hi
                for l in ls:
                    track_of[id(l)] = t
            tracks_needed[(g, pool)] = len(ends)

    # vertical positions; the first and last gaps leave room for household outlines drawn
    # round the top and bottom rows (nested ones further out: 8 px + 5 px a level, genogram.py)
    counts: dict[str, int] = {}
    for hh in layout.family.households:
        for m in hh.members:
            counts[m] = counts.get(m, 0) + 1
    edge_room = 6.0 + (5.0 * (max(counts.values()) - 1) + 6.0 if counts else 0.0)
    y = 0.0
    gap_tops: list[float] = []
    gap_heights: list[float] = []
    for g in range(ngaps):
        nb = tracks_needed.get((g, "bar"), 0)
        nr = tracks_needed.get((g, "route"), 0)
        badge = BADGE_BAND if g in layout.badge_rows else 0.0
        h = GAP_TOP_PAD + nb * BAR_STEP + badge + nr * ROUTE_STEP + GAP_BOTTOM_PAD
        if (g == 0 or g == ngaps - 1) and nb == 0 and nr == 0:
            h = edge_room
        else:
            h = max(h, GAP_MIN)
        gap_tops.append(y)
        gap_heights.append(h)
        # assign track ys: bars from the top, routes below the badge band
        for l in legs_by_gap[g]:
            t = track_of[id(l)]
            if l.pool == "bar":
                l.y = y + GAP_TOP_PAD + t * BAR_STEP
            else:
                l.y = y + GAP_TOP_PAD + nb * BAR_STEP + badge + t * ROUTE_STEP + 3.0
        y += h
        if g < nrows:
            row = layout.rows[g]
            row.top = y
            if row.max_level >= 0:
                row.label_top = y + COUPLE0 + row.max_level * COUPLE_STEP + 8.0
            else:
                row.label_top = y + CY + 28.0
            lines = max((len(layout.boxes[p].label_lines) for b in row.blocks for p in layout.blocks[b].persons), default=0)
            row.height = row.label_top - y + lines * LABEL_LEAD + 4.0
            for b in row.blocks:
                for pid in layout.blocks[b].persons:
                    box = layout.boxes[pid]
                    box.cy = y + CY
                    box.label_top = row.label_top
            y += row.height
    layout.bar_tracks = {g: tracks_needed.get((g, "bar"), 0) for g in range(ngaps)}
    layout.gap_tops = gap_tops
    layout.gap_heights = gap_heights
    for u in layout.unions.values():
        row = layout.rows[layout.family.persons[u.parents[0]].gen]
        u.y = row.top + COUPLE0 + u.level * COUPLE_STEP
    _finish_sibships(layout)
    _finish_routes(layout)
    _part_channels(layout.routes)
    lo, hi = _bounds(layout)
    xs = [lo, hi]
    for r in layout.routes:
        xs.extend(x for x, _ in r.points)
    layout.left = min(xs) - 10.0
    layout.width = max(xs) + 10.0 - layout.left
    layout.height = y


def id_key(leg: Leg) -> tuple:
    return (leg.gap, leg.x1, leg.x2, leg.bundle or "")


def _finish_sibships(layout: Layout) -> None:
    boxes = layout.boxes
    for n, sd in enumerate(layout.sibships):
        bar_y = sd.bar.y
        if sd.union is not None:
            u = sd.union
            if len(u.parents) == 1:
                pid = u.parents[0]
                off = dict(u.stubs).get(pid, 0.0)
                px = boxes[pid].x + off
                sd.trunk = [(px, boxes[pid].bottom_y(off)), (px, u.y), (u.x, u.y)]
            else:
                sd.trunk = [(u.x, u.y)]
            for leg in sd.long_legs:
                sd.trunk += [(leg.x1, leg.y), (leg.x2, leg.y)]
            sd.trunk.append((sd.trunk[-1][0], bar_y))
        twin_of = {c: tuple(g) for g in sd.twins for c in g}
        for ch in sd.sibship.children:
            box = boxes[ch.child]
            off = layout.drop_offsets[(n, ch.child)]
            x = box.x + off
            top = box.top_y(off)
            if ch.child in twin_of:
                g = twin_of[ch.child]
                fork = sum(boxes[c].x + layout.drop_offsets[(n, c)] for c in g) / len(g)
                sd.drops[ch.child] = [(fork, bar_y), (x, top)]
            else:
                sd.drops[ch.child] = [(x, bar_y), (x, top)]
            if ch.link in ("adoptive", "foster"):
                gap = layout.rows[box.row].index
                by = layout.gap_tops[gap] + GAP_TOP_PAD + layout.bar_tracks.get(gap, 0) * BAR_STEP + BADGE_BAND / 2
                sd.badges[ch.child] = (x, by)


def _clear_beside(layout: Layout, pid: str, x: float) -> bool:
    """Whether a line coming up a passage at ``x`` can turn at ``pid``'s symbol height and reach
    its side with no one else's symbol in the way (so it need not go over the top of the row)."""
    target = layout.boxes[pid]
    lo, hi = sorted((x, target.x))
    return not any(b.row == target.row and b.label_x is None and lo < b.x < hi and b is not target
                   for b in layout.boxes.values())


def _finish_routes(layout: Layout) -> None:
    boxes = layout.boxes
    for r in layout.routes:
        src, s_off = r.start
        dst, d_off = r.end
        sb, db = boxes[src], boxes[dst]
        pts = [(sb.x + s_off, sb.top_y(s_off))]
        for k, leg in enumerate(r.legs):
            pts.append((leg.x1, leg.y))
            pts.append((leg.x2, leg.y))
        if r.side_entry:
            px = r.passages[-1]
            side = db.half_extent() if px > db.x else -db.half_extent()
            pts += [(px, db.cy), (db.x + side, db.cy)]
        else:
            pts.append((db.x + d_off, db.top_y(d_off)))
        # drop repeated points
        clean = [pts[0]]
        for p in pts[1:]:
            if abs(p[0] - clean[-1][0]) > 1e-6 or abs(p[1] - clean[-1][1]) > 1e-6:
                clean.append(p)
        r.points = clean


def _part_channels(routes: list[Route]) -> None:
    """Where each line leaves the lines of other styles of its channel (Route.shared)."""
    by_channel: dict[str, list[Route]] = {}
    for r in routes:
        by_channel.setdefault(r.channel, []).append(r)
    for mine in by_channel.values():
        for r in mine:
            r.shared = max((polyline_length(shared_prefix(r.points, o.points)) for o in mine
                            if o.style != r.style), default=0.0)


def _same(p: tuple[float, float], q: tuple[float, float]) -> bool:
    return abs(p[0] - q[0]) < 1e-6 and abs(p[1] - q[1]) < 1e-6


def shared_prefix(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The polyline two polylines share from their common start (empty when they start apart)."""
    if not a or not b or not _same(a[0], b[0]):
        return []
    out, cur, i, j = [a[0]], a[0], 1, 1
    while i < len(a) and j < len(b):
        la, lb = _dist(cur, a[i]), _dist(cur, b[j])
        if la < 1e-9:
            i += 1
            continue
        if lb < 1e-9:
            j += 1
            continue
        ua = ((a[i][0] - cur[0]) / la, (a[i][1] - cur[1]) / la)
        ub = ((b[j][0] - cur[0]) / lb, (b[j][1] - cur[1]) / lb)
        if abs(ua[0] - ub[0]) > 1e-6 or abs(ua[1] - ub[1]) > 1e-6:
            break
        if abs(la - lb) < 1e-6:
            cur, i, j = a[i], i + 1, j + 1
        elif la < lb:
            cur, i = a[i], i + 1
        else:
            cur, j = b[j], j + 1
        out.append(cur)
    return out


def _dist(p: tuple[float, float], q: tuple[float, float]) -> float:
    return ((q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2) ** 0.5


def polyline_length(points: list[tuple[float, float]]) -> float:
    return sum(_dist(p, q) for p, q in zip(points, points[1:]))


def split_polyline(points: list[tuple[float, float]], at: float) -> tuple[list, list]:
    """The polyline cut ``at`` px along it: (the part before, the part after), sharing the cut point."""
    done = 0.0
    for k, (p, q) in enumerate(zip(points, points[1:])):
        step = _dist(p, q)
        if done + step >= at - 1e-9:
            t = (at - done) / step if step else 0.0
            cut = (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)
            before, after = points[:k + 1] + [cut], [cut] + points[k + 1:]
            return _dedupe(before), _dedupe(after)
        done += step
    return list(points), [points[-1]]


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = points[:1]
    for p in points[1:]:
        if not _same(p, out[-1]):
            out.append(p)
    return out
