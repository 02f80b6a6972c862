"""Gazetteers: generic vocabularies of agency types, services, kinship, roles and event cues.

Nothing here names a particular report, person or local body: these are the
words any DHR in England and Wales uses for the kinds of things it describes.
"""

from __future__ import annotations

import re

from .prefilter import Prefilter, exotic
from .rules import load_rules

# -- agencies -------------------------------------------------------------------------

def _words_of(name: str, key: str, value=None) -> list[str]:
    """The words of the rules of rules/NAME.yaml whose ``key`` is ``value`` (any value when None)."""
    return [w for r in load_rules(name).rules if key in r.assigns and value in (None, r.assigns[key])
            for w in r.assigns["words"]]


#: Last words of a named public body ("... Police", "... NHS Foundation Trust"), from rules/agency_heads.yaml.
AGENCY_HEADS = tuple(_words_of("agency_heads", "head", "body"))

#: Words that end a capitalised phrase that is not an agency.
NOT_AGENCY_HEADS = set(_words_of("agency_heads", "head", "not_body"))

#: Single words or acronyms that are agencies on their own, with their type.
STANDALONE_AGENCIES = {w: r.assigns["standalone"] for r in load_rules("agency_heads").rules
                       if "standalone" in r.assigns for w in r.assigns["words"]}

#: (pattern on the name, agency type), first match wins: rules/agency_types.yaml.
AGENCY_TYPE_RULES: list[tuple[re.Pattern, str]] = [(r.pattern, r.assigns["type"]) for r in load_rules("agency_types").rules]


def agency_type(name: str) -> str:
    for pattern, kind in AGENCY_TYPE_RULES:
        if pattern.search(name):
            return kind
    return "other"


#: Generic mentions of a kind of service in narrative text, with the name an
#: agency gets when the report never names the body ("the GP", "ambulance crew"): rules/services.yaml.
GENERIC_SERVICES: list[tuple[re.Pattern, str, str]] = [
    (r.pattern, r.assigns["type"], r.assigns["name"]) for r in load_rules("services").rules]

#: Agency types an event is usually recorded by when several services appear (first wins).
SERVICE_PRIORITY = (
    "police", "gp", "mental_health", "children_social_care", "maternity", "health", "ambulance",
    "probation", "prison", "youth_offending", "housing", "education", "domestic_abuse_service",
    "substance_misuse", "court", "regulator", "marac", "mappa", "adult_social_care", "other",
)

# -- persons --------------------------------------------------------------------------

#: kin word -> (relation to the anchor, sex of the person named by the word), from dhrkg/model/kin.yaml (the kin rule file):
#: relation is one of: parent (the person is a parent of the anchor), child, sibling,
#: partner, former_partner, relative, friend, associate
KIN: dict[str, tuple[str, str | None]] = {
    word: (r.assigns["relation"], r.assigns["sex"]) for r in load_rules("kin").rules if "relation" in r.assigns
    for word in r.assigns["words"]}

#: words before a kin word that belong to it ("maternal grandmother", "younger sister")
KIN_MODIFIERS: tuple[str, ...] = tuple(
    word for r in load_rules("kin").rules if r.assigns.get("modifier") for word in r.assigns["words"])

#: Who a report is about, by role phrase.
ROLE_WORDS = {
    "victim": "victim", "deceased": "victim", "subject of dhr": "victim", "subject of the review": "victim",
    "subject": "victim", "perpetrator": "perpetrator", "alleged perpetrator": "perpetrator",
    "offender": "perpetrator",
}

PRONOUN_SEX = {"her": "female", "hers": "female", "she": "female", "his": "male", "he": "male", "him": "male"}

ETHNICITY = re.compile(
    r"\b((?:white|black|asian|mixed|dual|british|pakistani|indian|bangladeshi|chinese|caribbean|african|irish|"
    r"polish|romanian|eastern european|arab|gypsy|traveller|other)"
    r"(?:[ /-](?:british|asian|other|caribbean|african|pakistani|indian|bangladeshi|heritage|ethnicity|european|irish|white british|mixed))*"
    r"(?:\s*\([^)]{1,30}\))?)\b", re.I)

# -- events ---------------------------------------------------------------------------

#: (cue, event type), from rules/event_types.yaml: first cue found in a sentence wins.
EVENT_TYPE_CUES: list[tuple[re.Pattern, str]] = [(r.pattern, r.assigns["type"]) for r in load_rules("event_types").rules]


ABUSE_KINDS: list[tuple[re.Pattern, str]] = [(re.compile(p, re.I), k) for p, k in [
    (r"\b(assault\w*|hit|punch\w*|kick\w*|strangl\w*|stabb\w*|head-?butt\w*|violen\w*|injur\w*|attack\w*|shot|strik\w*|struck|push\w*)\b", "physical"),
    (r"\b(rape|raped|sexual\w*)\b", "sexual"),
    (r"\b(threat\w*|threaten\w*|intimidat\w*)\b", "threats"),
    (r"\b(harass\w*)\b", "harassment"),
    (r"\b(stalk\w*|follow\w* her|following her|watching (?:her|the)|monitor\w*)\b", "stalking"),
    (r"\b(coerci\w*|controlling|control\w* behaviour)\b", "coercive_control"),
    (r"\b(emotional(?:ly)? abus\w*|verbal(?:ly)? abus\w*|abusive towards|swearing)\b", "emotional"),
    (r"\b(financial(?:ly)? abus\w*|economic abuse|took (?:her|his) money)\b", "economic"),
    (r"\b(neglect\w*)\b", "neglect"),
]]

#: ABUSE_KINDS with the literals their words start with, for a cheap test before each search
_ABUSE_CUES = [(Prefilter(pattern), kind) for pattern, kind in ABUSE_KINDS]


def abuse_kinds_in(text: str) -> set[str]:
    """The kinds of ABUSE_KINDS whose words the text holds (empty when none)."""
    lowered, odd = text.lower(), exotic(text)
    return {kind for pre, kind in _ABUSE_CUES if pre.may_match(lowered, odd) and pre.pattern.search(text)}


RISK_LEVEL = re.compile(r"\b(high|medium|standard|low)\s*(?:risk|level)?\b|\bgraded\s+(?:as\s+)?(high|medium|standard|low)\b", re.I)

#: Sentences about the review itself (its panel, terms of reference, IMRs) describe no incident.
REVIEW_PROCESS = re.compile(
    r"\b(the (?:review )?panel|dhr panel|panel (?:meeting|members?|chair)|this review|the review|domestic homicide review|"
    r"\bdhr\b|terms of reference|imrs?\b|individual management review|overview report|report author|independent (?:chair|author)|"
    r"home office|scoping|quality assurance panel|steering group|executive summary|action plan|the author)\b", re.I)

#: Section titles under which paragraphs are about the review, not the case.
PROCESS_SECTIONS = re.compile(
    r"(terms of reference|panel|methodology|process|contributors|independen|parallel|author|chair|scope|"
    r"purpose|confidential|dissemination|glossary|abbreviation|contents|equality|individual management|"
    r"lessons|recommendation|learning|conclusion|good practice|bibliography|references|introduction|"
    r"involvement of family|action plan)", re.I)

#: where to look when a report names no body of a kind ("the midwife" with only a hospital trust named)
RELATED_TYPES = {
    "maternity": ("health",), "mental_health": ("health",), "health": ("maternity", "mental_health"),
    "youth_offending": ("probation",), "prison": ("probation",), "adult_social_care": ("children_social_care",),
    "children_social_care": ("adult_social_care",),
}

#: the partnership that commissions a review (England: a Community Safety Partnership, often called "Safer X
#: Partnership" or "X Safer Partnership"; a Community Safety Board is not counted: on seed 001 it is a body the
#: review only names); a pattern piece, searched case-insensitively
COMMISSIONING_PARTNERSHIP = r"(?:community\s+safety|safer(?:\s+[a-z]+){0,2})\s+partnership"
