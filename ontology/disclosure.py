"""The disclosure-control policy of the pseudonymised research export.

Scrubbing by construction: :class:`ResearchView` builds, for one review, the
values the research export may hold, each from an allow-list, a vocabulary or
a computation, never copied from free text:

- dates: every date of the review shifted by one keyed offset (:class:`DateShift`),
  then generalised (to the month unless asked otherwise); births never given
  (the person's age band instead); deaths of persons other than the victims
  only to the (shifted) year;
- agency names: a vetted public body (police force, council, national body),
  else a generic "<kind> in <force area>";
- relation labels, ethnicity, risk tools, areas: only words of a vocabulary;
- source paragraphs: only paragraph numbers;
- free text (names, notes, summaries, titles, recommendation texts): never.

Every comparison (names, vocabularies) is made on :func:`match_form`: NFKC,
case-folded, accents removed and look-alike letters of other scripts
(Cyrillic U+0430 for ``a``, Greek U+03BF for ``o``, ...) replaced by the Latin
letter they imitate.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from dhrkg.model.dates import PartialDate
from dhrkg.model.kin import kin_modifiers, kin_words
from dhrkg.model.model import Agency, Event, Person, Review

from .pseudonymise import ExportKey, NameScrubber, match_form

# ----- dates -----------------------------------------------------------------------

SHIFT_MIN_DAYS = 183
SHIFT_MAX_DAYS = 730


@dataclass(frozen=True)
class DateShift:
    """One review's date offset: a whole number of days, 183 to 730 either way, drawn from a
    keyed hash of the review id (the same key gives the same offset; without it the offset
    cannot be told). ``days == 0`` keeps the calendar (exact dates)."""

    days: int

    @classmethod
    def for_review(cls, key: ExportKey, review_id: str) -> "DateShift":
        h = int(key.token("date-shift", review_id), 16)
        span = SHIFT_MAX_DAYS - SHIFT_MIN_DAYS + 1
        magnitude = SHIFT_MIN_DAYS + h % span
        return cls(magnitude if (h // span) % 2 else -magnitude)

    def __call__(self, d: PartialDate) -> PartialDate:
        """``d`` moved by the offset, at its own precision (a month or a year by its middle day)."""
        if self.days == 0:
            return d
        mid = d.earliest + (d.latest - d.earliest) // 2
        moved = mid + dt.timedelta(days=self.days)
        return PartialDate(moved.year, moved.month, moved.day).truncate(d.precision)


# ----- vocabularies ----------------------------------------------------------------

#: National public bodies that can be named in a research export (England and Wales).
NATIONAL_BODIES = (
    "British Transport Police", "Cafcass", "Cafcass Cymru", "Care Quality Commission",
    "Child Maintenance Service", "Crown Prosecution Service", "Department for Work and Pensions",
    "Disclosure and Barring Service", "HM Courts and Tribunals Service", "HM Prison and Probation Service",
    "HM Prison Service", "Home Office", "Independent Office for Police Conduct", "Jobcentre Plus",
    "National Health Service", "National Probation Service", "NHS England", "NHS Wales", "Ofsted",
    "Probation Service", "Public Health England", "Public Health Wales", "Youth Justice Board",
)

#: Endings of a council's name, said of a known local authority or county ("Stafford Borough Council").
COUNCIL_SUFFIXES = (
    "Council", "City Council", "County Council", "Borough Council", "District Council",
    "County Borough Council", "Metropolitan Borough Council", "Metropolitan District Council",
)

#: Relation labels a research export may keep besides the kinship words of the extractor.
RELATION_TERMS = (
    "acquaintance", "associate", "carer", "cohabitant", "drug supplier", "emotional rival", "ex-partner",
    "extended family member", "family friend", "family member", "housemate", "non-relative", "relative",
    "suspected drug supplier",
)

#: Words an ethnicity may be made of in a research export (ONS categories and common wordings).
ETHNICITY_WORDS = frozenset("""
african and any arab asian background bangladeshi black british caribbean chinese dual english
european eastern ethnic ethnicity group gypsy heritage indian irish mixed multiple not other pakistani
polish roma romanian scottish stated traveller unknown welsh white
""".split())

#: Risk assessment tools that can be named.
RISK_TOOLS = ("DASH", "DASH RIC", "SafeLives DASH RIC", "SARA", "B-SAFER", "S-DASH", "SPECSS", "OASys")

#: Regions of England, and Wales: name or other form -> name.
REGIONS = {
    **{r: r for r in ("North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
                      "East of England", "London", "South East", "South West", "Wales")},
    "East": "East of England", "Greater London": "London", "Yorkshire and Humber": "Yorkshire and the Humber",
}

#: A paragraph number: 2, 2.17, 1.15.1, 2.3a (parts of at most three digits).
_PARAGRAPH = r"\d{1,3}(?:\.\d{1,3})*[a-z]?"
#: A paragraph reference: a paragraph number or a range of them (2.17-2.20, 2.17 – 2.20).
_PARAGRAPH_REF = re.compile(rf"{_PARAGRAPH}(?:\s*[-–]\s*{_PARAGRAPH})?")
#: A run of number-like tokens in a ``source``: words holding a digit (``2.17``, ``INC-0001``,
#: ``20/123456``), and dashes between them, joined by spaces. Commas, brackets and words without
#: a digit ("and", "statement") end a run. A run that is not one paragraph reference is an
#: identifier (a row, log, crime or NHS number, a date), never a paragraph: it is left out whole.
_NUMBER_RUN = re.compile(r"(?:[\w./–-]*\d[\w./–-]*|[–-])(?:\s+(?:[\w./–-]*\d[\w./–-]*|[–-]))*")

_AGE_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
              "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety")
#: A summary or note that says an event is a birth, a birthday or someone turning an age
#: ("turned 30", "turns eighteen"): its date gives a birth (used only to withhold, never exported).
_BIRTH_CUE = re.compile(r"\b(born|birth\w*|delivered|newborn|in labou?r|labou?r ward|came of age"
                        r"|turn(?:s|ed|ing)\s+(?:\d{1,3}|(?:%s)(?:-\w+)?))\b" % "|".join(_AGE_WORDS.split()), re.I)
_DEATH_CUE = re.compile(r"\b(died|death|passed away)\b", re.I)


def _vocabulary(terms: Iterable[str]) -> dict[str, str]:
    return {match_form(t): t for t in terms}


@lru_cache(maxsize=1)
def _relation_labels() -> dict[str, str]:
    return _vocabulary(list(kin_words()) + list(RELATION_TERMS))


@lru_cache(maxsize=1)
def _kin_modifiers() -> frozenset[str]:
    return frozenset(kin_modifiers())


@lru_cache(maxsize=1)
def _public_bodies() -> dict[str, str]:
    """match form -> vetted name: national bodies, police forces, councils of known areas."""
    from dhrkg.places import force_areas, local_authorities

    names = list(NATIONAL_BODIES)
    for force in force_areas(include_national=True):
        names.append(force.force_name)
    areas = {la.name for la in local_authorities(current_only=False)}
    areas |= {c for force in force_areas() for c in force.counties}
    for area in areas:
        names += [f"{area} {suffix}" for suffix in COUNCIL_SUFFIXES]
    return _vocabulary(names)


@lru_cache(maxsize=1)
def _local_authorities() -> dict[str, str]:
    from dhrkg.places import local_authorities

    return _vocabulary(la.name for la in local_authorities(current_only=False))


def vetted_public_body(name: str) -> str | None:
    """The vetted spelling of a public body's name, or None when ``name`` is not one."""
    return _public_bodies().get(match_form(name))


def relation_label(label: str) -> str | None:
    """A relation label from the vocabulary, with kinship modifiers (``maternal grandmother``), else None."""
    words = match_form(label).split()
    modifiers = []
    while words and words[0] in _kin_modifiers():
        modifiers.append(words.pop(0))
    core = _relation_labels().get(" ".join(words))
    return " ".join(modifiers + [core]) if core is not None else None


def ethnicity(value: str) -> str | None:
    """An ethnicity made only of vocabulary words (``Asian (Pakistani)`` -> ``Asian Pakistani``)."""
    words = match_form(value).replace("-", " ").split()
    if not words or any(w not in ETHNICITY_WORDS for w in words):
        return None
    return " ".join(w.capitalize() for w in words)


def risk_tool(value: str) -> str | None:
    return _vocabulary(RISK_TOOLS).get(match_form(value))


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    return {match_form(k): v for k, v in REGIONS.items()}


def region(value: str) -> str | None:
    return _regions().get(match_form(value))


def local_authority(value: str) -> str | None:
    return _local_authorities().get(match_form(value))


def paragraph_refs(source: str) -> str | None:
    """Only the paragraph numbers of a ``source`` ("2.1 (statement of X), 3.4" -> "2.1, 3.4");
    numbers that are part of something else ("INC-0001", "log 20/123456", "NHS 943 476 5919",
    "20/11/2017") are left out."""
    refs = []
    for run in _NUMBER_RUN.finditer(source):
        text = run.group(0).strip(".–-")
        if _PARAGRAPH_REF.fullmatch(text):
            refs.append("".join(text.replace("–", "-").split()))
    return ", ".join(refs) if refs else None


# ----- one review ------------------------------------------------------------------


class ResearchView:
    """What the research export may say about one review's records."""

    def __init__(self, review: Review, persons: Iterable[Person], key: ExportKey,
                 generalise: str = "month", exact_dates: bool = False, force_area: str | None = None):
        self.persons = {p.id: p for p in persons}
        self.victims = {p.id for p in self.persons.values() if "victim" in p.roles}
        self.homicide = review.homicide_date
        self.shift = DateShift(0) if exact_dates else DateShift.for_review(key, review.id)
        self.generalise = generalise
        self.force_area = force_area
        self.scrubber = NameScrubber(self.persons.values())

    # dates

    def date(self, d: PartialDate, precision: str | None = None) -> PartialDate:
        """A date of the review as the export gives it: shifted, then generalised."""
        order = {"year": 0, "month": 1, "day": 2}
        target = min(precision or self.generalise, self.generalise, key=order.__getitem__)
        return self.shift(d).truncate(target)

    def is_birth(self, e: Event) -> bool:
        """An event that gives a person's birth: its summary or notes say so (a birth, a birthday,
        someone turning an age), or it is known to the day and falls on the day of any person's
        birth (the homicide excepted: its date is given anyway), or it is a life event on a date
        that agrees with the birth of a person in it."""
        if any(text and _BIRTH_CUE.search(text) for text in (e.summary, e.notes)):
            return True
        if e.date.precision == "day" and e.type != "homicide" and any(
                p.born == e.date for p in self.persons.values()):
            return True  # the day of a birth, whoever the event is about (the mother's admission)
        for pid in e.persons:
            p = self.persons.get(pid)
            if p is not None and p.born is not None and e.type == "life_event" and e.date.agrees_with(p.born):
                return True
        return False

    def is_other_death(self, e: Event) -> bool:
        """An event that gives the death of a person other than the victims: a life event that
        says so or whose date agrees with the death of a person in it, or any other event known to
        the day that falls on the day of such a death, whoever it is about (the call that reported
        it). Not the homicide, nor another event on its day: the homicide gives that date anyway."""
        if e.type == "homicide":
            return False
        if e.type != "life_event":
            return e.date.precision == "day" and e.date != self.homicide and any(
                p.died == e.date for p in self.persons.values() if p.id not in self.victims)
        others = [self.persons[x] for x in e.persons if x in self.persons and x not in self.victims]
        if e.summary and _DEATH_CUE.search(e.summary) and others:
            return True
        return any(p.died is not None and e.date.agrees_with(p.died) for p in others)

    def is_birth_date(self, d: PartialDate) -> bool:
        """Whether ``d`` (to the month or day) agrees with the birth of a person of the review
        known to the month or day: a period from birth (a household membership, a review period)."""
        return d.precision != "year" and any(
            p.born is not None and p.born.precision != "year" and d.agrees_with(p.born)
            for p in self.persons.values())

    # names and labels

    def names_person(self, text: str) -> bool:
        return self.scrubber.mentions_person(text)

    def agency_label(self, a: Agency, kind_label: str, area: str | None) -> str:
        """A vetted public body's name, else "<kind> in <area>" (or the kind alone)."""
        vetted = vetted_public_body(a.name)
        if vetted is not None and not self.names_person(vetted):
            return vetted
        area = area or self.force_area
        return f"{kind_label} in {area}" if area else kind_label

    def relation_label(self, label: str) -> str | None:
        kept = relation_label(label)
        return kept if kept is not None and not self.names_person(kept) else None
