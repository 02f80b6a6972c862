"""Whether a document looks like a Domestic Homicide Review report at all.

The extractor drafts something from any text; a genogram, a letter or a README
gives a draft of nonsense people. Three signs of a review, each a record:
the headings of the usual report structure, a dated chronology and a victim.
``dhr_doubts`` names the signs a document lacks; the CLI refuses to write a
draft that lacks more than ``MAX_MISSING`` of them unless told to (``--force``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from dhrkg.model import CaseFile

from .document import Document

# the sections of the Home Office report structure (and the names reviews commonly give them)
REVIEW_HEADINGS = re.compile(
    r"\b(?:introduction|terms of reference|chronology|summary of (?:key )?events|the facts|background"
    r"|analysis|conclusions?|lessons(?: to be)? learn[et]d?|recommendations?|family involvement"
    r"|individual management reviews?|imrs?|review panel|dhr panel|panel members|methodology"
    r"|parallel (?:proceedings|processes)|contributors|equality and diversity|dissemination"
    r"|key persons|subjects of the review|process of the review)\b",
    re.I,
)
MIN_HEADINGS = 3       # distinct review headings a report has at least
MIN_DATED_EVENTS = 3   # chronology entries dated to the month or day
MAX_MISSING = 1        # signs a review may lack and still be drafted without --force


def review_headings(doc: Document) -> set[str]:
    """The distinct review section names among the document's headings: the part of the report the
    sections pass put a heading in (when it ran), else the name the heading uses."""
    found = set()
    for block in doc.blocks:
        if block.kind == "heading":
            match = REVIEW_HEADINGS.search(block.text)
            titled = ":" not in block.text.rstrip(": ")   # "Chair: X" is a title-page line, not a heading
            if block.part and block.part != "front_matter" and titled and (match or block.section == block.text):
                found.add(block.part)
            elif match:
                found.add(match.group(0).lower().removesuffix("s"))
    return found


def _has_headings(doc: Document, case: CaseFile) -> bool:
    return len(review_headings(doc)) >= MIN_HEADINGS


def _has_chronology(doc: Document, case: CaseFile) -> bool:
    dated = [e for e in case.events if e.type != "review_process" and "-" in str(e.date)]
    return len(dated) >= MIN_DATED_EVENTS


def _has_victim(doc: Document, case: CaseFile) -> bool:
    return any("victim" in p.roles for p in case.persons)


@dataclass(frozen=True)
class Sign:
    name: str
    missing: str
    present: Callable[[Document, CaseFile], bool]


SIGNS = (
    Sign("headings", "no review headings (Introduction, Chronology, ...)", _has_headings),
    Sign("chronology", f"no dated chronology (under {MIN_DATED_EVENTS} dated entries)", _has_chronology),
    Sign("victim", "no victim named", _has_victim),
)


def dhr_doubts(doc: Document, case: CaseFile) -> list[str]:
    """What the document lacks of a DHR report (empty: it looks like one)."""
    return [sign.missing for sign in SIGNS if not sign.present(doc, case)]


def looks_like_a_review(doubts: list[str]) -> bool:
    return len(doubts) <= MAX_MISSING
