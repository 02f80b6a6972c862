"""The SKOS concept schemes of the DHR ontology.

One :class:`ConceptScheme` per enumeration of the case-file model (read from
the model's ``Literal`` types, so a value added there without a definition
here is caught by the tests), plus the schemes that have no field in the case
file: age bands, the 43 police force areas (from :mod:`dhrkg.places`),
Monckton Smith's eight stages of the homicide timeline and the Home Office
DHR themes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dhrkg.model import model as m

from .vocab import slug as make_slug


@dataclass(frozen=True)
class Concept:
    value: str           # the value as the case file writes it (or a slug)
    label: str
    definition: str
    notation: str | None = None
    broader: str | None = None   # value of the broader concept in the same scheme
    alt_labels: tuple[str, ...] = ()

    @property
    def local_name(self) -> str:
        return self.value


@dataclass(frozen=True)
class ConceptScheme:
    slug: str            # namespace slug and Turtle prefix, e.g. "event-type"
    name: str            # local name of the scheme in the dhr namespace
    label: str
    definition: str
    concepts: tuple[Concept, ...]
    literal: Any = None  # the model's Literal type, when the scheme renders one
    concept_class: str | None = None  # a dhr class the concepts are also members of
    source: str | None = None

    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.concepts)

    def concept(self, value: str) -> Concept:
        for c in self.concepts:
            if c.value == value:
                return c
        raise KeyError(f"{value!r} is not in the {self.slug} scheme")


def _scheme(slug: str, name: str, label: str, definition: str, literal: Any,
            concepts: dict[str, tuple[str, str]], **kw: Any) -> ConceptScheme:
    return ConceptScheme(
        slug, name, label, definition,
        tuple(Concept(v, lab, d) for v, (lab, d) in concepts.items()),
        literal=literal, **kw,
    )


SEX = _scheme("sex", "SexScheme", "Sex", "The sex of a person as the review records it.", m.Sex, {
    "female": ("female", "The review records the person as female."),
    "male": ("male", "The review records the person as male."),
    "unknown": ("unknown", "The review does not say, or the person's sex is not known."),
})

ROLE = _scheme("role", "RoleScheme", "Roles of persons in a review",
               "The part a person plays in the story a Domestic Homicide Review tells.", m.Role, {
    "victim": ("victim", "A person whose death the review is about (or who was otherwise harmed in the homicide)."),
    "perpetrator": ("perpetrator", "A person who killed, or is alleged to have killed, the victim."),
    "child": ("child", "A child of the victim or perpetrator, or a child in the household."),
    "family": ("family member", "A member of the victim's or the perpetrator's family."),
    "friend": ("friend", "A friend of the victim or the perpetrator."),
    "witness": ("witness", "A person who witnessed events or gave information to the review."),
    "other": ("other", "Any other person named in the review."),
})

CERTAINTY = _scheme("certainty", "CertaintyScheme", "Certainty",
                    "How firmly the review establishes a fact; no certainty means the report states it as fact.",
                    m.Certainty, {
    "alleged": ("alleged", "Someone said it happened; not established."),
    "reported": ("reported", "Reported to an agency, without further finding."),
    "substantiated": ("substantiated", "An agency or the review found it established."),
    "convicted": ("convicted", "A court convicted someone of it."),
})

PARENT_KIND = _scheme("parent-kind", "ParentKindScheme", "Kinds of parenthood",
                      "How a parent is the parent of a child.", m.ParentKind, {
    "biological": ("biological parent", "The child's birth mother or biological father."),
    "step": ("step-parent", "The partner of the child's parent."),
    "adoptive": ("adoptive parent", "A parent by adoption."),
    "foster": ("foster parent", "A foster carer of the child."),
})

SIBLING_KIND = _scheme("sibling-kind", "SiblingKindScheme", "Kinds of siblings",
                       "How two siblings are related.", m.SiblingKind, {
    "full": ("full sibling", "Siblings with both parents in common."),
    "half": ("half-sibling", "Siblings with one parent in common."),
    "step": ("step-sibling", "Siblings through the partnership of their parents, with no parent in common."),
    "unknown": ("sibling, kind unknown", "Siblings where the review does not say how."),
})

PARTNER_STATUS = _scheme("partner-status", "PartnerStatusScheme", "Partner status",
                         "Whether an intimate relationship was still going on at the time of the homicide.",
                         m.PartnerStatus, {
    "current": ("current partner", "The intimate relationship was going on at the time of the homicide."),
    "former": ("former partner", "The intimate relationship had ended before the homicide."),
})

PARTNER_KIND = _scheme("partner-kind", "PartnerKindScheme", "Kinds of intimate partnership",
                       "The form an intimate relationship took.", m.PartnerKind, {
    "married": ("married", "Married to each other."),
    "civil_partnership": ("civil partnership", "In a civil partnership with each other."),
    "cohabiting": ("cohabiting", "Living together as a couple without marriage or civil partnership."),
    "dating": ("dating", "In an intimate relationship without living together."),
    "unknown": ("unknown", "An intimate relationship of a form the review does not say."),
})

ABUSE_KIND = _scheme("abuse-kind", "AbuseKindScheme", "Kinds of abuse",
                     "Forms of domestic abuse (after the Domestic Abuse Act 2021 definition).", m.AbuseKind, {
    "physical": ("physical abuse", "Violence or physical harm to the victim."),
    "sexual": ("sexual abuse", "Sexual violence or sexual acts without consent."),
    "emotional": ("emotional or psychological abuse", "Abuse that harms the victim's emotional or psychological wellbeing."),
    "economic": ("economic abuse", "Restricting the victim's ability to acquire, use or keep money or property, or to obtain goods or services."),
    "coercive_control": ("controlling or coercive behaviour", "A pattern of acts that isolate, degrade, frighten or control the victim."),
    "stalking": ("stalking", "Persistent unwanted following, watching or contact that causes fear or distress."),
    "harassment": ("harassment", "Conduct that alarms or distresses the victim on at least two occasions."),
    "threats": ("threats", "Threats of violence, of killing, or of other harm."),
    "neglect": ("neglect", "Failure to meet the basic needs of a dependant."),
})

AGENCY_TYPE = _scheme("agency-type", "AgencyTypeScheme", "Types of agency",
                      "The kind of service an agency in a review provides.", m.AgencyType, {
    "police": ("police", "A police force."),
    "probation": ("probation", "The probation service or a community rehabilitation company."),
    "prison": ("prison", "A prison or young offender institution."),
    "court": ("court", "A court, tribunal or coroner."),
    "youth_offending": ("youth offending service", "A youth offending team or service."),
    "gp": ("general practice", "A GP surgery (family doctor)."),
    "health": ("health service", "A hospital or other health service not listed separately."),
    "mental_health": ("mental health service", "A mental health trust or service, including CAMHS."),
    "ambulance": ("ambulance service", "An ambulance service."),
    "maternity": ("maternity service", "Midwifery, health visiting and other maternity services."),
    "children_social_care": ("children's social care", "Children's social care services of a local authority."),
    "adult_social_care": ("adult social care", "Adult social care services of a local authority."),
    "housing": ("housing", "A housing authority or housing provider."),
    "education": ("education", "A school, college or education service."),
    "substance_misuse": ("substance misuse service", "A drug or alcohol service."),
    "domestic_abuse_service": ("domestic abuse service", "A specialist domestic abuse service (refuge, IDVA, outreach)."),
    "marac": ("MARAC", "A multi-agency risk assessment conference."),
    "mappa": ("MAPPA", "Multi-agency public protection arrangements."),
    "regulator": ("regulator", "A regulator or inspectorate (for example Ofsted)."),
    "other": ("other", "Any other agency, including partnerships and boards."),
})

EVENT_TYPE = _scheme("event-type", "EventTypeScheme", "Types of event",
                     "What kind of thing an entry in the integrated chronology records.", m.EventType, {
    "incident": ("incident", "A domestic abuse or other incident reported to or found by an agency."),
    "call": ("call", "A 999, 101 or other contact with an agency."),
    "arrest": ("arrest", "An arrest."),
    "charge": ("charge", "A criminal charge."),
    "caution": ("caution", "A police caution, reprimand or final warning."),
    "conviction": ("conviction", "A criminal conviction."),
    "sentence": ("sentence", "A sentence passed by a court."),
    "custody": ("custody", "Remand or detention in custody."),
    "release": ("release", "Release from custody or detention."),
    "court": ("court hearing", "A court hearing, civil or criminal, including orders made."),
    "risk_assessment": ("risk assessment", "A risk assessment, for example a DASH risk identification checklist."),
    "referral": ("referral", "A referral from one agency to another service."),
    "marac": ("MARAC", "A multi-agency risk assessment conference about the case."),
    "mappa": ("MAPPA", "A multi-agency public protection meeting or decision."),
    "child_protection": ("child protection", "A strategy discussion, conference, plan or core group for a child."),
    "licence": ("licence", "Release on licence, licence conditions or recall."),
    "warning": ("warning", "A warning given to someone, for example a harassment warning."),
    "appointment": ("appointment", "An appointment with a service, attended or not."),
    "home_visit": ("home visit", "A visit by an agency to a home."),
    "assessment": ("assessment", "An assessment other than a risk assessment (health, needs, capacity)."),
    "admission": ("admission", "Admission to hospital or another institution, including detention under the Mental Health Act."),
    "discharge": ("discharge", "Discharge from hospital or from a service."),
    "case_closure": ("case closure", "An agency closes its case."),
    "information_sharing": ("information sharing", "Information passed between agencies."),
    "disclosure": ("disclosure", "A disclosure, for example under the Domestic Violence Disclosure Scheme, or a disclosure of abuse by a victim."),
    "intelligence": ("intelligence", "Intelligence recorded by an agency."),
    "homicide": ("homicide", "The homicide itself."),
    "life_event": ("life event", "A birth, a move, a separation or another event in the lives of the people."),
    "review_process": ("review process", "A step of the review itself."),
    "other": ("other", "Any other event."),
})

RISK_LEVEL = _scheme("risk-level", "RiskLevelScheme", "Risk levels",
                     "The level of risk a risk assessment found.", m.RiskLevel, {
    "none": ("no risk", "No risk identified."),
    "low": ("low risk", "Low risk."),
    "standard": ("standard risk", "Standard risk: no significant indicators of serious harm."),
    "medium": ("medium risk", "Medium risk: identifiable indicators of risk of serious harm."),
    "high": ("high risk", "High risk: identifiable indicators of imminent risk of serious harm."),
})

SCOPE = _scheme("scope", "ScopeScheme", "Scopes of recommendations",
                "Who a recommendation of a review is for.", m.Scope, {
    "single_agency": ("single agency", "A recommendation for one agency."),
    "multi_agency": ("multi-agency", "A recommendation for several agencies or the partnership."),
    "national": ("national", "A recommendation for national government or bodies."),
})

RELATIONSHIP_TYPE = _scheme("relationship-type", "RelationshipTypeScheme", "Types of relationship",
                            "The kinds of relationship between persons a case file records.", m.RelationshipType, {
    "parent": ("parent", "One person is a parent of the other."),
    "sibling": ("sibling", "The persons are siblings."),
    "partner": ("intimate partner", "The persons are or were intimate partners."),
    "relative": ("relative", "The persons are otherwise related by family."),
    "friend": ("friend", "The persons are friends."),
    "carer": ("carer", "One person cares for the other."),
    "associate": ("associate", "The persons know each other otherwise (neighbours, colleagues, acquaintances)."),
    "abuse": ("abuse", "One person abused the other."),
})

AGE_BAND = ConceptScheme(
    "age-band", "AgeBandScheme", "Age bands",
    "Age bands used by the Home Office DHR metadata and the Domestic Homicide Review Dataset (DHRD), "
    "plus a band for children under 16; the pseudonymised export gives ages only as these bands.",
    (
        Concept("under-16", "under 16", "Aged under 16 (including infants)."),
        Concept("16-19", "16-19", "Aged 16 to 19."),
        Concept("20-24", "20-24", "Aged 20 to 24."),
        Concept("25-34", "25-34", "Aged 25 to 34."),
        Concept("20-34", "20-34", "Aged 20 to 34: a wider band found in the DHRD data (for some perpetrators), "
                                  "not one of the Home Office bands; never produced by dhrkg itself."),
        Concept("35-44", "35-44", "Aged 35 to 44."),
        Concept("45-54", "45-54", "Aged 45 to 54."),
        Concept("55-64", "55-64", "Aged 55 to 64."),
        Concept("65-plus", "65+", "Aged 65 or over."),
    ),
    source="Cook, D. & Cook, E. A. (2026) The Domestic Homicide Review Dataset (DHRD) for England and Wales, codebook",
)

#: (lowest age, band value) in ascending order.
AGE_BAND_LIMITS = ((0, "under-16"), (16, "16-19"), (20, "20-24"), (25, "25-34"), (35, "35-44"),
                   (45, "45-54"), (55, "55-64"), (65, "65-plus"))


def age_band(age: int) -> str:
    band = AGE_BAND_LIMITS[0][1]
    for low, value in AGE_BAND_LIMITS:
        if age >= low:
            band = value
    return band


TIMELINE_STAGE = ConceptScheme(
    "homicide-timeline-stage", "HomicideTimelineScheme", "Stages of the homicide timeline",
    "Jane Monckton Smith's eight-stage progression to intimate partner homicide.",
    tuple(
        Concept(value, label, definition, notation=str(i))
        for i, (value, label, definition) in enumerate([
            ("pre-relationship", "pre-relationship",
             "A history of stalking, abuse or controlling behaviour by the perpetrator before the relationship."),
            ("early-relationship", "early relationship",
             "The relationship develops quickly into a serious, committed one."),
            ("relationship", "relationship",
             "The relationship is dominated by coercive control."),
            ("trigger", "trigger",
             "Something threatens the perpetrator's control, such as separation or financial difficulty."),
            ("escalation", "escalation",
             "The frequency or severity of the perpetrator's control tactics increases, such as stalking or threats of suicide."),
            ("change-in-thinking", "change in thinking",
             "The perpetrator decides on a course of action: to move on, or to seek revenge or homicide."),
            ("planning", "planning",
             "The perpetrator plans the homicide, for example by obtaining weapons or seeking to get the victim alone."),
            ("homicide", "homicide",
             "The perpetrator kills the victim, and possibly others such as children."),
        ], start=1)
    ),
    source="Monckton Smith, J. (2020) 'Intimate partner femicide: using Foucauldian analysis to track an eight "
           "stage progression to homicide', Violence Against Women 26(11), 1267-1285",
)


def _themes() -> tuple[Concept, ...]:
    # (value, label, definition, the tag as the DHRD names it)
    groups = {
        "homicide-type": ("type of homicide", "The relationship between victim and perpetrator the Home Office tags a homicide with.", [
            ("intimate-partner-violence", "intimate partner violence", "The victim was killed by a current or former intimate partner.", "intimate_partner_violence"),
            ("familial-homicide", "familial homicide", "The victim was killed by a family member.", "familial_homicide"),
            ("parricide", "parricide", "The victim was killed by their child.", "parricide"),
            ("homicide-suicide", "homicide-suicide", "The perpetrator took their own life after the homicide.", "homicide_suicide"),
        ]),
        "abuse": ("abuse", "Forms of abuse the Home Office tags a review with.", [
            ("coercive-control", "coercive control", "Controlling or coercive behaviour by the perpetrator.", "coercive_control"),
            ("economic-abuse", "economic abuse", "Economic abuse by the perpetrator.", "economic_abuse"),
            ("emotional-abuse", "emotional abuse", "Emotional or psychological abuse by the perpetrator.", "emotional_abuse"),
            ("physical-abuse", "physical abuse", "Physical abuse by the perpetrator.", "physical_abuse"),
            ("sexual-abuse", "sexual abuse", "Sexual abuse by the perpetrator.", "sexual_abuse"),
            ("stalking", "stalking", "Stalking by the perpetrator.", "stalking"),
        ]),
        "circumstances": ("circumstances", "Circumstances of the case the Home Office tags a review with.", [
            ("children-present", "children present", "Children were present at the time of the death.", "children_present"),
            ("separation", "separation", "Separation of victim and perpetrator.", "separation"),
            ("forced-marriage", "forced marriage", "A forced marriage.", "forced_marriage"),
            ("faith-based-marriage", "faith-based marriage", "A faith-based marriage.", "faith_based_marriage"),
            ("honour-based-violence", "honour-based violence", "Honour-based violence (a tag in the DHRD data, not in its codebook).", "honour_based_violence"),
        ]),
        "vulnerability": ("vulnerability", "Vulnerabilities of the victim or the perpetrator the Home Office records.", [
            ("alcohol", "alcohol", "Alcohol use recorded as a vulnerability.", "alcohol"),
            ("housing", "housing", "Housing need recorded as a vulnerability.", "housing"),
            ("neurodiversity", "neurodiversity", "Neurodivergence recorded as a vulnerability.", "neurodiversity"),
            ("physical-disability", "physical disability", "A physical disability.", "physical_disability"),
            ("pregnancy", "pregnancy", "Pregnancy of the victim.", "pregnancy"),
            ("substance-misuse", "substance misuse", "Drug or other substance use recorded as a vulnerability.", "substance_misuse"),
            ("other-vulnerability", "other vulnerability", "Another vulnerability.", "vuln_other"),
        ]),
        "mental-health": ("mental health", "Mental health conditions of the victim or the perpetrator the Home Office records.", [
            ("adjustment-disorder", "adjustment disorder", "An adjustment disorder.", "adjustment_disorder"),
            ("anxiety", "anxiety", "Anxiety.", "anxiety"),
            ("dementia", "dementia", "Dementia.", "dementia"),
            ("depression", "depression", "Depression.", "depression"),
            ("panic-attacks", "panic attacks", "Panic attacks.", "panic_attacks"),
            ("ptsd", "PTSD", "Post-traumatic stress disorder.", "ptsd"),
            ("psychosis", "psychosis", "Psychosis.", "psychosis"),
            ("self-harm", "self-harm", "Self-harm.", "selfharm"),
            ("suicidal-thoughts", "suicidal thoughts", "Suicidal thoughts.", "suicidal_thoughts"),
            ("suicide-attempts", "suicide attempts", "Suicide attempts.", "suicide_attempts"),
            ("other-mental-health", "other mental health condition", "Another mental health condition.", "mh_other"),
        ]),
    }
    out: list[Concept] = []
    for group, (label, definition, members) in groups.items():
        out.append(Concept(group, label, definition))
        out.extend(Concept(v, lab, d, broader=group, notation=tag) for v, lab, d, tag in members)
    return tuple(out)


def theme_for_tag(tag: str, group: str | None = None) -> Concept | None:
    """The DHR theme concept for a Home Office / DHRD tag (``coercive_control``; ``other`` needs
    the group: ``vulnerability`` or ``mental-health``)."""
    if tag == "other" and group in ("vulnerability", "mental-health"):
        tag = "vuln_other" if group == "vulnerability" else "mh_other"
    for c in DHR_THEME.concepts:
        if c.notation == tag and (group is None or c.broader == group):
            return c
    return None


DHR_THEME = ConceptScheme(
    "dhr-theme", "DHRThemeScheme", "Home Office DHR themes",
    "The tags and filter categories the Home Office publishes with Domestic Homicide Review reports "
    "(as described in the DHRD codebook), grouped under five top concepts.",
    _themes(),
    source="Home Office DHR report metadata; Cook, D. & Cook, E. A. (2026) DHRD codebook, doi:10.5281/zenodo.21108268",
)


def force_area_scheme() -> ConceptScheme:
    """The 43 territorial police force areas, from :func:`dhrkg.places.force_areas`."""
    from dhrkg.places import force_areas

    concepts = []
    for fa in force_areas():
        alts = tuple(a for a in fa.aliases if a != fa.name)
        concepts.append(Concept(
            make_slug(fa.name), fa.name,
            f"The area policed by {fa.force_name} ({fa.country}).",
            alt_labels=alts,
        ))
    return ConceptScheme(
        "police-force-area", "PoliceForceAreaScheme", "Police force areas",
        "The 43 territorial police force areas of England and Wales.",
        tuple(concepts), concept_class="PoliceForceArea",
    )


#: The schemes that render an enumeration of the case-file model.
MODEL_SCHEMES: tuple[ConceptScheme, ...] = (
    SEX, ROLE, CERTAINTY, PARENT_KIND, SIBLING_KIND, PARTNER_STATUS, PARTNER_KIND,
    ABUSE_KIND, AGENCY_TYPE, EVENT_TYPE, RISK_LEVEL, SCOPE, RELATIONSHIP_TYPE,
)


def all_schemes() -> tuple[ConceptScheme, ...]:
    return MODEL_SCHEMES + (AGE_BAND, force_area_scheme(), TIMELINE_STAGE, DHR_THEME)


def model_enumerations() -> dict[str, tuple[str, ...]]:
    """Every enumeration (module-level ``Literal`` type) of the case-file model, by name."""
    from typing import Literal, get_origin

    out = {}
    for name, value in vars(m).items():
        if name.startswith("_") or get_origin(value) is not Literal:
            continue
        out[name] = m.values(value)
    return out


__all__ = [
    "AGE_BAND", "AGE_BAND_LIMITS", "Concept", "ConceptScheme", "DHR_THEME", "MODEL_SCHEMES",
    "TIMELINE_STAGE", "age_band", "all_schemes", "force_area_scheme", "model_enumerations", "theme_for_tag",
]
