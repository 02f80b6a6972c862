"""The ``dhr-case/1`` case-file model (see docs/case-file.md).

One pydantic model per record kind. Enumerations are ``Literal`` types listed
once here so the validator, the JSON Schema, the graph loader and the
ontology all read the same lists. Unknown fields are refused (a typo in a
field name is an error, not silently ignored).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

from .dates import DateField

FORMAT = "dhr-case/1"

Sex = Literal["female", "male", "unknown"]
Role = Literal["victim", "perpetrator", "child", "family", "friend", "witness", "other"]
Certainty = Literal["alleged", "reported", "substantiated", "convicted"]
ParentKind = Literal["biological", "step", "adoptive", "foster"]
SiblingKind = Literal["full", "half", "step", "unknown"]
PartnerStatus = Literal["current", "former"]
PartnerKind = Literal["married", "civil_partnership", "cohabiting", "dating", "unknown"]
AbuseKind = Literal[
    "physical", "sexual", "emotional", "economic", "coercive_control",
    "stalking", "harassment", "threats", "neglect",
]
AgencyType = Literal[
    "police", "probation", "prison", "court", "youth_offending", "gp", "health",
    "mental_health", "ambulance", "maternity", "children_social_care",
    "adult_social_care", "housing", "education", "substance_misuse",
    "domestic_abuse_service", "marac", "mappa", "regulator", "other",
]
EventType = Literal[
    "incident", "call", "arrest", "charge", "caution", "conviction", "sentence",
    "custody", "release", "court", "risk_assessment", "referral", "marac", "mappa",
    "child_protection", "licence", "warning", "appointment", "home_visit",
    "assessment", "admission", "discharge", "case_closure", "information_sharing",
    "disclosure", "intelligence", "homicide", "life_event", "review_process", "other",
]
RiskLevel = Literal["none", "low", "standard", "medium", "high"]
Scope = Literal["single_agency", "multi_agency", "national"]
RelationshipType = Literal[
    "parent", "sibling", "partner", "relative", "friend", "carer", "associate", "abuse",
]

#: Relationship types whose direction matters (``from`` -> ``to``).
DIRECTED_RELATIONSHIPS = frozenset({"parent", "relative", "carer", "abuse"})

Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^\S(.*\S)?$")]
#: Joins a review id and a record id into the record's graph key (``"<review>/<id>"``), so it
#: may not occur in either (checked by validate.py): otherwise two reviews could share a key.
KEY_SEPARATOR = "/"
Source = Annotated[str, Field(description="paragraph refs of the report, e.g. '2.17' or '2.17-2.20, 3.4'")]


def values(literal: Any) -> tuple[str, ...]:
    """The allowed values of one of the enumerations above."""
    return get_args(literal)


class Record(BaseModel):
    # defer_build: a model's validator is built when first used, not at import; the records are
    # validated inside a CaseFile, whose one validator holds them all (start-up of `dhrkg extract`)
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False, defer_build=True)


class Period(Record):
    start: DateField | None = None
    end: DateField | None = None


class Place(Record):
    """Where something is; never a street address."""

    town: Text | None = None
    local_authority: Text | None = None
    police_force_area: Text | None = None
    country: Text | None = Field(None, description="only outside England and Wales")


class Review(Record):
    id: Id
    title: Text | None = None
    commissioned_by: Text | None = Field(None, description="the Community Safety Partnership")
    local_authority: Text | None = None
    police_force_area: Text | None = None
    chair: Text | None = None
    author: Text | None = None
    vice_chair: Text | None = None
    review_period: Period | None = None
    homicide_date: DateField | None = None
    report_date: DateField | None = None
    reference: Text | None = None
    source: Text | None = Field(None, description="file name of the report")


class Person(Record):
    id: Id
    name: Text | None = None
    aliases: list[Text] = Field(default_factory=list)
    sex: Sex | None = None
    born: DateField | None = None
    age: Annotated[int, Field(ge=0, le=130)] | None = None
    age_months: Annotated[int, Field(ge=0, le=36)] | None = None
    died: DateField | None = None
    unborn: bool | None = None
    ethnicity: Text | None = None
    roles: list[Role] = Field(default_factory=list)
    notes: str | None = None
    source: Source | None = None


class _RelationshipBase(Record):
    from_: Id = Field(alias="from")
    to: Id
    start: DateField | None = None
    end: DateField | None = None
    notes: str | None = None
    source: Source | None = None
    certainty: Certainty | None = None


class ParentRelationship(_RelationshipBase):
    type: Literal["parent"]
    kind: ParentKind | None = None


class SiblingRelationship(_RelationshipBase):
    type: Literal["sibling"]
    kind: SiblingKind | None = None


class PartnerRelationship(_RelationshipBase):
    type: Literal["partner"]
    status: PartnerStatus | None = None
    kind: PartnerKind | None = None
    separated: DateField | None = None
    abusive: bool | None = None


class RelativeRelationship(_RelationshipBase):
    type: Literal["relative"]
    label: Text | None = None


class FriendRelationship(_RelationshipBase):
    type: Literal["friend"]


class CarerRelationship(_RelationshipBase):
    type: Literal["carer"]


class AssociateRelationship(_RelationshipBase):
    type: Literal["associate"]
    label: Text | None = None


class AbuseRelationship(_RelationshipBase):
    type: Literal["abuse"]
    kinds: list[AbuseKind] = Field(default_factory=list)


Relationship = Annotated[
    Union[
        ParentRelationship, SiblingRelationship, PartnerRelationship,
        RelativeRelationship, FriendRelationship, CarerRelationship,
        AssociateRelationship, AbuseRelationship,
    ],
    Field(discriminator="type"),
]


class Member(Record):
    """A household member; written either as a bare person id or with dates."""

    person: Id
    start: DateField | None = None
    end: DateField | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_bare_id(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"person": data}
        return data

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        as_object = handler(core_schema)
        return {"anyOf": [{"type": "string", "description": "person id"}, as_object]}

    @model_serializer(mode="wrap")
    def _as_bare_id_when_plain(self, handler):
        data = handler(self)
        if self.start is None and self.end is None:
            return self.person
        return data


class Household(Record):
    id: Id
    location: Place | None = None
    members: list[Member] = Field(default_factory=list)
    start: DateField | None = None
    end: DateField | None = None
    notes: str | None = None
    source: Source | None = None


class Agency(Record):
    id: Id
    name: Text
    abbreviation: Text | None = None
    aliases: list[Text] = Field(default_factory=list)
    type: AgencyType
    police_force_area: Text | None = None
    notes: str | None = None


class EventAbuse(Record):
    """An incident of abuse: who abused whom, how."""

    perpetrator: Id | None = None
    victim: Id | None = None
    victims: list[Id] | None = None
    kinds: list[AbuseKind] = Field(default_factory=list)
    certainty: Certainty | None = None


class Risk(Record):
    tool: Text | None = Field(None, description="e.g. DASH")
    level: RiskLevel | None = None
    score: Annotated[int, Field(ge=0)] | None = None
    grade: Text | None = Field(None, description="any other wording the tool uses")


class Event(Record):
    id: Id
    date: DateField
    until: DateField | None = None
    date_approx: bool | None = None
    time: Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] | None = None
    agency: Id | None = None
    type: EventType
    persons: list[Id] = Field(default_factory=list)
    summary: str | None = None
    abuse: EventAbuse | None = None
    risk: Risk | None = None
    referral_to: Id | None = None
    shared_with: list[Id] = Field(default_factory=list)
    other_agencies: list[Id] = Field(default_factory=list)
    place: Place | None = None
    notes: str | None = None
    source: Source | None = None


class Recommendation(Record):
    id: Id
    agency: Id | None = None
    agencies: list[Id] = Field(default_factory=list)
    text: Text
    scope: Scope | None = None
    source: Source | None = None


class CaseFile(Record):
    """One Domestic Homicide Review in the ``dhr-case/1`` format."""

    format: Literal["dhr-case/1"]
    review: Review
    persons: list[Person] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    households: list[Household] = Field(default_factory=list)
    agencies: list[Agency] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        """Plain data (as a YAML/JSON file would hold it), unset fields omitted."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)

    # Convenience look-ups used by loaders and drawings.
    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.persons if p.id == person_id), None)

    def agency(self, agency_id: str) -> Agency | None:
        return next((a for a in self.agencies if a.id == agency_id), None)
