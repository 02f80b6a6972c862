"""The section pass: every heading classified by its words into a part of the report.

The parts are those of the Home Office template (review process, terms of
reference, contributors, panel, background, chronology, analysis, conclusions,
lessons, recommendations, glossary, appendices ...), from ``rules/sections.yaml``.
A heading that no rule classifies (an agency's name, a person's name, a period)
keeps the part of the heading above it, except a numbered chapter heading ("4. ..."),
which opens a part of its own that no rule names. Works the same for numbered,
unnumbered, all-caps and title-case headings, and for a table whose first row
names the columns of an action plan or a chronology.
"""

from __future__ import annotations

import re

from .document import Block, Document
from .dates import find_dates
from .rules import counting_hits, load_rules

#: parts that tell the story: an undated step there takes the running date
STORY_PARTS = frozenset({"background", "chronology"})
#: parts that comment on the story: they restate its dates
COMMENT_PARTS = frozenset({"analysis", "conclusions", "lessons"})
#: parts about the review itself: what they date are its own steps
PROCESS_PARTS = frozenset({"review_process", "terms_of_reference", "contributors", "panel", "family_involvement"})
#: parts that hold no entries of the chronology
NO_EVENT_PARTS = frozenset({"front_matter", "glossary", "references", "recommendations"})

_NUMBER_HEAD = re.compile(r"^(?:(?:section|chapter|part)\s+)?(?:\d+(?:\.\d+)*\.?|[IVX]{1,5}\.|[A-Z]\.)\s+", re.I)


#: parts inside which a weak rule (a person's or family's heading) may classify a heading
_WEAK_OK = frozenset({"", "front_matter", "introduction"}) | STORY_PARTS


def classify_heading(text: str, current: str = "") -> tuple[str, str] | None:
    """(part, rule id) for a heading inside part ``current``, or None when no rule knows its words;
    the part is ``current`` for a rule that keeps it (a date, a glossary entry, one recommendation)."""
    words = _NUMBER_HEAD.sub("", text.strip()).strip(" :.-")
    if not words or len(words) > 120:
        return None
    for rule in load_rules("sections").active():
        if rule.assigns.get("weak") and current not in _WEAK_OK:
            continue
        if rule.search(words):
            part = rule.assigns["part"]
            return (current if part == "keep" else part), rule.id
    return None


def classify_sections(doc: Document) -> dict[str, int]:
    """Set ``part`` on every block; returns how many headings each rule classified."""
    hits: dict[str, int] = {}
    part = ""
    for b in doc.blocks:
        if b.kind == "heading" or _colon_heading(b):
            found = classify_heading(b.text, part)
            if found:
                part = found[0]
                hits[found[1]] = hits.get(found[1], 0) + 1
            elif b.kind == "heading" and b.number and "." not in b.number.rstrip("."):
                part = ""   # a chapter ("4. Domestic abuse in rural areas") no rule knows: not the part before
        elif part == "glossary" and b.number and is_body_text(b):
            part = ""   # a glossary holds entries: a numbered paragraph of prose after it is the report going on
        b.part = part
    _story_told_as_contributors(doc)
    return hits


def _story_told_as_contributors(doc: Document) -> None:
    """A contributors part ("Involvement of agencies") whose paragraphs are mostly dated to the month or
    day tells the story of the agencies' contacts, not who contributed: it is read as chronology."""
    runs: list[list[Block]] = []
    for b in doc.blocks:
        if b.part == "contributors":
            if runs and runs[-1][-1].index == b.index - 1:
                runs[-1].append(b)
            else:
                runs.append([b])
    for run in runs:
        paragraphs = [b for b in run if b.kind == "paragraph" and is_body_text(b)]
        with counting_hits():   # a look, not a finding: the date rules' hits are counted where events are read
            dated = [b for b in paragraphs if any(m.date.month for m in find_dates(b.text, update=False))]
        if len(paragraphs) >= 3 and 3 * len(dated) >= 2 * len(paragraphs):
            for b in run:
                b.part = "chronology"


def _colon_heading(b: Block) -> bool:
    """A short line ending with a colon that stands as a heading ("Summary of events:")."""
    return b.kind == "paragraph" and b.text.endswith(":") and len(b.text.split()) <= 6 and b.text[:1].isupper()


#: a paragraph this long is body text, not a line of the title page
_BODY_LENGTH = 150


def is_body_text(b: Block) -> bool:
    """A paragraph of body text (a sentence of six words or more with its full stop, or a long paragraph), not
    a line of the title page ("Malcolm Smith M.Sc.", "of the death of a woman aged 21")."""
    text = b.text.rstrip()
    return b.kind == "paragraph" and (len(text) >= _BODY_LENGTH or (text.endswith(".") and len(text.split()) >= 6))


_REFERENCE_SECTION = re.compile(r"glossary|abbreviation|bibliograph|references", re.I)


def in_reference_list(b: Block) -> bool:
    """Whether a block is an entry of a glossary, abbreviations list, bibliography or references (not a
    numbered paragraph of prose that goes on after one with no heading between)."""
    if b.part:
        return b.part in ("glossary", "references")
    return bool(b.section and _REFERENCE_SECTION.search(b.section)) and not (b.number and is_body_text(b))
