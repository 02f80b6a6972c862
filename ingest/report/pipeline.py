"""The extractor as an explicit sequence of named passes.

Each :class:`Pass` declares what it reads and what it sets on the :class:`DraftState`,
and returns how many things it found (its hits, which ``bench/extract.py`` prints).
Any pass can be switched off (``skip``) to measure what it adds: the passes after it
then see what it would have set as empty, and the draft stays a valid case file.

    structure -> sections -> tables -> agencies -> review -> persons -> relationships
              -> households -> events -> recommendations -> settle
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .agencies import drop_bodies_outside_the_case, extract_agencies, settle_generic_services
from .context import Context
from .document import Document
from .events import extract_events
from .households import extract_households
from .persons import extract_persons
from .recommendations import extract_recommendations
from .relationships import extract_relationships
from .review import extract_review
from .rules import counting_hits
from .sections import classify_sections


@dataclass
class DraftState:
    """What the passes read and set: the document (with its parts), the shared context and the drafts."""

    doc: Document
    ctx: Context
    review: dict[str, Any] = field(default_factory=dict)
    relationships: list[dict] = field(default_factory=list)
    households: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)
    rule_hits: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Pass:
    name: str
    reads: tuple[str, ...]
    sets: tuple[str, ...]
    run: Callable[[DraftState], int]
    doc: str = ""


def _sections(st: DraftState) -> int:
    hits = classify_sections(st.doc)
    st.rule_hits.update(hits)
    return sum(hits.values())


def _tables(st: DraftState) -> int:
    tables = st.ctx.tables("action_plan") + st.ctx.tables("chronology")
    for t in tables:
        for item in t.items:
            for rule in item.rules:
                st.rule_hits[rule] = st.rule_hits.get(rule, 0) + 1
    return sum(len(t.items) for t in tables)


def _agencies(st: DraftState) -> int:
    extract_agencies(st.ctx)
    return len(st.ctx.agencies)


def _review(st: DraftState) -> int:
    st.review = extract_review(st.ctx, st.doc.source)
    return len(st.review)


def _persons(st: DraftState) -> int:
    extract_persons(st.ctx)
    return len(st.ctx.persons)


def _relationships(st: DraftState) -> int:
    st.relationships = extract_relationships(st.ctx)
    return len(st.relationships)


def _households(st: DraftState) -> int:
    st.households = extract_households(st.ctx)
    return len(st.households)


def _events(st: DraftState) -> int:
    st.events = extract_events(st.ctx)
    return len(st.events)


def _recommendations(st: DraftState) -> int:
    st.recommendations = extract_recommendations(st.ctx)
    return len(st.recommendations)


def _settle(st: DraftState) -> int:
    """Hits: how many described services it added or dropped."""
    before = {id(a) for a in st.ctx.agencies}
    settle_generic_services(st.ctx, st.events, st.recommendations)
    drop_bodies_outside_the_case(st.ctx, st.events, st.recommendations)
    after = {id(a) for a in st.ctx.agencies}
    return len(before ^ after)


PASSES: tuple[Pass, ...] = (
    Pass("sections", ("blocks",), ("block.part",), _sections, "every heading classified into a part of the report"),
    Pass("tables", ("blocks",), ("tables",), _tables, "action-plan and chronology tables, with their columns"),
    Pass("agencies", ("blocks", "block.part"), ("agencies", "abbreviations"), _agencies,
         "glossary, contributors, panel and the bodies the text names"),
    Pass("review", ("blocks", "agencies"), ("review",), _review, "title page, chair, dates of the review"),
    Pass("persons", ("blocks", "agencies"), ("persons", "facts"), _persons,
         "key tables, labels, pseudonyms, homicide sentences, kin phrases"),
    Pass("relationships", ("persons", "facts"), ("relationships",), _relationships, "kin facts, partners, abuse"),
    Pass("households", ("blocks", "block.part", "persons", "facts"), ("households",), _households,
         "who lived with whom: rules/households.yaml cues between drafted persons"),
    Pass("events", ("blocks", "block.part", "tables", "agencies", "persons"), ("events",), _events,
         "dated sentences of the story and rows of chronology tables"),
    Pass("recommendations", ("blocks", "tables", "agencies"), ("recommendations",), _recommendations,
         "recommendation lists and action-plan tables"),
    Pass("settle", ("agencies", "events", "recommendations"), ("agencies",), _settle,
         "services only described: kept when the story shows them acting; bodies outside the case left out "
         "(rules/agency_scope.yaml)"),
)
PASS_NAMES = tuple(p.name for p in PASSES)


class UnknownPass(ValueError):
    pass


def run_passes(doc: Document, skip: frozenset[str] | set[str] = frozenset()) -> DraftState:
    """Run every pass not in ``skip``, in order."""
    unknown = set(skip) - set(PASS_NAMES)
    if unknown:
        raise UnknownPass(f"unknown pass(es): {', '.join(sorted(unknown))} (passes: {', '.join(PASS_NAMES)})")
    with counting_hits() as counted:
        st = DraftState(doc, Context(doc))
        for p in PASSES:
            if p.name in skip:
                st.hits[p.name] = 0
                continue
            st.hits[p.name] = p.run(st)
    for rule, n in counted.items():
        st.rule_hits[rule] = st.rule_hits.get(rule, 0) + n
    return st
