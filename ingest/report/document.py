"""The document model every reader produces: blocks with their paragraph numbering.

A reader (text, PDF, DOCX) yields :class:`RawBlock` s: one per paragraph or
line of the source, table rows with their cells, footnotes when the format
marks them. :func:`build_document` turns them into a :class:`Document`:

- text cleaned (HTML tags and Markdown emphasis left by converters removed,
  typographic quotes and dashes made plain, white space squeezed);
- footnotes (blocks opening with a superscript number) kept apart from the body,
  and footnote markers taken out of the body text;
- bullets and numbering read off the start of each block (``1.2.3``, ``93.``,
  ``- 2.17``, ``a)``); a number is taken as the report's paragraph number only
  when it fits the report's numbering scheme and sequence, otherwise it is a
  list item inside the current paragraph;
- a block that merely continues the previous one across a page break is joined to it;
- headings recognised, and each block given ``ref``: the paragraph number that
  governs it (its own, or the last one before it), prefixed by the appendix
  it is in (``Appendix A 2.1``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Iterable, Literal

BlockKind = Literal["paragraph", "heading", "list_item", "table_row"]

SUPERSCRIPT_DIGITS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
_SUP_TO_DIGIT = {ord(c): str(i) for i, c in enumerate(SUPERSCRIPT_DIGITS)}


@dataclass
class RawBlock:
    """What a reader found: one paragraph/line, or one table row (``cells``)."""

    text: str
    cells: list[str] | None = None
    heading: bool = False          # the format says so (a DOCX heading style)
    footnote: str | None = None    # the format says this is footnote N


@dataclass
class Block:
    """One paragraph, heading, list item or table row of the report body."""

    index: int
    kind: BlockKind
    text: str
    ref: str | None = None          # the paragraph ref that governs this block
    number: str | None = None       # the numbering written on the block, if any
    bullet: bool = False
    cells: list[str] | None = None
    section: str = ""               # the title of the heading above it
    chapter: str = ""               # the title of the top-level heading above it
    part: str = ""                  # the part of the report it is in (sections.classify_sections)

    def __str__(self) -> str:
        return f"[{self.ref or '-'}] {self.text}"


@dataclass
class Document:
    source: str
    blocks: list[Block]
    footnotes: dict[str, str] = field(default_factory=dict)
    scheme: Literal["dotted", "flat"] = "dotted"

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    def paragraphs(self) -> Iterable[Block]:
        return (b for b in self.blocks if b.kind != "table_row")


# -- cleaning ---------------------------------------------------------------------

_TAG = re.compile(r"</?(?:p|i|b|u|em|strong|ul|ol|li|br|span|div|sup|sub|td|tr|th|table)\b[^>]*>", re.I)
_BOLD = re.compile(r"\*\*+")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_STRAY_STAR = re.compile(r"(?:(?<=\s)|^)\*+(?=\s|$)|(?<=[.\"'”’)])\*+")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200b\u202f\u3000]+")
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u2026": "...", "\ufeff": "", "\u00ad": "",
})


def clean_text(text: str) -> str:
    """Plain text of one cell or paragraph (no tags, no emphasis marks, plain quotes, one space)."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "*" in text:
        text = _BOLD.sub("", text)
        text = _ITALIC.sub(r"\1", text)
        text = _STRAY_STAR.sub("", text)
    text = text.translate(_TRANSLATE)
    return _SPACES.sub(" ", text).strip()


_FOOTNOTE_MARK = re.compile(rf"(?<=[\w.,;:)'\"\]])[{SUPERSCRIPT_DIGITS}]+")
_FOOTNOTE_START = re.compile(rf"^\s*([{SUPERSCRIPT_DIGITS}]+)\s*(.*)$", re.S)


def strip_footnote_marks(text: str) -> str:
    return _FOOTNOTE_MARK.sub("", text)


# -- numbering ----------------------------------------------------------------------

_BULLET = re.compile(r"^(?:[-\u2022\u25cf\u25aa\u25a0\u25e6\u2023\u2043\u00b7o\uf0b7\uf0a7>]|\*)\s+")
_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(\.?)(?=\s|$)\s*")
_LETTER = re.compile(r"^(?:\(([a-z]|[ivx]{1,4}|\d{1,2})\)|([a-z]|[ivx]{1,4})\))\s+", re.I)
_APPENDIX = re.compile(r"^(appendix|annex)\s+([A-Z0-9]{1,3})\b", re.I)


def _is_heading_text(text: str) -> bool:
    """Short, not a sentence: a title line."""
    t = text.strip()
    if not t or len(t) > 110:
        return False
    words = t.split()
    if len(words) > 14:
        return False
    letters = [c for c in t if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(letters) > 3:
        return True
    if t[0].islower():
        return False
    if t.endswith((".", ";", ",", ":")) and not t.endswith("..."):
        return False
    if t.endswith(("?", "!", '"', "'")):
        return False
    return True


def _all_caps(text: str) -> bool:
    if text.isascii():  # an upper-case ASCII character is a letter: count without a list
        letters = sum(map(str.isalpha, text))
        return letters > 3 and sum(map(str.isupper, text)) / letters > 0.8
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _successor_dotted(p: tuple[int, ...] | None, c: tuple[int, ...]) -> bool:
    if p is None:
        return c[0] <= 2 and all(x <= 2 for x in c[1:])
    if c == p:
        return True
    for i in range(min(len(p), len(c))):
        if c[i] != p[i]:
            return 0 < c[i] - p[i] <= 3 and all(x <= 2 for x in c[i + 1:])
    if len(c) > len(p):
        return all(x <= 2 for x in c[len(p):])
    return False


def _successor_flat(p: int | None, c: int) -> bool:
    if p is None:
        return c <= 3
    return p <= c <= p + 3


@dataclass
class _Candidate:
    index: int       # index into the working list
    number: tuple[int, ...]
    heading_like: bool


# -- building -----------------------------------------------------------------------

@dataclass
class _Work:
    text: str
    bullet: bool = False
    number: str | None = None
    letter: str | None = None
    cells: list[str] | None = None
    heading_hint: bool = False
    accepted: bool = False
    appendix: str | None = None


def _split_marks(text: str) -> _Work:
    w = _Work(text=text)
    t = text
    m = _BULLET.match(t)
    if m and not re.match(r"^-\d", t):
        w.bullet = True
        t = t[m.end():]
    m = _NUMBER.match(t)
    rest = t[m.end():] if m else ""
    if m and (m.group(2) or "." in m.group(1)) and rest and not rest[0].isdigit():
        # "93. text", "2.17 text", "1.5.2. text"; not "2013 was" or "12 months"
        w.number = m.group(1)
        t = rest
    else:
        m = _LETTER.match(t)
        if m:
            w.letter = m.group(1) or m.group(2)
            t = t[m.end():]
    w.text = t.strip()
    return w


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ":", '"', "'", ")", ";")) and not text.rstrip().endswith("...")


def build_document(raw: Iterable[RawBlock], source: str = "") -> Document:
    """The document model from a reader's blocks (see the module docstring)."""
    footnotes: dict[str, str] = {}
    work: list[_Work] = []
    last_footnote: str | None = None
    for rb in raw:
        if rb.footnote is not None:
            footnotes[rb.footnote] = clean_text(rb.text)
            last_footnote = rb.footnote
            continue
        if rb.cells is not None:
            cells = [clean_text(strip_footnote_marks(c)) for c in rb.cells]
            while cells and not cells[-1]:
                cells.pop()
            if not any(cells):
                continue
            if len([c for c in cells if c]) <= 1:
                # a one-cell "row" is just a paragraph
                text = next(c for c in cells if c)
                work.append(_split_marks(text))
                work[-1].heading_hint = rb.heading
                continue
            work.append(_Work(text="\t".join(cells), cells=cells))
            last_footnote = None
            continue
        raw_text = rb.text
        m = _FOOTNOTE_START.match(raw_text)
        if m and m.group(2).strip():
            key = m.group(1).translate(_SUP_TO_DIGIT)
            footnotes[key] = clean_text(m.group(2))
            last_footnote = key
            continue
        text = clean_text(strip_footnote_marks(raw_text))
        if not text:
            continue
        if "\t" in raw_text:
            cells = [clean_text(strip_footnote_marks(c)) for c in raw_text.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            if len([c for c in cells if c]) >= 2:
                work.append(_Work(text="\t".join(cells), cells=cells))
                last_footnote = None
                continue
            text = clean_text(" ".join(c for c in cells if c))
        w = _split_marks(text)
        w.heading_hint = rb.heading
        # a footnote running on past a page break: lower-case text right after a footnote
        if last_footnote is not None and not w.number and not w.bullet and text[:1].islower() \
                and not _ends_sentence(footnotes[last_footnote]):
            footnotes[last_footnote] += " " + text
            continue
        last_footnote = None
        if not w.text:
            continue
        work.append(w)

    _join_continuations(work)
    scheme = _scheme(work)
    _accept_numbers(work, scheme)
    blocks = _blocks(work, scheme)
    return Document(source=source, blocks=blocks, footnotes=footnotes, scheme=scheme)


def _join_continuations(work: list[_Work]) -> None:
    """Glue a paragraph broken by a page break back together."""
    i = 1
    while i < len(work):
        w, prev = work[i], work[i - 1]
        if (
            w.cells is None and prev.cells is None and not w.number and not w.bullet and not w.letter
            and w.text[:1].islower() and not _ends_sentence(prev.text)
            and not (prev.number is None and not prev.bullet and _is_heading_text(prev.text) and len(prev.text) < 40)
        ):
            prev.text = f"{prev.text} {w.text}"
            del work[i]
            continue
        i += 1


def _scheme(work: list[_Work]) -> Literal["dotted", "flat"]:
    dotted = sum(1 for w in work if w.number and "." in w.number)
    flat = sum(1 for w in work if w.number and "." not in w.number)
    return "dotted" if dotted >= flat else "flat"


def _accept_numbers(work: list[_Work], scheme: str) -> None:
    """Mark which written numbers are the report's paragraph numbers."""
    appendix: str | None = None
    cands: list[_Candidate] = []
    segments: list[tuple[str | None, list[_Candidate]]] = [(None, cands)]
    for i, w in enumerate(work):
        if w.cells is None and not w.number:
            m = _APPENDIX.match(w.text)
            if m and _is_heading_text(w.text):
                appendix = f"{m.group(1).capitalize()} {m.group(2).upper()}"
                cands = []
                segments.append((appendix, cands))
        w.appendix = appendix
        if w.cells is not None or not w.number:
            continue
        num = tuple(int(x) for x in w.number.split("."))
        heading_like = _is_heading_text(w.text) or _all_caps(w.text)
        if scheme == "flat" and len(num) > 1:
            continue
        if scheme == "flat" and _all_caps(w.text):
            continue
        if scheme == "dotted" and len(num) == 1 and not heading_like:
            continue
        cands.append(_Candidate(i, num, heading_like))

    for _, cs in segments:
        prev: tuple[int, ...] | None = None
        for k, c in enumerate(cs):
            if scheme == "dotted":
                ok = _successor_dotted(prev, c.number)
                if not ok and len(c.number) >= 2 and (prev is None or c.number > prev):
                    chain = cs[k:k + 3]
                    ok = len(chain) == 3 and all(
                        _successor_dotted(a.number, b.number) and b.number != a.number
                        for a, b in zip(chain, chain[1:])
                    )
            else:
                ok = _successor_flat(prev[0] if prev else None, c.number[0])
                if not ok and (prev is None or c.number[0] > prev[0]):
                    chain = cs[k:k + 3]
                    ok = len(chain) == 3 and all(b.number[0] == a.number[0] + 1 for a, b in zip(chain, chain[1:]))
            if ok:
                work[c.index].accepted = True
                prev = c.number


def _blocks(work: list[_Work], scheme: str) -> list[Block]:
    blocks = _blocks_only(work, scheme)
    chapter = ""
    for b in blocks:
        if b.kind == "heading" and ((b.number and "." not in b.number) or (not b.number and _all_caps(b.text))):
            chapter = b.text
        b.chapter = chapter
    return blocks


def _blocks_only(work: list[_Work], scheme: str) -> list[Block]:
    blocks: list[Block] = []
    ref: str | None = None
    section = ""
    appendix: str | None = None
    for w in work:
        if w.appendix != appendix:
            appendix = w.appendix
            ref = None
        if w.cells is not None:
            blocks.append(Block(len(blocks), "table_row", w.text, ref, None, False, w.cells, section))
            continue
        if w.accepted:
            ref = f"{appendix} {w.number}" if appendix else w.number
            heading = _is_heading_text(w.text) and (len(w.text) < 90 or _all_caps(w.text))
            kind: BlockKind = "heading" if heading else "paragraph"
            if heading:
                section = w.text
            blocks.append(Block(len(blocks), kind, w.text, ref, w.number, w.bullet, None, section))
            continue
        if w.number or w.letter:
            number = w.number or w.letter
            if not w.bullet and w.number and (_all_caps(w.text) or (
                    _is_heading_text(w.text) and len(w.text) < 70 and "." in w.number and scheme == "flat")):
                section = w.text
                blocks.append(Block(len(blocks), "heading", w.text, ref, number, False, None, section))
            else:
                blocks.append(Block(len(blocks), "list_item", w.text, ref, number, w.bullet, None, section))
            continue
        if w.bullet:
            blocks.append(Block(len(blocks), "list_item", w.text, ref, None, True, None, section))
            continue
        if w.heading_hint or (_is_heading_text(w.text) and len(w.text) < 90):
            section = w.text
            blocks.append(Block(len(blocks), "heading", w.text, ref, None, False, None, section))
            continue
        blocks.append(Block(len(blocks), "paragraph", w.text, ref, None, False, None, section))
    return blocks
