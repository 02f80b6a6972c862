"""Gazetteers: generic vocabularies of agency types, services, kinship, roles and event cues.

Nothing here names a particular report, person or local body: these are the
words any DHR in England and Wales uses for the kinds of things it describes.
"""

from __future__ import annotations

import re

from .prefilter import Prefilter, exotic
from .rules import load_rules

# -- agencies -------------------------------------------------------------------------

#: Last words of a named public body ("... Police", "... NHS Foundation Trust").
AGENCY_HEADS = (
    "Police", "Constabulary", "Council", "Trust", "Trusts", "Service", "Services", "Team", "Board",
    "Partnership", "Court", "Hospital", "Hospitals", "Probation", "Prison", "Clinic", "Unit",
    "Authority", "Commission", "Centre", "Center", "Department", "Directorate", "CCG", "Aid",
    "Refuge", "Practice", "Surgery", "Cluster", "Division", "Agency", "Project", "Institution",
    "Ofsted", "Coroner", "Hub", "Association", "Charity", "Surgeries", "Network",
)

#: Words that end a capitalised phrase that is not an agency.
NOT_AGENCY_HEADS = {
    "review", "reviews", "panel", "group", "conference", "programme", "program", "scheme", "act", "order",
    "approach", "policy", "procedures", "procedure", "guidance", "strategy", "plan", "assessment",
    "report", "meeting", "protocol", "notice", "framework", "form", "system", "model", "checklist",
    "arrangements", "requirement", "officer", "worker", "manager", "nurse", "lead", "chair", "author",
}

#: Single words or acronyms that are agencies on their own.
STANDALONE_AGENCIES = {
    "Ofsted": "regulator", "CAFCASS": "court", "Cafcass": "court", "NSPCC": "other", "Barnardo's": "other",
    "CAMHS": "mental_health", "IPCC": "regulator", "IOPC": "regulator", "CQC": "regulator",
    "AAFDA": "domestic_abuse_service", "Refuge": "domestic_abuse_service",
}

#: (pattern on the name, agency type), first match wins.
AGENCY_TYPE_RULES: list[tuple[re.Pattern, str]] = [(re.compile(p, re.I), t) for p, t in [
    (r"\bmarac\b|risk assessment conference", "marac"),
    (r"\bmappa\b|public protection arrangements", "mappa"),
    (r"youth offending|\byo[ts]\b", "youth_offending"),
    (r"\bprobation\b|community rehabilitation|\bcrc\b|offender manag", "probation"),
    (r"\bprison\b|\bhmp\b|young offenders?\b.*institution|\byoi\b|carat|in reach", "prison"),
    (r"\bcourt\b|coroner|magistrates|crown prosecution|\bcps\b|cafcass", "court"),
    (r"ambulance|paramedic", "ambulance"),
    (r"police and crime commissioner", "other"),
    (r"\bpolice\b|\bpolicing\b|constabulary|\bppu\b|public protection unit|\bmash\b", "police"),
    (r"safeguarding (children|adults) (board|partnership)|community safety|\bcsp\b|\blscb\b|\bscb\b", "other"),
    (r"ofsted|complaints commission|\bipcc\b|\biopc\b|care quality|\bcqc\b|professions council|\bhcpc\b", "regulator"),
    (r"women'?s aid|refuge|domestic (abuse|violence)|idva|\bsafe\s?lives\b|fatal domestic abuse|victim support", "domestic_abuse_service"),
    (r"drug|alcohol|substance|\bdat\b|\bdip\b|addiction|recovery", "substance_misuse"),
    (r"mental health|psychiatr|forensic (?:unit|service|mental)|camhs|\bcmht\b|crisis team|\bhealthcare nhs foundation trust\b|\bpartnership nhs", "mental_health"),
    (r"maternity|midwi|women'?s hospital|women'?s nhs", "maternity"),
    (r"\bgps?\b|general practi|family doctor|medical practice|surgery|health cent(re|er)|out of hours", "gp"),
    (r"children'?s (social care|services|social services|social work)|children,? young people|families first|"
     r"child protection|children and families|\bedt\b|emergency duty", "children_social_care"),
    (r"adult'?s? (social care|services|social services)|adult safeguarding", "adult_social_care"),
    (r"school|education|college|nursery|children'?s cent(re|er)|university(?! hospital)|early years|child ?minding", "education"),
    (r"housing|homeless|tenancy|borough council|district council|city council|landlord|hostel", "housing"),
    (r"\bnhs\b|hospital|health|walk[- ]in cent(?:re|er)|\bccg\b|clinical commissioning|primary care|\bpcts?\b|clinic|nurs|trust\b|"
     r"health visit|a&e|emergency department", "health"),
    (r"social (care|services)|social work", "children_social_care"),
]]


def agency_type(name: str) -> str:
    for pattern, kind in AGENCY_TYPE_RULES:
        if pattern.search(name):
            return kind
    return "other"


#: Generic mentions of a kind of service in narrative text, with the name an
#: agency gets when the report never names the body ("the GP", "ambulance crew").
#: MARAC and MAPPA are meetings of agencies, not bodies that act: a mention makes no agency.
GENERIC_SERVICES: list[tuple[re.Pattern, str, str]] = [(re.compile(p, re.I), t, n) for p, t, n in [
    (r"\b(police|officers?|pcsos?|constables?|detectives?|sergeants?|call[- ]handlers?|999 (?:call|operator))\b", "police", "Police"),
    (r"\b(gps?|general practitioners?|family doctors?|practice nurses?|surgery|gp practice)\b", "gp", "GP"),
    (r"\b(cpns?|community psychiatric nurses?|psychiatrists?|mental health (?:team|services?|trust|nurse|worker|practitioner)s?|"
     r"cmht|crisis (?:team|resolution)|early intervention team|home treatment team|approved mental health professional|amhp)\b",
     "mental_health", "Mental Health Services"),
    (r"\b(social workers?|children'?s social care|children'?s services|social services|social care|first response|"
     r"emergency duty (?:team|service)|child protection (?:team|unit))\b", "children_social_care", "Children's Social Care"),
    (r"\b(midwi(?:fe|ves|fery)|maternity (?:unit|services?|ward)|antenatal|ante-natal)\b", "maternity", "Maternity Services"),
    (r"\b(health visit(?:or|ors|ing))\b", "health", "Health Visiting Service"),
    (r"\b(hospital|a ?& ?e|emergency department|accident and emergency|ward)\b", "health", "Hospital"),
    (r"\b(ambulance|paramedics?)\b", "ambulance", "Ambulance Service"),
    (r"\b(probation(?: officer| service)?|offender managers?)\b", "probation", "Probation Service"),
    (r"\b(housing (?:officers?|services?|department|association|provider)|homeless(?:ness)? (?:team|service|officers?))\b", "housing", "Housing Services"),
    (r"\b(schools?|head ?teachers?|teachers?|nursery|education (?:welfare|services?))\b", "education", "School"),
    (r"\b(idvas?|women'?s aid|refuge|domestic abuse (?:service|worker|advisor))\b", "domestic_abuse_service", "Domestic Abuse Service"),
    (r"\b(drug(?:s)? (?:workers?|services?|team)|substance misuse (?:services?|team|workers?)|drug intervention programme|dip)\b", "substance_misuse", "Substance Misuse Service"),
    (r"\b(crown court|magistrates'? court|court)\b", "court", "Court"),
    (r"\b(prison|young offenders?'? institution|yoi|hmp)\b", "prison", "Prison"),
    (r"\b(youth offending (?:team|service)|yot|yos)\b", "youth_offending", "Youth Offending Team"),
    (r"\b(camhs)\b", "mental_health", "CAMHS"),
]]

#: Agency types an event is usually recorded by when several services appear (first wins).
SERVICE_PRIORITY = (
    "police", "gp", "mental_health", "children_social_care", "maternity", "health", "ambulance",
    "probation", "prison", "youth_offending", "housing", "education", "domestic_abuse_service",
    "substance_misuse", "court", "regulator", "marac", "mappa", "adult_social_care", "other",
)

# -- persons --------------------------------------------------------------------------

#: kin word -> (relation to the anchor, sex of the person named by the word), from rules/kin.yaml:
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
    (r"\b(assault\w*|hit|punch\w*|kick\w*|strangl\w*|stabb\w*|head-?butt\w*|violen\w*|injur\w*|attack\w*|shot|strik\w*|push\w*)\b", "physical"),
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
