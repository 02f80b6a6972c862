"""What the extractors share: the document, its parsed sentences and the records found so far."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .document import Block, Document
from .tables import read_tables
from .vocab import PROCESS_SECTIONS


def slug(text: str, max_len: int = 40) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:max_len].strip("-") or "x"


@dataclass
class Sentence:
    block: Block
    start: int
    end: int
    text: str
    tokens: Any = None   # the spaCy span


@dataclass(eq=False)
class AgencyRec:
    id: str
    name: str
    type: str
    abbreviation: str | None = None
    aliases: list[str] = field(default_factory=list)
    police_force_area: str | None = None
    origin: str = "text"        # glossary, contributors, panel, text, generic
    mentions: int = 0
    last_block: int = -1
    notes: str | None = None
    listed: bool = False            # a generic service the report lists among those involved
    last_seen: int = -99            # the block the event pass last saw it named in
    last_section: str | None = None  # and that block's section

    def names(self) -> list[str]:
        out = [self.name, *self.aliases]
        if self.abbreviation:
            out.append(self.abbreviation)
        return out


@dataclass(eq=False)
class PersonRec:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    sex: str | None = None
    born: str | None = None
    age: int | None = None
    age_months: int | None = None
    died: str | None = None
    unborn: bool | None = None
    ethnicity: str | None = None
    roles: list[str] = field(default_factory=list)
    notes: str | None = None
    sources: list[str] = field(default_factory=list)
    mentions: int = 0
    uncertain: str | None = None

    def add_alias(self, alias: str) -> None:
        alias = alias.strip()
        if alias and alias.lower() not in {a.lower() for a in [self.name, self.id, *self.aliases]}:
            self.aliases.append(alias)

    def add_source(self, ref: str | None) -> None:
        if ref and ref not in self.sources:
            self.sources.append(ref)

    def add_role(self, role: str) -> None:
        if role not in self.roles:
            self.roles.append(role)


@dataclass
class Fact:
    """A relationship stated in the report, between person ids."""

    type: str          # parent, sibling, partner, relative, friend, carer, associate, abuse
    a: str
    b: str
    source: str | None = None
    kind: str | None = None
    status: str | None = None
    label: str | None = None
    kinds: list[str] = field(default_factory=list)


@dataclass
class Context:
    doc: Document
    sentences: list[Sentence] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)
    agencies: list[AgencyRec] = field(default_factory=list)
    persons: list[PersonRec] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    review: dict[str, Any] = field(default_factory=dict)
    force_area: str | None = None
    homicide_date: Any = None
    spacy_docs: dict[int, Any] = field(default_factory=dict)   # block index -> parsed sentence tokens
    _tables: list | None = None

    def tables(self, kind: str) -> list:
        """The document's action-plan or chronology tables (read once, by the table pass)."""
        if self._tables is None:

            self._tables = read_tables(self.doc)
        return [t for t in self._tables if t.kind == kind]

    # -- look-ups ---------------------------------------------------------------
    def agency(self, agency_id: str) -> AgencyRec | None:
        return next((a for a in self.agencies if a.id == agency_id), None)

    def person(self, person_id: str) -> PersonRec | None:
        return next((p for p in self.persons if p.id == person_id), None)

    def new_id(self, base: str, taken: set[str]) -> str:
        base = base or "x"
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    def in_process_section(self, block: Block) -> bool:
        return bool(block.section and PROCESS_SECTIONS.search(block.section))
