"""Which ontology term renders each field of the case-file model and each part of the graph schema.

``FIELD_TERMS`` is keyed ``"Model.field"`` (the Python field name); fields a
class inherits are looked up along its bases (``_RelationshipBase.source``).
The tests walk the pydantic model and check every field has a term here and
that the term is declared in ``dhr.ttl`` with a label and a definition; the
round-trip tests check the export really writes them.
"""

from __future__ import annotations

from rdflib import URIRef

from .vocab import DCTERMS, DHR, FOAF, ORG, PROV, REL, SCHEMA, SKOS, TIME

FIELD_TERMS: dict[str, URIRef] = {
    # the file
    "CaseFile.format": DCTERMS.conformsTo,
    "CaseFile.review": DHR.Review,
    "CaseFile.persons": DHR.Person,
    "CaseFile.relationships": DHR.Relationship,
    "CaseFile.households": DHR.Household,
    "CaseFile.agencies": DHR.Agency,
    "CaseFile.events": DHR.Event,
    "CaseFile.recommendations": DHR.Recommendation,
    # review
    "Review.id": DCTERMS.identifier,
    "Review.title": DCTERMS.title,
    "Review.commissioned_by": DHR.commissionedBy,
    "Review.local_authority": DHR.localAuthority,
    "Review.police_force_area": DHR.policeForceArea,
    "Review.chair": DHR.chair,
    "Review.author": DHR.overviewAuthor,
    "Review.vice_chair": DHR.viceChair,
    "Review.review_period": DHR.reviewPeriod,
    "Review.homicide_date": DHR.homicideDate,
    "Review.report_date": DHR.reportDate,
    "Review.reference": DHR.reportReference,
    "Review.source": DHR.fileName,
    "Period.start": TIME.hasBeginning,
    "Period.end": TIME.hasEnd,
    "Place.town": DHR.town,
    "Place.local_authority": DHR.localAuthority,
    "Place.police_force_area": DHR.policeForceArea,
    "Place.country": DHR.country,
    # persons
    "Person.id": DCTERMS.identifier,
    "Person.name": FOAF.name,
    "Person.aliases": SCHEMA.alternateName,
    "Person.sex": DHR.sex,
    "Person.born": DHR.born,
    "Person.age": DHR.age,
    "Person.age_months": DHR.ageMonths,
    "Person.died": DHR.died,
    "Person.unborn": DHR.unborn,
    "Person.ethnicity": DHR.ethnicity,
    "Person.roles": DHR.role,
    "Person.notes": SKOS.note,
    "Person.source": PROV.wasDerivedFrom,
    # relationships
    "_RelationshipBase.from_": DHR.fromPerson,
    "_RelationshipBase.to": DHR.toPerson,
    "_RelationshipBase.start": TIME.hasBeginning,
    "_RelationshipBase.end": TIME.hasEnd,
    "_RelationshipBase.notes": SKOS.note,
    "_RelationshipBase.source": PROV.wasDerivedFrom,
    "_RelationshipBase.certainty": DHR.certainty,
    "ParentRelationship.type": DHR.relationshipType,
    "ParentRelationship.kind": DHR.parentKind,
    "SiblingRelationship.type": DHR.relationshipType,
    "SiblingRelationship.kind": DHR.siblingKind,
    "PartnerRelationship.type": DHR.relationshipType,
    "PartnerRelationship.status": DHR.partnerStatus,
    "PartnerRelationship.kind": DHR.partnerKind,
    "PartnerRelationship.separated": DHR.separated,
    "PartnerRelationship.abusive": DHR.abusive,
    "RelativeRelationship.type": DHR.relationshipType,
    "RelativeRelationship.label": DHR.relationLabel,
    "FriendRelationship.type": DHR.relationshipType,
    "CarerRelationship.type": DHR.relationshipType,
    "AssociateRelationship.type": DHR.relationshipType,
    "AssociateRelationship.label": DHR.relationLabel,
    "AbuseRelationship.type": DHR.relationshipType,
    "AbuseRelationship.kinds": DHR.abuseKind,
    # households
    "Household.id": DCTERMS.identifier,
    "Household.location": DHR.location,
    "Household.members": DHR.HouseholdMembership,
    "Household.start": TIME.hasBeginning,
    "Household.end": TIME.hasEnd,
    "Household.notes": SKOS.note,
    "Household.source": PROV.wasDerivedFrom,
    "Member.person": ORG.member,
    "Member.start": TIME.hasBeginning,
    "Member.end": TIME.hasEnd,
    # agencies
    "Agency.id": DCTERMS.identifier,
    "Agency.name": SKOS.prefLabel,
    "Agency.abbreviation": DHR.abbreviation,
    "Agency.aliases": SKOS.altLabel,
    "Agency.type": ORG.classification,
    "Agency.police_force_area": DHR.serves,
    "Agency.notes": SKOS.note,
    # events
    "Event.id": DCTERMS.identifier,
    "Event.date": DHR.date,
    "Event.until": DHR.until,
    "Event.date_approx": DHR.dateApproximate,
    "Event.time": DHR.timeOfDay,
    "Event.agency": DHR.recordedBy,
    "Event.type": DHR.eventType,
    "Event.persons": DHR.involves,
    "Event.summary": SCHEMA.description,
    "Event.abuse": DHR.abuse,
    "Event.risk": DHR.risk,
    "Event.referral_to": DHR.referredTo,
    "Event.shared_with": DHR.sharedWith,
    "Event.other_agencies": DHR.tookPart,
    "Event.place": DHR.place,
    "Event.notes": SKOS.note,
    "Event.source": PROV.wasDerivedFrom,
    "EventAbuse.perpetrator": DHR.perpetrator,
    "EventAbuse.victim": DHR.victim,
    "EventAbuse.victims": DHR.victim,
    "EventAbuse.kinds": DHR.abuseKind,
    "EventAbuse.certainty": DHR.certainty,
    "Risk.tool": DHR.riskTool,
    "Risk.level": DHR.riskLevel,
    "Risk.score": DHR.riskScore,
    "Risk.grade": DHR.riskGrade,
    # recommendations
    "Recommendation.id": DCTERMS.identifier,
    "Recommendation.agency": DHR.addressedTo,
    "Recommendation.agencies": DHR.addressedTo,
    "Recommendation.text": SCHEMA.text,
    "Recommendation.scope": DHR.scope,
    "Recommendation.source": PROV.wasDerivedFrom,
}

#: Node labels of the graph schema (docs/graph-schema.md).
GRAPH_LABELS: dict[str, URIRef] = {
    "Review": DHR.Review,
    "Person": DHR.Person,
    "Household": DHR.Household,
    "Agency": DHR.Agency,
    "Area": DHR.Area,
    "Event": DHR.Event,
    "Recommendation": DHR.Recommendation,
    "Source": DHR.Source,
}

#: Kinds of Area node.
GRAPH_AREA_KINDS: dict[str, URIRef] = {
    "police_force_area": DHR.PoliceForceArea,
    "local_authority": DHR.LocalAuthorityArea,
    "town": DHR.Town,
    "csp": DHR.CommunitySafetyPartnershipArea,
    "region": DHR.Region,
    "country": DHR.Country,
}

#: Relationship types of the graph schema.
GRAPH_RELATIONSHIPS: dict[str, URIRef] = {
    "PARENT_OF": REL.parentOf,
    "SIBLING_OF": REL.siblingOf,
    "PARTNER_OF": DHR.partnerOf,
    "RELATIVE_OF": DHR.relativeOf,
    "FRIEND_OF": REL.friendOf,
    "CARES_FOR": DHR.caresFor,
    "ASSOCIATE_OF": DHR.associateOf,
    "ABUSED": DHR.abused,
    "MEMBER_OF": ORG.memberOf,
    "INVOLVED": DHR.involves,
    "RECORDED_BY": DHR.recordedBy,
    "REFERRED_TO": DHR.referredTo,
    "SHARED_WITH": DHR.sharedWith,
    "TOOK_PART": DHR.tookPart,
    "LOCATED_IN": DHR.locatedIn,
    "SERVES": DHR.serves,
    "SUBJECT_OF": DHR.subjectOf,
    "PART_OF": DHR.inReview,
    "ADDRESSED_TO": DHR.addressedTo,
    "SUPPORTED_BY": PROV.wasDerivedFrom,
    "COMMISSIONED_BY": DHR.commissioningPartnership,
}


def term_for(model_cls: type, field: str) -> URIRef | None:
    """The term for a field of a model class, looked up along the class's bases."""
    for cls in model_cls.__mro__:
        term = FIELD_TERMS.get(f"{cls.__name__}.{field}")
        if term is not None:
            return term
    return None


__all__ = ["FIELD_TERMS", "GRAPH_AREA_KINDS", "GRAPH_LABELS", "GRAPH_RELATIONSHIPS", "term_for"]
