"""Outlines around sets of people (households) that contain exactly those people.

A household's members may not sit next to each other (a former partner of one of
them can sit between them), so the outline is not always one box. Members are
joined into one region only by wide bands (where two boxes overlap, or the box
spanning both when nothing is between them), so no part has a neck narrower than
MIN_NECK; the parts that are left are joined by connector lines (L- and Z-shaped,
else found by breadth-first search on a grid) that keep clear of every other person.
The union of rectangles is traced into rectilinear loops whose corners are rounded.
"""

from __future__ import annotations

from collections import deque
from typing import Optional

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1

CORRIDOR = 18.0  # the clear way a connector line between parts of an outline keeps
MIN_NECK = 36.0  # no part of an outline is narrower than this
CORNER = 9.0
GRID = 6.0
LINE_HALF_WIDTH = 3.5  # a connector line's dot radius, rounded up


def _intersects(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _pad(r: Rect, p: float) -> Rect:
    return (r[0] - p, r[1] - p, r[2] + p, r[3] + p)


def _gap(a: Rect, b: Rect) -> float:
    dx = max(b[0] - a[2], a[0] - b[2], 0.0)
    dy = max(b[1] - a[3], a[1] - b[3], 0.0)
    return (dx * dx + dy * dy) ** 0.5


def _clear(rects: list[Rect], obstacles: list[Rect]) -> bool:
    return not any(_intersects(r, o) for r in rects for o in obstacles)


def _bands(a: Rect, b: Rect) -> list[list[Rect]]:
    """Wide joins that keep two boxes one region with no neck under MIN_NECK: a band where
    they overlap, or the box spanning both (clear only when nothing sits between them)."""
    out: list[list[Rect]] = []
    ox0, ox1 = max(a[0], b[0]), min(a[2], b[2])
    if ox1 - ox0 >= MIN_NECK:
        inset = min(CORNER * 1.5, (ox1 - ox0 - MIN_NECK) / 2)
        out.append([(ox0 + inset, min(a[3], b[3]) - 1, ox1 - inset, max(a[1], b[1]) + 1)])
    oy0, oy1 = max(a[1], b[1]), min(a[3], b[3])
    if oy1 - oy0 >= MIN_NECK:
        out.append([(min(a[2], b[2]) - 1, oy0, max(a[0], b[0]) + 1, oy1)])
    out.append([(min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))])
    return out


def _corridors(a: Rect, b: Rect) -> list[list[tuple[float, float]]]:
    """Centre lines of L- and Z-shaped ways from box ``a`` to box ``b`` (for a connector line)."""
    h = CORRIDOR / 2
    acx, acy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    bcx, bcy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    out = [[(acx, acy), (acx, bcy), (bcx, bcy)], [(acx, acy), (bcx, acy), (bcx, bcy)]]
    # Z shapes through the space between the two boxes (between rows), each end as near
    # the other box as it can be
    if a[3] <= b[1] or b[3] <= a[1]:
        upper, lower = (a, b) if a[3] <= b[1] else (b, a)
        ymid = (upper[3] + lower[1]) / 2

        def clamp(v: float, box: Rect) -> float:
            return min(max(v, box[0] + h + CORNER), box[2] - h - CORNER)

        lcx, ucx = (lower[0] + lower[2]) / 2, (upper[0] + upper[2]) / 2
        xa = clamp(lcx, upper)
        xb = clamp(xa, lower)
        xa = clamp(xb, upper)
        for x_up, x_low in ((xa, xb), (ucx, lcx)):
            out.append([(x_up, upper[3]), (x_up, ymid), (x_low, ymid), (x_low, lower[1])])
    return out


def _line_rects(line: list[tuple[float, float]]) -> list[Rect]:
    """The corridor a connector line needs clear: CORRIDOR wide along each segment."""
    h = CORRIDOR / 2
    return [(min(p[0], q[0]) - h, min(p[1], q[1]) - h, max(p[0], q[0]) + h, max(p[1], q[1]) + h)
            for p, q in zip(line, line[1:])]


def line_keep_clear(line: list[tuple[float, float]]) -> list[Rect]:
    """Where a drawn connector line is (its segments, as wide as the dots at its ends): what
    another outline's connector keeps clear of."""
    return [_pad((min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])), LINE_HALF_WIDTH)
            for p, q in zip(line, line[1:])]


def _line_length(line: list[tuple[float, float]]) -> float:
    return sum(abs(q[0] - p[0]) + abs(q[1] - p[1]) for p, q in zip(line, line[1:]))


ACROSS_ONLY = {(0, 1): 4, (0, -1): 4, (1, 0): 2, (-1, 0): 2}  # a move (rows, columns): the bit that forbids it


def _grid_bridge(comp: list[Rect], others: list[Rect], obstacles: list[Rect],
                 crossable: tuple = ()) -> Optional[list[Rect]]:
    """Shortest corridor on a grid from ``comp`` to any rect of ``others`` avoiding obstacles;
    lines in ``crossable`` may be crossed at right angles but not run along."""
    allr = comp + others
    x0 = min(r[0] for r in allr) - 80.0
    y0 = min(r[1] for r in allr) - 80.0
    x1 = max(r[2] for r in allr) + 80.0
    y1 = max(r[3] for r in allr) + 80.0
    nx = int((x1 - x0) // GRID) + 1
    ny = int((y1 - y0) // GRID) + 1
    if nx * ny > 400_000:
        return None
    blocked = bytearray(nx * ny)

    def mark(r: Rect, bit: int, pad: float) -> None:
        ox0, oy0, ox1, oy1 = _pad(r, pad)
        for j in range(max(int((oy0 - y0) // GRID), 0), min(int((oy1 - y0) // GRID) + 1, ny)):
            for i in range(max(int((ox0 - x0) // GRID), 0), min(int((ox1 - x0) // GRID) + 1, nx)):
                blocked[j * nx + i] |= bit

    for o in obstacles:
        mark(o, 1, CORRIDOR / 2 + 1.0)
    for line in crossable:
        for p, q in zip(line, line[1:]):
            level = abs(p[1] - q[1]) < abs(p[0] - q[0])
            mark((min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])), 4 if level else 2, LINE_HALF_WIDTH)

    def cells(r: Rect):
        for j in range(max(int((r[1] - y0) // GRID), 0), min(int((r[3] - y0) // GRID) + 1, ny)):
            for i in range(max(int((r[0] - x0) // GRID), 0), min(int((r[2] - x0) // GRID) + 1, nx)):
                cx, cy = x0 + (i + 0.5) * GRID, y0 + (j + 0.5) * GRID
                if r[0] <= cx <= r[2] and r[1] <= cy <= r[3]:
                    yield j * nx + i

    target = set()
    for r in others:
        target.update(cells(r))
    prev = {}
    queue = deque()
    for r in comp:
        for c in cells(r):
            if c not in prev:
                prev[c] = -1
                queue.append(c)
    hit = None
    while queue:
        c = queue.popleft()
        if c in target:
            hit = c
            break
        j, i = divmod(c, nx)
        for dj, di in ((0, 1), (1, 0), (0, -1), (-1, 0)):
            jj, ii = j + dj, i + di
            if 0 <= jj < ny and 0 <= ii < nx:
                n = jj * nx + ii
                bit = ACROSS_ONLY[(dj, di)]
                if n not in prev and (n in target or not (blocked[n] & (1 | bit) or blocked[c] & bit)):
                    prev[n] = c
                    queue.append(n)
    if hit is None:
        return None
    path = []
    c = hit
    while c != -1:
        path.append(c)
        c = prev[c]
    return _simplify_line([(x0 + (c % nx + 0.5) * GRID, y0 + (c // nx + 0.5) * GRID) for c in path])


def _simplify_line(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for p in pts:
        if out and p == out[-1]:
            continue
        if len(out) >= 2 and ((out[-2][0] == out[-1][0] == p[0]) or (out[-2][1] == out[-1][1] == p[1])):
            out[-1] = p
        else:
            out.append(p)
    return out


def _inside_any(p: tuple[float, float], rects: list[Rect]) -> bool:
    return any(r[0] < p[0] < r[2] and r[1] < p[1] < r[3] for r in rects)


def _clip_ends(line: list[tuple[float, float]], rects: list[Rect]) -> list[tuple[float, float]]:
    """The part of a connector line between where it leaves one part of the outline and where
    it enters the other (so it is drawn only where nothing else is)."""
    dense: list[tuple[float, float]] = []
    for p, q in zip(line, line[1:]):
        n = max(int(abs(q[0] - p[0]) + abs(q[1] - p[1])), 1)
        dense.extend((p[0] + (q[0] - p[0]) * k / n, p[1] + (q[1] - p[1]) * k / n) for k in range(n))
    dense.append(line[-1])
    outside = [k for k, p in enumerate(dense) if not _inside_any(p, rects)]
    if not outside:
        return []
    first, last = outside[0], outside[-1]
    return _simplify_line([(round(x, 1), round(y, 1)) for x, y in dense[first:last + 1]])


def _cost(bridge: list[Rect]) -> float:
    """How much a band adds: the length of each of its pieces."""
    return sum(max(r[2] - r[0], r[3] - r[1]) for r in bridge)


def parts(members: list[Rect], obstacles: list[Rect], lines_drawn: tuple = ()) -> tuple[list[Rect], list[list[tuple[float, float]]]]:
    """An outline around member boxes that touches no obstacle, as (rectangles whose union is
    the outlined region, connector lines). Members are joined into one region only by wide
    bands (no neck under MIN_NECK); parts that cannot be joined so are joined by connector
    lines, shortest first (Kruskal), each along a corridor clear of the obstacles and of the
    connector lines already drawn for other outlines (``lines_drawn``: so two households'
    connectors never run on one another or cross; when no way is clear of them, one that
    crosses them at right angles; else one clear of the obstacles only)."""
    ways_blocked = obstacles + [r for line in lines_drawn for r in line_keep_clear(line)]
    n = len(members)
    owner = list(range(n))

    def merge(ci: int, cj: int) -> None:
        for k, o in enumerate(owner):
            if o == cj:
                owner[k] = ci

    extra: list[Rect] = []
    bands = []
    for i in range(n):
        for j in range(i + 1, n):
            options = [b for b in _bands(members[i], members[j]) if _clear(b, obstacles)]
            if options:
                best = min(options, key=_cost)
                bands.append((_cost(best), _gap(members[i], members[j]), i, j, best))
    for _, _, i, j, band in sorted(bands, key=lambda c: c[:4]):
        if owner[i] != owner[j]:
            extra.extend(band)
            merge(owner[i], owner[j])
    links = []
    for i in range(n):
        for j in range(i + 1, n):
            if owner[i] == owner[j]:
                continue
            options = [ln for ln in _corridors(members[i], members[j]) if _clear(_line_rects(ln), ways_blocked)]
            if options:
                best = min(options, key=_line_length)
                links.append((_line_length(best), i, j, best))
    lines: list[list[tuple[float, float]]] = []
    for _, i, j, line in sorted(links, key=lambda c: c[:3]):
        if owner[i] != owner[j]:
            lines.append(line)
            merge(owner[i], owner[j])
    while len(set(owner)) > 1:
        first = owner[0]
        comp = [members[k] for k, o in enumerate(owner) if o == first]
        others = [members[k] for k, o in enumerate(owner) if o != first]
        line = (_grid_bridge(comp, others, ways_blocked) or _grid_bridge(comp, others, obstacles, lines_drawn)
                or _grid_bridge(comp, others, obstacles))
        if line is None:
            break  # cannot be joined: the outline is drawn in unjoined parts
        end = (line[0][0] - 1, line[0][1] - 1, line[0][0] + 1, line[0][1] + 1)
        joined = next(k for k, o in enumerate(owner) if o != first and _intersects(_pad(members[k], GRID), end))
        lines.append(line)
        merge(first, owner[joined])
    region = list(members) + extra
    return region, [c for c in (_clip_ends(ln, region) for ln in lines) if len(c) >= 2]


def trace(rects: list[Rect]) -> list[list[tuple[float, float]]]:
    """Boundary loops of a union of rectangles (interior on the right when walking, y down)."""
    xs = sorted({v for r in rects for v in (r[0], r[2])})
    ys = sorted({v for r in rects for v in (r[1], r[3])})
    nx, ny = len(xs) - 1, len(ys) - 1
    filled = [[False] * nx for _ in range(ny)]
    for r in rects:
        i0, i1 = xs.index(r[0]), xs.index(r[2])
        j0, j1 = ys.index(r[1]), ys.index(r[3])
        for j in range(j0, j1):
            row = filled[j]
            for i in range(i0, i1):
                row[i] = True

    def f(i: int, j: int) -> bool:
        return 0 <= i < nx and 0 <= j < ny and filled[j][i]

    edges: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def add(a: tuple[int, int], b: tuple[int, int]) -> None:
        edges.setdefault(a, []).append(b)

    for j in range(ny):
        for i in range(nx):
            if not filled[j][i]:
                continue
            if not f(i, j - 1):
                add((i, j), (i + 1, j))
            if not f(i + 1, j):
                add((i + 1, j), (i + 1, j + 1))
            if not f(i, j + 1):
                add((i + 1, j + 1), (i, j + 1))
            if not f(i - 1, j):
                add((i, j + 1), (i, j))
    loops = []
    while edges:
        start = min(edges)
        loop = [start]
        cur = start
        prev_dir = None
        while True:
            outs = edges.get(cur)
            if not outs:
                break
            if len(outs) > 1 and prev_dir is not None:
                # at a pinch point turn right (keeps loops simple)
                def turn(n):
                    d = (n[0] - cur[0], n[1] - cur[1])
                    cross = prev_dir[0] * d[1] - prev_dir[1] * d[0]
                    return -cross
                outs.sort(key=turn)
            nxt = outs.pop(0)
            if not outs:
                del edges[cur]
            prev_dir = (nxt[0] - cur[0], nxt[1] - cur[1])
            cur = nxt
            if cur == start:
                break
            loop.append(cur)
        pts = [(xs[i], ys[j]) for i, j in loop]
        loops.append(_simplify(pts))
    return [lp for lp in loops if len(lp) >= 4]


def _simplify(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    n = len(pts)
    for k in range(n):
        a, b, c = pts[k - 1], pts[k], pts[(k + 1) % n]
        if (a[0] == b[0] == c[0]) or (a[1] == b[1] == c[1]):
            continue
        out.append(b)
    return out


def rounded_path(loops: list[list[tuple[float, float]]], fmt) -> str:
    """SVG path data: each loop with its corners rounded by quadratic curves."""
    parts = []
    for loop in loops:
        n = len(loop)
        segs = []
        for k in range(n):
            prev, v, nxt = loop[k - 1], loop[k], loop[(k + 1) % n]
            lin = ((v[0] - prev[0]) ** 2 + (v[1] - prev[1]) ** 2) ** 0.5
            lout = ((nxt[0] - v[0]) ** 2 + (nxt[1] - v[1]) ** 2) ** 0.5
            r = min(CORNER, lin / 2, lout / 2)
            a = (v[0] - (v[0] - prev[0]) / lin * r, v[1] - (v[1] - prev[1]) / lin * r)
            b = (v[0] + (nxt[0] - v[0]) / lout * r, v[1] + (nxt[1] - v[1]) / lout * r)
            segs.append((a, v, b))
        d = [f"M{fmt(segs[0][0][0])} {fmt(segs[0][0][1])}"]
        for k, (a, v, b) in enumerate(segs):
            if k:
                d.append(f"L{fmt(a[0])} {fmt(a[1])}")
            d.append(f"Q{fmt(v[0])} {fmt(v[1])} {fmt(b[0])} {fmt(b[1])}")
        d.append("Z")
        parts.append(" ".join(d))
    return " ".join(parts)
