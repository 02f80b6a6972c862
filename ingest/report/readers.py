"""Readers: plain text, PDF (text layer) and DOCX into :class:`RawBlock` s, then one Document.

Each reader gives the blocks in reading order; :func:`document.build_document`
does everything that does not depend on the format (numbering, footnotes,
continuations, headings), so the same report in three formats gives the same
document.

- Text: one block per non-empty line; a line with tabs is a table row.
- PDF: text runs with their positions (pypdf); runs on one baseline make a line;
  a table drawn with ruled cells is read by its rules (each cell, empty or written over
  several lines, keeps its column); elsewhere a wide horizontal gap between runs is a
  cell boundary (a table row), and a
  vertical gap wider than the line spacing ends a block; lines of one block are
  joined with spaces. A page's running header/footer lines (the same text on
  most pages, or a bare page number) are dropped.
- DOCX: one block per paragraph (heading styles noted), one per table row with
  its cells, the footnotes part read as footnotes.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Iterable

from .document import Document, RawBlock, build_document


class UnreadableReport(Exception):
    """The report cannot be read (missing, unknown format, damaged, no text layer)."""


def read_document(path: str | Path) -> Document:
    """Read a report (``.txt``/``.md``, ``.pdf`` or ``.docx``) into the document model."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableReport(f"{path}: no such file")
    head = path.open("rb").read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF") or suffix == ".pdf":
        raw = read_pdf_blocks(path)
    elif head.startswith(b"PK") or suffix == ".docx":
        raw = read_docx_blocks(path)
    elif suffix in (".doc", ".odt", ".rtf"):
        raise UnreadableReport(f"{path}: {suffix} is not supported (save it as .docx, .pdf or .txt)")
    else:
        raw = read_text_blocks(path)
    doc = build_document([_without_controls(b) for b in raw], source=path.name)
    if not doc.blocks:
        raise UnreadableReport(f"{path}: no text found (a scanned PDF needs OCR first)")
    return doc


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and line feed


def _without_controls(block: RawBlock) -> RawBlock:
    """A block with each control character (a PDF's form feed, Word's vertical tab, a NUL) made a
    space, so no draft carries one into a case file (where it is an error)."""
    if not _CONTROLS.search(block.text) and not any(_CONTROLS.search(c) for c in block.cells or []):
        return block
    cells = [_CONTROLS.sub(" ", c) for c in block.cells] if block.cells is not None else None
    return RawBlock(text=_CONTROLS.sub(" ", block.text), cells=cells, heading=block.heading, footnote=block.footnote)


# -- text ---------------------------------------------------------------------------

def text_blocks(text: str) -> list[RawBlock]:
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        if "\t" in line.strip("\t ") or (line.count("\t") and line.rstrip().count("\t")):
            cells = line.split("\t")
            if len([c for c in cells if c.strip()]) >= 2:
                out.append(RawBlock(text=line, cells=cells))
                continue
        out.append(RawBlock(text=line.replace("\t", " ")))
    return out


def read_text_blocks(path: Path) -> list[RawBlock]:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return text_blocks(data.decode(enc))
        except UnicodeDecodeError:
            continue
    raise UnreadableReport(f"{path}: not a text file")  # pragma: no cover - latin-1 decodes anything


# -- DOCX ---------------------------------------------------------------------------

def check_docx_archive(path: Path) -> None:
    """Refuse a .docx whose parts would unpack too large, or too far beyond their packed size."""
    from dhrkg.ingest.ziplimits import zip_problem

    problem = zip_problem(path, "DOCX")
    if problem:
        raise UnreadableReport(problem)


def read_docx_blocks(path: Path) -> list[RawBlock]:
    try:
        import docx  # python-docx
        from docx.oxml.ns import qn
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise UnreadableReport(f"{path}: reading DOCX needs python-docx ({exc})") from exc
    check_docx_archive(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise UnreadableReport(f"{path}: not a readable DOCX file ({exc})") from exc

    out: list[RawBlock] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            para = Paragraph(child, document)
            text = para.text
            if not text.strip():
                continue
            style = (para.style.name if para.style is not None else "") or ""
            heading = style.lower().startswith(("heading", "title"))
            out.append(RawBlock(text=text, heading=heading))
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            for row in table.rows:
                cells: list[str] = []
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(p.text for p in cell.paragraphs if p.text.strip()))
                out.append(RawBlock(text="\t".join(cells), cells=cells))
    out.extend(_docx_footnotes(document))
    return out


def _docx_footnotes(document) -> Iterable[RawBlock]:
    from docx.oxml.ns import qn

    part = None
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            part = rel.target_part
            break
    if part is None:
        return []
    from lxml import etree

    root = etree.fromstring(part.blob)
    out = []
    for fn in root.iter(qn("w:footnote")):
        fid = fn.get(qn("w:id"))
        if fid is None or int(fid) <= 0:
            continue  # separators
        text = "".join(t.text or "" for t in fn.iter(qn("w:t"))).strip()
        if text:
            out.append(RawBlock(text=text, footnote=fid))
    return out


# -- PDF ----------------------------------------------------------------------------

def read_pdf_blocks(path: Path) -> list[RawBlock]:
    try:
        from pypdf import PdfReader
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise UnreadableReport(f"{path}: reading PDF needs pypdf ({exc})") from exc
    try:
        reader = PdfReader(str(path))
        read = [_page_content(page) for page in reader.pages]
    except Exception as exc:
        raise UnreadableReport(f"{path}: not a readable PDF file ({exc})") from exc
    pages = _drop_running_lines([lines for lines, _ in read])
    out: list[RawBlock] = []
    carry_full = False
    for lines, (_, rows) in zip(pages, read):
        blocks = _with_ruled_rows(lines, rows)
        if not blocks:
            continue
        if carry_full and out and out[-1].cells is None and blocks[0].cells is None:
            # the last line of the previous page ran to the margin: the paragraph goes on here
            out[-1] = RawBlock(text=f"{out[-1].text} {blocks[0].text}")
            blocks = blocks[1:]
        out.extend(blocks)
        rights = sorted(max(r[1] for r in ln.runs) for ln in lines if len(ln.cells()) == 1)
        last = lines[-1] if lines else None
        if rights and last is not None and len(last.cells()) == 1:
            right = rights[int(0.9 * (len(rights) - 1))]
            left = min(ln.x0 for ln in lines)
            carry_full = max(r[1] for r in last.runs) >= right - 0.12 * (right - left)
        else:
            carry_full = False
    return out


class _Line:
    __slots__ = ("y", "size", "runs", "x0")

    def __init__(self, y: float, size: float):
        self.y, self.size, self.runs, self.x0 = y, size, [], 0.0

    def cells(self) -> list[str]:
        """The line's text split where runs are far apart."""
        runs = sorted(self.runs, key=lambda r: r[0])
        cells, current, last_end = [], "", None
        for x, end, text in runs:
            if last_end is not None and x - last_end > max(3 * self.size, 18):
                cells.append(current)
                current = ""
            elif last_end is not None and current and not current.endswith(" ") and not text.startswith(" ") \
                    and x - last_end > 0.15 * self.size:
                current += " "
            current += text
            last_end = end
        cells.append(current)
        return [re.sub(r"\s+", " ", c).strip() for c in cells]

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells() if c)


def _page_content(page) -> tuple[list[_Line], list["_RuledRow"]]:
    """The page's lines of text outside drawn tables, and the rows of its drawn tables (top to bottom)."""
    runs: list[tuple[float, float, float, float, str]] = []
    edges = _Edges()

    def visit(text, cm, tm, font_dict, font_size):
        if not text or not text.strip() and text != " ":
            return
        # position = text matrix in user space
        a, b, c, d, e, f = tm
        ca, cb, cc, cd, ce, cf = cm
        x = e * ca + f * cc + ce
        y = e * cb + f * cd + cf
        scale = abs(d * cd) or abs(a * ca) or 1.0
        size = (font_size or 10) * scale
        width = _text_width(text, font_dict, font_size) * (abs(a * ca) or 1.0)
        runs.append((y, x, x + width, size, text))

    page.extract_text(visitor_text=visit, visitor_operand_before=edges.visit)
    rows = _ruled_rows(edges, runs)
    taken = {id(run) for row in rows for run in row.runs}
    return _lines_of([r for r in runs if id(r) not in taken]), rows


def _lines_of(runs: list[tuple[float, float, float, float, str]]) -> list[_Line]:
    """Runs on one baseline make a line, top to bottom."""
    lines: list[_Line] = []
    for y, x, end, size, text in sorted(runs, key=lambda r: (-round(r[0], 1), r[1])):
        if lines and abs(lines[-1].y - y) <= 0.35 * max(size, lines[-1].size):
            line = lines[-1]
        else:
            line = _Line(y, size)
            lines.append(line)
        line.runs.append((x, end, text))
        line.size = max(line.size, size)
    for line in lines:
        line.x0 = min(r[0] for r in line.runs)
    return [ln for ln in lines if ln.text]


# -- drawn tables ----------------------------------------------------------------------
# A table whose cells are drawn (rectangles or ruling lines) is read by its drawing: each band
# between two horizontal rules that vertical rules cross is a row, each interval between those
# vertical rules a cell (empty when no text falls in it), and the text of a cell is all the
# lines inside it. So empty cells keep their columns and a cell written over several lines
# stays one cell, as in DOCX and text tables.

_TOL = 1.5        # points: rules this close are one rule


class _Edges:
    """Horizontal and vertical segments a page draws (rectangle sides and straight lines)."""

    def __init__(self):
        self.horizontal: list[tuple[float, float, float]] = []   # (y, x0, x1)
        self.vertical: list[tuple[float, float, float]] = []     # (x, y0, y1)
        self._at: tuple[float, float] | None = None

    def visit(self, op, args, cm, tm) -> None:
        try:
            if op == b"re" and len(args) == 4:
                x, y, w, h = (float(a) for a in args)
                self._rect(_apply(cm, x, y), _apply(cm, x + w, y + h))
            elif op == b"m" and len(args) == 2:
                self._at = _apply(cm, float(args[0]), float(args[1]))
            elif op == b"l" and len(args) == 2 and self._at is not None:
                to = _apply(cm, float(args[0]), float(args[1]))
                self._segment(self._at, to)
                self._at = to
        except (TypeError, ValueError):
            return

    def _rect(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        (x0, x1), (y0, y1) = sorted((a[0], b[0])), sorted((a[1], b[1]))
        if x1 - x0 < 2 * _TOL and y1 - y0 < 2 * _TOL:
            return
        if y1 - y0 < 2 * _TOL:          # a thin filled rectangle: a horizontal rule
            self.horizontal.append(((y0 + y1) / 2, x0, x1))
        elif x1 - x0 < 2 * _TOL:        # a vertical rule
            self.vertical.append(((x0 + x1) / 2, y0, y1))
        else:
            self.horizontal += [(y0, x0, x1), (y1, x0, x1)]
            self.vertical += [(x0, y0, y1), (x1, y0, y1)]

    def _segment(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        if abs(a[1] - b[1]) < _TOL:
            self.horizontal.append((a[1], *sorted((a[0], b[0]))))
        elif abs(a[0] - b[0]) < _TOL:
            self.vertical.append((a[0], *sorted((a[1], b[1]))))


def _apply(cm, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = (float(v) for v in cm)
    return a * x + c * y + e, b * x + d * y + f


class _RuledRow:
    """One row of a drawn table: its top, its cells' texts and the runs they were read from."""

    def __init__(self, top: float, cells: list[str], runs: list):
        self.top, self.cells, self.runs = top, cells, runs


def _merge(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def _ruled_rows(edges: _Edges, runs: list) -> list[_RuledRow]:
    """The rows of the page's drawn tables: bands between horizontal rules with two or more cells."""
    if not edges.vertical or len(edges.horizontal) < 2:
        return []
    rows = []
    ys = _merge([y for y, _, _ in edges.horizontal])
    for bottom, top in zip(ys, ys[1:]):
        xs = _merge([x for x, y0, y1 in edges.vertical if y0 <= bottom + _TOL and y1 >= top - _TOL])
        xs = [x for x in xs if _ruled_across(edges, x, bottom, top)]
        if len(xs) < 3:
            continue
        inside = [r for r in runs if bottom < r[0] < top and xs[0] - _TOL <= r[1] < xs[-1]]
        cells = []
        for left, right in zip(xs, xs[1:]):
            mine = [r for r in inside if left - _TOL <= r[1] < right]
            cells.append(" ".join(ln.text for ln in _lines_of(mine)))
        if any(cells):
            rows.append(_RuledRow(top, cells, inside))
    return sorted(rows, key=lambda r: -r.top)


def _ruled_across(edges: _Edges, x: float, bottom: float, top: float) -> bool:
    """Whether horizontal rules at the band's top and bottom reach the vertical rule at x."""
    def reaches(y: float) -> bool:
        return any(abs(hy - y) <= _TOL and x0 - _TOL <= x <= x1 + _TOL for hy, x0, x1 in edges.horizontal)
    return reaches(bottom) and reaches(top)


def _with_ruled_rows(lines: list[_Line], rows: list[_RuledRow]) -> list[RawBlock]:
    """The page's blocks: its text lines as paragraphs and rows, with the drawn tables' rows in their places."""
    out: list[RawBlock] = []
    for row in rows:
        above = [ln for ln in lines if ln.y > row.top]
        out += _lines_to_blocks(above)
        lines = [ln for ln in lines if ln.y <= row.top]
        out.append(RawBlock(text="\t".join(row.cells), cells=row.cells))
    return out + _lines_to_blocks(lines)


def _text_width(text: str, font_dict, font_size: float) -> float:
    """An estimate of a run's width in text space (glyph widths when the font gives them)."""
    size = font_size or 10
    try:
        widths = font_dict.get("/Widths") if font_dict is not None else None
        first = int(font_dict.get("/FirstChar", 0)) if font_dict is not None else 0
        if widths:
            total = 0.0
            widths = [float(w) for w in widths]
            for ch in text:
                i = ord(ch) - first
                total += widths[i] if 0 <= i < len(widths) else 500.0
            return total / 1000.0 * size
    except Exception:
        pass
    return 0.5 * size * len(text)


_PAGE_NUMBER = re.compile(r"^(page\s+)?\d{1,4}(\s+of\s+\d{1,4})?$", re.I)


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop page numbers and lines repeated at the top or bottom of most pages."""
    if len(pages) < 3:
        return [[ln for ln in p if not _PAGE_NUMBER.match(ln.text)] for p in pages]
    edge = Counter()
    for lines in pages:
        for ln in lines[:2] + lines[-2:]:
            edge[re.sub(r"\d+", "#", ln.text)] += 1
    running = {t for t, n in edge.items() if n >= 0.6 * len(pages) and len(t) < 120}
    out = []
    for lines in pages:
        keep = []
        for k, ln in enumerate(lines):
            at_edge = k < 2 or k >= len(lines) - 2
            if at_edge and (_PAGE_NUMBER.match(ln.text) or re.sub(r"\d+", "#", ln.text) in running):
                continue
            keep.append(ln)
        out.append(keep)
    return out


def _lines_to_blocks(lines: list[_Line]) -> list[RawBlock]:
    if not lines:
        return []
    gaps = [a.y - b.y for a, b in zip(lines, lines[1:]) if a.y > b.y]
    normal = statistics.median(gaps) if gaps else 12.0
    blocks: list[RawBlock] = []
    current: list[_Line] = []

    def flush() -> None:
        if not current:
            return
        cells_first = current[0].cells()
        if len(current) == 1 and len([c for c in cells_first if c]) >= 2:
            blocks.append(RawBlock(text="\t".join(cells_first), cells=cells_first))
        else:
            blocks.append(RawBlock(text=" ".join(ln.text for ln in current)))
        current.clear()

    for k, line in enumerate(lines):
        if current:
            prev = current[-1]
            gap = prev.y - line.y
            is_row = len([c for c in line.cells() if c]) >= 2 or len([c for c in prev.cells() if c]) >= 2
            if gap > 1.3 * min(normal, 1.6 * max(prev.size, line.size)) or gap < 0 or is_row:
                flush()
        current.append(line)
    flush()
    return blocks
